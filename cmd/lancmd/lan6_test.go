package lancmd

import (
	"bytes"
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// lan6Transport puts the store in front of an in-process bmcsim BMC.
type lan6Transport struct {
	ipmi.Transport
	s *clitest.Lan6Store
}

func (t *lan6Transport) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	if r, ok := t.s.Serve(req); ok {
		return r, nil
	}
	return t.Transport.Send(ctx, req)
}

func lan6Run(t *testing.T, s *clitest.Lan6Store, args ...string) (string, string, int) {
	t.Helper()
	return clitest.Run(t, &lan6Transport{bmcsim.New().Transport("admin", ipmi.PrivilegeAdmin), s}, append([]string{"-H", "bmc"}, args...)...)
}

const lan6Golden = `IPv6/IPv4 Support:
    IPv6 only: yes
    IPv4 and IPv6: yes
    IPv6 Destination Addresses for LAN alerting: no
IPv6/IPv4 Addressing Enables: both
IPv6 Header Traffic Class: 0
IPv6 Header Static Hop Limit: 64
IPv6 Header Flow Label: 4660
IPv6 Status:
    Static address max:  2
    Dynamic address max: 2
    DHCPv6 support:      yes
    SLAAC support:       yes
IPv6 Static Address 0:
    Enabled:        yes
    Address:        2001:db8::10/64
    Status:         active
IPv6 Static Address 1:
    Enabled:        no
    Address:        ::/0
    Status:         disabled
IPv6 DHCPv6 Static DUID Storage Length: 2
IPv6 DHCPv6 Static DUID 0:
    Length:   14
    Type:     DUID-LLT
    0e000100012a3b4c5d00112233445566
    abababababababababababababababab
IPv6 Dynamic Address 0:
    Source/Type:    SLAAC
    Address:        fe80::211:22ff:fe33:4455/64
    Status:         active
IPv6 Dynamic Address 1:
    Source/Type:    DHCPv6
    Address:        ::ffff:10.1.2.3/128
    Status:         deprecated
IPv6 DHCPv6 Dynamic DUID Storage Length: 1
IPv6 DHCPv6 Dynamic DUID 0:
    Length:   10
    Type:     DUID-LL
    0a000300010011223344550000000000
IPv6 DHCPv6 Timing Configuration Support: global
IPv6 DHCPv6 Timing Configuration 0:
    SOL_MAX_DELAY:   1
    SOL_TIMEOUT:     2
    SOL_MAX_RT:      3
    REQ_TIMEOUT:     4
    REQ_MAX_RT:      5
    REQ_MAX_RC:      6
    CNF_MAX_DELAY:   7
    CNF_TIMEOUT:     8
    CNF_MAX_RT:      9
    CNF_MAX_RD:      10
    REN_TIMEOUT:     11
    REN_MAX_RT:      12
    REB_TIMEOUT:     13
    REB_MAX_RT:      14
    INF_MAX_DELAY:   15
    INF_TIMEOUT:     16
    INF_MAX_RT:      17
    REL_TIMEOUT:     18
    REL_MAX_RC:      19
    DEC_TIMEOUT:     20
    DEC_MAX_RC:      21
    HOP_COUNT_LIMIT: 22
IPv6 Router Address Configuration Control:
    Enable static router address:  yes
    Enable dynamic router address: yes
IPv6 Static Router 1:
    Address: fe80::1
    MAC:     00:11:22:33:44:55
    Prefix:  2001:db8::/64
IPv6 Number of Dynamic Router Info Sets: 1
IPv6 Dynamic Router 0:
    Address: fe80::2
    MAC:     aa:bb:cc:dd:ee:ff
    Prefix:  2001:db8:1::/48
IPv6 Dynamic Router Received Hop Limit: 63
IPv6 ND/SLAAC Timing Configuration Support: per interface
IPv6 ND/SLAAC Timing Configuration 0:
    MAX_RTR_SOLICITATION_DELAY: 1
    RTR_SOLICITATION_INTERVAL:  4
    MAX_RTR_SOLICITATIONS:      3
    DupAddrDetectTransmits:     1
    MAX_MULTICAST_SOLICIT:      3
    MAX_UNICAST_SOLICIT:        3
    MAX_ANYCAST_DELAY_TIME:     1
    MAX_NEIGHBOR_ADVERTISEMENT: 3
    REACHABLE_TIME:             30
    RETRANS_TIMER:              1
    DELAY_FIRST_PROBE_TIME:     5
    MAX_RANDOM_FACTOR:          15
    MIN_RANDOM_FACTOR:          5
`

