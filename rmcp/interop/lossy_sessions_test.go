package interop_test

import (
	"context"
	"encoding/binary"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/internal/udpproxy"
	"github.com/ipmictl/ipmictl/ipmi"
	. "github.com/ipmictl/ipmictl/rmcp"
)

// openSessionTap watches the RMCP+ setup packets the proxy lets through:
// how many Open Session requests reached the BMC (ipmi_sim allocates a
// session for every one), which BMC session IDs reached the client in
// Open Session answers, and which sessions an RAKP 3 abort reached. A
// session whose answer was lost on the way is one the client cannot
// know about; every other one it must give back (unless every abort it
// sent was lost too).
type openSessionTap struct {
	mu        sync.Mutex
	delivered int
	answered  map[uint32]bool
	aborted   map[uint32]bool
}

func newOpenSessionTap() *openSessionTap {
	return &openSessionTap{answered: map[uint32]bool{}, aborted: map[uint32]bool{}}
}

// look is a udpproxy Observe function.
func (o *openSessionTap) look(d udpproxy.Direction, b []byte) {
	// RMCP header (4), auth type 6, payload type, session ID, sequence,
	// length (2), payload.
	if len(b) < 16 || b[4] != 6 {
		return
	}
	payload := b[16:]
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case d == udpproxy.ToServer && b[5]&0x3F == 0x10:
		o.delivered++
	case d == udpproxy.ToServer && b[5]&0x3F == 0x14 && len(payload) >= 8 && payload[1] != 0:
		o.aborted[binary.LittleEndian.Uint32(payload[4:8])] = true
	case d == udpproxy.ToClient && b[5]&0x3F == 0x11 && len(payload) >= 12 && payload[1] == 0:
		o.answered[binary.LittleEndian.Uint32(payload[8:12])] = true
	}
}

// unknowable is how many sessions the BMC opened whose ID never reached
// the client.
func (o *openSessionTap) unknowable() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return max(0, o.delivered-len(o.answered))
}

// abortsLost is, after a login that worked, how many sessions the client
// heard of besides the one it used but whose every abort was lost.
func (o *openSessionTap) abortsLost() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for id := range o.answered {
		if !o.aborted[id] {
			n++
		}
	}
	return max(0, n-1)
}

// sessionCounter keeps a session on a clean path to count the BMC's
// active sessions (its own excluded).
type sessionCounter struct {
	s *Session
	c *ipmi.Client
}

func newSessionCounter(t *testing.T, sim *peers.IPMISim) *sessionCounter {
	t.Helper()
	cfg := simConfig(t, sim, V20, 3)
	cfg.Logf = nil
	s := dialOK(t, cfg)
	return &sessionCounter{s: s, c: ipmi.NewClient(s)}
}

func (sc *sessionCounter) others(t *testing.T) int {
	t.Helper()
	info, err := sc.c.GetSessionInfo(context.Background(), ipmi.CurrentSession)
	if err != nil {
		t.Fatalf("Get Session Info: %v", err)
	}
	return int(info.ActiveSessions) - 1
}

// lossyLoginResult is what one login through a lossy path left behind.
type lossyLoginResult struct {
	ok         bool // the login and Get Device ID worked
	leaked     int  // sessions still on the BMC after Close
	unknowable int  // sessions whose Open Session answer never reached us
	abortsLost int  // sessions we told the BMC to drop, every copy lost
	closeTook  time.Duration
}

// lossyLogin logs in through a fresh proxy with faults f each way, sends
// Get Device ID, closes, and counts what the BMC kept.
func lossyLogin(t *testing.T, sim *peers.IPMISim, sc *sessionCounter, seed int64, f udpproxy.Faults, v Version) lossyLoginResult {
	t.Helper()
	before := sc.others(t)
	p, err := udpproxy.New("127.0.0.1:0", sim.Addr, seed)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	tap := newOpenSessionTap()
	f.Observe = tap.look
	p.SetFaults(udpproxy.ToServer, f)
	p.SetFaults(udpproxy.ToClient, f)
	cfg := NewConfig(p.Addr().String())
	cfg.Username, cfg.Password, cfg.CipherSuite, cfg.Version = "admin", []byte("password"), 3, v
	cfg.Timeout, cfg.Retries = 40*time.Millisecond, 15
	var r lossyLoginResult
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := Dial(ctx, cfg)
	if err == nil {
		_, err = ipmi.NewClient(s).Do(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID})
		r.ok = err == nil
		start := time.Now()
		s.Close()
		r.closeTook = time.Since(start)
	}
	if err != nil {
		t.Logf("seed %d: %v", seed, err)
	}
	// Datagrams still in the proxy (jitter, a held reordered one) land.
	time.Sleep(20 * time.Millisecond)
	r.leaked = sc.others(t) - before
	r.unknowable = tap.unknowable()
	r.abortsLost = tap.abortsLost()
	return r
}

