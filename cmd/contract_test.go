package cmd

// The scripting contract, checked by walking the whole command tree: every
// leaf in every output format either renders against the simulated BMC or
// is refused with exit 2 before anything is sent; every group refuses a
// mistyped subcommand with exit 2; every bad global flag value is exit 2
// in our words, before the network.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
	"github.com/ipmictl/ipmictl/rmcp"
)

// countingTransport counts the requests that reach the BMC.
type countingTransport struct {
	ipmi.Transport
	n *atomic.Int64
}

func (c countingTransport) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	c.n.Add(1)
	return c.Transport.Send(ctx, req)
}

// overrideTransport answers what the simulated BMC does not implement
// (DCMI, LAN statistics, I2C) from answer, when it returns non-nil.
type overrideTransport struct {
	ipmi.Transport
	answer func(*ipmi.Request) *ipmi.Response
}

func (o overrideTransport) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	if o.answer != nil {
		if r := o.answer(req); r != nil {
			return r, nil
		}
	}
	return o.Transport.Send(ctx, req)
}

// countingBackend counts the requests that reach a BMC served over LAN.
type countingBackend struct {
	bmcsimBackend
	n *atomic.Int64
}

// bmcsimBackend is everything bmcsim's LAN backend offers the server
// (sessions, SOL), so the counter hides none of it.
type bmcsimBackend interface {
	rmcp.Backend
	rmcp.SOLBackend
	SessionSlotFree() bool
	OpenSession(s rmcp.ServerSession) error
	CloseSession(id uint32)
	SessionActive(id uint32) bool
	SystemGUID() [16]byte
	PacketFate() rmcp.PacketFate
}

func (c countingBackend) ServeIPMI(ctx context.Context, id uint32, req *ipmi.Request) *ipmi.Response {
	c.n.Add(1)
	return c.bmcsimBackend.ServeIPMI(ctx, id, req)
}

// contractRun runs args against a fresh simulated BMC and reports the
// output, the exit status and how many requests reached the BMC. dir is
// where {dir} in args points.
func contractRun(t *testing.T, b *bmcsim.BMC, answer func(*ipmi.Request) *ipmi.Response, env map[string]string, args ...string) (string, string, int, int64) {
	t.Helper()
	var out, errOut bytes.Buffer
	var sent atomic.Int64
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}
	f.Open = func(ctx context.Context, _ *cli.Factory) (ipmi.Transport, error) {
		return &countingTransport{&overrideTransport{b.Transport("admin", ipmi.PrivilegeAdmin), answer}, &sent}, nil
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for k, v := range env {
		t.Setenv(k, v)
	}
	code := cli.Run(f, args)
	return out.String(), errOut.String(), code, sent.Load()
}

// contractSample is one way to run a leaf: its arguments ({dir} is a
// directory of the test) and command lines to run first, on the same BMC.
type contractSample struct {
	args  []string
	setup [][]string
	// answer stands in for what bmcsim lacks.
	answer func(*ipmi.Request) *ipmi.Response
	// lan runs the command over RMCP+ to bmcsim served on loopback, for
	// commands that need more than a transport (ping, SOL).
	lan bool
}

func s(args ...string) contractSample { return contractSample{args: args} }

