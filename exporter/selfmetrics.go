package exporter

import "github.com/prometheus/client_golang/prometheus"

// selfMetrics are the exporter's own metrics, served on /metrics.
type selfMetrics struct {
	sessionsOpened  prometheus.Counter
	sessionsClosed  prometheus.Counter
	sessionsDropped prometheus.Counter
	sessionsOpen    prometheus.Gauge
	dialErrors      prometheus.Counter
	keepalives      prometheus.Counter
	targets         prometheus.Gauge
	sdrWalks        prometheus.Counter
	selReads        prometheus.Counter
	scrapes         *prometheus.CounterVec
	reloadOK        prometheus.Gauge
	reloadTime      prometheus.Gauge
}

func newSelfMetrics() *selfMetrics {
	const ns = "ipmictl_exporter"
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: name, Help: help})
	}
	gauge := func(name, help string) prometheus.Gauge {
		return prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: name, Help: help})
	}
	return &selfMetrics{
		sessionsOpened:  counter("sessions_opened_total", "BMC sessions opened."),
		sessionsClosed:  counter("sessions_closed_total", "BMC sessions closed."),
		sessionsDropped: counter("sessions_dropped_total", "BMC sessions abandoned because they failed or the BMC dropped them."),
		sessionsOpen:    gauge("sessions_open", "BMC sessions open now."),
		dialErrors:      counter("session_open_errors_total", "Failed attempts to open a BMC session."),
		keepalives:      counter("keepalives_total", "Keepalive requests sent on idle sessions."),
		targets:         gauge("pool_targets", "Targets in the session pool."),
		sdrWalks:        counter("sdr_reads_total", "SDR repositories read from a BMC (not from the cache)."),
		selReads:        counter("sel_reads_total", "SELs read whole by the sel-events collector (not from memory)."),
		scrapes: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "scrapes_total",
			Help: "Scrapes served, by module and result."}, []string{"module", "result"}),
		reloadOK:   gauge("config_last_reload_successful", "Whether the last configuration reload succeeded."),
		reloadTime: gauge("config_last_reload_success_timestamp_seconds", "Time of the last successful configuration load."),
	}
}

func (m *selfMetrics) register(r prometheus.Registerer) {
	r.MustRegister(m.sessionsOpened, m.sessionsClosed, m.sessionsDropped, m.sessionsOpen, m.dialErrors,
		m.keepalives, m.targets, m.sdrWalks, m.selReads, m.scrapes, m.reloadOK, m.reloadTime)
}