func TestLan6Print(t *testing.T) {
	s := clitest.NewLan6Store()
	out, errOut, code := lan6Run(t, s, "lan6", "print", "1")
	if code != 0 || out != lan6Golden {
		t.Errorf("exit %d %s\n%s", code, errOut, out)
	}
	// Default channel: the first LAN channel.
	if out2, _, _ := lan6Run(t, s, "lan6", "print"); out2 != out {
		t.Errorf("lan6 print without a channel differs:\n%s", out2)
	}
	// A refusal other than "not supported" is reported; the rest prints.
	s.Refuse[53] = 0xD4
	out, errOut, code = lan6Run(t, s, "lan6", "print", "1")
	if code != 0 || strings.Contains(out, "Static Hop Limit") || !strings.Contains(out, "IPv6 Header Flow Label: 4660") ||
		!strings.Contains(errOut, "Failed to get IPv6 Header Static Hop Limit: Insufficient privilege level") {
		t.Errorf("refused parameter: exit %d\n%s\n%s", code, out, errOut)
	}
	out, _, _ = lan6Run(t, s, "-o", "json", "lan6", "print", "1")
	for _, w := range []string{`"static_addresses": [`, `"address": "2001:db8::10"`, `"flow_label": 4660`, `"failures": [`} {
		if !strings.Contains(out, w) {
			t.Errorf("json lacks %s:\n%s", w, out)
		}
	}
	// A BMC without IPv6 prints nothing, as ipmitool does.
	out, errOut, code = lan6Run(t, &clitest.Lan6Store{Params: map[[3]uint8][]byte{}, Refuse: map[uint8]ipmi.CompletionCode{}}, "lan6", "print", "1")
	if code != 0 || out != "" || errOut != "" {
		t.Errorf("no IPv6: exit %d %q %q", code, out, errOut)
	}
}

func TestLan6SetWritesParameters(t *testing.T) {
	cases := []struct {
		args []string
		want [][]byte // Set LAN Configuration data, lock and commit included
	}{
		{[]string{"enables", "ipv6"}, [][]byte{{1, 0, 1}, {1, 51, 1}, {1, 0, 2}, {1, 0, 0}}},
		{[]string{"nolock", "static_hops", "0x40"}, [][]byte{{1, 53, 64}}},
		{[]string{"nolock", "flow_label", "0x12345"}, [][]byte{{1, 54, 0x01, 0x23, 0x45}}},
		{[]string{"nolock", "static_addr", "1", "enable", "2001:db8::20", "56"},
			[][]byte{append(append([]byte{1, 56, 1, 0x80}, netip.MustParseAddr("2001:db8::20").AsSlice()...), 56, 0)}},
		{[]string{"nolock", "static_duid", "0", "1", "0a0b"}, [][]byte{append([]byte{1, 58, 0, 1, 0x0a, 0x0b}, make([]byte, 14)...)}},
		{[]string{"nolock", "dhcp6_cfg", "0", "0102", "0304"}, [][]byte{
			append([]byte{1, 63, 0, 0, 1, 2}, make([]byte, 14)...),
			append([]byte{1, 63, 0, 1, 3, 4}, make([]byte, 14)...)}},
		{[]string{"nolock", "rtr_cfg", "dynamic"}, [][]byte{{1, 64, 2}}},
		{[]string{"nolock", "static_rtr", "2", "fe80::9", "00:aa:bb:cc:dd:0e", "2001:db8:9::", "48"}, [][]byte{
			append([]byte{1, 69}, netip.MustParseAddr("fe80::9").AsSlice()...),
			{1, 70, 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0x0e},
			{1, 71, 48},
			append([]byte{1, 72}, netip.MustParseAddr("2001:db8:9::").AsSlice()...)}},
		{[]string{"nolock", "ndslaac_cfg", "0", "01020304"}, [][]byte{append([]byte{1, 80, 0, 0, 1, 2, 3, 4}, make([]byte, 12)...)}},
	}
	for _, c := range cases {
		s := clitest.NewLan6Store()
		_, errOut, code := lan6Run(t, s, append([]string{"lan6", "set", "1"}, c.args...)...)
		if code != 0 {
			t.Errorf("%v: exit %d %s", c.args, code, errOut)
			continue
		}
		if len(s.Sets) != len(c.want) {
			t.Errorf("%v: sent % x, want % x", c.args, s.Sets, c.want)
			continue
		}
		for i := range c.want {
			if !bytes.Equal(s.Sets[i], c.want[i]) {
				t.Errorf("%v: request %d % x, want % x", c.args, i, s.Sets[i], c.want[i])
			}
		}
	}
	s := clitest.NewLan6Store()
	lan6Run(t, s, "lan6", "set", "1", "nolock", "static_addr", "0", "disable", "2001:db8::99", "48")
	out, _, _ := lan6Run(t, s, "lan6", "print", "1")
	if !strings.Contains(out, "IPv6 Static Address 0:\n    Enabled:        no\n    Address:        2001:db8::99/48\n") {
		t.Errorf("read back:\n%s", out)
	}
	for _, bad := range [][]string{
		{"bogus", "1"}, {"enables", "ipv5"}, {"static_hops", "256"}, {"flow_label", "0x100000"},
		{"static_addr", "0", "on", "2001:db8::1", "64"}, {"static_addr", "0", "enable", "10.0.0.1", "64"},
		{"static_addr", "0", "enable", "2001:db8::1", "129"}, {"static_duid", "0", "0", "zz"},
		{"static_duid", "0", "0", strings.Repeat("00", 17)}, {"static_rtr", "3", "fe80::1", "00:11:22:33:44:55", "::", "64"},
		{"static_rtr", "1", "fe80::1", "00:11:22:33:44", "::", "64"}, {"static_addr", "0", "enable"},
	} {
		s := clitest.NewLan6Store()
		if _, _, code := lan6Run(t, s, append([]string{"lan6", "set", "1"}, bad...)...); code != cli.ExitUsage || len(s.Sets) != 0 {
			t.Errorf("lan6 set 1 %v: exit %d, %d requests sent", bad, code, len(s.Sets))
		}
	}
	s = clitest.NewLan6Store()
	_, errOut, code := lan6Run(t, s, "lan6", "set", "1", "nolock", "traffic_class", "1")
	if code != 0 {
		t.Errorf("traffic_class: exit %d %s", code, errOut)
	}
}

