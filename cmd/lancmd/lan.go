package lancmd

import (
	"bytes"
	"fmt"
	"io"
	"strconv"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// NewCmd builds the `lan` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	l := &cobra.Command{
		Use:   "lan",
		Short: "Show and change the BMC's LAN configuration",
	}
	stats := &cobra.Command{Use: "stats", Short: "IP/UDP/RMCP statistics of a LAN channel"}
	stats.AddCommand(newLanStatsCmd(f, "get"), newLanStatsCmd(f, "clear"))
	l.AddCommand(newLanPrintCmd(f), newLanSetCmd(f), newLanAlertCmd(f), stats)
	return l
}

// Channel resolves the channel argument at args[i]: given, it must be
// a LAN channel; absent, the first LAN channel is used (as ipmitool).
func Channel(f *cli.Factory, c *ipmi.Client, args []string, i int) (uint8, error) {
	ctx := f.Context()
	if len(args) <= i {
		ch, err := c.FindLANChannel(ctx)
		if err != nil {
			return 0, fmt.Errorf("Invalid channel: %d (%v)", 0, err)
		}
		return ch, nil
	}
	n, err := strconv.ParseUint(args[i], 0, 8)
	if err != nil || n > 15 {
		return 0, cli.UsageErrorf("Invalid channel: %s", args[i])
	}
	ch := uint8(n)
	info, err := c.GetChannelInfo(ctx, ch)
	if err != nil || !info.Medium.IsLAN() {
		return 0, fmt.Errorf("Channel %d is not a LAN channel", ch)
	}
	return ch, nil
}

// ParseChannelArg checks a channel argument before connecting.
func ParseChannelArg(args []string, i int) error {
	if len(args) <= i {
		return nil
	}
	if n, err := strconv.ParseUint(args[i], 0, 8); err != nil || n > 15 {
		return cli.UsageErrorf("Invalid channel: %s", args[i])
	}
	return nil
}

func newLanPrintCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*lanPrint](&cobra.Command{
		Use:     "print [CHANNEL]",
		Aliases: []string{"printconf"}, // ipmitool accepts both
		Short:   "Print the LAN configuration (default: the first LAN channel)",
		Args:    cobra.MaximumNArgs(1),
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
			cfg, err := c.ReadLANConfig(f.Context(), ch)
			if rerr := f.Render(&lanPrint{LANConfig: cfg, stopped: err != nil}); rerr != nil {
				return rerr
			}
			if err != nil {
				return fmt.Errorf("Get LAN Parameter failed: %w", err)
			}
			return nil
		},
	})
}

// lanPrint is the result of "lan print". stopped: the BMC failed part
// way, so the trailing "Not Available" lines would be wrong.
type lanPrint struct {
	*ipmi.LANConfig
	stopped bool
}

func (l *lanPrint) MarshalJSON() ([]byte, error) { return cli.JSONMarshal(l.LANConfig) }

// lanAuthNames lists the IPMI 1.5 auth types in an auth type byte as
// lan print does: "NONE MD2 MD5 PASSWORD OEM ", each with a space.
func lanAuthNames(b uint8) string {
	return cli.AuthTypeNames(b)
}

var lanIPSources = []string{"Unspecified", "Static Address", "DHCP Address", "BIOS Assigned Address"}

func lanPrivChar(p ipmi.Privilege) byte {
	switch p {
	case ipmi.PrivilegeCallback:
		return 'c'
	case ipmi.PrivilegeUser:
		return 'u'
	case ipmi.PrivilegeOperator:
		return 'o'
	case ipmi.PrivilegeAdmin:
		return 'a'
	case ipmi.PrivilegeOEM:
		return 'O'
	}
	return 'X'
}

// PrivString is parameter 24 in ipmitool's 15-letter form.
func PrivString(p *[16]ipmi.Privilege) string {
	s := make([]byte, 15)
	for i := range s {
		s[i] = lanPrivChar(p[i])
	}
	return string(s)
}

