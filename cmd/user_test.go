package cmd

import (
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

func TestUserPasswordSizeNeverCuts(t *testing.T) {
	cases := []struct {
		pw, size     string
		twenty, auto bool
		usage        bool
	}{
		{"short", "", false, false, false},
		{"0123456789abcdef", "", false, false, false},
		{"0123456789abcdefX", "", true, true, false},
		{"0123456789abcdefXYZW", "", true, true, false},
		{"0123456789abcdefXYZWV", "", false, false, true},
		{"0123456789abcdefX", "16", false, false, true},
		{"short", "20", true, false, false},
		{"short", "18", false, false, true},
	}
	for _, c := range cases {
		twenty, auto, err := userPasswordSize([]byte(c.pw), c.size)
		if _, isUsage := err.(*UsageError); isUsage != c.usage || (err == nil && (twenty != c.twenty || auto != c.auto)) {
			t.Errorf("%q size %q: twenty=%v auto=%v err=%v", c.pw, c.size, twenty, auto, err)
		}
	}
}

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
		out, errOut, code := runCLI(t, admin(), s...)
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
	out, _, code := runCLI(t, bmc.Transport("carol", ipmi.PrivilegeOperator), "user", "list", "1")
	if code != 0 || !strings.Contains(out, "6   carol            true    false      true       OPERATOR\n") {
		t.Errorf("carol's list (exit %d):\n%s", code, out)
	}
	if _, errOut, code := runCLI(t, admin(), "user", "set", "password", "6", "0123456789abcdefX", "16"); code != ExitUsage {
		t.Errorf("17 bytes into 16: exit %d %s", code, errOut)
	}
	out, _, code = runCLI(t, admin(), "user", "test", "6", "20", "a-long-password-18")
	if code != 0 || out != "Success\n" {
		t.Errorf("test right password: exit %d %q", code, out)
	}
	out, _, code = runCLI(t, admin(), "user", "test", "6", "20", "wrong")
	if code != ExitBMC || out != "Failure: password incorrect\n" {
		t.Errorf("test wrong password: exit %d %q", code, out)
	}
	out, _, code = runCLI(t, admin(), "-o", "json", "user", "summary")
	if code != 0 || !strings.Contains(out, `"enabled_user_count"`) {
		t.Errorf("json summary: %d %s", code, out)
	}
}

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
		if out, errOut, code := runLive(t, sim.Host, sim.Port, append(cred, s...)...); code != 0 {
			t.Fatalf("%v: exit %d %s %s", s, code, out, errOut)
		}
	}
	out, errs, err := ipmitoolAs(t, sim, "lanplus", "dave", "dave-pw-2026", "chassis", "power", "status")
	if err != nil || out != "Chassis Power is on\n" {
		t.Errorf("ipmitool login as dave: %v %q %s", err, out, errs)
	}
	out, errOut, code := runLive(t, sim.Host, sim.Port, "-U", "dave", "-P", "dave-pw-2026", "chassis", "power", "status")
	if code != 0 || out != "Chassis Power is on\n" {
		t.Errorf("ipmictl login as dave: exit %d %q %s", code, out, errOut)
	}
	list, _, _ := peers.Ipmitool(t, sim, "user", "list", "1")
	if !strings.Contains(list, "9   dave             true    false      true       ADMINISTRATOR\n") {
		t.Errorf("ipmitool user list:\n%s", list)
	}
	_, errOut, code = runLive(t, sim.Host, sim.Port, append(append([]string{"-I", "lan"}, cred...), "user", "set", "password", "9", "dave-pw-2027")...)
	if code != 0 || !strings.Contains(errOut, "in clear") {
		t.Errorf("IPMI 1.5 password change: exit %d, stderr %q", code, errOut)
	}
	if _, errs, err := ipmitoolAs(t, sim, "lan", "dave", "dave-pw-2027", "chassis", "power", "status"); err != nil {
		t.Errorf("ipmitool -I lan login with the new password: %v %s", err, errs)
	}
}
