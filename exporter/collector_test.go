package exporter

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// newSimExporter returns an exporter whose targets are in-process
// simulated BMCs (one per target name, made on first use).
func newSimExporter(t *testing.T, cfgText string, bmcs map[string]*bmcsim.BMC) *Exporter {
	t.Helper()
	cfg, err := ParseConfig([]byte(cfgText))
	if err != nil {
		t.Fatal(err)
	}
	x := New(cfg, "", Options{
		Dial: func(ctx context.Context, target string, m *Module, hint int) (ipmi.Transport, error) {
			b := bmcs[target]
			if b == nil {
				t.Errorf("dial of unexpected target %q", target)
				return nil, context.Canceled
			}
			return b.Transport(m.User, m.priv), nil
		},
		Logf: t.Logf,
	})
	t.Cleanup(func() { x.Close() })
	return x
}

func frozenBMC() *bmcsim.BMC {
	b := bmcsim.New(bmcsim.WithSeed(7))
	b.Freeze(true)
	return b
}

// gather runs metrics through a registry, as an HTTP scrape would.
func gather(t *testing.T, ms []prometheus.Metric) []*dto.MetricFamily {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(metricList(ms))
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	return fams
}

// sample finds one series' value; ok false when absent.
func sample(fams []*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.Metric {
			have := map[string]string{}
			for _, l := range m.Label {
				have[l.GetName()] = l.GetValue()
			}
			if len(have) != len(labels) {
				continue
			}
			for k, v := range labels {
				if have[k] != v {
					continue next
				}
			}
			return m.GetGauge().GetValue(), true
		}
	}
	return 0, false
}

func scrapeSim(t *testing.T, x *Exporter, target, module string) []*dto.MetricFamily {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ms, err := x.Scrape(ctx, target, module)
	if err != nil {
		t.Fatal(err)
	}
	return gather(t, ms)
}

func TestSensorMetricsMatchTheBMC(t *testing.T) {
	b := frozenBMC()
	if err := b.SetReading("CPU1 Temp", 71); err != nil {
		t.Fatal(err)
	}
	x := newSimExporter(t, "modules:\n  default:\n    user: admin\n    password: password\n    collectors: [ipmi]\n",
		map[string]*bmcsim.BMC{"bmc1:623": b})
	fams := scrapeSim(t, x, "bmc1", "")

	if v, ok := sample(fams, "ipmi_up", map[string]string{"collector": "ipmi"}); !ok || v != 1 {
		t.Fatalf("ipmi_up{collector=ipmi} = %v, %v", v, ok)
	}
	want := []struct {
		metric, name string
	}{
		{"ipmi_temperature_celsius", "CPU1 Temp"},
		{"ipmi_temperature_celsius", "Inlet Temp"},
		{"ipmi_fan_speed_rpm", "FAN1"},
		{"ipmi_voltage_volts", "12V"},
		{"ipmi_voltage_volts", "VBAT"},
		{"ipmi_power_watts", "Pwr Consumption"},
	}
	ids := sensorIDs(fams)
	for _, w := range want {
		id, found := ids[w.name]
		if !found {
			t.Errorf("no series for sensor %q", w.name)
			continue
		}
		got, ok := sample(fams, w.metric, map[string]string{"id": id, "name": w.name})
		if !ok {
			t.Errorf("%s{name=%q} missing", w.metric, w.name)
			continue
		}
		exp, err := b.Reading(w.name)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-exp) > 1e-9 {
			t.Errorf("%s{name=%q} = %v, BMC reads %v", w.metric, w.name, got, exp)
		}
		state := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(w.metric, "_celsius"), "_rpm"), "_volts"), "_watts") + "_state"
		if w.metric == "ipmi_fan_speed_rpm" {
			state = "ipmi_fan_speed_state"
		}
		if st, ok := sample(fams, state, map[string]string{"id": id, "name": w.name}); !ok || st != 0 {
			t.Errorf("%s{name=%q} = %v, %v; want 0 (nominal)", state, w.name, st, ok)
		}
	}
	if got, _ := sample(fams, "ipmi_temperature_celsius", map[string]string{"id": ids["CPU1 Temp"], "name": "CPU1 Temp"}); got != 71 {
		t.Errorf("CPU1 Temp = %v, want the 71 set on the BMC", got)
	}
	// Discrete sensors: generic metrics with FreeIPMI's type names, NaN
	// values, and FreeIPMI's default interpretation of their states.
	for _, c := range []struct {
		name, typ string
		state     float64
	}{
		{"PSU1 Status", "Power Supply", 0}, // presence detected
		{"PSU2 Status", "Power Supply", 2}, // presence + AC lost
		{"CPU1 Status", "Processor", 0},
		{"Intrusion", "Physical Security", 0},
		{"Drive 0", "Drive Slot", 0},
	} {
		labels := map[string]string{"id": ids[c.name], "name": c.name, "type": c.typ}
		v, ok := sample(fams, "ipmi_sensor_value", labels)
		if !ok || !math.IsNaN(v) {
			t.Errorf("ipmi_sensor_value%v = %v, %v; want NaN", labels, v, ok)
		}
		if st, ok := sample(fams, "ipmi_sensor_state", labels); !ok || st != c.state {
			t.Errorf("ipmi_sensor_state%v = %v, %v; want %v", labels, st, ok, c.state)
		}
	}
}

