package interop

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/rmcp"
)

// hostileLAN is a BMC address and login for the in-process CLI runs of
// the hostile-path tests.
type hostileLAN struct {
	addr     string
	user     string
	password string
	suite    int
	timeout  time.Duration // per try: shorter than -N allows, so 30% loss stays fast
	retries  int
}

// Run executes the CLI in-process on a session it dials itself (with a
// sub-second per-try timeout the -N flag cannot express) and returns the
// session's counters after the command, the session closed.
func (h hostileLAN) run(t *testing.T, args ...string) (string, string, int, rmcp.Stats) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	f.Ctx = ctx
	var mu sync.Mutex
	var sess *rmcp.Session
	f.Open = func(ctx context.Context, _ *cli.Factory) (ipmi.Transport, error) {
		cfg := rmcp.NewConfig(h.addr)
		cfg.Username, cfg.Password = h.user, []byte(h.password)
		cfg.CipherSuite = h.suite
		cfg.Timeout, cfg.Retries = h.timeout, h.retries
		s, err := rmcp.Dial(ctx, cfg)
		if err != nil {
			return nil, &cli.ConnectionError{Err: err}
		}
		mu.Lock()
		sess = s
		mu.Unlock()
		return s, nil
	}
	code := cli.Run(f, append([]string{"--sdr-cache", "off"}, args...))
	var st rmcp.Stats
	mu.Lock()
	if sess != nil {
		st = sess.Stats()
	}
	mu.Unlock()
	return out.String(), errOut.String(), code, st
}
