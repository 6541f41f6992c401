package lancmd

import (
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// NewLan6Cmd builds the `lan6` command group.
func NewLan6Cmd(f *cli.Factory) *cobra.Command {
	l := &cobra.Command{
		Use:   "lan6",
		Short: "Show and change the BMC's IPv6 LAN configuration (IPMI v2.0 rev 1.1)",
	}
	l.AddCommand(newLan6PrintCmd(f), newLan6SetCmd(f))
	return l
}

func newLan6PrintCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*lan6Print](&cobra.Command{
		Use:   "print [CHANNEL]",
		Short: "Print the IPv6 LAN parameters (default: the first LAN channel)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := ParseChannelArg(args, 0); err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			ch, err := Channel(f, c, args, 0)
			if err != nil {
				return err
			}
			cfg, err := c.ReadLAN6Config(f.Context(), ch)
			// Like ipmitool: refusals are reported and the rest is printed.
			for _, fl := range cfg.Failures {
				fmt.Fprintf(f.IO.ErrOut, "Failed to get %s: %s\n", lan6ParamName(fl.Param), lan6Reason(fl.Code))
			}
			if rerr := f.Render(&lan6Print{cfg}); rerr != nil {
				return rerr
			}
			if err != nil {
				return fmt.Errorf("Get LAN Parameter failed: %w", err)
			}
			return nil
		},
	})
}

// lan6ParamNames are ipmitool's names of the IPv6 parameters.
var lan6ParamNames = map[ipmi.LANParam]string{
	0: "Set In Progress", 50: "IPv6/IPv4 Support", 51: "IPv6/IPv4 Addressing Enables",
	52: "IPv6 Header Traffic Class", 53: "IPv6 Header Static Hop Limit", 54: "IPv6 Header Flow Label",
	55: "IPv6 Status", 56: "IPv6 Static Address", 57: "IPv6 DHCPv6 Static DUID Storage Length",
	58: "IPv6 DHCPv6 Static DUID", 59: "IPv6 Dynamic Address", 60: "IPv6 DHCPv6 Dynamic DUID Storage Length",
	61: "IPv6 DHCPv6 Dynamic DUID", 62: "IPv6 DHCPv6 Timing Configuration Support",
	63: "IPv6 DHCPv6 Timing Configuration", 64: "IPv6 Router Address Configuration Control",
	65: "IPv6 Static Router 1 IP Address", 66: "IPv6 Static Router 1 MAC Address",
	67: "IPv6 Static Router 1 Prefix Length", 68: "IPv6 Static Router 1 Prefix Value",
	69: "IPv6 Static Router 2 IP Address", 70: "IPv6 Static Router 2 MAC Address",
	71: "IPv6 Static Router 2 Prefix Length", 72: "IPv6 Static Router 2 Prefix Value",
	73: "IPv6 Number of Dynamic Router Info Sets", 74: "IPv6 Dynamic Router Info IP Address",
	75: "IPv6 Dynamic Router Info MAC Address", 76: "IPv6 Dynamic Router Info Prefix Length",
	77: "IPv6 Dynamic Router Info Prefix Value", 78: "IPv6 Dynamic Router Received Hop Limit",
	79: "IPv6 ND/SLAAC Timing Configuration Support", 80: "IPv6 ND/SLAAC Timing Configuration",
}

func lan6ParamName(p ipmi.LANParam) string {
	if n, ok := lan6ParamNames[p]; ok {
		return n
	}
	return fmt.Sprintf("parameter %d", p)
}

// lan6Reason words a completion code as ipmitool's lan6 does: generic
// names from 0xC0 up, the LAN parameter meanings below.
func lan6Reason(code ipmi.CompletionCode) string {
	if code >= 0xC0 {
		return code.String()
	}
	switch code {
	case 0x80:
		return "Parameter not supported"
	case 0x81:
		return "Set already in progress"
	case 0x82:
		return "Parameter is read-only"
	case 0x83:
		return "Write-only parameter"
	}
	return fmt.Sprintf("CC=%02x", uint8(code))
}

// lan6Val is ipmitool's val2str: the name, or "Unknown (0xNN)".
func lan6Val(v int, names map[int]string) string {
	if s, ok := names[v]; ok {
		return s
	}
	return fmt.Sprintf("Unknown (0x%02X)", v)
}

