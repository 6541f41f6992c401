package exporter

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/ipmictl/ipmictl/internal/peers"
)

// One scrape of OpenIPMI's ipmi_sim: the sensors' values equal what
// `ipmitool sensor list` shows, and every sensor's id, name, type, state
// and value equal what FreeIPMI's ipmimonitoring (ipmi_exporter's source,
// with ipmi_exporter's flags) reports.
func TestPeerIPMISimMatchesIpmitoolAndIpmimonitoring(t *testing.T) {
	sim := peers.StartIPMISim(t)
	cfg := fmt.Sprintf("modules:\n  default:\n    user: %s\n    password: %s\n    collectors: [ipmi, bmc, chassis, sel]\n",
		peers.AdminUser, peers.AdminPassword)
	_, srv := newLANExporter(t, cfg)
	fams, took := get(t, srv, "/ipmi?target="+sim.Addr, map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "10"})
	t.Logf("first scrape of ipmi_sim (session, SDR walk): %v", took)
	_, took2 := get(t, srv, "/ipmi?target="+sim.Addr, nil)
	t.Logf("second scrape (pooled session, SDR from memory): %v", took2)
	for _, c := range []string{"ipmi", "bmc", "chassis", "sel"} {
		if v := upValue(t, fams, c); v != 1 {
			t.Errorf("ipmi_up{collector=%q} = %v", c, v)
		}
	}
	ours := sensorsByName(fams)

	out, stderr, err := peers.Ipmitool(t, sim, "sensor", "list")
	if err != nil {
		t.Fatalf("ipmitool sensor list: %v\n%s", err, stderr)
	}
	analog := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Split(line, "|")
		if len(f) < 3 {
			continue
		}
		name, val := strings.TrimSpace(f[0]), strings.TrimSpace(f[1])
		if _, err := strconv.ParseFloat(val, 64); err != nil || strings.TrimSpace(f[2]) == "discrete" {
			continue
		}
		analog++
		s, ok := ours[name]
		if !ok {
			t.Errorf("sensor %q: in ipmitool's list, not in the scrape", name)
			continue
		}
		if got := fmt.Sprintf("%.3f", s.value); got != val {
			t.Errorf("sensor %q: exported %s, ipmitool shows %s", name, got, val)
		}
	}
	if analog == 0 {
		t.Fatal("ipmitool listed no analog sensor")
	}

	out, stderr, err = peers.FreeIPMI(t, sim, "ipmimonitoring", "-Q", "--ignore-unrecognized-events",
		"--comma-separated-output", "--no-header-output", "--sdr-cache-recreate",
		"--output-event-bitmask", "--output-sensor-state")
	if err != nil {
		t.Fatalf("ipmimonitoring: %v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(ours) {
		t.Errorf("ipmimonitoring lists %d sensors, the scrape %d", len(lines), len(ours))
	}
	states := map[string]float64{"Nominal": 0, "Warning": 1, "Critical": 2, "N/A": math.NaN()}
	for _, line := range lines {
		f := strings.Split(line, ",")
		if len(f) < 6 {
			t.Fatalf("ipmimonitoring line %q", line)
		}
		id, name, typ, state, value := f[0], f[1], f[2], f[3], f[4]
		s, ok := ours[name]
		if !ok {
			t.Errorf("sensor %q: reported by ipmimonitoring, not exported", name)
			continue
		}
		if s.id != id {
			t.Errorf("sensor %q: id %s, ipmimonitoring %s", name, s.id, id)
		}
		if s.typ != "" && s.typ != typ {
			t.Errorf("sensor %q: type %q, ipmimonitoring %q", name, s.typ, typ)
		}
		if want := states[state]; !sameFloat(s.state, want) {
			t.Errorf("sensor %q: state %v, ipmimonitoring %s", name, s.state, state)
		}
		if value == "N/A" {
			if !math.IsNaN(s.value) {
				t.Errorf("sensor %q: value %v, ipmimonitoring N/A", name, s.value)
			}
		} else if v, err := strconv.ParseFloat(value, 64); err != nil || math.Abs(v-s.value) > 0.005 {
			t.Errorf("sensor %q: value %v, ipmimonitoring %s", name, s.value, value)
		}
	}
}

func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// exportedSensor is one sensor's series, from any of the metric pairs.
type exportedSensor struct {
	id, typ      string
	value, state float64
}

func sensorsByName(fams map[string]*dto.MetricFamily) map[string]*exportedSensor {
	out := map[string]*exportedSensor{}
	for name, f := range fams {
		isState := strings.HasSuffix(name, "_state")
		if !strings.HasPrefix(name, "ipmi_") || strings.HasPrefix(name, "ipmi_chassis") || strings.HasPrefix(name, "ipmi_bmc") {
			continue
		}
		for _, m := range f.Metric {
			var id, sname, typ string
			for _, l := range m.Label {
				switch l.GetName() {
				case "id":
					id = l.GetValue()
				case "name":
					sname = l.GetValue()
				case "type":
					typ = l.GetValue()
				}
			}
			if id == "" {
				continue
			}
			s := out[sname]
			if s == nil {
				s = &exportedSensor{id: id, typ: typ}
				out[sname] = s
			}
			if isState {
				s.state = m.GetGauge().GetValue()
			} else {
				s.value = m.GetGauge().GetValue()
			}
		}
	}
	return out
}

// A scrape of ipmi_sim through the in-process API stays within budget
// with the pooled session: measured for the report, asserted loosely.
func TestPeerIPMISimScrapeTime(t *testing.T) {
	sim := peers.StartIPMISim(t)
	cfg, err := ParseConfig([]byte(fmt.Sprintf("modules:\n  default:\n    user: %s\n    password: %s\n", peers.AdminUser, peers.AdminPassword)))
	if err != nil {
		t.Fatal(err)
	}
	x := New(cfg, "", Options{Logf: t.Logf})
	defer x.Close()
	var total time.Duration
	const n = 10
	for i := 0; i < n; i++ {
		start := time.Now()
		if _, err := x.Scrape(context.Background(), sim.Addr, "default"); err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			total += time.Since(start)
		}
	}
	avg := total / (n - 1)
	t.Logf("ipmi_sim: %d scrapes, %v each after the first, %v sessions opened",
		n, avg, counterValue(x.metrics.sessionsOpened))
	if got := counterValue(x.metrics.sessionsOpened); got != 1 {
		t.Errorf("%d scrapes opened %v sessions, want 1", n, got)
	}
	if avg > 2*time.Second {
		t.Errorf("a pooled scrape of ipmi_sim took %v", avg)
	}
}