func (l *lanPrint) WriteText(w io.Writer) error {
	c := l.LANConfig
	var b bytes.Buffer
	line := func(label, format string, a ...any) {
		fmt.Fprintf(&b, "%-24s: "+format+"\n", append([]any{label}, a...)...)
	}
	if c.SetInProgress != nil {
		line("Set in Progress", "%s", []string{"Set Complete", "Set In Progress", "Commit Write", "Reserved"}[*c.SetInProgress&3])
	}
	if c.AuthTypes != nil {
		line("Auth Type Support", "%s", lanAuthNames(*c.AuthTypes))
	}
	if e := c.AuthEnables; e != nil {
		line("Auth Type Enable", "Callback : %s", lanAuthNames(e[0]))
		line("", "User     : %s", lanAuthNames(e[1]))
		line("", "Operator : %s", lanAuthNames(e[2]))
		line("", "Admin    : %s", lanAuthNames(e[3]))
		line("", "OEM      : %s", lanAuthNames(e[4]))
	}
	if c.IPSource != nil {
		src := "Other"
		if s := *c.IPSource & 0x0F; int(s) < len(lanIPSources) {
			src = lanIPSources[s]
		}
		line("IP Address Source", "%s", src)
	}
	if c.IP != nil {
		line("IP Address", "%s", c.IP)
	}
	if c.Netmask != nil {
		line("Subnet Mask", "%s", c.Netmask)
	}
	if c.MAC != nil {
		line("MAC Address", "%s", c.MAC)
	}
	if c.Community != nil {
		line("SNMP Community String", "%s", *c.Community)
	}
	if h := c.IPHeader; h != nil {
		line("IP Header", "TTL=0x%02x Flags=0x%02x Precedence=0x%02x TOS=0x%02x", h.TTL, h.Flags, h.Precedence, h.TOS)
	}
	if a := c.ARP; a != nil {
		line("BMC ARP Control", "ARP Responses %sabled, Gratuitous ARP %sabled",
			cli.BoolWord(a.Respond, "En", "Dis"), cli.BoolWord(a.Generate, "En", "Dis"))
	}
	if c.GARPInterval != nil {
		// ipmitool divides as integers before printing as a float; the
		// label's misspelling is its too, and scripts match on it.
		line("Gratituous ARP Intrvl", "%.1f seconds", float64((int(*c.GARPInterval)+1)/2))
	}
	if c.GatewayIP != nil {
		line("Default Gateway IP", "%s", c.GatewayIP)
	}
	if c.GatewayMAC != nil {
		line("Default Gateway MAC", "%s", c.GatewayMAC)
	}
	if c.BackupGatewayIP != nil {
		line("Backup Gateway IP", "%s", c.BackupGatewayIP)
	}
	if c.BackupGatewayMAC != nil {
		line("Backup Gateway MAC", "%s", c.BackupGatewayMAC)
	}
	if v := c.VLAN; v != nil {
		if v.Enabled {
			line("802.1q VLAN ID", "%d", v.ID)
		} else {
			line("802.1q VLAN ID", "Disabled")
		}
	}
	if c.VLANPriority != nil {
		line("802.1q VLAN Priority", "%d", *c.VLANPriority&7)
	}
	if c.CipherCount != nil {
		if c.CipherSuites == nil {
			line("RMCP+ Cipher Suites", "None")
		} else {
			var s bytes.Buffer
			for i, id := range c.CipherSuites {
				if i > 0 {
					s.WriteByte(',')
				}
				fmt.Fprintf(&s, "%d", id)
			}
			line("RMCP+ Cipher Suites", "%s", s.String())
		}
	}
	if p := c.CipherPrivileges; p != nil {
		line("Cipher Suite Priv Max", "%s", PrivString(p))
		for _, legend := range []string{"X=Cipher Suite Unused", "c=CALLBACK", "u=USER", "o=OPERATOR", "a=ADMIN", "O=OEM"} {
			line("", "    %s", legend)
		}
	} else if !l.stopped {
		line("Cipher Suite Priv Max", "Not Available")
	}
	if t := c.BadPassword; t != nil {
		line("Bad Password Threshold", "%d", t.Threshold)
		line("Invalid password disable", "%s", cli.BoolWord(t.GenerateEvent, "yes", "no"))
		line("Attempt Count Reset Int.", "%d", int(t.ResetInterval)*10)
		line("User Lockout Interval", "%d", int(t.LockoutInterval)*10)
	} else if !l.stopped {
		line("Bad Password Threshold", "Not Available")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteCSV: ipmitool prints lan print the same way with -c.
func (l *lanPrint) WriteCSV(w io.Writer) error { return l.WriteText(w) }

// lanStats is the result of "lan stats get".
type lanStats struct {
	Channel uint8 `json:"channel"`
	*ipmi.LANStatistics
}

func (s *lanStats) WriteText(w io.Writer) error {
	if s.LANStatistics == nil {
		return nil
	}
	var b bytes.Buffer
	for _, r := range []struct {
		label string
		v     uint16
	}{
		{"IP Rx Packet              ", s.IPRx}, {"IP Rx Header Errors       ", s.IPRxHeaderErr},
		{"IP Rx Address Errors      ", s.IPRxAddressErr}, {"IP Rx Fragmented          ", s.IPRxFragmented},
		{"IP Tx Packet              ", s.IPTx}, {"UDP Rx Packet             ", s.UDPRx},
		{"RMCP Rx Valid             ", s.RMCPRxValid}, {"UDP Proxy Packet Received ", s.UDPProxyRx},
		{"UDP Proxy Packet Dropped  ", s.UDPProxyDropped},
	} {
		fmt.Fprintf(&b, "%s: %d\n", r.label, r.v)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func newLanStatsCmd(f *cli.Factory, verb string) *cobra.Command {
	return cli.Returns[*lanStats](&cobra.Command{
		Use:   verb + " [CHANNEL]",
		Short: map[string]string{"get": "Show the counters", "clear": "Zero the counters"}[verb],
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
			st, err := c.GetLANStatistics(f.Context(), ch, verb == "clear")
			if err != nil {
				return fmt.Errorf("Get LAN Stats command failed: %w", err)
			}
			if verb == "clear" {
				return f.Render(&lanStats{Channel: ch})
			}
			return f.Render(&lanStats{Channel: ch, LANStatistics: st})
		},
	})
}

// lanSetResult is the result of "lan set": what was written.
type lanSetResult struct {
	Channel   uint8  `json:"channel"`
	Parameter string `json:"parameter"`
	Value     string `json:"value"`
	Message   string `json:"message,omitempty"`
}

func (r *lanSetResult) WriteText(w io.Writer) error {
	if r.Message == "" {
		return nil
	}
	_, err := fmt.Fprintln(w, r.Message)
	return err
}

const lanSetUsage = `lan set CHANNEL COMMAND VALUE...
  ipaddr X.X.X.X                    IP address
  netmask X.X.X.X                   subnet mask
  macaddr XX:XX:XX:XX:XX:XX         MAC address
  defgw ipaddr|macaddr VALUE        default gateway IP or MAC
  bakgw ipaddr|macaddr VALUE        backup gateway IP or MAC
  ipsrc none|static|dhcp|bios       IP address source
  vlan id N|off                     802.1q VLAN ID (1-4094) or off
  vlan priority N                   802.1q priority (0-7)
  access on|off                     IPMI over LAN on this channel (off ends LAN access!)
  cipher_privs XXXXXXXXXXXXXXX      max privilege per cipher suite entry: X c u o a O
  auth LEVEL[,LEVEL] TYPE[,TYPE]    IPMI 1.5 auth types (levels callback,user,operator,admin,oem;
                                    types none,md2,md5,password,oem)
  arp respond|generate on|off       BMC ARP responses / gratuitous ARPs
  arp interval SECONDS              gratuitous ARP interval
  snmp COMMUNITY                    SNMP community string (at most 18 bytes)
  password [PASSWORD]               set user 1's (the null user's) password; none clears it
  user                              give user 1 an ADMINISTRATOR privilege limit on the channel
  alert on|off                      PEF alerting on this channel
  bad_pass_thresh N 1|0 RESET LOCKOUT
                                    bad password threshold: failures before lockout, 1 = log a
                                    Session Audit event, reset and lockout intervals (10 s units)`

func newLanSetCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*lanSetResult](&cobra.Command{
		Use:   "set CHANNEL COMMAND VALUE...",
		Short: "Change a LAN parameter (committed with the set-in-progress protocol)",
		Long:  "Each change is written inside the set-in-progress protocol (1, write, 2 commit, 0), which\nmany BMCs need to apply it, then read back.\n\n" + lanSetUsage,
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			plan, err := lanPlanSet(args[1:])
			if err != nil {
				return err
			}
			if err := ParseChannelArg(args, 0); err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			ch, err := Channel(f, c, args, 0)
			if err != nil {
				return fmt.Errorf("Channel %s is not a LAN channel!", args[0])
			}
			return plan(f, c, ch)
		},
	})
}

