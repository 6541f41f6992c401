package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/hostlist"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// The bench is a benchmark, not a test: these tests exercise its helpers
// and plumbing and assert no timing.

func TestTableRender(t *testing.T) {
	tb := &table{header: []string{"work", "client", "wall s", "hosts ok"}, text: 2, group: 1}
	tb.add("power", "ipmictl", "1.50", "98/98")
	tb.add("power", "ipmitool", "12.25", "7/98")
	tb.addNote("not installed", "power", "FreeIPMI")
	tb.add("sel", "ipmictl", "0.30", "20/20")
	var b strings.Builder
	if err := tb.render(&b); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"work   client    wall s  hosts ok\n" +
		"power  ipmictl     1.50     98/98\n" +
		"       ipmitool   12.25      7/98\n" +
		"       FreeIPMI  not installed\n" +
		"sel    ipmictl     0.30     20/20\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestTableGroupsNestedColumns(t *testing.T) {
	// A latency repeated under a new work is printed again.
	tb := &table{header: []string{"work", "latency", "client"}, text: 3, group: 2}
	tb.add("power", "1 ms", "a")
	tb.add("power", "1 ms", "b")
	tb.add("sel", "1 ms", "a")
	var b strings.Builder
	tb.render(&b)
	want := "work   latency  client\npower  1 ms     a\n                b\nsel    1 ms     a\n"
	if b.String() != want {
		t.Errorf("table:\n%q\nwant:\n%q", b.String(), want)
	}
}

func TestHostListExpandsToTheLayout(t *testing.T) {
	for _, n := range []int{1, 2, 249, 250, 251, 1000} {
		addrs := hostAddrs(n, 16230)
		list := hostList(addrs)
		got, err := hostlist.Expand(list)
		if err != nil {
			t.Fatalf("n=%d: %q: %v", n, list, err)
		}
		if len(got) != n {
			t.Fatalf("n=%d: %q expands to %d hosts", n, list, len(got))
		}
		seen := map[string]bool{}
		for i, h := range got {
			if h != addrs[i].String() {
				t.Fatalf("n=%d: host %d is %q, want %v", n, i, h, addrs[i])
			}
			seen[h] = true
		}
		if len(seen) != n {
			t.Fatalf("n=%d: %d distinct hosts", n, len(seen))
		}
	}
	if got, want := hostList(hostAddrs(251, 623)), "127.77.1.[1-250]:623,127.77.2.1:623"; got != want {
		t.Errorf("hostList = %q, want %q", got, want)
	}
}

func TestDeadHostsSpreadEvenly(t *testing.T) {
	for _, c := range []struct {
		n    int
		pct  float64
		want []int
	}{
		{1000, 2, nil}, // checked below
		{200, 2, []int{25, 75, 125, 175}},
		{100, 2, []int{25, 75}},
		{20, 2, nil},
		{10, 0, nil},
		{3, 100, []int{0, 1, 2}},
	} {
		dead := deadHosts(c.n, deadCount(c.n, c.pct))
		var got []int
		for i, d := range dead {
			if d {
				got = append(got, i)
			}
		}
		if c.n == 1000 {
			if len(got) != 20 || got[0] != 25 || got[19] != 975 {
				t.Errorf("1000 hosts, 2%%: dead %v", got)
			}
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%d hosts, %g%%: dead %v, want %v", c.n, c.pct, got, c.want)
		}
	}
}

