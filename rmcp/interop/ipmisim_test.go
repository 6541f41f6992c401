// Package interop_test runs the rmcp client against independent BMCs.
package interop_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi"
	. "github.com/ipmictl/ipmictl/rmcp"
)

// simConfig returns a Config for the lab's admin user on sim.
func simConfig(t *testing.T, sim *peers.IPMISim, v Version, suite int) *Config {
	cfg := NewConfig(sim.Addr)
	cfg.Version = v
	cfg.Username, cfg.Password = "admin", []byte("password")
	cfg.CipherSuite = suite
	cfg.Logf = t.Logf
	return cfg
}

func dialOK(t *testing.T, cfg *Config) *Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := Dial(ctx, cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// powerStatus asks Get Chassis Status and checks it against the sim.
func powerStatus(t *testing.T, s *Session, sim *peers.IPMISim) {
	t.Helper()
	rsp, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnChassis, Cmd: ipmi.CmdGetChassisStatus})
	if err != nil {
		t.Fatalf("Get Chassis Status: %v", err)
	}
	if rsp.Code != ipmi.CodeOK || len(rsp.Data) < 3 {
		t.Fatalf("Get Chassis Status: code %v, %d bytes", rsp.Code, len(rsp.Data))
	}
	if on := rsp.Data[0]&1 != 0; on != sim.Power() {
		t.Errorf("power bit %v, simulator says %v", on, sim.Power())
	}
}

// sessionPrivilege reads the operating privilege with Get Session Info.
func sessionPrivilege(t *testing.T, s *Session) ipmi.Privilege {
	if err := s.EnsurePrivilege(context.Background()); err != nil {
		t.Fatalf("EnsurePrivilege: %v", err)
	}
	t.Helper()
	info, err := ipmi.NewClient(s).GetSessionInfo(context.Background(), ipmi.CurrentSession)
	if err != nil {
		t.Fatalf("Get Session Info: %v", err)
	}
	return info.Privilege
}

func TestIPMISimSuites(t *testing.T) {
	sim := peers.StartIPMISim(t)
	for _, suite := range []int{3, 0, 1, 2, 6} {
		cfg := simConfig(t, sim, V20, suite)
		cfg.AllowInsecure = suite == 0 || suite == 1 || suite == 6 // no integrity: named and allowed
		s := dialOK(t, cfg)
		if s.CipherSuite() != suite {
			t.Errorf("suite %d: session reports %d", suite, s.CipherSuite())
		}
		powerStatus(t, s, sim)
		if p := sessionPrivilege(t, s); p != ipmi.PrivilegeAdmin {
			t.Errorf("suite %d: operating privilege %s, want ADMINISTRATOR", suite, p)
		}
		if err := s.Close(); err != nil {
			t.Errorf("suite %d: Close: %v", suite, err)
		}
		if st := s.Stats(); st.DroppedIntegrity+st.DroppedSequence != 0 || st.DroppedOther > st.Retransmits {
			t.Errorf("suite %d: drops %+v", suite, st)
		}
	}
}

func TestIPMISimV15(t *testing.T) {
	sim := peers.StartIPMISim(t)
	for _, at := range []int{AuthTypeMD5, AuthTypePassword} {
		cfg := simConfig(t, sim, V15, -1)
		cfg.AuthType = at
		s := dialOK(t, cfg)
		if s.AuthType() != at {
			t.Errorf("auth type %d: session uses %d", at, s.AuthType())
		}
		powerStatus(t, s, sim)
		if p := sessionPrivilege(t, s); p != ipmi.PrivilegeAdmin {
			t.Errorf("auth type %d: privilege %s", at, p)
		}
		s.Close()
	}
}