// contractSamples are arguments for every runnable command, by path. A
// command missing here fails TestContractEveryLeafEveryFormat: add it.
var contractSamples = map[string][]contractSample{
	"audit":                 {s()},
	"channel authcap":       {s("1", "ADMINISTRATOR")},
	"channel getaccess":     {s("1"), s("1", "2")},
	"channel getciphers":    {s("ipmi"), s("sol", "1")},
	"channel info":          {s(), s("1")},
	"channel setaccess":     {s("1", "3", "privilege=3")},
	"chassis bootdev":       {s("pxe")},
	"chassis bootparam get": {s("5")},
	"chassis bootparam set": {s("bootflag", "pxe")},
	"chassis identify":      {s(), s("0")},
	"chassis poh":           {s()},
	"chassis policy":        {s("list"), s("always-on")},
	"chassis power":         {s("status"), s("on"), s("off"), s("cycle")},
	"chassis restart_cause": {s()},
	"chassis selftest":      {s()},
	"chassis status":        {s()},
	"dcmi discover":         {{answer: dcmiAnswers}},
	"dcmi power get_limit":  {{answer: dcmiAnswers}},
	"dcmi power reading":    {{answer: dcmiAnswers}},
	"event":                 {s("1")},
	"exec":                  {{args: []string{"{dir}/script"}, setup: [][]string{{"!write", "{dir}/script", "chassis power status\nchassis power on\n"}}}},
	"fru":                   {s()},
	"fru edit":              {s("0", "field", "p", "0", "ACME")},
	"fru print":             {s(), s("0")},
	"fru read":              {s("0", "{dir}/fru.bin")},
	"fru write":             {{args: []string{"0", "{dir}/fru.bin"}, setup: [][]string{{"fru", "read", "0", "{dir}/fru.bin"}}}},
	"i2c":                   {{args: []string{"0xa0", "1"}, answer: answerWith(ipmi.NetFnApp, 0x52, 0x5a)}},
	"lan alert print":       {s(), s("1", "1")},
	"lan alert set":         {s("1", "1", "ipaddr", "10.0.0.7")},
	"lan print":             {s(), s("1")},
	"lan set":               {s("1", "ipaddr", "10.0.0.9")},
	"lan stats clear":       {{answer: answerWith(ipmi.NetFnTransport, ipmi.CmdGetIPStatistics)}},
	"lan stats get":         {{answer: answerWith(ipmi.NetFnTransport, ipmi.CmdGetIPStatistics, make([]byte, 18)...)}},
	"lan6 print":            {s()},
	"lan6 set":              {{args: []string{"1", "enables", "both"}, answer: lan6Answers}},
	"mc getenables":         {s()},
	"mc getsysinfo":         {s("system_name")},
	"mc guid":               {s()},
	"mc info":               {s()},
	"mc reset":              {s("warm")},
	"mc selftest":           {s()},
	"mc setenables":         {s("system_event_log=on")},
	"mc setsysinfo":         {s("system_name", "node7")},
	"mc watchdog get":       {s()},
	"mc watchdog off":       {s()},
	"mc watchdog reset":     {{args: nil, setup: [][]string{{"mc", "watchdog", "set", "timeout=600"}}}},
	"mc watchdog set":       {s("timeout=600")},
	"pef filter list":       {s()},
	"pef info":              {s()},
	"pef list":              {s()},
	"pef policy":            {s(), s("list")},
	"pef status":            {s()},
	"ping":                  {{lan: true}},
	"power":                 {s("status"), s("on")},
	"raw":                   {s("0x06", "0x01")},
	"sdr":                   {s()},
	"sdr dump":              {s("{dir}/sdr.bin")},
	"sdr elist":             {s(), s("full")},
	"sdr entity":            {s("7")},
	"sdr get":               {s("CPU1 Temp")},
	"sdr info":              {s()},
	"sdr list":              {s(), s("compact")},
	"sdr type":              {s(), s("Temperature")},
	"sel":                   {s()},
	"sel add":               {{args: []string{"{dir}/events"}, setup: [][]string{{"!write", "{dir}/events", "0x04 0x01 0x01 0x6f 0x01 0xff 0xff\n"}}}},
	"sel clear":             {s()},
	"sel delete":            {s("1")},
	"sel elist":             {s(), s("last", "2")},
	"sel get":               {s("1")},
	"sel info":              {s()},
	"sel list":              {s(), s("first", "1")},
	"sel readraw":           {{args: []string{"{dir}/sel.raw"}, setup: [][]string{{"sel", "writeraw", "{dir}/sel.raw"}}}},
	"sel save":              {s("{dir}/sel.txt")},
	"sel time get":          {s()},
	"sel time set":          {s("now")},
	"sel writeraw":          {s("{dir}/sel.raw")},
	"sensor":                {s()},
	"sensor get":            {s("CPU1 Temp")},
	"sensor list":           {s()},
	"sensor reading":        {s("CPU1 Temp", "FAN1")},
	"sensor thresh":         {s("CPU1 Temp", "unc", "80")},
	"session info":          {s("active"), s("all")},
	"sol deactivate":        {{answer: answerWith(ipmi.NetFnApp, 0x49)}},
	"sol info":              {s(), s("1")},
	"sol looptest":          {{args: []string{"1", "10"}, lan: true}},
	"sol payload":           {s("status", "1", "2"), s("enable", "1", "3")},
	"sol set":               {s("retry-count", "5")},
	"spd":                   {s("0", "0xa0")},
	"user disable":          {s("3")},
	"user enable":           {s("3")},
	"user list":             {s(), s("1")},
	"user priv":             {s("3", "3")},
	"user set name":         {s("3", "bob")},
	"user set password":     {s("3", "s3cret-pass")},
	"user test":             {s("2", "16", "password")},
	"user summary":          {s(), s("1")},
}

