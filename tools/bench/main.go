// Command bench measures ipmictl beside ipmitool and FreeIPMI. Three
// sections, chosen with -sections:
//
//   - single: one ipmi_sim BMC on loopback, wall time per command and the
//     UDP requests each client sends, counted by a relay in front of it;
//   - fleet: 1000 simulated BMCs on loopback answering in microseconds,
//     every client with the same fan-out (fleet.go);
//   - latency: fleets answering after 1, 20 and 50 ms with 2% of the hosts
//     dead, every client with its default flags, cold and warm caches
//     (latency.go).
//
// Everything (up to 10 minutes), or the latency section small and at one
// latency (under 2 minutes):
//
//	go run ./tools/bench -ipmictl bin/ipmictl
//	go run ./tools/bench -ipmictl bin/ipmictl -quick
//
// docs/performance.md explains the figures.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
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
	sections := flag.String("sections", "single,fleet,latency", "sections to run, comma-separated: single, fleet, latency")
	quick := flag.Bool("quick", false, "a run of under 2 minutes: the latency section at 20ms, 100/20/20 hosts (flags given explicitly still win)")
	latencies := flag.String("latencies", "1ms,20ms,50ms", "latency section: BMC answer delays, comma-separated")
	power := flag.Int("power", 1000, "latency section: BMCs for power status (0 skips it)")
	sensor := flag.Int("sensor", 200, "latency section: BMCs for sensor list (0 skips it)")
	sel := flag.Int("sel", 200, "latency section: BMCs for sel list (0 skips it)")
	dead := flag.Float64("dead", 2, "latency section: percent of hosts that never answer (rounded to whole hosts)")
	latRuns := flag.Int("lat-runs", 1, "latency section: runs per client, cold and warm (the median is shown)")
	pool := flag.Int("pool", 64, "latency section: ipmitool processes at a time (one per host)")
	runTimeout := flag.Duration("run-timeout", 5*time.Minute, "latency section: kill a client run after this long")
	flag.Parse()
	if *quick {
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for name, v := range map[string]string{"sections": "latency", "latencies": "20ms", "power": "100", "sensor": "20", "sel": "20"} {
			if !set[name] {
				check(flag.Set(name, v))
			}
		}
	}
	want, err := parseSections(*sections)
	check(err)
	lats, err := parseLatencies(*latencies)
	check(err)

	work, err := os.MkdirTemp("", "ipmictl-bench-")
	check(err)
	defer os.RemoveAll(work)
	fmt.Printf("%s, %d CPUs, load average %s at the start\n", time.Now().Format("2006-01-02 15:04 MST"), runtime.NumCPU(), loadAvg())

	if want["single"] {
		runSingle(*ipmictl, work, *runs, *only)
	}
	if want["fleet"] {
		runFleet(*ipmictl, work, *fleet, *fleetRuns, *fanout, *only)
	}
	if want["latency"] {
		runLatency(latencyOptions{ipmictl: *ipmictl, work: work, latencies: lats, power: *power, sensor: *sensor, sel: *sel,
			deadPct: *dead, runs: *latRuns, pool: *pool, runTimeout: *runTimeout})
	}
	fmt.Printf("\nload average %s at the end\n", loadAvg())
}

// runSingle is the single section: one ipmi_sim, each client's commands.
func runSingle(ipmictl, work string, runs int, only string) {
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
		return append([]string{ipmictl, "-H", "127.0.0.1", "-p", port, "-U", "admin", "-P", "password"}, args...)
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
		if only != "" && !strings.Contains(s.command, only) {
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
		n := runs
		if s.runs > 0 && s.runs < n {
			n = s.runs
		}
		results = append(results, measure(s, n, proxy))
	}

	fmt.Printf("\nSingle: ipmi_sim on loopback, %d runs each after one warm-up\n", runs)
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
}

// parseSections reads -sections.
func parseSections(s string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, name := range strings.Split(s, ",") {
		switch name = strings.TrimSpace(name); name {
		case "single", "fleet", "latency":
			out[name] = true
		case "":
		default:
			return nil, fmt.Errorf("-sections: unknown section %q; want single, fleet or latency", name)
		}
	}
	return out, nil
}

// parseLatencies reads -latencies ("1ms,20ms,50ms").
func parseLatencies(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		d, err := time.ParseDuration(f)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("-latencies: %q is not a duration such as 20ms", f)
		}
		out = append(out, d)
	}
	return out, nil
}

// loadAvg is the 1, 5 and 15 minute load averages from /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
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

// printTable prints rows under "command", "client" and columns, naming
// each command once for its group of clients.
func printTable(columns []string, rows []tableRow) {
	t := &table{header: append([]string{"command", "client"}, columns...), text: 2, group: 1}
	for _, r := range rows {
		if r.err != "" {
			t.addNote(r.err, r.command, r.client)
		} else {
			t.add(append([]string{r.command, r.client}, r.cells...)...)
		}
	}
	t.render(os.Stdout)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
