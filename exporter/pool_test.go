package exporter

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// The pool holds at most max_targets sessions: the least recently
// scraped target's session is closed to make room.
func TestPoolEvictsLeastRecentlyUsed(t *testing.T) {
	bmcs := map[string]*bmcsim.BMC{"a:623": frozenBMC(), "b:623": frozenBMC(), "c:623": frozenBMC()}
	x := newSimExporter(t, "max_targets: 2\nmodules:\n  default:\n    user: admin\n    password: password\n    collectors: [chassis]\n", bmcs)
	for _, target := range []string{"a", "b", "a", "c"} {
		scrapeSim(t, x, target, "")
	}
	waitSessions(t, bmcs["b:623"], 0) // least recently used: evicted
	for _, target := range []string{"a:623", "c:623"} {
		if n := bmcs[target].ActiveSessions(); n != 1 {
			t.Errorf("%s: %d sessions, want 1", target, n)
		}
	}
	if got := len(x.remote.byKey); got != 2 {
		t.Errorf("pool holds %d targets, max 2", got)
	}
}

// An idle session is closed after session_idle_timeout; one scraped
// recently gets a keepalive instead.
func TestPoolIdleAndKeepalive(t *testing.T) {
	bmcs := map[string]*bmcsim.BMC{"a:623": frozenBMC(), "b:623": frozenBMC()}
	x := newSimExporter(t, "session_idle_timeout: 1m\nkeepalive_interval: 10s\nmodules:\n  default:\n    user: admin\n    password: password\n    collectors: [chassis]\n", bmcs)
	scrapeSim(t, x, "a", "")
	scrapeSim(t, x, "b", "")
	ea := x.remote.byKey["default\x00a:623"]
	if ea == nil {
		t.Fatal("target a not pooled")
	}
	x.remote.mu.Lock()
	ea.lastUse = time.Now().Add(-2 * time.Minute) // a: idle past the timeout
	x.remote.mu.Unlock()
	x.remote.sweep(time.Now().Add(15 * time.Second)) // b: due for a keepalive
	waitSessions(t, bmcs["a:623"], 0)
	deadline := time.Now().Add(2 * time.Second)
	for testutilCount(x) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if testutilCount(x) != 1 {
		t.Errorf("%v keepalives sent, want 1", testutilCount(x))
	}
	if n := bmcs["b:623"].ActiveSessions(); n != 1 {
		t.Errorf("b: %d sessions after its keepalive, want 1", n)
	}
}

func testutilCount(x *Exporter) float64 { return counterValue(x.metrics.keepalives) }

func counterValue(c prometheus.Collector) float64 { return testutil.ToFloat64(c) }

func waitSessions(t *testing.T, b *bmcsim.BMC, want int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for b.ActiveSessions() != want && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := b.ActiveSessions(); got != want {
		t.Errorf("%d sessions active, want %d", got, want)
	}
}

// Concurrent scrapes of one target share one session.
func TestPoolConcurrentScrapesOneSession(t *testing.T) {
	b := frozenBMC()
	x := newSimExporter(t, "modules:\n  default:\n    user: admin\n    password: password\n    collectors: [ipmi, chassis]\n", map[string]*bmcsim.BMC{"a:623": b})
	done := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			_, err := x.Scrape(context.Background(), "a", "default")
			done <- err
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := b.ActiveSessions(); n != 1 {
		t.Errorf("8 concurrent scrapes left %d sessions, want 1", n)
	}
	if got := counterValue(x.metrics.sessionsOpened); got != 1 {
		t.Errorf("%v sessions opened, want 1", got)
	}
}
