package bmcsim

import (
	"context"
	"encoding/binary"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// fakeClock is a settable clock for deterministic tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestBMC(t *testing.T, opts ...Option) (*BMC, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	return New(append([]Option{WithClock(clk.Now), WithSeed(42)}, opts...)...), clk
}

func send(t *testing.T, tr ipmi.Transport, netfn ipmi.NetFn, cmd uint8, data ...byte) *ipmi.Response {
	t.Helper()
	rsp, err := tr.Send(context.Background(), &ipmi.Request{NetFn: netfn, Cmd: cmd, Data: data})
	if err != nil {
		t.Fatalf("send netfn 0x%02x cmd 0x%02x: %v", netfn, cmd, err)
	}
	return rsp
}

func TestDeviceID(t *testing.T) {
	b, _ := newTestBMC(t)
	tr := b.Transport("user", ipmi.PrivilegeUser)
	defer tr.Close()
	rsp := send(t, tr, ipmi.NetFnApp, 0x01)
	if rsp.Code != ipmi.CodeOK || len(rsp.Data) != 15 {
		t.Fatalf("Get Device ID: code %v, %d bytes", rsp.Code, len(rsp.Data))
	}
	mfg := uint32(rsp.Data[6]) | uint32(rsp.Data[7])<<8 | uint32(rsp.Data[8])<<16
	if mfg != ManufacturerID || rsp.Data[4] != 0x02 {
		t.Errorf("manufacturer %d, IPMI version 0x%02x", mfg, rsp.Data[4])
	}
}

func TestPrivilegeEnforced(t *testing.T) {
	b, _ := newTestBMC(t)
	cases := []struct {
		user string
		priv ipmi.Privilege
		want ipmi.CompletionCode
	}{
		{"user", ipmi.PrivilegeUser, ipmi.CodeInsufficientPrivilege},
		{"operator", ipmi.PrivilegeOperator, ipmi.CodeOK},
		{"admin", ipmi.PrivilegeAdmin, ipmi.CodeOK},
		{"admin", ipmi.PrivilegeUser, ipmi.CodeInsufficientPrivilege}, // session level, not account limit
	}
	for _, c := range cases {
		tr := b.Transport(c.user, c.priv)
		// Chassis Control (power up) needs OPERATOR.
		if got := send(t, tr, ipmi.NetFnChassis, 0x02, 0x01).Code; got != c.want {
			t.Errorf("%s at %s: chassis control code %v, want %v", c.user, c.priv, got, c.want)
		}
		// Set User Name needs ADMINISTRATOR.
		name := append([]byte{6}, make([]byte, 16)...)
		copy(name[1:], "newuser")
		want := ipmi.CodeInsufficientPrivilege
		if c.priv == ipmi.PrivilegeAdmin {
			want = ipmi.CodeOK
		}
		if got := send(t, tr, ipmi.NetFnApp, 0x45, name...).Code; got != want {
			t.Errorf("%s at %s: set user name code %v, want %v", c.user, c.priv, got, want)
		}
		tr.Close()
	}
	// A USER account cannot get an ADMINISTRATOR session at all.
	tr := b.Transport("user", ipmi.PrivilegeAdmin)
	defer tr.Close()
	if _, err := tr.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}); !errors.Is(err, ErrPrivilege) {
		t.Errorf("user at ADMINISTRATOR: err %v, want ErrPrivilege", err)
	}
	// Every table entry is reachable at ADMINISTRATOR and at least one
	// command is refused at each lower level.
	for k, c := range commandTable {
		if c.priv > ipmi.PrivilegeAdmin {
			t.Errorf("netfn 0x%02x cmd 0x%02x needs %s", k.netfn, k.cmd, c.priv)
		}
	}
}

