package sdr

import "encoding/binary"

// Threshold indexes the six thresholds in the order of their mask bits
// and of the Get/Set Sensor Thresholds data bytes.
type Threshold int

const (
	LNC Threshold = iota // lower non-critical
	LCR                  // lower critical
	LNR                  // lower non-recoverable
	UNC                  // upper non-critical
	UCR                  // upper critical
	UNR                  // upper non-recoverable
)

var thresholdNames = [...]string{"lnc", "lcr", "lnr", "unc", "ucr", "unr"}

// String returns the short name ipmitool uses ("lnc", "ucr", ...).
func (t Threshold) String() string {
	if t >= 0 && int(t) < len(thresholdNames) {
		return thresholdNames[t]
	}
	return "?"
}

// ParseThreshold parses a short threshold name.
func ParseThreshold(s string) (Threshold, bool) {
	for i, n := range thresholdNames {
		if n == s {
			return Threshold(i), true
		}
	}
	return 0, false
}

// Analog data formats (SDR units 1 byte, bits 7:6).
const (
	FormatUnsigned  = 0
	FormatOnesCompl = 1
	FormatTwosCompl = 2
	FormatNoAnalog  = 3
)

// SensorCommon holds the fields full and compact sensor records share.
type SensorCommon struct {
	OwnerID        uint8
	OwnerLUN       uint8
	Channel        uint8
	Number         uint8
	EntityID       uint8
	EntityInstance uint8 // instance number (bits 6:0)
	EntityLogical  bool  // bit 7: logical container entity
	Init           uint8
	Capabilities   uint8
	SensorType     uint8
	EventType      uint8
	AssertMask     uint16 // or lower threshold reading mask (threshold sensors)
	DeassertMask   uint16 // or upper threshold reading mask
	ReadingMask    uint16 // discrete reading mask, or readable/settable thresholds
	Units1         uint8
	BaseUnit       uint8
	ModifierUnit   uint8
	OEM            uint8
	IDCode         uint8
	Name           string // decoded ID string
	RawName        string // ID bytes as stored, cut at NUL (what ipmitool prints)
}

// IsThreshold reports a threshold-based sensor (event/reading type 01h).
func (s *SensorCommon) IsThreshold() bool { return s.EventType == EventTypeThreshold }

// AnalogFormat is the analog data format (FormatUnsigned ... FormatNoAnalog).
func (s *SensorCommon) AnalogFormat() uint8 { return s.Units1 >> 6 }

// UnitsDiscrete reports a sensor that returns no analog reading.
func (s *SensorCommon) UnitsDiscrete() bool { return s.AnalogFormat() == FormatNoAnalog }

// Percent reports the percentage bit of units 1.
func (s *SensorCommon) Percent() bool { return s.Units1&1 != 0 }

// ModifierRelation is UnitModNone, UnitModDiv or UnitModMul.
func (s *SensorCommon) ModifierRelation() uint8 { return (s.Units1 >> 1) & 3 }

// HasUnits reports whether any unit field is set.
func (s *SensorCommon) HasUnits() bool {
	return s.Percent() || s.ModifierRelation() != 0 || s.BaseUnit != 0 || s.ModifierUnit != 0
}

// Unit is the unit text as ipmitool prints it ("degrees C", "RPM").
func (s *SensorCommon) Unit() string {
	return UnitString(s.Percent(), s.ModifierRelation(), s.BaseUnit, s.ModifierUnit)
}

// EventMessageControl is capabilities bits 1:0.
func (s *SensorCommon) EventMessageControl() uint8 { return s.Capabilities & 3 }

// ThresholdAccess is capabilities bits 3:2: 0 none, 1 readable, 2 readable
// and settable, 3 fixed.
func (s *SensorCommon) ThresholdAccess() uint8 { return (s.Capabilities >> 2) & 3 }

// HysteresisAccess is capabilities bits 5:4.
func (s *SensorCommon) HysteresisAccess() uint8 { return (s.Capabilities >> 4) & 3 }

// Readable is the readable threshold mask (bit n = Threshold n).
func (s *SensorCommon) Readable() uint8 { return uint8(s.ReadingMask) & 0x3f }

// Settable is the settable threshold mask.
func (s *SensorCommon) Settable() uint8 { return uint8(s.ReadingMask>>8) & 0x3f }

// StatusMask is the threshold comparison status mask (bits from the lower
// and upper threshold reading masks, in Threshold order).
func (s *SensorCommon) StatusMask() uint8 {
	return uint8(s.AssertMask>>12)&0x7 | uint8(s.DeassertMask>>12)&0x7<<3
}

// InitThresholds reports the "init thresholds" bit, which ipmitool uses to
// decide whether the record's threshold bytes are meaningful.
func (s *SensorCommon) InitThresholds() bool { return s.Init&0x10 != 0 }