// lanSetFunc carries out a parsed "lan set" on a channel.
type lanSetFunc func(f *cli.Factory, c *ipmi.Client, ch uint8) error

// lanWrite writes one parameter, then reads it back: BMCs accept a
// write and then ignore it often enough that ipmitool checks too.
func lanWrite(f *cli.Factory, c *ipmi.Client, ch uint8, p ipmi.LANParam, data []byte, res *lanSetResult) error {
	ctx := f.Context()
	if err := c.SetLANConfigCommitted(ctx, ch, p, data); err != nil {
		return fmt.Errorf("Set LAN Parameter %d failed%s: %w", p, lanCodeHint(err), err)
	}
	if got, err := c.GetLANConfig(ctx, ch, p, 0, 0); err == nil && !bytes.Equal(got, data) {
		fmt.Fprintf(f.IO.ErrOut, "ipmictl: warning: LAN parameter %d reads back as % x after writing % x; the BMC may not have applied it\n",
			p, got, data)
	}
	res.Channel = ch
	return f.Render(res)
}

// lanCodeHint names the parameter-specific completion codes of Get/Set
// LAN Configuration Parameters, which the generic table leaves unknown.
func lanCodeHint(err error) string {
	switch {
	case ipmi.IsCompletion(err, ipmi.CodeParameterNotSupported):
		return " (this BMC does not support the parameter)"
	case ipmi.IsCompletion(err, ipmi.CodeSetInProgressAlready):
		return " (another client holds the set-in-progress lock)"
	case ipmi.IsCompletion(err, ipmi.CodeWriteToReadOnlyParamter):
		return " (the BMC treats the parameter as read-only)"
	}
	return ""
}

