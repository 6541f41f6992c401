package fru

import (
	"encoding/binary"
	"fmt"
)

// MultiRecordHeaderLen is the size of a multi-record header.
const MultiRecordHeaderLen = 5

// Multi-record type IDs (spec table 16-2).
const (
	RecordPowerSupply           = 0x00
	RecordDCOutput              = 0x01
	RecordDCLoad                = 0x02
	RecordManagementAccess      = 0x03
	RecordBaseCompatibility     = 0x04
	RecordExtendedCompatibility = 0x05
	RecordASFFixedSMBus         = 0x06
	RecordASFLegacyAlerts       = 0x07
	RecordASFRemoteControl      = 0x08
	RecordExtendedDCOutput      = 0x09
	RecordExtendedDCLoad        = 0x0A
	RecordOEMFirst              = 0xC0
)

var recordTypeNames = map[uint8]string{
	RecordPowerSupply:           "Power Supply Information",
	RecordDCOutput:              "DC Output",
	RecordDCLoad:                "DC Load",
	RecordManagementAccess:      "Management Access",
	RecordBaseCompatibility:     "Base Compatibility",
	RecordExtendedCompatibility: "Extended Compatibility",
	RecordASFFixedSMBus:         "ASF Fixed SMBus Device",
	RecordASFLegacyAlerts:       "ASF Legacy-Device Alerts",
	RecordASFRemoteControl:      "ASF Remote Control",
	RecordExtendedDCOutput:      "Extended DC Output",
	RecordExtendedDCLoad:        "Extended DC Load",
}

// RecordTypeName names a multi-record type ID.
func RecordTypeName(t uint8) string {
	if t >= RecordOEMFirst {
		return fmt.Sprintf("OEM (0x%02X)", t)
	}
	if s, ok := recordTypeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("Reserved (0x%02X)", t)
}

// MultiRecord is one record of the multi-record area.
type MultiRecord struct {
	Offset        int   `json:"offset"`
	Type          uint8 `json:"type"`
	FormatVersion uint8 `json:"format_version"`
	EndOfList     bool  `json:"end_of_list"`
	Data          Bytes `json:"data"`
	ChecksumOK    bool  `json:"checksum_ok"`
}

// TypeName names the record's type.
func (r MultiRecord) TypeName() string { return RecordTypeName(r.Type) }

// parseMultiRecords walks the list from off. A record whose header
// checksum fails ends the walk, because its length cannot be trusted.
func (img *Image) parseMultiRecords(b []byte, off int) []MultiRecord {
	var out []MultiRecord
	// Every record takes at least 5 bytes: this bounds the walk.
	for len(out) <= len(b)/MultiRecordHeaderLen {
		if off+MultiRecordHeaderLen > len(b) {
			img.warnf(AreaMultiRecord, off, "record header runs past the end of the FRU")
			return out
		}
		h := b[off : off+MultiRecordHeaderLen]
		if sum(h) != 0 {
			img.warnf(AreaMultiRecord, off+4, "bad record header checksum 0x%02x; rest of the list ignored", h[4])
			return out
		}
		n := int(h[2])
		start := off + MultiRecordHeaderLen
		if start+n > len(b) {
			img.warnf(AreaMultiRecord, off+2, "record claims %d bytes, only %d left in the FRU", n, len(b)-start)
			return out
		}
		data := b[start : start+n]
		r := MultiRecord{
			Offset:        off,
			Type:          h[0],
			FormatVersion: h[1] & 0x0F,
			EndOfList:     h[1]&0x80 != 0,
			Data:          data,
			ChecksumOK:    sum(data)+h[3] == 0,
		}
		if !r.ChecksumOK {
			img.warnf(AreaMultiRecord, off+3, "bad record data checksum 0x%02x for %s record", h[3], r.TypeName())
		}
		if r.FormatVersion != 2 {
			img.warnf(AreaMultiRecord, off+1, "unknown record format version %d", r.FormatVersion)
		}
		out = append(out, r)
		if r.EndOfList {
			return out
		}
		off = start + n
	}
	img.warnf(AreaMultiRecord, off, "record list has no end-of-list record")
	return out
}

func recordError(r MultiRecord, need int) error {
	return fmt.Errorf("fru: %s record at byte %d has %d data bytes, need %d", r.TypeName(), r.Offset, len(r.Data), need)
}

