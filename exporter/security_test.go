package exporter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// udpTrap is a fake BMC that only records what reaches it: a scrape
// that should never log in must leave it empty (no RMCP+ packet, so no
// user name and no RAKP hash of the password to crack).
type udpTrap struct {
	conn    *net.UDPConn
	packets atomic.Int64
}

func newUDPTrap(t *testing.T) *udpTrap {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	tr := &udpTrap{conn: c}
	go func() {
		buf := make([]byte, 2048)
		for {
			if _, _, err := c.ReadFromUDP(buf); err != nil {
				return
			}
			tr.packets.Add(1)
		}
	}()
	t.Cleanup(func() { c.Close() })
	return tr
}

func (tr *udpTrap) port() int { return tr.conn.LocalAddr().(*net.UDPAddr).Port }

func status(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	rsp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer rsp.Body.Close()
	b, _ := io.ReadAll(rsp.Body)
	return rsp.StatusCode, string(b)
}

func mustRequest(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// Item 1: a target outside the module's targets list gets 403 and not
// one packet: the fake BMC that would capture the login sees nothing.
func TestAllowlistRefusesTargetsOutsideIt(t *testing.T) {
	trap := newUDPTrap(t)
	cfg := fmt.Sprintf(`
modules:
  default:
    user: admin
    password: s3cret
    targets: [bmc0, 10.0.0.0/24, "bmc[1-40].example", "127.0.0.1:%d"]
    collectors: [chassis]
    request_timeout: 100ms
    retries: 0
`, trap.port()+1)
	_, srv := newLANExporter(t, cfg)
	for _, target := range []string{
		fmt.Sprintf("127.0.0.1:%d", trap.port()), // right host, wrong port
		fmt.Sprintf("localhost:%d", trap.port()), // a name for an address: not the address
		"bmc41.example", "10.0.1.1", "evil.example",
	} {
		code, body := status(t, mustRequest(t, "GET", srv.URL+"/ipmi?"+url.Values{"target": {target}}.Encode()))
		if code != http.StatusForbidden {
			t.Errorf("target %s: HTTP %d, want 403 (%s)", target, code, strings.TrimSpace(body))
		}
	}
	time.Sleep(100 * time.Millisecond)
	if n := trap.packets.Load(); n != 0 {
		t.Errorf("the fake BMC received %d packets from refused scrapes", n)
	}
	// The same trap, listed, is contacted: the test would see a login.
	_, srv2 := newLANExporter(t, strings.Replace(cfg, fmt.Sprint(trap.port()+1), fmt.Sprint(trap.port()), 1))
	code, _ := status(t, mustRequest(t, "GET", srv2.URL+"/ipmi?"+url.Values{"target": {fmt.Sprintf("127.0.0.1:%d", trap.port())}}.Encode()))
	if code != 200 || trap.packets.Load() == 0 {
		t.Errorf("listed target: HTTP %d, %d packets; want 200 and a login attempt", code, trap.packets.Load())
	}
}

// Item 3: a browser page on another site cannot drive the exporter:
// a foreign Origin, a cross-site fetch or a Host header naming another
// site (DNS rebinding) get 403. Prometheus' own requests pass.
func TestForeignOriginAndHostRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "exporter.yaml")
	if err := os.WriteFile(path, []byte(lanConfig+"http_host_names: [exporter.example.net]\n"), 0o600); err != nil {
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
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	reload := func(hdr map[string]string, host string) int {
		req := mustRequest(t, "POST", srv.URL+"/-/reload")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		if host != "" {
			req.Host = host
		}
		code, _ := status(t, req)
		return code
	}
	for _, c := range []struct {
		name string
		hdr  map[string]string
		host string
		want int
	}{
		{"foreign origin", map[string]string{"Origin": "http://evil.example"}, "", 403},
		{"foreign origin, same port", map[string]string{"Origin": fmt.Sprintf("http://evil.example:%d", port)}, "", 403},
		{"null origin", map[string]string{"Origin": "null"}, "", 403},
		{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}, "", 403},
		{"rebound host", nil, fmt.Sprintf("evil.example:%d", port), 403},
		{"rebound host and its origin", map[string]string{"Origin": fmt.Sprintf("http://evil.example:%d", port)}, fmt.Sprintf("evil.example:%d", port), 403},
		{"no origin (curl, Prometheus)", nil, "", 200},
		{"same origin (the landing page)", map[string]string{"Origin": srv.URL, "Sec-Fetch-Site": "same-origin"}, "", 200},
		{"localhost on loopback", nil, fmt.Sprintf("localhost:%d", port), 200},
		{"configured name", map[string]string{"Origin": "https://exporter.example.net:9290"}, "exporter.example.net:9290", 200},
	} {
		if got := reload(c.hdr, c.host); got != c.want {
			t.Errorf("POST /-/reload, %s: HTTP %d, want %d", c.name, got, c.want)
		}
	}
	// Scrapes and metrics are guarded the same way.
	req := mustRequest(t, "GET", srv.URL+"/ipmi?target=10.9.9.9")
	req.Host = "evil.example"
	if code, _ := status(t, req); code != 403 {
		t.Errorf("GET /ipmi with a rebound Host: HTTP %d, want 403", code)
	}
}

