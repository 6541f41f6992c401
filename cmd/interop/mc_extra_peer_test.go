package interop

import (
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
)

// ipmi_sim implements the watchdog and the global enables (not system info
// parameters, nor self test): our text must be ipmitool's, byte for byte.
func TestMCExtraMatchesIpmitoolOnIPMISim(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	ours := func(args ...string) string {
		t.Helper()
		out, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append([]string{"-U", "admin", "-P", "password", "-C", "3"}, args...)...)
		if code != 0 {
			t.Fatalf("ipmictl %v: exit %d: %s", args, code, errOut)
		}
		return out
	}
	theirs := func(args ...string) string {
		t.Helper()
		out, errs, err := peers.Ipmitool(t, sim, args...)
		if err != nil {
			t.Fatalf("ipmitool %v: %v %s", args, err, errs)
		}
		return out
	}
	same := func(args ...string) {
		t.Helper()
		want := theirs(args...)
		if got := ours(args...); got != want {
			t.Errorf("%v:\nipmictl:\n%s\nipmitool:\n%s", args, got, want)
		}
	}
	same("mc", "getenables")
	// ipmi_sim refuses Set BMC Global Enables over LAN (0xD4): both print
	// the change, fail, and exit 1. ipmitool 1.8.19 acts only on the
	// two-word form "KEY on|off".
	want, _, err := peers.Ipmitool(t, sim, "mc", "setenables", "system_event_log", "off")
	if err == nil {
		t.Fatal("ipmitool: Set Global Enables succeeded on ipmi_sim; this test expects 0xD4")
	}
	got, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, "-U", "admin", "-P", "password", "-C", "3", "mc", "setenables", "system_event_log", "off")
	if code != cli.ExitBMC || got != want || !strings.Contains(errOut, "Set Global Enables command failed: Insufficient privilege") {
		t.Errorf("setenables refused: exit %d stdout %q (ipmitool %q) stderr %q", code, got, want, errOut)
	}
	same("mc", "setenables", "oem0", "off") // already off: nothing to change
	same("mc", "watchdog", "off")
	// ipmi_sim answers Get Watchdog Timer with six bytes: ipmitool prints
	// a present countdown from beyond the reply; every other line matches.
	wantLines := strings.Split(theirs("mc", "watchdog", "get"), "\n")
	gotLines := strings.Split(ours("mc", "watchdog", "get"), "\n")
	if len(gotLines) != len(wantLines) || len(gotLines) < 10 {
		t.Fatalf("watchdog get: %d lines, ipmitool %d:\n%q\n%q", len(gotLines), len(wantLines), gotLines, wantLines)
	}
	for i := range wantLines {
		if strings.HasPrefix(wantLines[i], "Present Countdown:") {
			if gotLines[i] != "Present Countdown:      unknown (not in the BMC's reply)" {
				t.Errorf("present countdown line %q", gotLines[i])
			}
			continue
		}
		if gotLines[i] != wantLines[i] {
			t.Errorf("watchdog get line %d: %q, ipmitool %q", i, gotLines[i], wantLines[i])
		}
	}
	same("mc", "watchdog", "reset")
}
