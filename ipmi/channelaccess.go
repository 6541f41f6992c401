package ipmi

import (
	"context"
	"fmt"
)

// Channel configuration command numbers (App netfn, IPMI v2.0 22.22-22.24).
const (
	CmdSetChannelAccess = 0x40
	CmdGetChannelAccess = 0x41
	CmdGetChannelInfo   = 0x42
)

// ChannelMedium is a channel medium type (IPMI v2.0 table 6-3).
type ChannelMedium uint8

// Channel media clients look for.
const (
	MediumIPMB     ChannelMedium = 0x01
	MediumLAN      ChannelMedium = 0x04
	MediumSerial   ChannelMedium = 0x05
	MediumOtherLAN ChannelMedium = 0x06
	MediumSystem   ChannelMedium = 0x0C
)

var mediumNames = [...]string{
	"reserved", "IPMB (I2C)", "ICMB v1.0", "ICMB v0.9", "802.3 LAN", "Serial/Modem",
	"Other LAN", "PCI SMBus", "SMBus v1.0/v1.1", "SMBus v2.0", "USB 1.x", "USB 2.x",
	"System Interface",
}

// String returns ipmitool's name for the medium.
func (m ChannelMedium) String() string {
	if int(m) < len(mediumNames) {
		return mediumNames[m]
	}
	return fmt.Sprintf("Unknown (0x%02X)", uint8(m))
}

// IsLAN reports whether the medium is 802.3 LAN or another LAN.
func (m ChannelMedium) IsLAN() bool { return m == MediumLAN || m == MediumOtherLAN }

// ChannelProtocol is a channel protocol type (IPMI v2.0 table 6-2).
type ChannelProtocol uint8

var protocolNames = map[ChannelProtocol]string{
	0x00: "reserved", 0x01: "IPMB-1.0", 0x02: "ICMB-1.0", 0x03: "reserved", 0x04: "IPMI-SMBus",
	0x05: "KCS", 0x06: "SMIC", 0x07: "BT-10", 0x08: "BT-15", 0x09: "TMode",
	0x1C: "OEM 1", 0x1D: "OEM 2", 0x1E: "OEM 3", 0x1F: "OEM 4",
}

// String returns ipmitool's name for the protocol.
func (p ChannelProtocol) String() string {
	if s, ok := protocolNames[p]; ok {
		return s
	}
	return fmt.Sprintf("Unknown (0x%02X)", uint8(p))
}

// Session support values of Get Channel Info (byte 4 bits 7:6).
const (
	SessionLess   = 0
	SessionSingle = 1
	SessionMulti  = 2
	SessionBased  = 3
)

// ChannelInfo is the Get Channel Info response (IPMI v2.0 table 22-28).
type ChannelInfo struct {
	Channel        uint8           `json:"channel"`
	Medium         ChannelMedium   `json:"medium"`
	Protocol       ChannelProtocol `json:"protocol"`
	SessionSupport uint8           `json:"session_support"`
	ActiveSessions uint8           `json:"active_sessions"`
	VendorID       uint32          `json:"protocol_vendor_id"`
	Aux            [2]uint8        `json:"aux_info"`
}

// DecodeChannelInfo decodes the response data (after the completion code).
func DecodeChannelInfo(b []byte) (*ChannelInfo, error) {
	if err := need("Get Channel Info response", b, 9); err != nil {
		return nil, err
	}
	return &ChannelInfo{
		Channel:        b[0] & 0x0F,
		Medium:         ChannelMedium(b[1] & 0x7F),
		Protocol:       ChannelProtocol(b[2] & 0x1F),
		SessionSupport: b[3] >> 6,
		ActiveSessions: b[3] & 0x3F,
		VendorID:       uint32(b[4]) | uint32(b[5])<<8 | uint32(b[6])<<16,
		Aux:            [2]uint8{b[7], b[8]},
	}, nil
}

// GetChannelInfo reads the description of channel.
func (c *Client) GetChannelInfo(ctx context.Context, channel uint8) (*ChannelInfo, error) {
	b, err := c.do(ctx, NetFnApp, CmdGetChannelInfo, channel&0x0F)
	if err != nil {
		return nil, err
	}
	return DecodeChannelInfo(b)
}

