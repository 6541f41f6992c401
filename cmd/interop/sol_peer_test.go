package interop

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/internal/udpproxy"
	"golang.org/x/sys/unix"
)

// solConsoleTerm is a program running on a pseudo-terminal, driven like a
// person at a keyboard.
type solConsoleTerm struct {
	t    *testing.T
	cmd  *exec.Cmd
	ptmx *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	mark int // expect searches from here
	done chan error
}

func solStartTerm(t *testing.T, name string, args ...string) *solConsoleTerm {
	t.Helper()
	cmd := exec.Command(name, args...)
	ptmx, err := solStartOnPTY(cmd)
	if err != nil {
		t.Fatalf("starting %s on a pty: %v", name, err)
	}
	st := &solConsoleTerm{t: t, cmd: cmd, ptmx: ptmx, done: make(chan error, 1)}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			st.mu.Lock()
			st.out.Write(buf[:n])
			st.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { st.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		ptmx.Close()
	})
	return st
}

func (s *solConsoleTerm) send(keys string) {
	s.t.Helper()
	if _, err := s.ptmx.Write([]byte(keys)); err != nil {
		s.t.Fatalf("typing %q: %v", keys, err)
	}
}

// expect waits until want appears after the mark, and moves the mark past it.
func (s *solConsoleTerm) expect(want string, d time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(d)
	for {
		s.mu.Lock()
		i := strings.Index(s.out.String()[s.mark:], want)
		if i >= 0 {
			s.mark += i + len(want)
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out after %v waiting for %q; terminal shows:\n%q", d, want, s.tail(600))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (s *solConsoleTerm) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

func (s *solConsoleTerm) tail(n int) string {
	o := s.out.String()
	return o[max(0, len(o)-n):]
}

func (s *solConsoleTerm) wait(d time.Duration) error {
	s.t.Helper()
	select {
	case err := <-s.done:
		return err
	case <-time.After(d):
		s.t.Fatalf("program still running after %v; terminal shows:\n%q", d, s.tail(600))
	}
	return nil
}

func solIpmictlArgs(sim *peers.IPMISim, args ...string) []string {
	return append([]string{"-H", sim.Host, "-p", strconv.Itoa(sim.Port), "-U", "admin", "-P", "password", "-C", "3"}, args...)
}

// solRawBytes runs ipmitool raw and returns the response bytes.
func solRawBytes(t *testing.T, sim *peers.IPMISim, args ...string) []uint64 {
	t.Helper()
	out, stderr, err := peers.Ipmitool(t, sim, append([]string{"raw"}, args...)...)
	if err != nil {
		t.Fatalf("ipmitool raw %v: %v\n%s", args, err, stderr)
	}
	var b []uint64
	for _, f := range strings.Fields(out) {
		v, err := strconv.ParseUint(f, 16, 8)
		if err != nil {
			t.Fatalf("ipmitool raw %v printed %q", args, out)
		}
		b = append(b, v)
	}
	return b
}

// solActiveSessions is the BMC's count of active sessions (Get Session
// Info, this session), ipmitool's own included.
func solActiveSessions(t *testing.T, sim *peers.IPMISim) uint64 {
	b := solRawBytes(t, sim, "0x06", "0x3d", "0x00")
	if len(b) < 3 {
		t.Fatalf("Get Session Info: %v", b)
	}
	return b[2] & 0x3F
}

// solInstanceActive asks the BMC whether SOL instance 1 is active.
func solInstanceActive(t *testing.T, sim *peers.IPMISim) bool {
	b := solRawBytes(t, sim, "0x06", "0x4a", "0x01")
	if len(b) < 3 {
		t.Fatalf("Get Payload Activation Status: %v", b)
	}
	return b[1]&1 != 0
}

// TestSolActivateOnIPMISim logs in to ipmi_sim's console through
// `ipmictl sol activate` on a pseudo-terminal, runs commands, sends a
// break, leaves with ~. and checks nothing is left behind.
func TestSolActivateOnIPMISim(t *testing.T) {
	sim := peers.StartIPMISim(t)
	began := time.Now()
	bin := peers.BuildIpmictl(t)
	t.Logf("built ipmictl in %v", time.Since(began).Round(time.Millisecond))
	baseline := solActiveSessions(t, sim)

	term := solStartTerm(t, bin, solIpmictlArgs(sim, "sol", "activate")...)
	term.expect("[SOL Session operational.  Use ~? for help]", 15*time.Second)
	term.send("\r")
	term.expect("simhost login: ", 10*time.Second)
	term.send("root\r")
	term.expect("Password: ", 10*time.Second)
	term.send("secret\r")
	term.expect("root@simhost:~# ", 10*time.Second)
	term.send("uname -a\r")
	term.expect("Linux simhost 6.1.0-sim", 10*time.Second)
	term.expect("root@simhost:~# ", 10*time.Second)

	start := time.Now()
	term.send("seq 2000\r")
	term.expect("\r\n2000\r\nroot@simhost:~# ", 30*time.Second)
	elapsed := time.Since(start)
	clitest.SolCheckLines(t, "ipmictl's terminal", term.output(), 2000)
	clitest.SolCheckLines(t, "the console transcript", sim.SOLTranscript(), 2000)

	// Raw mode: Ctrl-C is a byte for the host, not a signal for us.
	term.send("\x03")
	term.expect("^C", 10*time.Second)
	term.expect("root@simhost:~# ", 10*time.Second)
	// Escapes count only at the start of a line: after ^C the next ~ is data.
	term.send("\r")
	term.expect("root@simhost:~# ", 10*time.Second)

	// ~B at the start of a line: ipmi_sim's TCP console gets a telnet BREAK.
	term.send("~B")
	term.expect("~B [send break]", 10*time.Second)
	term.send("\r")
	term.expect("root@simhost:~# ", 10*time.Second)
	solWaitUntil(t, 5*time.Second, func() bool { return strings.Contains(sim.SOLTranscript(), "\xff\xf3") },
		"the console to see the break (telnet IAC BRK)")

	// ~~ sends one tilde; ~? prints the help.
	term.send("echo ~~x\r")
	term.expect("~~x", 10*time.Second) // mid-line: both tildes are data
	term.expect("root@simhost:~# ", 10*time.Second)
	term.send("~?")
	term.expect("~.  - terminate connection", 10*time.Second)
	term.send("~~y\r")
	term.expect("-sh: ~y: command not found", 10*time.Second)

	// ~^Z: the terminal is restored and the process stops itself. A test
	// child leads an orphaned process group, where the kernel ignores
	// SIGTSTP, so it carries straight on: raw again, session intact.
	term.send("\r")
	term.expect("root@simhost:~# ", 10*time.Second)
	term.send("~\x1a")
	term.expect("~^Z [suspend ipmictl]", 10*time.Second)
	term.send("echo resumed\r")
	term.expect("resumed\r\nroot@simhost:~# ", 10*time.Second)
	if solTermCanonical(t, term) {
		t.Error("the terminal is not raw again after ~^Z")
	}

	term.send("\r~.")
	term.expect("~. [terminated ipmictl]", 10*time.Second)
	if err := term.wait(10 * time.Second); err != nil {
		t.Fatalf("ipmictl exited with %v; terminal:\n%q", err, term.tail(400))
	}
	if solInstanceActive(t, sim) {
		t.Error("SOL instance 1 is still active after ~.")
	}
	if n := solActiveSessions(t, sim); n != baseline {
		t.Errorf("%d active sessions after ~., %d before: the session was not closed", n, baseline)
	}
	// ipmitool can take the console at once; the same seq 2000 through it.
	it := solStartTerm(t, "ipmitool", append(sim.IpmitoolArgs(), "sol", "activate")...)
	it.expect("[SOL Session operational.  Use ~? for help]", 15*time.Second)
	it.send("\r")
	it.expect("root@simhost:~# ", 10*time.Second)
	start = time.Now()
	it.send("seq 2000\r")
	it.expect("\r\n2000\r\nroot@simhost:~# ", 30*time.Second)
	theirs := time.Since(start)
	n := float64(len(solSeqText(2000)))
	t.Logf("seq 2000, console paced at 115200 baud: ipmictl %v (%.0f bytes/s), ipmitool %v (%.0f bytes/s)",
		elapsed.Round(time.Millisecond), n/elapsed.Seconds(), theirs.Round(time.Millisecond), n/theirs.Seconds())
	it.send("\r~.")
	it.expect("[terminated ipmitool]", 10*time.Second)
	it.wait(10 * time.Second)

	// SIGHUP (the terminal went away) and SIGTERM still restore the
	// terminal, deactivate the payload and close the session.
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		term := solStartTerm(t, bin, solIpmictlArgs(sim, "sol", "activate")...)
		term.expect("[SOL Session operational.  Use ~? for help]", 15*time.Second)
		term.send("\r")
		term.expect("root@simhost:~# ", 10*time.Second)
		if solTermCanonical(t, term) {
			t.Fatal("the terminal is not in raw mode during the session")
		}
		term.cmd.Process.Signal(sig)
		term.wait(10 * time.Second)
		if !solTermCanonical(t, term) {
			t.Errorf("%v: the terminal was left in raw mode", sig)
		}
		if solInstanceActive(t, sim) {
			t.Errorf("%v: SOL left active", sig)
		}
		if n := solActiveSessions(t, sim); n != baseline {
			t.Errorf("%v: %d active sessions, %d before", sig, n, baseline)
		}
	}
}

// solTermCanonical reports whether the pty is in canonical (cooked) mode.
func solTermCanonical(t *testing.T, term *solConsoleTerm) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(term.ptmx.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatalf("reading the terminal mode: %v", err)
	}
	return tio.Lflag&unix.ICANON != 0
}

func solSeqText(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d\r\n", i)
	}
	return b.String()
}