func lanOnOff(s string) (bool, error) {
	switch s {
	case "on", "enable":
		return true, nil
	case "off", "disable":
		return false, nil
	}
	return false, cli.UsageErrorf("%q: use on or off", s)
}

// lanPlanSet parses "COMMAND VALUE..." into the change it makes, so bad
// arguments fail before any connection.
func lanPlanSet(a []string) (lanSetFunc, error) {
	need := func(n int) error {
		if len(a) < n {
			return cli.UsageErrorf("lan set %s: missing value\n%s", a[0], lanSetUsage)
		}
		return nil
	}
	simple := func(p ipmi.LANParam, data []byte, name, value, msg string) lanSetFunc {
		return func(f *cli.Factory, c *ipmi.Client, ch uint8) error {
			return lanWrite(f, c, ch, p, data, &lanSetResult{Parameter: name, Value: value, Message: msg})
		}
	}
	ipArg := func(s string) ([]byte, error) {
		ip, err := lanParseIPv4(s)
		if err != nil {
			return nil, cli.UsageErrorf("Invalid IP address: %s", s)
		}
		return ip, nil
	}
	macArg := func(s string) (ipmi.MAC, error) {
		m, err := lanParseMAC(s)
		if err != nil {
			return m, cli.UsageErrorf("Invalid MAC address: %s", s)
		}
		return m, nil
	}
	switch a[0] {
	case "ipaddr", "netmask":
		if err := need(2); err != nil {
			return nil, err
		}
		ip, err := ipArg(a[1])
		if err != nil {
			return nil, err
		}
		p, label := ipmi.LANIPAddress, "IP Address"
		if a[0] == "netmask" {
			p, label = ipmi.LANSubnetMask, "Subnet Mask"
		}
		v := lanIPString(ip)
		return simple(p, ip, a[0], v, "Setting LAN "+label+" to "+v), nil
	case "macaddr":
		if err := need(2); err != nil {
			return nil, err
		}
		m, err := macArg(a[1])
		if err != nil {
			return nil, err
		}
		return simple(ipmi.LANMACAddress, m[:], "macaddr", m.String(), "Setting LAN MAC Address to "+m.String()), nil
	case "defgw", "bakgw":
		if err := need(3); err != nil {
			return nil, err
		}
		ipP, macP, label := ipmi.LANDefaultGatewayIP, ipmi.LANDefaultGateway, "Default Gateway"
		if a[0] == "bakgw" {
			ipP, macP, label = ipmi.LANBackupGatewayIP, ipmi.LANBackupGateway, "Backup Gateway"
		}
		switch a[1] {
		case "ipaddr":
			ip, err := ipArg(a[2])
			if err != nil {
				return nil, err
			}
			v := lanIPString(ip)
			return simple(ipP, ip, a[0]+" ipaddr", v, "Setting LAN "+label+" IP to "+v), nil
		case "macaddr":
			m, err := macArg(a[2])
			if err != nil {
				return nil, err
			}
			return simple(macP, m[:], a[0]+" macaddr", m.String(), "Setting LAN "+label+" MAC to "+m.String()), nil
		}
		return nil, cli.UsageErrorf("LAN set %s commands: ipaddr, macaddr", a[0])
	case "ipsrc":
		if err := need(2); err != nil {
			return nil, err
		}
		src := map[string]uint8{"none": 0, "static": 1, "dhcp": 2, "bios": 3}
		v, ok := src[a[1]]
		if !ok {
			return nil, cli.UsageErrorf("lan set CHANNEL ipsrc none|static|dhcp|bios")
		}
		return simple(ipmi.LANIPSource, []byte{v}, "ipsrc", a[1], ""), nil
	case "snmp":
		if err := need(2); err != nil {
			return nil, err
		}
		if len(a[1]) > 18 {
			return nil, cli.UsageErrorf("the SNMP community is %d bytes; at most 18", len(a[1]))
		}
		data := make([]byte, 18)
		copy(data, a[1])
		return simple(ipmi.LANCommunity, data, "snmp", a[1], "Setting LAN SNMP Community String to "+a[1]), nil
	case "vlan":
		return lanPlanVLAN(a)
	case "cipher_privs":
		if err := need(2); err != nil {
			return nil, err
		}
		data, err := lanParseCipherPrivs(a[1])
		if err != nil {
			return nil, err
		}
		return simple(ipmi.LANCipherPrivileges, data, "cipher_privs", a[1], ""), nil
	case "access":
		if err := need(2); err != nil {
			return nil, err
		}
		on, err := lanOnOff(a[1])
		if err != nil {
			return nil, err
		}
		return func(f *cli.Factory, c *ipmi.Client, ch uint8) error { return lanSetAccess(f, c, ch, on) }, nil
	case "auth":
		if err := need(3); err != nil {
			return nil, err
		}
		levels, types, err := lanParseAuth(a[1], a[2])
		if err != nil {
			return nil, err
		}
		return func(f *cli.Factory, c *ipmi.Client, ch uint8) error {
			cur, err := c.GetLANConfig(f.Context(), ch, ipmi.LANAuthTypeEnables, 0, 0)
			if err != nil {
				return fmt.Errorf("Get LAN Parameter 2 failed%s: %w", lanCodeHint(err), err)
			}
			e, err := ipmi.DecodeLANAuthEnables(cur)
			if err != nil {
				return err
			}
			for _, l := range levels {
				e[l] = types
			}
			return lanWrite(f, c, ch, ipmi.LANAuthTypeEnables, e[:],
				&lanSetResult{Parameter: "auth", Value: a[1] + " " + a[2]})
		}, nil
	case "arp":
		return lanPlanARP(a)
	}
	if plan, ok, err := lanPlanSetExtra(a); ok {
		return plan, err
	}
	return nil, cli.UsageErrorf("unknown lan set command %q\n%s", a[0], lanSetUsage)
}

