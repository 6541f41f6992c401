package bmcsim_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
	"github.com/ipmictl/ipmictl/rmcp"
)

// serve starts b on a free loopback port for the test's lifetime.
func serve(t testing.TB, b *bmcsim.BMC) *rmcp.Server {
	t.Helper()
	srv, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func dial(t testing.TB, srv *rmcp.Server, user, pw string, priv ipmi.Privilege, mod func(*rmcp.Config)) (*rmcp.Session, error) {
	t.Helper()
	cfg := rmcp.NewConfig(srv.Addr().String())
	cfg.Username, cfg.Password, cfg.Privilege = user, []byte(pw), priv
	cfg.Timeout, cfg.Retries = 300*time.Millisecond, 3
	if mod != nil {
		mod(cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return rmcp.Dial(ctx, cfg)
}

func deviceID(t testing.TB, s *rmcp.Session) *ipmi.Response {
	t.Helper()
	rsp, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID})
	if err != nil {
		t.Fatalf("Get Device ID: %v", err)
	}
	return rsp
}

func TestLANAllCipherSuitesAndIPMI15(t *testing.T) {
	b := bmcsim.New()
	srv := serve(t, b)
	for _, suite := range []int{1, 2, 3, 6, 7, 8, 11, 12, 15, 16, 17} {
		s, err := dial(t, srv, "admin", "password", ipmi.PrivilegeAdmin, func(c *rmcp.Config) {
			c.CipherSuite = suite
			c.AllowInsecure = suite == 1 || suite == 6 || suite == 15 // no integrity: named and allowed
		})
		if err != nil {
			t.Errorf("suite %d: %v", suite, err)
			continue
		}
		if rsp := deviceID(t, s); rsp.Code != ipmi.CodeOK || len(rsp.Data) < 15 {
			t.Errorf("suite %d: Get Device ID %v % x", suite, rsp.Code, rsp.Data)
		}
		if got := s.CipherSuite(); got != suite {
			t.Errorf("asked suite %d, session runs %d", suite, got)
		}
		s.Close()
	}
	// Suite 0 works, but only up to USER (LAN parameter 24).
	if _, err := dial(t, srv, "admin", "password", ipmi.PrivilegeAdmin, func(c *rmcp.Config) { c.CipherSuite, c.AllowInsecure = 0, true }); !errors.Is(err, rmcp.ErrPrivilegeRefused) {
		t.Errorf("suite 0 at ADMINISTRATOR: %v, want privilege refused", err)
	}
	s, err := dial(t, srv, "admin", "password", ipmi.PrivilegeUser, func(c *rmcp.Config) { c.CipherSuite, c.AllowInsecure = 0, true })
	if err != nil {
		t.Fatalf("suite 0 at USER: %v", err)
	}
	s.Close()
	for _, at := range []int{rmcp.AuthTypeMD5, rmcp.AuthTypePassword} {
		s, err := dial(t, srv, "operator", "oppass", ipmi.PrivilegeOperator, func(c *rmcp.Config) { c.Version, c.AuthType = rmcp.V15, at })
		if err != nil {
			t.Fatalf("IPMI 1.5 auth type %d: %v", at, err)
		}
		rsp, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnChassis, Cmd: ipmi.CmdChassisControl, Data: []byte{1}})
		if err != nil || rsp.Code != ipmi.CodeOK {
			t.Errorf("IPMI 1.5 chassis control as operator: %v %v", rsp, err)
		}
		s.Close()
	}
	if b.ActiveSessions() != 0 {
		t.Errorf("%d sessions left open after Close", b.ActiveSessions())
	}
}

