package bmcsim

import (
	"github.com/ipmictl/ipmictl/ipmi"
)

// LAN configuration parameters (IPMI v2.0 table 23-4).
const (
	lanSetInProgress   = 0
	lanAuthSupport     = 1
	lanAuthEnables     = 2
	lanIPAddr          = 3
	lanIPSource        = 4
	lanMAC             = 5
	lanNetmask         = 6
	lanIPHeader        = 7
	lanPrimaryPort     = 8
	lanSecondaryPort   = 9
	lanARPControl      = 10
	lanGARPInterval    = 11
	lanGatewayIP       = 12
	lanGatewayMAC      = 13
	lanBackupGWIP      = 14
	lanBackupGWMAC     = 15
	lanCommunity       = 16
	lanNumDest         = 17
	lanDestType        = 18
	lanDestAddr        = 19
	lanVLANID          = 20
	lanVLANPriority    = 21
	lanCipherCount     = 22
	lanCipherSuites    = 23
	lanCipherPrivs     = 24
	lanDestVLAN        = 25
	lanBadPassword     = 26
	lanDestinations    = 4 // destination set selectors 0..3 (0 is volatile)
	lanParamRevision   = 0x11
	defaultSuitePriv   = uint8(ipmi.PrivilegeAdmin)
	cipherZeroPriv     = uint8(ipmi.PrivilegeUser)
	lanAuthTypeSupport = 0x15 // none, MD5, straight password
)

type lanState struct {
	params      map[uint8][]byte  // fixed-size parameters, by selector
	destTable   map[uint16][]byte // param<<8 | set selector, for 18, 19, 25
	authEnables [5]uint8          // callback, user, operator, admin, OEM
	suitePrivs  []uint8           // per advertisedSuites entry
}

// fixed parameter sizes; parameters absent here are special or read-only.
var lanParamLen = map[uint8]int{
	lanSetInProgress: 1, lanIPAddr: 4, lanIPSource: 1, lanMAC: 6, lanNetmask: 4,
	lanIPHeader: 3, lanPrimaryPort: 2, lanSecondaryPort: 2, lanARPControl: 1,
	lanGARPInterval: 1, lanGatewayIP: 4, lanGatewayMAC: 6, lanBackupGWIP: 4,
	lanBackupGWMAC: 6, lanCommunity: 18, lanVLANID: 2, lanVLANPriority: 1,
	lanBadPassword: 6,
}

var lanDestLen = map[uint8]int{lanDestType: 4, lanDestAddr: 13, lanDestVLAN: 4}

func newLANState(index int) lanState {
	hi, lo := byte(index>>8), byte(index)
	l := lanState{params: map[uint8][]byte{}, destTable: map[uint16][]byte{}}
	l.params[lanSetInProgress] = []byte{0}
	l.params[lanIPAddr] = []byte{10, 20 + hi, lo, 10}
	l.params[lanIPSource] = []byte{0x01} // static
	l.params[lanMAC] = []byte{0x02, 0x00, 0x5E, 0x10, hi, lo}
	l.params[lanNetmask] = []byte{255, 255, 0, 0}
	l.params[lanIPHeader] = []byte{0x40, 0x40, 0x10}
	l.params[lanPrimaryPort] = []byte{0x6F, 0x02} // 623
	l.params[lanSecondaryPort] = []byte{0x98, 0x02}
	l.params[lanARPControl] = []byte{0x02}
	l.params[lanGARPInterval] = []byte{4} // 2 s
	l.params[lanGatewayIP] = []byte{10, 20 + hi, 0, 1}
	l.params[lanGatewayMAC] = []byte{0x02, 0x00, 0x5E, 0x00, 0x00, 0x01}
	l.params[lanBackupGWIP] = []byte{0, 0, 0, 0}
	l.params[lanBackupGWMAC] = []byte{0, 0, 0, 0, 0, 0}
	l.params[lanCommunity] = append([]byte("public"), make([]byte, 12)...)
	l.params[lanVLANID] = []byte{0, 0}
	l.params[lanVLANPriority] = []byte{0}
	l.params[lanBadPassword] = []byte{0, 0, 0, 0, 0, 0}
	for i := range l.authEnables {
		l.authEnables[i] = 0x14 // MD5 and straight password
	}
	l.suitePrivs = make([]uint8, len(advertisedSuites))
	for i, cs := range advertisedSuites {
		l.suitePrivs[i] = defaultSuitePriv
		if cs.id == 0 {
			l.suitePrivs[i] = cipherZeroPriv
		}
	}
	for set := range uint8(lanDestinations) {
		for p, n := range lanDestLen {
			v := make([]byte, n)
			v[0] = set
			l.destTable[uint16(p)<<8|uint16(set)] = v
		}
	}
	return l
}

