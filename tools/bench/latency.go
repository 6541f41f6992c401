package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"

	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// The latency section: fleets of simulated BMCs that answer after 1, 20 or
// 50 ms, as BMCs on a real network do, with a share of them dead (a
// socket that never answers). Every client gets the same host list and
// its default flags (only the protocol is named: lanplus / LAN_2_0), with
// an empty cache (cold) and then with the cache its first run left
// (warm). Reported per client: wall time, CPU (user+system of the client
// processes, from rusage), peak RSS, hosts answered correctly, and the
// UDP datagrams each BMC received, counted by the BMCs themselves.
//
// The BMCs are package bmcsim served in this process, built as
// `ipmictl sim --freeze --delay D` builds them: here the bench can read
// each BMC's request counter and put dead hosts between live ones, which
// `ipmictl sim` cannot.

type latencyOptions struct {
	ipmictl    string
	work       string // scratch directory
	latencies  []time.Duration
	power      int // hosts for each work; 0 skips it
	sensor     int
	sel        int
	deadPct    float64
	runs       int
	pool       int // ipmitool processes at a time
	runTimeout time.Duration
}

// latClient is one tool doing one work: either one process for the
// whole host list (all) or one process per host (each), pool at a time.
type latClient struct {
	name   string
	caches bool // keeps a cache between runs: measured cold and warm
	all    func(hosts string) []string
	each   func(h netip.AddrPort) []string
}

type latWork struct {
	name    string
	hosts   int
	valid   func(b *bmcsim.BMC, lines []string) bool
	clients []latClient
}

// latRun is the outcome of one client run.
type latRun struct {
	wall, cpu        time.Duration
	rssKB            int64
	ok               int
	reqLive, reqDead int64
	killed           bool
	errLine          string
}

const (
	simUser = "admin"
	simPass = "password"
)

func latencyWorks(o latencyOptions) []latWork {
	ictl := func(args ...string) func(string) []string {
		return func(hosts string) []string {
			return append([]string{o.ipmictl, "-H", hosts, "-U", simUser, "-P", simPass}, args...)
		}
	}
	freeipmi := func(tool string, args ...string) func(string) []string {
		return func(hosts string) []string {
			return append([]string{tool, "-h", hosts, "-u", simUser, "-p", simPass, "-D", "LAN_2_0"}, args...)
		}
	}
	ipmitool := func(args ...string) func(netip.AddrPort) []string {
		return func(h netip.AddrPort) []string {
			return append([]string{"ipmitool", "-I", "lanplus", "-H", h.Addr().String(), "-p", strconv.Itoa(int(h.Port())),
				"-U", simUser, "-P", simPass}, args...)
		}
	}
	pool := fmt.Sprintf("ipmitool (%d processes at a time)", o.pool)
	return []latWork{
		{"power status", o.power, powerOK, []latClient{
			{name: "ipmictl", caches: true, all: ictl("power", "status")},
			{name: "FreeIPMI ipmipower --stat", all: freeipmi("ipmipower", "--stat")},
			{name: pool, each: ipmitool("chassis", "power", "status")},
		}},
		{"sensor list", o.sensor, sensorsOK, []latClient{
			{name: "ipmictl", caches: true, all: ictl("sensor", "list")},
			{name: "FreeIPMI ipmi-sensors", caches: true, all: freeipmi("ipmi-sensors")},
			{name: pool, each: ipmitool("sensor", "list")},
		}},
		{"sel list", o.sel, selOK, []latClient{
			{name: "ipmictl", caches: true, all: ictl("sel", "list")},
			{name: "FreeIPMI ipmi-sel", caches: true, all: freeipmi("ipmi-sel")},
			{name: pool, each: ipmitool("sel", "list")},
		}},
	}
}

