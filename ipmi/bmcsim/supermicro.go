package bmcsim

import "github.com/ipmictl/ipmictl/ipmi"

// Supermicro's OEM command: NetFn 30h, command 70h; sub-function 0Ch is
// the LAN mode (0 dedicated, 1 shared, 2 failover), read with 0Ch 00h.
const (
	netFnSupermicro  ipmi.NetFn = 0x30
	cmdSupermicroOEM            = 0x70
	smSubLANMode                = 0x0C
)

// WithSupermicroLANMode makes the BMC answer Supermicro's Get LAN Mode
// (raw 0x30 0x70 0x0c 0) with mode. Without it the command is invalid
// (C1h), as on any other vendor's BMC.
func WithSupermicroLANMode(mode uint8) Option {
	return func(c *config) { c.smLANMode = &mode }
}

func (b *BMC) supermicroOEM(_ *SessionInfo, data []byte) *ipmi.Response {
	if b.cfg.smLANMode == nil {
		return fail(ipmi.CodeInvalidCommand)
	}
	if len(data) != 2 || data[0] != smSubLANMode {
		return fail(ipmi.CodeInvalidDataField)
	}
	if data[1] != 0 { // only the read is simulated
		return fail(ipmi.CodeInvalidDataField)
	}
	return ok(*b.cfg.smLANMode)
}