func TestIPMISimAuthFailures(t *testing.T) {
	sim := peers.StartIPMISim(t)
	cases := []struct {
		name     string
		v        Version
		user, pw string
		want     error
		max      time.Duration
	}{
		{"wrong password", V20, "admin", "nope", ErrBadPassword, time.Second},
		{"unknown user", V20, "nosuchuser", "x", ErrUnknownUser, time.Second},
		{"disabled user", V20, "olduser", "oldpass", ErrUnknownUser, time.Second},
		// IPMI 1.5: ipmi_sim stays silent; two short tries (about 0.6 s).
		{"wrong password 1.5", V15, "admin", "nope", ErrBadPassword, 2 * time.Second},
	}
	for _, c := range cases {
		cfg := simConfig(t, sim, c.v, 3)
		cfg.Username, cfg.Password = c.user, []byte(c.pw)
		start := time.Now()
		s, err := Dial(context.Background(), cfg)
		took := time.Since(start)
		if err == nil {
			s.Close()
			t.Errorf("%s: Dial succeeded", c.name)
			continue
		}
		t.Logf("%s: %v (%v)", c.name, err, took)
		var ae *AuthError
		if !errors.As(err, &ae) {
			t.Errorf("%s: error %T is not an *AuthError", c.name, err)
		}
		if c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: error %v is not %v", c.name, err, c.want)
		}
		if took > c.max {
			t.Errorf("%s: took %v, want under %v", c.name, took, c.max)
		}
	}
}

// chassis power status with -C given, or over IPMI 1.5, costs at most 5
// UDP requests: the session setup (3), Get Chassis Status and Close.
func TestIPMISimRoundTrips(t *testing.T) {
	sim := peers.StartIPMISim(t)
	for _, c := range []struct {
		name  string
		v     Version
		suite int
		max   int64
	}{
		{"lanplus -C 3", V20, 3, 5},
		{"lan MD5", V15, -1, 5},
		{"lanplus, suite negotiated", V20, -1, 6}, // Open Session 17 (refused), 3, RAKP 1, RAKP 3, the command, Close
	} {
		r := startRelay(t, sim.Addr)
		cfg := simConfig(t, sim, c.v, c.suite)
		cfg.Addr = r.Addr
		cfg.Logf = nil
		start := time.Now()
		s, err := Dial(context.Background(), cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		dial := time.Since(start)
		powerStatus(t, s, sim)
		if err := s.Close(); err != nil {
			t.Errorf("%s: Close: %v", c.name, err)
		}
		total := time.Since(start)
		n := r.requests.Load()
		t.Logf("%s: %d UDP requests, %d replies; Dial %v, Dial+Send+Close %v (suite %d)",
			c.name, n, r.replies.Load(), dial.Round(time.Microsecond), total.Round(time.Microsecond), s.CipherSuite())
		if n > c.max {
			t.Errorf("%s: %d UDP requests, budget %d", c.name, n, c.max)
		}
		if c.suite < 0 && c.v == V20 && s.CipherSuite() != 3 {
			t.Errorf("negotiated suite %d, want 3 (ipmi_sim has no SHA-256)", s.CipherSuite())
		}
	}
}

// 32 goroutines share one session to ipmi_sim.
func TestIPMISimConcurrent(t *testing.T) {
	sim := peers.StartIPMISim(t)
	for _, v := range []Version{V20, V15} {
		s := dialOK(t, simConfig(t, sim, v, 3))
		c := ipmi.NewClient(s)
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, 32)
		for range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					id, err := c.GetDeviceID(context.Background())
					if err != nil {
						errs <- err
						return
					}
					if id.ManufacturerID != 49871 {
						errs <- fmt.Errorf("manufacturer %d", id.ManufacturerID)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("%s: %v", v, err)
		}
		st := s.Stats()
		t.Logf("%s: 320 Get Device ID from 32 goroutines in %v; %+v", v, time.Since(start).Round(time.Millisecond), st)
		if st.DroppedIntegrity+st.DroppedSequence != 0 {
			t.Errorf("%s: drops %+v", v, st)
		}
	}
}

