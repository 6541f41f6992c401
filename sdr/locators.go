package sdr

import "encoding/binary"

// EntityRef names one entity (ID and instance).
type EntityRef struct {
	ID       uint8
	Instance uint8
}

// EntityAssoc is a type 08h record: a container entity and the entities
// it holds, as a list or as up to two ranges.
type EntityAssoc struct {
	ContainerID       uint8
	ContainerInstance uint8
	IsRange           bool
	Linked            bool
	Accessible        bool
	Contained         [4]EntityRef
}

func decodeEntityAssoc(d *decoder) (*EntityAssoc, error) {
	if err := d.need(16); err != nil {
		return nil, err
	}
	b := d.b
	e := &EntityAssoc{
		ContainerID: b[5], ContainerInstance: b[6],
		IsRange: b[7]&0x80 != 0, Linked: b[7]&0x40 != 0, Accessible: b[7]&0x20 != 0,
	}
	for i := range e.Contained {
		e.Contained[i] = EntityRef{b[8+2*i], b[9+2*i]}
	}
	return e, nil
}

// DeviceEntityRef is an entity qualified by the controller that owns it.
type DeviceEntityRef struct {
	DeviceAddr    uint8
	DeviceChannel uint8
	EntityRef
}

// DeviceEntityAssoc is a type 09h record: a device-relative entity
// association.
type DeviceEntityAssoc struct {
	ContainerID       uint8
	ContainerInstance uint8
	ContainerAddr     uint8
	ContainerChannel  uint8
	IsRange           bool
	Linked            bool
	Accessible        bool
	Contained         [4]DeviceEntityRef
}

func decodeDeviceEntityAssoc(d *decoder) (*DeviceEntityAssoc, error) {
	if err := d.need(26); err != nil {
		return nil, err
	}
	b := d.b
	e := &DeviceEntityAssoc{
		ContainerID: b[5], ContainerInstance: b[6],
		ContainerAddr: b[7], ContainerChannel: b[8] >> 4,
		IsRange: b[9]&0x80 != 0, Linked: b[9]&0x40 != 0, Accessible: b[9]&0x20 != 0,
	}
	for i := range e.Contained {
		o := 10 + 4*i
		e.Contained[i] = DeviceEntityRef{b[o], b[o+1] >> 4, EntityRef{b[o+2], b[o+3]}}
	}
	return e, nil
}

// GenericLocator is a type 10h record: a device that is not an IPMI
// controller (an I2C sensor, an EEPROM).
type GenericLocator struct {
	AccessAddr     uint8
	SlaveAddr      uint8
	Channel        uint8
	LUN            uint8
	Bus            uint8
	AddrSpan       uint8
	DeviceType     uint8
	DeviceModifier uint8
	EntityID       uint8
	EntityInstance uint8
	OEM            uint8
	IDCode         uint8
	Name           string
	RawName        string
}

func decodeGenericLocator(d *decoder) (*GenericLocator, error) {
	if err := d.need(16); err != nil {
		return nil, err
	}
	b := d.b
	g := &GenericLocator{
		AccessAddr: b[5], SlaveAddr: b[6],
		Channel: b[7] >> 5, LUN: (b[7] >> 3) & 3, Bus: b[7] & 7, AddrSpan: b[8] & 7,
		DeviceType: b[10], DeviceModifier: b[11],
		EntityID: b[12], EntityInstance: b[13], OEM: b[14],
	}
	g.Name, g.RawName, g.IDCode = d.id(15)
	return g, nil
}

// FRULocator is a type 11h record: where a FRU inventory device lives.
type FRULocator struct {
	AccessAddr     uint8
	DeviceID       uint8 // FRU device ID (logical) or slave address
	Logical        bool
	LUN            uint8
	Bus            uint8
	Channel        uint8
	DeviceType     uint8
	DeviceModifier uint8
	EntityID       uint8
	EntityInstance uint8
	OEM            uint8
	IDCode         uint8
	Name           string
	RawName        string
}