func TestPreSessionOnly(t *testing.T) {
	b, _ := newTestBMC(t)
	ctx := context.Background()
	// Outside a session only the pre-session commands answer.
	r := b.Handle(ctx, SessionInfo{}, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x38, Data: []byte{0x8E, 0x04}})
	if r.Code != ipmi.CodeOK || len(r.Data) != 8 || r.Data[1]&0x80 == 0 || r.Data[3]&0x02 == 0 {
		t.Fatalf("auth caps: %v % x", r.Code, r.Data)
	}
	if r := b.Handle(ctx, SessionInfo{}, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}); r.Code != ipmi.CodeInsufficientPrivilege {
		t.Errorf("Get Device ID outside a session: %v", r.Code)
	}
	// Session-less at an explicit privilege: the model is driven directly.
	if r := b.Handle(ctx, SessionInfo{Privilege: ipmi.PrivilegeUser}, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}); r.Code != ipmi.CodeOK {
		t.Errorf("Get Device ID at USER without a session: %v", r.Code)
	}
	if r := b.Handle(ctx, SessionInfo{Privilege: ipmi.PrivilegeUser}, &ipmi.Request{NetFn: ipmi.NetFnChassis, Cmd: 0x02, Data: []byte{0}}); r.Code != ipmi.CodeInsufficientPrivilege {
		t.Errorf("Chassis Control at USER without a session: %v", r.Code)
	}
	// A session ID that does not exist is refused.
	if r := b.Handle(ctx, SessionInfo{ID: 1234}, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}); r.Code == ipmi.CodeOK {
		t.Errorf("unknown session answered OK")
	}
}

func TestReadingsMoveDeterministically(t *testing.T) {
	read := func() []float64 {
		b, clk := newTestBMC(t)
		var vals []float64
		for range 50 {
			clk.Advance(10 * time.Second)
			v, err := b.Reading("CPU1 Temp")
			if err != nil {
				t.Fatal(err)
			}
			vals = append(vals, v)
		}
		return vals
	}
	a, c := read(), read()
	distinct := map[float64]bool{}
	for i := range a {
		if a[i] != c[i] {
			t.Fatalf("step %d: %v vs %v with the same seed", i, a[i], c[i])
		}
		distinct[a[i]] = true
	}
	if len(distinct) < 10 {
		t.Errorf("CPU1 Temp took only %d values over 500 s: %v", len(distinct), a)
	}
}

func TestFreeze(t *testing.T) {
	b, clk := newTestBMC(t)
	b.Freeze(true)
	v0, _ := b.Reading("FAN1")
	for range 20 {
		clk.Advance(7 * time.Second)
		if v, _ := b.Reading("FAN1"); v != v0 {
			t.Fatalf("frozen FAN1 moved from %v to %v", v0, v)
		}
	}
}

func TestSELRecordsCrossings(t *testing.T) {
	b, clk := newTestBMC(t)
	before := len(b.SELEntries())
	// Over two CPU1 Temp periods the reading passes UNC (80) going up and
	// down: an assertion and a deassertion each time.
	var asserts, deasserts int
	for range 2 * 600 / 2 {
		clk.Advance(sensorTick)
		b.PowerOn() // any call advances the model
	}
	for _, e := range b.SELEntries()[before:] {
		if e[11] != 0x01 || e[13]&0x0F != 7 { // CPU1 Temp, UNC going high
			continue
		}
		if e[13]&0xF0 != 0x50 || e[15] != 80 {
			t.Errorf("event data % x: want trigger reading and threshold 80", e[13:])
		}
		if e[12]&0x80 != 0 {
			deasserts++
		} else {
			asserts++
		}
	}
	if asserts < 2 || deasserts < 2 {
		t.Errorf("CPU1 Temp UNC: %d assertions, %d deassertions over two periods", asserts, deasserts)
	}
	// A pinned reading crosses at once, with the reading in data 2.
	b.Freeze(true)
	n := len(b.SELEntries())
	if err := b.SetReading("Inlet Temp", 48); err != nil {
		t.Fatal(err)
	}
	got := b.SELEntries()[n:]
	if len(got) != 2 { // UNC and UCR going high
		t.Fatalf("Inlet Temp at 48: %d new events, want 2", len(got))
	}
	if got[1][13] != 0x59 || got[1][14] != 48 || got[1][15] != 47 {
		t.Errorf("UCR event data % x", got[1][13:])
	}
}

