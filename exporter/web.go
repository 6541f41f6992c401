package exporter

import (
	"bytes"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/prometheus/exporter-toolkit/web"
)

// Serve serves srv on ln. webConfigFile, when not "", is a
// prometheus/exporter-toolkit web configuration file (the one every
// Prometheus exporter reads with --web.config.file): tls_server_config
// turns on HTTPS, basic_auth_users (bcrypt hashes) asks every request
// for a password. The file is checked before serving; TLS certificates
// and users are read again as clients connect, so they can be rotated
// without a restart.
func Serve(ln net.Listener, srv *http.Server, webConfigFile string, logf func(string, ...any)) error {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if webConfigFile != "" {
		if err := web.Validate(webConfigFile); err != nil {
			return &webConfigError{path: webConfigFile, err: err}
		}
	}
	logger := slog.New(slog.NewTextHandler(&logfWriter{logf: logf}, &slog.HandlerOptions{
		Level: slog.LevelWarn, // the toolkit's "Listening on", "TLS is enabled" at Info are not news
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // logf stamps its own time
			}
			return a
		},
	}))
	return web.Serve(ln, srv, &web.FlagConfig{WebConfigFile: &webConfigFile}, logger)
}

// ValidateWebConfig checks a --web.config.file without serving.
func ValidateWebConfig(path string) error {
	if path == "" {
		return nil
	}
	if err := web.Validate(path); err != nil {
		return &webConfigError{path: path, err: err}
	}
	return nil
}

type webConfigError struct {
	path string
	err  error
}

func (e *webConfigError) Error() string { return "web config " + e.path + ": " + e.err.Error() }
func (e *webConfigError) Unwrap() error { return e.err }

// logfWriter turns the toolkit's log lines into logf calls.
type logfWriter struct {
	mu   sync.Mutex
	logf func(string, ...any)
}

func (w *logfWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, line := range bytes.Split(bytes.TrimRight(p, "\n"), []byte("\n")) {
		w.logf("%s", line)
	}
	return len(p), nil
}

// hostGuard refuses requests a browser could have been made to send:
// an Origin (or Sec-Fetch-Site) from another site, and a Host header that
// names neither the address the request arrived on nor one of the
// exporter's names (DNS rebinding: a page on evil.example whose name
// now resolves to the exporter). Prometheus sends neither Origin nor a
// foreign Host, so scrapes are unaffected.
type hostGuard struct {
	names func() []string // configured http_host_names
	self  string          // os.Hostname, lower case
	logf  func(string, ...any)

	mu     sync.Mutex
	logged map[string]bool // refused Host/Origin values already logged
}

func newHostGuard(names func() []string, logf func(string, ...any)) *hostGuard {
	h, _ := os.Hostname()
	return &hostGuard{names: names, self: strings.ToLower(h), logf: logf, logged: map[string]bool{}}
}

// maxRefusalsLogged bounds the refusals logged (one line per distinct
// Host and Origin), so that a client cannot flood the log.
const maxRefusalsLogged = 100

func (g *hostGuard) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if msg := g.refuse(r); msg != "" {
			key := r.Host + " " + r.Header.Get("Origin")
			g.mu.Lock()
			first := !g.logged[key] && len(g.logged) < maxRefusalsLogged
			if first {
				g.logged[key] = true
			}
			g.mu.Unlock()
			if first {
				g.logf("refused %s %q from %s: Host=%q Origin=%q Sec-Fetch-Site=%q (logged once per Host and Origin)",
					r.Method, r.URL.Path, r.RemoteAddr, r.Host, r.Header.Get("Origin"), r.Header.Get("Sec-Fetch-Site"))
			}
			http.Error(w, msg, http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// refuse returns why r is refused, or "".
func (g *hostGuard) refuse(r *http.Request) string {
	names := g.names()
	if slices.Contains(names, "*") {
		return ""
	}
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !g.hostAllowed(r.Host, local, names) {
		return "refused: the Host header names another site; if this exporter is reached by that name, add it to http_host_names in the exporter config"
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return "refused: a request from another web site"
	}
	if o := r.Header.Values("Origin"); len(o) > 0 {
		u, err := url.Parse(o[0])
		if len(o) > 1 || err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") ||
			!g.hostAllowed(u.Host, local, names) {
			return "refused: a request from another web site (Origin)"
		}
	}
	return ""
}

// hostAllowed reports whether host (a Host header or an Origin's host,
// with or without a port) names this exporter.
func (g *hostGuard) hostAllowed(host string, local net.Addr, names []string) bool {
	if host == "" {
		return true // HTTP/1.0 without Host: no name a browser could have used
	}
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.TrimSuffix(strings.ToLower(strings.Trim(name, "[]")), ".")
	if name == "" || hasControl(name) {
		return false
	}
	var localIP netip.Addr
	if ta, ok := local.(*net.TCPAddr); ok {
		localIP, _ = netip.AddrFromSlice(ta.IP)
		localIP = localIP.Unmap()
	}
	if a, err := netip.ParseAddr(name); err == nil {
		a = a.Unmap()
		if a == localIP || (a.IsLoopback() && localIP.IsLoopback()) {
			return true
		}
	} else {
		if (name == "localhost" || strings.HasSuffix(name, ".localhost")) && (!localIP.IsValid() || localIP.IsLoopback()) {
			return true
		}
		if name == g.self && g.self != "" {
			return true
		}
	}
	for _, n := range names {
		if strings.TrimSuffix(strings.ToLower(strings.Trim(n, "[]")), ".") == name {
			return true
		}
	}
	return false
}
