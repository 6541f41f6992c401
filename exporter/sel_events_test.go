package exporter

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
	"github.com/ipmictl/ipmictl/sel"
)

// testClock is a settable clock for bmcsim: SEL entries are stamped with it.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// countingTransport counts Get SEL Entry requests.
type countingTransport struct {
	ipmi.Transport
	getEntry *atomic.Int64
}

func (t countingTransport) Send(ctx context.Context, r *ipmi.Request) (*ipmi.Response, error) {
	if r.NetFn == ipmi.NetFnStorage && r.Cmd == sel.CmdGetEntry {
		t.getEntry.Add(1)
	}
	return t.Transport.Send(ctx, r)
}

const selEventsConfig = `
modules:
  default:
    user: admin
    password: password
    collectors: [chassis, sel-events]
    sel_events:
      - name: ecc
        regex: Correctable ECC
      - name: ac_lost
        regex: AC lost$
      - name: ecc_or_power
        regex: ECC|Power
      - name: never
        regex: ^never$
      - name: oem
        regex: ^OEM record e0
`

// selEventsSetup gives a frozen bmcsim whose SEL holds five known entries
// (stamped at t1 < t2 < t3 by its clock), and an exporter for it whose
// transport counts Get SEL Entry requests.
func selEventsSetup(t *testing.T) (x *Exporter, b *bmcsim.BMC, c *ipmi.Client, clk *testClock, getEntry *atomic.Int64, t2, t3 time.Time) {
	t.Helper()
	clk = &testClock{t: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	b = bmcsim.New(bmcsim.WithSeed(7), bmcsim.WithClock(clk.now), bmcsim.WithSessionTimeout(1000*time.Hour))
	b.Freeze(true)
	ctx := context.Background()
	c = ipmi.NewClient(b.Transport("admin", ipmi.PrivilegeAdmin))
	t.Cleanup(func() { c.Close() })
	if err := sel.Clear(ctx, c, true); err != nil {
		t.Fatal(err)
	}
	add := func(at time.Time, ev sel.SystemEvent) {
		clk.set(at)
		if _, err := sel.AddEntry(ctx, c, sel.NewSystemEvent(0, ev)); err != nil {
			t.Fatal(err)
		}
	}
	t1 := clk.now().Add(time.Minute)
	t2, t3 = t1.Add(time.Hour), t1.Add(2*time.Hour)
	memory := sel.SystemEvent{GeneratorID: 0x20, EvMRev: 4, SensorType: 0x0C, SensorNumber: 0x30, EventType: 0x6F, Data: [3]uint8{0x00, 0xFF, 0xFF}}
	add(t1, memory) // Correctable ECC: FreeIPMI rates it Warning
	add(t2, memory)
	add(t3, sel.SystemEvent{GeneratorID: 0x20, EvMRev: 4, SensorType: 0x08, SensorNumber: 0x0D, EventType: 0x6F,
		Data: [3]uint8{0x03, 0xFF, 0xFF}}) // Power Supply AC lost: Critical
	add(t1, sel.SystemEvent{GeneratorID: 0x20, EvMRev: 4, SensorType: 0x01, SensorNumber: 0x01, EventType: 0x01,
		Deassertion: true, Data: [3]uint8{0x57, 77, 80}}) // upper non-critical going high, deasserted: Nominal
	oem := make([]byte, sel.RecordLen)
	oem[2] = 0xE0 // non-timestamped OEM record: no state, no time
	copy(oem[3:], "\x01\x02\x03\x04")
	rec, err := sel.Decode(oem)
	if err != nil {
		t.Fatal(err)
	}
	clk.set(t3)
	if _, err := sel.AddEntry(ctx, c, rec); err != nil {
		t.Fatal(err)
	}

	getEntry = &atomic.Int64{}
	cfg, err := ParseConfig([]byte(selEventsConfig))
	if err != nil {
		t.Fatal(err)
	}
	x = New(cfg, "", Options{
		Dial: func(ctx context.Context, target string, m *Module, hint int) (ipmi.Transport, error) {
			return countingTransport{b.Transport(m.User, m.priv), getEntry}, nil
		},
		Logf: t.Logf,
	})
	t.Cleanup(func() { x.Close() })
	return x, b, c, clk, getEntry, t2, t3
}

// The sel-events metrics are ipmi_exporter's, in its text form: entries
// by FreeIPMI state, and per sel_events name the matching count and the
// latest matching time (0 for a name nothing matches, and for entries
// without a time).
func TestSELEventsMetrics(t *testing.T) {
	x, _, _, _, _, t2, t3 := selEventsSetup(t)
	ms, err := x.Scrape(context.Background(), "bmc1", "")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`
# HELP ipmi_sel_events_count_by_name Current number of custom log entries in the SEL by name.
# TYPE ipmi_sel_events_count_by_name gauge
ipmi_sel_events_count_by_name{name="ac_lost"} 1
ipmi_sel_events_count_by_name{name="ecc"} 2
ipmi_sel_events_count_by_name{name="ecc_or_power"} 3
ipmi_sel_events_count_by_name{name="never"} 0
ipmi_sel_events_count_by_name{name="oem"} 1
# HELP ipmi_sel_events_count_by_state Current number of log entries in the SEL by state.
# TYPE ipmi_sel_events_count_by_state gauge
ipmi_sel_events_count_by_state{state="Critical"} 1
ipmi_sel_events_count_by_state{state="N/A"} 1
ipmi_sel_events_count_by_state{state="Nominal"} 1
ipmi_sel_events_count_by_state{state="Warning"} 2
# HELP ipmi_sel_events_latest_timestamp Latest timestamp of custom log entries in the SEL by name.
# TYPE ipmi_sel_events_latest_timestamp gauge
ipmi_sel_events_latest_timestamp{name="ac_lost"} %d
ipmi_sel_events_latest_timestamp{name="ecc"} %d
ipmi_sel_events_latest_timestamp{name="ecc_or_power"} %d
ipmi_sel_events_latest_timestamp{name="never"} 0
ipmi_sel_events_latest_timestamp{name="oem"} 0
# HELP ipmi_up '1' if a scrape of the IPMI device was successful, '0' otherwise.
# TYPE ipmi_up gauge
ipmi_up{collector="chassis"} 1
ipmi_up{collector="sel-events"} 1
`, t3.Unix(), t2.Unix(), t3.Unix())
	if err := testutil.CollectAndCompare(metricList(ms), strings.NewReader(want),
		"ipmi_sel_events_count_by_name", "ipmi_sel_events_count_by_state", "ipmi_sel_events_latest_timestamp", "ipmi_up"); err != nil {
		t.Error(err)
	}
}

