package solcmd

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

func TestSolEscaper(t *testing.T) {
	type step struct {
		a    solEscapeAction
		data string
	}
	cases := []struct {
		in   []string // fed chunk by chunk
		want []step
	}{
		{[]string{"ls\r"}, []step{{solSendData, "ls\r"}}},
		{[]string{"~."}, []step{{solQuit, ""}}},
		{[]string{"ab~.\r"}, []step{{solSendData, "ab~.\r"}}},                // mid-line: data
		{[]string{"a\r~.rest"}, []step{{solSendData, "a\r"}, {solQuit, ""}}}, // nothing after ~.
		{[]string{"~", "."}, []step{{solQuit, ""}}},                          // split across reads
		{[]string{"~B~B"}, []step{{solBreak, ""}, {solBreak, ""}}},           // still at line start
		{[]string{"~~x"}, []step{{solSendData, "~x"}}},
		{[]string{"~x"}, []step{{solSendData, "~x"}}},
		{[]string{"~?"}, []step{{solHelp, ""}}},
		{[]string{"\n~\x1a"}, []step{{solSendData, "\n"}, {solSuspend, ""}}},
		{[]string{"~~~."}, []step{{solSendData, "~~."}}}, // after a literal ~ we are mid-line
	}
	for _, c := range cases {
		e := newSolEscaper('~')
		var got []step
		for _, chunk := range c.in {
			for _, s := range e.feed([]byte(chunk)) {
				got = append(got, step{s.action, string(s.data)})
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%q: got %v, want %v", c.in, got, c.want)
		}
	}
	e := newSolEscaper('!')
	if s := e.feed([]byte("~.!.")); len(s) != 1 || s[0].action != solSendData || string(s[0].data) != "~.!." {
		t.Errorf("escape '!': %v", s)
	}
	if s := newSolEscaper('!').feed([]byte("!.")); len(s) != 1 || s[0].action != solQuit {
		t.Errorf("escape '!' quit: %v", s)
	}
}

func TestSolLogWriter(t *testing.T) {
	var buf bytes.Buffer
	l := newSolLogWriter(&buf)
	tick := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	l.now = func() time.Time { tick = tick.Add(time.Second); return tick }
	for _, chunk := range []string{"login: root\r", "\nPassword:", " \r\n\r\nprompt# a\rb", ""} {
		l.Write([]byte(chunk))
	}
	l.Close()
	want := "2026-11-23T10:00:01.000Z login: root\n" +
		"2026-11-23T10:00:02.000Z Password: \n" +
		"2026-11-23T10:00:03.000Z \n" +
		"2026-11-23T10:00:04.000Z prompt# a\rb\n"
	if buf.String() != want {
		t.Errorf("log:\n%q\nwant\n%q", buf.String(), want)
	}
}

// solParamBMC answers Get/Set SOL Configuration Parameters from a table
// and records the Sets.
type solParamBMC struct {
	mu     sync.Mutex
	params map[uint8][]byte // nil entry: 0x80 not supported
	sets   []string
	failOn uint8 // parameter whose Set fails with 0x80 (0 none)
}

func (b *solParamBMC) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case req.NetFn == ipmi.NetFnTransport && req.Cmd == 0x22:
		v, ok := b.params[req.Data[1]]
		if !ok || v == nil {
			return &ipmi.Response{Code: 0x80}, nil
		}
		return &ipmi.Response{Data: append([]byte{0x11}, v...)}, nil
	case req.NetFn == ipmi.NetFnTransport && req.Cmd == 0x21:
		b.sets = append(b.sets, fmt.Sprintf("% x", req.Data))
		if b.failOn != 0 && req.Data[1] == b.failOn {
			return &ipmi.Response{Code: 0x80}, nil
		}
		b.params[req.Data[1]] = append([]byte(nil), req.Data[2:]...)
		return &ipmi.Response{}, nil
	}
	return &ipmi.Response{Code: ipmi.CodeInvalidCommand}, nil
}

func (b *solParamBMC) Close() error { return nil }

func solFullParams() map[uint8][]byte {
	return map[uint8][]byte{0: {0}, 1: {1}, 2: {0xC4}, 3: {0x0C, 0x60}, 4: {0x07, 0x32}, 5: {0x0A}, 6: {0x09},
		7: {0x01}, 8: {0x6F, 0x02}}
}