func TestSplitByHost(t *testing.T) {
	out := []byte("127.77.1.1:16230: Chassis Power is on\n" +
		"127.77.1.2: on\n" +
		"127.77.1.1:16230: 1  | Dec-07-2026 | 19:06:19 | x\n" +
		"ipmictl: 127.77.1.3:16230: no answer\n" +
		"\n")
	got := splitByHost(out)
	want := map[string][]string{
		"127.77.1.1": {"Chassis Power is on", "1  | Dec-07-2026 | 19:06:19 | x"},
		"127.77.1.2": {"on"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("splitByHost = %q, want %q", got, want)
	}
}

// A dead host takes datagrams and never answers: no reply and no ICMP
// port unreachable (which a connected socket would see as "connection
// refused").
func TestSilentHostNeverAnswers(t *testing.T) {
	s, err := listenSilent(netip.MustParseAddrPort("127.77.250.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := net.DialUDP("udp", nil, s.conn.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for range 3 {
		if _, err := c.Write([]byte("ping")); err != nil {
			t.Fatal(err)
		}
	}
	c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	_, err = c.Read(make([]byte, 64))
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("read from a silent host: %v, want a timeout", err)
	}
	for deadline := time.Now().Add(5 * time.Second); s.received() < 3 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.received(); n != 3 {
		t.Errorf("silent host counted %d datagrams, want 3", n)
	}
}

func TestChecksAgainstTheBMC(t *testing.T) {
	b := bmcsim.New(bmcsim.WithIndex(0), bmcsim.WithSeed(1))
	b.Freeze(true)
	state := "off"
	if b.PowerOn() {
		state = "on"
	}
	if !powerOK(b, []string{"Chassis Power is " + state}) || !powerOK(b, []string{state}) {
		t.Error("power: the right state refused")
	}
	if powerOK(b, []string{"Chassis Power is unknown"}) || powerOK(b, nil) {
		t.Error("power: a wrong answer accepted")
	}

	sensors := 0
	for _, r := range b.SDRRecords() {
		if r[3] == 0x01 || r[3] == 0x02 {
			sensors++
		}
	}
	ictl := []string{"CPU1 Temp        | 44.000     | degrees C  | ok    | na | na | na | 80.000 | 90.000 | 95.000"}
	fi := []string{"ID | Name | Type | Reading | Units | Event", "6  | CPU1 Temp | Temperature | 44.00 | C | 'OK'"}
	for i := 1; i < sensors; i++ {
		ictl = append(ictl, fmt.Sprintf("S%d | 0x1 | discrete | 0x0180| na | na | na | na | na | na", i))
		fi = append(fi, fmt.Sprintf("%d | S%d | Fan | 100.00 | RPM | 'OK'", i+6, i))
	}
	if !sensorsOK(b, ictl) || !sensorsOK(b, fi) {
		t.Error("sensors: a full list refused")
	}
	if sensorsOK(b, ictl[:len(ictl)-1]) {
		t.Error("sensors: a short list accepted")
	}
	noReading := append([]string{"CPU1 Temp | na | degrees C | na | na | na | na | 80.000 | 90.000 | 95.000"}, ictl[1:]...)
	if sensorsOK(b, noReading) {
		t.Error("sensors: CPU1 Temp without a reading accepted")
	}

	var sel []string
	for i := range b.SELEntries() {
		sel = append(sel, fmt.Sprintf("%4d | 12/07/26 | 19:06:19 UTC | Temperature #0x01 | x | Asserted", i+1))
	}
	if !selOK(b, sel) || !selOK(b, append([]string{"ID | Date | Time | Name | Type | Event"}, sel...)) {
		t.Error("sel: a full list refused")
	}
	if selOK(b, sel[1:]) {
		t.Error("sel: a short list accepted")
	}
}

// One run of the plumbing against a three-host fleet (one dead), with
// stand-in clients: a shell script that prints one host's answer, and a
// pool of one process per host.
func TestRunLatencyClientCountsHosts(t *testing.T) {
	f, err := startFleet(3, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.live != 2 || f.dead != 1 || f.bmcs[1] != nil {
		t.Fatalf("fleet: %d live, %d dead, bmcs %v", f.live, f.dead, f.bmcs)
	}
	state := func(i int) string {
		if f.bmcs[i].PowerOn() {
			return "on"
		}
		return "off"
	}
	o := latencyOptions{pool: 2, runTimeout: time.Minute}
	w := latWork{name: "power status", valid: powerOK}
	all := latClient{name: "script", all: func(hosts string) []string {
		return []string{"sh", "-c", fmt.Sprintf("echo '%v: Chassis Power is %s'; echo '%v: on'; echo oops >&2", f.addrs[0], state(0), f.addrs[1])}
	}}
	r := runLatencyClient(o, w, all, f, t.TempDir())
	if r.ok != 1 || r.errLine != "oops" || r.killed {
		t.Errorf("one process: %+v, want 1 host ok and the first stderr line", r)
	}
	states := map[netip.AddrPort]string{f.addrs[0]: state(0), f.addrs[2]: state(2)}
	each := latClient{name: "pool", each: func(h netip.AddrPort) []string {
		return []string{"sh", "-c", "echo 'Chassis Power is " + states[h] + "'"}
	}}
	if r := runLatencyClient(o, w, each, f, t.TempDir()); r.ok != 2 || r.cpu < 0 || (r.rssKB <= 0) != (gnuTime() == "") {
		t.Errorf("pool: %+v, want both live hosts ok and an RSS", r)
	}
}

// A tool that is not installed gives a "not installed" row, cold and
// warm, and runs nothing.
func TestMissingToolIsReported(t *testing.T) {
	f := &simFleet{live: 1}
	c := latClient{name: "nothing", caches: true, all: func(string) []string { return []string{"ipmictl-bench-no-such-tool"} }}
	runs := measureLatency(latencyOptions{runs: 1}, latWork{}, c, f, "test")
	if runs[0] == nil || runs[0].errLine != "not installed" || runs[1] != nil {
		t.Fatalf("runs = %+v, want one not-installed run", runs)
	}
	if l := latLine("w", "1 ms", "cold", "nothing", runs[0], f); l.note != "not installed" {
		t.Errorf("row %+v, want the note not installed", l)
	}
}

func TestRunProcessStopsAtTheDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if p := runProcess(ctx, []string{"sleep", "30"}, os.Environ()); !p.killed {
		t.Errorf("runProcess: %+v, want killed", p)
	}
}

var ballast []byte

// The peak RSS is the client's own, not the bench's: a child started by
// this (large) process would report this process's high-water mark.
func TestRunProcessRSSIsTheClients(t *testing.T) {
	ballast = make([]byte, 96<<20)
	for i := range ballast {
		ballast[i] = 1
	}
	defer func() { ballast = nil }()
	p := runProcess(context.Background(), []string{"true"}, os.Environ())
	if gnuTime() == "" {
		if p.rssKB != 0 {
			t.Errorf("without GNU time: RSS %d KB, want 0 (unknown)", p.rssKB)
		}
		return
	}
	if p.rssKB <= 0 || p.rssKB > 32<<10 {
		t.Errorf("RSS of true: %d KB, want its own (a few MB), not this process's 96 MB and more", p.rssKB)
	}
}

func TestParseTimeRSS(t *testing.T) {
	for in, want := range map[string]int64{
		"1604\n": 1604,
		"Command exited with non-zero status 3\n1604\n": 1604,
		"Command terminated by signal 9\n1576\n":        1576,
		"":                                              0,
		"abc\n":                                         0,
		"-5\n":                                          0,
	} {
		if got := parseTimeRSS([]byte(in)); got != want {
			t.Errorf("parseTimeRSS(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestParseFlags(t *testing.T) {
	got, err := parseLatencies("1ms, 20ms,50ms")
	if err != nil || !reflect.DeepEqual(got, []time.Duration{time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond}) {
		t.Errorf("parseLatencies = %v, %v", got, err)
	}
	if _, err := parseLatencies("20"); err == nil {
		t.Error("parseLatencies accepted 20 (no unit)")
	}
	s, err := parseSections("fleet,latency")
	if err != nil || !s["fleet"] || !s["latency"] || s["single"] {
		t.Errorf("parseSections = %v, %v", s, err)
	}
	if _, err := parseSections("latncy"); err == nil {
		t.Error("parseSections accepted a misspelt section")
	}
}
