package bmcsim

import (
	"encoding/binary"

	"github.com/ipmictl/ipmictl/ipmi"
)

// PEF configuration parameters (IPMI v2.0 table 30-6).
const (
	pefSetInProgress = 0
	pefControl       = 1
	pefActionControl = 2
	pefStartupDelay  = 3
	pefAlertDelay    = 4
	pefNumFilters    = 5
	pefFilterTable   = 6
	pefFilterData1   = 7
	pefNumPolicies   = 8
	pefPolicyTable   = 9
	pefSystemGUID    = 10
	pefFilters       = 16
	pefPolicies      = 4
	pefFilterLen     = 20
	pefPolicyLen     = 3
)

type pefState struct {
	params       map[uint8][]byte
	filters      [pefFilters][pefFilterLen]byte
	policies     [pefPolicies][pefPolicyLen]byte
	receiver     [2]byte
	lastSW       uint16
	lastBMC      uint16
	guidOverride [17]byte
}

func newPEFState() pefState {
	p := pefState{params: map[uint8][]byte{
		pefSetInProgress: {0},
		pefControl:       {0x01}, // PEF enabled
		pefActionControl: {0x0F}, // alert, power down, reset, power cycle
		pefStartupDelay:  {60},
		pefAlertDelay:    {60},
	}, receiver: [2]byte{0x20, 0x00}}
	// Filter 1: power down on any critical temperature assertion (disabled).
	p.filters[0] = [pefFilterLen]byte{0x40, 0x02, 0x11, 0, 0, 0xFF, 0xFF, 0x20, 0x01, 0xFF, 0x01, 0x00, 0x02}
	return p
}

func (b *BMC) getPEFCapabilities(_ *SessionInfo, data []byte) *ipmi.Response {
	return ok(0x51, 0x0F, pefFilters)
}

func (b *BMC) getPEFConfig(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 3 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	if data[0]&0x80 != 0 {
		return ok(0x11)
	}
	param, set := data[0]&0x7F, data[1]
	p := &b.pef
	rev := []byte{0x11}
	switch param {
	case pefNumFilters:
		return ok(0x11, pefFilters)
	case pefNumPolicies:
		return ok(0x11, pefPolicies)
	case pefFilterTable:
		if set < 1 || set > pefFilters {
			return fail(ipmi.CodeParameterOutOfRange)
		}
		return ok(append(append(rev, set), p.filters[set-1][:]...)...)
	case pefFilterData1:
		if set < 1 || set > pefFilters {
			return fail(ipmi.CodeParameterOutOfRange)
		}
		return ok(0x11, set, p.filters[set-1][0])
	case pefPolicyTable:
		if set < 1 || set > pefPolicies {
			return fail(ipmi.CodeParameterOutOfRange)
		}
		return ok(append(append(rev, set), p.policies[set-1][:]...)...)
	case pefSystemGUID:
		g := append([]byte{0x00}, b.systemGUID[:]...)
		if p.guidOverride[0]&0x01 != 0 {
			g = p.guidOverride[:]
		}
		return ok(append(rev, g...)...)
	}
	v, found := p.params[param]
	if !found {
		return fail(ipmi.CodeParameterNotSupported)
	}
	return ok(append(rev, v...)...)
}

func (b *BMC) setPEFConfig(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) < 2 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	param, val := data[0]&0x7F, data[1:]
	p := &b.pef
	switch param {
	case pefNumFilters, pefNumPolicies:
		return fail(ipmi.CodeWriteToReadOnlyParamter)
	case pefFilterTable:
		if len(val) != 1+pefFilterLen {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		if val[0] < 1 || val[0] > pefFilters {
			return fail(ipmi.CodeParameterOutOfRange)
		}
		copy(p.filters[val[0]-1][:], val[1:])
		return ok()
	case pefFilterData1:
		if len(val) != 2 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		if val[0] < 1 || val[0] > pefFilters {
			return fail(ipmi.CodeParameterOutOfRange)
		}
		p.filters[val[0]-1][0] = val[1]
		return ok()
	case pefPolicyTable:
		if len(val) != 1+pefPolicyLen {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		if val[0] < 1 || val[0] > pefPolicies {
			return fail(ipmi.CodeParameterOutOfRange)
		}
		copy(p.policies[val[0]-1][:], val[1:])
		return ok()
	case pefSystemGUID:
		if len(val) != 17 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		copy(p.guidOverride[:], val)
		return ok()
	}
	cur, found := p.params[param]
	if !found {
		return fail(ipmi.CodeParameterNotSupported)
	}
	if len(val) != len(cur) {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	copy(cur, val)
	return ok()
}

func (b *BMC) getEventReceiver(_ *SessionInfo, data []byte) *ipmi.Response {
	return ok(b.pef.receiver[0], b.pef.receiver[1])
}

func (b *BMC) setEventReceiver(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 2 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	b.pef.receiver = [2]byte{data[0], data[1] & 0x03}
	return ok()
}

func (b *BMC) getLastProcessedEvent(_ *SessionInfo, data []byte) *ipmi.Response {
	out := make([]byte, 10)
	binary.LittleEndian.PutUint32(out, b.selStamp(b.sel.added))
	last := uint16(0xFFFF)
	if n := len(b.sel.entries); n > 0 {
		last = b.sel.entries[n-1].id
	}
	binary.LittleEndian.PutUint16(out[4:], last)
	binary.LittleEndian.PutUint16(out[6:], b.pef.lastSW)
	binary.LittleEndian.PutUint16(out[8:], b.pef.lastBMC)
	return ok(out...)
}

func (b *BMC) setLastProcessedEvent(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 3 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	id := binary.LittleEndian.Uint16(data[1:])
	if data[0]&0x01 != 0 {
		b.pef.lastBMC = id
	} else {
		b.pef.lastSW = id
	}
	return ok()
}
