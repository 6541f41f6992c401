// Command bench measures ipmictl beside ipmitool and FreeIPMI against the
// same ipmi_sim in one run: wall time per command and the UDP requests
// each client sends, counted by a relay between the clients and the BMC.
//
//	go run ./tools/bench -ipmictl bin/ipmictl [-runs 10] [-fleet 1000]
//
// A second section runs every client against a fleet of simulated BMCs
// (fleet.go).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/internal/udpproxy"
)

type scenario struct {
	command string
	client  string
	argv    []string
	setup   func() // run before each timed run (e.g. drop a cache)
	runs    int    // timed runs, when fewer than -runs (slow scenarios)
}

type result struct {
	scenario
	times    []time.Duration
	requests int64
	err      string
}

func main() {
	ipmictl := flag.String("ipmictl", "bin/ipmictl", "ipmictl binary to measure")
	runs := flag.Int("runs", 10, "timed runs per scenario (after one warm-up)")
	only := flag.String("only", "", "run only scenarios whose command contains this")
	fleet := flag.Int("fleet", 1000, "simulated BMCs for the fleet section (0 skips it)")
	fleetRuns := flag.Int("fleet-runs", 3, "timed runs per fleet scenario")
	fanout := flag.Int("fanout", 64, "concurrent sessions in the fleet section, for every client")
	flag.Parse()

	work, err := os.MkdirTemp("", "ipmictl-bench-")
	check(err)
	defer os.RemoveAll(work)
	lab, err := peers.StartLab(filepath.Join(work, "sim"), 0, 0)
	check(err)
	defer lab.Stop()
	proxy, err := udpproxy.New("127.0.0.1:0", lab.Addr, 1)
	check(err)
	defer proxy.Close()
	port := strconv.Itoa(proxy.Addr().Port)
	hostPort := "127.0.0.1:" + port

	ictlCache := filepath.Join(work, "ipmictl-sdr-cache")
	fiCache := filepath.Join(work, "freeipmi-cache")
	check(os.MkdirAll(fiCache, 0o700))
	ictl := func(args ...string) []string {
		return append([]string{*ipmictl, "-H", "127.0.0.1", "-p", port, "-U", "admin", "-P", "password"}, args...)
	}
	ictlWarm := func(args ...string) []string {
		return ictl(append([]string{"--sdr-cache", ictlCache}, args...)...)
	}
	ipmitool := func(args ...string) []string {
		return append([]string{"ipmitool", "-I", "lanplus", "-C", "3", "-H", "127.0.0.1", "-p", port,
			"-U", "admin", "-P", "password"}, args...)
	}
	freeipmiNoCache := func(tool string, args ...string) []string {
		return append([]string{tool, "-h", hostPort, "-u", "admin", "-p", "password", "-D", "LAN_2_0",
			"-I", "3", "-l", "ADMIN", "-W", "opensesspriv"}, args...)
	}
	freeipmi := func(tool string, args ...string) []string {
		return freeipmiNoCache(tool, append([]string{"--sdr-cache-directory", fiCache}, args...)...)
	}
	dropCaches := func() { os.RemoveAll(ictlCache); os.RemoveAll(filepath.Join(fiCache, ".freeipmi")) }

	// 50 commands: one ipmictl exec (one session) beside 50 processes.
	script := filepath.Join(work, "fifty.txt")
	check(os.WriteFile(script, []byte(strings.Repeat("chassis power status\n", 50)), 0o600))
	fifty := func(argv []string) []string {
		return append([]string{"sh", "-c", `i=0; while [ $i -lt 50 ]; do "$@" >/dev/null || exit 1; i=$((i+1)); done`, "fifty"}, argv...)
	}

	scenarios := []scenario{
		{command: "chassis power status", client: "ipmictl (suite chosen)", argv: ictl("chassis", "power", "status")},
		{command: "chassis power status", client: "ipmictl -C 3", argv: ictl("-C", "3", "chassis", "power", "status")},
		{command: "chassis power status", client: "ipmictl -I lan (1.5 MD5)", argv: ictl("-I", "lan", "chassis", "power", "status")},
		{command: "chassis power status", client: "ipmitool -C 3", argv: ipmitool("chassis", "power", "status")},
		{command: "chassis power status", client: "FreeIPMI ipmipower --stat", argv: freeipmiNoCache("ipmipower", "--stat")},
		{command: "chassis power status", client: "FreeIPMI ipmi-chassis", argv: freeipmiNoCache("ipmi-chassis", "--get-chassis-status")},
		{command: "50 x chassis power status", client: "ipmictl exec (1 session)", argv: ictl("-C", "3", "exec", script)},
		{command: "50 x chassis power status", client: "50 ipmictl -C 3 processes", argv: fifty(ictl("-C", "3", "chassis", "power", "status")), runs: 3},
		{command: "50 x chassis power status", client: "50 ipmitool -C 3 processes", argv: fifty(ipmitool("chassis", "power", "status")), runs: 3},
		{command: "sdr list (cold)", client: "ipmictl", argv: ictl("--sdr-cache", "off", "-C", "3", "sdr", "list")},
		{command: "sdr list (cold)", client: "ipmitool -C 3", argv: ipmitool("sdr", "list")},
		{command: "sdr list (cold)", client: "FreeIPMI ipmi-sensors", argv: freeipmi("ipmi-sensors"), setup: dropCaches},
		{command: "sdr list (warm cache)", client: "ipmictl", argv: ictlWarm("-C", "3", "sdr", "list")},
		{command: "sdr list (warm cache)", client: "FreeIPMI ipmi-sensors", argv: freeipmi("ipmi-sensors")},
		{command: "sensor list (cold)", client: "ipmictl", argv: ictl("--sdr-cache", "off", "-C", "3", "sensor", "list")},
		{command: "sensor list (cold)", client: "ipmitool -C 3", argv: ipmitool("sensor", "list")},
		{command: "sensor list (cold)", client: "FreeIPMI ipmi-sensors --output-sensor-thresholds", argv: freeipmi("ipmi-sensors", "--output-sensor-thresholds"), setup: dropCaches},
		{command: "sensor list (warm cache)", client: "ipmictl", argv: ictlWarm("-C", "3", "sensor", "list")},
		{command: "sensor list (warm cache)", client: "FreeIPMI ipmi-sensors --output-sensor-thresholds", argv: freeipmi("ipmi-sensors", "--output-sensor-thresholds")},
		{command: "sel list", client: "ipmictl", argv: ictl("-C", "3", "sel", "list")},
		{command: "sel list", client: "ipmitool -C 3", argv: ipmitool("sel", "list")},
		{command: "sel list", client: "FreeIPMI ipmi-sel", argv: freeipmi("ipmi-sel")},
		{command: "fru print", client: "ipmictl", argv: ictlWarm("-C", "3", "fru", "print")},
		{command: "fru print", client: "ipmitool -C 3", argv: ipmitool("fru", "print")},
		{command: "fru print", client: "FreeIPMI ipmi-fru", argv: freeipmi("ipmi-fru")},
	}

	var results []result
	for _, s := range scenarios {
		if *only != "" && !strings.Contains(s.command, *only) {
			continue
		}
		tool := s.argv[0]
		if tool == "sh" {
			tool = s.argv[4] // the command the loop runs
		}
		if _, err := exec.LookPath(tool); err != nil {
			results = append(results, result{scenario: s, err: "not installed"})
			continue
		}
		n := *runs
		if s.runs > 0 && s.runs < n {
			n = s.runs
		}
		results = append(results, measure(s, n, proxy))
	}

	fmt.Printf("ipmictl benchmark against ipmi_sim on loopback, %d runs each after one warm-up\n", *runs)
	fmt.Printf("UDP req = datagrams the client sent to the BMC in one run (counted by a relay)\n\n")
	var rows []tableRow
	for _, r := range results {
		row := tableRow{command: r.command, client: r.client, err: r.err}
		if r.err == "" {
			med, mean, lo, hi := stats(r.times)
			row.cells = []string{f1(ms(med)), f1(ms(mean)), f1(ms(lo)), f1(ms(hi)), strconv.FormatInt(r.requests, 10)}
		}
		rows = append(rows, row)
	}
	printTable([]string{"median ms", "mean ms", "min ms", "max ms", "UDP req"}, rows)

	runFleet(*ipmictl, work, *fleet, *fleetRuns, *fanout, *only)
}

