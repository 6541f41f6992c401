package interop

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

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
