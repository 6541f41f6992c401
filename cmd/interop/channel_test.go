package interop

import (
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
)

// The administration commands print exactly what ipmitool 1.8.19 prints
// for the same BMC, over IPMI 2.0 and 1.5, in text and -c forms.
func TestInteropAdminTextMatchesIpmitool(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	commands := [][]string{
		{"user", "list"}, {"user", "list", "1"}, {"user", "summary"}, {"user", "summary", "1"},
		{"lan", "print"}, {"lan", "print", "1"},
		{"channel", "info"}, {"channel", "info", "1"}, {"channel", "info", "0"}, {"channel", "info", "15"},
		{"channel", "getciphers", "ipmi", "1"}, {"channel", "getciphers", "sol"},
		{"channel", "getaccess", "1", "2"}, {"channel", "getaccess", "1"},
		{"session", "info", "active"}, {"session", "info", "all"},
		{"-c", "user", "list", "1"}, {"-c", "user", "summary"}, {"-c", "channel", "getciphers", "ipmi", "1"},
		{"-c", "session", "info", "active"}, {"-c", "lan", "print", "1"}, {"-c", "channel", "info", "1"},
	}
	for _, iface := range []string{"lanplus", "lan"} {
		for _, c := range commands {
			t.Run(iface+" "+strings.Join(c, " "), func(t *testing.T) {
				want, errs, err := clitest.IpmitoolAs(t, sim, iface, peers.AdminUser, peers.AdminPassword, c...)
				if err != nil {
					t.Fatalf("ipmitool: %v %s", err, errs)
				}
				args := append([]string{"-I", iface, "-U", peers.AdminUser, "-P", peers.AdminPassword}, c...)
				got, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, args...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				if got != want {
					t.Errorf("ipmictl and ipmitool differ\nipmictl:  %q\nipmitool: %q", got, want)
				}
			})
		}
	}
}

// Access changed with ipmictl channel setaccess is what ipmitool reads.
func TestInteropSetaccessSeenByIpmitool(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	cred := []string{"-U", peers.AdminUser, "-P", peers.AdminPassword}
	run := func(args ...string) string {
		t.Helper()
		out, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(cred, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		return out
	}
	if out := run("channel", "setaccess", "1", "4", "privilege=OPERATOR", "ipmi=off"); out != "Set User Access (channel 1 id 4) successful.\n" {
		t.Errorf("setaccess said %q", out)
	}
	got, errs, err := peers.Ipmitool(t, sim, "channel", "getaccess", "1", "4")
	if err != nil {
		t.Fatalf("ipmitool: %v %s", err, errs)
	}
	for _, want := range []string{"IPMI Messaging       : disabled", "Privilege Level      : OPERATOR", "User Name            : user"} {
		if !strings.Contains(got, want) {
			t.Errorf("ipmitool getaccess lacks %q:\n%s", want, got)
		}
	}
	run("channel", "setaccess", "1", "4", "ipmi=on", "privilege=4")
	got, _, _ = peers.Ipmitool(t, sim, "channel", "getaccess", "1", "4")
	if !strings.Contains(got, "IPMI Messaging       : enabled") || !strings.Contains(got, "Privilege Level      : ADMINISTRATOR") {
		t.Errorf("after re-enabling:\n%s", got)
	}
	// A bad option is refused before anything is sent.
	if _, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(cred, "channel", "setaccess", "1", "4", "ipmi=maybe")...); code != cli.ExitUsage {
		t.Errorf("bad option: exit %d %s", code, errOut)
	}
}
