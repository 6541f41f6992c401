package hostile

import (
	"context"
	"encoding/binary"
	"math/rand"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/udpproxy"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
	"github.com/ipmictl/ipmictl/rmcp"
)

// spoilHandshake rewrites a BMC's pre-session answers (Get Channel
// Authentication Capabilities, Get Channel Cipher Suites, Open Session
// Response, RAKP 2, RAKP 4): cut short, lengths past the end, flipped
// bytes, trailing junk, or random bytes.
func spoilHandshake(rng *rand.Rand, b []byte) []byte {
	switch rng.Intn(6) {
	case 0:
		return b[:rng.Intn(len(b)+1)]
	case 1:
		if len(b) >= 16 && b[4] == 0x06 { // RMCP+ payload length far past the end
			binary.LittleEndian.PutUint16(b[14:], 0xFFFF-uint16(rng.Intn(64)))
		} else if len(b) >= 14 { // IPMI 1.5 message length
			b[13] = 0xFF
		}
		return b
	case 2:
		for range 1 + rng.Intn(6) {
			b[rng.Intn(len(b))] ^= byte(1 + rng.Intn(255))
		}
		return b
	case 3:
		junk := make([]byte, rng.Intn(3000))
		rng.Read(junk)
		return append(b, junk...)
	case 4:
		r := make([]byte, rng.Intn(200))
		rng.Read(r)
		return r
	}
	return nil // this one passes
}

// Dial against a BMC whose handshake answers are spoiled at random either
// logs in (the spoiling missed what matters) or fails with an error, in
// bounded time, never a panic; and a session it does open works.
func TestDialAgainstHostileResponder(t *testing.T) {
	srv, err := bmcsim.Serve(bmcsim.New(bmcsim.WithSessionSlots(32), bmcsim.WithSessionTimeout(time.Second)), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	p, err := udpproxy.New("127.0.0.1:0", srv.Addr().String(), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var mu sync.Mutex
	rng := rand.New(rand.NewSource(7))
	p.SetFaults(udpproxy.ToClient, udpproxy.Faults{Tamper: func(_ udpproxy.Direction, b []byte) []byte {
		if pkt, ok := parseRMCPPlus(b); ok && pkt.sessionID != 0 {
			return nil // established sessions pass: this is about the handshake
		}
		mu.Lock()
		defer mu.Unlock()
		return spoilHandshake(rng, b)
	}})
	const timeout, retries = 20 * time.Millisecond, 2
	bound := 30 * time.Duration(retries+1) * timeout // the handshake's steps, each with all its tries, and slack
	n := 80
	if testing.Short() {
		n = 30
	}
	var opened, failed int
	for i := range n {
		cfg := rmcp.NewConfig(p.Addr().String())
		cfg.Username, cfg.Password = "admin", []byte("password")
		cfg.CipherSuite = []int{-1, 3, 17}[i%3]
		cfg.Timeout, cfg.Retries = timeout, retries
		start := time.Now()
		s, err := rmcp.Dial(context.Background(), cfg)
		if took := time.Since(start); took > bound {
			t.Errorf("Dial %d took %v (bound %v): %v", i, took, bound, err)
		}
		if err != nil {
			failed++
			if err.Error() == "" {
				t.Errorf("Dial %d: empty error", i)
			}
			continue
		}
		opened++
		if _, err := s.Send(context.Background(), &ipmiGetDeviceID); err != nil {
			t.Errorf("Dial %d opened a session that does not work: %v", i, err)
		}
		s.Close()
	}
	t.Logf("%d logins through a spoiling path: %d opened, %d failed cleanly", n, opened, failed)
	if failed == 0 {
		t.Error("no handshake answer was spoiled enough to fail")
	}
}
