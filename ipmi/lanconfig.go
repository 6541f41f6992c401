package ipmi

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
)

// Transport netfn command numbers for LAN configuration (IPMI v2.0 23.1-23.4).
const (
	CmdSetLANConfig     = 0x01
	CmdGetLANConfig     = 0x02
	CmdGetIPStatistics  = 0x04
	CodeLANParamUnknown = CodeParameterNotSupported
)

// LANParam is a LAN configuration parameter selector (IPMI v2.0 table 23-4).
type LANParam uint8

// LAN configuration parameters.
const (
	LANSetInProgress    LANParam = 0
	LANAuthTypeSupport  LANParam = 1
	LANAuthTypeEnables  LANParam = 2
	LANIPAddress        LANParam = 3
	LANIPSource         LANParam = 4
	LANMACAddress       LANParam = 5
	LANSubnetMask       LANParam = 6
	LANIPHeader         LANParam = 7
	LANPrimaryRMCPPort  LANParam = 8
	LANARPControl       LANParam = 10
	LANGratuitousARP    LANParam = 11
	LANDefaultGatewayIP LANParam = 12
	LANDefaultGateway   LANParam = 13 // MAC
	LANBackupGatewayIP  LANParam = 14
	LANBackupGateway    LANParam = 15 // MAC
	LANCommunity        LANParam = 16
	LANDestinationCount LANParam = 17
	LANVLANID           LANParam = 20
	LANVLANPriority     LANParam = 21
	LANCipherCount      LANParam = 22
	LANCipherSuites     LANParam = 23
	LANCipherPrivileges LANParam = 24
	LANBadPassword      LANParam = 26
)

// Set-in-progress values (parameter 0).
const (
	LANStateComplete   = 0
	LANStateInProgress = 1
	LANStateCommit     = 2
)

// GetLANConfigRequest builds Get LAN Configuration Parameters.
func GetLANConfigRequest(channel uint8, p LANParam, set, block uint8) *Request {
	return &Request{NetFn: NetFnTransport, Cmd: CmdGetLANConfig, Data: []byte{channel & 0x0F, uint8(p), set, block}}
}

// DecodeLANConfigResponse strips the parameter revision byte and returns
// the parameter data.
func DecodeLANConfigResponse(b []byte) ([]byte, error) {
	if err := need("Get LAN Configuration Parameters response", b, 1); err != nil {
		return nil, err
	}
	return b[1:], nil
}

// GetLANConfig reads one parameter and returns its data (without the
// revision byte). Unsupported parameters fail with completion code 0x80.
func (c *Client) GetLANConfig(ctx context.Context, channel uint8, p LANParam, set, block uint8) ([]byte, error) {
	b, err := c.Do(ctx, GetLANConfigRequest(channel, p, set, block))
	if err != nil {
		return nil, err
	}
	return DecodeLANConfigResponse(b)
}

// SetLANConfig writes one parameter without the set-in-progress protocol.
func (c *Client) SetLANConfig(ctx context.Context, channel uint8, p LANParam, data []byte) error {
	req := &Request{NetFn: NetFnTransport, Cmd: CmdSetLANConfig, Data: append([]byte{channel & 0x0F, uint8(p)}, data...)}
	_, err := c.Do(ctx, req)
	return err
}

// SetLANConfigCommitted writes a parameter inside the set-in-progress
// protocol: set in progress (1), the write, commit (2), complete (0), as
// ipmitool does. BMCs that apply changes only on commit (ipmi_sim among
// them) need it; the lock steps are optional in the spec, so their
// failures are ignored and only the write itself can fail.
func (c *Client) SetLANConfigCommitted(ctx context.Context, channel uint8, p LANParam, data []byte) error {
	locked := false
	if b, err := c.GetLANConfig(ctx, channel, LANSetInProgress, 0, 0); err == nil && len(b) >= 1 {
		locked = b[0]&3 == LANStateInProgress
		if !locked {
			locked = c.SetLANConfig(ctx, channel, LANSetInProgress, []byte{LANStateInProgress}) == nil
		}
	}
	err := c.SetLANConfig(ctx, channel, p, data)
	if locked {
		if cerr := c.SetLANConfig(ctx, channel, LANSetInProgress, []byte{LANStateCommit}); cerr != nil && ctx.Err() != nil {
			return cerr
		}
		_ = c.SetLANConfig(ctx, channel, LANSetInProgress, []byte{LANStateComplete})
	}
	return err
}

