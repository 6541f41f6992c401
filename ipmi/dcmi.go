package ipmi

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
)

// DCMI (Data Center Manageability Interface) commands are group extension
// commands (netfn 0x2C) whose first data byte is the group ID 0xDC.
const (
	DCMIGroupID            = 0xDC
	CmdDCMIGetCapabilities = 0x01
	CmdDCMIGetPowerReading = 0x02
	CmdDCMIGetPowerLimit   = 0x03
)

// CodeNoActivePowerLimit is Get Power Limit's "no limit is active".
const CodeNoActivePowerLimit CompletionCode = 0x80

// ErrDCMIUnsupported is returned (wrapped) when the BMC rejects the DCMI
// group extension as an unknown command.
var ErrDCMIUnsupported = errors.New("this BMC does not support DCMI")

// dcmi sends a DCMI command and checks the group ID of the answer.
func (c *Client) dcmi(ctx context.Context, cmd uint8, data ...byte) ([]byte, error) {
	b, err := c.do(ctx, NetFnGroupExt, cmd, append([]byte{DCMIGroupID}, data...)...)
	if err != nil {
		if IsCompletion(err, CodeInvalidCommand) {
			return nil, fmt.Errorf("%w: %v", ErrDCMIUnsupported, err)
		}
		return nil, err
	}
	return b, checkDCMIGroup(b)
}

func checkDCMIGroup(b []byte) error {
	if err := need("DCMI response", b, 1); err != nil {
		return err
	}
	if b[0] != DCMIGroupID {
		return &FormatError{What: "DCMI response", Offset: 0, Msg: fmt.Sprintf("group ID 0x%02x, want 0xdc", b[0])}
	}
	return nil
}

// DCMI capability parameters (DCMI 1.5 table 6-3).
const (
	DCMICapSupported     = 1
	DCMICapMandatory     = 2
	DCMICapOptional      = 3
	DCMICapManageability = 4
	DCMICapPowerStats    = 5
)

// DCMICapabilities is parameter 1 and 2 of Get DCMI Capabilities Info.
type DCMICapabilities struct {
	Major    uint8 `json:"major"`
	Minor    uint8 `json:"minor"`
	Revision uint8 `json:"parameter_revision"`
	// Parameter 1: supported capabilities.
	PowerManagement bool `json:"power_management"`
	InBandKCS       bool `json:"in_band_system_interface"`
	SerialTMode     bool `json:"serial_tmode"`
	SecondaryLAN    bool `json:"secondary_lan"`
	PrimaryLAN      bool `json:"primary_lan"`
	SOL             bool `json:"sol"`
	VLAN            bool `json:"vlan"`
}

// DCMIPlatformAttributes is parameter 2 (mandatory platform attributes).
type DCMIPlatformAttributes struct {
	SELEntries         uint16 `json:"sel_max_entries"`
	SELFlushOnRollover bool   `json:"sel_flush_on_rollover"`
	GUID               bool   `json:"guid"`
	DHCPHostName       bool   `json:"dhcp_host_name"`
	AssetTag           bool   `json:"asset_tag"`
	InletTemp          bool   `json:"inlet_temperature"`
	ProcessorTemp      bool   `json:"processor_temperature"`
	BaseboardTemp      bool   `json:"baseboard_temperature"`
	TempSampleSecs     uint8  `json:"temperature_sampling_seconds"`
}

// decodeDCMICapHeader returns major, minor, revision and the parameter data.
func decodeDCMICapHeader(b []byte, n int) ([]byte, error) {
	if err := checkDCMIGroup(b); err != nil {
		return nil, err
	}
	if err := need("Get DCMI Capabilities Info response", b, 4+n); err != nil {
		return nil, err
	}
	return b[4:], nil
}

// DecodeDCMICapabilities decodes a parameter 1 response (group ID first).
func DecodeDCMICapabilities(b []byte) (*DCMICapabilities, error) {
	d, err := decodeDCMICapHeader(b, 3)
	if err != nil {
		return nil, err
	}
	return &DCMICapabilities{
		Major: b[1], Minor: b[2], Revision: b[3],
		PowerManagement: d[1]&0x01 != 0,
		InBandKCS:       d[2]&0x01 != 0,
		SerialTMode:     d[2]&0x02 != 0,
		SecondaryLAN:    d[2]&0x04 != 0,
		PrimaryLAN:      d[2]&0x08 != 0,
		SOL:             d[2]&0x10 != 0,
		VLAN:            d[2]&0x20 != 0,
	}, nil
}

// DecodeDCMIPlatformAttributes decodes a parameter 2 response.
func DecodeDCMIPlatformAttributes(b []byte) (*DCMIPlatformAttributes, error) {
	d, err := decodeDCMICapHeader(b, 5)
	if err != nil {
		return nil, err
	}
	sel := binary.LittleEndian.Uint16(d[0:2])
	return &DCMIPlatformAttributes{
		SELEntries:         sel & 0x0FFF,
		SELFlushOnRollover: sel&0x8000 != 0,
		GUID:               d[2]&0x01 != 0,
		DHCPHostName:       d[2]&0x02 != 0,
		AssetTag:           d[2]&0x04 != 0,
		InletTemp:          d[3]&0x01 != 0,
		ProcessorTemp:      d[3]&0x02 != 0,
		BaseboardTemp:      d[3]&0x04 != 0,
		TempSampleSecs:     d[4],
	}, nil
}

