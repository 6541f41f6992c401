package clitest

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/internal/peers"
)

// IpmitoolAs runs ipmitool against sim with another interface or user
// than peers.Ipmitool's (lanplus, admin).
func IpmitoolAs(t *testing.T, sim *peers.IPMISim, iface, user, pass string, args ...string) (string, string, error) {
	t.Helper()
	peers.Require(t, "ipmitool")
	base := []string{"-I", iface, "-H", sim.Host, "-p", strconv.Itoa(sim.Port), "-U", user, "-P", pass, "-N", "2", "-R", "1"}
	if iface == "lanplus" {
		base = append(base, "-C", "3")
	}
	var out, errOut strings.Builder
	c := exec.Command("ipmitool", append(base, args...)...)
	c.Stdout, c.Stderr = &out, &errOut
	err := c.Run()
	return out.String(), errOut.String(), err
}