func TestSessionSlots(t *testing.T) {
	b, _ := newTestBMC(t, WithSessionSlots(2))
	var trs []ipmi.Transport
	for range 2 {
		tr := b.Transport("admin", ipmi.PrivilegeAdmin)
		send(t, tr, ipmi.NetFnApp, 0x01)
		trs = append(trs, tr)
	}
	third := b.Transport("admin", ipmi.PrivilegeAdmin)
	if _, err := third.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}); !errors.Is(err, ErrNoSessionSlots) {
		t.Fatalf("third session: %v, want ErrNoSessionSlots", err)
	}
	// Get Session Info shows both.
	r := send(t, trs[0], ipmi.NetFnApp, 0x3D, 0x00)
	if r.Code != ipmi.CodeOK || r.Data[1] != 2 || r.Data[2] != 2 || r.Data[3] != 2 || r.Data[4] != 4 {
		t.Errorf("session info % x", r.Data)
	}
	trs[1].Close()
	send(t, third, ipmi.NetFnApp, 0x01)
	// A reboot drops every session.
	b.Reboot()
	if _, err := trs[0].Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}); !errors.Is(err, ErrSessionClosed) {
		t.Errorf("after reboot: %v", err)
	}
	if b.ActiveSessions() != 0 {
		t.Errorf("%d sessions after reboot", b.ActiveSessions())
	}
}

func TestSessionTimeout(t *testing.T) {
	b, clk := newTestBMC(t, WithSessionTimeout(30*time.Second))
	tr := b.Transport("admin", ipmi.PrivilegeAdmin)
	send(t, tr, ipmi.NetFnApp, 0x01)
	clk.Advance(31 * time.Second)
	if _, err := tr.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}); !errors.Is(err, ErrSessionClosed) {
		t.Errorf("after idle timeout: %v", err)
	}
}

func TestFaults(t *testing.T) {
	b, _ := newTestBMC(t)
	tr := b.Transport("admin", ipmi.PrivilegeAdmin)
	defer tr.Close()
	b.SetFaults(Faults{BusyPercent: 100})
	if r := send(t, tr, ipmi.NetFnApp, 0x01); r.Code != ipmi.CodeNodeBusy {
		t.Errorf("busy fault: %v", r.Code)
	}
	b.SetFaults(Faults{ShortReads: 16})
	if r := send(t, tr, ipmi.NetFnStorage, 0x11, 0, 0, 0, 17); r.Code != ipmi.CodeCannotReturnBytes {
		t.Errorf("FRU read of 17 with short reads at 16: %v", r.Code)
	}
	if r := send(t, tr, ipmi.NetFnStorage, 0x11, 0, 0, 0, 16); r.Code != ipmi.CodeOK || r.Data[0] != 16 {
		t.Errorf("FRU read of 16: %v % x", r.Code, r.Data)
	}
	if r := send(t, tr, ipmi.NetFnStorage, 0x23, 0, 0, 1, 0, 0, 0xFF); r.Code != ipmi.CodeCannotReturnBytes {
		t.Errorf("whole SDR read with short reads: %v", r.Code)
	}
	b.SetFaults(Faults{LossPercent: 100})
	if _, err := tr.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}); !errors.Is(err, ErrPacketLost) {
		t.Errorf("loss fault: %v", err)
	}
	b.SetFaults(Faults{ExhaustSessions: true})
	if _, err := b.Transport("admin", ipmi.PrivilegeAdmin).Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}); !errors.Is(err, ErrNoSessionSlots) {
		t.Errorf("exhausted sessions: %v", err)
	}
	b.SetFaults(Faults{})
	if r := send(t, tr, ipmi.NetFnApp, 0x01); r.Code != ipmi.CodeOK {
		t.Errorf("after clearing faults: %v", r.Code)
	}
}

