package execcmd

import (
	"bytes"
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/rmcp"
)

// execCLI runs ipmictl with stdin in and counts how often a session was
// opened on tr.
func execCLI(t *testing.T, tr ipmi.Transport, in io.Reader, args ...string) (out, errOut string, code int, opens int) {
	t.Helper()
	var o, e bytes.Buffer
	var n atomic.Int32
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{In: in, Out: &o, ErrOut: &e}
	f.Open = func(ctx context.Context, _ *cli.Factory) (ipmi.Transport, error) {
		n.Add(1)
		return tr, nil
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	code = cli.Run(f, args)
	return o.String(), e.String(), code, int(n.Load())
}

func TestExecRunsEveryLineOnOneSession(t *testing.T) {
	bmc := clitest.SimReplies()
	script := clitest.WriteScript(t,
		"# power first",
		"chassis power status",
		"",
		"   -o json mc info   # per-line output format",
		"mc info",
		"'chassis' \"power\" status",
	)
	out, errOut, code, opens := execCLI(t, bmc, nil, "-H", "bmc", "-U", "admin", "-P", "x", "exec", script)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if opens != 1 {
		t.Errorf("opened %d sessions, want 1", opens)
	}
	if !bmc.Closed {
		t.Error("the session was not closed at the end")
	}
	info := clitest.Golden(t, "mc_info.txt")
	want := "Chassis Power is on\n"
	if !strings.HasPrefix(out, want) || !strings.HasSuffix(out, info+want) {
		t.Errorf("output:\n%s", out)
	}
	if !strings.Contains(out, `"manufacturer_id":`) || strings.Count(out, "Device ID                 :") != 1 {
		t.Errorf("-o json applied to the wrong lines:\n%s", out)
	}
}

func TestExecStopsAtFirstErrorNamingTheLine(t *testing.T) {
	script := clitest.WriteScript(t, "chassis power status", "bogus-cmd", "mc reset lukewarm", "chassis power status")
	bmc := clitest.SimReplies()
	out, errOut, code, _ := execCLI(t, bmc, nil, "-H", "bmc", "exec", script)
	if code != cli.ExitUsage {
		t.Errorf("exit %d, want %d", code, cli.ExitUsage)
	}
	if strings.Count(out, "Chassis Power is on") != 1 {
		t.Errorf("ran past the failing line:\n%s", out)
	}
	if !strings.Contains(errOut, "line 2: bogus-cmd: unknown command") {
		t.Errorf("stderr does not name the line: %q", errOut)
	}

	bmc = clitest.SimReplies()
	out, errOut, code, _ = execCLI(t, bmc, nil, "-H", "bmc", "exec", "--keep-going", script)
	if code != cli.ExitUsage || strings.Count(out, "Chassis Power is on") != 2 {
		t.Errorf("--keep-going: exit %d, out %q", code, out)
	}
	for _, w := range []string{"line 2: bogus-cmd: unknown command", `line 3: mc reset lukewarm: mc reset "lukewarm"`} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q: %q", w, errOut)
		}
	}
}

func TestExecExitStatusIsTheWorst(t *testing.T) {
	bmc := clitest.SimReplies().On(ipmi.NetFnApp, 0x04, 0, 0x57, 0x80) // self test: device corrupted
	script := clitest.WriteScript(t, "mc selftest", "'unterminated", "chassis power status")
	_, errOut, code, _ := execCLI(t, bmc, nil, "-H", "bmc", "exec", "--keep-going", script)
	if code != cli.ExitUsage {
		t.Errorf("exit %d, want %d (worst of 1 and 2): %s", code, cli.ExitUsage, errOut)
	}
	for _, w := range []string{"line 1: mc selftest: exit status 1", "line 2: unterminated ' quote"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q: %q", w, errOut)
		}
	}
}

func TestExecReadsStdinAndStopsAtExit(t *testing.T) {
	bmc := clitest.SimReplies()
	in := strings.NewReader("chassis power status\nquit\nmc info\n")
	out, errOut, code, _ := execCLI(t, bmc, in, "-H", "bmc", "exec", "-")
	if code != 0 || out != "Chassis Power is on\n" {
		t.Errorf("exit %d out %q err %q", code, out, errOut)
	}
}

func TestExecRefusesNestingAndHostLists(t *testing.T) {
	script := clitest.WriteScript(t, "exec other")
	_, errOut, code, _ := execCLI(t, clitest.SimReplies(), nil, "-H", "bmc", "exec", script)
	if code != cli.ExitUsage || !strings.Contains(errOut, "cannot run inside exec") {
		t.Errorf("nested exec: exit %d %q", code, errOut)
	}
	_, errOut, code, _ = execCLI(t, clitest.SimReplies(), nil, "-H", "bmc1,bmc2", "exec", script)
	if code != cli.ExitUsage || !strings.Contains(errOut, "one BMC at a time") {
		t.Errorf("exec over a host list: exit %d %q", code, errOut)
	}
}