// runLatency runs every work at every latency and prints one table.
func runLatency(o latencyOptions) {
	t := &table{
		header: []string{"work", "latency", "cache", "client", "wall s", "CPU s", "peak RSS MB", "hosts ok", "UDP req/host", "req/dead host"},
		text:   4, group: 3,
	}
	for _, w := range latencyWorks(o) {
		if w.hosts <= 0 {
			continue
		}
		dead := deadCount(w.hosts, o.deadPct)
		label := fmt.Sprintf("%s, %d BMCs (%d dead)", w.name, w.hosts, dead)
		for _, lat := range o.latencies {
			latLabel := strconv.FormatInt(lat.Milliseconds(), 10) + " ms"
			if lat < time.Millisecond {
				latLabel = lat.String()
			}
			f, err := startFleet(w.hosts, dead, lat)
			if err != nil {
				check(fmt.Errorf("%s at %s: %v", w.name, latLabel, err))
			}
			var cold, warm []tableLine
			for _, c := range w.clients {
				runs := measureLatency(o, w, c, f, fmt.Sprintf("%s %s", latLabel, w.name))
				cold = append(cold, latLine(label, latLabel, "cold", c.name, runs[0], f))
				switch {
				case runs[1] != nil:
					warm = append(warm, latLine(label, latLabel, "warm", c.name, runs[1], f))
				case runs[0] != nil && runs[0].errLine == "not installed":
					warm = append(warm, tableLine{cells: []string{label, latLabel, "warm", c.name}, note: "not installed"})
				default:
					warm = append(warm, tableLine{cells: []string{label, latLabel, "warm", c.name}, note: "keeps no cache: as cold"})
				}
			}
			f.Close()
			t.rows = append(t.rows, cold...)
			t.rows = append(t.rows, warm...)
		}
	}
	fmt.Printf("\nLatency: simulated BMCs answering after each latency, %g%% of the hosts dead (a socket that never answers),\n", o.deadPct)
	fmt.Printf("every client with its default flags (fan-out, timeouts, retries, cipher suite); median of %d run(s)\n", o.runs)
	fmt.Printf("cold = empty cache (HOME and XDG_CACHE_HOME), warm = the cache the cold run left\n")
	fmt.Printf("CPU = user+system of the client processes; RSS = the largest client process (ipmitool: one of many), from GNU time\n")
	fmt.Printf("hosts ok = live hosts whose answer was right; UDP req = datagrams each BMC received, per live and per dead host\n\n")
	t.render(os.Stdout)
}

// rssMB shows a peak RSS in MB, "?" when unknown (no GNU time).
func rssMB(kb int64) string {
	if kb <= 0 {
		return "?"
	}
	return strconv.FormatFloat(float64(kb)/1024, 'f', 1, 64)
}

func latLine(work, lat, cache, client string, r *latRun, f *simFleet) tableLine {
	cells := []string{work, lat, cache, client}
	if r == nil {
		return tableLine{cells: cells, note: "not run"}
	}
	if r.errLine == "not installed" {
		return tableLine{cells: cells, note: r.errLine}
	}
	s2 := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) }
	per := func(n int64, hosts int) string {
		if hosts == 0 {
			return "-"
		}
		return strconv.FormatFloat(float64(n)/float64(hosts), 'f', 1, 64)
	}
	wall := s2(r.wall)
	if r.killed {
		wall = ">" + wall
	}
	cells = append(cells, wall, s2(r.cpu), rssMB(r.rssKB),
		fmt.Sprintf("%d/%d", r.ok, f.live), per(r.reqLive, f.live), per(r.reqDead, f.dead))
	line := tableLine{cells: cells}
	if r.ok == 0 && r.errLine != "" {
		line.cells = append(line.cells, "("+r.errLine+")")
	}
	return line
}

// measureLatency runs c o.runs times, each a cold run in a fresh cache
// and, for a client that caches, a warm run after it; it returns the
// median cold and warm runs (by wall time).
func measureLatency(o latencyOptions, w latWork, c latClient, f *simFleet, what string) [2]*latRun {
	bin := ""
	if c.all != nil {
		bin = c.all("")[0]
	} else {
		bin = c.each(netip.AddrPort{})[0]
	}
	if _, err := exec.LookPath(bin); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %s: %s: not installed\n", what, c.name)
		return [2]*latRun{{errLine: "not installed"}}
	}
	var cold, warm []*latRun
	for i := 0; i < max(o.runs, 1); i++ {
		dir, err := os.MkdirTemp(o.work, "home-")
		check(err)
		for _, cache := range []string{"cold", "warm"} {
			if cache == "warm" && !c.caches {
				break
			}
			r := runLatencyClient(o, w, c, f, dir)
			fmt.Fprintf(os.Stderr, "bench: %s: %s %s: %.2f s, %d/%d ok\n", what, c.name, cache, r.wall.Seconds(), r.ok, f.live)
			if cache == "cold" {
				cold = append(cold, r)
			} else {
				warm = append(warm, r)
			}
		}
		os.RemoveAll(dir)
	}
	return [2]*latRun{medianRun(cold), medianRun(warm)}
}

func medianRun(rs []*latRun) *latRun {
	if len(rs) == 0 {
		return nil
	}
	s := append([]*latRun(nil), rs...)
	sort.Slice(s, func(i, j int) bool { return s[i].wall < s[j].wall })
	return s[len(s)/2]
}