// answerWith answers netfn/cmd with data and completion code 0.
func answerWith(netfn ipmi.NetFn, cmd uint8, data ...byte) func(*ipmi.Request) *ipmi.Response {
	return func(req *ipmi.Request) *ipmi.Response {
		if req.NetFn == netfn && req.Cmd == cmd {
			return &ipmi.Response{Data: data}
		}
		return nil
	}
}

// dcmiAnswers are a DCMI 1.5 BMC's (from cmd/dcmicmd's tests).
func dcmiAnswers(req *ipmi.Request) *ipmi.Response {
	if req.NetFn != ipmi.NetFnGroupExt || len(req.Data) < 2 {
		return nil
	}
	switch {
	case req.Cmd == ipmi.CmdDCMIGetCapabilities && req.Data[1] == 1:
		return &ipmi.Response{Data: []byte{0xDC, 1, 5, 2, 0, 1, 0x0d}}
	case req.Cmd == ipmi.CmdDCMIGetCapabilities && req.Data[1] == 2:
		return &ipmi.Response{Data: []byte{0xDC, 1, 5, 2, 0xff, 0x8f, 0x01, 0x07, 5}}
	case req.Cmd == ipmi.CmdDCMIGetCapabilities:
		return &ipmi.Response{Code: 0x80}
	case req.Cmd == ipmi.CmdDCMIGetPowerReading:
		return &ipmi.Response{Data: []byte{0xDC, 252, 0, 10, 0, 0x93, 1, 223, 0, 1, 2, 3, 4, 0xe8, 3, 0, 0, 0x40}}
	case req.Cmd == ipmi.CmdDCMIGetPowerLimit:
		return &ipmi.Response{Code: 0x80, Data: []byte{0xDC, 0, 0, 1, 0x2c, 1, 0xe8, 3, 0, 0, 0, 0, 5, 0, 0}}
	}
	return nil
}

// lan6Answers accept any IPv6 LAN parameter and read back "both".
func lan6Answers(req *ipmi.Request) *ipmi.Response {
	if req.NetFn != ipmi.NetFnTransport || len(req.Data) < 2 || req.Data[1] < 50 || req.Data[1] > 80 {
		return nil
	}
	switch req.Cmd {
	case ipmi.CmdGetLANConfig:
		return &ipmi.Response{Data: []byte{0x11, 0x03}}
	case ipmi.CmdSetLANConfig:
		return &ipmi.Response{}
	}
	return nil
}

