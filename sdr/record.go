package sdr

import (
	"encoding/binary"
	"fmt"

	"github.com/ipmictl/ipmictl/ipmi"
)

// RecordType is the SDR record type byte.
type RecordType uint8

// Record types (IPMI v2.0 section 43).
const (
	TypeFull              RecordType = 0x01
	TypeCompact           RecordType = 0x02
	TypeEventOnly         RecordType = 0x03
	TypeEntityAssoc       RecordType = 0x08
	TypeDeviceEntityAssoc RecordType = 0x09
	TypeGenericLocator    RecordType = 0x10
	TypeFRULocator        RecordType = 0x11
	TypeMCLocator         RecordType = 0x12
	TypeMCConfirmation    RecordType = 0x13
	TypeBMCChannelInfo    RecordType = 0x14
	TypeOEM               RecordType = 0xC0
)

var recordTypeNames = map[RecordType]string{
	TypeFull: "full", TypeCompact: "compact", TypeEventOnly: "event",
	TypeEntityAssoc: "entity-assoc", TypeDeviceEntityAssoc: "device-entity-assoc",
	TypeGenericLocator: "generic", TypeFRULocator: "fru", TypeMCLocator: "mcloc",
	TypeMCConfirmation: "mc-confirmation", TypeBMCChannelInfo: "bmc-channel-info",
	TypeOEM: "oem",
}

func (t RecordType) String() string {
	if s, ok := recordTypeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("type-0x%02x", uint8(t))
}

// HeaderLen is the size of the record header: ID, version, type, length.
const HeaderLen = 5

// Header is the first five bytes of every SDR.
type Header struct {
	ID      uint16
	Version uint8
	Type    RecordType
	Length  uint8 // bytes after the header
}

// ParseHeader decodes a record header.
func ParseHeader(b []byte) (Header, error) {
	if len(b) < HeaderLen {
		return Header{}, ipmi.ShortError("SDR header", len(b), HeaderLen)
	}
	return Header{
		ID:      binary.LittleEndian.Uint16(b),
		Version: b[2],
		Type:    RecordType(b[3]),
		Length:  b[4],
	}, nil
}

// Bytes encodes the header.
func (h Header) Bytes() []byte {
	return []byte{byte(h.ID), byte(h.ID >> 8), h.Version, byte(h.Type), h.Length}
}

// Record is one decoded SDR. Raw holds the whole record, header included,
// as read; exactly one of the typed pointers is set for a known type.
type Record struct {
	Header
	Raw []byte `json:"-"`

	Full              *FullSensor        `json:",omitempty"`
	Compact           *CompactSensor     `json:",omitempty"`
	EventOnly         *EventOnlySensor   `json:",omitempty"`
	EntityAssoc       *EntityAssoc       `json:",omitempty"`
	DeviceEntityAssoc *DeviceEntityAssoc `json:",omitempty"`
	GenericLocator    *GenericLocator    `json:",omitempty"`
	FRULocator        *FRULocator        `json:",omitempty"`
	MCLocator         *MCLocator         `json:",omitempty"`
	MCConfirmation    *MCConfirmation    `json:",omitempty"`
	BMCChannelInfo    *BMCChannelInfo    `json:",omitempty"`
	OEM               *OEMRecord         `json:",omitempty"`
}

// Sensor returns the common sensor fields of a full or compact record.
func (r *Record) Sensor() *SensorCommon {
	switch {
	case r.Full != nil:
		return &r.Full.SensorCommon
	case r.Compact != nil:
		return &r.Compact.SensorCommon
	}
	return nil
}

// Name is the record's decoded ID string ("" when it has none).
func (r *Record) Name() string {
	switch {
	case r.Full != nil:
		return r.Full.Name
	case r.Compact != nil:
		return r.Compact.Name
	case r.EventOnly != nil:
		return r.EventOnly.Name
	case r.GenericLocator != nil:
		return r.GenericLocator.Name
	case r.FRULocator != nil:
		return r.FRULocator.Name
	case r.MCLocator != nil:
		return r.MCLocator.Name
	}
	return ""
}