func TestExecLineWithOtherHostGetsItsOwnSession(t *testing.T) {
	shared := clitest.SimReplies()
	other := clitest.SimReplies()
	var o, e bytes.Buffer
	var hosts []string
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{Out: &o, ErrOut: &e}
	f.Open = func(ctx context.Context, cf *cli.Factory) (ipmi.Transport, error) {
		hosts = append(hosts, cf.Opts.Host)
		if cf.Opts.Host == "other" {
			return other, nil
		}
		return shared, nil
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	script := clitest.WriteScript(t, "chassis power status", "-H other chassis power status", "chassis power status")
	if code := cli.Run(f, []string{"-H", "bmc", "exec", script}); code != 0 {
		t.Fatalf("exit %d: %s", code, e.String())
	}
	if !reflect.DeepEqual(hosts, []string{"bmc", "other"}) {
		t.Errorf("sessions opened for %v, want [bmc other]", hosts)
	}
	if !other.Closed || !shared.Closed {
		t.Errorf("closed: other %v shared %v", other.Closed, shared.Closed)
	}
	if len(shared.Sent) != 2 || len(other.Sent) != 1 {
		t.Errorf("requests: shared %d other %d", len(shared.Sent), len(other.Sent))
	}
}

func TestExecSplitLine(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{"  # only a comment", nil, false},
		{"sdr get 'CPU1 Temp'", []string{"sdr", "get", "CPU1 Temp"}, false},
		{`fru edit 0 field p 0 "Acme \"X\" \\ 1"`, []string{"fru", "edit", "0", "field", "p", "0", `Acme "X" \ 1`}, false},
		{`a\ b c#d # tail`, []string{"a b", "c#d"}, false},
		{`x''y ""`, []string{"xy", ""}, false},
		{"tab\tsep", []string{"tab", "sep"}, false},
		{`"open`, nil, true},
		{`'open`, nil, true},
		{`end\`, nil, true},
	}
	for _, c := range cases {
		got, err := cli.ExecSplitLine(c.in)
		if (err != nil) != c.err || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %q, %v; want %q, err %v", c.in, got, err, c.want, c.err)
		}
	}
}

func FuzzExecSplitLine(f *testing.F) {
	for _, s := range []string{"sdr get 'CPU1 Temp'", `a "b\"c" d\ e # f`, `'`, `"\`, "x\ty"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words, err := cli.ExecSplitLine(s)
		if err != nil {
			return
		}
		// Words re-quoted with single quotes split back to themselves.
		var b strings.Builder
		for _, w := range words {
			b.WriteString("'" + strings.ReplaceAll(w, "'", `'\''`) + "' ")
		}
		again, err := cli.ExecSplitLine(b.String())
		if err != nil || !reflect.DeepEqual(again, words) {
			t.Fatalf("%q -> %q -> %q (%v)", s, words, again, err)
		}
	})
}

// flakyBMC answers like simReplies but fails Get Device ID while broken,
// as a BMC that dropped the session does.
type flakyBMC struct {
	*clitest.FakeBMC
	mu     sync.Mutex
	broken bool
}

func (b *flakyBMC) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	b.mu.Lock()
	broken := b.broken
	b.mu.Unlock()
	if broken {
		return nil, errors.New("no reply after 5 tries")
	}
	return b.FakeBMC.Send(ctx, req)
}

func (b *flakyBMC) count(netfn ipmi.NetFn, cmd uint8) int {
	b.FakeBMC.Mu.Lock()
	defer b.FakeBMC.Mu.Unlock()
	n := 0
	for _, r := range b.FakeBMC.Sent {
		if r.NetFn == netfn && r.Cmd == cmd {
			n++
		}
	}
	return n
}