var contractFormats = []struct {
	name string
	args []string
	env  map[string]string
}{
	{"text", nil, nil},
	{"json", []string{"-o", "json"}, nil},
	{"csv", []string{"-o", "csv"}, nil},
	{"-c", []string{"-c"}, nil},
	{"IPMICTL_OUTPUT=csv", nil, map[string]string{"IPMICTL_OUTPUT": "csv"}},
	{"table", []string{"-o", "table"}, nil},
}

// contractTree builds the whole command tree once, for walking.
func contractTree() *cobra.Command {
	return cli.NewRootCmd(NewFactory())
}

func contractWalk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		if sub.Name() == "help" || sub.Name() == "completion" {
			continue
		}
		contractWalk(sub, fn)
	}
}

// contractIsLeaf reports commands that run something: leaves, and groups
// with a Run of their own (sel, sdr, sensor, fru).
func contractIsLeaf(c *cobra.Command) bool {
	if !c.Runnable() || c.Parent() == nil {
		return false
	}
	if !c.HasSubCommands() {
		return true
	}
	_, declared := cli.DeclaredFormats(c)
	return declared
}

func contractPath(c *cobra.Command) string {
	return strings.TrimPrefix(c.CommandPath(), "ipmictl ")
}

// contractExpand replaces {dir} in words.
func contractExpand(words []string, dir string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = strings.ReplaceAll(w, "{dir}", dir)
	}
	return out
}

// contractRunLAN runs args with ipmictl's own LAN transport.
func contractRunLAN(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for k, v := range env {
		t.Setenv(k, v)
	}
	code := cli.Run(f, args)
	return out.String(), errOut.String(), code
}

func TestContractEveryLeafEveryFormat(t *testing.T) {
	type outcome struct{ ok, refused, failed int }
	perFormat := map[string]*outcome{}
	var report []string
	seen := map[string]bool{}
	contractWalk(contractTree(), func(c *cobra.Command) {
		if !contractIsLeaf(c) {
			return
		}
		path := contractPath(c)
		if c.Annotations[cli.AnnotationInteractive] != "" {
			return
		}
		seen[path] = true
		samples, ok := contractSamples[path]
		if !ok {
			t.Errorf("%s: no sample arguments in contractSamples; add the command there", path)
			return
		}
		for _, sm := range samples {
			for _, fm := range contractFormats {
				name := strings.TrimSpace(path + " " + strings.Join(sm.args, " ") + " [" + fm.name + "]")
				t.Run(name, func(t *testing.T) {
					b := bmcsim.New()
					dir := t.TempDir()
					var lanSent atomic.Int64
					lanPort := 0
					if sm.lan {
						conn, err := rmcp.ListenLoopback("127.0.0.1:0")
						if err != nil {
							t.Fatal(err)
						}
						srv, err := rmcp.NewServer(countingBackend{b.Backend().(bmcsimBackend), &lanSent}, conn, nil)
						if err != nil {
							t.Fatal(err)
						}
						go srv.Serve()
						t.Cleanup(func() { srv.Close() })
						lanPort = int(srv.Addr().Port())
					}
					for _, st := range sm.setup {
						st = contractExpand(st, dir)
						if st[0] == "!write" {
							clitest.WriteFile(t, st[1], st[2], 0o600)
							continue
						}
						if _, e, code, _ := contractRun(t, b, sm.answer, nil, append([]string{"-H", "bmc"}, st...)...); code != 0 {
							t.Fatalf("setup %v: exit %d: %s", st, code, e)
						}
					}
					args := append([]string{"-H", "bmc"}, fm.args...)
					if sm.lan {
						args = append([]string{"-H", "127.0.0.1", "-p", strconv.Itoa(lanPort), "-U", "admin", "-f", dir + "/pw"}, fm.args...)
						clitest.WriteFile(t, dir+"/pw", "password\n", 0o600)
					}
					args = append(append(args, strings.Fields(path)...), contractExpand(sm.args, dir)...)
					var out, errOut string
					var code int
					var sent int64
					if sm.lan {
						out, errOut, code = contractRunLAN(t, fm.env, args...)
						sent = lanSent.Load()
					} else {
						out, errOut, code, sent = contractRun(t, b, sm.answer, fm.env, args...)
					}
					o := perFormat[fm.name]
					if o == nil {
						o = &outcome{}
						perFormat[fm.name] = o
					}
					switch {
					case code == 0:
						o.ok++
						if fm.name == "json" {
							contractCheckJSON(t, path, out)
						}
					case code == cli.ExitUsage && sent == 0 && strings.Contains(errOut, "output"):
						o.refused++
					default:
						o.failed++
						report = append(report, fmt.Sprintf("%s: exit %d, %d requests sent: %s", name, code, sent, strings.TrimSpace(errOut)))
						t.Errorf("exit %d after %d requests (want 0, or 2 with nothing sent)\nstdout: %s\nstderr: %s", code, sent, out, errOut)
					}
				})
			}
		}
	})
	for path := range contractSamples {
		if !seen[path] {
			t.Errorf("contractSamples has %q, which is not a runnable command", path)
		}
	}
	var names []string
	for n := range perFormat {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		o := perFormat[n]
		t.Logf("%-20s rendered %3d  refused up front %3d  failed %3d", n, o.ok, o.refused, o.failed)
	}
	if os.Getenv("IPMICTL_CONTRACT_REPORT") != "" {
		for _, r := range report {
			t.Log(r)
		}
	}
}

