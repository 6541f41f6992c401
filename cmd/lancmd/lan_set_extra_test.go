package lancmd

import (
	"context"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// lanSimRun runs ipmictl against b with a fresh in-process session.
func lanSimRun(t *testing.T, b *bmcsim.BMC, args ...string) (string, string, int) {
	t.Helper()
	return clitest.Run(t, b.Transport("admin", ipmi.PrivilegeAdmin), args...)
}

func TestLanSetPasswordIsUserOnesPassword(t *testing.T) {
	b := bmcsim.New()
	c := ipmi.NewClient(b.Transport("admin", ipmi.PrivilegeAdmin))
	ctx := context.Background()
	check := func(pw string, twenty bool) {
		t.Helper()
		if ok, code, err := c.TestUserPassword(ctx, 1, []byte(pw), twenty); err != nil || !ok {
			t.Errorf("user 1 password is not %q (20 bytes %v): %v %v", pw, twenty, code, err)
		}
	}
	out, errOut, code := lanSimRun(t, b, "lan", "set", "1", "password", "s3cret")
	if code != 0 || out != "Password set for user 1\n" {
		t.Fatalf("exit %d out %q err %q", code, out, errOut)
	}
	check("s3cret", false)
	// 17-20 bytes go in the 20-byte form instead of being cut to 16.
	if _, errOut, code := lanSimRun(t, b, "lan", "set", "1", "password", "abcdefghijklmnopqr"); code != 0 {
		t.Fatalf("long: exit %d %s", code, errOut)
	}
	check("abcdefghijklmnopqr", true)
	// JSON says what happened, never the password.
	out, _, code = lanSimRun(t, b, "-o", "json", "lan", "set", "1", "password", "hunter2")
	if code != 0 || strings.Contains(out, "hunter2") || !strings.Contains(out, `"value": "set"`) {
		t.Errorf("json: exit %d %s", code, out)
	}
	check("hunter2", false)
	out, _, code = lanSimRun(t, b, "lan", "set", "1", "password")
	if code != 0 || out != "Password cleared for user 1\n" {
		t.Errorf("clear: exit %d %q", code, out)
	}
	check("", false)
}

func TestLanSetUserGivesUserOneAdmin(t *testing.T) {
	b := bmcsim.New()
	c := ipmi.NewClient(b.Transport("admin", ipmi.PrivilegeAdmin))
	ctx := context.Background()
	if err := c.SetUserAccess(ctx, ipmi.UserAccessChange{Channel: 1, UserID: 1, PrivilegeLimit: ipmi.PrivilegeUser}); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := lanSimRun(t, b, "lan", "set", "1", "user")
	if code != 0 || out != "Set User Access for channel 1 was successful.\n" {
		t.Fatalf("exit %d out %q err %q", code, out, errOut)
	}
	if a, err := c.GetUserAccess(ctx, 1, 1); err != nil || a.PrivilegeLimit != ipmi.PrivilegeAdmin {
		t.Errorf("user 1 access %+v %v", a, err)
	}
}

// alert on/off flips only the alerting bit, in both channel access sets;
// the bit means "disabled", so "off" sets it.
func TestLanSetAlertFlipsOnlyAlerting(t *testing.T) {
	b := bmcsim.New()
	c := ipmi.NewClient(b.Transport("admin", ipmi.PrivilegeAdmin))
	ctx := context.Background()
	// A volatile setting unlike the non-volatile one must survive.
	v, err := c.GetChannelAccess(ctx, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	v.PerMessageAuthDisabled = true
	if err := c.SetChannelAccess(ctx, 1, *v, ipmi.AccessOptionVolatile, ipmi.AccessOptionKeep); err != nil {
		t.Fatal(err)
	}
	for _, on := range []bool{false, true} {
		word := cli.BoolWord(on, "on", "off")
		out, errOut, code := lanSimRun(t, b, "lan", "set", "1", "alert", word)
		want := cli.BoolWord(on, "Enabling PEF alerts for LAN channel 1\nPEF alerts for channel 1 enabled.\n",
			"Disabling PEF alerts for LAN channel 1\nPEF alerts for channel 1 disabled.\n")
		if code != 0 || out != want {
			t.Fatalf("alert %s: exit %d out %q err %q", word, code, out, errOut)
		}
		for _, volatile := range []bool{false, true} {
			a, err := c.GetChannelAccess(ctx, 1, volatile)
			if err != nil || a.AlertingDisabled == on || a.AccessMode != ipmi.AccessAlways || a.PerMessageAuthDisabled != volatile {
				t.Errorf("alert %s, volatile %v: %+v %v", word, volatile, a, err)
			}
		}
	}
}

func TestLanSetBadPasswordThreshold(t *testing.T) {
	b := bmcsim.New()
	out, errOut, code := lanSimRun(t, b, "lan", "set", "1", "bad_pass_thresh", "3", "1", "6", "0x12c")
	if code != 0 || out != "" || errOut != "" {
		t.Fatalf("exit %d out %q err %q", code, out, errOut)
	}
	out, _, _ = lanSimRun(t, b, "lan", "print", "1")
	if !strings.HasSuffix(out, "Bad Password Threshold  : 3\nInvalid password disable: yes\nAttempt Count Reset Int.: 60\nUser Lockout Interval   : 3000\n") {
		t.Errorf("lan print:\n%s", out)
	}
}

func TestLanSetExtraArgumentsCheckedOffline(t *testing.T) {
	for _, args := range [][]string{
		{"1", "alert"}, {"1", "alert", "maybe"}, {"1", "bad_pass_thresh", "3", "2", "6", "300"},
		{"1", "bad_pass_thresh", "3", "1", "6"}, {"1", "bad_pass_thresh", "256", "1", "6", "300"},
		{"1", "bad_pass_thresh", "3", "1", "65536", "1"}, {"1", "bad_pass_thresh", "3", "1", "6", "x"},
		{"1", "password", "abcdefghijklmnopqrstu"}, {"1", "password", "a", "b"},
	} {
		if _, errOut, code := clitest.Run(t, nil, append([]string{"lan", "set"}, args...)...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d %s", args, code, errOut)
		}
	}
}

// ipmitool takes "lan printconf" for "lan print".
func TestLanPrintconfIsPrint(t *testing.T) {
	b := bmcsim.New()
	want, _, _ := lanSimRun(t, b, "lan", "print", "1")
	got, errOut, code := lanSimRun(t, b, "lan", "printconf", "1")
	if code != 0 || got != want || !strings.Contains(got, "IP Address              :") {
		t.Errorf("exit %d %s\n got: %q\nwant: %q", code, errOut, got, want)
	}
}