// decodeCommon reads record bytes 5..22, present in full and compact records.
func decodeCommon(b []byte) SensorCommon {
	return SensorCommon{
		OwnerID:        b[5],
		OwnerLUN:       b[6] & 3,
		Channel:        b[6] >> 4,
		Number:         b[7],
		EntityID:       b[8],
		EntityInstance: b[9] & 0x7f,
		EntityLogical:  b[9]&0x80 != 0,
		Init:           b[10],
		Capabilities:   b[11],
		SensorType:     b[12],
		EventType:      b[13],
		AssertMask:     binary.LittleEndian.Uint16(b[14:]),
		DeassertMask:   binary.LittleEndian.Uint16(b[16:]),
		ReadingMask:    binary.LittleEndian.Uint16(b[18:]),
		Units1:         b[20],
		BaseUnit:       b[21],
		ModifierUnit:   b[22],
	}
}

// FullSensor is a type 01h record: a sensor with conversion factors and
// thresholds.
type FullSensor struct {
	SensorCommon
	Factors
	AnalogFlags uint8
	Nominal     uint8
	NormalMax   uint8
	NormalMin   uint8
	SensorMax   uint8
	SensorMin   uint8
	Thresholds  [6]uint8 // raw, indexed by Threshold
	PosHyst     uint8
	NegHyst     uint8
}

// fullFixedLen is a full record up to and including the ID type/length byte.
const fullFixedLen = 48

func decodeFull(d *decoder) (*FullSensor, error) {
	if err := d.need(fullFixedLen); err != nil {
		return nil, err
	}
	b := d.b
	f := &FullSensor{SensorCommon: decodeCommon(b)}
	f.Factors = decodeFactors(b[20], b[23:30])
	f.AnalogFlags = b[30]
	f.Nominal, f.NormalMax, f.NormalMin = b[31], b[32], b[33]
	f.SensorMax, f.SensorMin = b[34], b[35]
	f.Thresholds[UNR], f.Thresholds[UCR], f.Thresholds[UNC] = b[36], b[37], b[38]
	f.Thresholds[LNR], f.Thresholds[LCR], f.Thresholds[LNC] = b[39], b[40], b[41]
	f.PosHyst, f.NegHyst = b[42], b[43]
	f.OEM = b[46]
	f.Name, f.RawName, f.IDCode = d.id(47)
	return f, nil
}

// CompactSensor is a type 02h record: a sensor without conversion
// factors, possibly shared by several sensor numbers.
type CompactSensor struct {
	SensorCommon
	ShareCount      uint8 // 0 or 1: not shared
	ShareModType    uint8 // 0 numeric, 1 alpha
	ShareModOffset  uint8
	ShareEntityIncr bool
	PosHyst         uint8
	NegHyst         uint8
}

const compactFixedLen = 32

func decodeCompact(d *decoder) (*CompactSensor, error) {
	if err := d.need(compactFixedLen); err != nil {
		return nil, err
	}
	b := d.b
	c := &CompactSensor{SensorCommon: decodeCommon(b)}
	c.ShareCount = b[23] & 0x0f
	c.ShareModType = (b[23] >> 4) & 3
	c.ShareModOffset = b[24] & 0x7f
	c.ShareEntityIncr = b[24]&0x80 != 0
	c.PosHyst, c.NegHyst = b[25], b[26]
	c.OEM = b[30]
	c.Name, c.RawName, c.IDCode = d.id(31)
	return c, nil
}

// EventOnlySensor is a type 03h record: a sensor that only sends events.
type EventOnlySensor struct {
	OwnerID        uint8
	OwnerLUN       uint8
	Channel        uint8
	Number         uint8
	EntityID       uint8
	EntityInstance uint8
	EntityLogical  bool
	SensorType     uint8
	EventType      uint8
	ShareCount     uint8
	ShareModType   uint8
	ShareModOffset uint8
	OEM            uint8
	IDCode         uint8
	Name           string
	RawName        string
}

const eventOnlyFixedLen = 17

func decodeEventOnly(d *decoder) (*EventOnlySensor, error) {
	if err := d.need(eventOnlyFixedLen); err != nil {
		return nil, err
	}
	b := d.b
	e := &EventOnlySensor{
		OwnerID: b[5], OwnerLUN: b[6] & 3, Channel: b[6] >> 4, Number: b[7],
		EntityID: b[8], EntityInstance: b[9] & 0x7f, EntityLogical: b[9]&0x80 != 0,
		SensorType: b[10], EventType: b[11],
		ShareCount: b[12] & 0x0f, ShareModType: (b[12] >> 4) & 3, ShareModOffset: b[13] & 0x7f,
		OEM: b[15],
	}
	e.Name, e.RawName, e.IDCode = d.id(16)
	return e, nil
}
