package ipmi

import (
	"context"
	"errors"
	"net/netip"
	"reflect"
	"testing"
)

// tableBMC answers from a map keyed by netfn, command and request data;
// it records the requests it saw.
type tableBMC struct {
	replies map[string]*Response
	sent    []*Request
}

func tkey(fn NetFn, cmd uint8, data []byte) string {
	return string(append([]byte{uint8(fn), cmd}, data...))
}

func (b *tableBMC) on(fn NetFn, cmd uint8, req []byte, code CompletionCode, data ...byte) *tableBMC {
	if b.replies == nil {
		b.replies = map[string]*Response{}
	}
	b.replies[tkey(fn, cmd, req)] = &Response{Code: code, Data: data}
	return b
}

func (b *tableBMC) Send(_ context.Context, r *Request) (*Response, error) {
	b.sent = append(b.sent, r)
	if rsp, ok := b.replies[tkey(r.NetFn, r.Cmd, r.Data)]; ok {
		return rsp, nil
	}
	return &Response{Code: CodeInvalidCommand}, nil
}
func (b *tableBMC) Close() error { return nil }

func TestDecodeUserAccessIPMISim(t *testing.T) {
	// ipmi_sim user 2 on channel 1: 63 IDs, 3 enabled, admin, messaging.
	a, err := DecodeUserAccess([]byte{0x3f, 0x03, 0x00, 0x14})
	if err != nil {
		t.Fatal(err)
	}
	want := &UserAccess{MaxUsers: 63, EnabledUsers: 3, IPMIMessaging: true, PrivilegeLimit: PrivilegeAdmin}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("got %+v want %+v", a, want)
	}
	a, _ = DecodeUserAccess([]byte{0x0a, 0x42, 0x01, 0x64})
	if a.EnableStatus != UserStatusEnabled || !a.CallbackOnly || !a.LinkAuth || a.FixedNames != 1 || a.PrivilegeLimit != PrivilegeAdmin {
		t.Errorf("bits: %+v", a)
	}
	if _, err := DecodeUserAccess([]byte{1, 2, 3}); err == nil {
		t.Error("3-byte response accepted")
	}
}

