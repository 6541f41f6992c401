package interop

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/auditcmd"
	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi"
)

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
	orig := auditcmd.AuditSuite0Probe
	auditcmd.AuditSuite0Probe = func(ctx context.Context, addr, user string, priv ipmi.Privilege) error {
		probed = append(probed, user)
		return orig(ctx, addr, user, priv)
	}
	defer func() { auditcmd.AuditSuite0Probe = orig }()
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
	if ids := auditFindingIDs(t, out); ids["null-user"] != auditcmd.AuditCritical {
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
	if ids := auditFindingIDs(t, out); code != cli.ExitBMC || ids["cipher-suite-0"] != auditcmd.AuditCritical || !strings.Contains(out, "without any password") {
		t.Errorf("after cipher_privs: exit %d findings %v", code, ids)
	}
}

// auditFindingIDs maps each finding of audit's JSON report to its severity.
func auditFindingIDs(t *testing.T, out string) map[string]string {
	t.Helper()
	var rep struct {
		Findings []struct {
			ID       string `json:"id"`
			Severity string `json:"severity"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("audit json: %v\n%s", err, out)
	}
	ids := map[string]string{}
	for _, f := range rep.Findings {
		ids[f.ID] = f.Severity
	}
	return ids
}
