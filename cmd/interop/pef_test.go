package interop

import (
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
)

// pef info, filter list and policy list print what ipmitool prints for
// ipmi_sim; pef status shows what the BMC has (ipmi_sim lacks Get Last
// Processed Event ID, which makes ipmitool give up).
func TestInteropPEFMatchesIpmitool(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	cred := []string{"-U", peers.AdminUser, "-P", peers.AdminPassword}
	for _, c := range [][]string{{"pef", "info"}, {"pef", "filter", "list"}, {"pef", "policy", "list"}} {
		want, errs, err := peers.Ipmitool(t, sim, c...)
		if err != nil {
			t.Fatalf("ipmitool %v: %v %s", c, err, errs)
		}
		got, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(cred, c...)...)
		if code != 0 || got != want {
			t.Errorf("%v: exit %d %s\nipmictl:  %q\nipmitool: %q", c, code, errOut, got, want)
		}
	}
	got, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(cred, "pef", "status")...)
	if code != 0 || !strings.Contains(got, "PEF                      : disabled\n") || !strings.Contains(errOut, "Last Processed Event") {
		t.Errorf("pef status: exit %d %q %q", code, got, errOut)
	}
	got, _, code = clitest.RunLive(t, sim.Host, sim.Port, append(cred, "-o", "json", "pef", "filter", "list")...)
	if code != 0 || strings.Count(got, `"id":`) != 15 {
		t.Errorf("json filters: exit %d\n%s", code, got)
	}
}