func TestLANAuthFailures(t *testing.T) {
	b := bmcsim.New()
	srv := serve(t, b)
	cases := []struct {
		user, pw string
		priv     ipmi.Privilege
		want     error
	}{
		{"admin", "wrong", ipmi.PrivilegeAdmin, rmcp.ErrBadPassword},
		{"nobody", "password", ipmi.PrivilegeAdmin, rmcp.ErrUnknownUser},
		{"user", "userpass", ipmi.PrivilegeAdmin, rmcp.ErrPrivilegeRefused}, // ipmi_sim lets this through
		{"operator", "oppass", ipmi.PrivilegeAdmin, rmcp.ErrPrivilegeRefused},
	}
	for _, c := range cases {
		_, err := dial(t, srv, c.user, c.pw, c.priv, func(cfg *rmcp.Config) { cfg.CipherSuite = 17 })
		if !errors.Is(err, c.want) {
			t.Errorf("%s/%s at %s: %v, want %v", c.user, c.pw, c.priv, err, c.want)
		}
	}
	// Commands above the session's privilege are refused per command.
	s, err := dial(t, srv, "user", "userpass", ipmi.PrivilegeUser, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rsp, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnChassis, Cmd: ipmi.CmdChassisControl, Data: []byte{0}})
	if err != nil || rsp.Code != ipmi.CodeInsufficientPrivilege {
		t.Errorf("power off as USER: %v %v", rsp, err)
	}
	if !b.PowerOn() {
		t.Error("a USER session powered the chassis off")
	}
}

func TestLANSessionSlotsAndReboot(t *testing.T) {
	b := bmcsim.New(bmcsim.WithSessionSlots(2))
	srv := serve(t, b)
	var open []*rmcp.Session
	for range 2 {
		s, err := dial(t, srv, "admin", "password", ipmi.PrivilegeAdmin, nil)
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, s)
	}
	if _, err := dial(t, srv, "admin", "password", ipmi.PrivilegeAdmin, nil); !errors.Is(err, rmcp.ErrNoSessionSlots) {
		t.Errorf("third session: %v, want ErrNoSessionSlots", err)
	}
	b.Reboot()
	_, err := open[0].Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID})
	var te *rmcp.TimeoutError
	if !errors.As(err, &te) {
		t.Errorf("request after reboot: %v, want a timeout", err)
	}
	s, err := dial(t, srv, "admin", "password", ipmi.PrivilegeAdmin, nil)
	if err != nil {
		t.Fatalf("new session after reboot: %v", err)
	}
	s.Close()
	b.SetFaults(bmcsim.Faults{ExhaustSessions: true})
	if _, err := dial(t, srv, "admin", "password", ipmi.PrivilegeAdmin, func(c *rmcp.Config) { c.Version = rmcp.V15 }); !errors.Is(err, rmcp.ErrNoSessionSlots) {
		t.Errorf("IPMI 1.5 with exhausted slots: %v", err)
	}
}

func TestLANFaults(t *testing.T) {
	b := bmcsim.New(bmcsim.WithSeed(7))
	srv := serve(t, b)
	s, err := dial(t, srv, "admin", "password", ipmi.PrivilegeAdmin, func(c *rmcp.Config) { c.Retries, c.Timeout = 8, 60*time.Millisecond })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	run := func(n int) (ok int) {
		for range n {
			rsp, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID})
			if err == nil && rsp.Code == ipmi.CodeOK {
				ok++
			}
		}
		return ok
	}
	// 30 % loss: retransmissions get everything through.
	b.SetFaults(bmcsim.Faults{LossPercent: 30})
	if got := run(30); got != 30 {
		t.Errorf("30%% loss: %d of 30 succeeded", got)
	}
	if st := srv.Stats(); st.FaultDropped == 0 || s.Stats().Retransmits == 0 {
		t.Errorf("loss fault dropped %d packets, client retransmitted %d", st.FaultDropped, s.Stats().Retransmits)
	}
	// Corrupted integrity codes are caught and dropped by the client.
	b.SetFaults(bmcsim.Faults{CorruptPercent: 25})
	before := s.Stats().DroppedIntegrity
	if got := run(20); got != 20 {
		t.Errorf("25%% corruption: %d of 20 succeeded", got)
	}
	if s.Stats().DroppedIntegrity == before {
		t.Error("no corrupted packet was detected")
	}
	// Duplicates and reordering are matched or dropped, never misdelivered.
	b.SetFaults(bmcsim.Faults{DuplicatePercent: 50, ReorderPercent: 30})
	if got := run(20); got != 20 {
		t.Errorf("duplicates/reorder: %d of 20 succeeded", got)
	}
	// Delay.
	b.SetFaults(bmcsim.Faults{Delay: 50 * time.Millisecond})
	start := time.Now()
	run(3)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("3 requests with 50 ms delay took %v", d)
	}
	// Busy answers reach the client as 0xC0.
	b.SetFaults(bmcsim.Faults{BusyPercent: 100})
	rsp, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID})
	if err != nil || rsp.Code != ipmi.CodeNodeBusy {
		t.Errorf("busy: %v %v", rsp, err)
	}
	b.SetFaults(bmcsim.Faults{})
}