func TestLan6Ntop(t *testing.T) {
	// What glibc's inet_ntop prints.
	for in, want := range map[string]string{
		"::":                      "::",
		"::1":                     "::1",
		"1::":                     "1::",
		"2001:db8::1":             "2001:db8::1",
		"2001:db8:0:0:1:0:0:1":    "2001:db8::1:0:0:1",
		"2001:0:0:1::1":           "2001:0:0:1::1",
		"2001:db8:0:1:1:1:1:1":    "2001:db8:0:1:1:1:1:1",
		"::ffff:10.1.2.3":         "::ffff:10.1.2.3",
		"::10.1.2.3":              "::10.1.2.3",
		"::1:0:0:0":               "::1:0:0:0",
		"1:0:0:1:0:0:0:1":         "1:0:0:1::1",
		"fe80::211:22ff:fe33:445": "fe80::211:22ff:fe33:445",
		"1:2:3:4:5:6:7:8":         "1:2:3:4:5:6:7:8",
		"0:0:1::":                 "0:0:1::",
	} {
		if got := lan6Ntop(netip.MustParseAddr(in)); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

func TestLan6AndMCExtraTables(t *testing.T) {
	s := clitest.NewLan6Store()
	out, errOut, code := lan6Run(t, s, "-o", "csv", "lan6", "print", "1")
	for _, w := range []string{"static_addr,0,enable 2001:db8::10/64 active\n", "static_rtr,1,fe80::1 00:11:22:33:44:55 2001:db8:: 64\n", "flow_label,,4660\n"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("csv lacks %q: exit %d %s\n%s", w, code, errOut, out)
		}
	}
	b := bmcsim.New()
	for _, args := range [][]string{{"mc", "watchdog", "get"}, {"mc", "getsysinfo", "os_name"}, {"mc", "getenables"}} {
		if out, errOut, code := clitest.RunOnBMCSim(t, b, append([]string{"-o", "table"}, args...)...); code != 0 || out == "" {
			t.Errorf("-o table %v: exit %d %s", args, code, errOut)
		}
	}
}