func lanPlanVLAN(a []string) (lanSetFunc, error) {
	if len(a) < 3 {
		return nil, cli.UsageErrorf("lan set CHANNEL vlan id N|off, or vlan priority N")
	}
	switch a[1] {
	case "id":
		if a[2] == "off" {
			return func(f *cli.Factory, c *ipmi.Client, ch uint8) error {
				data := []byte{0, 0}
				// Keep the ID, clear the enable bit.
				if cur, err := c.GetLANConfig(f.Context(), ch, ipmi.LANVLANID, 0, 0); err == nil && len(cur) >= 2 {
					data = []byte{cur[0], cur[1] & 0x0F}
				}
				return lanWrite(f, c, ch, ipmi.LANVLANID, data, &lanSetResult{Parameter: "vlan id", Value: "off"})
			}, nil
		}
		id, err := strconv.Atoi(a[2])
		if err != nil || id < 1 || id > 4094 {
			return nil, cli.UsageErrorf("VLAN ID must be between 1 and 4094.")
		}
		data := []byte{uint8(id), uint8(id>>8) | 0x80}
		return func(f *cli.Factory, c *ipmi.Client, ch uint8) error {
			return lanWrite(f, c, ch, ipmi.LANVLANID, data, &lanSetResult{Parameter: "vlan id", Value: a[2]})
		}, nil
	case "priority":
		p, err := strconv.Atoi(a[2])
		if err != nil || p < 0 || p > 7 {
			return nil, cli.UsageErrorf("VLAN priority must be between 0 and 7.")
		}
		return func(f *cli.Factory, c *ipmi.Client, ch uint8) error {
			return lanWrite(f, c, ch, ipmi.LANVLANPriority, []byte{uint8(p)}, &lanSetResult{Parameter: "vlan priority", Value: a[2]})
		}, nil
	}
	return nil, cli.UsageErrorf("lan set CHANNEL vlan id N|off, or vlan priority N")
}