func decodeFRULocator(d *decoder) (*FRULocator, error) {
	if err := d.need(16); err != nil {
		return nil, err
	}
	b := d.b
	f := &FRULocator{
		AccessAddr: b[5], DeviceID: b[6],
		Logical: b[7]&0x80 != 0, LUN: (b[7] >> 3) & 3, Bus: b[7] & 7,
		Channel: b[8] >> 4, DeviceType: b[10], DeviceModifier: b[11],
		EntityID: b[12], EntityInstance: b[13], OEM: b[14],
	}
	f.Name, f.RawName, f.IDCode = d.id(15)
	return f, nil
}

// MCLocator is a type 12h record: a management controller.
type MCLocator struct {
	SlaveAddr      uint8
	Channel        uint8
	PowerState     uint8 // bits 7:5 of byte 7 (bit 0 of this: static presence)
	GlobalInit     uint8
	Capabilities   uint8
	EntityID       uint8
	EntityInstance uint8
	OEM            uint8
	IDCode         uint8
	Name           string
	RawName        string
}

// Static reports a controller that is always present (ipmitool "Static MC").
func (m *MCLocator) Static() bool { return m.PowerState&1 != 0 }

func decodeMCLocator(d *decoder) (*MCLocator, error) {
	if err := d.need(16); err != nil {
		return nil, err
	}
	b := d.b
	m := &MCLocator{
		SlaveAddr: b[5], Channel: b[6] & 0x0f,
		PowerState: b[7] >> 5, GlobalInit: b[7] & 0x0f, Capabilities: b[8],
		EntityID: b[12], EntityInstance: b[13], OEM: b[14],
	}
	m.Name, m.RawName, m.IDCode = d.id(15)
	return m, nil
}

// MCConfirmation is a type 13h record: the identity a controller had when
// the repository was built.
type MCConfirmation struct {
	SlaveAddr      uint8
	DeviceID       uint8
	Channel        uint8
	DeviceRevision uint8
	FirmwareMajor  uint8
	FirmwareMinor  uint8
	IPMIVersion    uint8
	ManufacturerID uint32
	ProductID      uint16
	GUID           [16]byte
}

func decodeMCConfirmation(d *decoder) (*MCConfirmation, error) {
	if err := d.need(32); err != nil {
		return nil, err
	}
	b := d.b
	m := &MCConfirmation{
		SlaveAddr: b[5] >> 1, DeviceID: b[6], Channel: b[7] >> 4, DeviceRevision: b[7] & 0x0f,
		FirmwareMajor: b[8] & 0x7f, FirmwareMinor: b[9], IPMIVersion: b[10],
		ManufacturerID: uint32(b[11]) | uint32(b[12])<<8 | uint32(b[13]&0x0f)<<16,
		ProductID:      binary.LittleEndian.Uint16(b[14:]),
	}
	copy(m.GUID[:], b[16:32])
	return m, nil
}

// BMCChannelInfo is a type 14h record: the BMC's message channels.
type BMCChannelInfo struct {
	Channels          [8]uint8
	MessageInterrupt  uint8
	EventBufInterrupt uint8
}

func decodeBMCChannelInfo(d *decoder) (*BMCChannelInfo, error) {
	if err := d.need(15); err != nil {
		return nil, err
	}
	b := d.b
	c := &BMCChannelInfo{MessageInterrupt: b[13], EventBufInterrupt: b[14]}
	copy(c.Channels[:], b[5:13])
	return c, nil
}

// OEMRecord is a type C0h record: a manufacturer ID and opaque data.
type OEMRecord struct {
	ManufacturerID uint32
	Data           []byte
}

func decodeOEM(d *decoder) (*OEMRecord, error) {
	if err := d.need(8); err != nil {
		return nil, err
	}
	b := d.b
	return &OEMRecord{
		ManufacturerID: uint32(b[5]) | uint32(b[6])<<8 | uint32(b[7])<<16,
		Data:           append([]byte(nil), b[8:]...),
	}, nil
}