// TestServerRefusesNonLoopback: the simulator never binds a routable address.
func TestServerRefusesNonLoopback(t *testing.T) {
	for _, a := range []string{"0.0.0.0:0", "10.1.2.3:623", "[::]:0", "192.168.1.1:0"} {
		if _, err := rmcp.ListenLoopback(a); err == nil {
			t.Errorf("ListenLoopback(%s) succeeded", a)
		}
	}
	if _, err := bmcsim.Serve(bmcsim.New(), "0.0.0.0:0", nil); err == nil {
		t.Error("Serve on 0.0.0.0 succeeded")
	}
}

func TestAddrRange(t *testing.T) {
	got, err := bmcsim.AddrRange("127.0.1.1-127.0.4.232", 623)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3*256+232 || got[0] != netip.MustParseAddrPort("127.0.1.1:623") || got[len(got)-1] != netip.MustParseAddrPort("127.0.4.232:623") {
		t.Errorf("%d addresses, first %v last %v", len(got), got[0], got[len(got)-1])
	}
	for _, bad := range []string{"127.0.0.9-127.0.0.1", "x-y", "::1-::2"} {
		if _, err := bmcsim.AddrRange(bad, 623); err == nil {
			t.Errorf("AddrRange(%q) accepted", bad)
		}
	}
}

// TestThousandBMCs serves 1000 BMCs from one process and opens 1000
// concurrent RMCP+ sessions, one per BMC, each doing real work.
func TestThousandBMCs(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	addrs, err := bmcsim.PortRange(netip.MustParseAddr("127.0.0.1"), 0, n)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	fleet, err := bmcsim.ServeFleet(addrs, func(i int) *bmcsim.BMC { return bmcsim.New(bmcsim.WithIndex(i)) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer fleet.Close()
	served := fleet.Addrs()
	t.Logf("%d BMCs up in %v", n, time.Since(start))
	var mem0 runtime.MemStats
	runtime.ReadMemStats(&mem0)

	start = time.Now()
	var wg sync.WaitGroup
	var failed atomic.Int32
	sessions := make([]*rmcp.Session, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cfg := rmcp.NewConfig(served[i].String())
			cfg.Username, cfg.Password, cfg.CipherSuite = "admin", []byte("password"), 17
			cfg.Timeout, cfg.Retries = 2*time.Second, 6
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			s, err := rmcp.Dial(ctx, cfg)
			if err != nil {
				failed.Add(1)
				t.Errorf("BMC %d: %v", i, err)
				return
			}
			sessions[i] = s
			// The FRU product serial proves each BMC has its own state.
			rsp, err := s.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnStorage, Cmd: 0x11, Data: []byte{0, 0, 0, 8}})
			if err != nil || rsp.Code != ipmi.CodeOK {
				failed.Add(1)
				t.Errorf("BMC %d: Read FRU Data: %v %v", i, rsp, err)
			}
		}()
	}
	wg.Wait()
	setup := time.Since(start)
	active := 0
	for _, b := range fleet.BMCs {
		active += b.ActiveSessions()
	}
	var mem1 runtime.MemStats
	runtime.ReadMemStats(&mem1)
	t.Logf("%d concurrent sessions (%d active at once on the BMCs) opened and used in %v; heap %d MiB -> %d MiB",
		n, active, setup, mem0.HeapAlloc>>20, mem1.HeapAlloc>>20)
	if active != n-int(failed.Load()) || failed.Load() != 0 {
		t.Errorf("%d sessions active, %d failed", active, failed.Load())
	}
	for _, s := range sessions {
		if s != nil {
			s.Close()
		}
	}
	for i, b := range fleet.BMCs {
		if b.ActiveSessions() != 0 {
			t.Errorf("BMC %d: %d sessions after Close", i, b.ActiveSessions())
			break
		}
	}
}

