package exporter

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/rmcp"
)

// collectFunc reads one collector's metrics over a scrape's session.
type collectFunc func(ctx context.Context, s *scrape) ([]prometheus.Metric, error)

var collectFuncs = map[string]collectFunc{
	CollectorIPMI:      collectSensors,
	CollectorBMC:       collectBMC,
	CollectorChassis:   collectChassis,
	CollectorDCMI:      collectDCMI,
	CollectorSEL:       collectSEL,
	CollectorWatchdog:  collectWatchdog,
	CollectorSELEvents: collectSELEvents,
	CollectorSMLANMode: collectSMLANMode,
}

// scrape is what a collector works with.
type scrape struct {
	client *ipmi.Client
	entry  *entry
	x      *Exporter
}

type collectResult struct {
	name    string
	metrics []prometheus.Metric
	err     error
	noLogin bool // err is the session's: the collector never ran
}

// lateGrace is how long a scrape waits, after its deadline, for collectors
// to notice the cancellation before reporting them down anyway.
const lateGrace = 100 * time.Millisecond

// run scrapes e's target with every collector of its module, concurrently
// on the one pooled session, and returns the metrics with ipmi_up per
// collector and ipmi_scrape_duration_seconds. It returns by ctx's
// deadline (plus lateGrace) whatever the BMC does.
func (x *Exporter) run(ctx context.Context, e *entry) []prometheus.Metric {
	start := time.Now()
	m := e.module
	results, reused := x.collectOnce(ctx, e)
	if reused && allFailed(results) && ctx.Err() == nil {
		// A reused session that answers nothing: the BMC may have
		// dropped it. Try once more on a new one if time allows.
		if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > time.Since(start) {
			x.logf("target=%q module=%q: reused session failed, opening a new one", e.target, e.moduleName)
			results, _ = x.collectOnce(ctx, e)
		}
	}
	var out []prometheus.Metric
	ok := true
	for i, name := range m.Collectors {
		r := results[name]
		up := 1.0
		if r.err != nil {
			up, ok = 0, false
			switch {
			case !r.noLogin:
				x.logf("target=%q module=%q collector=%q: %v", e.target, e.moduleName, name, r.err)
			case i == 0:
				x.logf("target=%q module=%q: no session: %v", e.target, e.moduleName, r.err)
			}
		} else {
			out = append(out, r.metrics...)
		}
		out = append(out, prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, up, name))
	}
	out = append(out, prometheus.MustNewConstMetric(durationDesc, prometheus.GaugeValue, time.Since(start).Seconds()))
	x.metrics.scrapes.WithLabelValues(e.moduleName, map[bool]string{true: "success", false: "failure"}[ok]).Inc()
	return out
}

// collectOnce runs the collectors once; reused reports that they ran on
// a session opened by an earlier scrape.
func (x *Exporter) collectOnce(ctx context.Context, e *entry) (results map[string]collectResult, reused bool) {
	m := e.module
	results = make(map[string]collectResult, len(m.Collectors))
	client, fresh, err := e.session(ctx)
	if err != nil {
		for _, name := range m.Collectors {
			results[name] = collectResult{name: name, err: err, noLogin: true}
		}
		return results, false
	}
	before, counted := received(e)
	s := &scrape{client: client, entry: e, x: x}
	ch := make(chan collectResult, len(m.Collectors))
	for _, name := range m.Collectors {
		go func() {
			ms, err := collectFuncs[name](ctx, s)
			ch <- collectResult{name: name, metrics: ms, err: err}
		}()
	}
	var late <-chan time.Time
	for n := 0; n < len(m.Collectors); {
		select {
		case r := <-ch:
			results[r.name] = r
			n++
		case <-ctx.Done():
			if late == nil {
				late = time.After(lateGrace)
			}
		case <-late:
			for _, name := range m.Collectors {
				if _, done := results[name]; !done {
					results[name] = collectResult{name: name, err: ctx.Err()}
				}
			}
			n = len(m.Collectors)
		}
	}
	e.touch()
	after, _ := received(e)
	if sessionBroken(results, counted, after > before) {
		e.drop(client)
	}
	return results, !fresh
}

// packetCounter is a transport that counts the packets it received
// (an RMCP+ session).
type packetCounter interface{ Stats() rmcp.Stats }

// received returns the count of packets e's session has received.
func received(e *entry) (n uint64, ok bool) {
	e.p.mu.Lock()
	t := e.t
	e.p.mu.Unlock()
	if pc, isPC := t.(packetCounter); isPC {
		return pc.Stats().Received, true
	}
	return 0, false
}

func allFailed(rs map[string]collectResult) bool {
	for _, r := range rs {
		if r.err == nil {
			return false
		}
	}
	return len(rs) > 0
}

// sessionBroken decides whether to give up a session after a scrape.
// Over RMCP+, whose sessions count the packets they receive, a session
// that received anything during the scrape is alive (a request that
// timed out on a lossy network does not condemn it), one that received
// nothing is not, and a closed one is not. Elsewhere a transport-level
// failure condemns it; a completion code, a malformed answer or the
// scrape's deadline do not (the BMC answered, or is slow).
func sessionBroken(rs map[string]collectResult, counted, heard bool) bool {
	for _, r := range rs {
		if errors.Is(r.err, rmcp.ErrClosed) {
			return true
		}
	}
	if counted {
		return !heard && allFailed(rs)
	}
	for _, r := range rs {
		if r.err != nil && !isBMCAnswer(r.err) && !errors.Is(r.err, context.DeadlineExceeded) && !errors.Is(r.err, context.Canceled) {
			return true
		}
	}
	return false
}

// isBMCAnswer reports an error that came from a BMC's answer.
func isBMCAnswer(err error) bool {
	var ce *ipmi.CompletionError
	var fe *ipmi.FormatError
	return errors.As(err, &ce) || errors.As(err, &fe) || errors.Is(err, ipmi.ErrDCMIUnsupported)
}
