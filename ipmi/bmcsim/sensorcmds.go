package bmcsim

import (
	"github.com/ipmictl/ipmictl/ipmi"
)

// lookupSensor decodes the one-byte sensor number every sensor command
// starts with; want is the exact request length.
func (b *BMC) lookupSensor(data []byte, want int) (*sensor, *ipmi.Response) {
	if len(data) != want {
		return nil, fail(ipmi.CodeRequestLengthInvalid)
	}
	s := b.sensorByNum(data[0])
	if s == nil {
		return nil, fail(ipmi.CodeNotPresent)
	}
	return s, nil
}

func (s *sensor) flags() uint8 {
	var f uint8
	if s.eventsOn {
		f |= 0x80
	}
	if s.scanning {
		f |= 0x40
	}
	if s.unavailable || !s.scanning {
		f |= 0x20
	}
	return f
}

func (b *BMC) getSensorReading(_ *SessionInfo, data []byte) *ipmi.Response {
	s, r := b.lookupSensor(data, 1)
	if r != nil {
		return r
	}
	switch s.kind {
	case kindEventOnly:
		return fail(ipmi.CodeNotPresent)
	case kindThreshold:
		raw := s.raw
		if s.unavailable {
			raw = 0
		}
		return ok(raw, s.flags(), 0xC0|uint8(s.states)&0x3F)
	}
	return ok(0x00, s.flags(), uint8(s.states), 0x80|uint8(s.states>>8)&0x7F)
}

func (b *BMC) getSensorThresholds(_ *SessionInfo, data []byte) *ipmi.Response {
	s, r := b.lookupSensor(data, 1)
	if r != nil {
		return r
	}
	if !s.threshold() {
		return fail(ipmi.CodeIllegalForSensor)
	}
	out := []byte{s.readableMask()}
	for _, t := range s.thr {
		if t == thresholdNA {
			t = 0
		}
		out = append(out, t)
	}
	return ok(out...)
}

func (b *BMC) setSensorThresholds(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 8 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	s := b.sensorByNum(data[0])
	if s == nil {
		return fail(ipmi.CodeNotPresent)
	}
	if !s.threshold() {
		return fail(ipmi.CodeIllegalForSensor)
	}
	mask := data[1] & 0x3F
	if mask&^s.readableMask() != 0 {
		return fail(ipmi.CodeInvalidDataField) // not settable
	}
	for i := range 6 {
		if mask&(1<<i) != 0 {
			s.thr[i] = data[2+i]
		}
	}
	if !s.unavailable {
		b.updateThresholdState(s, b.now(), true)
	}
	return ok()
}

func (b *BMC) getSensorHysteresis(_ *SessionInfo, data []byte) *ipmi.Response {
	s, r := b.lookupSensor(data, 2)
	if r != nil {
		return r
	}
	if !s.threshold() {
		return fail(ipmi.CodeIllegalForSensor)
	}
	return ok(s.hyst, s.hyst)
}

func (b *BMC) setSensorHysteresis(_ *SessionInfo, data []byte) *ipmi.Response {
	s, r := b.lookupSensor(data, 4)
	if r != nil {
		return r
	}
	if !s.threshold() {
		return fail(ipmi.CodeIllegalForSensor)
	}
	// One value serves both directions in this model; keep the larger.
	s.hyst = max(data[2], data[3])
	return ok()
}

func (b *BMC) getSensorEventEnable(_ *SessionInfo, data []byte) *ipmi.Response {
	s, r := b.lookupSensor(data, 1)
	if r != nil {
		return r
	}
	f := s.flags() & 0xC0
	return ok(f, uint8(s.assertEn), uint8(s.assertEn>>8), uint8(s.deassertEn), uint8(s.deassertEn>>8))
}

func (b *BMC) setSensorEventEnable(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) < 2 || len(data) > 6 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	s := b.sensorByNum(data[0])
	if s == nil {
		return fail(ipmi.CodeNotPresent)
	}
	s.eventsOn = data[1]&0x80 != 0
	s.scanning = data[1]&0x40 != 0
	var masks [4]byte
	copy(masks[:], data[2:])
	as := uint16(masks[0]) | uint16(masks[1])<<8
	ds := uint16(masks[2]) | uint16(masks[3])<<8
	switch data[1] >> 4 & 0x03 {
	case 1:
		s.assertEn |= as
		s.deassertEn |= ds
	case 2:
		s.assertEn &^= as
		s.deassertEn &^= ds
	case 3:
		return fail(ipmi.CodeInvalidDataField)
	}
	return ok()
}

func (b *BMC) rearmSensor(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) < 2 || len(data) > 6 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	s := b.sensorByNum(data[0])
	if s == nil {
		return fail(ipmi.CodeNotPresent)
	}
	if data[1]&0x80 == 0 {
		s.asserted = 0
	} else {
		var masks [4]byte
		copy(masks[:], data[2:])
		s.asserted &^= uint16(masks[0]) | uint16(masks[1])<<8
	}
	return ok()
}

func (b *BMC) getSensorEventStatus(_ *SessionInfo, data []byte) *ipmi.Response {
	s, r := b.lookupSensor(data, 1)
	if r != nil {
		return r
	}
	if s.kind == kindEventOnly {
		return fail(ipmi.CodeIllegalForSensor)
	}
	asserted := s.asserted
	if s.kind == kindDiscrete {
		asserted = s.states
	}
	return ok(s.flags(), uint8(asserted), uint8(asserted>>8), 0, 0)
}

func (b *BMC) getSensorType(_ *SessionInfo, data []byte) *ipmi.Response {
	s, r := b.lookupSensor(data, 1)
	if r != nil {
		return r
	}
	return ok(s.stype, s.ertype)
}
