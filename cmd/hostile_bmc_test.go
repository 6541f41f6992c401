package cmd

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/hostile"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// hostileCLICommands covers every command group's read side (and a few
// JSON forms, whose decoders differ from the text ones).
var hostileCLICommands = [][]string{
	{"mc", "info"}, {"mc", "guid"}, {"mc", "selftest"}, {"mc", "getenables"}, {"mc", "watchdog", "get"},
	{"mc", "getsysinfo", "system_name"},
	{"chassis", "status"}, {"chassis", "power", "status"}, {"chassis", "bootparam", "get", "5"},
	{"chassis", "poh"}, {"chassis", "restart_cause"},
	{"sdr", "list"}, {"sdr", "elist"}, {"sdr", "info"}, {"sdr", "type", "Temperature"}, {"sdr", "get", "CPU1 Temp"},
	{"sensor", "list"}, {"sensor", "get", "CPU1 Temp"}, {"sensor", "reading", "CPU1 Temp"},
	{"sel", "list"}, {"sel", "elist"}, {"sel", "info"}, {"sel", "time", "get"}, {"sel", "get", "1"},
	{"fru", "print"}, {"fru", "print", "0"},
	{"user", "list", "1"}, {"user", "summary", "1"},
	{"lan", "print", "1"},
	{"channel", "info"}, {"channel", "getaccess", "1"}, {"channel", "getciphers", "ipmi", "1"}, {"channel", "authcap", "1", "4"},
	{"session", "info", "active"}, {"session", "info", "all"},
	{"sol", "info", "1"}, {"sol", "payload", "status", "1", "2"},
	{"pef", "info"}, {"pef", "status"}, {"pef", "policy", "list"},
	{"-o", "json", "sdr", "list"}, {"-o", "json", "sel", "list"}, {"-o", "json", "fru", "print"},
	{"-o", "json", "session", "info", "all"}, {"-o", "json", "lan", "print", "1"},
}

// hostileRun runs the CLI on tr with a deadline, turning a panic into a
// test failure with its stack and measuring what the command allocated.
func hostileRun(t *testing.T, tr ipmi.Transport, args []string) (out, errOut string, code int, took time.Duration, alloc uint64) {
	t.Helper()
	var o, e bytes.Buffer
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &o, ErrOut: &e}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	f.Ctx = ctx
	f.Open = func(context.Context, *cli.Factory) (ipmi.Transport, error) { return tr, nil }
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Errorf("%v: panic: %v\n%s", args, p, debug.Stack())
				code = -1
			}
		}()
		code = cli.Run(f, append([]string{"--sdr-cache", "off"}, args...))
	}()
	took = time.Since(start)
	runtime.ReadMemStats(&after)
	return o.String(), e.String(), code, took, after.TotalAlloc - before.TotalAlloc
}

// ctxTransport stops a runaway command: once the test's deadline passes
// every request fails, so a loop that ignores its context still ends.
type ctxTransport struct {
	ipmi.Transport
	ctx context.Context
}

func (c ctxTransport) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	if err := c.ctx.Err(); err != nil {
		return nil, err
	}
	return c.Transport.Send(ctx, req)
}

// Every command against a BMC that lies in valid sessions (short, empty,
// oversized, all-ones, all-zeros, flipped, random answers; wrong
// completion codes; record walks that loop; huge counts) ends promptly
// with its output or a one-line error, exit 0, 1 or 3: never a panic, a
// stack trace, a usage error, or an allocation out of proportion. (A
// looping record walk stops at the first ID it has seen, as on BMCs whose
// last record points at itself: the time bound is what proves it stops.)
func TestHostileBMCCleanErrors(t *testing.T) {
	clitest.UTC(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	newBMC := func() *bmcsim.BMC {
		return bmcsim.New(bmcsim.WithClock(func() time.Time { return at }), bmcsim.WithSessionSlots(8))
	}
	// The commands are valid: each succeeds on an honest BMC.
	honest := newBMC()
	for _, c := range hostileCLICommands {
		if _, errOut, code, _, _ := hostileRun(t, honest.Transport("admin", ipmi.PrivilegeAdmin), c); code != 0 {
			t.Fatalf("%v on an honest BMC: exit %d: %s", c, code, errOut)
		}
	}
	names := make([]string, 0, len(hostile.Manglings))
	for n := range hostile.Manglings {
		names = append(names, n)
	}
	sort.Strings(names)
	const allocBound = 64 << 20 // what a command may allocate, whatever it is told
	var slowest time.Duration
	var maxAlloc uint64
	exits := map[int]int{}
	for i, name := range names {
		t.Run(name, func(t *testing.T) {
			b := newBMC()
			failed := 0
			for j, c := range hostileCLICommands {
				ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
				m := hostile.NewMangler(ctxTransport{b.Transport("admin", ipmi.PrivilegeAdmin), ctx}, hostile.Manglings[name], int64(i*100+j))
				out, errOut, code, took, alloc := hostileRun(t, m, c)
				cancel()
				exits[code]++
				if code != 0 {
					failed++
				}
				slowest, maxAlloc = max(slowest, took), max(maxAlloc, alloc)
				if msg := hostileBadEnding(out, errOut, code, took, alloc, allocBound, strings.Join(c, " ") == "session info all"); msg != "" {
					t.Errorf("%v: %s\nstdout:\n%s\nstderr:\n%s", c, msg, hostileClip(out), hostileClip(errOut))
				}
			}
			if failed == 0 {
				t.Errorf("no command noticed the %s BMC", name)
			}
		})
	}
	t.Logf("%d manglings × %d commands: exits %v; slowest %v; most allocated %d KiB",
		len(names), len(hostileCLICommands), exits, slowest.Round(time.Millisecond), maxAlloc>>10)
}

// hostileBadEnding says what is wrong with how a command ended, or "".
// (Commands print ipmitool's own messages, not always "ipmictl: ...";
// quiet is for the one failure ipmitool makes silent: session info all
// stops without a word at a reply that lacks the slot counters.)
func hostileBadEnding(out, errOut string, code int, took time.Duration, alloc, allocBound uint64, quiet bool) string {
	switch {
	case took > 3*time.Second:
		return fmt.Sprintf("took %v: a loop the command did not break", took)
	case alloc > allocBound:
		return fmt.Sprintf("allocated %d MiB", alloc>>20)
	case strings.Contains(errOut+out, "goroutine ") || strings.Contains(errOut+out, "panic:"):
		return "a stack trace"
	case code != 0 && code != cli.ExitBMC && code != cli.ExitConnection:
		return fmt.Sprintf("exit %d (want 0, 1 or 3)", code)
	case code != 0 && strings.TrimSpace(errOut) == "" && strings.TrimSpace(out) == "" && !quiet:
		return "failed without a word"
	}
	return ""
}

func hostileClip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