// sensorIDs maps sensor names to their id label (the SDR record ID).
func sensorIDs(fams []*dto.MetricFamily) map[string]string {
	out := map[string]string{}
	for _, f := range fams {
		for _, m := range f.Metric {
			var id, name string
			for _, l := range m.Label {
				switch l.GetName() {
				case "id":
					id = l.GetValue()
				case "name":
					name = l.GetValue()
				}
			}
			if id != "" {
				out[name] = id
			}
		}
	}
	return out
}

func TestSensorStateCritical(t *testing.T) {
	b := frozenBMC()
	if err := b.SetReading("CPU1 Temp", 120); err != nil {
		t.Fatal(err)
	}
	x := newSimExporter(t, "modules:\n  default:\n    user: admin\n    password: password\n    collectors: [ipmi]\n",
		map[string]*bmcsim.BMC{"bmc1:623": b})
	fams := scrapeSim(t, x, "bmc1", "")
	id := sensorIDs(fams)["CPU1 Temp"]
	if st, ok := sample(fams, "ipmi_temperature_state", map[string]string{"id": id, "name": "CPU1 Temp"}); !ok || st != 2 {
		t.Errorf("ipmi_temperature_state for 120 C = %v, %v; want 2", st, ok)
	}
}

func TestExcludeSensorIDs(t *testing.T) {
	b := frozenBMC()
	x := newSimExporter(t, "modules:\n  default:\n    user: admin\n    password: password\n    collectors: [ipmi]\n",
		map[string]*bmcsim.BMC{"bmc1:623": b})
	ids := sensorIDs(scrapeSim(t, x, "bmc1", ""))
	id := ids["FAN1"]
	if id == "" {
		t.Fatal("no FAN1")
	}
	x2 := newSimExporter(t, "modules:\n  default:\n    user: admin\n    password: password\n    collectors: [ipmi]\n    exclude_sensor_ids: ["+id+"]\n",
		map[string]*bmcsim.BMC{"bmc1:623": b})
	ids2 := sensorIDs(scrapeSim(t, x2, "bmc1", ""))
	if _, ok := ids2["FAN1"]; ok {
		t.Error("FAN1 still exported after exclude_sensor_ids")
	}
	if len(ids2) != len(ids)-1 {
		t.Errorf("%d sensors after excluding one of %d", len(ids2), len(ids))
	}
}