func TestIPMISimPing(t *testing.T) {
	sim := peers.StartIPMISim(t)
	p, err := Ping(context.Background(), sim.Addr, time.Second, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !p.IPMI {
		t.Errorf("pong does not announce IPMI: %+v", p)
	}
	t.Logf("pong %+v", p)
}

func TestIPMISimKgAndRoleLookup(t *testing.T) {
	sim := peers.StartIPMISim(t, peers.WithKg("bmckey123"))
	cfg := simConfig(t, sim, V20, 3)
	cfg.Kg = []byte("bmckey123")
	cfg.RoleLookup = true
	s := dialOK(t, cfg)
	powerStatus(t, s, sim)
	// The wrong K_g passes RAKP 2 (password) but fails RAKP 4.
	cfg = simConfig(t, sim, V20, 3)
	cfg.Kg = []byte("otherkey")
	if _, err := Dial(context.Background(), cfg); !errors.Is(err, ErrBadPassword) {
		t.Errorf("wrong K_g: %v", err)
	}
}

func TestIPMISimV15Choices(t *testing.T) {
	sim := peers.StartIPMISim(t)
	// Chosen: MD5 first.
	s := dialOK(t, simConfig(t, sim, V15, -1))
	if s.AuthType() != AuthTypeMD5 {
		t.Errorf("chose auth type %d", s.AuthType())
	}
	// MD2, our own implementation.
	cfg := simConfig(t, sim, V15, -1)
	cfg.AuthType = AuthTypeMD2
	s = dialOK(t, cfg)
	powerStatus(t, s, sim)
	// NONE is not offered.
	cfg = simConfig(t, sim, V15, -1)
	cfg.AuthType, cfg.AllowInsecure = AuthTypeNone, true
	if _, err := Dial(context.Background(), cfg); !errors.Is(err, ErrAuthTypeNotOffered) {
		t.Errorf("auth type NONE: %v", err)
	}
	// A User-level account cannot become Administrator over IPMI 1.5.
	cfg = simConfig(t, sim, V15, -1)
	cfg.Username, cfg.Password = "user", []byte("userpass")
	s, err := Dial(context.Background(), cfg)
	if err == nil {
		err = s.EnsurePrivilege(context.Background())
		s.Close()
	}
	if !errors.Is(err, ErrPrivilegeRefused) {
		t.Errorf("user asking for admin: %v", err)
	}
}

// The ipmi Client methods of this layer, inside a session.
func TestIPMISimClientMethods(t *testing.T) {
	sim := peers.StartIPMISim(t)
	s := dialOK(t, simConfig(t, sim, V20, 3))
	c := ipmi.NewClient(s)
	ctx := context.Background()
	suites, err := c.GetChannelCipherSuites(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[uint8]bool{}
	for _, cs := range suites {
		ids[cs.ID] = true
	}
	if !ids[0] || !ids[3] || len(suites) < 4 {
		t.Errorf("cipher suites %+v", suites)
	}
	if p, err := c.SetSessionPrivilege(ctx, ipmi.PrivilegeOperator); err != nil || p != ipmi.PrivilegeOperator {
		t.Errorf("SetSessionPrivilege: %v %v", p, err)
	}
	info, err := c.GetSessionInfo(ctx, ipmi.SessionID(s.ID()))
	// ipmi_sim sends no channel data (pitfall 6: lengths are lenient).
	if err != nil || info.Privilege != ipmi.PrivilegeOperator || !info.RMCPPlus || info.Channel != 1 {
		t.Errorf("session info by ID: %+v %v", info, err)
	}
	// A second session closed from the first.
	other := dialOK(t, simConfig(t, sim, V20, 3))
	if err := c.CloseSession(ctx, other.ID()); err != nil {
		t.Fatalf("CloseSession: %v", err)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := other.Send(short, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID}); err == nil {
		t.Error("a closed session still answers")
	}
	// Pre-session only: inside a session ipmi_sim refuses auth caps (0xD5).
	if _, err := c.GetChannelAuthCapabilities(ctx, ipmi.ChannelCurrent, ipmi.PrivilegeAdmin); !ipmi.IsCompletion(err, ipmi.CodeNotSupportedInState) {
		t.Errorf("Get Channel Auth Caps in session: %v, want 0xD5", err)
	}
}

// Role lookup: ipmi_sim looks the user up by name and role, so an
// Operator asking for Administrator is refused at RAKP 2, typed.
func TestIPMISimRoleLookupRefused(t *testing.T) {
	sim := peers.StartIPMISim(t)
	cfg := simConfig(t, sim, V20, 3)
	cfg.Username, cfg.Password, cfg.RoleLookup = "operator", []byte("oppass"), true
	_, err := Dial(context.Background(), cfg)
	var ae *AuthError
	if !errors.As(err, &ae) || !errors.Is(err, ErrUnknownUser) || !strings.Contains(ae.Hint, "role lookup") {
		t.Fatalf("operator as admin with role lookup: %v", err)
	}
	t.Logf("%v", err)
	// With the right role it works.
	cfg.Privilege = ipmi.PrivilegeOperator
	s := dialOK(t, cfg)
	if err := s.EnsurePrivilege(context.Background()); err != nil || s.Privilege() != ipmi.PrivilegeOperator {
		t.Errorf("operator at operator: %v %s", err, s.Privilege())
	}
}