func lanPlanARP(a []string) (lanSetFunc, error) {
	if len(a) < 3 {
		return nil, cli.UsageErrorf("lan set CHANNEL arp respond|generate on|off, or arp interval SECONDS")
	}
	switch a[1] {
	case "respond", "generate":
		on, err := lanOnOff(a[2])
		if err != nil {
			return nil, err
		}
		bit, msg := uint8(0x02), "BMC-generated ARP responses"
		if a[1] == "generate" {
			bit, msg = 0x01, "BMC-generated Gratuitous ARPs"
		}
		return func(f *cli.Factory, c *ipmi.Client, ch uint8) error {
			cur, err := c.GetLANConfig(f.Context(), ch, ipmi.LANARPControl, 0, 0)
			if err != nil {
				return fmt.Errorf("Get LAN Parameter 10 failed%s: %w", lanCodeHint(err), err)
			}
			v, err := ipmi.DecodeLANByte(ipmi.LANARPControl, cur)
			if err != nil {
				return err
			}
			v &^= bit
			if on {
				v |= bit
			}
			return lanWrite(f, c, ch, ipmi.LANARPControl, []byte{v},
				&lanSetResult{Parameter: "arp " + a[1], Value: a[2], Message: cli.BoolWord(on, "En", "Dis") + "abling " + msg})
		}, nil
	case "interval":
		sec, err := strconv.ParseUint(a[2], 10, 8)
		if err != nil || sec == 0 || sec > 127 {
			return nil, cli.UsageErrorf("Given ARP interval '%s' is invalid: use 1-127 seconds.", a[2])
		}
		v := uint8(sec*2 - 1) // 500 ms units, as ipmitool writes it
		return func(f *cli.Factory, c *ipmi.Client, ch uint8) error {
			return lanWrite(f, c, ch, ipmi.LANGratuitousARP, []byte{v}, &lanSetResult{Parameter: "arp interval", Value: a[2],
				Message: fmt.Sprintf("BMC-generated Gratuitous ARP interval:  %.1f seconds", float64((int(v)+1)/2))})
		}, nil
	}
	return nil, cli.UsageErrorf("lan set CHANNEL arp respond|generate on|off, or arp interval SECONDS")
}

// lanSetAccess enables (always available) or disables IPMI over LAN on
// the channel, non-volatile then volatile, with an Administrator
// privilege limit, as ipmitool's "lan set access" does.
func lanSetAccess(f *cli.Factory, c *ipmi.Client, ch uint8, on bool) error {
	ctx := f.Context()
	mode := uint8(ipmi.AccessDisabled)
	if on {
		mode = ipmi.AccessAlways
	}
	for _, volatile := range []bool{false, true} {
		a, err := c.GetChannelAccess(ctx, ch, volatile)
		if err != nil {
			return fmt.Errorf("Unable to Get Channel Access for channel %d: %w", ch, err)
		}
		a.AccessMode, a.PrivilegeLimit = mode, ipmi.PrivilegeAdmin
		opt := uint8(ipmi.AccessOptionNonVolatile)
		if volatile {
			opt = ipmi.AccessOptionVolatile
		}
		if err := c.SetChannelAccess(ctx, ch, *a, opt, opt); err != nil {
			return fmt.Errorf("Unable to Set Channel Access for channel %d: %w", ch, err)
		}
	}
	return f.Render(&lanSetResult{Channel: ch, Parameter: "access", Value: cli.BoolWord(on, "on", "off"),
		Message: fmt.Sprintf("Set Channel Access for channel %d was successful.", ch)})
}