func solWaitUntil(t *testing.T, d time.Duration, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSolThroughputAgainstIpmitool times seq 2000 through ipmictl and
// ipmitool on one ipmi_sim whose console is not paced, so the SOL
// protocol is what is measured.
func TestSolThroughputAgainstIpmitool(t *testing.T) {
	sim := peers.StartIPMISim(t, peers.WithSOLBaud(4_000_000))
	bin := peers.BuildIpmictl(t)
	n := len(solSeqText(2000))
	run := func(name string, args []string, quit string) time.Duration {
		term := solStartTerm(t, name, args...)
		term.expect("[SOL Session operational.  Use ~? for help]", 15*time.Second)
		term.send("\r")
		term.expect("# ", 10*time.Second)
		if strings.Contains(term.output(), "login: ") {
			term.send("root\r")
			term.expect("Password: ", 10*time.Second)
			term.send("x\r")
			term.expect("root@simhost:~# ", 10*time.Second)
		}
		start := time.Now()
		term.send("seq 2000\r")
		term.expect("\r\n2000\r\nroot@simhost:~# ", 60*time.Second)
		d := time.Since(start)
		clitest.SolCheckLines(t, name, term.output(), 2000)
		term.send("\r~.")
		term.expect(quit, 10*time.Second)
		term.wait(10 * time.Second)
		return d
	}
	// Log in first so both runs start at a prompt.
	term := solStartTerm(t, bin, solIpmictlArgs(sim, "sol", "activate")...)
	term.expect("[SOL Session operational", 15*time.Second)
	term.send("\r")
	term.expect("login: ", 10*time.Second)
	term.send("root\r")
	term.expect("Password: ", 10*time.Second)
	term.send("x\r")
	term.expect("root@simhost:~# ", 10*time.Second)
	term.send("\r~.")
	term.wait(10 * time.Second)

	ours := run(bin, solIpmictlArgs(sim, "sol", "activate"), "[terminated ipmictl]")
	theirs := run("ipmitool", append(sim.IpmitoolArgs(), "sol", "activate"), "[terminated ipmitool]")
	t.Logf("seq 2000 (%d bytes), unpaced console: ipmictl %v (%.0f bytes/s), ipmitool %v (%.0f bytes/s)",
		n, ours.Round(time.Millisecond), float64(n)/ours.Seconds(), theirs.Round(time.Millisecond), float64(n)/theirs.Seconds())
	if ours > 3*theirs+time.Second {
		t.Errorf("ipmictl is much slower than ipmitool: %v vs %v", ours, theirs)
	}
}

// TestSolStreamAndLogOnIPMISim drives sol activate without a terminal:
// stdin goes to the console, output to stdout and a timestamped log.
func TestSolStreamAndLogOnIPMISim(t *testing.T) {
	sim := peers.StartIPMISim(t)
	bin := peers.BuildIpmictl(t)
	logPath := filepath.Join(t.TempDir(), "console.log")
	os.WriteFile(logPath, []byte("earlier line\n"), 0o600)
	cmd := exec.Command(bin, solIpmictlArgs(sim, "sol", "activate", "--log", logPath, "--linger", "1500ms")...)
	cmd.Stdin = strings.NewReader("\rroot\rpw\recho streamed-hello\rseq 300\r")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("sol activate: %v\nstderr: %s\nstdout: %q", err, errOut.String(), out.String())
	}
	if !strings.Contains(errOut.String(), "[SOL Session operational.  Use ~? for help]") {
		t.Errorf("no banner on stderr: %q", errOut.String())
	}
	if strings.Contains(out.String(), "SOL Session operational") {
		t.Error("the banner went to stdout, which carries only the console")
	}
	if !strings.Contains(out.String(), "streamed-hello\r\n") {
		t.Fatalf("stdout lacks the command's output:\n%q", out.String())
	}
	clitest.SolCheckLines(t, "stdout", out.String(), 300)
	logText, _ := os.ReadFile(logPath)
	lines := strings.Split(strings.TrimSuffix(string(logText), "\n"), "\n")
	if lines[0] != "earlier line" {
		t.Errorf("the log was not appended to: first line %q", lines[0])
	}
	stamp := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z `)
	seen := 0
	for _, l := range lines[1:] {
		if !stamp.MatchString(l) {
			t.Fatalf("log line without a timestamp: %q", l)
		}
		if strings.Contains(l, "\r") {
			t.Fatalf("log line keeps a CR: %q", l)
		}
		if strings.HasSuffix(l, " 300") || strings.HasSuffix(l, "streamed-hello") {
			seen++
		}
	}
	if seen < 2 {
		t.Errorf("log lacks the output lines:\n%s", logText)
	}
	if solInstanceActive(t, sim) {
		t.Error("SOL still active after stdin ended")
	}
}

// TestSolAlreadyActiveAndForce: a second activate is refused with a clear
// message; --force takes over; the first notices and leaves the new
// holder's payload alone; SIGTERM still deactivates and closes.
func TestSolAlreadyActiveAndForce(t *testing.T) {
	sim := peers.StartIPMISim(t)
	bin := peers.BuildIpmictl(t)
	baseline := solActiveSessions(t, sim)

	first := exec.Command(bin, solIpmictlArgs(sim, "sol", "activate", "--keepalive", "1s", "--linger", "-1s")...)
	firstIn, _ := first.StdinPipe()
	defer firstIn.Close()
	var firstErr clitest.SyncBuffer
	first.Stderr = &firstErr
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	firstDone := make(chan error, 1)
	go func() { firstDone <- first.Wait() }()
	solWaitUntil(t, 15*time.Second, func() bool { return strings.Contains(firstErr.String(), "SOL Session operational") }, "the first session")

	second := exec.Command(bin, solIpmictlArgs(sim, "sol", "activate")...)
	second.Stdin = strings.NewReader("")
	msg, err := second.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != cli.ExitBMC {
		t.Fatalf("second activate: %v, want exit status 1\n%s", err, msg)
	}
	if !strings.Contains(string(msg), "SOL payload already active on another session") || !strings.Contains(string(msg), "--force") {
		t.Errorf("second activate says %q", msg)
	}

	forced := exec.Command(bin, solIpmictlArgs(sim, "sol", "activate", "--force", "--linger", "-1s")...)
	forcedIn, _ := forced.StdinPipe()
	defer forcedIn.Close()
	var forcedErr clitest.SyncBuffer
	forced.Stderr = &forcedErr
	if err := forced.Start(); err != nil {
		t.Fatal(err)
	}
	solWaitUntil(t, 15*time.Second, func() bool { return strings.Contains(forcedErr.String(), "SOL Session operational") }, "the forced session")
	if !strings.Contains(forcedErr.String(), "was active: deactivated it") {
		t.Errorf("--force did not say it deactivated the other session: %q", forcedErr.String())
	}
	select {
	case err := <-firstDone:
		if err != nil {
			t.Errorf("first session exited with %v: %s", err, firstErr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("the first session did not notice the takeover: %s", firstErr.String())
	}
	if !solInstanceActive(t, sim) {
		t.Fatal("the first session's exit deactivated the forced session's payload")
	}
	forced.Process.Signal(syscall.SIGTERM)
	forced.Wait()
	if solInstanceActive(t, sim) {
		t.Error("SIGTERM left SOL active")
	}
	if n := solActiveSessions(t, sim); n != baseline {
		t.Errorf("%d active sessions after SIGTERM, %d before", n, baseline)
	}
}

// TestSolInfoMatchesIpmitoolOnIPMISim compares sol info (text and -c) with
// ipmitool's, "not supported ... defaulting" lines included.
func TestSolInfoMatchesIpmitoolOnIPMISim(t *testing.T) {
	sim := peers.StartIPMISim(t)
	bin := peers.BuildIpmictl(t)
	for _, args := range [][]string{{"sol", "info"}, {"sol", "info", "1"}, {"-c", "sol", "info", "1"}} {
		wantOut, wantErr, err := peers.Ipmitool(t, sim, args...)
		if err != nil {
			t.Fatalf("ipmitool %v: %v", args, err)
		}
		cmd := exec.Command(bin, solIpmictlArgs(sim, args...)...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("ipmictl %v: %v\n%s", args, err, errOut.String())
		}
		if out.String() != wantOut {
			t.Errorf("ipmictl %v stdout:\n%s\nipmitool:\n%s", args, out.String(), wantOut)
		}
		for _, l := range strings.Split(strings.TrimSpace(wantErr), "\n") {
			if strings.HasPrefix(l, "Info:") && !strings.Contains(errOut.String(), l+"\n") {
				t.Errorf("ipmictl %v stderr lacks ipmitool's %q:\n%s", args, l, errOut.String())
			}
		}
	}
}

// TestSolBurstAndHistoryOnIPMISim: a 20,000-line burst from the console
// arrives complete and in order; instance 2 replays the history.
func TestSolBurstAndHistoryOnIPMISim(t *testing.T) {
	sim := peers.StartIPMISim(t)
	bin := peers.BuildIpmictl(t)
	cmd := exec.Command(bin, solIpmictlArgs(sim, "sol", "activate", "--linger", "3s")...)
	cmd.Stdin = strings.NewReader("\rroot\rpw\rseq 20000\r")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("sol activate: %v\n%s", err, errOut.String())
	}
	clitest.SolCheckLines(t, "seq 20000 through ipmictl", out.String(), 20000)
	t.Logf("seq 20000 (%d bytes) in %v including login and 3 s linger", len(solSeqText(20000)), time.Since(start).Round(time.Millisecond))

	hist := exec.Command(bin, solIpmictlArgs(sim, "sol", "activate", "instance=2", "--linger", "2s")...)
	hist.Stdin = strings.NewReader("")
	out.Reset()
	errOut.Reset()
	hist.Stdout, hist.Stderr = &out, &errOut
	if err := hist.Run(); err != nil {
		t.Fatalf("sol activate instance=2: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "20000\r\n") || !strings.Contains(out.String(), "<End Of History>") {
		t.Errorf("history replay lacks the end of the burst or the end marker:\n%q", out.String()[max(0, out.Len()-300):])
	}
}

// TestSolOverLossyLinkToIPMISim runs a login and seq 300 through a UDP
// proxy that loses, duplicates and reorders packets both ways. ipmi_sim
// gives up on a packet after 5 sends, so the loss stays at 10% here; the
// in-memory peer in package sol covers 20%.
func TestSolOverLossyLinkToIPMISim(t *testing.T) {
	sim := peers.StartIPMISim(t)
	bin := peers.BuildIpmictl(t)
	px, err := udpproxy.New("127.0.0.1:0", sim.Addr, 42)
	if err != nil {
		t.Fatal(err)
	}
	defer px.Close()
	faults := udpproxy.Faults{Loss: 0.10, Duplicate: 0.05, Reorder: 0.05}
	px.SetFaults(udpproxy.ToServer, faults)
	px.SetFaults(udpproxy.ToClient, faults)
	args := []string{"-H", "127.0.0.1", "-p", strconv.Itoa(px.Addr().Port), "-U", "admin", "-P", "password", "-C", "3",
		"sol", "activate", "--linger", "5s"}
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader("\rroot\rpw\recho lossy-link\rseq 300\r")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("sol activate through the lossy proxy: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "lossy-link\r\n") {
		t.Fatalf("no echo through the lossy link:\n%q", out.String())
	}
	clitest.SolCheckLines(t, "seq 300 over a lossy link", out.String(), 300)
	st := px.Stats()
	t.Logf("proxy: dropped %v, duplicated %v, reordered %v (to BMC, to client)", st.Dropped, st.Duplicated, st.Reordered)
	if st.Dropped[0]+st.Dropped[1] == 0 {
		t.Error("the proxy dropped nothing: the test proves nothing")
	}
	if solInstanceActive(t, sim) {
		t.Error("SOL left active")
	}
}
