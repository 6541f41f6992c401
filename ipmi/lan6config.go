package ipmi

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
)

// IPv6 LAN configuration parameters (IPMI v2.0 rev 1.1, table 23-4,
// parameters 50-80).
const (
	LAN6Support              LANParam = 50
	LAN6Enables              LANParam = 51
	LAN6TrafficClass         LANParam = 52
	LAN6StaticHopLimit       LANParam = 53
	LAN6FlowLabel            LANParam = 54
	LAN6Status               LANParam = 55
	LAN6StaticAddress        LANParam = 56
	LAN6StaticDUIDStorage    LANParam = 57
	LAN6StaticDUID           LANParam = 58
	LAN6DynamicAddress       LANParam = 59
	LAN6DynamicDUIDStorage   LANParam = 60
	LAN6DynamicDUID          LANParam = 61
	LAN6DHCPv6TimingSupport  LANParam = 62
	LAN6DHCPv6Timing         LANParam = 63
	LAN6RouterConfig         LANParam = 64
	LAN6StaticRouter1IP      LANParam = 65 // then MAC, prefix length, prefix
	LAN6StaticRouter2IP      LANParam = 69 // then MAC, prefix length, prefix
	LAN6DynamicRouterCount   LANParam = 73
	LAN6DynamicRouterIP      LANParam = 74 // then MAC, prefix length, prefix
	LAN6DynamicHopLimit      LANParam = 78
	LAN6NDSLAACTimingSupport LANParam = 79
	LAN6NDSLAACTiming        LANParam = 80
	lan6MaxSelector                   = 255 // set and block selectors are bytes
	lan6BlockSize                     = 16
	lan6StaticAddrEnabled    uint8    = 0x80
	LAN6EnablesIPv4Only      uint8    = 0
	LAN6EnablesIPv6Only      uint8    = 1
	LAN6EnablesBoth          uint8    = 2
	LAN6RouterStatic         uint8    = 1
	LAN6RouterDynamic        uint8    = 2
	lan6AddressSize                   = 20
)

// lan6Fixed copies b into a zeroed buffer of n bytes: a short answer reads
// as zero-padded and extra bytes are ignored, as ipmitool reads them.
func lan6Fixed(b []byte, n int) []byte {
	out := make([]byte, n)
	copy(out, b)
	return out
}

func lan6Addr(b []byte) netip.Addr { return netip.AddrFrom16([16]byte(lan6Fixed(b, 16))) }

// LAN6SupportBits is parameter 50.
type LAN6SupportBits uint8

func (s LAN6SupportBits) IPv6Only() bool     { return s&1 != 0 }
func (s LAN6SupportBits) DualStack() bool    { return s&2 != 0 }
func (s LAN6SupportBits) IPv6Alerting() bool { return s&4 != 0 }

// LAN6StatusInfo is parameter 55.
type LAN6StatusInfo struct {
	StaticMax  uint8 `json:"static_address_max"`
	DynamicMax uint8 `json:"dynamic_address_max"`
	DHCPv6     bool  `json:"dhcpv6_support"`
	SLAAC      bool  `json:"slaac_support"`
}

// DecodeLAN6Status decodes parameter 55.
func DecodeLAN6Status(b []byte) LAN6StatusInfo {
	d := lan6Fixed(b, 3)
	return LAN6StatusInfo{StaticMax: d[0], DynamicMax: d[1], DHCPv6: d[2]&1 != 0, SLAAC: d[2]&2 != 0}
}

// DecodeLAN6FlowLabel decodes parameter 54 (20 bits, most significant
// byte first; ipmitool shows the first byte unmasked, and so do we).
func DecodeLAN6FlowLabel(b []byte) uint32 {
	d := lan6Fixed(b, 3)
	return uint32(d[0])<<16 | uint32(d[1])<<8 | uint32(d[2])
}

// LAN6Address is one set of parameter 56 (static) or 59 (dynamic).
type LAN6Address struct {
	Set       uint8      `json:"set"`
	Control   uint8      `json:"control"` // static: bit 7 enabled; dynamic: low nibble source
	Address   netip.Addr `json:"address"`
	PrefixLen uint8      `json:"prefix_length"`
	Status    uint8      `json:"status"` // low nibble: 0 active ... 5 invalid
}

// Enabled reports a static address's enable bit.
func (a *LAN6Address) Enabled() bool { return a.Control&lan6StaticAddrEnabled != 0 }

// DecodeLAN6Address decodes one set of parameter 56 or 59.
func DecodeLAN6Address(b []byte) *LAN6Address {
	d := lan6Fixed(b, lan6AddressSize)
	return &LAN6Address{Set: d[0], Control: d[1], Address: lan6Addr(d[2:18]), PrefixLen: d[18], Status: d[19]}
}