// TestAddressRangeFleet serves one BMC per 127.0.x.y address at one port,
// as `ipmictl sim --addresses` does.
func TestAddressRangeFleet(t *testing.T) {
	probe, err := rmcp.ListenLoopback("127.0.3.1:0") // find a port free on the range
	if err != nil {
		t.Fatal(err)
	}
	port := probe.LocalAddr().(*net.UDPAddr).Port
	probe.Close()
	addrs, err := bmcsim.AddrRange("127.0.3.1-127.0.3.40", port)
	if err != nil {
		t.Fatal(err)
	}
	fleet, err := bmcsim.ServeFleet(addrs, func(i int) *bmcsim.BMC { return bmcsim.New(bmcsim.WithIndex(i)) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer fleet.Close()
	for i, a := range fleet.Addrs() {
		if a != addrs[i] {
			t.Fatalf("BMC %d on %v, want %v", i, a, addrs[i])
		}
	}
	// Each address is its own BMC: power one off and only it is off.
	s, err := dial(t, fleet.Servers[5], "admin", "password", ipmi.PrivilegeAdmin, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rsp, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnChassis, Cmd: ipmi.CmdChassisControl, Data: []byte{0}}); err != nil || rsp.Code != ipmi.CodeOK {
		t.Fatalf("power off: %v %v", rsp, err)
	}
	for i, b := range fleet.BMCs {
		if b.PowerOn() != (i != 5) {
			t.Errorf("BMC %d power on = %v", i, b.PowerOn())
		}
	}
}

func TestLANSOL(t *testing.T) {
	b := bmcsim.New(bmcsim.WithIndex(3))
	srv := serve(t, b)
	s, err := dial(t, srv, "admin", "password", ipmi.PrivilegeAdmin, func(c *rmcp.Config) { c.CipherSuite = 17 })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	in := s.Payload(rmcp.PayloadSOL)
	activate := &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x48, Data: []byte{1, 1, 0xC0, 0, 0, 0}}
	rsp, err := s.Send(ctx, activate)
	if err != nil || rsp.Code != ipmi.CodeOK || len(rsp.Data) != 12 {
		t.Fatalf("Activate Payload: %v %v", rsp, err)
	}
	if port := int(rsp.Data[8]) | int(rsp.Data[9])<<8; port != int(srv.Addr().Port()) {
		t.Errorf("SOL port %d, server on %d", port, srv.Addr().Port())
	}
	// Read console output until want appears, acknowledging each packet.
	var got strings.Builder
	expect := func(want string) {
		t.Helper()
		timeout := time.After(5 * time.Second)
		for !strings.Contains(got.String(), want) {
			select {
			case p := <-in:
				if len(p) < 4 {
					t.Fatalf("short SOL packet % x", p)
				}
				if p[0] != 0 {
					got.Write(p[4:])
					s.SendPayload(ctx, rmcp.PayloadSOL, []byte{0, p[0], byte(len(p) - 4), 0})
				}
			case <-timeout:
				t.Fatalf("console output lacks %q: %q", want, got.String())
			}
		}
	}
	expect("sim-host-3 login: ")
	s.SendPayload(ctx, rmcp.PayloadSOL, append([]byte{1, 0, 0, 0}, "root\r"...))
	expect("root\r\nPassword: ")
	// A second session cannot take SOL while this one holds it.
	s2, err := dial(t, srv, "operator", "oppass", ipmi.PrivilegeOperator, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if rsp, err := s2.Send(ctx, activate); err != nil || rsp.Code != 0x80 {
		t.Errorf("second activation: %v %v, want 0x80", rsp, err)
	}
	if rsp, err := s.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x49, Data: []byte{1, 1, 0, 0, 0, 0}}); err != nil || rsp.Code != ipmi.CodeOK {
		t.Errorf("Deactivate Payload: %v %v", rsp, err)
	}
	if rsp, err := s2.Send(ctx, activate); err != nil || rsp.Code != ipmi.CodeOK {
		t.Errorf("activation after deactivate: %v %v", rsp, err)
	}
}

func TestLANSessionIdleTimeout(t *testing.T) {
	b := bmcsim.New(bmcsim.WithSessionTimeout(300 * time.Millisecond))
	srv := serve(t, b)
	s, err := dial(t, srv, "admin", "password", ipmi.PrivilegeAdmin, func(c *rmcp.Config) { c.Timeout, c.Retries = 100*time.Millisecond, 1 })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deviceID(t, s)
	time.Sleep(500 * time.Millisecond)
	var te *rmcp.TimeoutError
	if _, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID}); !errors.As(err, &te) {
		t.Errorf("request after the idle timeout: %v, want no answer", err)
	}
	if n := b.ActiveSessions(); n != 0 {
		t.Errorf("%d sessions after the idle timeout", n)
	}
}
