// Package sel reads, decodes and manages a BMC's System Event Log: SEL
// info and allocation, reservations, walking the entries from 0000h to
// FFFFh with a loop guard, clearing with erasure polling, deleting and
// adding entries, and the SEL clock.
//
// Records are decoded into typed values (system events with generator,
// sensor, event type, direction, offset and event data; timestamped and
// non-timestamped OEM records) and given a severity following FreeIPMI's
// default interpretation (freeipmi_interpret_sel.conf). Text belongs to
// the caller: the sdr package has ipmitool's event and sensor type tables.
//
// Every record is treated as hostile: Decode checks lengths and never
// panics, and a BMC that hands back a next-record ID it already returned
// stops the walk with an error instead of looping forever.
package sel

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// RecordLen is the size of every SEL record.
const RecordLen = 16

// Record types.
const (
	TypeSystemEvent      = 0x02
	TypeOEMTimestamped   = 0xC0 // C0h-DFh
	TypeOEMNoTimestamp   = 0xE0 // E0h-FFh
	TypeLinuxKernelPanic = 0xF0 // ipmitool prints these as panic strings
)

// Timestamps below this count seconds since the BMC started, not since
// 1970 (IPMI v2.0 section 37.1).
const PreInitLimit = 0x20000000

// TimestampUnspecified marks a record without a real time.
const TimestampUnspecified = 0xFFFFFFFF

// Record is one decoded SEL entry. Exactly one of Event and OEM is set.
type Record struct {
	ID        uint16          `json:"id"`
	Type      uint8           `json:"record_type"`
	Timestamp uint32          `json:"timestamp"` // 0 for non-timestamped OEM records
	Event     *SystemEvent    `json:"event,omitempty"`
	OEM       *OEMData        `json:"oem,omitempty"`
	Raw       [RecordLen]byte `json:"-"`
}

// SystemEvent is the body of a record of type below C0h (02h in practice).
type SystemEvent struct {
	GeneratorID  uint16   `json:"generator_id"`
	EvMRev       uint8    `json:"evm_rev"`
	SensorType   uint8    `json:"sensor_type"`
	SensorNumber uint8    `json:"sensor_number"`
	EventType    uint8    `json:"event_type"`
	Deassertion  bool     `json:"deassertion"`
	Data         [3]uint8 `json:"event_data"`
}

// OEMData is the body of an OEM record. ManufacturerID is only present in
// timestamped (C0h-DFh) records.
type OEMData struct {
	ManufacturerID uint32 `json:"manufacturer_id,omitempty"`
	Data           []byte `json:"data"`
}

// Decode decodes one 16-byte SEL record. Longer input is cut to 16 bytes.
func Decode(b []byte) (*Record, error) {
	if len(b) < RecordLen {
		return nil, ipmi.ShortError("SEL record", len(b), RecordLen)
	}
	r := &Record{ID: binary.LittleEndian.Uint16(b[0:]), Type: b[2]}
	copy(r.Raw[:], b[:RecordLen])
	switch {
	case r.Type < TypeOEMTimestamped:
		r.Timestamp = binary.LittleEndian.Uint32(b[3:])
		r.Event = &SystemEvent{
			GeneratorID:  binary.LittleEndian.Uint16(b[7:]),
			EvMRev:       b[9],
			SensorType:   b[10],
			SensorNumber: b[11],
			EventType:    b[12] & 0x7F,
			Deassertion:  b[12]&0x80 != 0,
			Data:         [3]uint8{b[13], b[14], b[15]},
		}
	case r.Type < TypeOEMNoTimestamp:
		r.Timestamp = binary.LittleEndian.Uint32(b[3:])
		r.OEM = &OEMData{
			ManufacturerID: uint32(b[7]) | uint32(b[8])<<8 | uint32(b[9])<<16,
			Data:           append([]byte(nil), b[10:16]...),
		}
	default:
		r.OEM = &OEMData{Data: append([]byte(nil), b[3:16]...)}
	}
	return r, nil
}

// Timestamped reports whether the record carries a time.
func (r *Record) Timestamped() bool { return r.Type < TypeOEMNoTimestamp }

// PreInit reports a timestamp counted from BMC start-up rather than 1970.
func (r *Record) PreInit() bool { return r.Timestamped() && r.Timestamp < PreInitLimit }

// Time returns the record's time in UTC; false for pre-init, unspecified
// and non-timestamped records.
func (r *Record) Time() (time.Time, bool) {
	if !r.Timestamped() || r.Timestamp < PreInitLimit || r.Timestamp == TimestampUnspecified {
		return time.Time{}, false
	}
	return time.Unix(int64(r.Timestamp), 0).UTC(), true
}

// Severity is the record's severity (SeverityUnknown for OEM records).
func (r *Record) Severity() Severity {
	if r.Event == nil {
		return SeverityUnknown
	}
	return r.Event.Severity()
}