// Encode returns the 20 data bytes of Set LAN Configuration Parameters.
func (a *LAN6Address) Encode() []byte {
	b := make([]byte, lan6AddressSize)
	b[0], b[1] = a.Set, a.Control
	a16 := a.Address.As16()
	copy(b[2:18], a16[:])
	b[18], b[19] = a.PrefixLen, a.Status
	return b
}

// LAN6Block is one set and block of a 16-byte-block parameter: the DHCPv6
// DUIDs (58, 61), DHCPv6 timing (63) and ND/SLAAC timing (80).
type LAN6Block struct {
	Set   uint8  `json:"set"`
	Block uint8  `json:"block"`
	Data  []byte `json:"data"` // always 16 bytes
}

// DecodeLAN6Block decodes set selector, block selector and 16 data bytes.
func DecodeLAN6Block(b []byte) *LAN6Block {
	d := lan6Fixed(b, 2+lan6BlockSize)
	return &LAN6Block{Set: d[0], Block: d[1], Data: d[2:]}
}

// Encode returns the 18 data bytes of Set LAN Configuration Parameters.
func (blk *LAN6Block) Encode() []byte {
	return append([]byte{blk.Set, blk.Block}, lan6Fixed(blk.Data, lan6BlockSize)...)
}

// LAN6Router is a static router (parameters 65-68 or 69-72) or one set of
// the dynamic router information (74-77).
type LAN6Router struct {
	Set       uint8      `json:"set"`
	Address   netip.Addr `json:"address"`
	MAC       MAC        `json:"mac"`
	PrefixLen uint8      `json:"prefix_length"`
	Prefix    netip.Addr `json:"prefix"`
}

// DecodeLAN6Router puts a router together from its four parameters. The
// dynamic ones start with a set selector byte; the static ones do not.
func DecodeLAN6Router(set uint8, dynamic bool, ip, mac, plen, prefix []byte) *LAN6Router {
	skip := func(b []byte) []byte {
		if dynamic && len(b) > 0 {
			return b[1:]
		}
		if dynamic {
			return nil
		}
		return b
	}
	r := &LAN6Router{Set: set, Address: lan6Addr(skip(ip)), PrefixLen: lan6Fixed(skip(plen), 1)[0], Prefix: lan6Addr(skip(prefix))}
	copy(r.MAC[:], lan6Fixed(skip(mac), 6))
	return r
}

// LAN6Config is what "lan6 print" shows: each field is nil or empty when
// the BMC does not support the parameter.
type LAN6Config struct {
	Support              *LAN6SupportBits `json:"support,omitempty"`
	Enables              *uint8           `json:"enables,omitempty"`
	TrafficClass         *uint8           `json:"traffic_class,omitempty"`
	StaticHopLimit       *uint8           `json:"static_hop_limit,omitempty"`
	FlowLabel            *uint32          `json:"flow_label,omitempty"`
	Status               *LAN6StatusInfo  `json:"status,omitempty"`
	StaticAddresses      []*LAN6Address   `json:"static_addresses,omitempty"`
	StaticDUIDStorage    *uint8           `json:"static_duid_storage,omitempty"`
	StaticDUID           []*LAN6Block     `json:"static_duid,omitempty"`
	DynamicAddresses     []*LAN6Address   `json:"dynamic_addresses,omitempty"`
	DynamicDUIDStorage   *uint8           `json:"dynamic_duid_storage,omitempty"`
	DynamicDUID          []*LAN6Block     `json:"dynamic_duid,omitempty"`
	DHCPv6TimingSupport  *uint8           `json:"dhcpv6_timing_support,omitempty"`
	DHCPv6Timing         [][2]*LAN6Block  `json:"dhcpv6_timing,omitempty"` // blocks 0 and 1 of each set
	RouterConfig         *uint8           `json:"router_config,omitempty"`
	StaticRouters        []*LAN6Router    `json:"static_routers,omitempty"`
	DynamicRouterCount   *uint8           `json:"dynamic_router_count,omitempty"`
	DynamicRouters       []*LAN6Router    `json:"dynamic_routers,omitempty"`
	DynamicHopLimit      *uint8           `json:"dynamic_hop_limit,omitempty"`
	NDSLAACTimingSupport *uint8           `json:"nd_slaac_timing_support,omitempty"`
	NDSLAACTiming        []*LAN6Block     `json:"nd_slaac_timing,omitempty"`
	// Failures are parameters the BMC refused with an unexpected
	// completion code (ipmitool reports these and goes on).
	Failures []LAN6Failure `json:"failures,omitempty"`
}

// LAN6Failure is a parameter the BMC refused.
type LAN6Failure struct {
	Param LANParam       `json:"parameter"`
	Code  CompletionCode `json:"completion_code"`
}

