package exporter

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/ipmictl/ipmictl/internal/udpproxy"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// lanConfig is a module for bmcsim's default administrator.
const lanConfig = `
modules:
  default:
    user: admin
    password: password
    collectors: [ipmi, bmc, chassis, sel, bmc-watchdog]
`

// newLANExporter serves an exporter (dialing real RMCP+ sessions) over
// HTTP on a test server.
func newLANExporter(t *testing.T, cfgText string) (*Exporter, *httptest.Server) {
	t.Helper()
	cfg, err := ParseConfig([]byte(cfgText))
	if err != nil {
		t.Fatal(err)
	}
	x := New(cfg, "", Options{Logf: t.Logf})
	srv := httptest.NewServer(x.Handler(HandlerOptions{NoLocal: true}))
	t.Cleanup(func() {
		srv.Close()
		x.Close()
	})
	return x, srv
}

// get scrapes path and parses the text exposition format.
func get(t *testing.T, srv *httptest.Server, path string, header map[string]string) (map[string]*dto.MetricFamily, time.Duration) {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	start := time.Now()
	rsp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer rsp.Body.Close()
	body, err := io.ReadAll(rsp.Body)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if rsp.StatusCode != 200 {
		t.Fatalf("GET %s: %s: %s", path, rsp.Status, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
	return fams, took
}

func upValue(t *testing.T, fams map[string]*dto.MetricFamily, collector string) float64 {
	t.Helper()
	f := fams["ipmi_up"]
	if f == nil {
		t.Fatal("no ipmi_up")
	}
	for _, m := range f.Metric {
		for _, l := range m.Label {
			if l.GetName() == "collector" && l.GetValue() == collector {
				return m.GetGauge().GetValue()
			}
		}
	}
	t.Fatalf("no ipmi_up{collector=%q}", collector)
	return 0
}

// 100 scrapes of one target open one session, reuse its SDR, and the
// session is closed when the exporter shuts down.
func TestHTTPScrapesShareOneSession(t *testing.T) {
	b := bmcsim.New(bmcsim.WithSeed(3))
	bmc, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bmc.Close()
	x, srv := newLANExporter(t, lanConfig)
	path := "/ipmi?" + url.Values{"target": {bmc.Addr().String()}, "module": {"default"}}.Encode()
	var sensors int
	const scrapes = 100 // the bar: no session pile-up over 100 scrapes
	var total time.Duration
	for i := 0; i < scrapes; i++ {
		fams, took := get(t, srv, path, nil)
		for _, c := range []string{"ipmi", "bmc", "chassis", "sel", "bmc-watchdog"} {
			if v := upValue(t, fams, c); v != 1 {
				t.Fatalf("scrape %d: ipmi_up{collector=%q} = %v", i, c, v)
			}
		}
		n := len(fams["ipmi_temperature_celsius"].GetMetric())
		if i == 0 {
			sensors = n
		} else if n != sensors {
			t.Errorf("scrape %d: %d temperatures, first scrape had %d", i, n, sensors)
		}
		total += took
		if i == 0 {
			t.Logf("first scrape (session, SDR walk): %v", took)
		}
	}
	t.Logf("%d scrapes, %v on average", scrapes, total/scrapes)
	if sensors == 0 {
		t.Fatal("no temperature sensors")
	}
	if got := bmc.Stats().SessionsOpened; got != 1 {
		t.Errorf("%d scrapes opened %d sessions, want 1", scrapes, got)
	}
	if got := b.ActiveSessions(); got != 1 {
		t.Errorf("%d sessions active during the exporter's life, want 1", got)
	}
	if got := testutil.ToFloat64(x.metrics.sdrWalks); got != 1 {
		t.Errorf("SDR read %v times in %d scrapes, want 1", got, scrapes)
	}
	srv.Close()
	x.Close()
	if got := b.ActiveSessions(); got != 0 {
		t.Errorf("%d sessions left open on the BMC after shutdown", got)
	}
}

// A BMC that never answers gives ipmi_up 0 within Prometheus's deadline.
func TestHTTPDeadlineSilentBMC(t *testing.T) {
	b := bmcsim.New()
	bmc, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bmc.Close()
	proxy, err := udpproxy.New("127.0.0.1:0", bmc.Addr().String(), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	proxy.SetFaults(udpproxy.ToServer, udpproxy.Faults{Loss: 1})
	_, srv := newLANExporter(t, lanConfig)
	path := "/ipmi?" + url.Values{"target": {proxy.Addr().String()}}.Encode()
	const budget = 2 * time.Second // Prometheus's timeout, less the 0.5 s offset: 1.5 s
	fams, took := get(t, srv, path, map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "2"})
	if took > budget {
		t.Errorf("scrape of a silent BMC took %v, Prometheus gives up after %v", took, budget)
	}
	if took < time.Second {
		t.Errorf("scrape returned after %v: it should have waited for the BMC until the deadline", took)
	}
	for _, c := range []string{"ipmi", "bmc", "chassis", "sel", "bmc-watchdog"} {
		if v := upValue(t, fams, c); v != 0 {
			t.Errorf("ipmi_up{collector=%q} = %v for a silent BMC", c, v)
		}
	}
	if proxy.Stats().Dropped[udpproxy.ToServer] == 0 {
		t.Error("the proxy dropped nothing: the test did not exercise a silent BMC")
	}
}

// A BMC that dropped the session (reboot) gets a new one in the same
// scrape, and the old one is not reused.
func TestHTTPSessionReopenedAfterBMCDropsIt(t *testing.T) {
	b := bmcsim.New(bmcsim.WithSeed(5))
	bmc, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bmc.Close()
	_, srv := newLANExporter(t, lanConfig+"    request_timeout: 200ms\n    retries: 1\n")
	path := "/ipmi?" + url.Values{"target": {bmc.Addr().String()}}.Encode()
	get(t, srv, path, nil)
	b.Reboot() // forgets every session
	fams, _ := get(t, srv, path, map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "5"})
	if v := upValue(t, fams, "chassis"); v != 1 {
		t.Errorf("after the BMC dropped the session: ipmi_up{collector=chassis} = %v", v)
	}
	if got := bmc.Stats().SessionsOpened; got != 2 {
		t.Errorf("%d sessions opened, want 2 (one before and one after the reboot)", got)
	}
}

func TestHTTPBadRequests(t *testing.T) {
	_, srv := newLANExporter(t, lanConfig)
	for path, want := range map[string]int{
		"/ipmi":                         400,
		"/ipmi?target=h&module=missing": 400,
		"/-/reload":                     405,
		"/nothing":                      404,
	} {
		rsp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		rsp.Body.Close()
		if rsp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, rsp.StatusCode, want)
		}
	}
}

