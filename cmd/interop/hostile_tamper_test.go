package interop

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/hostile"
	"github.com/ipmictl/ipmictl/internal/udpproxy"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/rmcp"
)

// hostileNeighbour keeps a second session busy through the same proxy, so
// that the tamperer has another session's packets to inject; it returns
// a stop function that closes it and reports its counters.
func hostileNeighbour(t *testing.T, addr string) func() rmcp.Stats {
	t.Helper()
	cfg := rmcp.NewConfig(addr)
	cfg.Username, cfg.Password, cfg.CipherSuite = "admin", []byte("password"), 3
	cfg.Timeout, cfg.Retries = 50*time.Millisecond, 10
	s, err := rmcp.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("neighbour session: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c := ipmi.NewClient(s)
		for ctx.Err() == nil {
			c.GetDeviceID(ctx)
			time.Sleep(5 * time.Millisecond)
		}
	}()
	return func() rmcp.Stats {
		cancel()
		wg.Wait()
		st := s.Stats()
		s.Close()
		return st
	}
}

// Spoiled packets (flipped payload or integrity bits, replays of packets
// the client already took, packets of another session) are all refused
// and counted, and the output stays what a clean path gives.
func TestHostileTamperRejected(t *testing.T) {
	if testing.Short() {
		t.Skip("hostile path: -short")
	}
	cases := []struct {
		name  string
		kinds []hostile.Kind
		moved func(rmcp.Stats) uint64 // the counter the spoiled packets must land in
	}{
		{"flip", []hostile.Kind{hostile.FlipPayload, hostile.FlipIntegrity}, func(s rmcp.Stats) uint64 { return s.DroppedIntegrity }},
		{"replay", []hostile.Kind{hostile.Replay}, func(s rmcp.Stats) uint64 { return s.DroppedSequence }},
		// Another session's packet fails our integrity check (its keys
		// differ) before its session ID is even looked at.
		{"other-session", []hostile.Kind{hostile.OtherSession}, func(s rmcp.Stats) uint64 { return s.DroppedIntegrity + s.DroppedOther }},
	}
	for name, addr := range hostileBMCs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			clean := hostileLAN{addr: addr, user: "admin", password: "password", suite: 3, timeout: time.Second, retries: 2}
			want := map[string]string{}
			for _, c := range hostileCommands[1:3] { // sdr list, sel list: many packets each
				out, errOut, code, _ := clean.run(t, c...)
				if code != 0 {
					t.Fatalf("%v clean: exit %d: %s", c, code, errOut)
				}
				want[c[0]] = out
			}
			for i, tc := range cases {
				tm := hostile.NewTamperer(int64(i+1), 0.25, tc.kinds...)
				proxy, err := udpproxy.New("127.0.0.1:0", addr, 1)
				if err != nil {
					t.Fatal(err)
				}
				proxy.SetFaults(udpproxy.ToClient, tm.Faults())
				stop := hostileNeighbour(t, proxy.Addr().String())
				lan := hostileLAN{addr: proxy.Addr().String(), user: "admin", password: "password", suite: 3,
					timeout: 50 * time.Millisecond, retries: 15}
				var dropped, moved uint64
				for _, c := range hostileCommands[1:3] {
					got, errOut, code, st := lan.run(t, c...)
					if code != 0 {
						t.Fatalf("%s: %v: exit %d: %s", tc.name, c, code, errOut)
					}
					if got != want[c[0]] {
						t.Errorf("%s: %v prints\n%s\nclean path prints\n%s", tc.name, c, got, want[c[0]])
					}
					dropped += st.DroppedIntegrity + st.DroppedSequence + st.DroppedOther
					moved += tc.moved(st)
				}
				nst := stop()
				proxy.Close()
				dropped += nst.DroppedIntegrity + nst.DroppedSequence + nst.DroppedOther
				moved += tc.moved(nst)
				spoiled := tm.Total()
				t.Logf("%s: %d packets spoiled, %d dropped by the sessions (%d in the expected counter)", tc.name, spoiled, dropped, moved)
				if spoiled == 0 {
					t.Errorf("%s: the tamperer spoiled nothing", tc.name)
				}
				// Every spoiled packet reached a client and must have been
				// refused; the one each session may have got after it
				// stopped reading (its Close Session done) is not counted.
				if moved+3 < uint64(spoiled) || moved == 0 {
					t.Errorf("%s: %d spoiled packets but only %d refused in the expected counter (%d drops in all)", tc.name, spoiled, moved, dropped)
				}
			}
		})
	}
}

// A BMC that goes silent costs at most (-R + 1) × -N per request, plus
// the bounded Close Session: nothing waits past the configured timeout.
func TestHostileNoHangPastTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("hostile path: -short")
	}
	addr := hostileBmcsimLAN(t)
	proxy, err := udpproxy.New("127.0.0.1:0", addr, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	port := proxy.Addr().Port
	const perTry, retries = time.Second, 1
	args := []string{"-U", "admin", "-P", "password", "-C", "3", "-N", "1", "-R", strconv.Itoa(retries), "--sdr-cache", "off"}
	budget := time.Duration(retries+1) * perTry

	// Silent from the start: the first handshake step gives up.
	proxy.SetFaults(udpproxy.ToClient, udpproxy.Faults{Loss: 1})
	start := time.Now()
	_, errOut, code := clitest.RunLive(t, "127.0.0.1", port, append(args, "chassis", "power", "status")...)
	took := time.Since(start)
	if code == 0 || took > budget+time.Second {
		t.Errorf("silent BMC at login: exit %d after %v (budget %v): %s", code, took, budget, errOut)
	}
	t.Logf("silent at login: exit %d after %v", code, took.Round(time.Millisecond))

	// Silent in the middle of sdr list: that request gives up, then Close
	// Session (≤ 750 ms) is tried once before exit.
	var seen atomic.Int32
	proxy.SetFaults(udpproxy.ToClient, udpproxy.Faults{Tamper: func(_ udpproxy.Direction, b []byte) []byte {
		if seen.Add(1) > 12 { // the handshake and a few SDR reads pass
			return []byte{0} // then only junk: as good as silence
		}
		return nil
	}})
	start = time.Now()
	_, errOut, code = clitest.RunLive(t, "127.0.0.1", port, append(args, "sdr", "list")...)
	took = time.Since(start)
	if code == 0 || took > budget+2*time.Second {
		t.Errorf("silent BMC mid-command: exit %d after %v (budget %v + close): %s", code, took, budget, errOut)
	}
	t.Logf("silent mid sdr list: exit %d after %v: %s", code, took.Round(time.Millisecond), errOut)
}