// contractCheckJSON checks that -o json printed JSON values only.
func contractCheckJSON(t *testing.T, path, out string) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	n := 0
	for {
		var v any
		err := dec.Decode(&v)
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Errorf("%s -o json: not JSON (%v):\n%s", path, err, out)
			return
		}
		n++
	}
	if n == 0 {
		t.Errorf("%s -o json printed nothing", path)
	}
}

// TestContractEveryLeafDeclaresItsResults: a leaf that declares no result
// type cannot be checked up front, so it fails here, not at a user's run.
func TestContractEveryLeafDeclaresItsResults(t *testing.T) {
	contractWalk(contractTree(), func(c *cobra.Command) {
		if !c.Runnable() || c.Parent() == nil || c.HasSubCommands() {
			return
		}
		formats, ok := cli.DeclaredFormats(c)
		if !ok {
			t.Errorf("%s declares no result type: wrap it in cli.Returns[T] (or cli.Streams / cli.Interactive)", c.CommandPath())
			return
		}
		if len(formats) == 0 || formats[0] != "text" {
			t.Errorf("%s offers %v: every command prints text", c.CommandPath(), formats)
		}
		if c.Annotations[cli.AnnotationInteractive] == "" && c.Annotations[cli.ExecAnnotation] == "" &&
			len(cli.DeclaredResults(c)) > 0 && (len(formats) < 2 || formats[1] != "json") {
			t.Errorf("%s offers %v: every result has a JSON form", c.CommandPath(), formats)
		}
	})
}

// TestContractUnknownSubcommandAtEveryDepth types a wrong word under every
// group, on the command line and in an exec file.
func TestContractUnknownSubcommandAtEveryDepth(t *testing.T) {
	var groups []string
	contractWalk(contractTree(), func(c *cobra.Command) {
		if c.HasSubCommands() && c.Parent() != nil {
			groups = append(groups, contractPath(c))
		}
	})
	if len(groups) < 15 {
		t.Fatalf("only %d groups found: %v", len(groups), groups)
	}
	for _, g := range groups {
		t.Run(g, func(t *testing.T) {
			b := bmcsim.New()
			args := append([]string{"-H", "bmc"}, strings.Fields(g)...)
			out, errOut, code, sent := contractRun(t, b, nil, nil, append(args, "bogsu")...)
			want := fmt.Sprintf("unknown command \"bogsu\" for \"ipmictl %s\"", g)
			if code != cli.ExitUsage || sent != 0 || !strings.Contains(errOut, want) || out != "" {
				t.Errorf("%s bogsu: exit %d, %d requests\nstdout: %s\nstderr: %s", g, code, sent, out, errOut)
			}
			dir := t.TempDir()
			clitest.WriteFile(t, dir+"/script", g+" bogsu\n", 0o600)
			out, errOut, code, sent = contractRun(t, b, nil, nil, "-H", "bmc", "exec", dir+"/script")
			if code != cli.ExitUsage || sent != 0 || !strings.Contains(errOut, want) || out != "" {
				t.Errorf("exec line %q: exit %d, %d requests\nstdout: %s\nstderr: %s", g+" bogsu", code, sent, out, errOut)
			}
		})
	}
}

