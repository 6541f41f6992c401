package hostile

import "encoding/binary"

// rmcpPlus is what a tamperer needs to know about an RMCP+ session packet.
type rmcpPlus struct {
	sessionID uint32
	seq       uint32
	payloadAt int // offset of the (possibly encrypted) payload
	payloadN  int
	authed    bool
}

// parseRMCPPlus recognises an RMCP+ (auth type 6) IPMI-class packet of an
// established session (session ID and sequence number both non-zero).
func parseRMCPPlus(b []byte) (rmcpPlus, bool) {
	var p rmcpPlus
	if len(b) < 16 || b[0] != 0x06 || b[3]&0x1F != 0x07 || b[4] != 0x06 {
		return p, false
	}
	pt := b[5]
	if pt&0x3F == 0x02 { // OEM explicit payloads: not ours to tamper with
		return p, false
	}
	const at = 16
	p.sessionID = binary.LittleEndian.Uint32(b[6:])
	p.seq = binary.LittleEndian.Uint32(b[10:])
	p.payloadN = int(binary.LittleEndian.Uint16(b[at-2:]))
	p.payloadAt = at
	p.authed = pt&0x40 != 0
	if p.sessionID == 0 || p.seq == 0 || at+p.payloadN > len(b) {
		return p, false
	}
	return p, true
}
