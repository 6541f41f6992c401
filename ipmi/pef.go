package ipmi

import (
	"context"
	"encoding/binary"
)

// Platform Event Filtering command numbers (Sensor/Event netfn, IPMI v2.0 30).
const (
	CmdGetPEFCapabilities      = 0x10
	CmdSetPEFConfig            = 0x12
	CmdGetPEFConfig            = 0x13
	CmdGetLastProcessedEventID = 0x15
)

// PEFParam is a PEF configuration parameter selector (IPMI v2.0 table 30-6).
type PEFParam uint8

// PEF configuration parameters.
const (
	PEFControl           PEFParam = 1
	PEFActionControl     PEFParam = 2
	PEFStartupDelay      PEFParam = 3
	PEFAlertStartupDelay PEFParam = 4
	PEFFilterCount       PEFParam = 5
	PEFFilterEntry       PEFParam = 6
	PEFPolicyCount       PEFParam = 8
	PEFPolicyEntry       PEFParam = 9
	PEFSystemGUID        PEFParam = 10
	PEFAlertStringCount  PEFParam = 11
	PEFAlertStringKeys   PEFParam = 12
	PEFAlertStrings      PEFParam = 13
	pefFilterEntryLen             = 21 // set selector + 20 bytes
	pefPolicyEntryLen             = 4  // set selector + 3 bytes
	pefLastProcessedLen           = 10
	pefCapabilitiesLen            = 3
	pefMaxTableEntries            = 0x7F
)

// PEF action bits (capabilities, global action control, filter actions).
const (
	PEFActionAlert      = 1 << 0
	PEFActionPowerOff   = 1 << 1
	PEFActionReset      = 1 << 2
	PEFActionPowerCycle = 1 << 3
	PEFActionOEM        = 1 << 4
	PEFActionDiagIntr   = 1 << 5
)

// PEFActionNames are the action bit names, bit 0 first (ipmitool's).
var PEFActionNames = []string{"Alert", "Power-off", "Reset", "Power-cycle", "OEM-defined", "Diagnostic-interrupt"}

// PEFCapabilities is the Get PEF Capabilities response.
type PEFCapabilities struct {
	Version     uint8 `json:"version"` // BCD, 0x51 = 1.5
	Actions     uint8 `json:"actions"`
	FilterCount uint8 `json:"event_filter_count"`
}

// DecodePEFCapabilities decodes the response data.
func DecodePEFCapabilities(b []byte) (*PEFCapabilities, error) {
	if err := need("Get PEF Capabilities response", b, pefCapabilitiesLen); err != nil {
		return nil, err
	}
	return &PEFCapabilities{Version: b[0], Actions: b[1] & 0x7F, FilterCount: b[2]}, nil
}

// GetPEFCapabilities reads the PEF version, supported actions and the
// size of the event filter table.
func (c *Client) GetPEFCapabilities(ctx context.Context) (*PEFCapabilities, error) {
	b, err := c.do(ctx, NetFnSensorEvent, CmdGetPEFCapabilities)
	if err != nil {
		return nil, err
	}
	return DecodePEFCapabilities(b)
}

// GetPEFConfig reads one PEF parameter and returns its data without the
// revision byte.
func (c *Client) GetPEFConfig(ctx context.Context, p PEFParam, set, block uint8) ([]byte, error) {
	b, err := c.do(ctx, NetFnSensorEvent, CmdGetPEFConfig, uint8(p)&0x7F, set, block)
	if err != nil {
		return nil, err
	}
	if err := need("Get PEF Configuration Parameters response", b, 1); err != nil {
		return nil, err
	}
	return b[1:], nil
}

// SetPEFConfig writes one PEF parameter.
func (c *Client) SetPEFConfig(ctx context.Context, p PEFParam, data []byte) error {
	_, err := c.Do(ctx, &Request{NetFn: NetFnSensorEvent, Cmd: CmdSetPEFConfig, Data: append([]byte{uint8(p) & 0x7F}, data...)})
	return err
}

// EventFilter is one entry of the event filter table (IPMI v2.0 table 30-7).
type EventFilter struct {
	ID             uint8    `json:"id"`
	Enabled        bool     `json:"enabled"`
	Preconfigured  bool     `json:"manufacturer_preconfigured"`
	Actions        uint8    `json:"actions"`
	PolicyNumber   uint8    `json:"alert_policy_number"`
	GroupControl   uint8    `json:"group_control_selector"`
	Severity       uint8    `json:"severity"`
	GeneratorID    uint16   `json:"generator_id"` // 0xFFFF = any
	SensorType     uint8    `json:"sensor_type"`  // 0xFF = any
	SensorNumber   uint8    `json:"sensor_number"`
	EventTrigger   uint8    `json:"event_trigger"`
	OffsetMask     uint16   `json:"event_data1_offset_mask"`
	EventDataMasks [9]uint8 `json:"event_data_masks"` // AND, compare 1, compare 2 for data 1-3
}