// MAC is a 48-bit Ethernet address; it prints as ipmitool does.
type MAC [6]byte

func (m MAC) String() string {
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5])
}

// MarshalText makes JSON show the colon form.
func (m MAC) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// IPHeader is parameter 7 (IPv4 header parameters for BMC-sent packets).
type IPHeader struct {
	TTL        uint8 `json:"ttl"`
	Flags      uint8 `json:"flags"`      // bits 7:5 of byte 2
	Precedence uint8 `json:"precedence"` // bits 7:5 of byte 3
	TOS        uint8 `json:"tos"`        // bits 4:1 of byte 3
}

// ARPControl is parameter 10.
type ARPControl struct {
	Respond  bool `json:"arp_responses"`
	Generate bool `json:"gratuitous_arp"`
}

// VLAN is parameter 20.
type VLAN struct {
	Enabled bool   `json:"enabled"`
	ID      uint16 `json:"id"`
}

// BadPasswordThreshold is parameter 26.
type BadPasswordThreshold struct {
	GenerateEvent bool  `json:"generate_event"`
	Threshold     uint8 `json:"threshold"`
	// Intervals in units of 10 seconds, as sent.
	ResetInterval   uint16 `json:"reset_interval_10s"`
	LockoutInterval uint16 `json:"lockout_interval_10s"`
}

func lanNeed(p LANParam, b []byte, n int) error {
	return need(fmt.Sprintf("LAN parameter %d", p), b, n)
}

// DecodeLANByte returns the first byte of a one-byte parameter (set in
// progress, auth type support, IP source, GARP interval, VLAN priority,
// cipher suite count).
func DecodeLANByte(p LANParam, b []byte) (uint8, error) {
	if err := lanNeed(p, b, 1); err != nil {
		return 0, err
	}
	return b[0], nil
}

// DecodeLANAuthEnables decodes parameter 2: the IPMI 1.5 auth type bits
// enabled for callback, user, operator, admin and OEM privilege.
func DecodeLANAuthEnables(b []byte) ([5]uint8, error) {
	var out [5]uint8
	if err := lanNeed(LANAuthTypeEnables, b, 5); err != nil {
		return out, err
	}
	for i := range out {
		out[i] = b[i] & 0x3F
	}
	return out, nil
}

// DecodeLANIPv4 decodes an IPv4 address parameter (3, 6, 12, 14).
func DecodeLANIPv4(p LANParam, b []byte) (netip.Addr, error) {
	if err := lanNeed(p, b, 4); err != nil {
		return netip.Addr{}, err
	}
	return netip.AddrFrom4([4]byte(b[:4])), nil
}

// DecodeLANMAC decodes a MAC address parameter (5, 13, 15).
func DecodeLANMAC(p LANParam, b []byte) (MAC, error) {
	if err := lanNeed(p, b, 6); err != nil {
		return MAC{}, err
	}
	return MAC(b[:6]), nil
}

// DecodeLANIPHeader decodes parameter 7.
func DecodeLANIPHeader(b []byte) (IPHeader, error) {
	if err := lanNeed(LANIPHeader, b, 3); err != nil {
		return IPHeader{}, err
	}
	return IPHeader{TTL: b[0], Flags: b[1] & 0xE0, Precedence: b[2] & 0xE0, TOS: b[2] & 0x1E}, nil
}

