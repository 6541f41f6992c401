package simcmd

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/rmcp"
)

// TestSimSessionTimeoutFlag: `ipmictl sim --session-timeout 300ms` closes
// a session nobody uses after 300 ms, so an abandoned login does not keep
// the BMC's only slot.
func TestSimSessionTimeoutFlag(t *testing.T) {
	var out clitest.SyncBuffer
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &out}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.Ctx = ctx
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(f, []string{"sim", "--listen", "127.0.0.1:0", "--session-slots", "1", "--session-timeout", "300ms"})
	}()
	re := regexp.MustCompile(`1 BMC listening on 127\.0\.0\.1:(\d+)\n`)
	var port string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && port == ""; time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			port = m[1]
		}
	}
	if port == "" {
		t.Fatalf("no announcement:\n%s", out.String())
	}
	login := func() (*rmcp.Session, error) {
		cfg := rmcp.NewConfig("127.0.0.1:" + port)
		cfg.Username, cfg.Password, cfg.CipherSuite = "admin", []byte("password"), 17
		cfg.Timeout, cfg.Retries = 200*time.Millisecond, 1
		dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer dcancel()
		return rmcp.Dial(dctx, cfg)
	}
	first, err := login()
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if _, err := login(); err == nil {
		t.Fatal("a second login took the only slot while the first session was open")
	}
	time.Sleep(600 * time.Millisecond)
	second, err := login()
	if err != nil {
		t.Fatalf("login after the first session idled 600 ms (timeout 300 ms): %v", err)
	}
	defer second.Close()
	var te *rmcp.TimeoutError
	if _, err := first.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID}); !errors.As(err, &te) {
		t.Errorf("request on the expired session: %v, want no answer", err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("sim exit %d:\n%s", code, out.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("sim did not stop")
	}
}