func lanParseIPv4(s string) ([]byte, error) {
	var v [4]int
	var rest string
	n, _ := fmt.Sscanf(s+" x", "%d.%d.%d.%d %s", &v[0], &v[1], &v[2], &v[3], &rest)
	if n != 5 || rest != "x" {
		return nil, fmt.Errorf("bad address")
	}
	out := make([]byte, 4)
	for i, x := range v {
		if x < 0 || x > 255 {
			return nil, fmt.Errorf("bad address")
		}
		out[i] = uint8(x)
	}
	return out, nil
}

func lanIPString(b []byte) string { return fmt.Sprintf("%d.%d.%d.%d", b[0], b[1], b[2], b[3]) }

func lanParseMAC(s string) (ipmi.MAC, error) {
	var m ipmi.MAC
	var v [6]int
	var rest string
	n, _ := fmt.Sscanf(s+" x", "%x:%x:%x:%x:%x:%x %s", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &rest)
	if n != 7 || rest != "x" {
		return m, fmt.Errorf("bad MAC")
	}
	for i, x := range v {
		if x < 0 || x > 255 {
			return m, fmt.Errorf("bad MAC")
		}
		m[i] = uint8(x)
	}
	return m, nil
}

// lanParseCipherPrivs turns ipmitool's 15-letter form into parameter 24.
func lanParseCipherPrivs(s string) ([]byte, error) {
	if len(s) != 15 {
		return nil, cli.UsageErrorf("Invalid privilege specification length: %d (want 15 letters of X c u o a O)", len(s))
	}
	var p [16]ipmi.Privilege
	for i := range 15 {
		switch s[i] {
		case 'X':
			p[i] = ipmi.PrivilegeNone
		case 'c':
			p[i] = ipmi.PrivilegeCallback
		case 'u':
			p[i] = ipmi.PrivilegeUser
		case 'o':
			p[i] = ipmi.PrivilegeOperator
		case 'a':
			p[i] = ipmi.PrivilegeAdmin
		case 'O':
			p[i] = ipmi.PrivilegeOEM
		default:
			return nil, cli.UsageErrorf("Invalid privilege specification char: %c", s[i])
		}
	}
	return ipmi.EncodeLANCipherPrivileges(p), nil
}

// lanParseAuth parses "lan set auth" levels and types (comma lists).
func lanParseAuth(levels, types string) ([]int, uint8, error) {
	var bits uint8
	for _, t := range lanSplitList(types) {
		switch t {
		case "none":
			bits |= ipmi.AuthTypeBitNone
		case "md2":
			bits |= ipmi.AuthTypeBitMD2
		case "md5":
			bits |= ipmi.AuthTypeBitMD5
		case "password", "key":
			bits |= ipmi.AuthTypeBitPassword
		case "oem":
			bits |= ipmi.AuthTypeBitOEM
		default:
			return nil, 0, cli.UsageErrorf("Invalid authentication type: %s (use NONE, MD2, MD5, PASSWORD, OEM)", t)
		}
	}
	var idx []int
	for _, l := range lanSplitList(levels) {
		i, ok := map[string]int{"callback": 0, "user": 1, "operator": 2, "admin": 3, "administrator": 3, "oem": 4}[l]
		if !ok {
			return nil, 0, cli.UsageErrorf("Invalid authentication level: %s (use CALLBACK, USER, OPERATOR, ADMIN, OEM)", l)
		}
		idx = append(idx, i)
	}
	return idx, bits, nil
}

// lanSplitList splits a comma list, lower-cased.
func lanSplitList(s string) []string {
	var out []string
	for _, p := range bytes.Split(bytes.ToLower([]byte(s)), []byte(",")) {
		if len(p) > 0 {
			out = append(out, string(p))
		}
	}
	return out
}

// Columns and Rows give lanSetResult a table form, one row per field.
func (r *lanSetResult) Columns() []string { return cli.FieldColumns }
func (r *lanSetResult) Rows() [][]string  { return cli.FieldRows(r) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (r *lanSetResult) WriteCSV(w io.Writer) error { return r.WriteText(w) }

// Columns and Rows give lanStats a table form, one row per field.
func (s *lanStats) Columns() []string { return cli.FieldColumns }
func (s *lanStats) Rows() [][]string  { return cli.FieldRows(s) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (s *lanStats) WriteCSV(w io.Writer) error { return s.WriteText(w) }

// Columns and Rows give lanPrint a table form, one row per field.
func (l *lanPrint) Columns() []string { return cli.FieldColumns }
func (l *lanPrint) Rows() [][]string  { return cli.FieldRows(l) }