// DecodeLANARPControl decodes parameter 10.
func DecodeLANARPControl(b []byte) (ARPControl, error) {
	if err := lanNeed(LANARPControl, b, 1); err != nil {
		return ARPControl{}, err
	}
	return ARPControl{Respond: b[0]&0x02 != 0, Generate: b[0]&0x01 != 0}, nil
}

// DecodeLANCommunity decodes parameter 16 (18 bytes, NUL padded).
func DecodeLANCommunity(b []byte) (string, error) {
	if err := lanNeed(LANCommunity, b, 1); err != nil {
		return "", err
	}
	s := b[:min(len(b), 18)]
	if i := bytes.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return string(s), nil
}

// DecodeLANVLANID decodes parameter 20.
func DecodeLANVLANID(b []byte) (VLAN, error) {
	if err := lanNeed(LANVLANID, b, 2); err != nil {
		return VLAN{}, err
	}
	return VLAN{Enabled: b[1]&0x80 != 0, ID: uint16(b[1]&0x0F)<<8 | uint16(b[0])}, nil
}

// ErrCipherListTooLong: parameter 23 carries at most 16 suite IDs.
var ErrCipherListTooLong = errors.New("cipher suite list longer than 16 entries")

// DecodeLANCipherSuites decodes parameter 23 (a reserved byte, then the
// suite IDs), keeping the first count IDs as parameter 22 says.
func DecodeLANCipherSuites(b []byte, count uint8) ([]uint8, error) {
	if err := lanNeed(LANCipherSuites, b, 1); err != nil {
		return nil, err
	}
	if len(b) > 17 {
		return nil, ErrCipherListTooLong
	}
	n := min(int(count), 16, len(b)-1)
	return append([]uint8{}, b[1:1+n]...), nil
}

// DecodeLANCipherPrivileges decodes parameter 24: the maximum privilege
// for each entry of the parameter 23 list (entry 0 in the low nibble of
// byte 1). It must be exactly 9 bytes.
func DecodeLANCipherPrivileges(b []byte) ([16]Privilege, error) {
	var out [16]Privilege
	if len(b) != 9 {
		return out, &FormatError{What: "LAN parameter 24", Offset: len(b), Msg: fmt.Sprintf("%d bytes, want 9", len(b))}
	}
	for i := range out {
		out[i] = Privilege(b[1+i/2] >> (4 * (i % 2)) & 0x0F)
	}
	return out, nil
}

// EncodeLANCipherPrivileges is the inverse of DecodeLANCipherPrivileges.
func EncodeLANCipherPrivileges(privs [16]Privilege) []byte {
	out := make([]byte, 9)
	for i, p := range privs {
		out[1+i/2] |= (uint8(p) & 0x0F) << (4 * (i % 2))
	}
	return out
}

// DecodeLANBadPassword decodes parameter 26 (exactly 6 bytes).
func DecodeLANBadPassword(b []byte) (BadPasswordThreshold, error) {
	if len(b) != 6 {
		return BadPasswordThreshold{}, &FormatError{What: "LAN parameter 26", Offset: len(b), Msg: fmt.Sprintf("%d bytes, want 6", len(b))}
	}
	return BadPasswordThreshold{
		GenerateEvent:   b[0]&1 != 0,
		Threshold:       b[1],
		ResetInterval:   binary.LittleEndian.Uint16(b[2:4]),
		LockoutInterval: binary.LittleEndian.Uint16(b[4:6]),
	}, nil
}

// LANStatistics is the Get IP/UDP/RMCP Statistics response (Transport
// 0x04). The counters are sent least significant byte first, as every
// IPMI multi-byte field (ipmitool 1.8.19 reads them the other way round).
type LANStatistics struct {
	IPRx            uint16 `json:"ip_rx_packets"`
	IPRxHeaderErr   uint16 `json:"ip_rx_header_errors"`
	IPRxAddressErr  uint16 `json:"ip_rx_address_errors"`
	IPRxFragmented  uint16 `json:"ip_rx_fragmented"`
	IPTx            uint16 `json:"ip_tx_packets"`
	UDPRx           uint16 `json:"udp_rx_packets"`
	RMCPRxValid     uint16 `json:"rmcp_rx_valid"`
	UDPProxyRx      uint16 `json:"udp_proxy_rx"`
	UDPProxyDropped uint16 `json:"udp_proxy_dropped"`
}

