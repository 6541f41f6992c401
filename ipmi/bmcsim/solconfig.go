package bmcsim

import (
	"github.com/ipmictl/ipmictl/ipmi"
)

// SOL configuration parameters (IPMI v2.0 table 26-5).
var solParamLen = map[uint8]int{
	0: 1, // set in progress
	1: 1, // SOL enable
	2: 1, // SOL authentication
	3: 2, // character accumulate interval, send threshold
	4: 2, // retry count, retry interval
	5: 1, // non-volatile bit rate
	6: 1, // volatile bit rate
	7: 1, // payload channel (read-only)
	8: 2, // payload port (read-only)
}

func newSOLParams() map[uint8][]byte {
	return map[uint8][]byte{
		0: {0x00},
		1: {0x01},
		2: {0x02},       // USER privilege, no forced encryption
		3: {0x0C, 0x60}, // 60 ms, 96 characters
		4: {0x07, 0x32}, // 7 retries, 500 ms
		5: {0x0A},       // 115200
		6: {0x0A},
		7: {lanChannel},
		8: {0x6F, 0x02}, // 623
	}
}

func (b *BMC) getSOLConfig(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 4 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	if b.resolveChannel(data[0]&0x0F, s) != lanChannel {
		return fail(ipmi.CodeInvalidDataField)
	}
	if data[0]&0x80 != 0 {
		return ok(0x11)
	}
	v, found := b.solParams()[data[1]]
	if !found {
		return fail(ipmi.CodeParameterNotSupported)
	}
	return ok(append([]byte{0x11}, v...)...)
}

func (b *BMC) setSOLConfig(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) < 2 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	if b.resolveChannel(data[0]&0x0F, s) != lanChannel {
		return fail(ipmi.CodeInvalidDataField)
	}
	param, val := data[1], data[2:]
	n, found := solParamLen[param]
	if !found {
		return fail(ipmi.CodeParameterNotSupported)
	}
	if param == 7 || param == 8 {
		return fail(ipmi.CodeWriteToReadOnlyParamter)
	}
	if len(val) != n {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	switch param {
	case 2:
		p := ipmi.Privilege(val[0] & 0x0F)
		if p < ipmi.PrivilegeUser || p > ipmi.PrivilegeOEM {
			return fail(ipmi.CodeInvalidDataField)
		}
	case 5, 6:
		if v := val[0] & 0x0F; v != 0 && (v < 6 || v > 10) {
			return fail(ipmi.CodeInvalidDataField)
		}
	}
	copy(b.solParams()[param], val)
	return ok()
}

func (b *BMC) solParams() map[uint8][]byte {
	if b.solCfg == nil {
		b.solCfg = newSOLParams()
	}
	return b.solCfg
}

// SOLEnabled reports whether SOL is enabled and the privilege it needs.
func (b *BMC) SOLEnabled() (bool, ipmi.Privilege) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.solParams()
	return p[1][0]&0x01 != 0, ipmi.Privilege(p[2][0] & 0x0F)
}
