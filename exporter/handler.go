package exporter

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// HandlerOptions change what the HTTP handler serves.
type HandlerOptions struct {
	// NoLocal leaves the local BMC out of /metrics (a host without one).
	NoLocal bool
}

// Handler serves /ipmi (remote targets), /metrics (local BMC and the
// exporter's own metrics), /-/reload (POST) and a landing page. It
// refuses (403) requests from other web sites (a foreign Origin or
// Sec-Fetch-Site) and requests whose Host header names neither the
// listen address nor one of the exporter's names (DNS rebinding).
func (x *Exporter) Handler(o HandlerOptions) http.Handler {
	self := prometheus.NewRegistry()
	self.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	x.metrics.register(self)

	mux := http.NewServeMux()
	mux.HandleFunc("/ipmi", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		target, module := q.Get("target"), q.Get("module")
		if target == "" {
			http.Error(w, "the target parameter is missing", http.StatusBadRequest)
			return
		}
		ctx, cancel := x.scrapeContext(r)
		defer cancel()
		ms, err := x.Scrape(ctx, target, module)
		if IsTargetNotAllowed(err) {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		serveMetrics(w, r, metricList(ms))
	})
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		var g prometheus.Gatherers
		if !o.NoLocal {
			ctx, cancel := x.scrapeContext(r)
			defer cancel()
			ms, err := x.ScrapeLocal(ctx, r.URL.Query().Get("module"))
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			reg := prometheus.NewRegistry()
			reg.MustRegister(metricList(ms))
			g = append(g, reg)
		}
		g = append(g, self)
		promhttp.HandlerFor(g, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}).ServeHTTP(w, r)
	})
	mux.HandleFunc("/-/reload", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost && r.Method != http.MethodPut {
			w.Header().Set("Allow", "POST, PUT")
			http.Error(w, "use POST to reload the config", http.StatusMethodNotAllowed)
			return
		}
		if err := x.Reload(); err != nil {
			x.logf("config reload failed: %v", err)
			http.Error(w, "reload failed: "+err.Error(), http.StatusInternalServerError)
			return
		}
		x.logf("config reloaded")
		fmt.Fprintln(w, "config reloaded")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>ipmictl exporter</title></head><body>
<h1>ipmictl exporter</h1>
<p><a href="/metrics">Local BMC and exporter metrics</a></p>
<p>Remote BMC: <code>/ipmi?target=HOST[:PORT]&amp;module=NAME</code></p>
<form action="/ipmi"><input name="target" placeholder="host"> <input name="module" placeholder="default"> <input type="submit" value="Scrape"></form>
<p>Modules: %s</p>
</body></html>
`, html.EscapeString(fmt.Sprint(moduleNames(x.config()))))
	})
	return newHostGuard(func() []string { return x.config().HTTPHostNames }, x.logf).wrap(mux)
}

// scrapeContext bounds a scrape by Prometheus's timeout header, less the
// configured offset, so the answer arrives before Prometheus gives up.
func (x *Exporter) scrapeContext(r *http.Request) (context.Context, context.CancelFunc) {
	if s := r.Header.Get("X-Prometheus-Scrape-Timeout-Seconds"); s != "" {
		if secs, err := strconv.ParseFloat(s, 64); err == nil && secs > 0 && secs < 3600 {
			d := time.Duration(secs*float64(time.Second)) - time.Duration(x.config().TimeoutOffset)
			if d < 100*time.Millisecond {
				d = 100 * time.Millisecond
			}
			return context.WithTimeout(r.Context(), d)
		}
	}
	return context.WithCancel(r.Context())
}

// metricList is a collector of already collected metrics.
type metricList []prometheus.Metric

// Describe sends nothing: the registry treats the collector as unchecked.
func (metricList) Describe(chan<- *prometheus.Desc) {}

func (l metricList) Collect(ch chan<- prometheus.Metric) {
	for _, m := range l {
		ch <- m
	}
}

func serveMetrics(w http.ResponseWriter, r *http.Request, c prometheus.Collector) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}).ServeHTTP(w, r)
}

func moduleNames(c *Config) []string {
	var out []string
	for name := range c.Modules {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// IsUnknownModule reports an error for a module the config lacks.
func IsUnknownModule(err error) bool {
	var u errUnknownModule
	return errors.As(err, &u)
}