// DecodeLANStatistics decodes the response data.
func DecodeLANStatistics(b []byte) (*LANStatistics, error) {
	if err := need("Get IP/UDP/RMCP Statistics response", b, 18); err != nil {
		return nil, err
	}
	u := func(i int) uint16 { return binary.LittleEndian.Uint16(b[2*i:]) }
	return &LANStatistics{u(0), u(1), u(2), u(3), u(4), u(5), u(6), u(7), u(8)}, nil
}

// GetLANStatistics reads (and with clear, then zeroes) the counters.
func (c *Client) GetLANStatistics(ctx context.Context, channel uint8, clear bool) (*LANStatistics, error) {
	var cl uint8
	if clear {
		cl = 1
	}
	b, err := c.do(ctx, NetFnTransport, CmdGetIPStatistics, channel&0x0F, cl)
	if err != nil {
		return nil, err
	}
	if clear && len(b) == 0 {
		return &LANStatistics{}, nil
	}
	return DecodeLANStatistics(b)
}

// LANConfig is what "lan print" shows. A nil field is a parameter the BMC
// does not support (completion code 0x80, 0xC9 or 0xCC) or answered with
// too few bytes; ipmitool leaves those lines out.
type LANConfig struct {
	Channel          uint8       `json:"channel"`
	SetInProgress    *uint8      `json:"set_in_progress,omitempty"`
	AuthTypes        *uint8      `json:"auth_type_support,omitempty"`
	AuthEnables      *[5]uint8   `json:"auth_type_enables,omitempty"`
	IPSource         *uint8      `json:"ip_source,omitempty"`
	IP               *netip.Addr `json:"ip_address,omitempty"`
	Netmask          *netip.Addr `json:"subnet_mask,omitempty"`
	MAC              *MAC        `json:"mac_address,omitempty"`
	Community        *string     `json:"snmp_community,omitempty"`
	IPHeader         *IPHeader   `json:"ip_header,omitempty"`
	ARP              *ARPControl `json:"arp_control,omitempty"`
	GARPInterval     *uint8      `json:"gratuitous_arp_interval,omitempty"` // 500 ms units
	GatewayIP        *netip.Addr `json:"default_gateway_ip,omitempty"`
	GatewayMAC       *MAC        `json:"default_gateway_mac,omitempty"`
	BackupGatewayIP  *netip.Addr `json:"backup_gateway_ip,omitempty"`
	BackupGatewayMAC *MAC        `json:"backup_gateway_mac,omitempty"`
	VLAN             *VLAN       `json:"vlan,omitempty"`
	VLANPriority     *uint8      `json:"vlan_priority,omitempty"`
	// CipherCount is parameter 22; CipherSuites is nil when parameter 23
	// could not be read or was malformed (ipmitool prints "None").
	CipherCount      *uint8                `json:"cipher_suite_count,omitempty"`
	CipherSuites     ByteList              `json:"cipher_suites,omitempty"`
	CipherPrivileges *[16]Privilege        `json:"cipher_suite_privileges,omitempty"`
	BadPassword      *BadPasswordThreshold `json:"bad_password_threshold,omitempty"`
}

// lanUnsupported reports the completion codes ipmitool treats as "this
// parameter is not supported" rather than as a failure.
func lanUnsupported(err error) bool {
	return IsCompletion(err, CodeParameterNotSupported) || IsCompletion(err, CodeParameterOutOfRange) ||
		IsCompletion(err, CodeInvalidDataField)
}

