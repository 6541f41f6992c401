package hostile

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/internal/udpproxy"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/rmcp"
	"github.com/ipmictl/ipmictl/sol"
)

// bmcState is what a killed client must not change: how many sessions
// the BMC has active (besides the one asking) and which SOL instances.
type bmcState struct {
	sessions int
	sol      []uint8
}

func readBMCState(t *testing.T, addr string) bmcState {
	t.Helper()
	cfg := rmcp.NewConfig(addr)
	cfg.Username, cfg.Password, cfg.CipherSuite = "admin", []byte("password"), 3
	ctx := context.Background()
	s, err := rmcp.Dial(ctx, cfg)
	if err != nil {
		t.Fatalf("reading the BMC's sessions: %v", err)
	}
	defer s.Close()
	c := ipmi.NewClient(s)
	info, err := c.GetSessionInfo(ctx, ipmi.SessionIndex(0))
	if err != nil {
		t.Fatalf("Get Session Info: %v", err)
	}
	st, err := sol.GetActivationStatus(ctx, c)
	if err != nil {
		t.Fatalf("Get Payload Activation Status: %v", err)
	}
	return bmcState{sessions: int(info.ActiveSessions) - 1, sol: st.ActiveInstances()}
}

// waitBMCState polls until the BMC is back at want (a Close Session may
// still be on its way) or the deadline passes, and returns the last state.
func waitBMCState(t *testing.T, addr string, want bmcState, within time.Duration) bmcState {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := readBMCState(t, addr)
		if got.sessions == want.sessions && len(got.sol) == len(want.sol) || time.Now().After(deadline) {
			return got
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// sigintCase is one way to interrupt the client.
type sigintCase struct {
	name     string
	args     []string
	slow     time.Duration // added delay per datagram each way, so the moment lasts
	from, to time.Duration // the SIGINT comes at a random time in [from, to)
	stdin    bool          // keep stdin open (sol activate reads it)
}

// SIGINT at random moments (during the RMCP+ handshake, in the middle of
// an SDR walk, while a SOL payload is active) leaves the BMC as it was:
// every session the client opened is closed and no SOL payload stays
// active; the client exits 130 within a bounded time.
func TestSIGINTLeavesNoSession(t *testing.T) {
	peers.Require(t, "ipmi_sim")
	bin := peers.BuildIpmictl(t)
	sim := peers.StartIPMISim(t)
	base := readBMCState(t, sim.Addr)
	if len(base.sol) != 0 {
		t.Fatalf("SOL active before the test: %v", base.sol)
	}
	cases := []sigintCase{
		{"handshake", []string{"chassis", "power", "status"}, 15 * time.Millisecond, 0, 150 * time.Millisecond, false},
		{"handshake-v1.5", []string{"-I", "lan", "chassis", "power", "status"}, 15 * time.Millisecond, 0, 150 * time.Millisecond, false},
		{"sdr-walk", []string{"sdr", "list"}, 3 * time.Millisecond, 60 * time.Millisecond, 600 * time.Millisecond, false},
		{"sol", []string{"sol", "activate"}, 2 * time.Millisecond, 80 * time.Millisecond, 800 * time.Millisecond, true},
	}
	kills := 100
	if testing.Short() {
		kills = 15
	}
	env := append(os.Environ(), "IPMI_PASSWORD=password", "XDG_CONFIG_HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir())
	start := time.Now()
	var mu sync.Mutex
	exits := map[string]map[int]int{}
	var slowest time.Duration
	for _, c := range cases {
		exits[c.name] = map[int]int{}
	}
	// SOL has one payload instance, so the SOL kills run one at a time;
	// the others run four abreast.
	var wg sync.WaitGroup
	work := make(chan int)
	solMu := sync.Mutex{}
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(w)))
			for i := range work {
				c := cases[i%len(cases)]
				if c.stdin {
					solMu.Lock()
				}
				code, took, err := sigintOnce(bin, sim.Addr, env, c, rng)
				if c.stdin {
					solMu.Unlock()
				}
				mu.Lock()
				exits[c.name][code]++
				slowest = max(slowest, took)
				mu.Unlock()
				if err != nil {
					t.Errorf("%s kill %d: %v", c.name, i, err)
				}
			}
		}()
	}
	for i := range kills {
		work <- i
	}
	close(work)
	wg.Wait()
	got := waitBMCState(t, sim.Addr, base, 3*time.Second)
	t.Logf("%d SIGINTs in %v: exits %v; slowest exit after SIGINT %v; sessions %d → %d, SOL %v",
		kills, time.Since(start).Round(time.Millisecond), exits, slowest.Round(time.Millisecond), base.sessions, got.sessions, got.sol)
	if got.sessions != base.sessions {
		t.Errorf("the BMC has %d active sessions after the kills, %d before: leaked", got.sessions, base.sessions)
	}
	if len(got.sol) != 0 {
		t.Errorf("SOL instances %v still active after the kills", got.sol)
	}
}

// sigintOnce runs the client through a slowed proxy, interrupts it at a
// random moment, and checks how it ended. It returns the exit status and
// how long the client took to exit after the signal.
func sigintOnce(bin, addr string, env []string, c sigintCase, rng *rand.Rand) (int, time.Duration, error) {
	p, err := udpproxy.New("127.0.0.1:0", addr, rng.Int63())
	if err != nil {
		return 0, 0, err
	}
	// Datagrams the client sent just before it exited (a Close Session,
	// an abandoned login) are still in flight: let them land, as on a
	// real path, before the proxy goes away.
	defer func() {
		time.Sleep(3*c.slow + 20*time.Millisecond)
		p.Close()
	}()
	p.SetFaults(udpproxy.ToServer, udpproxy.Faults{Delay: c.slow})
	p.SetFaults(udpproxy.ToClient, udpproxy.Faults{Delay: c.slow})
	args := append([]string{"-H", "127.0.0.1", "-p", strconv.Itoa(p.Addr().Port), "-U", "admin", "-E",
		"--sdr-cache", "off"}, c.args...)
	if c.args[0] != "-I" {
		args = append([]string{"-C", "3"}, args...)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	if c.stdin {
		w, err := cmd.StdinPipe() // open and silent: sol activate waits on it
		if err != nil {
			return 0, 0, err
		}
		defer w.Close()
	}
	var out, errOut lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	delay := c.from + time.Duration(rng.Int63n(int64(c.to-c.from)))
	select {
	case err := <-done: // finished before the signal: nothing to interrupt
		if code := exitCode(err); code != 0 {
			return code, 0, fmt.Errorf("exit %d before SIGINT: %s", code, errOut.String())
		}
		return 0, 0, nil
	case <-time.After(delay):
	}
	cmd.Process.Signal(syscall.SIGINT)
	sent := time.Now()
	// Closing takes at most the Close Session budget (2 tries, each a
	// few delayed datagrams) and SOL deactivation: 3 s is generous.
	select {
	case err := <-done:
		took := time.Since(sent)
		code := exitCode(err)
		if code != 130 && code != 0 {
			return code, took, fmt.Errorf("exit %d after SIGINT: %s", code, errOut.String())
		}
		return code, took, nil
	case <-time.After(3 * time.Second):
		cmd.Process.Kill()
		<-done
		return -1, 3 * time.Second, errors.New("still running 3 s after SIGINT")
	}
}

// exitCode is the child's exit status, 128+N for death by signal N (a
// SIGINT that lands before the Go runtime installed its handler kills the
// process outright; it cannot have opened a session by then).
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// lockedBuffer collects a child's output from its copying goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b = append(l.b, p...)
	return len(p), nil
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.b)
}