// TestContractBareGroupPrintsUsageAndFails: a group given no subcommand
// prints its help on stderr and exits 2, as ipmitool prints a group's
// usage and fails; --help is still help on stdout and exit 0.
func TestContractBareGroupPrintsUsageAndFails(t *testing.T) {
	b := bmcsim.New()
	for _, g := range [][]string{{"chassis"}, {"mc", "watchdog"}, {"lan", "alert"}, {"chassis", "bootparam"}} {
		out, errOut, code, sent := contractRun(t, b, nil, nil, append([]string{"-H", "bmc"}, g...)...)
		if code != cli.ExitUsage || sent != 0 || out != "" || !strings.Contains(errOut, "Available Commands:") {
			t.Errorf("%v: exit %d, %d sent\nstdout: %s\nstderr: %s", g, code, sent, out, errOut)
		}
		out, _, code, _ = contractRun(t, b, nil, nil, append(g, "--help")...)
		if code != 0 || !strings.Contains(out, "Available Commands:") {
			t.Errorf("%v --help: exit %d\n%s", g, code, out)
		}
	}
	// The valid subcommands are named, and a near miss is suggested.
	_, errOut, _, _ := contractRun(t, b, nil, nil, "-H", "bmc", "chassis", "powr", "on")
	if !strings.Contains(errOut, "Did you mean this?") || !strings.Contains(errOut, "\tpower\n") || !strings.Contains(errOut, "Valid commands: bootdev, bootparam,") {
		t.Errorf("chassis powr: %s", errOut)
	}
}

// goWords are words of Go's and its libraries' error messages that must
// never reach a user.
var goWords = regexp.MustCompile(`strconv|Parse(Int|Uint|Float|Duration)|invalid syntax|pflag|cobra|\*cli\.|rmcp:|time: `)