// lan6Quiet are the answers that just mean "not here": the parameter, set
// or block does not exist. They end a scan without a message.
func lan6Quiet(err error) bool {
	var ce *CompletionError
	return errors.As(err, &ce) && (ce.Code == CodeParameterNotSupported || ce.Code == 0xC9 || ce.Code == 0xCC)
}

// lan6Reader reads parameters of one channel, sorting failures into
// "absent" (quiet), "refused" (recorded) and fatal (transport errors).
type lan6Reader struct {
	c   *Client
	ctx context.Context
	ch  uint8
	cfg *LAN6Config
}

// get returns the data, or nil when the parameter is absent or refused.
func (r *lan6Reader) get(p LANParam, set, block uint8, quiet bool) ([]byte, error) {
	b, err := r.c.GetLANConfig(r.ctx, r.ch, p, set, block)
	if err == nil {
		return b, nil
	}
	var ce *CompletionError
	if !errors.As(err, &ce) {
		return nil, err
	}
	if !quiet || !lan6Quiet(err) {
		r.cfg.Failures = append(r.cfg.Failures, LAN6Failure{Param: p, Code: ce.Code})
	}
	return nil, nil
}

func (r *lan6Reader) byteParam(p LANParam) (*uint8, error) {
	b, err := r.get(p, 0, 0, true)
	if b == nil || err != nil {
		return nil, err
	}
	v := lan6Fixed(b, 1)[0]
	return &v, nil
}

// sets reads set selectors 0, 1, ... (from first) until the BMC says no,
// as ipmitool scans them; fn gets each set's data.
func (r *lan6Reader) sets(first int, fn func(set uint8) (bool, error)) error {
	for set := first; set <= lan6MaxSelector; set++ {
		ok, err := fn(uint8(set))
		if err != nil || !ok {
			return err
		}
	}
	return nil
}

// ReadLAN6Config reads the IPv6 LAN configuration of channel ch in
// ipmitool's order. Parameters the BMC does not support are left out; a
// transport failure ends the read and is returned with what was read.
func (c *Client) ReadLAN6Config(ctx context.Context, ch uint8) (*LAN6Config, error) {
	cfg := &LAN6Config{}
	r := &lan6Reader{c: c, ctx: ctx, ch: ch, cfg: cfg}
	var err error
	one := func(p LANParam) *uint8 {
		if err != nil {
			return nil
		}
		var v *uint8
		v, err = r.byteParam(p)
		return v
	}
	raw := func(p LANParam) []byte {
		if err != nil {
			return nil
		}
		var b []byte
		b, err = r.get(p, 0, 0, true)
		return b
	}
	if v := one(LAN6Support); v != nil {
		s := LAN6SupportBits(*v)
		cfg.Support = &s
	}
	cfg.Enables = one(LAN6Enables)
	cfg.TrafficClass = one(LAN6TrafficClass)
	cfg.StaticHopLimit = one(LAN6StaticHopLimit)
	if b := raw(LAN6FlowLabel); b != nil {
		v := DecodeLAN6FlowLabel(b)
		cfg.FlowLabel = &v
	}
	if b := raw(LAN6Status); b != nil {
		v := DecodeLAN6Status(b)
		cfg.Status = &v
	}
	if err != nil {
		return cfg, err
	}
	addrs := func(p LANParam, dst *[]*LAN6Address) error {
		return r.sets(0, func(set uint8) (bool, error) {
			b, err := r.get(p, set, 0, true)
			if b == nil || err != nil {
				return false, err
			}
			a := DecodeLAN6Address(b)
			a.Set = set // the selector asked for, as ipmitool prints it
			*dst = append(*dst, a)
			return true, nil
		})
	}
	blocks := func(p LANParam, dst *[]*LAN6Block) error {
		return r.sets(0, func(set uint8) (bool, error) {
			for block := 0; block <= lan6MaxSelector; block++ {
				b, err := r.get(p, set, uint8(block), true)
				if err != nil {
					return false, err
				}
				if b == nil {
					return block > 0, nil
				}
				blk := DecodeLAN6Block(b)
				blk.Set, blk.Block = set, uint8(block)
				*dst = append(*dst, blk)
			}
			return true, nil
		})
	}
	if err := addrs(LAN6StaticAddress, &cfg.StaticAddresses); err != nil {
		return cfg, err
	}
	if cfg.StaticDUIDStorage = one(LAN6StaticDUIDStorage); err != nil {
		return cfg, err
	}
	if err := blocks(LAN6StaticDUID, &cfg.StaticDUID); err != nil {
		return cfg, err
	}
	if err := addrs(LAN6DynamicAddress, &cfg.DynamicAddresses); err != nil {
		return cfg, err
	}
	if cfg.DynamicDUIDStorage = one(LAN6DynamicDUIDStorage); err != nil {
		return cfg, err
	}
	if err := blocks(LAN6DynamicDUID, &cfg.DynamicDUID); err != nil {
		return cfg, err
	}
	if cfg.DHCPv6TimingSupport = one(LAN6DHCPv6TimingSupport); err != nil {
		return cfg, err
	}
	err = r.sets(0, func(set uint8) (bool, error) {
		b0, err := r.get(LAN6DHCPv6Timing, set, 0, true)
		if b0 == nil || err != nil {
			return false, err
		}
		b1, err := r.get(LAN6DHCPv6Timing, set, 1, true)
		if b1 == nil || err != nil {
			return false, err
		}
		blk0, blk1 := DecodeLAN6Block(b0), DecodeLAN6Block(b1)
		blk0.Set, blk1.Set = set, set
		cfg.DHCPv6Timing = append(cfg.DHCPv6Timing, [2]*LAN6Block{blk0, blk1})
		return true, nil
	})
	if err != nil {
		return cfg, err
	}
	if cfg.RouterConfig = one(LAN6RouterConfig); err != nil {
		return cfg, err
	}
	router := func(base LANParam, set, sel uint8, dynamic bool) (*LAN6Router, error) {
		var parts [4][]byte
		for i := range parts {
			b, err := r.get(base+LANParam(i), sel, 0, i == 0)
			if b == nil || err != nil {
				return nil, err
			}
			parts[i] = b
		}
		return DecodeLAN6Router(set, dynamic, parts[0], parts[1], parts[2], parts[3]), nil
	}
	// Static routers are sets 1 and 2, each its own four parameters.
	err = r.sets(1, func(set uint8) (bool, error) {
		if set > 2 {
			return false, nil
		}
		base := LAN6StaticRouter1IP
		if set == 2 {
			base = LAN6StaticRouter2IP
		}
		rt, err := router(base, set, 0, false)
		if rt == nil || err != nil {
			return false, err
		}
		cfg.StaticRouters = append(cfg.StaticRouters, rt)
		return true, nil
	})
	if err != nil {
		return cfg, err
	}
	if cfg.DynamicRouterCount = one(LAN6DynamicRouterCount); err != nil {
		return cfg, err
	}
	err = r.sets(0, func(set uint8) (bool, error) {
		rt, err := router(LAN6DynamicRouterIP, set, set, true)
		if rt == nil || err != nil {
			return false, err
		}
		cfg.DynamicRouters = append(cfg.DynamicRouters, rt)
		return true, nil
	})
	if err != nil {
		return cfg, err
	}
	cfg.DynamicHopLimit = one(LAN6DynamicHopLimit)
	cfg.NDSLAACTimingSupport = one(LAN6NDSLAACTimingSupport)
	if err != nil {
		return cfg, err
	}
	err = r.sets(0, func(set uint8) (bool, error) {
		b, err := r.get(LAN6NDSLAACTiming, set, 0, true)
		if b == nil || err != nil {
			return false, err
		}
		blk := DecodeLAN6Block(b)
		blk.Set = set
		cfg.NDSLAACTiming = append(cfg.NDSLAACTiming, blk)
		return true, nil
	})
	return cfg, err
}

