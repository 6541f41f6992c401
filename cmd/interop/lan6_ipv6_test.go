package interop

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// Our simulated BMC on [::1]: every -H form of an IPv6 literal reaches it,
// for single commands and for exec.
func TestIPv6LoopbackAgainstBMCSim(t *testing.T) {
	srv, err := bmcsim.Serve(bmcsim.New(), "[::1]:0", nil)
	if err != nil {
		t.Fatalf("bmcsim on [::1]: %v", err)
	}
	defer srv.Close()
	port := int(srv.Addr().Port())
	cred := []string{"-U", "admin", "-P", "password"}
	want, errOut, code := clitest.RunLive(t, "::1", port, append(cred, "chassis", "power", "status")...)
	if code != 0 || !strings.HasPrefix(want, "Chassis Power is ") {
		t.Fatalf("-H ::1: exit %d %q %s", code, want, errOut)
	}
	for _, host := range []string{"[::1]", "[::1]:" + strconv.Itoa(port)} {
		got, errOut, code := clitest.RunLive(t, host, port, append(cred, "chassis", "power", "status")...)
		if code != 0 || got != want {
			t.Errorf("-H %s: exit %d %q %s", host, code, got, errOut)
		}
	}
	for _, iface := range []string{"lanplus", "lan"} {
		out, errOut, code := clitest.RunLive(t, "::1", port, append(cred, "-I", iface, "mc", "info")...)
		if code != 0 || !strings.HasPrefix(out, "Device ID") {
			t.Errorf("-I %s over IPv6: exit %d %q %s", iface, code, out, errOut)
		}
	}
	script := clitest.WriteScript(t, "chassis power status", "mc guid", "chassis power status")
	out, errOut, code := clitest.RunLive(t, "::1", port, append(cred, "exec", script)...)
	if code != 0 || !strings.HasPrefix(out, want) || !strings.HasSuffix(out, want) || !strings.Contains(out, "System GUID") {
		t.Errorf("exec over IPv6: exit %d %q %s", code, out, errOut)
	}
}

// ipmi_sim listening on ::1 (lan.conf "addr ::1 PORT"): ipmictl prints
// what ipmitool prints.
func TestIPv6LoopbackAgainstIPMISim(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t, peers.WithIPv6())
	if sim.Host != "::1" {
		t.Fatalf("ipmi_sim host %q", sim.Host)
	}
	for _, c := range [][]string{{"chassis", "power", "status"}, {"mc", "info"}, {"mc", "getenables"}} {
		want, errs, err := peers.Ipmitool(t, sim, c...)
		if err != nil {
			t.Fatalf("ipmitool -H ::1 %v: %v %s", c, err, errs)
		}
		for _, iface := range []string{"lanplus", "lan"} {
			got, errOut, code := clitest.RunLive(t, "::1", sim.Port, append([]string{"-I", iface, "-U", "admin", "-P", "password"}, c...)...)
			if code != 0 || got != want {
				t.Errorf("-I %s -H ::1 %v: exit %d\n%s\nipmitool:\n%s%s", iface, c, code, got, want, errOut)
			}
		}
	}
}