// An unchanged SEL is not read again: a scrape costs one Get SEL Info.
// An added entry (new count and last-add time) makes the next scrape read
// it again, and the new entry shows.
func TestSELEventsReadOnlyWhenChanged(t *testing.T) {
	x, _, c, clk, getEntry, _, t3 := selEventsSetup(t)
	scrapeSim(t, x, "bmc1", "")
	first := getEntry.Load()
	if first < 5 {
		t.Fatalf("first scrape sent %d Get SEL Entry, want at least one per entry (5)", first)
	}
	for range 3 {
		fams := scrapeSim(t, x, "bmc1", "")
		if v, _ := sample(fams, "ipmi_sel_events_count_by_name", map[string]string{"name": "ecc"}); v != 2 {
			t.Fatalf("ecc count %v from the kept SEL, want 2", v)
		}
	}
	if n := getEntry.Load(); n != first {
		t.Errorf("3 scrapes of an unchanged SEL sent %d more Get SEL Entry", n-first)
	}
	clk.set(t3.Add(time.Minute))
	if _, err := sel.AddEntry(context.Background(), c, sel.NewSystemEvent(0, sel.SystemEvent{GeneratorID: 0x20, EvMRev: 4,
		SensorType: 0x0C, SensorNumber: 0x30, EventType: 0x6F, Data: [3]uint8{0x00, 0xFF, 0xFF}})); err != nil {
		t.Fatal(err)
	}
	fams := scrapeSim(t, x, "bmc1", "")
	if n := getEntry.Load() - first; n < 6 {
		t.Errorf("after an add the scrape sent %d Get SEL Entry, want the 6 entries read again", n)
	}
	if v, _ := sample(fams, "ipmi_sel_events_count_by_name", map[string]string{"name": "ecc"}); v != 3 {
		t.Errorf("ecc count %v after adding one, want 3", v)
	}
	if v, _ := sample(fams, "ipmi_sel_events_latest_timestamp", map[string]string{"name": "ecc"}); v != float64(clk.now().Unix()) {
		t.Errorf("ecc latest %v, want the new entry's %d", v, clk.now().Unix())
	}
	if got := counterValue(x.metrics.selReads); got != 2 {
		t.Errorf("sel_reads_total %v, want 2 (first scrape and after the add)", got)
	}
}

