package rmcp

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/udpproxy"
	"github.com/ipmictl/ipmictl/ipmi"
)

// A BMC that stalls on Activate Session longer than the two short tries
// is slow, not refusing the password: the login waits for it (the probe
// answer comes after Activate Session's, since datagrams keep their
// order), instead of failing with "wrong password".
func TestActivateSessionSlowBMCIsNotWrongPassword(t *testing.T) {
	srv := startTestServer(t)
	p, err := udpproxy.New("127.0.0.1:0", srv.Addr().String(), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	// Answers 1 and 2 are Get Channel Authentication Capabilities and
	// Get Session Challenge; from then on every answer takes 800 ms.
	var answers atomic.Int32
	const stall = 800 * time.Millisecond
	var observe func(udpproxy.Direction, []byte)
	observe = func(d udpproxy.Direction, b []byte) {
		if answers.Add(1) == 2 {
			p.SetFaults(udpproxy.ToClient, udpproxy.Faults{Delay: stall, Observe: observe})
		}
	}
	p.SetFaults(udpproxy.ToClient, udpproxy.Faults{Observe: observe})
	cfg := NewConfig(p.Addr().String())
	cfg.Version, cfg.Username, cfg.Password = V15, "admin", []byte("password")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	s, err := Dial(ctx, cfg)
	if err != nil {
		t.Fatalf("Dial through a BMC that stalls %v on Activate Session: %v", stall, err)
	}
	defer s.Close()
	if took := time.Since(start); took < stall {
		t.Errorf("login took %v, less than the stall: the stall did not happen", took)
	}
	if _, err := s.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID}); err != nil {
		t.Errorf("Get Device ID in the new session: %v", err)
	}
}