func TestUserNameAndPasswordRequests(t *testing.T) {
	n, err := DecodeUserName([]byte("admin\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	if err != nil || n != "admin" {
		t.Errorf("name %q %v", n, err)
	}
	if n, _ := DecodeUserName([]byte("0123456789abcdef")); n != "0123456789abcdef" {
		t.Errorf("16-char name %q", n)
	}
	if _, err := DecodeUserName([]byte("short")); err == nil {
		t.Error("short name accepted")
	}
	r, err := SetUserPasswordRequest(7, PasswordSet, []byte("0123456789abcdefXY"), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Data) != 22 || r.Data[0] != 0x87 || r.Data[1] != 2 || string(r.Data[2:20]) != "0123456789abcdefXY" || r.Data[21] != 0 {
		t.Errorf("20-byte request % x", r.Data)
	}
	if _, err := SetUserPasswordRequest(7, PasswordSet, []byte("0123456789abcdefX"), false); !errors.Is(err, ErrPasswordTooLong) {
		t.Errorf("17 bytes into 16: %v", err)
	}
	r, _ = SetUserPasswordRequest(3, PasswordTest, []byte("pw"), false)
	if len(r.Data) != 18 || r.Data[0] != 3 || r.Data[1] != 3 {
		t.Errorf("16-byte test request % x", r.Data)
	}
	u := UserAccessChange{Channel: 1, UserID: 5, ChangeBits: true, IPMIMessaging: true, PrivilegeLimit: PrivilegeOperator}
	if got := u.Encode(); !reflect.DeepEqual(got, []byte{0x91, 5, 3, 0}) {
		t.Errorf("set user access % x", got)
	}
}

func TestTestUserPasswordOutcomes(t *testing.T) {
	ok16, _ := SetUserPasswordRequest(2, PasswordTest, []byte("good"), false)
	bad16, _ := SetUserPasswordRequest(2, PasswordTest, []byte("bad"), false)
	size20, _ := SetUserPasswordRequest(2, PasswordTest, []byte("good"), true)
	b := (&tableBMC{}).on(NetFnApp, CmdSetUserPassword, ok16.Data, 0).
		on(NetFnApp, CmdSetUserPassword, bad16.Data, 0x80).
		on(NetFnApp, CmdSetUserPassword, size20.Data, 0x81)
	c := NewClient(b)
	ctx := context.Background()
	if ok, _, err := c.TestUserPassword(ctx, 2, []byte("good"), false); !ok || err != nil {
		t.Errorf("good: %v %v", ok, err)
	}
	if ok, cc, err := c.TestUserPassword(ctx, 2, []byte("bad"), false); ok || err != nil || cc != CodePasswordIncorrect {
		t.Errorf("bad: %v %v %v", ok, cc, err)
	}
	if ok, cc, err := c.TestUserPassword(ctx, 2, []byte("good"), true); ok || err != nil || cc != CodePasswordWrongSize {
		t.Errorf("size: %v %v %v", ok, cc, err)
	}
	if _, _, err := c.TestUserPassword(ctx, 2, []byte("other"), false); !IsCompletion(err, CodeInvalidCommand) {
		t.Errorf("other code: %v", err)
	}
}

func TestDecodeChannelInfoAndAccess(t *testing.T) {
	ci, err := DecodeChannelInfo([]byte{0x01, 0x04, 0x01, 0x81, 0xf2, 0x1b, 0x00, 0x00, 0x00})
	if err != nil {
		t.Fatal(err)
	}
	if ci.Channel != 1 || ci.Medium != MediumLAN || ci.Medium.String() != "802.3 LAN" || ci.Protocol.String() != "IPMB-1.0" ||
		ci.SessionSupport != SessionMulti || ci.ActiveSessions != 1 || ci.VendorID != 7154 {
		t.Errorf("%+v", ci)
	}
	if ChannelMedium(0x42).String() != "Unknown (0x42)" || ChannelProtocol(0x1C).String() != "OEM 1" {
		t.Error("names")
	}
	if _, err := DecodeChannelInfo(make([]byte, 8)); err == nil {
		t.Error("8-byte channel info accepted")
	}
	a, err := DecodeChannelAccess([]byte{0x3a, 0x04})
	if err != nil || !a.AlertingDisabled || !a.PerMessageAuthDisabled || !a.UserLevelAuthDisabled || a.AccessMode != 2 || a.PrivilegeLimit != PrivilegeAdmin {
		t.Errorf("%+v %v", a, err)
	}
	b := (&tableBMC{}).on(NetFnApp, CmdSetChannelAccess, []byte{1, 0x92, 0x83}, 0)
	err = NewClient(b).SetChannelAccess(context.Background(), 1, ChannelAccess{PerMessageAuthDisabled: true, AccessMode: 2, PrivilegeLimit: PrivilegeOperator}, AccessOptionVolatile, AccessOptionVolatile)
	if err != nil {
		t.Errorf("set channel access sent % x: %v", b.sent[0].Data, err)
	}
}

func TestFindLANChannelSkipsOthers(t *testing.T) {
	b := (&tableBMC{}).on(NetFnApp, CmdGetChannelInfo, []byte{1}, 0, 1, 1, 1, 0, 0xf2, 0x1b, 0, 0, 0).
		on(NetFnApp, CmdGetChannelInfo, []byte{2}, 0xCB).
		on(NetFnApp, CmdGetChannelInfo, []byte{3}, 0, 3, 6, 1, 0x80, 0xf2, 0x1b, 0, 0, 0)
	ch, err := NewClient(b).FindLANChannel(context.Background())
	if err != nil || ch != 3 {
		t.Errorf("channel %d %v", ch, err)
	}
}

// ipmiSimLAN holds ipmi_sim 2.0.33's answers to Get LAN Configuration
// Parameters for channel 1 (captured with ipmitool raw 0x0c 0x02 1 P 0 0).
func ipmiSimLAN() *tableBMC {
	b := &tableBMC{}
	param := func(p uint8, code CompletionCode, data ...byte) {
		b.on(NetFnTransport, CmdGetLANConfig, []byte{1, p, 0, 0}, code, data...)
	}
	param(0, 0, 0x11, 0x00)
	param(1, 0, 0x11, 0x1f)
	param(2, 0, 0x11, 0x16, 0x16, 0x16, 0x16, 0x00)
	param(3, 0, 0x11, 0x7f, 0, 0, 1)
	param(4, 0, 0x11, 0x01)
	param(5, 0, 0x11, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56)
	param(6, 0, 0x11, 0xff, 0, 0, 0)
	param(7, 0, 0x11, 0, 0, 0)
	for _, p := range []uint8{8, 9, 10, 11, 18, 19, 25, 26} {
		param(p, 0x80)
	}
	param(12, 0, 0x11, 0, 0, 0, 0)
	param(13, 0, 0x11, 0, 0, 0, 0, 0, 0)
	param(14, 0, 0x11, 0, 0, 0, 0)
	param(15, 0, 0x11, 0, 0, 0, 0, 0, 0)
	param(16, 0, append([]byte{0x11}, append([]byte("public"), make([]byte, 12)...)...)...)
	param(20, 0, 0x11, 0, 0)
	param(21, 0, 0x11, 0)
	param(22, 0, 0x11, 0x0f)
	param(23, 0, 0x11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
	param(24, 0, 0x11, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44)
	return b
}

func TestReadLANConfigIPMISim(t *testing.T) {
	cfg, err := NewClient(ipmiSimLAN()).ReadLANConfig(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if *cfg.SetInProgress != 0 || *cfg.AuthTypes != 0x1f || *cfg.AuthEnables != [5]uint8{0x16, 0x16, 0x16, 0x16, 0} {
		t.Errorf("auth: %+v", cfg)
	}
	if cfg.IP.String() != "127.0.0.1" || cfg.Netmask.String() != "255.0.0.0" || cfg.MAC.String() != "52:54:00:12:34:56" {
		t.Errorf("addresses %v %v %v", cfg.IP, cfg.Netmask, cfg.MAC)
	}
	if *cfg.Community != "public" || cfg.ARP != nil || cfg.GARPInterval != nil || cfg.BadPassword != nil {
		t.Errorf("community %q arp %v garp %v badpw %v", *cfg.Community, cfg.ARP, cfg.GARPInterval, cfg.BadPassword)
	}
	if cfg.VLAN.Enabled || len(cfg.CipherSuites) != 15 || cfg.CipherSuites[0] != 1 || cfg.CipherPrivileges[0] != PrivilegeAdmin {
		t.Errorf("vlan %+v suites %v privs %v", cfg.VLAN, cfg.CipherSuites, cfg.CipherPrivileges)
	}
}

func TestReadLANConfigStopsOnRealErrors(t *testing.T) {
	b := ipmiSimLAN()
	b.on(NetFnTransport, CmdGetLANConfig, []byte{1, 6, 0, 0}, CodeInsufficientPrivilege)
	cfg, err := NewClient(b).ReadLANConfig(context.Background(), 1)
	if !IsCompletion(err, CodeInsufficientPrivilege) || cfg.IP == nil || cfg.Netmask != nil {
		t.Errorf("err %v ip %v mask %v", err, cfg.IP, cfg.Netmask)
	}
}

func TestLANDecoders(t *testing.T) {
	if v, _ := DecodeLANVLANID([]byte{0xF5, 0x83}); !v.Enabled || v.ID != 0x3F5 {
		t.Errorf("vlan %+v", v)
	}
	h, _ := DecodeLANIPHeader([]byte{0x40, 0x40, 0x10})
	if h != (IPHeader{TTL: 0x40, Flags: 0x40, Precedence: 0, TOS: 0x10}) {
		t.Errorf("header %+v", h)
	}
	if a, _ := DecodeLANARPControl([]byte{2}); !a.Respond || a.Generate {
		t.Errorf("arp %+v", a)
	}
	if _, err := DecodeLANCipherSuites(make([]byte, 18), 16); !errors.Is(err, ErrCipherListTooLong) {
		t.Errorf("18-byte list: %v", err)
	}
	if ids, _ := DecodeLANCipherSuites([]byte{0, 3, 17}, 5); !reflect.DeepEqual(ids, []uint8{3, 17}) {
		t.Errorf("ids %v", ids)
	}
	var privs [16]Privilege
	privs[0], privs[1], privs[14] = PrivilegeNone, PrivilegeUser, PrivilegeOEM
	enc := EncodeLANCipherPrivileges(privs)
	if enc[1] != 0x20 || enc[8] != 0x05 {
		t.Errorf("encoded % x", enc)
	}
	if back, _ := DecodeLANCipherPrivileges(enc); back != privs {
		t.Errorf("round trip %v", back)
	}
	if _, err := DecodeLANCipherPrivileges(make([]byte, 8)); err == nil {
		t.Error("8-byte privilege list accepted")
	}
	bp, _ := DecodeLANBadPassword([]byte{1, 3, 6, 0, 0x2c, 1})
	if bp != (BadPasswordThreshold{GenerateEvent: true, Threshold: 3, ResetInterval: 6, LockoutInterval: 300}) {
		t.Errorf("bad password %+v", bp)
	}
	if a, _ := DecodeLANIPv4(LANIPAddress, []byte{10, 1, 2, 3}); a != netip.MustParseAddr("10.1.2.3") {
		t.Errorf("ip %v", a)
	}
	st, _ := DecodeLANStatistics([]byte{1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0, 9, 1})
	if st.IPRx != 1 || st.UDPProxyDropped != 0x109 {
		t.Errorf("stats %+v", st)
	}
}

func TestSetLANConfigCommittedSequence(t *testing.T) {
	b := (&tableBMC{}).on(NetFnTransport, CmdGetLANConfig, []byte{1, 0, 0, 0}, 0, 0x11, 0).
		on(NetFnTransport, CmdSetLANConfig, []byte{1, 0, 1}, 0).
		on(NetFnTransport, CmdSetLANConfig, []byte{1, 3, 10, 0, 0, 9}, 0).
		on(NetFnTransport, CmdSetLANConfig, []byte{1, 0, 2}, 0).
		on(NetFnTransport, CmdSetLANConfig, []byte{1, 0, 0}, 0)
	if err := NewClient(b).SetLANConfigCommitted(context.Background(), 1, LANIPAddress, []byte{10, 0, 0, 9}); err != nil {
		t.Fatal(err)
	}
	var seq []string
	for _, r := range b.sent {
		seq = append(seq, string(r.Data))
	}
	want := []string{"\x01\x00\x00\x00", "\x01\x00\x01", "\x01\x03\x0a\x00\x00\x09", "\x01\x00\x02", "\x01\x00\x00"}
	if !reflect.DeepEqual(seq, want) {
		t.Errorf("sequence %q", seq)
	}
}

func TestPEFDecoders(t *testing.T) {
	c, err := DecodePEFCapabilities([]byte{0x51, 0x3f, 0x10})
	if err != nil || c.Version != 0x51 || c.Actions != 0x3f || c.FilterCount != 16 {
		t.Errorf("%+v %v", c, err)
	}
	f, err := DecodeEventFilter([]byte{3, 0x80, 0x01, 0x21, 0x08, 0xff, 0xff, 0x01, 0xff, 0x01, 0xff, 0x7f,
		0, 0, 0, 0, 0, 0, 0, 0, 0})
	if err != nil || f.ID != 3 || !f.Enabled || f.Preconfigured || f.Actions != PEFActionAlert || f.PolicyNumber != 1 ||
		f.GroupControl != 2 || f.GeneratorID != 0xffff || f.SensorType != 1 || f.OffsetMask != 0x7fff {
		t.Errorf("%+v %v", f, err)
	}
	if f, _ := DecodeEventFilter(append([]byte{1, 0x40}, make([]byte, 19)...)); !f.Preconfigured || f.Enabled {
		t.Errorf("preconfigured %+v", f)
	}
	p, err := DecodeAlertPolicy([]byte{1, 0x18, 0x12, 0x80})
	if err != nil || p.Number != 1 || !p.Enabled || p.Policy != 0 || p.Channel != 1 || p.Destination != 2 || !p.EventString {
		t.Errorf("%+v %v", p, err)
	}
	l, _ := DecodeLastProcessedEvent([]byte{1, 0, 0, 0, 0x10, 0, 0x0f, 0, 0x0e, 0})
	if l.LastAddition != 1 || l.LastRecordID != 16 || l.LastSWID != 15 || l.LastBMCID != 14 {
		t.Errorf("%+v", l)
	}
}

func TestEventFilterTableFromIPMISim(t *testing.T) {
	b := (&tableBMC{}).on(NetFnSensorEvent, CmdGetPEFConfig, []byte{5, 0, 0}, 0, 0x11, 2)
	for id := uint8(1); id <= 2; id++ {
		b.on(NetFnSensorEvent, CmdGetPEFConfig, []byte{6, id, 0}, 0, append([]byte{0x11, id}, make([]byte, 20)...)...)
	}
	fs, err := NewClient(b).GetEventFilters(context.Background())
	if err != nil || len(fs) != 2 || fs[1].ID != 2 || fs[0].Enabled {
		t.Errorf("%+v %v", fs, err)
	}
}

func TestDCMI(t *testing.T) {
	ctx := context.Background()
	_, _, err := NewClient(&tableBMC{}).GetDCMICapabilities(ctx)
	if !errors.Is(err, ErrDCMIUnsupported) {
		t.Errorf("no DCMI: %v", err)
	}
	if _, err := NewClient(&tableBMC{}).GetPowerLimit(ctx); !errors.Is(err, ErrDCMIUnsupported) {
		t.Errorf("no DCMI limit: %v", err)
	}
	b := (&tableBMC{}).
		on(NetFnGroupExt, CmdDCMIGetCapabilities, []byte{0xDC, 1}, 0, 0xDC, 1, 5, 2, 0, 1, 0x0d).
		on(NetFnGroupExt, CmdDCMIGetCapabilities, []byte{0xDC, 2}, 0, 0xDC, 1, 5, 2, 0xff, 0x8f, 0x01, 0x07, 5).
		on(NetFnGroupExt, CmdDCMIGetPowerReading, []byte{0xDC, 1, 0, 0}, 0,
			0xDC, 252, 0, 10, 0, 0x93, 1, 223, 0, 1, 2, 3, 4, 0xe8, 3, 0, 0, 0x40).
		on(NetFnGroupExt, CmdDCMIGetPowerLimit, []byte{0xDC, 0, 0}, 0x80, 0xDC, 0, 0, 1, 0x2c, 1, 0xe8, 3, 0, 0, 0, 0, 5, 0, 0)
	c := NewClient(b)
	caps, attrs, err := c.GetDCMICapabilities(ctx)
	if err != nil || caps.Major != 1 || caps.Minor != 5 || !caps.PowerManagement || !caps.InBandKCS || !caps.PrimaryLAN ||
		caps.SerialTMode || attrs.SELEntries != 0xfff || !attrs.SELFlushOnRollover || !attrs.GUID || !attrs.BaseboardTemp {
		t.Errorf("%+v %+v %v", caps, attrs, err)
	}
	r, err := c.GetPowerReading(ctx)
	if err != nil || r.Current != 252 || r.Maximum != 403 || r.Timestamp != 0x04030201 || r.PeriodMsec != 1000 || !r.Active {
		t.Errorf("%+v %v", r, err)
	}
	l, err := c.GetPowerLimit(ctx)
	if err != nil || l.Active || l.LimitWatts != 300 || l.ExceptionAction != 1 || l.SamplingSecs != 5 {
		t.Errorf("%+v %v", l, err)
	}
	if _, err := DecodePowerReading(append([]byte{0xDD}, make([]byte, 17)...)); err == nil {
		t.Error("wrong group ID accepted")
	}
}