func TestOtherCollectors(t *testing.T) {
	b := frozenBMC()
	x := newSimExporter(t, "modules:\n  default:\n    user: admin\n    password: password\n    collectors: [bmc, chassis, sel, bmc-watchdog, dcmi]\n",
		map[string]*bmcsim.BMC{"bmc1:623": b})
	ctx := context.Background()
	c := ipmi.NewClient(b.Transport("admin", ipmi.PrivilegeAdmin))
	defer c.Close()
	id, err := c.GetDeviceID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.GetChassisStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	scrapeSim(t, x, "bmc1", "")
	fams := scrapeSim(t, x, "bmc1", "")
	// bmcsim has no DCMI: that collector is down, and the session, which
	// answered, is kept.
	if got := counterValue(x.metrics.sessionsOpened); got != 1 {
		t.Errorf("2 scrapes opened %v sessions, want 1", got)
	}
	if v, ok := sample(fams, "ipmi_up", map[string]string{"collector": "dcmi"}); !ok || v != 0 {
		t.Errorf("ipmi_up{collector=dcmi} = %v, %v on a BMC without DCMI", v, ok)
	}
	for _, name := range []string{"bmc", "chassis", "sel", "bmc-watchdog"} {
		if v, ok := sample(fams, "ipmi_up", map[string]string{"collector": name}); !ok || v != 1 {
			t.Errorf("ipmi_up{collector=%q} = %v, %v", name, v, ok)
		}
	}
	bmcLabels := map[string]string{
		"firmware_revision":       firmwareRevision(id),
		"manufacturer_id":         manufacturerLabel(id.ManufacturerID),
		"system_firmware_version": "N/A",
		"bmc_url":                 "",
	}
	if v, ok := sample(fams, "ipmi_bmc_info", bmcLabels); !ok || v != 1 {
		// bmcsim may carry a system firmware version: accept any value.
		found := false
		for _, f := range fams {
			if f.GetName() == "ipmi_bmc_info" && len(f.Metric) == 1 {
				found = true
				for _, l := range f.Metric[0].Label {
					if want, fixed := bmcLabels[l.GetName()]; fixed && l.GetName() != "system_firmware_version" && l.GetValue() != want {
						t.Errorf("ipmi_bmc_info %s=%q, want %q", l.GetName(), l.GetValue(), want)
					}
				}
			}
		}
		if !found {
			t.Error("no ipmi_bmc_info")
		}
	}
	if v, _ := sample(fams, "ipmi_chassis_power_state", map[string]string{}); v != boolValue(st.PowerOn) {
		t.Errorf("ipmi_chassis_power_state = %v, chassis status says on=%v", v, st.PowerOn)
	}
	if v, ok := sample(fams, "ipmi_chassis_drive_fault_state", map[string]string{}); !ok || v != boolValue(!st.DriveFault) {
		t.Errorf("ipmi_chassis_drive_fault_state = %v, %v", v, ok)
	}
	if v, ok := sample(fams, "ipmi_sel_logs_count", map[string]string{}); !ok || v != float64(len(b.SELEntries())) {
		t.Errorf("ipmi_sel_logs_count = %v, %v; the BMC has %d entries", v, ok, len(b.SELEntries()))
	}
	if _, ok := sample(fams, "ipmi_sel_free_space_bytes", map[string]string{}); !ok {
		t.Error("no ipmi_sel_free_space_bytes")
	}
	if v, ok := sample(fams, "ipmi_bmc_watchdog_timer_state", map[string]string{}); !ok || v != 0 {
		t.Errorf("ipmi_bmc_watchdog_timer_state = %v, %v (a fresh BMC's timer is stopped)", v, ok)
	}
	n := 0
	for _, a := range watchdogActions {
		v, ok := sample(fams, "ipmi_bmc_watchdog_timeout_action_state", map[string]string{"action": a})
		if !ok {
			t.Errorf("no timeout_action_state for %q", a)
		}
		n += int(v)
	}
	if n != 1 {
		t.Errorf("%d timeout actions active, want exactly 1", n)
	}
}

