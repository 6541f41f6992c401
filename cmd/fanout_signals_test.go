package cmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
)

// slowBMC answers Get Chassis Status (power on) after delay, or never
// (until the request's context ends) when delay is negative, and counts
// closes.
type slowBMC struct {
	delay  time.Duration
	closed *atomic.Int64
}

func (b *slowBMC) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	wait := make(<-chan time.Time)
	if b.delay >= 0 {
		wait = time.After(b.delay)
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-wait:
	}
	if req.NetFn == ipmi.NetFnChassis && req.Cmd == 0x01 {
		return &ipmi.Response{Data: []byte{1, 0, 0, 0}}, nil
	}
	return &ipmi.Response{Code: ipmi.CodeInvalidCommand}, nil
}

func (b *slowBMC) Close() error { b.closed.Add(1); return nil }

// screen is a terminal stand-in for stdout and stderr together: "\r\x1b[K"
// erases the current line, "\n" ends it.
type screen struct {
	mu    sync.Mutex
	lines []string
	cur   string
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	text := string(p)
	for text != "" {
		switch {
		case strings.HasPrefix(text, "\r\x1b[K"):
			s.cur = ""
			text = text[4:]
		case text[0] == '\n':
			s.lines = append(s.lines, s.cur)
			s.cur = ""
			text = text[1:]
		default:
			i := strings.IndexAny(text, "\r\n")
			if i < 0 {
				i = len(text)
			}
			s.cur += text[:i]
			text = text[i:]
		}
	}
	return len(p), nil
}

func (s *screen) state() ([]string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...), s.cur
}

// TestFanoutProgressStaysBelowOutput: on a terminal, the progress line is
// drawn again under each host's output, so it stays visible while the
// remaining hosts work, and it is gone when the run ends.
func TestFanoutProgressStaysBelowOutput(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("IPMI_PASSWORD", "x")
	scr := &screen{}
	var closed atomic.Int64
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: scr, ErrOut: scr}
	f.Open = func(ctx context.Context, cf *cli.Factory) (ipmi.Transport, error) {
		d := time.Duration(0)
		if cf.Opts.Host == "slow" {
			d = 1500 * time.Millisecond
		}
		return &slowBMC{delay: d, closed: &closed}, nil
	}
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(f, []string{"-E", "--progress", "always", "-H", "fast1,fast2,slow", "chassis", "power", "status"})
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		lines, _ := scr.state()
		if strings.Count(strings.Join(lines, "\n"), "Chassis Power is on") == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the fast hosts did not answer: %q", lines)
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	lines, cur := scr.state()
	if !strings.HasPrefix(cur, "2/3 hosts done, 0 failed") {
		t.Errorf("while the slow host works, the last line is %q, want the progress line 2/3 (output so far %q)", cur, lines)
	}
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines, cur = scr.state()
	if cur != "" || len(lines) != 3 || lines[2] != "slow: Chassis Power is on" {
		t.Errorf("after the run: lines %q, current line %q", lines, cur)
	}
}

// TestSingleHostProgressOnSlowRead: a read that takes over a second shows
// the requests made so far on stderr when asked (a terminal, or
// --progress always), and erases it before exiting; scripts (stderr not a
// terminal) never see it.
func TestSingleHostProgressOnSlowRead(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	run := func(progress string) (string, string, int) {
		var out, errOut bytes.Buffer
		var closed atomic.Int64
		f := clitest.NewFactory()
		f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}
		f.Open = func(ctx context.Context, cf *cli.Factory) (ipmi.Transport, error) {
			return &slowBMC{delay: 1400 * time.Millisecond, closed: &closed}, nil
		}
		code := cli.Run(f, []string{"-H", "bmc", "-P", "x", "--progress", progress, "chassis", "power", "status"})
		return out.String(), errOut.String(), code
	}
	out, errOut, code := run("always")
	if code != 0 || out != "Chassis Power is on\n" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if !strings.Contains(errOut, "ipmictl: 1 request to the BMC, 1s") || !strings.HasSuffix(errOut, "\r\x1b[K") {
		t.Errorf("stderr %q: want the progress line, erased at the end", errOut)
	}
	if _, errOut, _ := run("auto"); errOut != "" {
		t.Errorf("--progress auto with stderr not a terminal printed %q", errOut)
	}
}