// A SEL read slower than the scrape finishes anyway; a later scrape
// uses it.
func TestSELEventsSlowReadOutlivesTheScrape(t *testing.T) {
	x, b, _, _, getEntry, _, _ := selEventsSetup(t)
	b.SetFaults(bmcsim.Faults{Delay: 30 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	ms, err := x.Scrape(ctx, "bmc1", "")
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := sample(gather(t, ms), "ipmi_up", map[string]string{"collector": "sel-events"}); !ok || v != 0 {
		t.Fatalf("sel-events up %v, %v in a scrape too short for the SEL", v, ok)
	}
	b.SetFaults(bmcsim.Faults{})
	deadline := time.Now().Add(5 * time.Second)
	for {
		fams := scrapeSim(t, x, "bmc1", "")
		if v, _ := sample(fams, "ipmi_up", map[string]string{"collector": "sel-events"}); v == 1 {
			// One walk of the 5 entries: the read the first scrape
			// started was finished, not begun again.
			if n := getEntry.Load(); n != 5 {
				t.Errorf("%d Get SEL Entry in all, want 5", n)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("sel-events never came up")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Every decoded record gets a known state and valid-UTF-8 text, and the
// metrics built from them never panic.
func FuzzDescribeSELEntry(f *testing.F) {
	f.Add([]byte{1, 0, 2, 0, 0, 0, 0x60, 0x20, 0, 4, 0x0C, 0x30, 0x6F, 0x00, 0xFF, 0xFF})
	f.Add([]byte{2, 0, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0x20, 0, 4, 0x01, 0x01, 0x81, 0x57, 77, 80})
	f.Add([]byte{3, 0, 0xC1, 0, 0, 0, 0x60, 0xCF, 0xC2, 0, 0xDE, 0xAD, 0xBE, 0xEF, 1, 2})
	f.Add([]byte{4, 0, 0xF0, 'p', 'a', 'n', 'i', 'c', 0xFF, 0xFE, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{5, 0, 2, 0, 0, 0, 0x60, 0x20, 0, 4, 0xFF, 0x30, 0x7F, 0xFF, 0xFF, 0xFF})
	re := []SELEvent{{Name: "any", Regex: "."}, {Name: "ecc", Regex: "ECC"}}
	if err := (&Module{SELEvents: re}).check(); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := sel.Decode(b)
		if err != nil {
			return
		}
		ev := describeSELEntry(r)
		if !utf8.ValidString(ev.text) {
			t.Fatalf("text %q is not UTF-8", ev.text)
		}
		switch ev.state {
		case "Nominal", "Warning", "Critical", "N/A":
		default:
			t.Fatalf("state %q", ev.state)
		}
		if ev.time < 0 || ev.time > 0xFFFFFFFF {
			t.Fatalf("time %v", ev.time)
		}
		selEventMetrics([]selEvent{ev}, re)
	})
}
