package simcmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/rmcp"
)

func TestSimRefusesBadFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"sim", "--listen", "10.0.0.1:623"}, "not a loopback address"},
		{[]string{"sim", "--listen", "0.0.0.0:6230"}, "not a loopback address"},
		{[]string{"sim", "--addresses", "127.255.255.250-128.0.0.3"}, "not a loopback address"},
		{[]string{"sim", "--count", "0"}, "--count 0"},
		{[]string{"sim", "--listen", "127.0.0.1:65530", "--count", "10"}, "do not fit"},
		{[]string{"sim", "--session-slots", "64"}, "want 1-63"},
		{[]string{"sim", "--listen", "localhost"}, "want IP:port"},
	}
	for _, c := range cases {
		_, errOut, code := clitest.Run(t, nil, c.args...)
		if code != cli.ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, errOut, cli.ExitUsage, c.want)
		}
	}
}

func TestSimServesUntilCancelled(t *testing.T) {
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("s3cret-20-bytes-long\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out clitest.SyncBuffer
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &out}
	ctx, cancel := context.WithCancel(context.Background())
	f.Ctx = ctx
	f.Opts.PasswordFile = pwFile
	done := make(chan error, 1)
	go func() {
		done <- simRun(f, &SimOptions{Listen: "127.0.0.1:0", Count: 3, User: "root", Slots: 4, Seed: 1, AddrPort: 623})
	}()
	var addrs []string
	re := regexp.MustCompile(`3 BMCs listening on 127\.0\.0\.1 ports \d+ \d+ \d+\n`)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && len(addrs) == 0 {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			addrs = append(addrs, m[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(addrs) == 0 {
		t.Fatalf("no announcement:\n%s", out.String())
	}
	if strings.Contains(out.String(), "s3cret") {
		t.Errorf("the announcement shows the password from the file:\n%s", out.String())
	}
	// With port 0 each BMC gets its own ephemeral port; log in to the
	// one the announcement names first as root with the file's password.
	first := regexp.MustCompile(`-p (\d+) -U root`).FindStringSubmatch(out.String())
	if first == nil {
		t.Fatalf("no login hint:\n%s", out.String())
	}
	cfg := rmcp.NewConfig("127.0.0.1:" + first[1])
	cfg.Username, cfg.Password, cfg.CipherSuite = "root", []byte("s3cret-20-bytes-long"), 17
	dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer dcancel()
	s, err := rmcp.Dial(dctx, cfg)
	if err != nil {
		t.Fatalf("login as root: %v\n%s", err, out.String())
	}
	rsp, err := s.Send(dctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID})
	if err != nil || rsp.Code != ipmi.CodeOK {
		t.Errorf("Get Device ID: %v %v", rsp, err)
	}
	s.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("sim returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("sim did not stop after cancel")
	}
}