// TestFanoutInterruptPrintsOneSummary: Ctrl-C in a big fan-out starts no
// more hosts, closes the started hosts' sessions, prints a single summary
// line (not one "interrupted" per host) and exits 130 within a second.
func TestFanoutInterruptPrintsOneSummary(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("IPMI_PASSWORD", "x")
	for _, c := range []struct {
		hosts string
		total int
	}{{"n[1-200]", 200}, {"n[1-50000]\nm[1-50000]\n", 100000}} {
		t.Run(strconv.Itoa(c.total), func(t *testing.T) {
			hostArgs := []string{"-H", c.hosts}
			if strings.Contains(c.hosts, "\n") {
				file := filepath.Join(t.TempDir(), "hosts")
				clitest.WriteFile(t, file, c.hosts, 0o644)
				hostArgs = []string{"--hosts-file", file}
			}
			var out, errOut clitest.SyncBuffer
			var opened, closed atomic.Int64
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f := clitest.NewFactory()
			f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}
			f.Ctx = ctx
			f.Open = func(ctx context.Context, cf *cli.Factory) (ipmi.Transport, error) {
				opened.Add(1)
				d := time.Duration(-1) // hangs until interrupted
				if n, _ := strconv.Atoi(strings.TrimPrefix(cf.Opts.Host, "n")); n >= 1 && n <= 10 {
					d = 0
				}
				return &slowBMC{delay: d, closed: &closed}, nil
			}
			done := make(chan int, 1)
			go func() {
				done <- cli.Run(f, append(append([]string{"-E", "--fanout", "64"}, hostArgs...), "chassis", "power", "status"))
			}()
			for deadline := time.Now().Add(10 * time.Second); strings.Count(out.String(), "\n") < 10; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("ten hosts did not answer: %q %q", out.String(), errOut.String())
				}
			}
			for deadline := time.Now().Add(5 * time.Second); opened.Load() < 74 && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(100 * time.Millisecond)
			start := time.Now()
			cancel()
			var code int
			select {
			case code = <-done:
			case <-time.After(3 * time.Second):
				t.Fatal("the fan-out did not stop within 3 s of the interrupt")
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("stopping took %v, want under a second", d)
			}
			if code != cli.ExitInterrupted {
				t.Errorf("exit %d, want 130", code)
			}
			want := fmt.Sprintf("ipmictl: interrupted: 10 hosts done, 0 failed, 64 stopped, %d not started\n", c.total-74)
			if errOut.String() != want {
				t.Errorf("stderr %q\nwant   %q", errOut.String(), want)
			}
			if n := strings.Count(out.String(), "\n"); n != 10 {
				t.Errorf("%d output lines, want the 10 hosts that answered", n)
			}
			if opened.Load() != 74 || closed.Load() != opened.Load() {
				t.Errorf("%d sessions opened, %d closed; want 74 and every one closed", opened.Load(), closed.Load())
			}
		})
	}
}

// TestHostListBound: -H ranges and --hosts-file together may name at most
// --max-hosts hosts (100,000 by default). The limit is checked while the
// file is read, so a file naming 13 million hosts fails at once, in little
// memory, with exit 2.
func TestHostListBound(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge")
	var b strings.Builder
	for i := range 200 { // 200 × 65535 = 13.1 million hosts
		fmt.Fprintf(&b, "rack%d-n[1-65535]\n", i)
	}
	clitest.WriteFile(t, huge, b.String(), 0o644)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, errOut, code, opened := runFanoutCLI(t, "--hosts-file", huge, "chassis", "power", "status")
	runtime.ReadMemStats(&after)
	if code != cli.ExitUsage || opened != 0 {
		t.Fatalf("exit %d, %d sessions; want 2 before any work", code, opened)
	}
	if !regexp.MustCompile(`--hosts-file .*huge line 2: the host list holds more than 100000 hosts \(--max-hosts\)`).MatchString(errOut) {
		t.Errorf("stderr %q", errOut)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("refusing took %v", d)
	}
	if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 200 {
		t.Errorf("refusing allocated %d MB", mb)
	}

	// Ranges on -H count with the file; --max-hosts moves the limit.
	small := filepath.Join(dir, "small")
	clitest.WriteFile(t, small, "b[1-400]\n", 0o644)
	_, errOut, code, _ = runFanoutCLI(t, "--max-hosts", "1000", "-H", "a[1-700]", "--hosts-file", small, "chassis", "power", "status")
	if code != cli.ExitUsage || !strings.Contains(errOut, "more than 1000 hosts") {
		t.Errorf("700 + 400 hosts over --max-hosts 1000: exit %d, stderr %q", code, errOut)
	}
	_, _, code, opened = runFanoutCLI(t, "--max-hosts", "1100", "-H", "a[1-700]", "--hosts-file", small, "chassis", "power", "status")
	if code != 0 || opened != 1100 {
		t.Errorf("--max-hosts 1100: exit %d, %d sessions", code, opened)
	}
	_, errOut, code, _ = runFanoutCLI(t, "--max-hosts", "0", "-H", "a[1-2]", "chassis", "power", "status")
	if code != cli.ExitUsage || !strings.Contains(errOut, "--max-hosts 0") {
		t.Errorf("--max-hosts 0: exit %d, stderr %q", code, errOut)
	}
	_ = os.Remove(huge)
}
