package lancmd

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

func TestLanAlertSetThenPrintMatchesIpmitool(t *testing.T) {
	b := bmcsim.New()
	// Run closes its transport, so each run logs in anew.
	tr := func() ipmi.Transport { return b.Transport("admin", ipmi.PrivilegeAdmin) }
	for _, s := range clitest.LanAlertSets {
		out, errOut, code := clitest.Run(t, tr(), append([]string{"lan", "alert", "set"}, s.Args...)...)
		if code != 0 || out != s.Said || errOut != "" {
			t.Errorf("alert set %v: exit %d out %q err %q", s.Args, code, out, errOut)
		}
	}
	want := clitest.Golden(t, "lan_alert_print.txt")
	for _, args := range [][]string{{"lan", "alert", "print"}, {"lan", "alert", "print", "1"}, {"-c", "lan", "alert", "print"}} {
		out, errOut, code := clitest.Run(t, tr(), args...)
		if code != 0 || out != want {
			t.Errorf("%v: exit %d %s\n got: %q\nwant: %q", args, code, errOut, out, want)
		}
	}
	// One destination is that destination's block of the listing.
	out, _, code := clitest.Run(t, tr(), "lan", "alert", "print", "1", "2")
	if block := want[strings.Index(want, "Alert Destination       : 2"):strings.Index(want, "Alert Destination       : 3")]; code != 0 || out != block {
		t.Errorf("print 1 2: exit %d\n got: %q\nwant: %q", code, out, block)
	}
	out, _, _ = clitest.Run(t, tr(), "-o", "json", "lan", "alert", "print", "1", "1")
	var got struct {
		Channel      int `json:"channel"`
		Destinations []struct {
			Destination   int     `json:"destination"`
			Acknowledge   bool    `json:"acknowledge"`
			Type          int     `json:"type"`
			TypeName      string  `json:"type_name"`
			Timeout       int     `json:"timeout_s"`
			Retries       int     `json:"retries"`
			BackupGateway bool    `json:"backup_gateway"`
			IP            *string `json:"ip_address"`
			MAC           *string `json:"mac_address"`
		} `json:"destinations"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Destinations) != 1 {
		t.Fatalf("json %v:\n%s", err, out)
	}
	d := got.Destinations[0]
	if got.Channel != 1 || d.Destination != 1 || !d.Acknowledge || d.Type != 7 || d.TypeName != "OEM 2" || d.Timeout != 32 ||
		d.Retries != 7 || !d.BackupGateway || d.IP == nil || *d.IP != "192.168.1.9" || d.MAC == nil || *d.MAC != "0a:0b:0c:0d:0e:0f" {
		t.Errorf("json destination %+v", d)
	}
	// Destination 4 is past the count bmcsim reports (3).
	if _, errOut, code := clitest.Run(t, tr(), "lan", "alert", "set", "1", "4", "retry", "1"); code != cli.ExitBMC || !strings.Contains(errOut, "Alert 4 is not a valid destination") {
		t.Errorf("destination 4: exit %d %s", code, errOut)
	}
}

// lanAlertFake answers Get Channel Info (channel 1 is LAN) and Get LAN
// Configuration Parameters by parameter and set selector.
type lanAlertFake struct {
	mu     sync.Mutex
	params map[[2]uint8][]byte
	codes  map[[2]uint8]ipmi.CompletionCode
}

func (b *lanAlertFake) Send(_ context.Context, r *ipmi.Request) (*ipmi.Response, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case r.NetFn == ipmi.NetFnApp && r.Cmd == ipmi.CmdGetChannelInfo:
		if r.Data[0]&0x0F == 1 {
			return &ipmi.Response{Data: []byte{1, 4, 1, 0x81, 0xf2, 0x1b, 0, 0, 0}}, nil
		}
		return &ipmi.Response{Data: []byte{r.Data[0] & 0x0F, 1, 1, 0, 0xf2, 0x1b, 0, 0, 0}}, nil
	case r.NetFn == ipmi.NetFnTransport && r.Cmd == ipmi.CmdGetLANConfig:
		k := [2]uint8{r.Data[1], r.Data[2]}
		if c, ok := b.codes[k]; ok {
			return &ipmi.Response{Code: c}, nil
		}
		if d, ok := b.params[k]; ok {
			return &ipmi.Response{Data: append([]byte{0x11}, d...)}, nil
		}
		return &ipmi.Response{Code: ipmi.CodeParameterNotSupported}, nil
	}
	return &ipmi.Response{Code: ipmi.CodeInvalidCommand}, nil
}

func (b *lanAlertFake) Close() error { return nil }

// An unknown destination type and address format print as ipmitool
// printed them for the same bytes (set with ipmitool raw on bmcsim).
func TestLanAlertPrintUnknownFormat(t *testing.T) {
	b := &lanAlertFake{params: map[[2]uint8][]byte{
		{17, 0}: {3},
		{18, 3}: {3, 0x03, 5, 0xfa},
		{19, 3}: {3, 0x10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
	}}
	out, errOut, code := clitest.Run(t, b, "lan", "alert", "print", "1", "3")
	if want := clitest.Golden(t, "lan_alert_print_format1.txt"); code != 0 || out != want {
		t.Errorf("exit %d %s\n got: %q\nwant: %q", code, errOut, out, want)
	}
}

// Destinations that cannot be read are left out as ipmitool leaves them
// out; a BMC failure (not "unsupported") still ends with exit 1.
func TestLanAlertPrintSkipsBadDestinations(t *testing.T) {
	dest := func(n uint8) ([]byte, []byte) {
		return []byte{n, 0, 0, 0}, []byte{n, 0, 0, 10, 0, 0, n, 2, 0, 0, 0, 0, n}
	}
	full := func() *lanAlertFake {
		b := &lanAlertFake{params: map[[2]uint8][]byte{{17, 0}: {0xF3}}, codes: map[[2]uint8]ipmi.CompletionCode{}}
		for n := uint8(0); n <= 3; n++ {
			b.params[[2]uint8{18, n}], b.params[[2]uint8{19, n}] = dest(n)
		}
		return b
	}
	count := func(out string) int { return strings.Count(out, "Alert Destination       :") }
	// Count 0xF3 is masked to 3: four destinations.
	if out, _, code := clitest.Run(t, full(), "lan", "alert", "print"); code != 0 || count(out) != 4 || !strings.Contains(out, "Alert IP Address        : 10.0.0.3\n") {
		t.Errorf("full: exit %d\n%s", code, out)
	}
	b := full()
	b.params[[2]uint8{18, 1}] = []byte{1, 0, 0} // short
	b.codes[[2]uint8{19, 2}] = ipmi.CodeParameterOutOfRange
	out, errOut, code := clitest.Run(t, b, "lan", "alert", "print")
	if code != 0 || count(out) != 2 || strings.Contains(out, ": 1\n") || !strings.Contains(errOut, "destination 1 left out") {
		t.Errorf("short/unsupported: exit %d\nout %s\nerr %s", code, out, errOut)
	}
	b = full()
	b.codes[[2]uint8{18, 2}] = ipmi.CodeNodeBusy
	out, errOut, code = clitest.Run(t, b, "lan", "alert", "print", "1")
	if code != cli.ExitBMC || count(out) != 3 || !strings.Contains(errOut, "Node busy") {
		t.Errorf("busy: exit %d\nout %s\nerr %s", code, out, errOut)
	}
	// Nothing supported: nothing printed, success (ipmi_sim is like this).
	none := &lanAlertFake{params: map[[2]uint8][]byte{{17, 0}: {3}}}
	if out, errOut, code := clitest.Run(t, none, "lan", "alert", "print"); code != 0 || out != "" {
		t.Errorf("none: exit %d out %q err %q", code, out, errOut)
	}
	if out, _, code := clitest.Run(t, none, "-o", "json", "lan", "alert", "print"); code != 0 || !strings.Contains(out, `"destinations": []`) {
		t.Errorf("none json: exit %d %s", code, out)
	}
	// Without parameter 17 there is nothing to list, and it is an error.
	if _, errOut, code := clitest.Run(t, &lanAlertFake{}, "lan", "alert", "print"); code != cli.ExitBMC || !strings.Contains(errOut, "Parameter 17") {
		t.Errorf("no count: exit %d %s", code, errOut)
	}
	if _, errOut, code := clitest.Run(t, none, "lan", "alert", "print", "1", "0"); code != cli.ExitBMC || !strings.Contains(errOut, "does not support") {
		t.Errorf("one unsupported: exit %d %s", code, errOut)
	}
}

func TestLanAlertArgumentsCheckedOffline(t *testing.T) {
	for _, args := range [][]string{
		{"print", "16"}, {"print", "1", "256"}, {"print", "1", "x"}, {"print", "1", "2", "3"},
		{"set", "1", "1", "ipaddr", "1.2.3"}, {"set", "1", "1", "macaddr", "1:2:3"}, {"set", "1", "1", "gateway", "third"},
		{"set", "1", "1", "ack", "maybe"}, {"set", "1", "1", "type", "snmp"}, {"set", "1", "1", "time", "256"},
		{"set", "1", "1", "retry", "8"}, {"set", "1", "1", "retry", "x"}, {"set", "1", "1", "frob", "1"},
		{"set", "1", "1", "retry"}, {"set", "x", "1", "retry", "1"}, {"set", "1", "-1", "retry", "1"},
	} {
		if _, errOut, code := clitest.Run(t, nil, append([]string{"lan", "alert"}, args...)...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d %s", args, code, errOut)
		}
	}
}