// Offset is the event offset, bits 3:0 of event data 1.
func (e *SystemEvent) Offset() uint8 { return e.Data[0] & 0x0F }

// What event data 2 and 3 hold (bits 7:6 and 5:4 of event data 1).
const (
	DataUnspecified = 0
	DataTrigger     = 1 // threshold: trigger reading / threshold; discrete: previous state
	DataOEM         = 2
	DataExtension   = 3 // sensor-specific event extension code
)

// Data2Use says what event data 2 holds.
func (e *SystemEvent) Data2Use() uint8 { return e.Data[0] >> 6 }

// Data3Use says what event data 3 holds.
func (e *SystemEvent) Data3Use() uint8 { return (e.Data[0] >> 4) & 3 }

// Threshold reports a threshold event (event/reading type 01h).
func (e *SystemEvent) Threshold() bool { return e.EventType == 0x01 }

// TriggerReading is the raw sensor reading that triggered a threshold
// event, when event data 2 carries it.
func (e *SystemEvent) TriggerReading() (uint8, bool) {
	return e.Data[1], e.Threshold() && e.Data2Use() == DataTrigger
}

// TriggerThreshold is the raw threshold that was crossed, when event data
// 3 carries it.
func (e *SystemEvent) TriggerThreshold() (uint8, bool) {
	return e.Data[2], e.Threshold() && e.Data3Use() == DataTrigger
}

// GoingHigh reports a "going high" threshold offset (odd offsets).
func (e *SystemEvent) GoingHigh() bool { return e.Offset()%2 == 1 }

// SoftwareGenerated reports a generator ID holding a software ID.
func (e *SystemEvent) SoftwareGenerated() bool { return e.GeneratorID&1 != 0 }

// OwnerID is the low byte of the generator ID: the IPMB slave address or
// software ID in bits 7:1 and the software flag in bit 0, as SDR owner IDs
// store it.
func (e *SystemEvent) OwnerID() uint8 { return uint8(e.GeneratorID) }

// Channel is the IPMB channel of the generator.
func (e *SystemEvent) Channel() uint8 { return uint8(e.GeneratorID>>12) & 0x0F }

// LUN is the generator's LUN.
func (e *SystemEvent) LUN() uint8 { return uint8(e.GeneratorID>>8) & 0x03 }

// Bytes returns the record as stored on the BMC.
func (r *Record) Bytes() []byte { return append([]byte(nil), r.Raw[:]...) }

// IpmitoolRaw returns the record as ipmitool's `sel writeraw` stores it:
// the wire layout, except that timestamped OEM records have their three
// manufacturer ID bytes reversed (ipmitool copies them that way).
func (r *Record) IpmitoolRaw() [RecordLen]byte {
	b := r.Raw
	if r.Type >= TypeOEMTimestamped && r.Type < TypeOEMNoTimestamp {
		b[7], b[9] = b[9], b[7]
	}
	return b
}

// DecodeIpmitoolRaw decodes one record of an ipmitool `sel writeraw` file.
func DecodeIpmitoolRaw(b []byte) (*Record, error) {
	if len(b) < RecordLen {
		return nil, ipmi.ShortError("ipmitool raw SEL record", len(b), RecordLen)
	}
	w := append([]byte(nil), b[:RecordLen]...)
	if w[2] >= TypeOEMTimestamped && w[2] < TypeOEMNoTimestamp {
		w[7], w[9] = w[9], w[7]
	}
	return Decode(w)
}

// EventBody returns the seven bytes `sel add` and `sel save` files use:
// EvM revision, sensor type, sensor number, event type with direction in
// bit 7, and the three event data bytes. For OEM records these are the
// bytes at the same places, as ipmitool prints them.
func (r *Record) EventBody() [7]byte {
	b := r.IpmitoolRaw()
	var out [7]byte
	copy(out[:], b[9:16])
	return out
}

// NewSystemEvent builds a system event record (ID 0: the BMC assigns it)
// as Add SEL Entry takes it.
func NewSystemEvent(timestamp uint32, ev SystemEvent) *Record {
	var b [RecordLen]byte
	b[2] = TypeSystemEvent
	binary.LittleEndian.PutUint32(b[3:], timestamp)
	binary.LittleEndian.PutUint16(b[7:], ev.GeneratorID)
	b[9], b[10], b[11] = ev.EvMRev, ev.SensorType, ev.SensorNumber
	b[12] = ev.EventType & 0x7F
	if ev.Deassertion {
		b[12] |= 0x80
	}
	copy(b[13:], ev.Data[:])
	r, _ := Decode(b[:])
	return r
}

func (r *Record) String() string {
	return fmt.Sprintf("SEL record %04x type %02x", r.ID, r.Type)
}
