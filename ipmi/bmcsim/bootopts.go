package bmcsim

import (
	"github.com/ipmictl/ipmictl/ipmi"
)

// Boot option parameters (IPMI v2.0 table 28-14) and their data sizes.
const (
	bootSetInProgress   = 0
	bootServicePart     = 1
	bootServiceScan     = 2
	bootValidBitClear   = 3
	bootInfoAck         = 4
	bootFlags           = 5
	bootInitiatorInfo   = 6
	bootInitiatorMbox   = 7
	bootMailboxBlocks   = 4
	bootMailboxBlockLen = 16
)

var bootParamLen = map[uint8]int{
	bootSetInProgress: 1,
	bootServicePart:   1,
	bootServiceScan:   1,
	bootValidBitClear: 1,
	bootInfoAck:       2,
	bootFlags:         5,
	bootInitiatorInfo: 9,
}

func newBootParams() map[uint8][]byte {
	m := make(map[uint8][]byte)
	for p, n := range bootParamLen {
		m[p] = make([]byte, n)
	}
	m[bootMailboxKey(0)] = make([]byte, bootMailboxBlockLen)
	for i := uint8(1); i < bootMailboxBlocks; i++ {
		m[bootMailboxKey(i)] = make([]byte, bootMailboxBlockLen)
	}
	return m
}

// bootMailboxKey stores mailbox blocks beside the other parameters.
func bootMailboxKey(block uint8) uint8 { return 0x80 | block }

// resetBootFlags clears a one-time boot device when the host restarts.
func (c *chassisState) resetBootFlags() {
	f := c.boot[bootFlags]
	if f[0]&0x80 != 0 && f[0]&0x40 == 0 {
		f[0] &^= 0x80
	}
}

// BootFlags returns the five boot flag bytes (parameter 5) for tests.
func (b *BMC) BootFlags() [5]byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	var f [5]byte
	copy(f[:], b.chassis.boot[bootFlags])
	return f
}

func (b *BMC) setBootOptions(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) < 1 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	param := data[0] & 0x7F
	val := data[1:]
	boot := b.chassis.boot
	if param == bootInitiatorMbox {
		if len(val) < 1 || len(val) > 1+bootMailboxBlockLen {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		if val[0] >= bootMailboxBlocks {
			return fail(ipmi.CodeParameterOutOfRange)
		}
		blk := boot[bootMailboxKey(val[0])]
		clear(blk)
		copy(blk, val[1:])
		return ok()
	}
	n, known := bootParamLen[param]
	if !known {
		return fail(ipmi.CodeParameterNotSupported)
	}
	if len(val) != n {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	switch param {
	case bootSetInProgress:
		v := val[0] & 0x03
		if v == 3 {
			return fail(ipmi.CodeInvalidDataField)
		}
		if v == 1 && boot[param][0] == 1 {
			return fail(ipmi.CodeSetInProgressAlready)
		}
		boot[param][0] = v &^ 0x02 // "commit write" completes at once
		return ok()
	case bootInfoAck:
		// Byte 1 is a write mask for byte 2.
		cur := boot[param]
		cur[1] = cur[1]&^val[0] | val[1]&val[0]
		return ok()
	case bootFlags:
		copy(boot[param], val)
		// Setting valid flags marks the info as unacknowledged.
		if val[0]&0x80 != 0 {
			boot[bootInfoAck][1] = 0
		}
		return ok()
	}
	copy(boot[param], val)
	return ok()
}

func (b *BMC) getBootOptions(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 3 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	param := data[0] & 0x7F
	boot := b.chassis.boot
	head := []byte{0x01, param}
	if param == bootInitiatorMbox {
		if data[1] >= bootMailboxBlocks {
			return fail(ipmi.CodeParameterOutOfRange)
		}
		out := append(head, data[1])
		return ok(append(out, boot[bootMailboxKey(data[1])]...)...)
	}
	v, known := boot[param]
	if !known || param >= 0x80 {
		return fail(ipmi.CodeParameterNotSupported)
	}
	return ok(append(head, v...)...)
}