// TestContractBadGlobalFlags: every bad global flag value is exit 2 in
// our words, naming the value, before anything is sent.
func TestContractBadGlobalFlags(t *testing.T) {
	long := strings.Repeat("u", 40)
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"-C", "99"}, nil, "-C 99"},
		{[]string{"-C", "4"}, nil, "-C 4"},
		{[]string{"-C", "0"}, nil, "--insecure"},
		{[]string{"-C", "1"}, nil, "cipher suite 1 has no integrity"},
		{[]string{"-C", "15"}, nil, "cipher suite 15 has no integrity"},
		{[]string{"-I", "lan", "-A", "NONE"}, nil, "--insecure"},
		{[]string{"-U", long}, nil, "40 bytes"},
		{[]string{"-k", strings.Repeat("k", 30)}, nil, "30 bytes"},
		{[]string{"-y", strings.Repeat("ab", 21)}, nil, "42 hex digits"},
		{[]string{"-y", "xyz"}, nil, "not an even number of hex digits"},
		{[]string{"--fanout", "0"}, nil, "--fanout 0"},
		{[]string{"--fanout", "-3"}, nil, "--fanout -3"},
		{[]string{"--fanout", "many"}, nil, "--fanout many: not a whole number"},
		{[]string{"-R", "-1"}, nil, "-R -1"},
		{[]string{"-N", "0"}, nil, "-N 0"},
		{[]string{"-N", "-2"}, nil, "-N -2"},
		{[]string{"-N", "abc"}, nil, "-N abc: not a whole number of seconds"},
		{[]string{"-R", "x"}, nil, "-R x: not a whole number"},
		{[]string{"-p", "0"}, nil, "-p 0"},
		{[]string{"-p", "http"}, nil, "-p http: not a port number"},
		{[]string{"--host-timeout", "0s"}, nil, "--host-timeout 0s"},
		{[]string{"--host-timeout", "soon"}, nil, "--host-timeout soon: not a duration"},
		{[]string{"--progress", "bogus"}, nil, "--progress bogus"},
		{[]string{"-o", "yaml"}, nil, "yaml"},
		{[]string{"-I", "serial"}, nil, "-I serial"},
		{[]string{"-L", "ROOT"}, nil, "-L ROOT"},
		{[]string{"-A", "SHA1"}, nil, "-A SHA1"},
		{[]string{"-t", "0x1ff"}, nil, "-t"},
		{[]string{"-b", "1"}, nil, "need -t"},
		{[]string{"-e", "ab"}, nil, "-e"},
		{nil, map[string]string{"IPMICTL_OUTPUT": "xml"}, "xml"},
		{nil, map[string]string{"IPMICTL_TIMEOUT": "0"}, "-N 0"},
		{nil, map[string]string{"IPMICTL_CIPHER_SUITE": "42"}, "-C 42"},
		{nil, map[string]string{"IPMICTL_RETRIES": "-5"}, "-R -5"},
	}
	for _, c := range cases {
		name := strings.Join(c.args, " ")
		for k, v := range c.env {
			name += k + "=" + v
		}
		t.Run(name, func(t *testing.T) {
			b := bmcsim.New()
			args := append(append([]string{"-H", "bmc"}, c.args...), "chassis", "power", "on")
			out, errOut, code, sent := contractRun(t, b, nil, c.env, args...)
			if code != cli.ExitUsage || sent != 0 {
				t.Errorf("exit %d after %d requests (want 2, nothing sent)\nstdout: %s\nstderr: %s", code, sent, out, errOut)
			}
			if b.ChassisControls() != 0 {
				t.Errorf("the BMC was told to change power")
			}
			if !strings.Contains(errOut, c.want) {
				t.Errorf("stderr %q does not name %q", errOut, c.want)
			}
			if goWords.MatchString(errOut) {
				t.Errorf("stderr speaks Go: %q", errOut)
			}
		})
	}
}

// TestContractActionsUnderCSVAndTable: an action confirms under -c as
// ipmitool -c does (the same line) and exits 0, and has a table form;
// a format a command lacks is refused before the BMC acts.
func TestContractActionsUnderCSVAndTable(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"-c"}, nil, "Chassis Power Control: Up/On\n"},
		{[]string{"-o", "csv"}, nil, "Chassis Power Control: Up/On\n"},
		{nil, map[string]string{"IPMICTL_OUTPUT": "csv"}, "Chassis Power Control: Up/On\n"},
		{[]string{"-o", "table"}, nil, "Chassis Power Control: Up/On"},
		{[]string{"-o", "json"}, nil, `"message": "Chassis Power Control: Up/On"`},
	} {
		b := bmcsim.New()
		args := append(append([]string{"-H", "bmc"}, c.args...), "chassis", "power", "on")
		out, errOut, code, _ := contractRun(t, b, nil, c.env, args...)
		if code != 0 || !strings.Contains(out, c.want) || !b.PowerOn() {
			t.Errorf("%v %v: exit %d\nstdout: %q\nstderr: %s", c.args, c.env, code, out, errOut)
		}
	}
}

