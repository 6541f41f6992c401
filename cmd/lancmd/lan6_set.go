package lancmd

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// lan6SetParams are the writable parameters of "lan6 set", with
// ipmitool's names and value formats.
var lan6SetParams = []struct {
	name, sel, format string
}{
	{"enables", "", "{ipv4|ipv6|both}"},
	{"traffic_class", "", "<value>"},
	{"static_hops", "", "<value>"},
	{"flow_label", "", "<value>"},
	{"static_addr", " <set_sel>", "{enable|disable} <addr> <pfx_len>"},
	{"static_duid", " <set_sel> <block_sel>", "<data>"},
	{"dynamic_duid", " <set_sel> <block_sel>", "<data>"},
	{"dhcp6_cfg", " <set_sel>", "<data> <data>"},
	{"rtr_cfg", "", "{static|dynamic|both}"},
	{"static_rtr", " <set_sel>", "<addr> <macaddr> <prefix> <prefix_len>"},
	{"ndslaac_cfg", " <set_sel>", "<data>"},
}

func newLan6SetCmd(f *cli.Factory) *cobra.Command {
	var usage strings.Builder
	for _, p := range lan6SetParams {
		fmt.Fprintf(&usage, "  %s%s %s\n", p.name, p.sel, p.format)
	}
	return cli.Returns[cli.Done](&cobra.Command{
		Use:   "set CHANNEL [nolock] PARAMETER [SET [BLOCK]] VALUE...",
		Short: "Set an IPv6 LAN parameter",
		Long: `Set an IPv6 LAN configuration parameter, as ipmitool's "lan6 set". The write
is wrapped in set-in-progress / commit unless "nolock" is given. <data> is
hex (up to 16 bytes; dhcp6_cfg's second <data> up to 6).

Parameters:
` + usage.String(),
		Example: `  ipmictl lan6 set 1 enables both
  ipmictl lan6 set 1 static_addr 0 enable 2001:db8::10 64
  ipmictl lan6 set 1 static_rtr 1 fe80::1 00:11:22:33:44:55 2001:db8:: 64`,
		Args: cobra.MinimumNArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := strconv.ParseUint(args[0], 0, 8)
			if err != nil || n > 15 {
				return cli.UsageErrorf("Invalid channel: %s", args[0])
			}
			rest, lock := args[1:], true
			if strings.EqualFold(rest[0], "nolock") {
				rest, lock = rest[1:], false
			}
			writes, err := lan6ParseSet(rest)
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			if err := c.SetLAN6Params(f.Context(), uint8(n), writes, lock); err != nil {
				if se, ok := err.(*ipmi.LAN6SetError); ok {
					if ce, ok := se.Err.(*ipmi.CompletionError); ok {
						return fmt.Errorf("Failed to set %s: %s: %w", lan6ParamName(se.Param), lan6Reason(ce.Code), err)
					}
					return fmt.Errorf("Failed to set %s: %w", lan6ParamName(se.Param), se.Err)
				}
				return err
			}
			return f.Render(cli.Done("set " + strings.Join(rest, " ")))
		},
	})
}