// GetDCMICapabilities reads parameters 1 and 2 of Get DCMI Capabilities
// Info. A BMC without DCMI fails with an error wrapping ErrDCMIUnsupported.
func (c *Client) GetDCMICapabilities(ctx context.Context) (*DCMICapabilities, *DCMIPlatformAttributes, error) {
	b, err := c.dcmi(ctx, CmdDCMIGetCapabilities, DCMICapSupported)
	if err != nil {
		return nil, nil, err
	}
	caps, err := DecodeDCMICapabilities(b)
	if err != nil {
		return nil, nil, err
	}
	b, err = c.dcmi(ctx, CmdDCMIGetCapabilities, DCMICapMandatory)
	if err != nil {
		return caps, nil, err
	}
	attrs, err := DecodeDCMIPlatformAttributes(b)
	return caps, attrs, err
}

// PowerReading is the Get Power Reading response (system power statistics).
type PowerReading struct {
	Current    uint16 `json:"current_watts"`
	Minimum    uint16 `json:"minimum_watts"`
	Maximum    uint16 `json:"maximum_watts"`
	Average    uint16 `json:"average_watts"`
	Timestamp  uint32 `json:"timestamp"`
	PeriodMsec uint32 `json:"sampling_period_ms"`
	Active     bool   `json:"reading_active"`
}

// DecodePowerReading decodes the response data (group ID first).
func DecodePowerReading(b []byte) (*PowerReading, error) {
	if err := checkDCMIGroup(b); err != nil {
		return nil, err
	}
	if err := need("Get Power Reading response", b, 18); err != nil {
		return nil, err
	}
	u16 := func(i int) uint16 { return binary.LittleEndian.Uint16(b[i:]) }
	return &PowerReading{
		Current: u16(1), Minimum: u16(3), Maximum: u16(5), Average: u16(7),
		Timestamp:  binary.LittleEndian.Uint32(b[9:13]),
		PeriodMsec: binary.LittleEndian.Uint32(b[13:17]),
		Active:     b[17]&0x40 != 0,
	}, nil
}

// GetPowerReading reads the system power statistics (mode 1).
func (c *Client) GetPowerReading(ctx context.Context) (*PowerReading, error) {
	b, err := c.dcmi(ctx, CmdDCMIGetPowerReading, 0x01, 0x00, 0x00)
	if err != nil {
		return nil, err
	}
	return DecodePowerReading(b)
}

// PowerLimit is the Get Power Limit response.
type PowerLimit struct {
	Active          bool   `json:"active"` // false when the BMC answered 0x80
	ExceptionAction uint8  `json:"exception_action"`
	LimitWatts      uint16 `json:"limit_watts"`
	CorrectionMsec  uint32 `json:"correction_time_ms"`
	SamplingSecs    uint16 `json:"sampling_period_s"`
}

// DecodePowerLimit decodes the response data (group ID first).
func DecodePowerLimit(b []byte) (*PowerLimit, error) {
	if err := checkDCMIGroup(b); err != nil {
		return nil, err
	}
	if err := need("Get Power Limit response", b, 15); err != nil {
		return nil, err
	}
	return &PowerLimit{
		Active:          true,
		ExceptionAction: b[3],
		LimitWatts:      binary.LittleEndian.Uint16(b[4:6]),
		CorrectionMsec:  binary.LittleEndian.Uint32(b[6:10]),
		SamplingSecs:    binary.LittleEndian.Uint16(b[12:14]),
	}, nil
}

// GetPowerLimit reads the power limit. A BMC with no active limit
// answers 0x80 with the settings anyway; Active is then false.
func (c *Client) GetPowerLimit(ctx context.Context) (*PowerLimit, error) {
	rsp, err := c.Raw(ctx, &Request{NetFn: NetFnGroupExt, Cmd: CmdDCMIGetPowerLimit, Data: []byte{DCMIGroupID, 0, 0}})
	if err != nil {
		return nil, err
	}
	switch rsp.Code {
	case CodeOK:
		return DecodePowerLimit(rsp.Data)
	case CodeNoActivePowerLimit:
		l, derr := DecodePowerLimit(rsp.Data)
		if derr != nil {
			return &PowerLimit{}, nil
		}
		l.Active = false
		return l, nil
	case CodeInvalidCommand:
		return nil, fmt.Errorf("%w: %v", ErrDCMIUnsupported, &CompletionError{NetFn: NetFnGroupExt, Cmd: CmdDCMIGetPowerLimit, Code: rsp.Code})
	}
	return nil, &CompletionError{NetFn: NetFnGroupExt, Cmd: CmdDCMIGetPowerLimit, Code: rsp.Code}
}
