package bmcsim

import (
	"github.com/ipmictl/ipmictl/ipmi"
)

// System information parameters (IPMI v2.0 section 22.14a).
const (
	sysInfoFirmwareVersion = 1
	sysInfoSystemName      = 2
	sysInfoPrimaryOS       = 3
	sysInfoOSName          = 4
	sysInfoOSVersion       = 5
	sysInfoBMCURL          = 6       // settable; unset it answers "not supported"
	sysInfoMaxBytes        = 16 * 16 // 16 blocks of 16 bytes
)

func newSysInfo(host string) map[uint8][]byte {
	return map[uint8][]byte{
		sysInfoFirmwareVersion: []byte("SimBIOS 2.4.1"),
		sysInfoSystemName:      []byte(host),
		sysInfoPrimaryOS:       []byte("Linux"),
		sysInfoOSName:          []byte("Debian GNU/Linux 12"),
		sysInfoOSVersion:       []byte("6.1.0-sim"),
	}
}

// getSystemInfo serves Get System Info Parameters: set selector 0 carries
// encoding and length then 14 string bytes, each later set 16 more.
func (b *BMC) getSystemInfo(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 4 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	if data[0]&0x80 != 0 {
		return ok(0x11)
	}
	param, set := data[1], data[2]
	if param == 0 {
		return ok(0x11, 0x00)
	}
	str, found := b.sysinfo[param]
	if !found {
		return fail(ipmi.CodeParameterNotSupported)
	}
	// The full parameter: encoding, length, string, zero padded.
	full := make([]byte, 2+len(str))
	full[0], full[1] = 0x00, byte(len(str))
	copy(full[2:], str)
	start := int(set) * 16
	if set >= 16 {
		return fail(ipmi.CodeParameterOutOfRange)
	}
	block := make([]byte, 16)
	if start < len(full) {
		copy(block, full[start:])
	}
	return ok(append([]byte{0x11, set}, block...)...)
}

func (b *BMC) setSystemInfo(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) < 2 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	param := data[0]
	if param == 0 {
		return ok()
	}
	if param < sysInfoFirmwareVersion || param > sysInfoBMCURL {
		return fail(ipmi.CodeParameterNotSupported)
	}
	if param == sysInfoFirmwareVersion {
		return fail(ipmi.CodeWriteToReadOnlyParamter)
	}
	if len(data) < 3 || len(data) > 18 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	set, block := data[1], data[2:]
	if set >= 16 {
		return fail(ipmi.CodeParameterOutOfRange)
	}
	if set == 0 {
		if len(block) < 2 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		n := int(block[1])
		if n > sysInfoMaxBytes-2 {
			return fail(ipmi.CodeInvalidDataField)
		}
		str := make([]byte, n)
		copy(str, block[2:])
		b.sysinfo[param] = str
		return ok()
	}
	str := b.sysinfo[param]
	start := int(set)*16 - 2
	for i, c := range block {
		if start+i < len(str) {
			str[start+i] = c
		}
	}
	return ok()
}