func TestExecKeepaliveAndReopen(t *testing.T) {
	old := cli.ExecKeepaliveIdle
	cli.ExecKeepaliveIdle = 40 * time.Millisecond
	defer func() { cli.ExecKeepaliveIdle = old }()

	bmc := &flakyBMC{FakeBMC: clitest.SimReplies()}
	pr, pw := io.Pipe()
	type result struct {
		out, errOut string
		code, opens int
	}
	done := make(chan result)
	go func() {
		o, e, c, n := execCLI(t, bmc, pr, "-H", "bmc", "exec", "-")
		done <- result{o, e, c, n}
	}()
	io.WriteString(pw, "chassis power status\n")
	waitFor(t, func() bool { return bmc.count(ipmi.NetFnApp, 0x01) >= 1 }, "a keepalive Get Device ID on the idle session")

	bmc.mu.Lock()
	bmc.broken = true // the BMC dropped the session
	bmc.mu.Unlock()
	waitFor(t, func() bool {
		bmc.FakeBMC.Mu.Lock()
		defer bmc.FakeBMC.Mu.Unlock()
		return bmc.Closed
	}, "the keepalive to find the session lost and close it")
	bmc.mu.Lock()
	bmc.broken = false
	bmc.mu.Unlock()
	io.WriteString(pw, "chassis power status\n")
	pw.Close()
	r := <-done
	if r.code != 0 || r.out != "Chassis Power is on\nChassis Power is on\n" {
		t.Fatalf("exit %d out %q err %q", r.code, r.out, r.errOut)
	}
	if r.opens != 2 || !strings.Contains(r.errOut, "session was lost") {
		t.Errorf("opens %d (want 2: the lost session is reopened), stderr %q", r.opens, r.errOut)
	}
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// lostOnceBMC times out on its first request, as a BMC that dropped the
// session does, then answers.
type lostOnceBMC struct {
	*clitest.FakeBMC
	lost atomic.Bool
}

func (b *lostOnceBMC) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	if b.lost.CompareAndSwap(false, true) {
		return nil, &rmcp.TimeoutError{Addr: "bmc:623", Op: "Get Chassis Status", Tries: 5, PerTry: time.Second}
	}
	return b.FakeBMC.Send(ctx, req)
}

func TestExecReopensAfterALostSession(t *testing.T) {
	bmc := &lostOnceBMC{FakeBMC: clitest.SimReplies()}
	script := clitest.WriteScript(t, "chassis power status", "chassis power status")
	out, errOut, code, opens := execCLI(t, bmc, nil, "-H", "bmc", "exec", "--keep-going", script)
	if code != cli.ExitBMC || out != "Chassis Power is on\n" || opens != 2 {
		t.Errorf("exit %d opens %d out %q", code, opens, out)
	}
	if !strings.Contains(errOut, "line 1: chassis power status: ") || !strings.Contains(errOut, "session was lost; the next command opens a new one") {
		t.Errorf("stderr %q", errOut)
	}
}

func TestExecLinesKeepTheParentsFlagsOverEnvironment(t *testing.T) {
	t.Setenv("IPMICTL_OUTPUT", "json")
	script := clitest.WriteScript(t, "chassis power status", "-o json chassis power status")
	out, errOut, code, _ := execCLI(t, clitest.SimReplies(), nil, "-H", "bmc", "-o", "text", "exec", script)
	if code != 0 || !strings.HasPrefix(out, "Chassis Power is on\n{") {
		t.Errorf("-o text beside IPMICTL_OUTPUT=json: exit %d %q %s", code, out, errOut)
	}
	out, _, _, _ = execCLI(t, clitest.SimReplies(), nil, "-H", "bmc", "exec", script)
	if strings.Contains(out, "Chassis Power is on") {
		t.Errorf("IPMICTL_OUTPUT=json ignored without -o: %q", out)
	}
}

// A failing line is shown with its secrets masked, and an error text
// that quotes one has it masked too. Before, a line with -P lost its
// text, and -k, -y and password arguments were echoed.
func TestExecErrorsDoNotEchoPasswords(t *testing.T) {
	for line, shown := range map[string]string{
		"-P s3cret bogus-cmd":               "-P **** bogus-cmd",
		"-Ps3cret bogus-cmd":                "-P**** bogus-cmd",
		"--password=s3cret bogus-cmd":       "--password=**** bogus-cmd",
		"-k s3cret bogus-cmd":               "-k **** bogus-cmd",
		"-ks3cret bogus-cmd":                "-k**** bogus-cmd",
		"--kg-key=s3cret bogus-cmd":         "--kg-key=**** bogus-cmd",
		"-y 5e3c4e7 bogus-cmd":              "-y **** bogus-cmd",
		"-vEks3cret bogus-cmd":              "-vEk**** bogus-cmd",
		"lan set 1 password s3cret extra":   "lan set 1 password **** extra",
		"user set password 2 's3cret pw' 7": "user set password 2 **** 7",
		"user test 2 16 s3cret extra":       "user test 2 16 **** extra",
		"-P s3cret mc reset s3cret":         "-P **** mc reset s3cret",
	} {
		script := clitest.WriteScript(t, line)
		_, errOut, code, _ := execCLI(t, clitest.SimReplies(), nil, "-H", "bmc", "exec", script)
		if code == 0 || strings.Contains(errOut, "s3cret") || strings.Contains(errOut, "5e3c4e7") {
			t.Errorf("%q: exit %d, a secret in stderr %q", line, code, errOut)
		}
		if want := "ipmictl: line 1: " + strings.ReplaceAll(shown, "s3cret", "****") + ": "; !strings.HasPrefix(errOut, want) {
			t.Errorf("%q: stderr %q, want it to start %q", line, errOut, want)
		}
	}
}