// PowerSupplyInfo is record type 0x00.
type PowerSupplyInfo struct {
	CapacityW          int  `json:"capacity_w"`
	PeakVA             int  `json:"peak_va"` // 0xFFFF: not specified
	InrushCurrentA     int  `json:"inrush_current_a"`
	InrushIntervalMs   int  `json:"inrush_interval_ms"`
	InputLow1mV        int  `json:"input_low1_mv"` // 10 mV units in the record; here mV
	InputHigh1mV       int  `json:"input_high1_mv"`
	InputLow2mV        int  `json:"input_low2_mv"`
	InputHigh2mV       int  `json:"input_high2_mv"`
	FreqLowHz          int  `json:"freq_low_hz"`
	FreqHighHz         int  `json:"freq_high_hz"`
	DropoutToleranceMs int  `json:"dropout_tolerance_ms"`
	PredictiveFail     bool `json:"predictive_fail"`
	PFC                bool `json:"power_factor_correction"`
	Autoswitch         bool `json:"autoswitch"`
	HotSwap            bool `json:"hot_swap"`
	// TachPulses is bit 4 of the flags: two pulses per rotation, or
	// failure on pin de-assertion, depending on the fail signal type.
	TachPulses         bool  `json:"tach_bit"`
	PeakCapacityW      int   `json:"peak_capacity_w"`
	HoldUpS            int   `json:"hold_up_s"`
	CombinedVoltage1   uint8 `json:"combined_voltage1"`
	CombinedVoltage2   uint8 `json:"combined_voltage2"`
	CombinedCapacityW  int   `json:"combined_capacity_w"`
	FanLowThresholdRPS int   `json:"fan_low_threshold_rps"`
}

// CombinedVoltageName names the voltage codes of the combined wattage.
func CombinedVoltageName(v uint8) string {
	switch v {
	case 0:
		return "12 V"
	case 1:
		return "-12 V"
	case 2:
		return "5 V"
	case 3:
		return "3.3 V"
	}
	return fmt.Sprintf("reserved (%d)", v)
}

// PowerSupply decodes a Power Supply Information record.
func (r MultiRecord) PowerSupply() (*PowerSupplyInfo, error) {
	const need = 24
	if r.Type != RecordPowerSupply || len(r.Data) < need {
		return nil, recordError(r, need)
	}
	d := r.Data
	u16 := func(i int) int { return int(binary.LittleEndian.Uint16(d[i:])) }
	peak := u16(18)
	return &PowerSupplyInfo{
		CapacityW:          u16(0) & 0x0FFF,
		PeakVA:             u16(2),
		InrushCurrentA:     int(d[4]),
		InrushIntervalMs:   int(d[5]),
		InputLow1mV:        u16(6) * 10,
		InputHigh1mV:       u16(8) * 10,
		InputLow2mV:        u16(10) * 10,
		InputHigh2mV:       u16(12) * 10,
		FreqLowHz:          int(d[14]),
		FreqHighHz:         int(d[15]),
		DropoutToleranceMs: int(d[16]),
		PredictiveFail:     d[17]&0x01 != 0,
		PFC:                d[17]&0x02 != 0,
		Autoswitch:         d[17]&0x04 != 0,
		HotSwap:            d[17]&0x08 != 0,
		TachPulses:         d[17]&0x10 != 0,
		PeakCapacityW:      peak & 0x0FFF,
		HoldUpS:            peak >> 12,
		CombinedVoltage1:   d[20] >> 4,
		CombinedVoltage2:   d[20] & 0x0F,
		CombinedCapacityW:  u16(21),
		FanLowThresholdRPS: int(d[23]),
	}, nil
}

// DCOutput is record type 0x01 (and 0x09, the extended form).
type DCOutput struct {
	OutputNumber  int  `json:"output_number"`
	Standby       bool `json:"standby"`
	NominalmV     int  `json:"nominal_mv"`
	MaxNegDevmV   int  `json:"max_negative_deviation_mv"`
	MaxPosDevmV   int  `json:"max_positive_deviation_mv"`
	RippleNoisemV int  `json:"ripple_noise_mv"`
	MinCurrentmA  int  `json:"min_current_ma"`
	MaxCurrentmA  int  `json:"max_current_ma"`
}

// DCOutput decodes a DC Output or Extended DC Output record. Voltages are
// signed 10 mV units; currents are mA (10 mA or 100 mA units in the
// extended form, chosen by bit 4 of the first byte).
func (r MultiRecord) DCOutput() (*DCOutput, error) {
	const need = 13
	if (r.Type != RecordDCOutput && r.Type != RecordExtendedDCOutput) || len(r.Data) < need {
		return nil, recordError(r, need)
	}
	d := r.Data
	s16 := func(i int) int { return int(int16(binary.LittleEndian.Uint16(d[i:]))) }
	u16 := func(i int) int { return int(binary.LittleEndian.Uint16(d[i:])) }
	unit := 1
	if r.Type == RecordExtendedDCOutput {
		unit = 10
		if d[0]&0x10 != 0 {
			unit = 100
		}
	}
	return &DCOutput{
		OutputNumber:  int(d[0] & 0x0F),
		Standby:       d[0]&0x80 != 0,
		NominalmV:     s16(1) * 10,
		MaxNegDevmV:   s16(3) * 10,
		MaxPosDevmV:   s16(5) * 10,
		RippleNoisemV: u16(7),
		MinCurrentmA:  u16(9) * unit,
		MaxCurrentmA:  u16(11) * unit,
	}, nil
}

