package interop

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// On a BMC that has alert destinations (bmcsim served on loopback),
// ipmictl's lan alert print equals ipmitool's, destinations set by
// either tool read back the same in both, and a bad password threshold
// and PEF alerting set by ipmictl show in ipmitool's lan print and
// channel info.
func TestInteropLanAlertWithIpmitoolOnBmcsim(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmitool")
	srv, err := bmcsim.Serve(bmcsim.New(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	port := int(srv.Addr().Port())
	cred := []string{"-U", peers.AdminUser, "-P", peers.AdminPassword}
	ipmitool := func(args ...string) string {
		t.Helper()
		base := []string{"-I", "lanplus", "-C", "17", "-H", "127.0.0.1", "-p", strconv.Itoa(port), "-U", peers.AdminUser, "-P", peers.AdminPassword}
		out, err := exec.Command("ipmitool", append(base, args...)...).Output()
		if err != nil {
			t.Fatalf("ipmitool %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	mine := func(args ...string) string {
		t.Helper()
		out, errOut, code := clitest.RunLive(t, "127.0.0.1", port, append(cred, args...)...)
		if code != 0 {
			t.Fatalf("ipmictl %v: exit %d %s", args, code, errOut)
		}
		return out
	}
	for _, s := range clitest.LanAlertSets {
		if out := mine(append([]string{"lan", "alert", "set"}, s.Args...)...); out != s.Said {
			t.Errorf("alert set %v said %q", s.Args, out)
		}
	}
	theirs := ipmitool("lan", "alert", "print")
	if want := clitest.Golden(t, "lan_alert_print.txt"); theirs != want {
		t.Errorf("ipmitool does not read back ipmictl's changes\n got: %q\nwant: %q", theirs, want)
	}
	if got := mine("lan", "alert", "print"); got != theirs {
		t.Errorf("lan alert print differs\nipmictl:  %q\nipmitool: %q", got, theirs)
	}
	// The other way round: ipmitool writes, ipmictl reads.
	ipmitool("lan", "alert", "set", "1", "3", "ipaddr", "172.16.0.9")
	ipmitool("lan", "alert", "set", "1", "3", "ack", "on")
	ipmitool("lan", "alert", "set", "1", "3", "time", "200")
	for _, args := range [][]string{{"lan", "alert", "print", "1", "3"}, {"lan", "alert", "print", "1", "0"}} {
		theirs := ipmitool(args...)
		if got := mine(args...); got != theirs || !strings.Contains(theirs, "Alert Destination") {
			t.Errorf("%v differs\nipmictl:  %q\nipmitool: %q", args, got, theirs)
		}
	}
	if !strings.Contains(ipmitool("lan", "alert", "print", "1", "3"), "Alert IP Address        : 172.16.0.9\n") {
		t.Error("ipmitool's own change is missing")
	}
	mine("lan", "set", "1", "bad_pass_thresh", "4", "0", "30", "90")
	if print := ipmitool("lan", "print", "1"); !strings.HasSuffix(print,
		"Bad Password Threshold  : 4\nInvalid password disable: no\nAttempt Count Reset Int.: 300\nUser Lockout Interval   : 900\n") {
		t.Errorf("ipmitool lan print after bad_pass_thresh:\n%s", print)
	}
	for _, s := range []struct{ word, want string }{{"off", "disabled,disabled"}, {"on", "enabled,enabled"}} {
		mine("lan", "set", "1", "alert", s.word)
		var states []string
		for _, l := range strings.Split(ipmitool("channel", "info", "1"), "\n") {
			if strings.Contains(l, "Alerting") {
				states = append(states, strings.TrimSpace(l[strings.Index(l, ":")+1:]))
			}
		}
		if got := strings.Join(states, ","); got != s.want {
			t.Errorf("after lan set 1 alert %s, ipmitool channel info says alerting %s", s.word, got)
		}
	}
}

// On ipmi_sim (no parameters 18/19) lan alert print prints what ipmitool
// prints, nothing, with the same exit status; lan set user and password
// are seen by ipmitool.
func TestInteropLanAlertAndUserOnIPMISim(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	cred := []string{"-U", peers.AdminUser, "-P", peers.AdminPassword}
	live := func(args ...string) (string, string, int) {
		t.Helper()
		return clitest.RunLive(t, sim.Host, sim.Port, append(cred, args...)...)
	}
	for _, args := range [][]string{{"lan", "alert", "print"}, {"lan", "alert", "print", "1"}, {"lan", "alert", "print", "1", "0"}, {"lan", "alert", "print", "1", "9"}} {
		theirs, _, terr := peers.Ipmitool(t, sim, args...)
		got, errOut, code := live(args...)
		if got != theirs || (code == 0) != (terr == nil) {
			t.Errorf("%v: ipmictl exit %d %q (%s); ipmitool %v %q", args, code, got, errOut, terr, theirs)
		}
	}
	// ipmi_sim keeps no alerting bit (Get Channel Access always says
	// enabled), so only the exchange is checked here; bmcsim shows the
	// bit to ipmitool in the test above.
	for _, word := range []string{"off", "on"} {
		if _, errOut, code := live("lan", "set", "1", "alert", word); code != 0 {
			t.Errorf("alert %s: exit %d %s", word, code, errOut)
		}
	}
	if out, errOut, code := live("lan", "set", "1", "password", "n0ll"); code != 0 || out != "Password set for user 1\n" {
		t.Fatalf("password: exit %d %q %s", code, out, errOut)
	}
	if out, _, _ := peers.Ipmitool(t, sim, "user", "test", "1", "16", "n0ll"); out != "Success\n" {
		t.Errorf("ipmitool user test 1 16 n0ll: %q", out)
	}
	if out, errOut, code := live("lan", "set", "1", "user"); code != 0 || out != "Set User Access for channel 1 was successful.\n" {
		t.Fatalf("user: exit %d %q %s", code, out, errOut)
	}
	if out, _, _ := peers.Ipmitool(t, sim, "channel", "getaccess", "1", "1"); !strings.Contains(out, "ADMINISTRATOR") {
		t.Errorf("ipmitool channel getaccess 1 1 after lan set user:\n%s", out)
	}
	// ipmi_sim lacks parameter 26: the failure says so.
	if _, errOut, code := live("lan", "set", "1", "bad_pass_thresh", "3", "1", "6", "300"); code != cli.ExitBMC || !strings.Contains(errOut, "does not support") {
		t.Errorf("bad_pass_thresh on ipmi_sim: exit %d %s", code, errOut)
	}
}
