package exporter

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
)

// collectSELEvents is the "sel-events" collector, as ipmi_exporter's:
// entries by state (only the states present), and for each sel_events
// name the count of entries whose event text matches its regex and the
// latest of their times (0 when none has a real time). Every configured
// name has its pair of series, zero when nothing matches; entries of a
// name listed twice are counted once per listing, as there.
func collectSELEvents(ctx context.Context, s *scrape) ([]prometheus.Metric, error) {
	snap, err := s.entry.selEvents(ctx, s.client, s.x)
	if err != nil {
		return nil, err
	}
	return selEventMetrics(snap.events, s.entry.module.SELEvents), nil
}

func selEventMetrics(events []selEvent, patterns []SELEvent) []prometheus.Metric {
	var states []string // in order of first appearance
	byState := map[string]float64{}
	var names []string
	count, latest := map[string]float64{}, map[string]float64{}
	for _, p := range patterns {
		if _, dup := count[p.Name]; !dup {
			names = append(names, p.Name)
			count[p.Name], latest[p.Name] = 0, 0
		}
	}
	for _, ev := range events {
		if _, seen := byState[ev.state]; !seen {
			states = append(states, ev.state)
		}
		byState[ev.state]++
		for _, p := range patterns {
			if !p.re.MatchString(ev.text) {
				continue
			}
			count[p.Name]++
			latest[p.Name] = max(latest[p.Name], ev.time)
		}
	}
	out := make([]prometheus.Metric, 0, len(states)+2*len(names))
	for _, st := range states {
		out = append(out, gauge(selStateCountDesc, byState[st], st))
	}
	for _, n := range names {
		out = append(out, gauge(selNameCountDesc, count[n], labelText([]byte(n))), gauge(selNameLatestDesc, latest[n], labelText([]byte(n))))
	}
	return out
}