func TestPowerCycleRestoresPower(t *testing.T) {
	b, clk := newTestBMC(t)
	tr := b.Transport("operator", ipmi.PrivilegeOperator)
	defer tr.Close()
	if r := send(t, tr, ipmi.NetFnChassis, 0x02, 0x02); r.Code != ipmi.CodeOK {
		t.Fatalf("power cycle: %v", r.Code)
	}
	if b.PowerOn() {
		t.Error("power on right after cycle")
	}
	if _, err := b.Reading("CPU1 Temp"); err == nil {
		t.Error("CPU1 Temp has a reading with the host off")
	}
	clk.Advance(3 * time.Second)
	if !b.PowerOn() {
		t.Error("power still off 3 s after cycle")
	}
	if r := send(t, tr, ipmi.NetFnChassis, 0x07); r.Data[0] != restartChassisCmd {
		t.Errorf("restart cause 0x%02x", r.Data[0])
	}
}

func TestBootFlags(t *testing.T) {
	b, _ := newTestBMC(t)
	tr := b.Transport("operator", ipmi.PrivilegeOperator)
	defer tr.Close()
	// PXE, valid, persistent, EFI.
	send(t, tr, ipmi.NetFnChassis, 0x08, 0x05, 0xE0, 0x04, 0, 0, 0)
	r := send(t, tr, ipmi.NetFnChassis, 0x09, 0x05, 0, 0)
	if r.Code != ipmi.CodeOK || len(r.Data) != 7 || r.Data[2] != 0xE0 || r.Data[3] != 0x04 {
		t.Fatalf("boot flags % x", r.Data)
	}
	// A one-time (not persistent) flag is cleared by a reset.
	send(t, tr, ipmi.NetFnChassis, 0x08, 0x05, 0x80, 0x08, 0, 0, 0)
	send(t, tr, ipmi.NetFnChassis, 0x02, 0x03)
	if f := b.BootFlags(); f[0]&0x80 != 0 {
		t.Errorf("one-time boot flag still valid after reset: % x", f)
	}
}

func TestUserPassword(t *testing.T) {
	b, _ := newTestBMC(t)
	tr := b.Transport("admin", ipmi.PrivilegeAdmin)
	defer tr.Close()
	pw20 := []byte("abcdefghijklmnopqrst")
	// Set a 20-byte password for user 3, then test it both ways.
	send(t, tr, ipmi.NetFnApp, 0x47, append([]byte{0x83, 0x02}, pw20...)...)
	if r := send(t, tr, ipmi.NetFnApp, 0x47, append([]byte{0x83, 0x03}, pw20...)...); r.Code != ipmi.CodeOK {
		t.Errorf("test 20-byte password: %v", r.Code)
	}
	if r := send(t, tr, ipmi.NetFnApp, 0x47, append([]byte{0x03, 0x03}, pw20[:16]...)...); r.Code != 0x81 {
		t.Errorf("16-byte test of a 20-byte password: %v", r.Code)
	}
	wrong := append([]byte(nil), pw20...)
	wrong[19] = 'X'
	if r := send(t, tr, ipmi.NetFnApp, 0x47, append([]byte{0x83, 0x03}, wrong...)...); r.Code != 0x80 {
		t.Errorf("wrong password test: %v", r.Code)
	}
	if c, ok := b.LookupUser([]byte("operator")); !ok || string(c.Password) != string(pw20) {
		t.Errorf("LookupUser after set: %v %q", ok, c.Password)
	}
	// Disable user 3: it can no longer log in.
	send(t, tr, ipmi.NetFnApp, 0x47, 0x03, 0x00)
	if _, ok := b.LookupUser([]byte("operator")); ok {
		t.Error("disabled user found")
	}
}