// FindLANChannel returns the first channel from 1 to 11 whose medium is
// LAN (ipmitool's default channel for lan print), or an error when none.
func (c *Client) FindLANChannel(ctx context.Context) (uint8, error) {
	for ch := uint8(1); ch < 0x0C; ch++ {
		info, err := c.GetChannelInfo(ctx, ch)
		if err != nil {
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			continue
		}
		if info.Medium.IsLAN() {
			return ch, nil
		}
	}
	return 0, fmt.Errorf("no LAN channel found")
}

// Channel access modes (IPMI v2.0 table 22-25).
const (
	AccessDisabled = 0
	AccessPreBoot  = 1
	AccessAlways   = 2
	AccessShared   = 3
)

// ChannelAccess is a channel's access setting (Get/Set Channel Access).
// The three Disabled flags mirror the bits, which are set to disable.
type ChannelAccess struct {
	AlertingDisabled       bool      `json:"alerting_disabled"`
	PerMessageAuthDisabled bool      `json:"per_message_auth_disabled"`
	UserLevelAuthDisabled  bool      `json:"user_level_auth_disabled"`
	AccessMode             uint8     `json:"access_mode"`
	PrivilegeLimit         Privilege `json:"privilege_limit"`
}

// DecodeChannelAccess decodes the Get Channel Access response data.
func DecodeChannelAccess(b []byte) (*ChannelAccess, error) {
	if err := need("Get Channel Access response", b, 2); err != nil {
		return nil, err
	}
	return &ChannelAccess{
		AlertingDisabled:       b[0]&0x20 != 0,
		PerMessageAuthDisabled: b[0]&0x10 != 0,
		UserLevelAuthDisabled:  b[0]&0x08 != 0,
		AccessMode:             b[0] & 0x07,
		PrivilegeLimit:         Privilege(b[1] & 0x0F),
	}, nil
}

// GetChannelAccess reads the volatile (active) or non-volatile settings.
func (c *Client) GetChannelAccess(ctx context.Context, channel uint8, volatile bool) (*ChannelAccess, error) {
	sel := uint8(0x40)
	if volatile {
		sel = 0x80
	}
	b, err := c.do(ctx, NetFnApp, CmdGetChannelAccess, channel&0x0F, sel)
	if err != nil {
		return nil, err
	}
	return DecodeChannelAccess(b)
}

// Which settings Set Channel Access writes (its option fields).
const (
	AccessOptionKeep        = 0 // do not change
	AccessOptionNonVolatile = 1
	AccessOptionVolatile    = 2
)

// SetChannelAccess writes a with the given options for the access bits
// and for the privilege limit (AccessOption*).
func (c *Client) SetChannelAccess(ctx context.Context, channel uint8, a ChannelAccess, accessOpt, privOpt uint8) error {
	b1 := (accessOpt&3)<<6 | a.AccessMode&0x07
	if a.AlertingDisabled {
		b1 |= 0x20
	}
	if a.PerMessageAuthDisabled {
		b1 |= 0x10
	}
	if a.UserLevelAuthDisabled {
		b1 |= 0x08
	}
	b2 := (privOpt&3)<<6 | uint8(a.PrivilegeLimit)&0x0F
	_, err := c.do(ctx, NetFnApp, CmdSetChannelAccess, channel&0x0F, b1, b2)
	return err
}

// Payload types for Get Channel Cipher Suites.
const (
	PayloadIPMI = 0
	PayloadSOL  = 1
)

// GetChannelCipherSuiteRecords reads the raw cipher suite record bytes of
// channel for payload type payload (PayloadIPMI or PayloadSOL); decode
// them with DecodeCipherSuiteRecords.
func (c *Client) GetChannelCipherSuiteRecords(ctx context.Context, channel, payload uint8) ([]byte, error) {
	var all []byte
	for idx := uint8(0); idx < maxCipherSuiteIndex; idx++ {
		b, err := c.do(ctx, NetFnApp, CmdGetChannelCipherSuites, channel&0x0F, payload&0x3F, 0x80|idx)
		if err != nil {
			return nil, err
		}
		if len(b) > 17 {
			return nil, &FormatError{What: "Get Channel Cipher Suites response", Offset: 17,
				Msg: fmt.Sprintf("%d bytes, at most 17 allowed", len(b))}
		}
		r, more, err := DecodeCipherSuitesChunk(b)
		if err != nil {
			return nil, err
		}
		all = append(all, r...)
		if !more {
			break
		}
	}
	return all, nil
}
