package auditcmd

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	cli "github.com/ipmictl/ipmictl/cmd/cli"
	clitest "github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

func auditFindingIDs(t *testing.T, out string) map[string]string {
	t.Helper()
	var rep auditReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("audit json: %v\n%s", err, out)
	}
	ids := map[string]string{}
	for _, f := range rep.Findings {
		ids[f.ID] = f.Severity
		if len(f.Fix) == 0 || f.Risk == "" {
			t.Errorf("finding %s has no fix or risk", f.ID)
		}
	}
	return ids
}

// A fresh simulated BMC is insecure (suite 0 allowed at USER, straight
// passwords, an "admin" user); after the fixes audit suggests, it passes.
func TestAuditBMCSimInsecureThenHardened(t *testing.T) {
	bmc := bmcsim.New()
	as := func(user string) ipmi.Transport { return bmc.Transport(user, ipmi.PrivilegeAdmin) }
	out, errOut, code := clitest.Run(t, as("admin"), "-o", "json", "audit")
	if code != cli.ExitBMC {
		t.Fatalf("insecure BMC: exit %d, want 1 (critical)\n%s%s", code, out, errOut)
	}
	ids := auditFindingIDs(t, out)
	for id, sev := range map[string]string{"cipher-suite-0": auditCritical, "ipmi15-auth-password": auditHigh,
		"suite-no-integrity": auditHigh, "suite-no-encryption": auditMedium, "default-user-name": auditMedium} {
		if ids[id] != sev {
			t.Errorf("finding %s: severity %q, want %q (all: %v)", id, ids[id], sev, ids)
		}
	}
	text, _, _ := clitest.Run(t, as("admin"), "audit")
	if !strings.Contains(text, "[CRITICAL] Cipher suite 0") || !strings.Contains(text, "fix:   ipmictl lan set 1 cipher_privs ") {
		t.Errorf("text report:\n%s", text)
	}

	// Harden: only suites 3 and 17 (entries 3 and 11 of this BMC's list),
	// MD5 for IPMI 1.5, and no well-known user name.
	for _, s := range [][]string{
		{"lan", "set", "1", "cipher_privs", "XXXaXXXXXXXaXXX"},
		{"lan", "set", "1", "auth", "callback,user,operator,admin,oem", "md5"},
		{"user", "set", "name", "2", "ops-root-7"},
	} {
		if out, errOut, code := clitest.Run(t, as("admin"), s...); code != 0 {
			t.Fatalf("%v: exit %d %s %s", s, code, out, errOut)
		}
	}
	out, errOut, code = clitest.Run(t, as("ops-root-7"), "-o", "json", "audit")
	if code != 0 {
		t.Fatalf("hardened BMC: exit %d\n%s%s", code, out, errOut)
	}
	if ids := auditFindingIDs(t, out); len(ids) != 0 {
		t.Errorf("hardened BMC still has findings %v", ids)
	}
	if p, ok := bmc.SuiteMaxPrivilege(0); ok {
		t.Errorf("suite 0 still allowed up to %s", p)
	}

	// Turning per-message authentication off is found, with a raw fix.
	c := ipmi.NewClient(as("ops-root-7"))
	a := ipmi.ChannelAccess{PerMessageAuthDisabled: true, AccessMode: ipmi.AccessAlways, PrivilegeLimit: ipmi.PrivilegeAdmin}
	if err := c.SetChannelAccess(context.Background(), 1, a, ipmi.AccessOptionVolatile, ipmi.AccessOptionKeep); err != nil {
		t.Fatal(err)
	}
	c.Close()
	out, _, code = clitest.Run(t, as("ops-root-7"), "audit")
	if code != 0 || !strings.Contains(out, "[HIGH] Per-message authentication is disabled") ||
		!strings.Contains(out, "ipmictl raw 0x06 0x40 0x01 0x82 0x00") {
		t.Errorf("per-message auth off (exit %d):\n%s", code, out)
	}
}

// On ipmi_sim, audit proves suite 0 with a password-less session, finds
// straight-password logins and unencrypted suites, and, once a null user
// is enabled (with ipmictl), reports it too.
func TestInteropAuditIPMISim(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim")
	sim := peers.StartIPMISim(t)
	cred := []string{"-U", peers.AdminUser, "-P", peers.AdminPassword}
	var probed []string
	orig := auditSuite0Probe
	auditSuite0Probe = func(ctx context.Context, addr, user string, priv ipmi.Privilege) error {
		probed = append(probed, user)
		return orig(ctx, addr, user, priv)
	}
	defer func() { auditSuite0Probe = orig }()
	out, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(cred, "-o", "json", "audit")...)
	if code != cli.ExitBMC {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	ids := auditFindingIDs(t, out)
	for _, id := range []string{"cipher-suite-0", "ipmi15-auth-password", "suite-no-encryption", "default-user-name"} {
		if ids[id] == "" {
			t.Errorf("no %s finding on ipmi_sim: %v", id, ids)
		}
	}
	if len(probed) != 1 || probed[0] != peers.AdminUser {
		t.Errorf("suite 0 probe ran for %v", probed)
	}
	if !strings.Contains(out, "without any password") {
		t.Errorf("suite 0 finding is not backed by the probe:\n%s", out)
	}
	if _, ok := ids["null-user"]; ok {
		t.Errorf("null user reported before it was enabled")
	}
	for _, s := range [][]string{{"user", "enable", "1"}, {"channel", "setaccess", "1", "1", "ipmi=on"}} {
		if _, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(cred, s...)...); code != 0 {
			t.Fatalf("%v: exit %d %s", s, code, errOut)
		}
	}
	out, _, _ = clitest.RunLive(t, sim.Host, sim.Port, append(cred, "-o", "json", "audit", "--no-probe")...)
	if ids := auditFindingIDs(t, out); ids["null-user"] != auditCritical {
		t.Errorf("enabled null user not reported as critical: %v", ids)
	}
	if len(probed) != 1 {
		t.Errorf("--no-probe still probed")
	}
	// With the first Cipher Suite Priv Max entry (suite 0 on ipmi_sim,
	// whose parameter 23 is off by one) set to X, the tables no longer
	// show suite 0, and only the probe shows it still lets anyone in.
	if _, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(cred, "lan", "set", "1", "cipher_privs", "Xaaaaaaaaaaaaaa")...); code != 0 {
		t.Fatalf("cipher_privs: exit %d %s", code, errOut)
	}
	out, _, code = clitest.RunLive(t, sim.Host, sim.Port, append(cred, "-o", "json", "audit")...)
	if ids := auditFindingIDs(t, out); code != cli.ExitBMC || ids["cipher-suite-0"] != auditCritical || !strings.Contains(out, "without any password") {
		t.Errorf("after cipher_privs: exit %d findings %v", code, ids)
	}
}