// runLatencyClient runs c once against f with home as HOME and cache.
func runLatencyClient(o latencyOptions, w latWork, c latClient, f *simFleet, home string) *latRun {
	env := append(os.Environ(), "HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, "cache"),
		"XDG_CONFIG_HOME="+filepath.Join(home, "config"))
	ctx, cancel := context.WithTimeout(context.Background(), o.runTimeout)
	defer cancel()
	r := &latRun{}
	live0, dead0 := f.received()
	var byHost map[string][]string
	start := time.Now()
	if c.all != nil {
		p := runProcess(ctx, c.all(hostList(f.addrs)), env)
		byHost = splitByHost(p.out)
		r.cpu, r.rssKB, r.killed, r.errLine = p.cpu, p.rssKB, p.killed, p.errLine
	} else {
		byHost = map[string][]string{}
		var mu sync.Mutex
		jobs := make(chan netip.AddrPort)
		var wg sync.WaitGroup
		for range max(o.pool, 1) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for h := range jobs {
					p := runProcess(ctx, c.each(h), env)
					mu.Lock()
					byHost[h.Addr().String()] = strings.Split(string(p.out), "\n")
					r.cpu += p.cpu
					r.rssKB = max(r.rssKB, p.rssKB)
					r.killed = r.killed || p.killed
					if r.errLine == "" {
						r.errLine = p.errLine
					}
					mu.Unlock()
				}
			}()
		}
		for _, h := range f.addrs {
			jobs <- h
		}
		close(jobs)
		wg.Wait()
	}
	r.wall = time.Since(start)
	time.Sleep(50 * time.Millisecond) // let datagrams still queued be counted
	live1, dead1 := f.received()
	r.reqLive, r.reqDead = live1-live0, dead1-dead0
	for i, b := range f.bmcs {
		if b != nil && w.valid(b, byHost[f.addrs[i].Addr().String()]) {
			r.ok++
		}
	}
	return r
}

type procResult struct {
	out     []byte
	cpu     time.Duration
	rssKB   int64 // 0: unknown (no GNU time)
	killed  bool
	errLine string // the first line on stderr
}

// gnuTime is the path of GNU time, which the clients run under to learn
// their peak RSS, or "" without it. The rusage a parent gets from wait4
// cannot tell: a child started with vfork, as Go starts every child,
// keeps its parent's high-water RSS through exec, and the bench (1000
// BMCs in process) is larger than every client it measures. GNU time
// forks from a process of 1-2 MB, below every client.
var gnuTime = sync.OnceValue(func() string {
	for _, p := range []string{"/usr/bin/time", "/bin/time"} {
		f, err := os.CreateTemp("", "bench-time-")
		if err != nil {
			return ""
		}
		f.Close()
		defer os.Remove(f.Name())
		if exec.Command(p, "-f", "%M", "-o", f.Name(), "true").Run() == nil {
			if b, err := os.ReadFile(f.Name()); err == nil && parseTimeRSS(b) > 0 {
				return p
			}
		}
	}
	return ""
})