// LANWrite is one Set LAN Configuration Parameters request.
type LANWrite struct {
	Param LANParam
	Data  []byte
}

// SetLAN6Params writes the parameters in order. With lock, the writes go
// inside set in progress (1) ... commit (2), complete (0), as ipmitool's
// lan6 set does; a BMC that refuses the lock fails the whole set, also as
// ipmitool does, and a failed write discards.
func (c *Client) SetLAN6Params(ctx context.Context, ch uint8, writes []LANWrite, lock bool) error {
	if lock {
		if err := c.SetLANConfig(ctx, ch, LANSetInProgress, []byte{LANStateInProgress}); err != nil {
			return &LAN6SetError{Param: LANSetInProgress, Err: err}
		}
	}
	for _, w := range writes {
		if err := c.SetLANConfig(ctx, ch, w.Param, w.Data); err != nil {
			if lock {
				c.SetLANConfig(ctx, ch, LANSetInProgress, []byte{LANStateComplete})
			}
			return &LAN6SetError{Param: w.Param, Err: err}
		}
	}
	if !lock {
		return nil
	}
	if err := c.SetLANConfig(ctx, ch, LANSetInProgress, []byte{LANStateCommit}); err != nil {
		return &LAN6SetError{Param: LANSetInProgress, Err: err}
	}
	if err := c.SetLANConfig(ctx, ch, LANSetInProgress, []byte{LANStateComplete}); err != nil {
		return &LAN6SetError{Param: LANSetInProgress, Err: err}
	}
	return nil
}

// LAN6SetError names the parameter whose write failed.
type LAN6SetError struct {
	Param LANParam
	Err   error
}

func (e *LAN6SetError) Error() string { return fmt.Sprintf("parameter %d: %v", e.Param, e.Err) }
func (e *LAN6SetError) Unwrap() error { return e.Err }