// DCLoad is record type 0x02 (and 0x0A, the extended form).
type DCLoad struct {
	OutputNumber  int `json:"output_number"`
	NominalmV     int `json:"nominal_mv"`
	MinmV         int `json:"min_mv"`
	MaxmV         int `json:"max_mv"`
	RippleNoisemV int `json:"ripple_noise_mv"`
	MinCurrentmA  int `json:"min_current_ma"`
	MaxCurrentmA  int `json:"max_current_ma"`
}

// DCLoad decodes a DC Load or Extended DC Load record.
func (r MultiRecord) DCLoad() (*DCLoad, error) {
	const need = 13
	if (r.Type != RecordDCLoad && r.Type != RecordExtendedDCLoad) || len(r.Data) < need {
		return nil, recordError(r, need)
	}
	d := r.Data
	s16 := func(i int) int { return int(int16(binary.LittleEndian.Uint16(d[i:]))) }
	u16 := func(i int) int { return int(binary.LittleEndian.Uint16(d[i:])) }
	unit := 1
	if r.Type == RecordExtendedDCLoad {
		unit = 10
		if d[0]&0x10 != 0 {
			unit = 100
		}
	}
	return &DCLoad{
		OutputNumber:  int(d[0] & 0x0F),
		NominalmV:     s16(1) * 10,
		MinmV:         s16(3) * 10,
		MaxmV:         s16(5) * 10,
		RippleNoisemV: u16(7),
		MinCurrentmA:  u16(9) * unit,
		MaxCurrentmA:  u16(11) * unit,
	}, nil
}

// ManagementAccess is record type 0x03.
type ManagementAccess struct {
	SubType uint8 `json:"sub_type"`
	Data    Bytes `json:"data"`
}

var mgmtAccessNames = [...]string{"", "System Management URL", "System Name",
	"System Ping Address", "Component Management URL", "Component Name",
	"Component Ping Address", "System Unique ID"}

// SubTypeName names the management access sub-record type.
func (m *ManagementAccess) SubTypeName() string {
	if m.SubType >= 1 && int(m.SubType) < len(mgmtAccessNames) {
		return mgmtAccessNames[m.SubType]
	}
	return fmt.Sprintf("Reserved (0x%02X)", m.SubType)
}

// ManagementAccess decodes a Management Access record.
func (r MultiRecord) ManagementAccess() (*ManagementAccess, error) {
	if r.Type != RecordManagementAccess || len(r.Data) < 1 {
		return nil, recordError(r, 1)
	}
	return &ManagementAccess{SubType: r.Data[0], Data: r.Data[1:]}, nil
}

// Compatibility is record type 0x04 or 0x05.
type Compatibility struct {
	ManufacturerID uint32 `json:"manufacturer_id"`
	EntityID       uint8  `json:"entity_id"`
	Base           uint8  `json:"compatibility_base"`
	CodeStart      uint8  `json:"code_start"`
	CodeRangeMask  Bytes  `json:"code_range_mask"`
}

// Compatibility decodes a Base or Extended Compatibility record.
func (r MultiRecord) Compatibility() (*Compatibility, error) {
	const need = 6
	if (r.Type != RecordBaseCompatibility && r.Type != RecordExtendedCompatibility) || len(r.Data) < need {
		return nil, recordError(r, need)
	}
	d := r.Data
	return &Compatibility{
		ManufacturerID: uint32(d[0]) | uint32(d[1])<<8 | uint32(d[2])<<16,
		EntityID:       d[3],
		Base:           d[4],
		CodeStart:      d[5],
		CodeRangeMask:  d[6:],
	}, nil
}

// OEMRecord is a record with type 0xC0-0xFF.
type OEMRecord struct {
	ManufacturerID uint32 `json:"manufacturer_id"`
	Data           Bytes  `json:"data"`
}

// OEM decodes an OEM record's manufacturer ID.
func (r MultiRecord) OEM() (*OEMRecord, error) {
	if r.Type < RecordOEMFirst || len(r.Data) < 3 {
		return nil, recordError(r, 3)
	}
	d := r.Data
	return &OEMRecord{ManufacturerID: uint32(d[0]) | uint32(d[1])<<8 | uint32(d[2])<<16, Data: d[3:]}, nil
}