// TestContractRefusedFormatSendsNothing: a leaf without a format is
// refused by name before the session opens.
func TestContractRefusedFormatSendsNothing(t *testing.T) {
	var leaf *cobra.Command
	var missing string
	contractWalk(contractTree(), func(c *cobra.Command) {
		if leaf != nil || !contractIsLeaf(c) || c.Annotations[cli.AnnotationInteractive] != "" {
			return
		}
		formats, _ := cli.DeclaredFormats(c)
		for _, f := range []string{"table", "csv"} {
			if !strings.Contains(strings.Join(formats, ","), f) {
				leaf, missing = c, f
				return
			}
		}
	})
	if leaf == nil {
		t.Skip("every command has every format")
	}
	path := contractPath(leaf)
	sm := contractSamples[path][0]
	b := bmcsim.New()
	args := append(append([]string{"-H", "bmc", "-o", missing}, strings.Fields(path)...), contractExpand(sm.args, t.TempDir())...)
	_, errOut, code, sent := contractRun(t, b, sm.answer, nil, args...)
	want := path + " has no " + missing + " output"
	if code != cli.ExitUsage || sent != 0 || !strings.Contains(errOut, want) {
		t.Errorf("%v: exit %d, %d sent, stderr %q (want %q)", args, code, sent, errOut, want)
	}
}

// TestContractRenderRefusesUndeclaredType: a command that renders a type
// it did not declare is a programming error, reported, not printed.
func TestContractRenderRefusesUndeclaredType(t *testing.T) {
	f := NewFactory()
	var out, errOut bytes.Buffer
	f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}
	root := cli.NewRootCmd(f)
	root.AddCommand(cli.Returns[cli.TextLine](&cobra.Command{
		Use:  "liar",
		RunE: func(cmd *cobra.Command, args []string) error { return f.Render(cli.Done("x")) },
	}))
	root.SetArgs([]string{"liar"})
	root.SetOut(&out)
	root.SetErr(&errOut)
	err := root.Execute()
	if err == nil || !strings.Contains(err.Error(), "does not declare") || out.Len() != 0 {
		t.Errorf("err %v, stdout %q", err, out.String())
	}
}

// TestContractFormatCounts logs how many commands offer each format, and
// (with -v) the commands without csv or table.
func TestContractFormatCounts(t *testing.T) {
	counts := map[string]int{}
	total := 0
	contractWalk(contractTree(), func(c *cobra.Command) {
		if !contractIsLeaf(c) {
			return
		}
		total++
		formats, _ := cli.DeclaredFormats(c)
		for _, f := range formats {
			counts[f]++
		}
		if j := strings.Join(formats, ","); j != "text,json,csv,table" {
			t.Logf("%-24s %s", contractPath(c), j)
		}
	})
	t.Logf("%d commands: text %d, json %d, csv %d, table %d", total, counts["text"], counts["json"], counts["csv"], counts["table"])
}

// hangingTransport never answers: each request waits for its context.
type hangingTransport struct{}

func (hangingTransport) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}
func (hangingTransport) Close() error { return nil }

// TestContractHostTimeoutIsExitThree: a host that runs out of
// --host-timeout is unreachable for a script (exit 3), and stderr says so.
func TestContractHostTimeoutIsExitThree(t *testing.T) {
	var out, errOut bytes.Buffer
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}
	f.Open = func(ctx context.Context, _ *cli.Factory) (ipmi.Transport, error) { return hangingTransport{}, nil }
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	code := cli.Run(f, []string{"-P", "x", "-H", "slow1,slow2", "--host-timeout", "200ms", "chassis", "power", "status"})
	if code != cli.ExitConnection {
		t.Errorf("exit %d, want 3\nstderr: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "slow1: ipmictl: the host timed out") || goWords.MatchString(errOut.String()) ||
		strings.Contains(errOut.String(), "context deadline") {
		t.Errorf("stderr: %s", errOut.String())
	}
}