// Entity returns the entity the record describes, if it has one.
func (r *Record) Entity() (id, instance uint8, ok bool) {
	switch {
	case r.Full != nil:
		return r.Full.EntityID, r.Full.EntityInstance, true
	case r.Compact != nil:
		return r.Compact.EntityID, r.Compact.EntityInstance, true
	case r.EventOnly != nil:
		return r.EventOnly.EntityID, r.EventOnly.EntityInstance, true
	case r.GenericLocator != nil:
		return r.GenericLocator.EntityID, r.GenericLocator.EntityInstance, true
	case r.FRULocator != nil:
		return r.FRULocator.EntityID, r.FRULocator.EntityInstance, true
	case r.MCLocator != nil:
		return r.MCLocator.EntityID, r.MCLocator.EntityInstance, true
	case r.EntityAssoc != nil:
		return r.EntityAssoc.ContainerID, r.EntityAssoc.ContainerInstance, true
	}
	return 0, 0, false
}

// SensorType returns the sensor type of a sensor record (full, compact or
// event-only).
func (r *Record) SensorType() (uint8, bool) {
	switch {
	case r.Full != nil:
		return r.Full.SensorType, true
	case r.Compact != nil:
		return r.Compact.SensorType, true
	case r.EventOnly != nil:
		return r.EventOnly.SensorType, true
	}
	return 0, false
}

// Decode decodes one whole record (header and body). The body may be
// shorter than the header's length only if the record type's fixed part
// is complete; extra bytes are kept in Raw and otherwise ignored.
func Decode(b []byte) (*Record, error) {
	h, err := ParseHeader(b)
	if err != nil {
		return nil, err
	}
	if len(b) < HeaderLen+int(h.Length) {
		return nil, &ipmi.FormatError{What: "SDR record", Offset: len(b),
			Msg: fmt.Sprintf("record %04x claims %d body bytes, has %d", h.ID, h.Length, len(b)-HeaderLen)}
	}
	raw := b[:HeaderLen+int(h.Length)]
	r := &Record{Header: h, Raw: raw}
	d := decoder{what: h.Type.String() + " SDR", b: raw}
	switch h.Type {
	case TypeFull:
		r.Full, err = decodeFull(&d)
	case TypeCompact:
		r.Compact, err = decodeCompact(&d)
	case TypeEventOnly:
		r.EventOnly, err = decodeEventOnly(&d)
	case TypeEntityAssoc:
		r.EntityAssoc, err = decodeEntityAssoc(&d)
	case TypeDeviceEntityAssoc:
		r.DeviceEntityAssoc, err = decodeDeviceEntityAssoc(&d)
	case TypeGenericLocator:
		r.GenericLocator, err = decodeGenericLocator(&d)
	case TypeFRULocator:
		r.FRULocator, err = decodeFRULocator(&d)
	case TypeMCLocator:
		r.MCLocator, err = decodeMCLocator(&d)
	case TypeMCConfirmation:
		r.MCConfirmation, err = decodeMCConfirmation(&d)
	case TypeBMCChannelInfo:
		r.BMCChannelInfo, err = decodeBMCChannelInfo(&d)
	case TypeOEM:
		r.OEM, err = decodeOEM(&d)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// decoder reads fixed offsets of one record, checking bounds once.
type decoder struct {
	what string
	b    []byte
}

// need fails unless the record holds at least n bytes (header included).
func (d *decoder) need(n int) error {
	if len(d.b) < n {
		return &ipmi.FormatError{What: d.what, Offset: len(d.b),
			Msg: fmt.Sprintf("%d bytes, need at least %d", len(d.b), n)}
	}
	return nil
}

// id decodes the ID string whose type/length byte is at off.
func (d *decoder) id(off int) (name, raw string, code uint8) {
	if off >= len(d.b) {
		return "", "", 0
	}
	code = d.b[off]
	if code == 0 {
		return "", "", 0
	}
	b := idBytes(code, d.b[off+1:])
	return decodeID(code, b), rawName(b), code
}
