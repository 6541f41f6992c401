package interop_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/internal/udpproxy"
	"github.com/ipmictl/ipmictl/ipmi"
	. "github.com/ipmictl/ipmictl/rmcp"
)

// powerStatusOnce is "chassis power status": Dial, Get Chassis Status,
// Close.
func powerStatusOnce(t *testing.T, cfg *Config) *Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	s, err := Dial(ctx, cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	rsp, err := s.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnChassis, Cmd: ipmi.CmdGetChassisStatus})
	if err != nil || rsp.Code != ipmi.CodeOK {
		t.Fatalf("Get Chassis Status: %v %v", rsp, err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	return s
}

// "chassis power status" with the suite chosen costs at most 6 UDP
// requests at first contact (ipmi_sim has 3 and no SHA-256: 17 is
// refused first) and 5 once the suite is remembered, counted by a
// udpproxy; the suite is 3, the strongest ipmi_sim has.
func TestIPMISimFirstContact(t *testing.T) {
	sim := peers.StartIPMISim(t)
	p, err := udpproxy.New("127.0.0.1:0", sim.Addr, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	mem := NewSuiteMap()
	for _, c := range []struct {
		name string
		max  int64
	}{{"first contact", 6}, {"suite remembered", 5}} {
		p.ResetStats()
		cfg := simConfig(t, sim, V20, -1)
		cfg.Addr, cfg.Suites, cfg.Logf = p.Addr().String(), mem, nil
		s := powerStatusOnce(t, cfg)
		n := p.Stats().Received[udpproxy.ToServer]
		t.Logf("%s: %d UDP requests, suite %d", c.name, n, s.CipherSuite())
		if n > c.max {
			t.Errorf("%s: %d UDP requests, budget %d", c.name, n, c.max)
		}
		if s.CipherSuite() != 3 {
			t.Errorf("%s: suite %d, want 3", c.name, s.CipherSuite())
		}
	}
	// IPMI 1.5, chosen: MD5, never PASSWORD although ipmi_sim offers it.
	cfg := simConfig(t, sim, V15, -1)
	cfg.Addr = p.Addr().String()
	if s := powerStatusOnce(t, cfg); s.AuthType() != AuthTypeMD5 {
		t.Errorf("IPMI 1.5 chose %s", AuthTypeName(s.AuthType()))
	}
	// Wrong password, both protocols: typed and under a second (RAKP 2
	// is asked for again before the verdict).
	for _, v := range []Version{V20, V15} {
		cfg := simConfig(t, sim, v, -1)
		cfg.Password = []byte("nope")
		start := time.Now()
		_, err := Dial(context.Background(), cfg)
		if !errors.Is(err, ErrBadPassword) || time.Since(start) > time.Second {
			t.Errorf("%s wrong password: %v after %v", v, err, time.Since(start))
		}
	}
}

// goipmi-server offering {17} or {3, 17}: 5 UDP requests at first
// contact, suite 17; offering {3}: 6, suite 3.
func TestGoIPMIFirstContact(t *testing.T) {
	for _, c := range []struct {
		suites    string
		wantSuite int
		max       int64
	}{{"17", 17, 5}, {"3,17", 17, 5}, {"3", 3, 6}} {
		b := peers.StartGoIPMIServer(t, peers.WithGoIPMICipherSuites(c.suites))
		mem := NewSuiteMap()
		r := startRelayTo(t, b.DialUDP) // one address: the memory is per BMC
		for round, max := range []int64{c.max, 5} {
			cfg := goipmiConfig(t, b, V20, -1)
			cfg.Suites, cfg.Logf = mem, nil
			cfg.Addr = r.Addr
			before := r.requests.Load()
			s := powerStatusOnce(t, cfg)
			n := r.requests.Load() - before
			t.Logf("suites {%s}, round %d: %d UDP requests, suite %d", c.suites, round, n, s.CipherSuite())
			if n > max {
				t.Errorf("suites {%s}, round %d: %d UDP requests, budget %d", c.suites, round, n, max)
			}
			if s.CipherSuite() != c.wantSuite {
				t.Errorf("suites {%s}: suite %d, want %d", c.suites, s.CipherSuite(), c.wantSuite)
			}
		}
		b.Stop()
	}
}