// parseTimeRSS reads GNU time's -f %M output: the peak RSS in KB on the
// last line (a line before it tells a non-zero exit or a signal).
func parseTimeRSS(b []byte) int64 {
	lines := strings.Fields(strings.TrimSpace(string(b)))
	if len(lines) == 0 {
		return 0
	}
	n, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// runProcess runs argv (under GNU time when there is one) to its end or
// ctx's, killing its whole process group then. CPU is user+system of
// the process and the children it waited for (GNU time's own share is
// well under a millisecond).
func runProcess(ctx context.Context, argv []string, env []string) procResult {
	var out, errb bytes.Buffer
	rssFile := ""
	if t := gnuTime(); t != "" {
		f, err := os.CreateTemp("", "bench-rss-")
		if err == nil {
			f.Close()
			rssFile = f.Name()
			defer os.Remove(rssFile)
			argv = append([]string{t, "-f", "%M", "-o", rssFile}, argv...)
		}
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdout = &out
	cmd.Stderr = &errb
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	p := procResult{out: out.Bytes(), killed: ctx.Err() != nil}
	if st := cmd.ProcessState; st != nil {
		p.cpu = st.UserTime() + st.SystemTime()
	} else if err != nil {
		p.errLine = err.Error()
	}
	if rssFile != "" {
		if b, err := os.ReadFile(rssFile); err == nil {
			p.rssKB = parseTimeRSS(b)
		}
	}
	for _, l := range strings.Split(errb.String(), "\n") {
		// ipmictl's -P warning is not the failure worth showing.
		if l = strings.TrimSpace(l); l != "" && p.errLine == "" && !strings.Contains(l, "-P shows the password") {
			p.errLine = l
		}
	}
	return p
}

// simFleet is the BMCs of one latency run: live BMCs served in this
// process and silent sockets for the dead hosts, in host-list order.
type simFleet struct {
	addrs      []netip.AddrPort
	bmcs       []*bmcsim.BMC // nil for a dead host
	fleet      *bmcsim.Fleet
	silent     []*silentHost
	live, dead int
}

// startFleet serves n hosts on the layout of hostAddrs, dead of them
// silent, the others BMCs answering after delay. It picks a port free on
// the first address and tries again with another if a later one is taken.
func startFleet(n, dead int, delay time.Duration) (*simFleet, error) {
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		probe, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(hostAddrs(1, 0)[0]))
		if err != nil {
			return nil, err
		}
		port := uint16(probe.LocalAddr().(*net.UDPAddr).Port)
		probe.Close()
		f, err := serveFleet(hostAddrs(n, port), deadHosts(n, dead), delay)
		if err == nil {
			return f, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func serveFleet(addrs []netip.AddrPort, dead []bool, delay time.Duration) (*simFleet, error) {
	f := &simFleet{addrs: addrs, bmcs: make([]*bmcsim.BMC, len(addrs))}
	var liveAddrs []netip.AddrPort
	var liveIdx []int
	for i, a := range addrs {
		if dead[i] {
			s, err := listenSilent(a)
			if err != nil {
				f.Close()
				return nil, err
			}
			f.silent = append(f.silent, s)
			f.dead++
			continue
		}
		liveAddrs = append(liveAddrs, a)
		liveIdx = append(liveIdx, i)
	}
	f.live = len(liveAddrs)
	if f.live > 0 {
		fl, err := bmcsim.ServeFleet(liveAddrs, func(j int) *bmcsim.BMC {
			// As `ipmictl sim --freeze --delay D` builds BMC number i.
			b := bmcsim.New(bmcsim.WithIndex(liveIdx[j]), bmcsim.WithSeed(1),
				bmcsim.WithUsers(bmcsim.DefaultUsers...), bmcsim.WithSessionSlots(4))
			b.SetFaults(bmcsim.Faults{Delay: delay})
			b.Freeze(true)
			return b
		}, nil)
		if err != nil {
			f.Close()
			return nil, err
		}
		f.fleet = fl
		for j, b := range fl.BMCs {
			f.bmcs[liveIdx[j]] = b
		}
	}
	return f, nil
}

// received totals the datagrams the live BMCs and the dead hosts got.
func (f *simFleet) received() (live, dead int64) {
	if f.fleet != nil {
		for _, s := range f.fleet.Servers {
			live += int64(s.Stats().Received)
		}
	}
	for _, s := range f.silent {
		dead += s.received()
	}
	return live, dead
}

func (f *simFleet) Close() {
	if f.fleet != nil {
		f.fleet.Close()
	}
	for _, s := range f.silent {
		s.Close()
	}
}

// The checks of a host's answer (its output lines, without the host
// prefix) against the simulated BMC's own state.

// powerOK: the power state, as ipmictl/ipmitool ("Chassis Power is on")
// or ipmipower ("on") print it.
func powerOK(b *bmcsim.BMC, lines []string) bool {
	want := "off"
	if b.PowerOn() {
		want = "on"
	}
	for _, l := range lines {
		if l = strings.TrimSpace(l); l == "Chassis Power is "+want || l == want {
			return true
		}
	}
	return false
}

// tableRows returns the '|'-separated rows of lines, trimmed, leaving out
// FreeIPMI's header ("ID | Name | ...") and lines of fewer than 4 fields.
func tableRows(lines []string) [][]string {
	var rows [][]string
	for _, l := range lines {
		f := strings.Split(l, "|")
		if len(f) < 4 {
			continue
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if f[0] == "ID" {
			continue
		}
		rows = append(rows, f)
	}
	return rows
}

// sensorsOK: one row per sensor record of the BMC's SDR (full and
// compact), and CPU1 Temp with a numeric reading.
func sensorsOK(b *bmcsim.BMC, lines []string) bool {
	want := 0
	for _, r := range b.SDRRecords() {
		if len(r) > 3 && (r[3] == 0x01 || r[3] == 0x02) {
			want++
		}
	}
	rows := tableRows(lines)
	return want > 0 && len(rows) == want && hasReading(rows, "CPU1 Temp")
}

// hasReading finds the row naming sensor and reports whether the first
// field after the name that is not a word (FreeIPMI puts the sensor type
// there) is a number.
func hasReading(rows [][]string, sensor string) bool {
	for _, f := range rows {
		for i, c := range f {
			if c != sensor {
				continue
			}
			for _, v := range f[i+1:] {
				if _, err := strconv.ParseFloat(v, 64); err == nil {
					return true
				}
				if v == "na" || v == "N/A" || !strings.ContainsFunc(v, unicode.IsLetter) {
					return false
				}
			}
			return false
		}
	}
	return false
}

// selOK: one row per SEL entry the BMC holds.
func selOK(b *bmcsim.BMC, lines []string) bool {
	want := len(b.SELEntries())
	return want > 0 && len(tableRows(lines)) == want
}
