package cmd

import (
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// Against the simulated BMC: a 17-20 character password is stored as a
// 20-byte password (with a note), the account logs in with it, and the
// list shows the new name.
func TestUserLifecycleOnBMCSim(t *testing.T) {
	bmc := bmcsim.New()
	admin := func() ipmi.Transport { return bmc.Transport("admin", ipmi.PrivilegeAdmin) }
	steps := [][]string{
		{"user", "set", "name", "6", "carol"},
		{"user", "set", "password", "6", "a-long-password-18"},
		{"user", "priv", "6", "3", "1"},
		{"channel", "setaccess", "1", "6", "ipmi=on"},
		{"user", "enable", "6"},
	}
	for _, s := range steps {
		out, errOut, code := clitest.Run(t, admin(), s...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s %s", s, code, out, errOut)
		}
		if s[2] == "password" && !strings.Contains(errOut, "20-byte") {
			t.Errorf("no note about 20-byte storage: %q", errOut)
		}
	}
	cred, ok := bmc.LookupUser([]byte("carol"))
	if !ok || string(cred.Password) != "a-long-password-18" || cred.PrivLimit != ipmi.PrivilegeOperator {
		t.Fatalf("BMC has %+v (found %v)", cred, ok)
	}
	out, _, code := clitest.Run(t, bmc.Transport("carol", ipmi.PrivilegeOperator), "user", "list", "1")
	if code != 0 || !strings.Contains(out, "6   carol            true    false      true       OPERATOR\n") {
		t.Errorf("carol's list (exit %d):\n%s", code, out)
	}
	if _, errOut, code := clitest.Run(t, admin(), "user", "set", "password", "6", "0123456789abcdefX", "16"); code != cli.ExitUsage {
		t.Errorf("17 bytes into 16: exit %d %s", code, errOut)
	}
	out, _, code = clitest.Run(t, admin(), "user", "test", "6", "20", "a-long-password-18")
	if code != 0 || out != "Success\n" {
		t.Errorf("test right password: exit %d %q", code, out)
	}
	out, _, code = clitest.Run(t, admin(), "user", "test", "6", "20", "wrong")
	if code != cli.ExitBMC || out != "Failure: password incorrect\n" {
		t.Errorf("test wrong password: exit %d %q", code, out)
	}
	out, _, code = clitest.Run(t, admin(), "-o", "json", "user", "summary")
	if code != 0 || !strings.Contains(out, `"enabled_user_count"`) {
		t.Errorf("json summary: %d %s", code, out)
	}
}