// The collectors' metric names, help texts and label names are
// ipmi_exporter's (checked with testutil's text form for one of each).
func TestMetricHelpAndNames(t *testing.T) {
	b := frozenBMC()
	x := newSimExporter(t, "modules:\n  default:\n    user: admin\n    password: password\n    collectors: [chassis]\n",
		map[string]*bmcsim.BMC{"bmc1:623": b})
	ms, err := x.Scrape(context.Background(), "bmc1", "default")
	if err != nil {
		t.Fatal(err)
	}
	want := `
# HELP ipmi_chassis_cooling_fault_state Current Cooling/fan fault state (1=false, 0=true).
# TYPE ipmi_chassis_cooling_fault_state gauge
ipmi_chassis_cooling_fault_state 1
# HELP ipmi_chassis_drive_fault_state Current drive fault state (1=false, 0=true).
# TYPE ipmi_chassis_drive_fault_state gauge
ipmi_chassis_drive_fault_state 1
# HELP ipmi_up '1' if a scrape of the IPMI device was successful, '0' otherwise.
# TYPE ipmi_up gauge
ipmi_up{collector="chassis"} 1
`
	if err := testutil.CollectAndCompare(metricList(ms), strings.NewReader(want),
		"ipmi_chassis_cooling_fault_state", "ipmi_chassis_drive_fault_state", "ipmi_up"); err != nil {
		t.Error(err)
	}
}

func TestUnknownModule(t *testing.T) {
	x := newSimExporter(t, "", map[string]*bmcsim.BMC{})
	if _, err := x.Scrape(context.Background(), "bmc1", "nope"); !IsUnknownModule(err) {
		t.Errorf("unknown module: err = %v", err)
	}
}

// A repository that takes longer to read than a scrape may last is still
// read (once), and the next scrape uses it.
func TestSlowSDRReadOutlivesTheScrape(t *testing.T) {
	b := frozenBMC()
	b.SetFaults(bmcsim.Faults{Delay: 10 * time.Millisecond})
	x := newSimExporter(t, "modules:\n  default:\n    user: admin\n    password: password\n    collectors: [ipmi]\n",
		map[string]*bmcsim.BMC{"bmc1:623": b})
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	ms, err := x.Scrape(ctx, "bmc1", "")
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := sample(gather(t, ms), "ipmi_up", map[string]string{"collector": "ipmi"}); v != 0 {
		t.Fatalf("the SDR walk of a slow BMC fit in 150 ms (ipmi_up %v): the test proves nothing", v)
	}
	deadline := time.Now().Add(10 * time.Second)
	for counterValue(x.metrics.sdrWalks) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	fams := scrapeSim(t, x, "bmc1", "")
	if v, _ := sample(fams, "ipmi_up", map[string]string{"collector": "ipmi"}); v != 1 {
		t.Errorf("second scrape: ipmi_up{collector=ipmi} = %v", v)
	}
	if got := counterValue(x.metrics.sdrWalks); got != 1 {
		t.Errorf("SDR read %v times, want 1", got)
	}
	if got := counterValue(x.metrics.sessionsOpened); got != 1 {
		t.Errorf("%v sessions opened, want 1 (a slow BMC keeps its session)", got)
	}
}

// With sdr_cache_dir a restarted exporter takes the repository from disk.
func TestSDRCacheDirSurvivesRestart(t *testing.T) {
	b := frozenBMC()
	cfg := "sdr_cache_dir: " + t.TempDir() + "\nmodules:\n  default:\n    user: admin\n    password: password\n    collectors: [ipmi]\n"
	bmcs := map[string]*bmcsim.BMC{"bmc1:623": b}
	first := newSimExporter(t, cfg, bmcs)
	want := len(sensorIDs(scrapeSim(t, first, "bmc1", "")))
	first.Close()
	if got := counterValue(first.metrics.sdrWalks); got != 1 {
		t.Fatalf("first exporter read the SDR %v times, want 1", got)
	}
	second := newSimExporter(t, cfg, bmcs)
	if got := len(sensorIDs(scrapeSim(t, second, "bmc1", ""))); got != want || want == 0 {
		t.Errorf("%d sensors from the cached repository, %d from the BMC", got, want)
	}
	if got := counterValue(second.metrics.sdrWalks); got != 0 {
		t.Errorf("restarted exporter read the SDR from the BMC %v times, want 0 (cache)", got)
	}
}