// lan6ParseSet turns "PARAMETER [SET [BLOCK]] VALUE..." into the writes.
func lan6ParseSet(args []string) ([]ipmi.LANWrite, error) {
	if len(args) == 0 {
		return nil, cli.UsageErrorf("lan6 set: name a parameter")
	}
	name, args := strings.ToLower(args[0]), args[1:]
	bad := func(format string, a ...any) error {
		return cli.UsageErrorf("lan6 set %s: %s", name, fmt.Sprintf(format, a...))
	}
	need := func(n int, what string) error {
		if len(args) < n {
			return bad("want %s", what)
		}
		return nil
	}
	sel := func(s, what string) (uint8, error) {
		v, err := strconv.ParseUint(s, 0, 8)
		if err != nil {
			return 0, bad("invalid %s selector %q", what, s)
		}
		return uint8(v), nil
	}
	byteVal := func(s string) (uint8, error) {
		v, err := strconv.ParseUint(s, 0, 8)
		if err != nil {
			return 0, bad("invalid value %q (0-255)", s)
		}
		return uint8(v), nil
	}
	addr := func(s string) (netip.Addr, error) {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return netip.Addr{}, bad("invalid IPv6 address %q", s)
		}
		return a, nil
	}
	pick := func(s string, names map[int]string) (uint8, error) {
		for v, n := range names {
			if n == strings.ToLower(s) || (n == "SLAAC" && strings.EqualFold(s, n)) {
				return uint8(v), nil
			}
		}
		return 0, bad("invalid value %q", s)
	}
	one := func(p ipmi.LANParam, b ...byte) []ipmi.LANWrite { return []ipmi.LANWrite{{Param: p, Data: b}} }

	switch name {
	case "enables", "rtr_cfg":
		if err := need(1, "a value"); err != nil {
			return nil, err
		}
		names, p := lan6EnableNames, ipmi.LAN6Enables
		if name == "rtr_cfg" {
			names, p = lan6RouterConfigs, ipmi.LAN6RouterConfig
		}
		v, err := pick(args[0], names)
		if err != nil {
			return nil, err
		}
		return one(p, v), nil
	case "traffic_class", "static_hops":
		if err := need(1, "a value"); err != nil {
			return nil, err
		}
		v, err := byteVal(args[0])
		if err != nil {
			return nil, err
		}
		p := ipmi.LAN6TrafficClass
		if name == "static_hops" {
			p = ipmi.LAN6StaticHopLimit
		}
		return one(p, v), nil
	case "flow_label":
		if err := need(1, "a value"); err != nil {
			return nil, err
		}
		v, err := strconv.ParseUint(args[0], 0, 32)
		if err != nil || v > 0xFFFFF {
			return nil, bad("invalid flow label %q (20 bits)", args[0])
		}
		return one(ipmi.LAN6FlowLabel, byte(v>>16)&0x0F, byte(v>>8), byte(v)), nil
	case "static_addr":
		if err := need(4, "<set_sel> {enable|disable} <addr> <pfx_len>"); err != nil {
			return nil, err
		}
		set, err := sel(args[0], "set")
		if err != nil {
			return nil, err
		}
		a := &ipmi.LAN6Address{Set: set}
		switch strings.ToLower(args[1]) {
		case "enable":
			a.Control = 0x80
		case "disable":
		default:
			return nil, bad("want enable or disable, not %q", args[1])
		}
		if a.Address, err = addr(args[2]); err != nil {
			return nil, err
		}
		if a.PrefixLen, err = byteVal(args[3]); err != nil || a.PrefixLen > 128 {
			return nil, bad("invalid prefix length %q", args[3])
		}
		return one(ipmi.LAN6StaticAddress, a.Encode()...), nil
	case "static_duid", "dynamic_duid":
		if err := need(3, "<set_sel> <block_sel> <data>"); err != nil {
			return nil, err
		}
		set, err := sel(args[0], "set")
		if err != nil {
			return nil, err
		}
		block, err := sel(args[1], "block")
		if err != nil {
			return nil, err
		}
		data, err := lan6Hex(args[2], 16)
		if err != nil {
			return nil, bad("%v", err)
		}
		p := ipmi.LAN6StaticDUID
		if name == "dynamic_duid" {
			p = ipmi.LAN6DynamicDUID
		}
		return one(p, (&ipmi.LAN6Block{Set: set, Block: block, Data: data}).Encode()...), nil
	case "ndslaac_cfg":
		if err := need(2, "<set_sel> <data>"); err != nil {
			return nil, err
		}
		set, err := sel(args[0], "set")
		if err != nil {
			return nil, err
		}
		data, err := lan6Hex(args[1], 16)
		if err != nil {
			return nil, bad("%v", err)
		}
		return one(ipmi.LAN6NDSLAACTiming, (&ipmi.LAN6Block{Set: set, Data: data}).Encode()...), nil
	case "dhcp6_cfg":
		if err := need(2, "<set_sel> <data> [<data>]"); err != nil {
			return nil, err
		}
		set, err := sel(args[0], "set")
		if err != nil {
			return nil, err
		}
		b0, err := lan6Hex(args[1], 16)
		if err != nil {
			return nil, bad("%v", err)
		}
		var b1 []byte
		if len(args) > 2 {
			if b1, err = lan6Hex(args[2], 6); err != nil {
				return nil, bad("%v", err)
			}
		}
		return []ipmi.LANWrite{
			{Param: ipmi.LAN6DHCPv6Timing, Data: (&ipmi.LAN6Block{Set: set, Block: 0, Data: b0}).Encode()},
			{Param: ipmi.LAN6DHCPv6Timing, Data: (&ipmi.LAN6Block{Set: set, Block: 1, Data: b1}).Encode()},
		}, nil
	case "static_rtr":
		if err := need(5, "<set_sel> <addr> <macaddr> <prefix> <prefix_len>"); err != nil {
			return nil, err
		}
		set, err := sel(args[0], "set")
		if err != nil || set < 1 || set > 2 {
			return nil, bad("the set selector is 1 or 2")
		}
		ip, err := addr(args[1])
		if err != nil {
			return nil, err
		}
		mac, err := lan6MAC(args[2])
		if err != nil {
			return nil, bad("%v", err)
		}
		pfx, err := addr(args[3])
		if err != nil {
			return nil, err
		}
		plen, err := byteVal(args[4])
		if err != nil || plen > 128 {
			return nil, bad("invalid prefix length %q", args[4])
		}
		base := ipmi.LAN6StaticRouter1IP
		if set == 2 {
			base = ipmi.LAN6StaticRouter2IP
		}
		ip16, pfx16 := ip.As16(), pfx.As16()
		return []ipmi.LANWrite{
			{Param: base, Data: ip16[:]},
			{Param: base + 1, Data: mac},
			{Param: base + 2, Data: []byte{plen}},
			{Param: base + 3, Data: pfx16[:]},
		}, nil
	}
	var names []string
	for _, p := range lan6SetParams {
		names = append(names, p.name)
	}
	return nil, cli.UsageErrorf("lan6 set: unknown parameter %q: use one of %s", name, strings.Join(names, ", "))
}

// lan6Hex parses up to max bytes of hex ("0x" allowed), zero-padded to max.
func lan6Hex(s string, max int) ([]byte, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	b, err := hex.DecodeString(s)
	if err != nil || len(b) == 0 || len(b) > max {
		return nil, fmt.Errorf("invalid data %q: want 1-%d bytes of hex", s, max)
	}
	return append(b, make([]byte, max-len(b))...), nil
}

func lan6MAC(s string) ([]byte, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 6 {
		return nil, fmt.Errorf("invalid MAC address %q", s)
	}
	out := make([]byte, 6)
	for i, p := range parts {
		v, err := strconv.ParseUint(p, 16, 8)
		if err != nil || p == "" || len(p) > 2 {
			return nil, fmt.Errorf("invalid MAC address %q", s)
		}
		out[i] = byte(v)
	}
	return out, nil
}
