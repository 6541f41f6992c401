package auditcmd

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

func AuditFindingIDs(t *testing.T, out string) map[string]string {
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
	ids := AuditFindingIDs(t, out)
	for id, sev := range map[string]string{"cipher-suite-0": AuditCritical, "ipmi15-auth-password": auditHigh,
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
	if ids := AuditFindingIDs(t, out); len(ids) != 0 {
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
