package rmcp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

func dialFake(t *testing.T, b *fakeBMC, suite int) *Session {
	t.Helper()
	cfg := b.config()
	cfg.CipherSuite = suite
	s, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func echo(ctx context.Context, s *Session, data []byte) error {
	rsp, err := s.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01, Data: data})
	if err != nil {
		return err
	}
	if rsp.Code != 0 || !bytes.Equal(rsp.Data, data) {
		return fmt.Errorf("echo %x: got code %v data %x", data, rsp.Code, rsp.Data)
	}
	return nil
}

// 32 goroutines share one session; responses come back out of order
// and must reach the right caller.
func TestConcurrentSend(t *testing.T) {
	for _, suite := range []int{3, 17} {
		b := startFakeBMC(t)
		cfg := b.config()
		cfg.CipherSuite, cfg.Timeout = suite, time.Second
		s, err := Dial(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var wg sync.WaitGroup
		errs := make(chan error, 32)
		for g := range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 20 {
					if err := echo(context.Background(), s, []byte{byte(g), byte(i), 0xEE}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		// On a loaded machine some requests are retransmitted; only the
		// duplicate answers to those may be dropped.
		st := s.Stats()
		if st.Requests != 640 || st.DroppedIntegrity+st.DroppedSequence != 0 || st.DroppedOther > st.Retransmits {
			t.Errorf("suite %d: stats %+v", suite, st)
		}
	}
}

func TestSuiteNegotiation(t *testing.T) {
	// The BMC offers 1, 2 and 8: the strongest by preference is 8.
	b := startFakeBMC(t, 1, 2, 8)
	s := dialFake(t, b, -1)
	if s.CipherSuite() != 8 || !s.Encrypted() || !s.Authenticated() {
		t.Errorf("chose suite %d (encrypted %v), want 8", s.CipherSuite(), s.Encrypted())
	}
	// Explicit suite refused: typed error.
	cfg := b.config()
	cfg.CipherSuite = 17
	_, err := Dial(context.Background(), cfg)
	if !errors.Is(err, ErrCipherSuiteRefused) {
		t.Errorf("suite 17 on a BMC without it: %v", err)
	}
	// Suite 0 needs AllowInsecure.
	cfg.CipherSuite = 0
	if _, err := Dial(context.Background(), cfg); !errors.Is(err, ErrInsecure) {
		t.Errorf("suite 0 without AllowInsecure: %v", err)
	}
}

func TestAuthErrorsFake(t *testing.T) {
	b := startFakeBMC(t)
	cfg := b.config()
	cfg.CipherSuite = 3
	cfg.Password = []byte("wrong")
	start := time.Now()
	_, err := Dial(context.Background(), cfg)
	if !errors.Is(err, ErrBadPassword) || time.Since(start) > time.Second {
		t.Errorf("wrong password: %v after %v", err, time.Since(start))
	}
	cfg = b.config()
	cfg.CipherSuite = 3
	cfg.Username = "nobody"
	if _, err := Dial(context.Background(), cfg); !errors.Is(err, ErrUnknownUser) {
		t.Errorf("unknown user: %v", err)
	}
}

func TestRetransmitAndDrops(t *testing.T) {
	b := startFakeBMC(t)
	s := dialFake(t, b, 3)
	b.dropNext.Store(2)
	if err := echo(context.Background(), s, []byte{1}); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Retransmits < 2 {
		t.Errorf("retransmits %d, want at least 2", st.Retransmits)
	}
	// A tampered response is dropped and counted; the retransmission
	// brings a good one.
	b.tamper.Store(true)
	if err := echo(context.Background(), s, []byte{2}); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.DroppedIntegrity != 1 {
		t.Errorf("integrity drops %d, want 1", st.DroppedIntegrity)
	}
	// A replayed response is dropped by the sequence window.
	b.replay.Store(true)
	if err := echo(context.Background(), s, []byte{3}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if st := s.Stats(); st.DroppedSequence != 1 {
		t.Errorf("sequence drops %d, want 1", st.DroppedSequence)
	}
	// Unreachable: a TimeoutError naming the address and the tries.
	b.dropNext.Store(100)
	_, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01})
	var te *TimeoutError
	if !errors.As(err, &te) || te.Tries != 5 || te.Addr != b.addr() {
		t.Errorf("silent BMC: %v", err)
	}
	b.dropNext.Store(0)
}

func TestLazyPrivilege(t *testing.T) {
	b := startFakeBMC(t)
	s := dialFake(t, b, 3)
	if s.Privilege() != ipmi.PrivilegeUser {
		t.Fatalf("session starts at %s", s.Privilege())
	}
	rsp, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnChassis, Cmd: 0x02, Data: []byte{1}})
	if err != nil || rsp.Code != 0 {
		t.Fatalf("chassis control: %v %v", rsp, err)
	}
	if s.Privilege() != ipmi.PrivilegeAdmin {
		t.Errorf("privilege after elevation %s", s.Privilege())
	}
}