// setIf returns a setter that stores a decoded value in *dst only when
// decoding succeeded.
func setIf[T any](dst **T) func(T, error) {
	return func(v T, err error) {
		if err == nil {
			*dst = &v
		}
	}
}

// ReadLANConfig reads every parameter "lan print" shows, in its order.
// Unsupported parameters stay nil. Any other failure stops the walk and
// returns what was read so far with the error.
func (c *Client) ReadLANConfig(ctx context.Context, channel uint8) (*LANConfig, error) {
	cfg := &LANConfig{Channel: channel}
	get := func(p LANParam) ([]byte, bool, error) {
		b, err := c.GetLANConfig(ctx, channel, p, 0, 0)
		if err != nil {
			if lanUnsupported(err) {
				return nil, false, nil
			}
			return nil, false, err
		}
		return b, true, nil
	}
	// Each step decodes one parameter; a malformed one is left nil.
	type step struct {
		p   LANParam
		set func(b []byte)
	}
	ipv4 := func(p LANParam, dst **netip.Addr) step {
		return step{p, func(b []byte) { setIf(dst)(DecodeLANIPv4(p, b)) }}
	}
	mac := func(p LANParam, dst **MAC) step {
		return step{p, func(b []byte) { setIf(dst)(DecodeLANMAC(p, b)) }}
	}
	one := func(p LANParam, dst **uint8) step {
		return step{p, func(b []byte) { setIf(dst)(DecodeLANByte(p, b)) }}
	}
	steps := []step{
		one(LANSetInProgress, &cfg.SetInProgress),
		one(LANAuthTypeSupport, &cfg.AuthTypes),
		{LANAuthTypeEnables, func(b []byte) { setIf(&cfg.AuthEnables)(DecodeLANAuthEnables(b)) }},
		one(LANIPSource, &cfg.IPSource),
		ipv4(LANIPAddress, &cfg.IP),
		ipv4(LANSubnetMask, &cfg.Netmask),
		mac(LANMACAddress, &cfg.MAC),
		{LANCommunity, func(b []byte) { setIf(&cfg.Community)(DecodeLANCommunity(b)) }},
		{LANIPHeader, func(b []byte) { setIf(&cfg.IPHeader)(DecodeLANIPHeader(b)) }},
		{LANARPControl, func(b []byte) { setIf(&cfg.ARP)(DecodeLANARPControl(b)) }},
		one(LANGratuitousARP, &cfg.GARPInterval),
		ipv4(LANDefaultGatewayIP, &cfg.GatewayIP),
		mac(LANDefaultGateway, &cfg.GatewayMAC),
		ipv4(LANBackupGatewayIP, &cfg.BackupGatewayIP),
		mac(LANBackupGateway, &cfg.BackupGatewayMAC),
		{LANVLANID, func(b []byte) { setIf(&cfg.VLAN)(DecodeLANVLANID(b)) }},
		one(LANVLANPriority, &cfg.VLANPriority),
		one(LANCipherCount, &cfg.CipherCount),
	}
	for _, s := range steps {
		b, ok, err := get(s.p)
		if err != nil {
			return cfg, err
		}
		if ok {
			s.set(b)
		}
	}
	if cfg.CipherCount != nil {
		b, ok, err := get(LANCipherSuites)
		if err != nil {
			return cfg, err
		}
		if ok {
			if ids, err := DecodeLANCipherSuites(b, *cfg.CipherCount); err == nil {
				cfg.CipherSuites = ids
			}
		}
	}
	b, ok, err := get(LANCipherPrivileges)
	if err != nil {
		return cfg, err
	}
	if ok {
		setIf(&cfg.CipherPrivileges)(DecodeLANCipherPrivileges(b))
	}
	b, ok, err = get(LANBadPassword)
	if err != nil {
		return cfg, err
	}
	if ok {
		setIf(&cfg.BadPassword)(DecodeLANBadPassword(b))
	}
	return cfg, nil
}