// loginCounter counts logins per target; targets other than the known
// one fail (as a name that resolves nowhere does), or hang until the
// login is given up when hang is set (a silent address).
type loginCounter struct {
	bmc        *bmcsim.BMC
	known      string
	hang       bool
	logins     atomic.Int64 // at the known BMC
	bogus      atomic.Int64
	inFlight   atomic.Int64
	maxInFight atomic.Int64
}

func (lc *loginCounter) dial(ctx context.Context, target string, m *Module, _ int) (ipmi.Transport, error) {
	if target == lc.known {
		lc.logins.Add(1)
		return lc.bmc.Transport(m.User, m.priv), nil
	}
	lc.bogus.Add(1)
	if !lc.hang {
		return nil, errors.New("no such host")
	}
	n := lc.inFlight.Add(1)
	defer lc.inFlight.Add(-1)
	for {
		old := lc.maxInFight.Load()
		if n <= old || lc.maxInFight.CompareAndSwap(old, n) {
			break
		}
	}
	<-ctx.Done()
	return nil, ctx.Err()
}

// Item 4: thousands of scrapes of targets that lead nowhere do not
// evict a working target's pooled session: the known BMC sees one login.
func TestUnknownTargetsDoNotEvictSessions(t *testing.T) {
	for _, hang := range []bool{false, true} {
		t.Run(map[bool]string{false: "failing", true: "silent"}[hang], func(t *testing.T) {
			lc := &loginCounter{bmc: frozenBMC(), known: "known:623", hang: hang}
			cfg, err := ParseConfig([]byte("max_targets: 8\nmodules:\n  default:\n    user: admin\n    password: password\n    collectors: [chassis]\n"))
			if err != nil {
				t.Fatal(err)
			}
			x := New(cfg, "", Options{Dial: lc.dial})
			defer x.Close()
			scrape := func(target string, d time.Duration) {
				ctx, cancel := context.WithTimeout(context.Background(), d)
				defer cancel()
				if _, err := x.Scrape(ctx, target, ""); err != nil {
					t.Error(err)
				}
			}
			scrape("known", 5*time.Second)
			const bogus, parallel = 3000, 100
			var wg sync.WaitGroup
			sem := make(chan struct{}, parallel)
			for i := 0; i < bogus; i++ {
				wg.Add(1)
				sem <- struct{}{}
				go func() {
					defer wg.Done()
					defer func() { <-sem }()
					scrape(fmt.Sprintf("bogus-%d.example", i), 20*time.Millisecond)
				}()
			}
			wg.Wait()
			scrape("known", 5*time.Second)
			evicted := lc.logins.Load() - 1
			t.Logf("%d bogus targets (%d login attempts, at most %d at once): the known target logged in %d times",
				bogus, lc.bogus.Load(), lc.maxInFight.Load(), lc.logins.Load())
			if evicted != 0 {
				t.Errorf("the known target's session was evicted and reopened %d times by %d bogus targets", evicted, bogus)
			}
			if n := lc.bmc.ActiveSessions(); n != 1 {
				t.Errorf("known BMC: %d sessions, want 1", n)
			}
			if hang && lc.maxInFight.Load() > int64(cfg.MaxNewTargets)+parallel {
				t.Errorf("%d logins to silent targets at once", lc.maxInFight.Load())
			}
			x.remote.mu.Lock()
			pooled := len(x.remote.byKey)
			x.remote.mu.Unlock()
			if pooled > cfg.MaxTargets+cfg.MaxNewTargets {
				t.Errorf("%d targets pooled, bound %d", pooled, cfg.MaxTargets+cfg.MaxNewTargets)
			}
		})
	}
}

