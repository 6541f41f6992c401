package hostile

import (
	"context"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/udpproxy"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
	"github.com/ipmictl/ipmictl/rmcp"
)

// Logins interrupted at every stage of the handshake (Open Session in
// flight, RAKP 1/2, RAKP 3/4) give their BMC session back: on a BMC with
// two slots and a minute's idle timeout, two sessions still open after
// twenty interrupted logins.
func TestInterruptedLoginsFreeTheirSlots(t *testing.T) {
	b := bmcsim.New(bmcsim.WithSessionSlots(2), bmcsim.WithSessionTimeout(time.Minute))
	srv, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	p, err := udpproxy.New("127.0.0.1:0", srv.Addr().String(), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	const hop = 10 * time.Millisecond // each way: a round trip is 20 ms
	p.SetFaults(udpproxy.ToServer, udpproxy.Faults{Delay: hop})
	p.SetFaults(udpproxy.ToClient, udpproxy.Faults{Delay: hop})
	cfg := func() *rmcp.Config {
		c := rmcp.NewConfig(p.Addr().String())
		c.Username, c.Password, c.CipherSuite = "admin", []byte("password"), 3
		c.Timeout = time.Second
		return c
	}
	interrupted := 0
	for i := range 20 {
		// 5-65 ms: Open Session, RAKP 1/2 and RAKP 3/4 are the first
		// three round trips of a suite-3 login.
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(5+(i*60/19))*time.Millisecond)
		s, err := rmcp.Dial(ctx, cfg())
		cancel()
		if err == nil {
			s.Close()
			continue
		}
		interrupted++
	}
	if interrupted < 15 {
		t.Fatalf("only %d of 20 logins were interrupted", interrupted)
	}
	time.Sleep(3 * hop) // the last abandon datagrams are still in the proxy
	var open []*rmcp.Session
	for i := range 2 {
		s, err := rmcp.Dial(context.Background(), cfg())
		if err != nil {
			t.Fatalf("session %d after %d interrupted logins: %v", i+1, interrupted, err)
		}
		open = append(open, s)
	}
	for _, s := range open {
		s.Close()
	}
}
