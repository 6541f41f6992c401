package exporter

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/ipmictl/ipmictl/internal/peers"
)

// selEventsPeerRegexes are sel_events patterns for the words ipmi_sim's
// SEL holds; each must match at least one entry there.
var selEventsPeerRegexes = map[string]string{
	"threshold":   "going (low|high)",
	"intrusion":   "(?i)chassis intrusion",
	"ac_lost":     "AC lost",
	"presence":    "^Presence detected$",
	"oem_or_none": "^$|^OEM",
}

// On OpenIPMI's ipmi_sim, which is no Supermicro and has no BMC URL,
// sm-lan-mode is down and bmc up with bmc_url "". The sel-events
// collector agrees with the peers:
// its counts by state are what FreeIPMI's ipmi-sel, run with
// ipmi_exporter's flags, reports per state (what ipmi_exporter exports),
// and each name counts the entries whose event text in ipmitool's
// `sel elist` matches, with the latest of their times.
func TestPeerIPMISimSELEvents(t *testing.T) {
	t.Setenv("TZ", "UTC")
	sim := peers.StartIPMISim(t)
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "modules:\n  default:\n    user: %s\n    password: %s\n    collectors: [sel-events, sel, bmc, sm-lan-mode]\n    sel_events:\n",
		peers.AdminUser, peers.AdminPassword)
	for name, re := range selEventsPeerRegexes {
		fmt.Fprintf(&cfg, "      - name: %s\n        regex: %q\n", name, re)
	}
	x, srv := newLANExporter(t, cfg.String())
	fams, took := get(t, srv, "/ipmi?target="+sim.Addr, map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "10"})
	t.Logf("first scrape (session, SEL read): %v", took)
	_, took = get(t, srv, "/ipmi?target="+sim.Addr, nil)
	t.Logf("second scrape (SEL unchanged, from memory): %v", took)
	if n := counterValue(x.metrics.selReads); n != 1 {
		t.Errorf("2 scrapes read the SEL %v times; ipmi_sim's SEL info shows it unchanged", n)
	}
	for c, want := range map[string]float64{"sel-events": 1, "sel": 1, "bmc": 1, "sm-lan-mode": 0} {
		if v := upValue(t, fams, c); v != want {
			t.Errorf("ipmi_up{collector=%q} = %v, want %v (ipmi_sim is no Supermicro, and has no BMC URL)", c, v, want)
		}
	}
	if got := metricValue(fams, "ipmi_bmc_info", "bmc_url", ""); got != 1 {
		t.Errorf(`ipmi_bmc_info{bmc_url=""} = %v, want 1`, got)
	}

	out, stderr, err := peers.FreeIPMI(t, sim, "ipmi-sel", "--quiet-cache", "--comma-separated-output", "--no-header-output",
		"--sdr-cache-recreate", "--output-event-state", "--interpret-oem-data", "--entity-sensor-names")
	if err != nil {
		t.Fatalf("ipmi-sel: %v\n%s", err, stderr)
	}
	t.Logf("ipmi-sel:\n%s", out)
	states := map[string]float64{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Split(line, ",")
		if len(f) < 7 {
			t.Fatalf("ipmi-sel line %q", line)
		}
		states[f[5]]++
	}
	for st, n := range states {
		if got := metricValue(fams, "ipmi_sel_events_count_by_state", "state", st); got != n {
			t.Errorf("count_by_state{state=%q} = %v, ipmi-sel has %v", st, got, n)
		}
	}
	if f := fams["ipmi_sel_events_count_by_state"]; f == nil || len(f.Metric) != len(states) {
		t.Errorf("count_by_state series %v, ipmi-sel states %v", f, states)
	}

	out, stderr, err = peers.Ipmitool(t, sim, "sel", "elist")
	if err != nil {
		t.Fatalf("ipmitool sel elist: %v\n%s", err, stderr)
	}
	t.Logf("ipmitool sel elist:\n%s", out)
	count, latest := map[string]float64{}, map[string]float64{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Split(line, " | ")
		var text string
		var when float64
		oem := -1 // OEM records: the exporter's text starts as elist's "OEM record XX"
		for i, c := range f {
			if strings.HasPrefix(strings.TrimSpace(c), "OEM record") {
				oem = i
			}
		}
		switch {
		case oem >= 0:
			text = strings.TrimSpace(f[oem])
		case len(f) >= 6: // id, date, time, sensor, event, direction[, reading]
			text = strings.TrimSpace(f[4])
		default:
			t.Fatalf("elist line %q", line)
		}
		if len(f) >= 5 {
			if ts, err := time.Parse("01/02/06 15:04:05 MST", f[1]+" "+f[2]); err == nil {
				when = float64(ts.Unix())
			}
		}
		for name, re := range selEventsPeerRegexes {
			if regexp.MustCompile(re).MatchString(text) {
				count[name]++
				latest[name] = max(latest[name], when)
			}
		}
	}
	for name := range selEventsPeerRegexes {
		if count[name] == 0 {
			t.Errorf("regex %q for %s matches nothing in ipmi_sim's SEL", selEventsPeerRegexes[name], name)
		}
		if got := metricValue(fams, "ipmi_sel_events_count_by_name", "name", name); got != count[name] {
			t.Errorf("count_by_name{name=%q} = %v, elist has %v", name, got, count[name])
		}
		if got := metricValue(fams, "ipmi_sel_events_latest_timestamp", "name", name); got != latest[name] {
			t.Errorf("latest_timestamp{name=%q} = %v, elist says %v", name, got, latest[name])
		}
	}
}

// metricValue is the value of the series of family name whose one label
// is label=value; NaN-free -1 when absent.
func metricValue(fams map[string]*dto.MetricFamily, name, label, value string) float64 {
	f := fams[name]
	if f == nil {
		return -1
	}
	for _, m := range f.Metric {
		for _, l := range m.Label {
			if l.GetName() == label && l.GetValue() == value {
				return m.GetGauge().GetValue()
			}
		}
	}
	return -1
}