// DecodeEventFilter decodes parameter 6 data (set selector first).
func DecodeEventFilter(b []byte) (*EventFilter, error) {
	if err := need("PEF event filter entry", b, pefFilterEntryLen); err != nil {
		return nil, err
	}
	f := &EventFilter{
		ID:            b[0] & 0x7F,
		Enabled:       b[1]&0x80 != 0,
		Preconfigured: b[1]&0x60 == 0x40,
		Actions:       b[2] & 0x7F,
		PolicyNumber:  b[3] & 0x0F,
		GroupControl:  b[3] >> 4 & 0x07,
		Severity:      b[4],
		GeneratorID:   uint16(b[5])<<8 | uint16(b[6]),
		SensorType:    b[7],
		SensorNumber:  b[8],
		EventTrigger:  b[9],
		OffsetMask:    binary.LittleEndian.Uint16(b[10:12]),
	}
	copy(f.EventDataMasks[:], b[12:21])
	return f, nil
}

// AlertPolicy is one entry of the alert policy table (IPMI v2.0 table 30-9).
type AlertPolicy struct {
	ID          uint8 `json:"id"`
	Number      uint8 `json:"policy_number"`
	Enabled     bool  `json:"enabled"`
	Policy      uint8 `json:"policy"` // 0 always, 1 next entry, 2 next set, 3 next channel, 4 next destination
	Channel     uint8 `json:"channel"`
	Destination uint8 `json:"destination"`
	EventString bool  `json:"event_specific_alert_string"`
	StringKey   uint8 `json:"alert_string_key"`
}

// DecodeAlertPolicy decodes parameter 9 data (set selector first).
func DecodeAlertPolicy(b []byte) (*AlertPolicy, error) {
	if err := need("PEF alert policy entry", b, pefPolicyEntryLen); err != nil {
		return nil, err
	}
	return &AlertPolicy{
		ID:          b[0] & 0x7F,
		Number:      b[1] >> 4,
		Enabled:     b[1]&0x08 != 0,
		Policy:      b[1] & 0x07,
		Channel:     b[2] >> 4,
		Destination: b[2] & 0x0F,
		EventString: b[3]&0x80 != 0,
		StringKey:   b[3] & 0x7F,
	}, nil
}

// PEFTableSize decodes parameter 5 or 8 (a count in bits 6:0).
func PEFTableSize(b []byte) (uint8, error) {
	if err := need("PEF table size", b, 1); err != nil {
		return 0, err
	}
	return b[0] & pefMaxTableEntries, nil
}

// GetEventFilters reads the whole event filter table.
func (c *Client) GetEventFilters(ctx context.Context) ([]EventFilter, error) {
	n, err := c.pefCount(ctx, PEFFilterCount)
	if err != nil {
		return nil, err
	}
	out := make([]EventFilter, 0, n)
	for id := uint8(1); id <= n; id++ {
		b, err := c.GetPEFConfig(ctx, PEFFilterEntry, id, 0)
		if err != nil {
			return out, err
		}
		f, err := DecodeEventFilter(b)
		if err != nil {
			return out, err
		}
		out = append(out, *f)
	}
	return out, nil
}

// GetAlertPolicies reads the whole alert policy table.
func (c *Client) GetAlertPolicies(ctx context.Context) ([]AlertPolicy, error) {
	n, err := c.pefCount(ctx, PEFPolicyCount)
	if err != nil {
		return nil, err
	}
	out := make([]AlertPolicy, 0, n)
	for id := uint8(1); id <= n; id++ {
		b, err := c.GetPEFConfig(ctx, PEFPolicyEntry, id, 0)
		if err != nil {
			return out, err
		}
		p, err := DecodeAlertPolicy(b)
		if err != nil {
			return out, err
		}
		out = append(out, *p)
	}
	return out, nil
}

func (c *Client) pefCount(ctx context.Context, p PEFParam) (uint8, error) {
	b, err := c.GetPEFConfig(ctx, p, 0, 0)
	if err != nil {
		return 0, err
	}
	return PEFTableSize(b)
}

// LastProcessedEvent is the Get Last Processed Event ID response.
type LastProcessedEvent struct {
	LastAddition uint32 `json:"last_sel_addition_timestamp"` // 0xFFFFFFFF = none
	LastRecordID uint16 `json:"last_sel_record_id"`
	LastSWID     uint16 `json:"last_software_processed_id"`
	LastBMCID    uint16 `json:"last_bmc_processed_id"`
}

// DecodeLastProcessedEvent decodes the response data.
func DecodeLastProcessedEvent(b []byte) (*LastProcessedEvent, error) {
	if err := need("Get Last Processed Event ID response", b, pefLastProcessedLen); err != nil {
		return nil, err
	}
	return &LastProcessedEvent{
		LastAddition: binary.LittleEndian.Uint32(b[0:4]),
		LastRecordID: binary.LittleEndian.Uint16(b[4:6]),
		LastSWID:     binary.LittleEndian.Uint16(b[6:8]),
		LastBMCID:    binary.LittleEndian.Uint16(b[8:10]),
	}, nil
}

// GetLastProcessedEvent reads which SEL entries PEF has processed.
func (c *Client) GetLastProcessedEvent(ctx context.Context) (*LastProcessedEvent, error) {
	b, err := c.do(ctx, NetFnSensorEvent, CmdGetLastProcessedEventID)
	if err != nil {
		return nil, err
	}
	return DecodeLastProcessedEvent(b)
}
