package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The fleet section: one `ipmictl sim` process serving n BMCs on
// consecutive loopback ports, and each client asked for all of them with
// the same host range and fan-out. Reported per client: wall time, CPU,
// peak RSS, and how many hosts answered correctly.

type fleetScenario struct {
	command string
	client  string
	argv    []string
	// ok counts the hosts answered correctly in the output.
	ok func(out []byte) int
}

type fleetResult struct {
	fleetScenario
	wall, cpu []time.Duration
	rssKB     int64
	hostsOK   int
	err       string
}

func runFleet(ipmictl, work string, n, runs, fanout int, only string) {
	if n <= 0 {
		return
	}
	const firstPort = 26230
	sim := exec.Command(ipmictl, "sim", "--listen", "127.0.0.1:"+strconv.Itoa(firstPort), "--count", strconv.Itoa(n), "--freeze")
	stdout, err := sim.StdoutPipe()
	check(err)
	check(sim.Start())
	defer func() { sim.Process.Signal(syscall.SIGTERM); sim.Wait() }()
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening") {
				ready <- true
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		check(fmt.Errorf("ipmictl sim did not start"))
	}

	hosts := fmt.Sprintf("127.0.0.1:[%d-%d]", firstPort, firstPort+n-1)
	fo := strconv.Itoa(fanout)
	cache := filepath.Join(work, "fleet-cache")
	check(os.MkdirAll(cache, 0o700))
	ictl := func(args ...string) []string {
		return append([]string{ipmictl, "-H", hosts, "--fanout", fo, "-U", "admin", "-P", "password", "-C", "3"}, args...)
	}
	freeipmi := func(tool string, args ...string) []string {
		return append([]string{tool, "-h", hosts, "-F", fo, "-u", "admin", "-p", "password", "-D", "LAN_2_0",
			"-I", "3", "-l", "ADMIN"}, args...)
	}
	count := func(pattern string) func([]byte) int {
		re := regexp.MustCompile(pattern)
		return func(out []byte) int { return len(re.FindAll(out, -1)) }
	}
	// A host is counted correct by one line of its answer: the power
	// state, or for sensor lists the CPU1 Temp line with a reading, a status
	// and the simulator's thresholds.
	scenarios := []fleetScenario{
		{"chassis power status", "ipmictl", ictl("chassis", "power", "status"), count(`(?m)^127\.0\.0\.1:\d+: Chassis Power is on$`)},
		{"chassis power status", "FreeIPMI ipmipower --stat", []string{"ipmipower", "-h", hosts, "-u", "admin", "-p", "password", "-D", "LAN_2_0", "-I", "3", "--stat"}, count(`(?m)^127\.0\.0\.1: on$`)},
		{"chassis power status", "FreeIPMI ipmi-chassis", freeipmi("ipmi-chassis", "--get-chassis-status"), count(`(?m)^127\.0\.0\.1:\d+: System Power +: on$`)},
		{"sensor list", "ipmictl", ictl("sensor", "list"), count(`(?m)^127\.0\.0\.1:\d+: CPU1 Temp +\| \d+\.000 +\| degrees C +\| (ok|nc|cr|nr) .*\| 90\.000 +\| 95\.000 +$`)},
		{"sensor list", "FreeIPMI ipmi-sensors --output-sensor-thresholds", freeipmi("ipmi-sensors", "--sdr-cache-directory", cache, "--output-sensor-thresholds"), count(`(?m)^127\.0\.0\.1:\d+: \d+ +\| CPU1 Temp +\| Temperature +\| \d+\.00 +\| C +\|.*\| 90\.00 +\| 95\.00 +\| '[^']+'$`)},
	}
	var results []fleetResult
	for _, s := range scenarios {
		if only != "" && !strings.Contains(s.command, only) {
			continue
		}
		if _, err := exec.LookPath(s.argv[0]); err != nil {
			results = append(results, fleetResult{fleetScenario: s, err: "not installed"})
			continue
		}
		results = append(results, measureFleet(s, runs, cache))
	}

	fmt.Printf("\n%d simulated BMCs in one `ipmictl sim` process, --fanout/-F %d, %d runs each after one warm-up (which fills the SDR caches)\n", n, fanout, runs)
	fmt.Printf("CPU = user+system time of the client; RSS = its peak resident memory; hosts ok = hosts whose answer was right\n\n")
	var rows []tableRow
	for _, r := range results {
		row := tableRow{command: r.command, client: r.client, err: r.err}
		if r.err == "" {
			med, _, lo, hi := stats(r.wall)
			cpu, _, _, _ := stats(r.cpu)
			f2 := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) }
			row.cells = []string{f2(med), f2(lo), f2(hi), f2(cpu), rssMB(r.rssKB),
				fmt.Sprintf("%d/%d", r.hostsOK, n)}
		}
		rows = append(rows, row)
	}
	printTable([]string{"median s", "min s", "max s", "CPU s", "peak RSS MB", "hosts ok"}, rows)
}

func measureFleet(s fleetScenario, runs int, cache string) fleetResult {
	r := fleetResult{fleetScenario: s}
	env := append(os.Environ(), "XDG_CACHE_HOME="+cache, "HOME="+cache)
	for i := 0; i <= runs; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		start := time.Now()
		p := runProcess(ctx, s.argv, env)
		d := time.Since(start)
		cancel()
		if p.killed || (p.errLine != "" && len(p.out) == 0) {
			r.err = "failed: " + p.errLine
			if p.killed {
				r.err = "killed after 5 minutes"
			}
			return r
		}
		if i == 0 {
			continue
		}
		r.wall = append(r.wall, d)
		r.cpu = append(r.cpu, p.cpu)
		r.rssKB = max(r.rssKB, p.rssKB)
		r.hostsOK = s.ok(p.out)
	}
	return r
}
