package interop_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi"
	. "github.com/ipmictl/ipmictl/rmcp"
)

// goipmiDial dials goipmi-server through a counting relay whose far side
// lives in the server's network namespace.
func goipmiDial(t *testing.T, b *peers.NetnsBMC, cfg *Config) (*Session, *relay, error) {
	t.Helper()
	r := startRelayTo(t, b.DialUDP)
	cfg.Addr = r.Addr
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := Dial(ctx, cfg)
	return s, r, err
}

func goipmiConfig(t *testing.T, b *peers.NetnsBMC, v Version, suite int) *Config {
	cfg := NewConfig("")
	cfg.Version, cfg.CipherSuite = v, suite
	cfg.Username, cfg.Password = b.User, []byte(b.Password)
	cfg.Logf = t.Logf
	return cfg
}

func TestGoIPMIServer(t *testing.T) {
	b := peers.StartGoIPMIServer(t)
	for _, c := range []struct {
		name      string
		v         Version
		suite     int
		wantSuite int
		maxReq    int64
	}{
		{"suite 17", V20, 17, 17, 5},
		{"suite 3", V20, 3, 3, 5},
		{"negotiated", V20, -1, 17, 5},
		{"IPMI 1.5 MD5", V15, -1, -1, 5},
	} {
		s, r, err := goipmiDial(t, b, goipmiConfig(t, b, c.v, c.suite))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if s.CipherSuite() != c.wantSuite {
			t.Errorf("%s: suite %d, want %d", c.name, s.CipherSuite(), c.wantSuite)
		}
		rsp, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnChassis, Cmd: ipmi.CmdGetChassisStatus})
		if err != nil || rsp.Code != 0 || len(rsp.Data) < 3 {
			t.Fatalf("%s: Get Chassis Status: %v %v", c.name, rsp, err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("%s: Close: %v", c.name, err)
		}
		if n := r.requests.Load(); n > c.maxReq {
			t.Errorf("%s: %d UDP requests, budget %d", c.name, n, c.maxReq)
		}
		t.Logf("%s: %d UDP requests, stats %+v", c.name, r.requests.Load(), s.Stats())
	}
	// Admin commands work after the privilege is raised on demand.
	s, _, err := goipmiDial(t, b, goipmiConfig(t, b, V20, 17))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsurePrivilege(context.Background()); err != nil || s.Privilege() != ipmi.PrivilegeAdmin {
		t.Errorf("EnsurePrivilege: %v (%s)", err, s.Privilege())
	}
	info, err := ipmi.NewClient(s).GetSessionInfo(context.Background(), ipmi.CurrentSession)
	if err != nil || info.Privilege != ipmi.PrivilegeAdmin || !info.RMCPPlus {
		t.Errorf("session info %+v %v", info, err)
	}
	s.Close()
	// Wrong password, both protocols: typed and fast.
	for _, v := range []Version{V20, V15} {
		cfg := goipmiConfig(t, b, v, 17)
		cfg.Password = []byte("wrong")
		start := time.Now()
		_, _, err := goipmiDial(t, b, cfg)
		if !errors.Is(err, ErrBadPassword) || time.Since(start) > time.Second {
			t.Errorf("%s wrong password: %v after %v", v, err, time.Since(start))
		}
	}
}
