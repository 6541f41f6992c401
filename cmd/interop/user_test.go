package interop

import (
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
)

// A user made with ipmictl on ipmi_sim logs in with ipmitool and with
// ipmictl; over IPMI 1.5 ipmictl warns that the password travels in clear.
func TestInteropUserCreatedWithIpmictlLogsIn(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	cred := []string{"-U", peers.AdminUser, "-P", peers.AdminPassword}
	for _, s := range [][]string{
		{"user", "set", "name", "9", "dave"},
		{"user", "set", "password", "9", "dave-pw-2026"},
		{"user", "priv", "9", "4", "1"},
		{"channel", "setaccess", "1", "9", "ipmi=on"},
		{"user", "enable", "9"},
	} {
		if out, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(cred, s...)...); code != 0 {
			t.Fatalf("%v: exit %d %s %s", s, code, out, errOut)
		}
	}
	out, errs, err := clitest.IpmitoolAs(t, sim, "lanplus", "dave", "dave-pw-2026", "chassis", "power", "status")
	if err != nil || out != "Chassis Power is on\n" {
		t.Errorf("ipmitool login as dave: %v %q %s", err, out, errs)
	}
	out, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, "-U", "dave", "-P", "dave-pw-2026", "chassis", "power", "status")
	if code != 0 || out != "Chassis Power is on\n" {
		t.Errorf("ipmictl login as dave: exit %d %q %s", code, out, errOut)
	}
	list, _, _ := peers.Ipmitool(t, sim, "user", "list", "1")
	if !strings.Contains(list, "9   dave             true    false      true       ADMINISTRATOR\n") {
		t.Errorf("ipmitool user list:\n%s", list)
	}
	_, errOut, code = clitest.RunLive(t, sim.Host, sim.Port, append(append([]string{"-I", "lan"}, cred...), "user", "set", "password", "9", "dave-pw-2027")...)
	if code != 0 || !strings.Contains(errOut, "in clear") {
		t.Errorf("IPMI 1.5 password change: exit %d, stderr %q", code, errOut)
	}
	if _, errs, err := clitest.IpmitoolAs(t, sim, "lan", "dave", "dave-pw-2027", "chassis", "power", "status"); err != nil {
		t.Errorf("ipmitool -I lan login with the new password: %v %s", err, errs)
	}
}