func TestHTTPReload(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "exporter.yaml")
	if err := os.WriteFile(path, []byte(lanConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	x := New(cfg, path, Options{Logf: t.Logf})
	defer x.Close()
	srv := httptest.NewServer(x.Handler(HandlerOptions{NoLocal: true}))
	defer srv.Close()
	post := func() int {
		rsp, err := http.Post(srv.URL+"/-/reload", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		rsp.Body.Close()
		return rsp.StatusCode
	}
	if err := os.WriteFile(path, []byte(lanConfig+"  other:\n    user: operator\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := post(); code != 200 {
		t.Fatalf("reload: %d", code)
	}
	if _, err := x.module("other"); err != nil {
		t.Errorf("module added by reload: %v", err)
	}
	if err := os.WriteFile(path, []byte("modules: [broken"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := post(); code != 500 {
		t.Errorf("reload of a broken file: %d, want 500", code)
	}
	if _, err := x.module("other"); err != nil {
		t.Errorf("a failed reload lost the running config: %v", err)
	}
}

// Many targets through one exporter with a small pool: never more than
// max_targets sessions open across the fleet, every scrape answered, and
// nothing left open after shutdown.
func TestHTTPFleetBoundedPool(t *testing.T) {
	const bmcs, maxTargets = 40, 8
	addrs, err := bmcsim.PortRange(netip.MustParseAddr("127.0.0.1"), 0, bmcs)
	if err != nil {
		t.Fatal(err)
	}
	fleet, err := bmcsim.ServeFleet(addrs, func(i int) *bmcsim.BMC { return bmcsim.New(bmcsim.WithIndex(i)) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer fleet.Close()
	x, srv := newLANExporter(t, fmt.Sprintf("max_targets: %d\nmodules:\n  default:\n    user: admin\n    password: password\n    collectors: [chassis, sel]\n", maxTargets))
	open := func() int {
		n := 0
		for _, b := range fleet.BMCs {
			n += b.ActiveSessions()
		}
		return n
	}
	peak := 0
	for round := 0; round < 2; round++ {
		for _, a := range fleet.Addrs() {
			fams, _ := get(t, srv, "/ipmi?target="+a.String(), nil)
			if v := upValue(t, fams, "chassis"); v != 1 {
				t.Fatalf("%v: ipmi_up{collector=chassis} = %v", a, v)
			}
			// An evicted session closes in the background: allow it a moment.
			deadline := time.Now().Add(2 * time.Second)
			for open() > maxTargets && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			peak = max(peak, open())
		}
	}
	if peak > maxTargets {
		t.Errorf("%d sessions open at once across the fleet, max_targets %d", peak, maxTargets)
	}
	if n := len(x.remote.byKey); n != maxTargets {
		t.Errorf("pool holds %d targets, want %d", n, maxTargets)
	}
	srv.Close()
	x.Close()
	if n := open(); n != 0 {
		t.Errorf("%d sessions left open after shutdown", n)
	}
}

// /metrics serves the local BMC (in-band) with the exporter's own and the
// Go runtime metrics; without a local BMC, ipmi_up is 0 and the rest stays.
func TestHTTPLocalMetrics(t *testing.T) {
	b := frozenBMC()
	haveBMC := true
	cfg, err := ParseConfig([]byte("modules:\n  default:\n    collectors: [chassis, bmc]\n"))
	if err != nil {
		t.Fatal(err)
	}
	x := New(cfg, "", Options{Logf: t.Logf, DialLocal: func(ctx context.Context, m *Module) (ipmi.Transport, error) {
		if !haveBMC {
			return nil, os.ErrNotExist
		}
		return b.Transport("admin", ipmi.PrivilegeAdmin), nil // in-band has no login; bmcsim wants a user
	}})
	defer x.Close()
	srv := httptest.NewServer(x.Handler(HandlerOptions{}))
	defer srv.Close()
	fams, _ := get(t, srv, "/metrics", nil)
	if v := upValue(t, fams, "chassis"); v != 1 {
		t.Errorf("local ipmi_up{collector=chassis} = %v", v)
	}
	for _, name := range []string{"ipmi_chassis_power_state", "ipmi_bmc_info", "ipmictl_exporter_sessions_opened_total", "go_goroutines"} {
		if fams[name] == nil {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	x.local.flush()
	haveBMC = false
	fams, _ = get(t, srv, "/metrics", nil)
	if v := upValue(t, fams, "chassis"); v != 0 {
		t.Errorf("without a local BMC: ipmi_up{collector=chassis} = %v", v)
	}
	if fams["go_goroutines"] == nil {
		t.Error("without a local BMC the exporter's own metrics are gone too")
	}
	srv2 := httptest.NewServer(x.Handler(HandlerOptions{NoLocal: true}))
	defer srv2.Close()
	fams, _ = get(t, srv2, "/metrics", nil)
	if fams["ipmi_up"] != nil {
		t.Error("--no-local still reads the local BMC")
	}
}

// On a lossy network a session that still answers is kept: a request
// lost beyond its retries fails one collector for one scrape, not the
// session.
func TestHTTPLossyNetworkKeepsSession(t *testing.T) {
	b := bmcsim.New(bmcsim.WithSeed(9))
	bmc, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bmc.Close()
	proxy, err := udpproxy.New("127.0.0.1:0", bmc.Addr().String(), 4)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	_, srv := newLANExporter(t, lanConfig+"    request_timeout: 50ms\n    retries: 1\n")
	path := "/ipmi?" + url.Values{"target": {proxy.Addr().String()}}.Encode()
	get(t, srv, path, nil) // log in on a clean network
	proxy.SetFaults(udpproxy.ToServer, udpproxy.Faults{Loss: 0.1})
	proxy.SetFaults(udpproxy.ToClient, udpproxy.Faults{Loss: 0.1})
	failed := 0
	for i := 0; i < 15; i++ {
		fams, _ := get(t, srv, path, nil)
		for _, c := range []string{"ipmi", "bmc", "chassis", "sel", "bmc-watchdog"} {
			if upValue(t, fams, c) != 1 {
				failed++
			}
		}
	}
	st := proxy.Stats()
	t.Logf("15 scrapes at 10%% loss each way: %d collector failures, %d+%d datagrams dropped", failed, st.Dropped[0], st.Dropped[1])
	if st.Dropped[0]+st.Dropped[1] == 0 {
		t.Fatal("nothing dropped: the test did not exercise loss")
	}
	if got := bmc.Stats().SessionsOpened; got != 1 {
		t.Errorf("%d sessions opened on a lossy network, want 1", got)
	}
}