// Item 4 with an allowlist: unlisted targets never reach the pool.
func TestAllowlistKeepsUnknownTargetsOutOfThePool(t *testing.T) {
	lc := &loginCounter{bmc: frozenBMC(), known: "known:623"}
	cfg, err := ParseConfig([]byte("max_targets: 2\nmodules:\n  default:\n    user: admin\n    password: password\n    targets: [known]\n    collectors: [chassis]\n"))
	if err != nil {
		t.Fatal(err)
	}
	x := New(cfg, "", Options{Dial: lc.dial})
	defer x.Close()
	if _, err := x.Scrape(context.Background(), "known", ""); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3000; i++ {
		if _, err := x.Scrape(context.Background(), fmt.Sprintf("bogus-%d", i), ""); !IsTargetNotAllowed(err) {
			t.Fatalf("bogus target: %v, want not allowed", err)
		}
	}
	if _, err := x.Scrape(context.Background(), "known", ""); err != nil {
		t.Fatal(err)
	}
	if lc.bogus.Load() != 0 || lc.logins.Load() != 1 || len(x.remote.byKey) != 1 {
		t.Errorf("%d bogus logins, %d known logins, %d pooled; want 0, 1, 1", lc.bogus.Load(), lc.logins.Load(), len(x.remote.byKey))
	}
}

// Item 5: a newline in a target or module (%0A in the URL) cannot forge
// a log line; neither can a newline in an error text.
func TestLogFieldsCannotForgeLines(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	logf := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	}
	cfg, err := ParseConfig([]byte("modules:\n  default:\n    user: admin\n    password: password\n    collectors: [chassis]\n"))
	if err != nil {
		t.Fatal(err)
	}
	x := New(cfg, "", Options{Logf: logf, Dial: func(ctx context.Context, target string, m *Module, _ int) (ipmi.Transport, error) {
		return nil, errors.New("BMC " + target + " said:\nipmictl exporter: forged by the BMC")
	}})
	defer x.Close()
	srv := httptest.NewServer(x.Handler(HandlerOptions{NoLocal: true}))
	defer srv.Close()
	for _, q := range []string{
		"target=bmc1%0Aipmictl+exporter:+forged+by+the+client",
		"target=bmc1%0D%0Aipmictl+exporter:+forged",
		"target=bmc1&module=default%0Aipmictl+exporter:+forged",
		"target=bmc2", // the dial error carries a newline
	} {
		rsp, err := http.Get(srv.URL + "/ipmi?" + q)
		if err != nil {
			t.Fatal(err)
		}
		rsp.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lines) == 0 {
		t.Fatal("nothing logged: the test did not exercise the log")
	}
	for _, l := range lines {
		if strings.ContainsAny(l, "\n\r") {
			t.Errorf("log line holds a line break (a forged line follows): %q", l)
		}
	}
}

// Item 7: a BMC that reboots and stays silent for a while never keeps a
// scrape past Prometheus' timeout: Close Session of the dead session
// runs in the background.
func TestRebootingBMCScrapesKeepTheDeadline(t *testing.T) {
	b := bmcsim.New(bmcsim.WithSeed(11))
	bmc, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bmc.Close()
	_, srv := newLANExporter(t, lanConfig+"    request_timeout: 300ms\n    retries: 2\n")
	path := "/ipmi?" + url.Values{"target": {bmc.Addr().String()}}.Encode()
	const scrapes, timeout = 30, 2 * time.Second
	late, downs := 0, 0
	var worst time.Duration
	for i := 0; i < scrapes; i++ {
		if i%3 == 1 {
			b.RebootFor(1500 * time.Millisecond) // forgets the session, silent while it boots
		}
		fams, took := get(t, srv, path, map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "2"})
		if took > timeout {
			late++
		}
		if upValue(t, fams, "chassis") == 0 {
			downs++
		}
		worst = max(worst, took)
	}
	t.Logf("%d scrapes of a BMC rebooting every third scrape: %d past the %v timeout, slowest %v, %d with ipmi_up 0",
		scrapes, late, timeout, worst.Round(10*time.Millisecond), downs)
	if late != 0 {
		t.Errorf("%d of %d scrapes ran past the %v scrape timeout (slowest %v)", late, scrapes, timeout, worst)
	}
	if downs == 0 {
		t.Error("no scrape saw the BMC down: the test did not exercise a reboot")
	}
}
