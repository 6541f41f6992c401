package hostile

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/internal/udpproxy"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
	"github.com/ipmictl/ipmictl/rmcp"
)

// dropFirstRAKP4 loses the first RAKP 4 (payload type 0x15) on its way to
// the client and counts how many it lost.
func dropFirstRAKP4(n *atomic.Int32) udpproxy.Faults {
	return udpproxy.Faults{Tamper: func(d udpproxy.Direction, b []byte) []byte {
		if len(b) > 5 && b[4] == 0x06 && b[5]&0x3F == 0x15 && n.Add(1) == 1 {
			return []byte{0} // not an RMCP packet: the client drops it
		}
		return nil
	}}
}

// ipmi_sim activates the session on the first RAKP 3 and never answers a
// retransmitted one: one lost RAKP 4 used to fail the login. The client
// now confirms the session under its keys instead.
func TestLoginSurvivesLostRAKP4(t *testing.T) {
	bmcs := map[string]string{}
	if !testing.Short() {
		peers.Require(t, "ipmi_sim")
		bmcs["ipmi_sim"] = peers.StartIPMISim(t).Addr
	}
	srv, err := bmcsim.Serve(bmcsim.New(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	bmcs["bmcsim"] = srv.Addr().String()
	for name, addr := range bmcs {
		for _, suite := range []int{3, 17} {
			if name == "ipmi_sim" && suite == 17 {
				continue // ipmi_sim has no SHA-256 suites
			}
			p, err := udpproxy.New("127.0.0.1:0", addr, 1)
			if err != nil {
				t.Fatal(err)
			}
			var lost atomic.Int32
			p.SetFaults(udpproxy.ToClient, dropFirstRAKP4(&lost))
			cfg := rmcp.NewConfig(p.Addr().String())
			cfg.Username, cfg.Password, cfg.CipherSuite = "admin", []byte("password"), suite
			cfg.Timeout, cfg.Retries = 100*time.Millisecond, 3
			s, err := rmcp.Dial(context.Background(), cfg)
			if err != nil {
				t.Fatalf("%s suite %d: RAKP 4 lost once: %v", name, suite, err)
			}
			if _, err := ipmi.NewClient(s).GetDeviceID(context.Background()); err != nil {
				t.Errorf("%s suite %d: Get Device ID: %v", name, suite, err)
			}
			if lost.Load() < 1 {
				t.Errorf("%s suite %d: no RAKP 4 passed the proxy", name, suite)
			}
			s.Close()
			p.Close()
		}
	}
}

// Without an integrity algorithm nothing can stand in for RAKP 4's
// proof, so its loss still fails the login: the bad password case stays
// a clean error and nothing unproven is trusted.
func TestLostRAKP4WithoutIntegrityFails(t *testing.T) {
	srv, err := bmcsim.Serve(bmcsim.New(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	p, err := udpproxy.New("127.0.0.1:0", srv.Addr().String(), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var lost atomic.Int32
	p.SetFaults(udpproxy.ToClient, udpproxy.Faults{Tamper: func(d udpproxy.Direction, b []byte) []byte {
		if len(b) > 5 && b[4] == 0x06 && b[5]&0x3F == 0x15 {
			lost.Add(1)
			return []byte{0}
		}
		return nil
	}})
	cfg := rmcp.NewConfig(p.Addr().String())
	cfg.Username, cfg.Password, cfg.CipherSuite = "admin", []byte("password"), 1
	cfg.AllowInsecure = true // suite 1 has no integrity: named and allowed
	cfg.Timeout, cfg.Retries = 50*time.Millisecond, 1
	s, err := rmcp.Dial(context.Background(), cfg)
	if err == nil {
		s.Close()
		t.Fatal("suite 1 (no integrity) logged in without RAKP 4")
	}
	if lost.Load() == 0 {
		t.Fatalf("bmcsim never sent RAKP 4: %v", err)
	}
}

var ipmiGetDeviceID = ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID}
