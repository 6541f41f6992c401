package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
)

// runFanoutCLI runs ipmictl where every host gets a fake BMC whose power
// state is on unless the host name contains "off"; hosts containing
// "dead" cannot be reached.
func runFanoutCLI(t *testing.T, args ...string) (string, string, int, int64) {
	t.Helper()
	var out, errOut bytes.Buffer
	var opened atomic.Int64
	f := clitest.NewFactory()
	f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}
	f.Open = func(ctx context.Context, f *cli.Factory) (ipmi.Transport, error) {
		opened.Add(1)
		host := f.Opts.Host
		if strings.Contains(host, "dead") {
			return nil, &cli.ConnectionError{Err: fmt.Errorf("%s: no answer", host)}
		}
		status := byte(1)
		if strings.Contains(host, "off") {
			status = 0
		}
		return clitest.NewFakeBMC().On(ipmi.NetFnChassis, 0x01, 0, status, 0, 0), nil
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	code := cli.Run(f, append([]string{"-P", "x"}, args...))
	return out.String(), errOut.String(), code, opened.Load()
}

func TestFanoutPrefixesEachHost(t *testing.T) {
	out, _, code, opened := runFanoutCLI(t, "-H", "node[1-3],off1", "--fanout", "2", "chassis", "power", "status")
	if code != 0 || opened != 4 {
		t.Fatalf("exit %d, %d sessions opened", code, opened)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := map[string]bool{"node1: Chassis Power is on": true, "node2: Chassis Power is on": true,
		"node3: Chassis Power is on": true, "off1: Chassis Power is off": true}
	if len(lines) != 4 {
		t.Fatalf("got %q", out)
	}
	for _, l := range lines {
		if !want[l] {
			t.Errorf("unexpected line %q", l)
		}
	}
}

func TestFanoutConsolidatesIdenticalOutput(t *testing.T) {
	out, _, code, _ := runFanoutCLI(t, "-H", "n[1-4],off7", "--consolidate", "chassis", "power", "status")
	want := "----------------\nn[1-4]\n----------------\nChassis Power is on\n" +
		"----------------\noff7\n----------------\nChassis Power is off\n"
	if code != 0 || out != want {
		t.Errorf("exit %d\n got %q\nwant %q", code, out, want)
	}
}

func TestFanoutFailedHostSetsExitStatusAndKeepsOthers(t *testing.T) {
	out, errOut, code, _ := runFanoutCLI(t, "-H", "a1,dead1,a2", "chassis", "power", "status")
	if code != cli.ExitConnection {
		t.Errorf("exit %d, want 3 (a host could not be reached)", code)
	}
	if strings.Count(out, "Chassis Power is on") != 2 || !strings.Contains(errOut, "dead1: ipmictl: dead1: no answer") {
		t.Errorf("stdout %q stderr %q", out, errOut)
	}
}

func TestFanoutJSONIsOneObjectPerHost(t *testing.T) {
	out, _, code, _ := runFanoutCLI(t, "-H", "b[1-2],dead9", "-o", "json", "chassis", "power", "status")
	if code != cli.ExitConnection {
		t.Errorf("exit %d", code)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var obj struct {
			Host   string `json:"host"`
			Code   int    `json:"exit_code"`
			Result *struct {
				PowerOn bool `json:"power_on"`
			} `json:"result"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		seen[obj.Host] = true
		switch {
		case obj.Host == "dead9" && (obj.Code != 3 || obj.Error == "" || obj.Result != nil):
			t.Errorf("dead host: %+v", obj)
		case obj.Host != "dead9" && (obj.Code != 0 || obj.Result == nil || !obj.Result.PowerOn):
			t.Errorf("live host: %+v", obj)
		}
	}
	if len(seen) != 3 {
		t.Errorf("hosts %v", seen)
	}
}

func TestFanoutTagsAndHostsFile(t *testing.T) {
	dir := t.TempDir()
	cfg := dir + "/config.yaml"
	clitest.WriteFile(t, cfg, "profiles:\n  r3n1:\n    host: n1\n    tags: [rack3]\n  r3n2:\n    host: off2\n    tags: [rack3]\n  r4n1:\n    host: n9\n    tags: [rack4]\n", 0o600)
	out, _, code, opened := runFanoutCLI(t, "--config", cfg, "-H", "@rack3", "--consolidate", "chassis", "power", "status")
	if code != 0 || opened != 2 || !strings.Contains(out, "r3n1\n") || !strings.Contains(out, "r3n2\n") {
		t.Errorf("@rack3: exit %d opened %d out %q", code, opened, out)
	}
	hf := dir + "/hosts"
	clitest.WriteFile(t, hf, "# rack 5\nx[1-2]\n\ny9 # spare\n", 0o644)
	_, _, code, opened = runFanoutCLI(t, "--hosts-file", hf, "chassis", "power", "status")
	if code != 0 || opened != 3 {
		t.Errorf("--hosts-file: exit %d, opened %d, want 3", code, opened)
	}
}