func (l *lanState) cipherPrivBytes() []byte {
	out := make([]byte, 9)
	for i, p := range l.suitePrivs {
		if i >= 16 {
			break
		}
		out[1+i/2] |= (p & 0x0F) << (4 * (i % 2))
	}
	return out
}

func (b *BMC) getLANConfig(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 4 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	if b.resolveChannel(data[0]&0x0F, s) != lanChannel {
		return fail(ipmi.CodeInvalidDataField)
	}
	if data[0]&0x80 != 0 {
		return ok(lanParamRevision)
	}
	param, set := data[1], data[2]
	l := &b.lan
	rev := []byte{lanParamRevision}
	switch param {
	case lanAuthSupport:
		return ok(lanParamRevision, lanAuthTypeSupport)
	case lanAuthEnables:
		return ok(append(rev, l.authEnables[:]...)...)
	case lanNumDest:
		return ok(lanParamRevision, lanDestinations-1)
	case lanDestType, lanDestAddr, lanDestVLAN:
		v, found := l.destTable[uint16(param)<<8|uint16(set)]
		if !found {
			return fail(ipmi.CodeParameterOutOfRange)
		}
		return ok(append(rev, v...)...)
	case lanCipherCount:
		return ok(lanParamRevision, uint8(len(advertisedSuites)))
	case lanCipherSuites:
		out := append(rev, 0)
		for _, cs := range advertisedSuites {
			out = append(out, cs.id)
		}
		return ok(out...)
	case lanCipherPrivs:
		return ok(append(rev, l.cipherPrivBytes()...)...)
	}
	v, found := l.params[param]
	if !found {
		return fail(ipmi.CodeParameterNotSupported)
	}
	return ok(append(rev, v...)...)
}

func (b *BMC) setLANConfig(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) < 2 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	if b.resolveChannel(data[0]&0x0F, s) != lanChannel {
		return fail(ipmi.CodeInvalidDataField)
	}
	param, val := data[1], data[2:]
	l := &b.lan
	switch param {
	case lanAuthSupport, lanNumDest, lanCipherCount, lanCipherSuites:
		return fail(ipmi.CodeWriteToReadOnlyParamter)
	case lanSetInProgress:
		if len(val) != 1 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		v := val[0] & 0x03
		if v == 3 {
			return fail(ipmi.CodeInvalidDataField)
		}
		if v == 1 && l.params[lanSetInProgress][0] == 1 {
			return fail(ipmi.CodeSetInProgressAlready)
		}
		l.params[lanSetInProgress][0] = v &^ 0x02
		return ok()
	case lanAuthEnables:
		if len(val) != 5 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		for i := range l.authEnables {
			l.authEnables[i] = val[i] & lanAuthTypeSupport
		}
		return ok()
	case lanCipherPrivs:
		if len(val) != 9 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		for i := range l.suitePrivs {
			p := val[1+i/2] >> (4 * (i % 2)) & 0x0F
			if p > uint8(ipmi.PrivilegeOEM) {
				return fail(ipmi.CodeInvalidDataField)
			}
			l.suitePrivs[i] = p
		}
		return ok()
	case lanDestType, lanDestAddr, lanDestVLAN:
		if len(val) != lanDestLen[param] {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		key := uint16(param)<<8 | uint16(val[0])
		cur, found := l.destTable[key]
		if !found {
			return fail(ipmi.CodeParameterOutOfRange)
		}
		copy(cur, val)
		return ok()
	}
	n, found := lanParamLen[param]
	if !found {
		return fail(ipmi.CodeParameterNotSupported)
	}
	if len(val) != n {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	switch param {
	case lanIPSource:
		if val[0]&0x0F > 4 {
			return fail(ipmi.CodeInvalidDataField)
		}
	case lanVLANID:
		if val[1]&0x70 != 0 {
			return fail(ipmi.CodeInvalidDataField)
		}
	case lanMAC:
		if val[0]&0x01 != 0 { // multicast addresses are not station addresses
			return fail(ipmi.CodeInvalidDataField)
		}
	}
	copy(l.params[param], val)
	return ok()
}