func TestBridging(t *testing.T) {
	for _, split := range []bool{false, true} {
		b := startFakeBMC(t)
		b.splitBrdg.Store(split)
		s := dialFake(t, b, 17)
		req := &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01, Data: []byte{9, 8},
			Target: &ipmi.Address{Channel: 7, Addr: 0x72}}
		rsp, err := s.Send(context.Background(), req)
		if err != nil {
			t.Fatalf("split=%v: %v", split, err)
		}
		// The fake controller echoes: its address, the Send Message
		// channel byte (tracking on, channel 7), then our data.
		if want := []byte{0x72, 0x47, 9, 8}; rsp.Code != 0 || !bytes.Equal(rsp.Data, want) {
			t.Errorf("split=%v: code %v data %x, want %x", split, rsp.Code, rsp.Data, want)
		}
	}
}

// A double bridge: BMC channel 2 to a transit controller at 0x82, its
// channel 7 to the target at 0x72.
func TestDoubleBridging(t *testing.T) {
	b := startFakeBMC(t)
	s := dialFake(t, b, 3)
	req := &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01, Data: []byte{5},
		Target: &ipmi.Address{Channel: 7, Addr: 0x72}, Transit: &ipmi.Address{Channel: 2, Addr: 0x82}}
	rsp, err := s.Send(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if want := []byte{0x72, 0x47, 5}; rsp.Code != 0 || !bytes.Equal(rsp.Data, want) {
		t.Errorf("code %v data %x, want %x", rsp.Code, rsp.Data, want)
	}
	// Target 0x20 on channel 0 is the BMC itself: not bridged.
	req = &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01, Data: []byte{6}, Target: &ipmi.Address{Addr: 0x20}}
	if rsp, err := s.Send(context.Background(), req); err != nil || !bytes.Equal(rsp.Data, []byte{6}) {
		t.Errorf("target = BMC: %v %v", rsp, err)
	}
}

func TestCloseIdempotentAndPayloads(t *testing.T) {
	b := startFakeBMC(t)
	s := dialFake(t, b, 3)
	ch := s.Payload(PayloadSOL)
	if err := s.SendPayload(context.Background(), PayloadSOL, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-ch:
		if string(p) != "echo:hi" {
			t.Errorf("SOL payload %q", p)
		}
	case <-time.After(time.Second):
		t.Fatal("no SOL payload")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = ctx
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if time.Since(start) > closeBudget+500*time.Millisecond {
		t.Errorf("Close took %v", time.Since(start))
	}
	if _, ok := <-ch; ok {
		t.Error("payload channel open after Close")
	}
	if _, err := s.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 1}); !errors.Is(err, ErrClosed) {
		t.Errorf("Send after Close: %v", err)
	}
}

// Close is bounded even when the BMC has gone silent.
func TestCloseSilentBMC(t *testing.T) {
	b := startFakeBMC(t)
	s := dialFake(t, b, 3)
	b.dropNext.Store(100)
	start := time.Now()
	s.Close()
	if d := time.Since(start); d > closeBudget+500*time.Millisecond {
		t.Errorf("Close took %v", d)
	}
}

func TestSendAllocations(t *testing.T) {
	b := startFakeBMC(t)
	s := dialFake(t, b, 3)
	req := &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01, Data: []byte{1, 2, 3}}
	allocs := testing.AllocsPerRun(50, func() {
		if _, err := s.Send(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	})
	// The count includes the fake BMC's own work in this process (about
	// half of it: its goroutine, its sealing and the random delay).
	t.Logf("allocations per Send, client and fake BMC together: %.1f", allocs)
	if allocs > 30 {
		t.Errorf("%.1f allocations per Send", allocs)
	}
}