// lossyRuns is the number of logins TestLossyLoginsGiveBackSessions makes
// (IPMICTL_LOSSY_RUNS overrides it for measurements).
func lossyRuns(t *testing.T, def int) int {
	if v, err := strconv.Atoi(os.Getenv("IPMICTL_LOSSY_RUNS")); err == nil && v > 0 {
		return v
	}
	return def
}

// With 30% of the datagrams lost each way (some duplicated, reordered),
// a login, one command and Close leave on ipmi_sim only the sessions
// whose Open Session answer was lost: ipmi_sim opens a session for every
// Open Session request it receives, so those IDs never reach the client.
// Every session whose ID the client heard of is given back.
func TestLossyLoginsGiveBackSessions(t *testing.T) {
	sim := peers.StartIPMISim(t)
	sc := newSessionCounter(t, sim)
	faults := udpproxy.Faults{Loss: 0.3, Duplicate: 0.1, Jitter: 2 * time.Millisecond}
	runs := lossyRuns(t, 16)
	var leaked, unknowable, leakyRuns, ok int
	var slowestClose time.Duration
	for i := range runs {
		r := lossyLogin(t, sim, sc, int64(1000+i), faults, V20)
		if r.ok {
			ok++
		}
		leaked += r.leaked
		unknowable += r.unknowable
		if r.leaked > 0 {
			leakyRuns++
		}
		slowestClose = max(slowestClose, r.closeTook)
		if r.ok && r.leaked > r.unknowable+r.abortsLost {
			t.Errorf("seed %d: %d sessions left on the BMC, only %d of them unknowable to the client (%d more told to go, every datagram lost)",
				1000+i, r.leaked, r.unknowable, r.abortsLost)
		}
	}
	t.Logf("%d lossy logins (%d worked): %d sessions left in %d runs; %d Open Session answers lost; slowest Close %v",
		runs, ok, leaked, leakyRuns, unknowable, slowestClose.Round(time.Millisecond))
	if ok < runs*9/10 {
		t.Errorf("only %d of %d logins worked", ok, runs)
	}
}

// A duplicated Open Session Request (IPMI 1.5: Activate Session) opens
// two sessions on ipmi_sim; the login keeps one and gives the other back
// as soon as its answer arrives. With every datagram to the BMC
// duplicated, five logins of each kind leave nothing behind (before: one
// session each).
func TestDuplicatedOpenSessionLeavesNoSession(t *testing.T) {
	sim := peers.StartIPMISim(t)
	sc := newSessionCounter(t, sim)
	for _, v := range []Version{V20, V15} {
		for i := range 5 {
			r := lossyLogin(t, sim, sc, int64(i), udpproxy.Faults{Duplicate: 1}, v)
			if !r.ok || r.leaked != 0 {
				t.Errorf("%s login %d through a duplicating path: worked %v, %d sessions left on the BMC", v, i, r.ok, r.leaked)
			}
		}
	}
}

// Close Session outlasts a loss that would have beaten the old two
// tries: with the first three tries lost, Close still closes the session,
// and returns as soon as the BMC answers instead of using up its tries.
func TestCloseOutlastsLoss(t *testing.T) {
	sim := peers.StartIPMISim(t)
	sc := newSessionCounter(t, sim)
	before := sc.others(t)
	p, err := udpproxy.New("127.0.0.1:0", sim.Addr, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	cfg := NewConfig(p.Addr().String())
	cfg.Username, cfg.Password, cfg.CipherSuite = "admin", []byte("password"), 3
	cfg.Timeout, cfg.Retries = 100*time.Millisecond, 19 // 20 tries: 2 s, all of Close's budget
	s := dialOK(t, cfg)
	p.ResetStats()
	p.SetFaults(udpproxy.ToServer, udpproxy.Faults{Loss: 1})
	const lost = 3
	healed := make(chan time.Time, 1)
	go func() {
		for p.Stats().Dropped[udpproxy.ToServer] < lost {
			time.Sleep(2 * time.Millisecond)
		}
		p.SetFaults(udpproxy.ToServer, udpproxy.Faults{})
		healed <- time.Now()
	}()
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	took := time.Since(start)
	select {
	case at := <-healed:
		t.Logf("Close took %v, %v after the path healed", took.Round(time.Millisecond), time.Since(at).Round(time.Millisecond))
	default:
		t.Errorf("Close gave up after %v without %d tries", took, lost+1)
	}
	if took >= 1900*time.Millisecond {
		t.Errorf("Close took %v: it did not stop at the BMC's answer", took)
	}
	if n := sc.others(t) - before; n != 0 {
		t.Errorf("%d sessions left on the BMC after Close", n)
	}
}