var (
	lan6EnableNames   = map[int]string{0: "ipv4", 1: "ipv6", 2: "both"}
	lan6SourceNames   = map[int]string{0: "static", 1: "SLAAC", 2: "DHCPv6"}
	lan6StatusNames   = map[int]string{0: "active", 1: "disabled", 2: "pending", 3: "failed", 4: "deprecated", 5: "invalid"}
	lan6DUIDTypes     = map[int]string{0: "unknown", 1: "DUID-LLT", 2: "DUID-EN", 3: "DUID-LL"}
	lan6CfgSupport    = map[int]string{0: "not supported", 1: "global", 2: "per interface"}
	lan6RouterConfigs = map[int]string{1: "static", 2: "dynamic", 3: "both"}
)

// lan6Print is the result of "lan6 print".
type lan6Print struct{ *ipmi.LAN6Config }

func (p *lan6Print) MarshalJSON() ([]byte, error) { return cli.JSONMarshal(p.LAN6Config) }

// WriteText prints ipmitool's lan6 print layout, parameter by parameter.
func (p *lan6Print) WriteText(w io.Writer) error {
	c := p.LAN6Config
	var b strings.Builder
	num := func(name string, v *uint8) {
		if v != nil {
			fmt.Fprintf(&b, "%s: %d\n", name, *v)
		}
	}
	named := func(name string, v *uint8, names map[int]string) {
		if v != nil {
			fmt.Fprintf(&b, "%s: %s\n", name, lan6Val(int(*v), names))
		}
	}
	if c.Support != nil {
		s := *c.Support
		fmt.Fprintf(&b, "IPv6/IPv4 Support:\n    IPv6 only: %s\n    IPv4 and IPv6: %s\n    IPv6 Destination Addresses for LAN alerting: %s\n",
			cli.YesNo(s.IPv6Only()), cli.YesNo(s.DualStack()), cli.YesNo(s.IPv6Alerting()))
	}
	named("IPv6/IPv4 Addressing Enables", c.Enables, lan6EnableNames)
	num("IPv6 Header Traffic Class", c.TrafficClass)
	num("IPv6 Header Static Hop Limit", c.StaticHopLimit)
	if c.FlowLabel != nil {
		fmt.Fprintf(&b, "IPv6 Header Flow Label: %d\n", *c.FlowLabel)
	}
	if s := c.Status; s != nil {
		fmt.Fprintf(&b, "IPv6 Status:\n    Static address max:  %d\n    Dynamic address max: %d\n    DHCPv6 support:      %s\n    SLAAC support:       %s\n",
			s.StaticMax, s.DynamicMax, cli.YesNo(s.DHCPv6), cli.YesNo(s.SLAAC))
	}
	for _, a := range c.StaticAddresses {
		fmt.Fprintf(&b, "IPv6 Static Address %d:\n    Enabled:        %s\n    Address:        %s/%d\n    Status:         %s\n",
			a.Set, cli.YesNo(a.Enabled()), lan6Ntop(a.Address), a.PrefixLen, lan6Val(int(a.Status&0x0F), lan6StatusNames))
	}
	num("IPv6 DHCPv6 Static DUID Storage Length", c.StaticDUIDStorage)
	lan6WriteDUID(&b, "IPv6 DHCPv6 Static DUID", c.StaticDUID)
	for _, a := range c.DynamicAddresses {
		fmt.Fprintf(&b, "IPv6 Dynamic Address %d:\n    Source/Type:    %s\n    Address:        %s/%d\n    Status:         %s\n",
			a.Set, lan6Val(int(a.Control&0x0F), lan6SourceNames), lan6Ntop(a.Address), a.PrefixLen, lan6Val(int(a.Status&0x0F), lan6StatusNames))
	}
	num("IPv6 DHCPv6 Dynamic DUID Storage Length", c.DynamicDUIDStorage)
	lan6WriteDUID(&b, "IPv6 DHCPv6 Dynamic DUID", c.DynamicDUID)
	named("IPv6 DHCPv6 Timing Configuration Support", c.DHCPv6TimingSupport, lan6CfgSupport)
	for _, t := range c.DHCPv6Timing {
		fmt.Fprintf(&b, "IPv6 DHCPv6 Timing Configuration %d:\n", t[0].Set)
		vals := append(append([]byte{}, t[0].Data...), t[1].Data[:6]...)
		for i, n := range lan6DHCPv6TimingNames {
			fmt.Fprintf(&b, "    %-16s %d\n", n+":", vals[i])
		}
	}
	if v := c.RouterConfig; v != nil {
		fmt.Fprintf(&b, "IPv6 Router Address Configuration Control:\n    Enable static router address:  %s\n    Enable dynamic router address: %s\n",
			cli.YesNo(*v&1 != 0), cli.YesNo(*v&2 != 0))
	}
	lan6WriteRouters(&b, "IPv6 Static Router", c.StaticRouters)
	num("IPv6 Number of Dynamic Router Info Sets", c.DynamicRouterCount)
	lan6WriteRouters(&b, "IPv6 Dynamic Router", c.DynamicRouters)
	num("IPv6 Dynamic Router Received Hop Limit", c.DynamicHopLimit)
	named("IPv6 ND/SLAAC Timing Configuration Support", c.NDSLAACTimingSupport, lan6CfgSupport)
	for _, t := range c.NDSLAACTiming {
		fmt.Fprintf(&b, "IPv6 ND/SLAAC Timing Configuration %d:\n", t.Set)
		for i, n := range lan6NDSLAACTimingNames {
			fmt.Fprintf(&b, "    %-27s %d\n", n+":", t.Data[i])
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var lan6DHCPv6TimingNames = []string{"SOL_MAX_DELAY", "SOL_TIMEOUT", "SOL_MAX_RT", "REQ_TIMEOUT", "REQ_MAX_RT",
	"REQ_MAX_RC", "CNF_MAX_DELAY", "CNF_TIMEOUT", "CNF_MAX_RT", "CNF_MAX_RD", "REN_TIMEOUT", "REN_MAX_RT",
	"REB_TIMEOUT", "REB_MAX_RT", "INF_MAX_DELAY", "INF_TIMEOUT", "INF_MAX_RT", "REL_TIMEOUT", "REL_MAX_RC",
	"DEC_TIMEOUT", "DEC_MAX_RC", "HOP_COUNT_LIMIT"}

var lan6NDSLAACTimingNames = []string{"MAX_RTR_SOLICITATION_DELAY", "RTR_SOLICITATION_INTERVAL",
	"MAX_RTR_SOLICITATIONS", "DupAddrDetectTransmits", "MAX_MULTICAST_SOLICIT", "MAX_UNICAST_SOLICIT",
	"MAX_ANYCAST_DELAY_TIME", "MAX_NEIGHBOR_ADVERTISEMENT", "REACHABLE_TIME", "RETRANS_TIMER",
	"DELAY_FIRST_PROBE_TIME", "MAX_RANDOM_FACTOR", "MIN_RANDOM_FACTOR"}

func lan6WriteDUID(b *strings.Builder, name string, blocks []*ipmi.LAN6Block) {
	for _, blk := range blocks {
		d := blk.Data
		if blk.Block == 0 {
			fmt.Fprintf(b, "%s %d:\n    Length:   %d\n    Type:     %s\n", name, blk.Set, d[0], lan6Val(int(d[1])<<8|int(d[2]), lan6DUIDTypes))
		}
		fmt.Fprintf(b, "    %x\n", d)
	}
}

func lan6WriteRouters(b *strings.Builder, name string, routers []*ipmi.LAN6Router) {
	for _, r := range routers {
		m := r.MAC
		fmt.Fprintf(b, "%s %d:\n    Address: %s\n    MAC:     %02x:%02x:%02x:%02x:%02x:%02x\n    Prefix:  %s/%d\n",
			name, r.Set, lan6Ntop(r.Address), m[0], m[1], m[2], m[3], m[4], m[5], lan6Ntop(r.Prefix), r.PrefixLen)
	}
}

// lan6Ntop formats an address as glibc's inet_ntop does (ipmitool's
// output): RFC 5952 compression, and the IPv4-compatible and -mapped forms
// with a dotted quad (::1.2.3.4, ::ffff:1.2.3.4).
func lan6Ntop(a netip.Addr) string {
	b := a.As16()
	var w [8]int
	for i := range w {
		w[i] = int(b[2*i])<<8 | int(b[2*i+1])
	}
	bestBase, bestLen, curBase, curLen := -1, 0, -1, 0
	for i := 0; i < 8; i++ {
		if w[i] == 0 {
			if curBase < 0 {
				curBase, curLen = i, 1
			} else {
				curLen++
			}
			if curLen > bestLen {
				bestBase, bestLen = curBase, curLen
			}
		} else {
			curBase = -1
		}
	}
	if bestLen < 2 {
		bestBase = -1
	}
	var s strings.Builder
	for i := 0; i < 8; i++ {
		if bestBase >= 0 && i >= bestBase && i < bestBase+bestLen {
			if i == bestBase {
				s.WriteString(":")
			}
			continue
		}
		if i != 0 {
			s.WriteString(":")
		}
		if i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff)) {
			fmt.Fprintf(&s, "%d.%d.%d.%d", b[12], b[13], b[14], b[15])
			return s.String()
		}
		fmt.Fprintf(&s, "%x", w[i])
	}
	if bestBase >= 0 && bestBase+bestLen == 8 {
		s.WriteString(":")
	}
	return s.String()
}

func (p *lan6Print) Columns() []string { return []string{"parameter", "set", "value"} }

// Rows lists one row per parameter (and set), the values as lan6 set
// takes them where it can.
func (p *lan6Print) Rows() [][]string {
	c := p.LAN6Config
	var rows [][]string
	add := func(name string, set int, value string) {
		s := ""
		if set >= 0 {
			s = fmt.Sprint(set)
		}
		rows = append(rows, []string{name, s, value})
	}
	u8 := func(name string, v *uint8, names map[int]string) {
		if v == nil {
			return
		}
		if names != nil {
			add(name, -1, lan6Val(int(*v), names))
		} else {
			add(name, -1, fmt.Sprint(*v))
		}
	}
	if c.Support != nil {
		add("support", -1, fmt.Sprintf("0x%02x", uint8(*c.Support)))
	}
	u8("enables", c.Enables, lan6EnableNames)
	u8("traffic_class", c.TrafficClass, nil)
	u8("static_hops", c.StaticHopLimit, nil)
	if c.FlowLabel != nil {
		add("flow_label", -1, fmt.Sprint(*c.FlowLabel))
	}
	if s := c.Status; s != nil {
		add("status", -1, fmt.Sprintf("static_max=%d dynamic_max=%d dhcpv6=%v slaac=%v", s.StaticMax, s.DynamicMax, s.DHCPv6, s.SLAAC))
	}
	for _, a := range c.StaticAddresses {
		state := "disable"
		if a.Enabled() {
			state = "enable"
		}
		add("static_addr", int(a.Set), fmt.Sprintf("%s %s/%d %s", state, lan6Ntop(a.Address), a.PrefixLen, lan6Val(int(a.Status&0x0F), lan6StatusNames)))
	}
	u8("static_duid_stg", c.StaticDUIDStorage, nil)
	for _, b := range c.StaticDUID {
		add(fmt.Sprintf("static_duid block %d", b.Block), int(b.Set), fmt.Sprintf("%x", b.Data))
	}
	for _, a := range c.DynamicAddresses {
		add("dynamic_addr", int(a.Set), fmt.Sprintf("%s %s/%d %s", lan6Val(int(a.Control&0x0F), lan6SourceNames), lan6Ntop(a.Address), a.PrefixLen, lan6Val(int(a.Status&0x0F), lan6StatusNames)))
	}
	u8("dynamic_duid_stg", c.DynamicDUIDStorage, nil)
	for _, b := range c.DynamicDUID {
		add(fmt.Sprintf("dynamic_duid block %d", b.Block), int(b.Set), fmt.Sprintf("%x", b.Data))
	}
	u8("dhcp6_cfg_sup", c.DHCPv6TimingSupport, lan6CfgSupport)
	for _, t := range c.DHCPv6Timing {
		add("dhcp6_cfg", int(t[0].Set), fmt.Sprintf("%x %x", t[0].Data, t[1].Data[:6]))
	}
	u8("rtr_cfg", c.RouterConfig, lan6RouterConfigs)
	for _, r := range c.StaticRouters {
		add("static_rtr", int(r.Set), fmt.Sprintf("%s %s %s %d", lan6Ntop(r.Address), r.MAC, lan6Ntop(r.Prefix), r.PrefixLen))
	}
	u8("num_dynamic_rtrs", c.DynamicRouterCount, nil)
	for _, r := range c.DynamicRouters {
		add("dynamic_rtr", int(r.Set), fmt.Sprintf("%s %s %s %d", lan6Ntop(r.Address), r.MAC, lan6Ntop(r.Prefix), r.PrefixLen))
	}
	u8("dynamic_hops", c.DynamicHopLimit, nil)
	u8("ndslaac_cfg_sup", c.NDSLAACTimingSupport, lan6CfgSupport)
	for _, t := range c.NDSLAACTiming {
		add("ndslaac_cfg", int(t.Set), fmt.Sprintf("%x", t.Data))
	}
	return rows
}
