package interop

import (
	"context"
	"encoding/json"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
)

// TestSdrPeerIpmitoolIdentical runs ipmitool 1.8.19 and the ipmictl binary
// against one private ipmi_sim and requires the same bytes, with a cold
// and then a warm SDR cache.
func TestSdrPeerIpmitoolIdentical(t *testing.T) {
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	bin := peers.BuildIpmictl(t)
	cache := t.TempDir()
	for _, args := range [][]string{
		{"sdr", "list"},
		{"sdr", "elist"},
		{"sdr", "elist", "all"},
		{"sensor", "list"},
		{"sensor", "get", "CPU1 Temp"},
		{"sdr", "get", "CPU1 Temp"},
		{"-c", "sdr", "list"},
		{"-c", "sensor", "list"},
	} {
		want, _, err := peers.Ipmitool(t, sim, args...)
		if err != nil {
			t.Fatalf("ipmitool %v: %v", args, err)
		}
		for _, run := range []string{"cold", "warm"} {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			full := append([]string{"-I", "lanplus", "-C", "3", "-H", sim.Host, "-p", strconv.Itoa(sim.Port),
				"-U", "admin", "-P", "password", "--sdr-cache", cache}, args...)
			out, err := exec.CommandContext(ctx, bin, full...).Output()
			cancel()
			if err != nil {
				t.Fatalf("ipmictl %v (%s): %v", args, run, err)
			}
			if string(out) != want {
				t.Errorf("ipmictl %s (%s) differs from ipmitool\n got: %q\nwant: %q", strings.Join(args, " "), run, out, want)
			}
		}
	}
}

// TestSensorStatePeerFreeIPMI: every sensor's "state" in -o json sensor
// list is the state FreeIPMI's ipmi-sensors --output-sensor-state prints
// for the same ipmi_sim (N/A: null).
func TestSensorStatePeerFreeIPMI(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmi-sensors")
	sim := peers.StartIPMISim(t)
	out, stderr, err := peers.FreeIPMI(t, sim, "ipmi-sensors", "--output-sensor-state", "--no-header-output",
		"--comma-separated-output", "--quiet-cache")
	if err != nil {
		t.Fatalf("ipmi-sensors: %v\n%s", err, stderr)
	}
	theirs := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Split(line, ",")
		if len(f) >= 4 {
			theirs[f[1]] = f[3]
		}
	}
	js, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, "-I", "lanplus", "-C", "3", "-U", peers.AdminUser,
		"-P", peers.AdminPassword, "--sdr-cache", "off", "-o", "json", "sensor", "list")
	if code != 0 {
		t.Fatalf("sensor list: exit %d: %s", code, errOut)
	}
	var ours []struct {
		Name  string  `json:"name"`
		State *string `json:"state"`
	}
	if err := json.Unmarshal([]byte(js), &ours); err != nil {
		t.Fatal(err)
	}
	if len(ours) == 0 || len(ours) != len(theirs) {
		t.Fatalf("%d sensors here, %d in ipmi-sensors:\n%s", len(ours), len(theirs), out)
	}
	for _, s := range ours {
		got := "N/A"
		if s.State != nil {
			got = *s.State
		}
		if want, ok := theirs[s.Name]; !ok || got != want {
			t.Errorf("%s: state %s, ipmi-sensors says %q", s.Name, got, want)
		}
	}
}
