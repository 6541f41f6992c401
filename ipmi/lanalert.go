package ipmi

import (
	"context"
	"fmt"
	"net/netip"
)

// LAN alert destination parameters (IPMI v2.0 table 23-4). Each is read
// and written per destination with the set selector; destination 0 is
// the volatile one, 1..count (parameter 17) are non-volatile.
const (
	LANDestinationType    LANParam = 18
	LANDestinationAddress LANParam = 19
)

// Alert destination types (parameter 18, byte 2 bits 2:0).
const (
	AlertDestPETTrap = 0
	AlertDestOEM1    = 6
	AlertDestOEM2    = 7
)

// Sizes of the destination parameters as ipmitool requires them: a
// shorter answer is not printed, and writes send back what was read.
const (
	lanDestTypeLen    = 4
	lanDestAddressLen = 13
	lanDestMaxLen     = 32 // longest parameter data written back
)

// LANAlertDestination is one alert destination: parameter 18 (type,
// acknowledge, timeout, retries) and parameter 19 (addresses) of one set
// selector.
type LANAlertDestination struct {
	// Destination is the set selector byte as the BMC answered it.
	Destination uint8 `json:"destination"`
	Acknowledge bool  `json:"acknowledge"`
	Type        uint8 `json:"type"` // AlertDest*
	// Timeout is the acknowledge timeout (Acknowledge) or the retry
	// interval, in seconds.
	Timeout uint8 `json:"timeout_s"`
	Retries uint8 `json:"retries"`
	// AddressFormat 0 is IPv4 and MAC; only then are the addresses set.
	AddressFormat uint8       `json:"address_format"`
	BackupGateway bool        `json:"backup_gateway"`
	IP            *netip.Addr `json:"ip_address,omitempty"`
	MAC           *MAC        `json:"mac_address,omitempty"`
}

// DecodeLANAlertDestination decodes the data of parameters 18 (at least
// 4 bytes) and 19 (at least 13 bytes) of one destination.
func DecodeLANAlertDestination(typ, addr []byte) (*LANAlertDestination, error) {
	if err := lanNeed(LANDestinationType, typ, lanDestTypeLen); err != nil {
		return nil, err
	}
	if err := lanNeed(LANDestinationAddress, addr, lanDestAddressLen); err != nil {
		return nil, err
	}
	d := &LANAlertDestination{
		Destination:   typ[0],
		Acknowledge:   typ[1]&0x80 != 0,
		Type:          typ[1] & 0x07,
		Timeout:       typ[2],
		Retries:       typ[3] & 0x07,
		AddressFormat: addr[1] >> 4,
		BackupGateway: addr[2]&0x01 != 0,
	}
	if d.AddressFormat == 0 {
		ip := netip.AddrFrom4([4]byte(addr[3:7]))
		mac := MAC(addr[7:13])
		d.IP, d.MAC = &ip, &mac
	}
	return d, nil
}

// GetLANDestinationCount reads parameter 17: the number of non-volatile
// alert destinations (so valid selectors are 0..count).
func (c *Client) GetLANDestinationCount(ctx context.Context, channel uint8) (uint8, error) {
	b, err := c.GetLANConfig(ctx, channel, LANDestinationCount, 0, 0)
	if err != nil {
		return 0, err
	}
	v, err := DecodeLANByte(LANDestinationCount, b)
	return v & 0x0F, err
}

// ReadLANAlertDestination reads parameters 18 and 19 of destination dest.
func (c *Client) ReadLANAlertDestination(ctx context.Context, channel, dest uint8) (*LANAlertDestination, error) {
	typ, err := c.GetLANConfig(ctx, channel, LANDestinationType, dest, 0)
	if err != nil {
		return nil, err
	}
	addr, err := c.GetLANConfig(ctx, channel, LANDestinationAddress, dest, 0)
	if err != nil {
		return nil, err
	}
	return DecodeLANAlertDestination(typ, addr)
}

// LANAlertChange is an edit of one field of an alert destination: which
// parameter it lives in and how it changes that parameter's data.
type LANAlertChange struct {
	Param LANParam
	apply func(b []byte)
}

// AlertSetIP sets the destination IPv4 address.
func AlertSetIP(ip [4]byte) LANAlertChange {
	return LANAlertChange{LANDestinationAddress, func(b []byte) { copy(b[3:7], ip[:]) }}
}

// AlertSetMAC sets the destination MAC address.
func AlertSetMAC(m MAC) LANAlertChange {
	return LANAlertChange{LANDestinationAddress, func(b []byte) { copy(b[7:13], m[:]) }}
}

// AlertSetGateway selects the backup (true) or default gateway. The
// whole byte is written, as ipmitool does.
func AlertSetGateway(backup bool) LANAlertChange {
	return LANAlertChange{LANDestinationAddress, func(b []byte) { b[2] = boolBit(backup, 0x01) }}
}

// AlertSetAcknowledge turns alert acknowledgement on or off.
func AlertSetAcknowledge(on bool) LANAlertChange {
	return LANAlertChange{LANDestinationType, func(b []byte) { b[1] = b[1]&^0x80 | boolBit(on, 0x80) }}
}

// AlertSetType sets the destination type (AlertDest*).
func AlertSetType(t uint8) LANAlertChange {
	return LANAlertChange{LANDestinationType, func(b []byte) { b[1] = b[1]&^0x07 | t&0x07 }}
}

// AlertSetTimeout sets the acknowledge timeout / retry interval.
func AlertSetTimeout(seconds uint8) LANAlertChange {
	return LANAlertChange{LANDestinationType, func(b []byte) { b[2] = seconds }}
}

// AlertSetRetries sets the number of retries (0-7); the reserved bits
// of the byte are cleared, as ipmitool does.
func AlertSetRetries(n uint8) LANAlertChange {
	return LANAlertChange{LANDestinationType, func(b []byte) { b[3] = n & 0x07 }}
}

func boolBit(on bool, bit uint8) uint8 {
	if on {
		return bit
	}
	return 0
}

// PrepareLANAlertChange applies ch to cur, the current data of its
// parameter for destination dest, and returns the data to write: the
// same length as read, with the set selector byte forced to dest so the
// write cannot land on another destination.
func PrepareLANAlertChange(ch LANAlertChange, dest uint8, cur []byte) ([]byte, error) {
	minLen := lanDestAddressLen
	if ch.Param == LANDestinationType {
		minLen = lanDestTypeLen
	}
	if err := lanNeed(ch.Param, cur, minLen); err != nil {
		return nil, err
	}
	if len(cur) > lanDestMaxLen {
		return nil, &FormatError{What: fmt.Sprintf("LAN parameter %d", ch.Param), Offset: lanDestMaxLen,
			Msg: fmt.Sprintf("%d bytes, at most %d expected", len(cur), lanDestMaxLen)}
	}
	out := append([]byte(nil), cur...)
	out[0] = cur[0]&0xF0 | dest&0x0F
	ch.apply(out)
	return out, nil
}
