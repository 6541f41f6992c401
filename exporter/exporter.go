// Package exporter is a Prometheus exporter for BMCs, compatible with
// prometheus-community/ipmi_exporter's metrics and multi-target pattern:
// /ipmi?target=HOST&module=NAME scrapes a remote BMC over RMCP+,
// /metrics the local one in-band plus the exporter's own metrics.
//
// Unlike ipmi_exporter, which runs FreeIPMI tools and so opens a session
// per collector per scrape, it keeps one session per target open across
// scrapes (with a keepalive), runs the collectors concurrently on it, and
// keeps each target's SDR repository in memory, so a scrape costs one
// request per sensor plus one per other metric.
package exporter

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/inband"
	"github.com/ipmictl/ipmictl/rmcp"
)

var errPoolClosed = errors.New("exporter shutting down")

// Options are the parts of an Exporter that are not in its config file.
type Options struct {
	// Dial opens LAN sessions; nil means RMCP+ / IPMI 1.5 with rmcp.Dial.
	Dial Dialer
	// DialLocal opens the local BMC for /metrics; nil means /dev/ipmi0.
	DialLocal func(ctx context.Context, m *Module) (ipmi.Transport, error)
	// Logf receives one line per failure; it never sees credentials.
	Logf func(format string, args ...any)
}

// Exporter serves the metrics. It is safe for concurrent use.
type Exporter struct {
	cfg     atomic.Pointer[Config]
	reload  sync.Mutex
	path    string // config file, for Reload
	remote  *pool
	local   *pool
	metrics *selfMetrics
	logf    func(string, ...any)

	stop    chan struct{}
	stopped sync.WaitGroup
	once    sync.Once
}

// New returns an Exporter running with cfg (from path, which Reload
// reads again; "" disables reloading).
func New(cfg *Config, path string, o Options) *Exporter {
	x := &Exporter{path: path, metrics: newSelfMetrics(), logf: escapedLogf(o.Logf), stop: make(chan struct{})}
	x.cfg.Store(cfg)
	for _, w := range cfg.Warnings() {
		x.logf("warning: %s", w)
	}
	dial := o.Dial
	if dial == nil {
		dial = dialLAN
	}
	x.remote = newPool(dial, cfg, x.metrics, x.logf)
	dialLocal := o.DialLocal
	if dialLocal == nil {
		dialLocal = func(ctx context.Context, m *Module) (ipmi.Transport, error) {
			return inband.Open(inband.Options{Timeout: m.requestTimeout(), Retries: m.retries()})
		}
	}
	x.local = newPool(func(ctx context.Context, _ string, m *Module, _ int) (ipmi.Transport, error) {
		return dialLocal(ctx, m)
	}, cfg, x.metrics, x.logf)
	x.local.ping = 0 // the driver has no session to keep alive
	x.metrics.reloadOK.Set(1)
	x.metrics.reloadTime.SetToCurrentTime()
	x.stopped.Add(1)
	go x.sweeper()
	return x
}

func (x *Exporter) config() *Config { return x.cfg.Load() }

// sweepEvery is how often idle sessions are looked at.
const sweepEvery = 2 * time.Second

func (x *Exporter) sweeper() {
	defer x.stopped.Done()
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			x.remote.sweep(now)
			x.local.sweep(now)
		case <-x.stop:
			return
		}
	}
}

// Reload reads the config file again. On error the running config stays.
// Sessions opened with the old modules are closed.
func (x *Exporter) Reload() error {
	x.reload.Lock()
	defer x.reload.Unlock()
	if x.path == "" {
		return errors.New("no config file to reload")
	}
	cfg, err := LoadConfig(x.path)
	if err != nil {
		x.metrics.reloadOK.Set(0)
		return err
	}
	x.cfg.Store(cfg)
	for _, w := range cfg.Warnings() {
		x.logf("warning: %s", w)
	}
	for _, p := range []*pool{x.remote, x.local} {
		p.mu.Lock()
		p.max, p.maxNew, p.idle = cfg.MaxTargets, cfg.MaxNewTargets, time.Duration(cfg.SessionIdle)
		if p == x.remote {
			p.ping = time.Duration(cfg.Keepalive)
		}
		p.mu.Unlock()
		p.flush()
	}
	x.metrics.reloadOK.Set(1)
	x.metrics.reloadTime.SetToCurrentTime()
	return nil
}

// Close closes every BMC session (Close Session is sent to each).
func (x *Exporter) Close() error {
	x.once.Do(func() {
		close(x.stop)
		x.stopped.Wait()
		var wg sync.WaitGroup
		for _, p := range []*pool{x.remote, x.local} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p.closeAll()
			}()
		}
		wg.Wait()
	})
	return nil
}