func TestSELReservationAndClear(t *testing.T) {
	b, _ := newTestBMC(t)
	b.Freeze(true)
	tr := b.Transport("operator", ipmi.PrivilegeOperator)
	defer tr.Close()
	r := send(t, tr, ipmi.NetFnStorage, 0x42)
	resv := r.Data[:2]
	// A stale reservation is refused.
	send(t, tr, ipmi.NetFnStorage, 0x42)
	if r := send(t, tr, ipmi.NetFnStorage, 0x47, resv[0], resv[1], 'C', 'L', 'R', 0xAA); r.Code != ipmi.CodeReservationCancelled {
		t.Errorf("clear with stale reservation: %v", r.Code)
	}
	r = send(t, tr, ipmi.NetFnStorage, 0x42)
	if r := send(t, tr, ipmi.NetFnStorage, 0x47, r.Data[0], r.Data[1], 'C', 'L', 'R', 0xAA); r.Code != ipmi.CodeOK {
		t.Fatalf("clear: %v", r.Code)
	}
	if n := len(b.SELEntries()); n != 0 {
		t.Errorf("%d entries after clear", n)
	}
	rec := []byte{0, 0, 0x02, 0, 0, 0, 0, 0x41, 0, 0x04, 0x01, 0x03, 0x01, 0x57, 0x30, 0x2F}
	r = send(t, tr, ipmi.NetFnStorage, 0x44, rec...)
	if r.Code != ipmi.CodeOK {
		t.Fatalf("add: %v", r.Code)
	}
	e := b.SELEntries()
	if len(e) != 1 || binary.LittleEndian.Uint32(e[0][3:]) == 0 || e[0][13] != 0x57 {
		t.Errorf("added entry % x", e)
	}
}

func TestMalformedRequestsNeverPanic(t *testing.T) {
	b, _ := newTestBMC(t)
	ctx := context.Background()
	admin := b.Transport("admin", ipmi.PrivilegeAdmin)
	defer admin.Close()
	send(t, admin, ipmi.NetFnApp, 0x01)
	id := b.sessions.slots[0].id
	for k := range commandTable {
		for n := range 24 {
			data := make([]byte, n)
			for i := range data {
				data[i] = byte(0xFF - i)
			}
			b.Handle(ctx, SessionInfo{ID: id}, &ipmi.Request{NetFn: k.netfn, Cmd: k.cmd, Data: data})
			if !b.SessionActive(id) {
				// Close Session or Cold Reset ended it: start another.
				admin = b.Transport("admin", ipmi.PrivilegeAdmin)
				send(t, admin, ipmi.NetFnApp, 0x01)
				for _, s := range b.sessions.slots {
					if s != nil {
						id = s.id
					}
				}
			}
		}
	}
}

func TestWatchdogExpiry(t *testing.T) {
	b, clk := newTestBMC(t)
	b.Freeze(true)
	tr := b.Transport("operator", ipmi.PrivilegeOperator)
	defer tr.Close()
	if r := send(t, tr, ipmi.NetFnApp, 0x22); r.Code != 0x80 {
		t.Errorf("reset before set: %v, want 0x80", r.Code)
	}
	// SMS/OS timer, power down on expiry, 1.0 s countdown.
	send(t, tr, ipmi.NetFnApp, 0x24, 0x04, 0x02, 0x00, 0x00, 10, 0)
	send(t, tr, ipmi.NetFnApp, 0x22)
	if r := send(t, tr, ipmi.NetFnApp, 0x25); r.Data[0]&0x40 == 0 {
		t.Errorf("watchdog not running: % x", r.Data)
	}
	n := len(b.SELEntries())
	clk.Advance(1500 * time.Millisecond)
	if b.PowerOn() {
		t.Error("power still on after the watchdog expired with action power down")
	}
	r := send(t, tr, ipmi.NetFnApp, 0x25)
	if r.Data[0]&0x40 != 0 || r.Data[3]&0x10 == 0 {
		t.Errorf("after expiry: % x (want stopped, SMS/OS expiration flag)", r.Data)
	}
	e := b.SELEntries()[n:]
	if len(e) != 1 || e[0][10] != 0x23 || e[0][13]&0x0F != 2 {
		t.Errorf("watchdog SEL entries % x", e)
	}
}

