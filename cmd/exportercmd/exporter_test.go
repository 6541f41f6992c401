package exportercmd

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

func TestExporterRefusesBadConfig(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("modules:\n  x:\n    collectors: [nope]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"exporter", "--config", "/nonexistent/exporter.yaml"},
		{"exporter", "--config", bad},
	} {
		_, errOut, code := clitest.Run(t, nil, args...)
		if code != cli.ExitUsage {
			t.Errorf("%v: exit %d (%s), want %d", args, code, errOut, cli.ExitUsage)
		}
	}
}

// The command serves /ipmi for a LAN BMC, keeps the password out of its
// log, and closes the BMC session when cancelled (SIGTERM).
func TestExporterServesAndClosesSessions(t *testing.T) {
	b := bmcsim.New()
	bmc, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bmc.Close()
	cfgPath := filepath.Join(t.TempDir(), "exporter.yaml")
	if err := os.WriteFile(cfgPath, []byte("modules:\n  default:\n    user: admin\n    password: password\n    collectors: [chassis, nosuch]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A broken config is refused; fix it and serve.
	if _, _, code := clitest.Run(t, nil, "exporter", "--config", cfgPath); code != cli.ExitUsage {
		t.Fatalf("unknown collector accepted (exit %d)", code)
	}
	if err := os.WriteFile(cfgPath, []byte("modules:\n  default:\n    user: admin\n    password: password\n    collectors: [chassis, bmc]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out clitest.SyncBuffer
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &out}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.Ctx = ctx
	done := make(chan error, 1)
	go func() {
		done <- exporterRun(f, &ExporterOptions{Listen: "127.0.0.1:0", Config: cfgPath, NoLocal: true})
	}()
	re := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(5 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("no listening line:\n%s", out.String())
	}
	for i := 0; i < 3; i++ {
		rsp, err := http.Get(base + "/ipmi?target=" + bmc.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rsp.Body)
		rsp.Body.Close()
		for _, want := range []string{`ipmi_up{collector="chassis"} 1`, `ipmi_up{collector="bmc"} 1`, "ipmi_chassis_power_state "} {
			if !strings.Contains(string(body), want) {
				t.Errorf("scrape %d lacks %q:\n%s", i, want, body)
			}
		}
	}
	if n := b.ActiveSessions(); n != 1 {
		t.Errorf("%d sessions open on the BMC while serving, want 1", n)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exporter returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("exporter did not stop")
	}
	if n := b.ActiveSessions(); n != 0 {
		t.Errorf("%d sessions left open on the BMC after shutdown", n)
	}
	if strings.Contains(out.String(), "password\n") || strings.Contains(out.String(), "password ") {
		t.Errorf("the log shows the password:\n%s", out.String())
	}
}