// Scrape collects a remote target's metrics with the named module, by
// ctx's deadline (capped by the module's timeout).
func (x *Exporter) Scrape(ctx context.Context, target, module string) ([]prometheus.Metric, error) {
	if module == "" {
		module = "default"
	}
	m, err := x.module(module)
	if err != nil {
		return nil, err
	}
	addr, err := normalizeTarget(target)
	if err != nil {
		return nil, err
	}
	if m.allow != nil && !m.allow.allows(addr) {
		// Refused before the pool: no slot, no packet, no password.
		return nil, errTargetNotAllowed{target: target, module: module}
	}
	ctx, cancel := context.WithTimeout(ctx, m.scrapeTimeout())
	defer cancel()
	e := x.remote.acquire(module+"\x00"+addr, addr, module, m)
	defer x.remote.release(e, true)
	return x.run(ctx, e), nil
}

// ScrapeLocal collects the local BMC's metrics in-band.
func (x *Exporter) ScrapeLocal(ctx context.Context, module string) ([]prometheus.Metric, error) {
	if module == "" {
		module = "default"
	}
	m, err := x.module(module)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, m.scrapeTimeout())
	defer cancel()
	e := x.local.acquire(module, "[local]", module, m)
	defer x.local.release(e, true)
	return x.run(ctx, e), nil
}

// errUnknownModule is returned for a module the config does not name.
type errUnknownModule string

func (e errUnknownModule) Error() string { return "unknown module " + strconv.Quote(string(e)) }

func (x *Exporter) module(name string) (*Module, error) {
	if name == "" {
		name = "default"
	}
	m := x.config().Modules[name]
	if m == nil {
		return nil, errUnknownModule(name)
	}
	return m, nil
}

// normalizeTarget turns HOST, HOST:PORT, [V6]:PORT or a bare IPv6
// address into host:port (port 623 by default).
func normalizeTarget(t string) (string, error) {
	if t == "" {
		return "", errors.New("no target given")
	}
	if len(t) > 255 {
		return "", errors.New("target too long")
	}
	if hasControl(t) {
		return "", errors.New("bad target " + strconv.Quote(t) + ": it holds a control character")
	}
	addr, err := rmcp.Address(t, rmcp.DefaultPort)
	if err != nil {
		return "", errors.New("bad target " + strconv.Quote(t))
	}
	return addr, nil
}

// lanSuites remembers each target's cipher suite beyond the life of its
// pool entry (rmcp.Dial recalls and records it).
var lanSuites = rmcp.NewSuiteMap()

// dialLAN opens an RMCP+ (or IPMI 1.5) session with the module's
// settings; the scrape's context bounds the handshake.
func dialLAN(ctx context.Context, target string, m *Module, hint int) (ipmi.Transport, error) {
	cfg := rmcp.NewConfig(target)
	if m.v15 {
		cfg.Version = rmcp.V15
	}
	cfg.Username = m.User
	if m.secrets != nil { // nil only for a Module not loaded by ParseConfig
		cfg.Password, cfg.Kg = m.secrets.password, m.secrets.kg
	}
	cfg.Privilege = m.priv
	cfg.AllowInsecure = m.Insecure
	cfg.AuthType = m.authType
	if m.CipherSuite != nil {
		cfg.CipherSuite = *m.CipherSuite
	} else {
		cfg.SuiteHint = hint
		cfg.Suites = lanSuites
	}
	cfg.Timeout = m.requestTimeout()
	cfg.Retries = m.retries()
	if cfg.Retries == 0 {
		cfg.Retries = -1 // rmcp: 0 means its default
	}
	return rmcp.Dial(ctx, cfg)
}

// authenticator is a session that tells whether its packets carry an
// integrity code (rmcp.Session).
type authenticator interface{ Authenticated() bool }

// errUnauthenticated is a session the BMC would only open without
// integrity, refused for a module without insecure: true.
var errUnauthenticated = errors.New("the BMC opened a session without integrity checks (cipher suite 0, 1, 6 or 15, or IPMI 1.5 auth type none); refused: set insecure: true in the module to accept it, or enable a suite with integrity on the BMC")

// checkSession refuses a session whose packets are not authenticated
// unless the module allows it.
func checkSession(t ipmi.Transport, m *Module) error {
	if a, ok := t.(authenticator); ok && !a.Authenticated() && !m.Insecure {
		return errUnauthenticated
	}
	return nil
}

// escapedLogf wraps logf so that no field (a target, a module name, an
// error text quoting a BMC) can start a log line of its own: control
// characters in the formatted line are escaped (a newline as \n).
func escapedLogf(logf func(string, ...any)) func(string, ...any) {
	if logf == nil {
		return func(string, ...any) {}
	}
	return func(format string, args ...any) {
		s := fmt.Sprintf(format, args...)
		if hasControl(s) {
			q := strconv.QuoteToGraphic(s)
			s = q[1 : len(q)-1]
		}
		logf("%s", s)
	}
}
