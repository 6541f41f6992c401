package exporter

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// A Supermicro BMC's LAN mode is exported; a BMC that answers the OEM
// command with a completion code fails that collector only, and keeps its
// session.
func TestSMLANMode(t *testing.T) {
	sm := bmcsim.New(bmcsim.WithSeed(7), bmcsim.WithSupermicroLANMode(2))
	sm.Freeze(true)
	other := frozenBMC()
	x := newSimExporter(t, "modules:\n  default:\n    user: admin\n    password: password\n    collectors: [chassis, sm-lan-mode]\n",
		map[string]*bmcsim.BMC{"sm:623": sm, "other:623": other})

	ms, err := x.Scrape(context.Background(), "sm", "")
	if err != nil {
		t.Fatal(err)
	}
	want := `
# HELP ipmi_config_lan_mode Returns configured LAN mode (0=dedicated, 1=shared, 2=failover).
# TYPE ipmi_config_lan_mode gauge
ipmi_config_lan_mode 2
# HELP ipmi_up '1' if a scrape of the IPMI device was successful, '0' otherwise.
# TYPE ipmi_up gauge
ipmi_up{collector="chassis"} 1
ipmi_up{collector="sm-lan-mode"} 1
`
	if err := testutil.CollectAndCompare(metricList(ms), strings.NewReader(want), "ipmi_config_lan_mode", "ipmi_up"); err != nil {
		t.Error(err)
	}

	for range 2 {
		fams := scrapeSim(t, x, "other", "")
		if v, ok := sample(fams, "ipmi_up", map[string]string{"collector": "sm-lan-mode"}); !ok || v != 0 {
			t.Errorf("sm-lan-mode up %v, %v on a BMC without the command", v, ok)
		}
		if v, ok := sample(fams, "ipmi_up", map[string]string{"collector": "chassis"}); !ok || v != 1 {
			t.Errorf("chassis up %v, %v next to a failed sm-lan-mode", v, ok)
		}
		if _, ok := sample(fams, "ipmi_config_lan_mode", map[string]string{}); ok {
			t.Error("ipmi_config_lan_mode exported for a BMC that refused the command")
		}
	}
	if got := counterValue(x.metrics.sessionsOpened); got != 2 {
		t.Errorf("%v sessions opened for 2 targets; a completion code must not drop the session", got)
	}
}

// The command needs ADMIN, as ipmi_exporter's docs say: a USER session
// gets a completion code, and the collector is down.
func TestSMLANModeNeedsAdmin(t *testing.T) {
	sm := bmcsim.New(bmcsim.WithSeed(7), bmcsim.WithSupermicroLANMode(1))
	c := ipmi.NewClient(sm.Transport("user", ipmi.PrivilegeUser))
	defer c.Close()
	_, err := c.Do(context.Background(), &ipmi.Request{NetFn: smNetFn, Cmd: smCmdOEM, Data: []byte{smSubLANMode, smLANModeGet}})
	if !ipmi.IsCompletion(err, ipmi.CodeInsufficientPrivilege) {
		t.Errorf("USER session: %v, want insufficient privilege", err)
	}
}

func TestDecodeSMLANMode(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want uint8
		ok   bool
	}{
		{[]byte{0}, 0, true}, {[]byte{1}, 1, true}, {[]byte{2}, 2, true},
		{[]byte{3}, 0, false}, {nil, 0, false}, {[]byte{1, 0}, 0, false},
	} {
		got, err := decodeSMLANMode(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("decodeSMLANMode(%x) = %d, %v", tc.in, got, err)
		}
	}
}

func FuzzDecodeSMLANMode(f *testing.F) {
	f.Add([]byte{1})
	f.Add([]byte{})
	f.Add([]byte{0xFF, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		mode, err := decodeSMLANMode(b)
		if err == nil && (len(b) != 1 || mode > smLANModeLast) {
			t.Fatalf("accepted %x as mode %d", b, mode)
		}
	})
}

// bmc_url is the BMC URL system info parameter; a BMC without one gets
// "" and the bmc collector stays up.
func TestBMCURLLabel(t *testing.T) {
	b := frozenBMC()
	x := newSimExporter(t, "modules:\n  default:\n    user: admin\n    password: password\n    collectors: [bmc]\n",
		map[string]*bmcsim.BMC{"bmc1:623": b})
	url := func() (string, float64) {
		fams := scrapeSim(t, x, "bmc1", "")
		up, _ := sample(fams, "ipmi_up", map[string]string{"collector": "bmc"})
		for _, f := range fams {
			if f.GetName() == "ipmi_bmc_info" && len(f.Metric) == 1 {
				for _, l := range f.Metric[0].Label {
					if l.GetName() == "bmc_url" {
						return l.GetValue(), up
					}
				}
			}
		}
		t.Fatal("no ipmi_bmc_info with a bmc_url label")
		return "", 0
	}
	if got, up := url(); got != "" || up != 1 {
		t.Errorf("BMC without a URL: bmc_url %q, up %v", got, up)
	}
	c := ipmi.NewClient(b.Transport("admin", ipmi.PrivilegeAdmin))
	defer c.Close()
	const want = "https://bmc-rack3-07.example.net/login?lang=en"
	if err := c.SetSystemInfoString(context.Background(), sysInfoBMCURL, ipmi.SysInfoASCII, []byte(want), ipmi.SysInfoMaxSet); err != nil {
		t.Fatal(err)
	}
	if got, up := url(); got != want || up != 1 {
		t.Errorf("bmc_url %q, up %v; want %q", got, up, want)
	}
}

func TestLabelText(t *testing.T) {
	for in, want := range map[string]string{"http://x/\x00junk": "http://x/", "a\xffb": "a\uFFFDb", "": ""} {
		if got := labelText([]byte(in)); got != want {
			t.Errorf("labelText(%q) = %q, want %q", in, got, want)
		}
	}
}
