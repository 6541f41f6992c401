package interop

import (
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
)

// Values set with ipmictl lan set (committed with set in progress) show
// in ipmitool's lan print and in ipmi_sim's LAN state.
func TestInteropLanSetSeenByIpmitool(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	cred := []string{"-U", peers.AdminUser, "-P", peers.AdminPassword}
	sets := []struct {
		args []string
		said string
		line string
	}{
		{[]string{"ipaddr", "10.20.30.40"}, "Setting LAN IP Address to 10.20.30.40\n", "IP Address              : 10.20.30.40\n"},
		{[]string{"netmask", "255.255.252.0"}, "Setting LAN Subnet Mask to 255.255.252.0\n", "Subnet Mask             : 255.255.252.0\n"},
		{[]string{"macaddr", "02:aa:bb:cc:dd:ee"}, "Setting LAN MAC Address to 02:aa:bb:cc:dd:ee\n", "MAC Address             : 02:aa:bb:cc:dd:ee\n"},
		{[]string{"defgw", "ipaddr", "10.20.28.1"}, "Setting LAN Default Gateway IP to 10.20.28.1\n", "Default Gateway IP      : 10.20.28.1\n"},
		{[]string{"defgw", "macaddr", "02:00:00:00:00:01"}, "Setting LAN Default Gateway MAC to 02:00:00:00:00:01\n", "Default Gateway MAC     : 02:00:00:00:00:01\n"},
		{[]string{"bakgw", "ipaddr", "10.20.28.2"}, "Setting LAN Backup Gateway IP to 10.20.28.2\n", "Backup Gateway IP       : 10.20.28.2\n"},
		{[]string{"ipsrc", "dhcp"}, "", "IP Address Source       : DHCP Address\n"},
		{[]string{"vlan", "id", "42"}, "", "802.1q VLAN ID          : 42\n"},
		{[]string{"vlan", "priority", "5"}, "", "802.1q VLAN Priority    : 5\n"},
		{[]string{"cipher_privs", "XXaXXXXXXXXXXXX"}, "", "Cipher Suite Priv Max   : XXaXXXXXXXXXXXX\n"},
	}
	for _, s := range sets {
		out, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(append(cred, "lan", "set", "1"), s.args...)...)
		if code != 0 || out != s.said {
			t.Errorf("lan set %v: exit %d out %q err %q", s.args, code, out, errOut)
		}
	}
	print, errs, err := peers.Ipmitool(t, sim, "lan", "print", "1")
	if err != nil {
		t.Fatalf("ipmitool lan print: %v %s", err, errs)
	}
	for _, s := range sets {
		if !strings.Contains(print, s.line) {
			t.Errorf("ipmitool lan print lacks %q after lan set %v", s.line, s.args)
		}
	}
	if got := strings.TrimSpace(sim.LANParam("ip_addr")); got != "10.20.30.40" {
		t.Errorf("ipmi_sim's LAN program holds ip_addr %q", got)
	}
	mine, _, _ := clitest.RunLive(t, sim.Host, sim.Port, append(cred, "lan", "print", "1")...)
	if mine != print {
		t.Errorf("lan print after the changes differs\nipmictl:  %q\nipmitool: %q", mine, print)
	}
	// vlan id off keeps the ID and clears the enable bit.
	clitest.RunLive(t, sim.Host, sim.Port, append(cred, "lan", "set", "1", "vlan", "id", "off")...)
	if print, _, _ = peers.Ipmitool(t, sim, "lan", "print", "1"); !strings.Contains(print, "802.1q VLAN ID          : Disabled\n") {
		t.Errorf("vlan id off:\n%s", print)
	}
	// ipmi_sim has no ARP control: the failure names the reason.
	_, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(cred, "lan", "set", "1", "arp", "respond", "on")...)
	if code != cli.ExitBMC || !strings.Contains(errOut, "does not support the parameter") {
		t.Errorf("arp on ipmi_sim: exit %d %s", code, errOut)
	}
	// ipmi_sim has no IP/UDP/RMCP statistics either.
	if _, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(cred, "lan", "stats", "get")...); code != cli.ExitBMC || !strings.Contains(errOut, "Get LAN Stats command failed") {
		t.Errorf("lan stats: exit %d %s", code, errOut)
	}
}