// measure runs s once to warm up, then runs times, recording the wall
// time and the UDP requests of the last run.
func measure(s scenario, runs int, proxy *udpproxy.Proxy) result {
	r := result{scenario: s}
	for i := 0; i <= runs; i++ {
		if s.setup != nil {
			s.setup()
		}
		proxy.ResetStats()
		start := time.Now()
		out, err := exec.Command(s.argv[0], s.argv[1:]...).CombinedOutput()
		d := time.Since(start)
		if err != nil {
			msg := strings.TrimSpace(string(out))
			if i := strings.IndexByte(msg, '\n'); i > 0 {
				msg = msg[:i]
			}
			r.err = "failed: " + msg
			return r
		}
		time.Sleep(20 * time.Millisecond) // let the last datagrams be counted
		if i > 0 {
			r.times = append(r.times, d)
		}
		r.requests = proxy.Stats().Received[udpproxy.ToServer]
	}
	return r
}

func stats(ts []time.Duration) (med, mean, lo, hi time.Duration) {
	s := append([]time.Duration(nil), ts...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	var sum time.Duration
	for _, t := range s {
		sum += t
	}
	return s[len(s)/2], sum / time.Duration(len(s)), s[0], s[len(s)-1]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// tableRow is one client's line in a results table; err replaces cells.
type tableRow struct {
	command, client, err string
	cells                []string
}

// printTable prints rows right-aligned under "command", "client" and
// columns, naming each command once for its group of clients.
func printTable(columns []string, rows []tableRow) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "command\tclient\t"+strings.Join(columns, "\t")+"\t")
	last := ""
	for _, r := range rows {
		cmd := r.command
		if cmd == last {
			cmd = ""
		}
		last = r.command
		cells := r.cells
		if r.err != "" {
			cells = append([]string{r.err}, make([]string, len(columns)-1)...)
		}
		fmt.Fprintln(w, cmd+"\t"+r.client+"\t"+strings.Join(cells, "\t")+"\t")
	}
	w.Flush()
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
