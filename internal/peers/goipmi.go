package peers

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// GoIPMIServerVersion is the goipmi-server the CI installs with
// `go install github.com/bougou/go-ipmi/cmd/goipmi-server@v0.9.1`.
const GoIPMIServerVersion = "v0.9.1"

// NetnsBMC is a goipmi-server (bougou/go-ipmi, RMCP+ suites 3 and 17, IPMI
// 1.5 MD5) running in a private network namespace: it binds every address,
// so it must never run in the host namespace. Clients reach it only from
// inside that namespace: run programs with Command/Run/Ipmitool, or create
// sockets in-process with InNetns.
type NetnsBMC struct {
	Host     string // "127.0.0.1", inside the namespace
	Port     int
	Addr     string // "127.0.0.1:PORT", inside the namespace
	User     string
	Password string
	PID      int    // goipmi-server's PID; its network namespace is /proc/PID/ns/net
	RunDir   string // goipmi-server.log

	t    testing.TB
	proc *peerProcess
}

// GoIPMIOption changes how StartGoIPMIServer configures the server.
type GoIPMIOption func(*goipmiConfig)

type goipmiConfig struct {
	user, password string
	suites         string
	env            []string
}

// WithGoIPMICredentials sets the only user's name and password
// (default admin/password).
func WithGoIPMICredentials(user, password string) GoIPMIOption {
	return func(c *goipmiConfig) { c.user, c.password = user, password }
}

// WithGoIPMICipherSuites sets the advertised suites, e.g. "17" or "3,17"
// (default: the server's own, 3 and 17).
func WithGoIPMICipherSuites(list string) GoIPMIOption {
	return func(c *goipmiConfig) { c.suites = list }
}

// WithGoIPMIEnv passes extra GOIPMI_SERVER_* variables (e.g.
// "GOIPMI_SERVER_TRACE=1", "GOIPMI_SERVER_V15_AUTH_TYPES=md5,password").
func WithGoIPMIEnv(kv ...string) GoIPMIOption {
	return func(c *goipmiConfig) { c.env = append(c.env, kv...) }
}

// StartGoIPMIServer starts goipmi-server on 127.0.0.1:623 inside a new
// network namespace (unshare -n, loopback up) and waits until it answers a
// pre-session Get Channel Authentication Capabilities. The cleanup stops it
// and fails the test if it died meanwhile. Needs root, unshare and nsenter.
func StartGoIPMIServer(t testing.TB, opts ...GoIPMIOption) *NetnsBMC {
	t.Helper()
	Require(t, "goipmi-server", "unshare", "nsenter", "ip")
	if os.Geteuid() != 0 {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatal("peers: StartGoIPMIServer needs root for a network namespace")
		}
		t.Skip("\n*** PEER TEST SKIPPED: a private network namespace needs root ***")
	}
	server, _ := lookTool("goipmi-server")
	cfg := goipmiConfig{user: AdminUser, password: AdminPassword}
	for _, o := range opts {
		o(&cfg)
	}
	b := &NetnsBMC{
		Host: "127.0.0.1", Port: 623, User: cfg.user, Password: cfg.password,
		RunDir: t.TempDir(), t: t,
	}
	b.Addr = net.JoinHostPort(b.Host, strconv.Itoa(b.Port))
	// unshare and sh exec into goipmi-server, so the PID is the server's and
	// the namespace lives exactly as long as the server.
	cmd := exec.Command("unshare", "-n", "--", "sh", "-c", `ip link set lo up && exec "$0"`, server)
	cmd.Env = append(os.Environ(),
		"GOIPMI_SERVER_PORT="+strconv.Itoa(b.Port),
		"GOIPMI_SERVER_USER="+cfg.user,
		"GOIPMI_SERVER_PASS="+cfg.password)
	if cfg.suites != "" {
		cmd.Env = append(cmd.Env, "GOIPMI_SERVER_CIPHER_SUITES="+cfg.suites)
	}
	cmd.Env = append(cmd.Env, cfg.env...)
	proc, err := startPeerProcess(cmd, filepath.Join(b.RunDir, "goipmi-server.log"))
	if err != nil {
		t.Fatalf("peers: starting goipmi-server: %v", err)
	}
	b.proc, b.PID = proc, proc.pid()
	t.Cleanup(b.Stop)
	start := time.Now()
	if err := b.waitReady(15 * time.Second); err != nil {
		t.Fatal(err)
	}
	t.Logf("peers: goipmi-server %s on udp %s in the network namespace of pid %d, ready in %v",
		GoIPMIServerVersion, b.Addr, b.PID, time.Since(start).Round(time.Millisecond))
	return b
}

func (b *NetnsBMC) waitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		if !b.Alive() {
			return fmt.Errorf("peers: goipmi-server exited during start-up (%v):\n%s", b.proc.waitErr, b.Log())
		}
		last = b.InNetns(func() error { return probeAuthCaps(b.Addr, 200*time.Millisecond) })
		if last == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("peers: goipmi-server did not answer on %s within %v (last: %v):\n%s", b.Addr, timeout, last, b.Log())
}

// InNetns runs fn on a thread inside the server's network namespace; create
// sockets there (e.g. net.Dial("udp", b.Addr)) and use them anywhere.
// Goroutines that fn starts do not inherit the namespace.
func (b *NetnsBMC) InNetns(fn func() error) error { return inNetns(b.PID, fn) }

// DialUDP returns a UDP socket connected to the server, created inside its
// namespace.
func (b *NetnsBMC) DialUDP() (net.Conn, error) {
	var c net.Conn
	err := b.InNetns(func() (err error) {
		c, err = net.Dial("udp", b.Addr)
		return err
	})
	return c, err
}

// Command returns a command that runs inside the server's network namespace
// (nsenter -t PID -n). Its network is private: only 127.0.0.1 and the server.
func (b *NetnsBMC) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "nsenter", append([]string{"-t", strconv.Itoa(b.PID), "-n", "--", name}, args...)...)
}

// Run runs a program inside the namespace with a 60 s timeout.
func (b *NetnsBMC) Run(t testing.TB, name string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := b.Command(ctx, name, args...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("%s %v: timed out", name, args)
	}
	return o.String(), e.String(), err
}

// IpmitoolArgs returns ipmitool's base flags for this server with suite 17.
func (b *NetnsBMC) IpmitoolArgs() []string {
	return []string{"-I", "lanplus", "-C", "17", "-H", b.Host, "-p", strconv.Itoa(b.Port), "-U", b.User, "-P", b.Password}
}

// Ipmitool runs ipmitool with IpmitoolArgs inside the namespace.
func (b *NetnsBMC) Ipmitool(t testing.TB, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	Require(t, "ipmitool")
	return b.Run(t, "ipmitool", append(b.IpmitoolArgs(), args...)...)
}

// Alive reports whether goipmi-server is still running.
func (b *NetnsBMC) Alive() bool { return b.proc.alive() }

// Log returns goipmi-server's output.
func (b *NetnsBMC) Log() string { return b.proc.log() }

// Stop stops the server (SIGTERM, then SIGKILL after 3 s); the namespace
// goes away with it. The cleanup calls it too. It fails the test if the
// server had died on its own.
func (b *NetnsBMC) Stop() {
	if b.proc.stop() {
		b.t.Errorf("peers: goipmi-server DIED during the test (%v); log:\n%s", b.proc.waitErr, b.Log())
	}
}