func TestPing(t *testing.T) {
	b := startFakeBMC(t)
	p, err := Ping(context.Background(), b.addr(), time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !p.IPMI || p.ASFVersion != 1 || !p.SecurityRMCP || p.IANA != 4542 {
		t.Errorf("pong %+v", p)
	}
	// A closed port times out, typed.
	_, err = Ping(context.Background(), "127.0.0.1:9", 50*time.Millisecond, 1)
	var te *TimeoutError
	if !errors.As(err, &te) || te.Tries != 2 {
		t.Errorf("ping to a closed port: %v", err)
	}
}

// A suite the BMC advertises but refuses at Open Session falls back to
// the next one within the same Dial.
func TestSuiteFallbackWithinDial(t *testing.T) {
	b := startFakeBMCOn(t, net.IPv4(127, 0, 0, 1), map[uint8]bool{17: true}, false, 17, 3)
	s := dialFake(t, b, -1)
	if s.CipherSuite() != 3 {
		t.Errorf("suite %d, want 3", s.CipherSuite())
	}
	// No list at all: 17 is tried, then 3.
	b = startFakeBMCOn(t, net.IPv4(127, 0, 0, 1), map[uint8]bool{17: true}, true, 17, 3)
	start := time.Now()
	s = dialFake(t, b, -1)
	if s.CipherSuite() != 3 {
		t.Errorf("without a list: suite %d, want 3", s.CipherSuite())
	}
	t.Logf("Dial without a suite list took %v", time.Since(start))
}

func TestIPv6(t *testing.T) {
	b := startFakeBMCOn(t, net.IPv6loopback, nil, false, 3)
	if b.addr() != "[::1]:"+fmt.Sprint(b.conn.LocalAddr().(*net.UDPAddr).Port) {
		t.Fatalf("fake listens on %s", b.addr())
	}
	s := dialFake(t, b, -1)
	if err := echo(context.Background(), s, []byte{6}); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultPort(t *testing.T) {
	for in, want := range map[string]string{
		"bmc": "bmc:623", "10.0.0.1": "10.0.0.1:623", "::1": "[::1]:623", "[::1]": "[::1]:623",
		"[::1]:6230": "[::1]:6230", "bmc:1": "bmc:1",
	} {
		if got := withDefaultPort(in); got != want {
			t.Errorf("withDefaultPort(%q) = %q, want %q", in, got, want)
		}
	}
}

// silentPort is a UDP socket that never answers.
func silentPort(t *testing.T) string {
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.LocalAddr().String()
}

func TestDialSilentBMC(t *testing.T) {
	addr := silentPort(t)
	cfg := NewConfig(addr)
	cfg.CipherSuite = 3
	cfg.Timeout = 40 * time.Millisecond
	start := time.Now()
	_, err := Dial(context.Background(), cfg)
	var te *TimeoutError
	if !errors.As(err, &te) || te.Addr != addr || te.Tries != 5 || te.Op != "Open Session" {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d < 5*cfg.Timeout || d > 5*cfg.Timeout+500*time.Millisecond {
		t.Errorf("took %v for 5 tries of %v", d, cfg.Timeout)
	}
	// Cancelling the context ends Dial at once.
	cfg.Timeout = time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := Dial(ctx, cfg); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 400*time.Millisecond {
		t.Errorf("cancelled Dial: %v after %v", err, time.Since(start))
	}
}

// The verbose trace never carries the password or K_g.
func TestLogfHasNoSecrets(t *testing.T) {
	b := startFakeBMC(t)
	b.mu.Lock() // the fake reads pw under mu
	b.pw = []byte("Pa55-w0rd-XyZ")
	cfg := b.config()
	b.mu.Unlock()
	var log bytes.Buffer
	var mu sync.Mutex
	cfg.Logf = func(f string, a ...any) { mu.Lock(); fmt.Fprintf(&log, f+"\n", a...); mu.Unlock() }
	s, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	echo(context.Background(), s, []byte{1})
	s.Close()
	cfg.Password = []byte("wrong-Pa55")
	Dial(context.Background(), cfg)
	mu.Lock()
	defer mu.Unlock()
	out := log.String()
	if out == "" {
		t.Fatal("no trace at all")
	}
	for _, secret := range []string{"Pa55-w0rd-XyZ", "wrong-Pa55", fmt.Sprintf("%x", "Pa55-w0rd-XyZ")} {
		if strings.Contains(out, secret) {
			t.Errorf("trace contains %q:\n%s", secret, out)
		}
	}
}

func BenchmarkSendSuite17(b *testing.B) {
	bmc := startFakeBMC(b)
	bmc.noDelay.Store(true)
	cfg := bmc.config()
	cfg.CipherSuite = 17
	s, err := Dial(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	req := &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01, Data: []byte{1, 2, 3}}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Send(context.Background(), req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// A remembered suite is tried first, with no pre-session probing; a hint
// that the BMC refuses, or one without integrity and encryption, falls
// back to negotiation.
func TestSuiteHint(t *testing.T) {
	b := startFakeBMC(t, 3, 17)
	cfg := b.config()
	cfg.CipherSuite, cfg.SuiteHint = -1, 3
	s, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.CipherSuite() != 3 {
		t.Errorf("hinted suite 3, got %d", s.CipherSuite())
	}
	// Open Session, RAKP 1, RAKP 3: nothing before them.
	if n := b.packets.Load(); n != 3 {
		t.Errorf("%d packets for a hinted Dial, want 3", n)
	}

	b = startFakeBMCOn(t, net.IPv4(127, 0, 0, 1), map[uint8]bool{3: true}, false, 3, 17)
	cfg = b.config()
	cfg.CipherSuite, cfg.SuiteHint = -1, 3
	if s, err = Dial(context.Background(), cfg); err != nil || s.CipherSuite() != 17 {
		t.Fatalf("refused hint: suite %v, err %v; want negotiation to 17", s, err)
	}
	s.Close()

	for _, weak := range []int{1, 2, 6, 0} {
		b = startFakeBMC(t, 1, 2, 3, 6, 17)
		cfg = b.config()
		cfg.CipherSuite, cfg.SuiteHint = -1, weak
		if s, err = Dial(context.Background(), cfg); err != nil || s.CipherSuite() != 17 {
			t.Fatalf("weak hint %d: suite %v, err %v; want it ignored and 17 chosen", weak, s, err)
		}
		s.Close()
	}
}
