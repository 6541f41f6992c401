package interop

import (
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
)

// ipmi_sim has no DCMI: every dcmi command says so plainly and exits 1.
func TestInteropDCMIUnsupported(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim")
	sim := peers.StartIPMISim(t)
	for _, c := range [][]string{{"dcmi", "discover"}, {"dcmi", "power", "reading"}, {"dcmi", "power", "get_limit"}} {
		out, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append([]string{"-U", peers.AdminUser, "-P", peers.AdminPassword}, c...)...)
		if code != cli.ExitBMC || out != "" || !strings.Contains(errOut, "this BMC does not support DCMI") {
			t.Errorf("%v: exit %d out %q err %q", c, code, out, errOut)
		}
	}
}
