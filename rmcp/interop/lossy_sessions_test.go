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

// openSessionTap watches the setup packets the proxy lets through: how
// many Open Session (IPMI 1.5: Activate Session) requests reached the
// BMC (ipmi_sim opens a session for every one), which session IDs
// reached the client in their answers, and which sessions an RAKP 3
// abort (IPMI 1.5: Close Session, which is not encrypted there) reached.
// A session whose answer was lost on the way is one the client cannot
// know about; every other one it must give back (unless every datagram
// saying so was lost too).
type openSessionTap struct {
	mu        sync.Mutex
	v15       bool
	delivered int
	answered  map[uint32]bool
	aborted   map[uint32]bool
}

func newOpenSessionTap() *openSessionTap {
	return &openSessionTap{answered: map[uint32]bool{}, aborted: map[uint32]bool{}}
}

// look is a udpproxy Observe function.
func (o *openSessionTap) look(d udpproxy.Direction, b []byte) {
	if len(b) < 5 {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if b[4] == 6 {
		o.look20(d, b)
	} else {
		o.look15(d, b)
	}
}

func (o *openSessionTap) look20(d udpproxy.Direction, b []byte) {
	// RMCP header (4), auth type 6, payload type, session ID, sequence,
	// length (2), payload.
	if len(b) < 16 {
		return
	}
	payload := b[16:]
	switch {
	case d == udpproxy.ToServer && b[5]&0x3F == 0x10:
		o.delivered++
	case d == udpproxy.ToServer && b[5]&0x3F == 0x14 && len(payload) >= 8 && payload[1] != 0:
		o.aborted[binary.LittleEndian.Uint32(payload[4:8])] = true
	case d == udpproxy.ToClient && b[5]&0x3F == 0x11 && len(payload) >= 12 && payload[1] == 0:
		o.answered[binary.LittleEndian.Uint32(payload[8:12])] = true
	}
}

func (o *openSessionTap) look15(d udpproxy.Direction, b []byte) {
	// RMCP header (4), auth type, sequence (4), session ID (4), auth
	// code (16, not with auth type NONE), length, then the IPMI message:
	// rsAddr, netFn/LUN, checksum, rqAddr, rqSeq/LUN, cmd, data.
	at := 13
	if b[4] != 0 {
		at += 16
	}
	if len(b) < at+7 || binary.LittleEndian.Uint32(b[9:13]) == 0 {
		return
	}
	m := b[at+1:]
	netFn, cmd, data := m[1]>>2, m[5], m[6:]
	o.v15 = true
	switch {
	case d == udpproxy.ToServer && netFn == 6 && cmd == 0x3A:
		o.delivered++
	case d == udpproxy.ToServer && netFn == 6 && cmd == 0x3C && len(data) >= 4:
		o.aborted[binary.LittleEndian.Uint32(data[0:4])] = true
	case d == udpproxy.ToClient && netFn == 7 && cmd == 0x3A && len(data) >= 6 && data[0] == 0:
		o.answered[binary.LittleEndian.Uint32(data[2:6])] = true
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
// heard of besides the one it used but whose every abort was lost. (An
// RMCP+ session's own Close Session is encrypted, so the used session
// is among those; an IPMI 1.5 one's is not.)
func (o *openSessionTap) abortsLost() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for id := range o.answered {
		if !o.aborted[id] {
			n++
		}
	}
	if !o.v15 {
		n--
	}
	return max(0, n)
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

// lossyRuns is the number of logins a lossy-login test makes
// (IPMICTL_LOSSY_RUNS overrides it for measurements).
func lossyRuns(def int) int {
	if v, err := strconv.Atoi(os.Getenv("IPMICTL_LOSSY_RUNS")); err == nil && v > 0 {
		return v
	}
	return def
}

// With 30% of the datagrams lost each way (some duplicated), a login,
// one command and Close leave on ipmi_sim only the sessions whose Open
// Session (IPMI 1.5: Activate Session) answer was lost: ipmi_sim opens a
// session for every such request it receives, so those IDs never reach
// the client. Every session whose ID the client heard of is given back.
// IPMI 1.5 logins also survive the loss instead of failing with "wrong
// password" when both short Activate Session tries are lost.
func TestLossyLoginsGiveBackSessions(t *testing.T) {
	sim := peers.StartIPMISim(t)
	sc := newSessionCounter(t, sim)
	faults := udpproxy.Faults{Loss: 0.3, Duplicate: 0.1, Jitter: 2 * time.Millisecond}
	for _, c := range []struct {
		v           Version
		runs, minOK int // minOK of 8 runs
	}{{V20, 12, 7}, {V15, 8, 6}} {
		runs := lossyRuns(c.runs)
		var leaked, unknowable, leakyRuns, ok int
		var slowestClose time.Duration
		for i := range runs {
			r := lossyLogin(t, sim, sc, int64(1000+i), faults, c.v)
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
				t.Errorf("%s seed %d: %d sessions left on the BMC, only %d of them unknowable to the client (%d more told to go, every datagram lost)",
					c.v, 1000+i, r.leaked, r.unknowable, r.abortsLost)
			}
		}
		t.Logf("%s: %d lossy logins (%d worked): %d sessions left in %d runs; %d session setup answers lost; slowest Close %v",
			c.v, runs, ok, leaked, leakyRuns, unknowable, slowestClose.Round(time.Millisecond))
		if ok*8 < runs*c.minOK {
			t.Errorf("%s: only %d of %d logins worked", c.v, ok, runs)
		}
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