func TestSolInfoText(t *testing.T) {
	b := &solParamBMC{params: solFullParams()}
	out, errOut, code := clitest.Run(t, b, "sol", "info", "1")
	want := `Set in progress                 : set-complete
Enabled                         : true
Force Encryption                : true
Force Authentication            : true
Privilege Level                 : ADMINISTRATOR
Character Accumulate Level (ms) : 60
Character Send Threshold        : 96
Retry Count                     : 7
Retry Interval (ms)             : 500
Volatile Bit Rate (kbps)        : 57.6
Non-Volatile Bit Rate (kbps)    : 115.2
Payload Channel                 : 1 (0x01)
Payload Port                    : 623
`
	if code != 0 || out != want || errOut != "" {
		t.Errorf("exit %d\n%s\nstderr %q", code, out, errOut)
	}
	out, _, _ = clitest.Run(t, b, "-c", "sol", "info", "1")
	if out != "set-complete,true,true,true,ADMINISTRATOR,60,96,7,500,57.6,115.2,1,623\n" {
		t.Errorf("-c: %q", out)
	}
	out, _, _ = clitest.Run(t, b, "-o", "json", "sol", "info", "1")
	for _, w := range []string{`"retry_interval_ms": 500`, `"privilege_level": "ADMINISTRATOR"`, `"set_in_progress": 0`,
		`"volatile_bit_rate_kbps": 57.6`, `"non_volatile_bit_rate_kbps": 115.2`} {
		if !strings.Contains(out, w) {
			t.Errorf("json lacks %s: %s", w, out)
		}
	}
	// Rate 0 means "use the IPMI-over-serial setting": no number.
	b.params[5] = []byte{0}
	if out, _, _ = clitest.Run(t, b, "-o", "json", "sol", "info", "1"); !strings.Contains(out, `"non_volatile_bit_rate_kbps": null`) {
		t.Errorf("json, serial setting: %s", out)
	}
	b.params[5] = []byte{0x0A}

	// Short and missing parameters: ipmitool's messages, zero values.
	b.params[3] = []byte{0x0C}
	b.params[2] = nil
	b.params[8] = nil
	_, errOut, code = clitest.Run(t, b, "sol", "info", "1")
	for _, w := range []string{"Error: Unexpected data length (2) received for SOL parameter 'Character Interval (3)'\n",
		"Info: SOL parameter 'Authentication (2)' not supported\n"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	// No LAN session: the payload port cannot be defaulted.
	if code != cli.ExitBMC || !strings.Contains(errOut, "can't determine which payload port to use on NULL session") {
		t.Errorf("exit %d, stderr %s", code, errOut)
	}
}

func TestSolSetIsGuardedAndKeepsOtherFields(t *testing.T) {
	b := &solParamBMC{params: solFullParams()}
	_, errOut, code := clitest.Run(t, b, "sol", "set", "retry-count", "3", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := []string{"01 00 01", "01 04 03 32", "01 00 02", "01 00 00"}
	if fmt.Sprint(b.sets) != fmt.Sprint(want) {
		t.Errorf("sets %q, want %q", b.sets, want)
	}
	b.sets = nil
	clitest.Run(t, b, "sol", "set", "force-encryption", "false", "1", "noguard")
	if fmt.Sprint(b.sets) != fmt.Sprint([]string{"01 02 44"}) {
		t.Errorf("noguard force-encryption false: %q", b.sets)
	}
	b.sets = nil
	clitest.Run(t, b, "sol", "set", "volatile-bit-rate", "serial")
	if fmt.Sprint(b.sets) != fmt.Sprint([]string{"0e 00 01", "0e 06 00", "0e 00 02", "0e 00 00"}) {
		t.Errorf("volatile-bit-rate serial: %q", b.sets)
	}

	// A refused write rolls back to set-complete without committing.
	b.sets, b.failOn = nil, 4
	_, errOut, code = clitest.Run(t, b, "sol", "set", "retry-interval", "20", "1")
	if code != cli.ExitBMC || !strings.Contains(errOut, "Error setting SOL parameter 'retry-interval': Parameter not supported") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if fmt.Sprint(b.sets) != fmt.Sprint([]string{"01 00 01", "01 04 03 14", "01 00 00"}) {
		t.Errorf("sets %q", b.sets)
	}

	for _, bad := range [][]string{{"enabled", "maybe"}, {"retry-count", "8"}, {"character-accumulate-level", "0"},
		{"privilege-level", "root"}, {"volatile-bit-rate", "300"}, {"bogus", "1"}} {
		_, errOut, code := clitest.Run(t, nil, append([]string{"sol", "set"}, bad...)...)
		if code != cli.ExitUsage || !strings.Contains(errOut, "nvalid") {
			t.Errorf("sol set %v: exit %d %q", bad, code, errOut)
		}
	}
}

// solRunCLI is runCLI with stdin and the real LAN transport.
func solRunCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	code := cli.Run(f, args)
	return out.String(), errOut.String(), code
}

// TestSolActivateOnBMCSim streams a login and seq 2000 through sol
// activate (no terminal) against the simulated BMC, then checks the
// payload was deactivated.
func TestSolActivateOnBMCSim(t *testing.T) {
	b := bmcsim.New()
	srv, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	base := []string{"-H", "127.0.0.1", "-p", strconv.Itoa(int(srv.Addr().Port())), "-U", "admin", "-P", "password"}
	out, errOut, code := solRunCLI(t, "\rroot\rpw\recho via-bmcsim\rseq 2000\r", append(base, "sol", "activate", "--linger", "1s")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "via-bmcsim\r\n") {
		t.Fatalf("output lacks the echo: %q", out)
	}
	clitest.SolCheckLines(t, "bmcsim console", out, 2000)
	out, errOut, code = solRunCLI(t, "", append(base, "raw", "6", "0x4a", "1")...)
	if code != 0 || strings.Fields(out)[1] != "00" {
		t.Errorf("after sol activate, Get Payload Activation Status: %q %s", out, errOut)
	}
	_, errOut, code = solRunCLI(t, "", append(base, "sol", "deactivate")...)
	if code != cli.ExitBMC || !strings.Contains(errOut, "already de-activated") {
		t.Errorf("deactivating an inactive payload: exit %d %q", code, errOut)
	}
	out, errOut, code = solRunCLI(t, "", append(base, "sol", "looptest", "3", "10")...)
	if code != 0 || strings.Count(out, "[SOL Session operational.  Use ~? for help]") != 3 ||
		!strings.Contains(out, "remain loop test counter: 1\n") {
		t.Errorf("looptest: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = solRunCLI(t, "", append(base, "sol", "payload", "status", "1", "2")...)
	if code != 0 || out != "User 2 on channel 1 is enabled\n" {
		t.Errorf("payload status: exit %d %q %s", code, out, errOut)
	}
}

// The simulated BMC's SOL side retransmits unacknowledged output and
// pushes new output on its own, so 20% loss each way only slows the
// console down.
func TestSolOverLossyLinkToBMCSim(t *testing.T) {
	if testing.Short() {
		t.Skip("lossy SOL: -short")
	}
	b := bmcsim.New()
	srv, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	base := []string{"-H", "127.0.0.1", "-p", strconv.Itoa(int(srv.Addr().Port())), "-U", "admin", "-P", "password", "-C", "3"}
	b.SetFaults(bmcsim.Faults{LossPercent: 20})
	out, errOut, code := solRunCLI(t, "\rroot\rpw\rseq 500\r", append(base, "-N", "1", "-R", "8", "sol", "activate", "--linger", "5s")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	clitest.SolCheckLines(t, "bmcsim console at 20% loss", out, 500)
}

// TestSolEscapeCharIsGlobal: ipmitool takes -e before the command
// (`ipmitool -e '&' ... sol activate`); so does ipmictl, and after it too.
func TestSolEscapeCharIsGlobal(t *testing.T) {
	for _, args := range [][]string{
		{"-e", "ab", "sol", "activate"},
		{"sol", "activate", "-e", "ab"},
	} {
		_, errOut, code := clitest.Run(t, clitest.NewFakeBMC(), args...)
		if code != cli.ExitUsage || !strings.Contains(errOut, `-e "ab": the escape character must be a single character`) {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
	f := clitest.NewFactory()
	root := cli.NewRootCmd(f)
	if err := root.ParseFlags([]string{"-e", "&"}); err != nil || f.Opts.EscapeChar != "&" {
		t.Errorf("-e &: %v, escape %q", err, f.Opts.EscapeChar)
	}
}