func TestUserAccessPerChannel(t *testing.T) {
	b, _ := newTestBMC(t)
	tr := b.Transport("admin", ipmi.PrivilegeAdmin)
	defer tr.Close()
	// Lower user 4 to CALLBACK on LAN channel 1, with IPMI messaging.
	if r := send(t, tr, ipmi.NetFnApp, 0x43, 0x91, 0x04, 0x01); r.Code != ipmi.CodeOK {
		t.Fatalf("set user access: %v", r.Code)
	}
	r := send(t, tr, ipmi.NetFnApp, 0x44, 0x01, 0x04)
	if r.Code != ipmi.CodeOK || r.Data[3]&0x0F != 0x01 || r.Data[3]&0x10 == 0 {
		t.Errorf("get user access: %v % x", r.Code, r.Data)
	}
	if c, ok := b.LookupUser([]byte("user")); !ok || c.PrivLimit != ipmi.PrivilegeCallback {
		t.Errorf("LookupUser: %v %+v", ok, c)
	}
	// Session-less channels have no user access.
	if r := send(t, tr, ipmi.NetFnApp, 0x44, 0x00, 0x04); r.Code != ipmi.CodeInvalidDataField {
		t.Errorf("user access on IPMB channel 0: %v", r.Code)
	}
}

func TestUserSessionLimit(t *testing.T) {
	b, _ := newTestBMC(t)
	admin := b.Transport("admin", ipmi.PrivilegeAdmin)
	defer admin.Close()
	// User 4 may hold one session (Set User Access byte 4).
	send(t, admin, ipmi.NetFnApp, 0x43, 0x91, 0x04, 0x02, 0x01)
	first := b.Transport("user", ipmi.PrivilegeUser)
	defer first.Close()
	send(t, first, ipmi.NetFnApp, 0x01)
	if _, err := b.Transport("user", ipmi.PrivilegeUser).Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}); !errors.Is(err, ErrNoSessionSlots) {
		t.Errorf("second session for a user limited to one: %v", err)
	}
}

// TestFRUImagesWellFormed checks every checksum of the FRU images the
// clients decode: the common header, each info area, each multirecord.
func TestFRUImagesWellFormed(t *testing.T) {
	b, _ := newTestBMC(t)
	sum := func(p []byte) (s byte) {
		for _, c := range p {
			s += c
		}
		return s
	}
	for id := range 3 {
		img := b.FRUImage(id)
		if len(img) != fruSize || img[0] != 1 || sum(img[:8]) != 0 {
			t.Fatalf("FRU %d: header % x", id, img[:8])
		}
		for i := 2; i <= 4; i++ {
			off := int(img[i]) * 8
			if off == 0 {
				continue
			}
			n := int(img[off+1]) * 8
			if n == 0 || off+n > len(img) || sum(img[off:off+n]) != 0 {
				t.Errorf("FRU %d area %d at %d: bad length %d or checksum", id, i, off, n)
			}
		}
		if off := int(img[5]) * 8; off != 0 {
			h := img[off : off+5]
			if sum(h) != 0 || h[1]&0x80 == 0 || sum(img[off+5:off+5+int(h[2])])+h[3] != 0 {
				t.Errorf("FRU %d multirecord header % x", id, h)
			}
		}
	}
}

func TestRebootDowntime(t *testing.T) {
	b, clk := newTestBMC(t)
	tr := b.Transport("admin", ipmi.PrivilegeAdmin)
	send(t, tr, ipmi.NetFnApp, 0x01)
	b.RebootFor(30 * time.Second)
	fresh := b.Transport("admin", ipmi.PrivilegeAdmin)
	defer fresh.Close()
	for _, x := range []ipmi.Transport{tr, fresh} {
		if _, err := x.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}); !errors.Is(err, ErrPacketLost) {
			t.Errorf("while rebooting: %v, want lost packets", err)
		}
	}
	clk.Advance(31 * time.Second)
	if _, err := tr.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}); !errors.Is(err, ErrSessionClosed) {
		t.Errorf("old session after reboot: %v", err)
	}
	send(t, fresh, ipmi.NetFnApp, 0x01)
}
