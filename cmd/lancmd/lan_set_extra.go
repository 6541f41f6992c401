package lancmd

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
)

// The "lan set" commands that are not plain LAN parameters: the null
// user's password and access (user 1, as ipmitool), PEF alerting on the
// channel, and the bad password threshold (parameter 26).

const lanBadPassUsage = `lan set CHANNEL bad_pass_thresh THRESHOLD 1|0 RESET_INTERVAL LOCKOUT_INTERVAL
  THRESHOLD          failed logins before the user is locked out (0 = never)
  1|0                1 = generate a Session Audit sensor event, 0 = do not
  RESET_INTERVAL     attempt count reset interval, in tens of seconds
  LOCKOUT_INTERVAL   user lockout interval, in tens of seconds`

// lanNullUser is the user "lan set password" and "lan set user" change.
const lanNullUser = 1

// lanPlanSetExtra parses the commands above; ok is false for any other.
func lanPlanSetExtra(a []string) (plan lanSetFunc, ok bool, err error) {
	switch a[0] {
	case "password":
		plan, err = lanPlanPassword(a)
	case "user":
		plan = func(f *cli.Factory, c *ipmi.Client, ch uint8) error { return lanSetNullUserAccess(f, c, ch) }
	case "alert":
		plan, err = lanPlanAlertEnable(a)
	case "bad_pass_thresh":
		plan, err = lanPlanBadPassword(a)
	default:
		return nil, false, nil
	}
	return plan, true, err
}

// lanPlanPassword: "password [PASS]" sets user 1's password; without
// PASS it clears it, as ipmitool does. ipmitool cuts longer passwords to
// 16 bytes; here 17-20 bytes are stored in the IPMI 2.0 20-byte form and
// longer ones refused, so the password set is the password given.
func lanPlanPassword(a []string) (lanSetFunc, error) {
	var pw []byte
	if len(a) > 1 {
		pw = []byte(a[1])
	}
	if len(a) > 2 {
		return nil, cli.UsageErrorf("lan set CHANNEL password [PASSWORD]: one password")
	}
	if len(pw) > 20 {
		return nil, cli.UsageErrorf("Password is too long (%d bytes; at most 20)", len(pw))
	}
	return func(f *cli.Factory, c *ipmi.Client, ch uint8) error {
		if err := c.SetUserPassword(f.Context(), lanNullUser, ipmi.PasswordSet, pw, len(pw) > 16); err != nil {
			return fmt.Errorf("Unable to Set LAN Password for user %d: %w", lanNullUser, err)
		}
		state := cli.BoolWord(pw == nil, "cleared", "set")
		return f.Render(&lanSetResult{Channel: ch, Parameter: "password", Value: state,
			Message: fmt.Sprintf("Password %s for user %d", state, lanNullUser)})
	}, nil
}

// lanSetNullUserAccess gives user 1 an Administrator privilege limit on
// the channel (Set User Access, privilege limit only), as ipmitool's
// "lan set user" does. (ipmitool 1.8.19 leaves the newline off its
// message; this ends the line.)
func lanSetNullUserAccess(f *cli.Factory, c *ipmi.Client, ch uint8) error {
	err := c.SetUserAccess(f.Context(), ipmi.UserAccessChange{Channel: ch, UserID: lanNullUser, PrivilegeLimit: ipmi.PrivilegeAdmin})
	if err != nil {
		return fmt.Errorf("Set User Access for channel %d failed: %w", ch, err)
	}
	return f.Render(&lanSetResult{Channel: ch, Parameter: "user", Value: "admin",
		Message: fmt.Sprintf("Set User Access for channel %d was successful.", ch)})
}

func lanPlanAlertEnable(a []string) (lanSetFunc, error) {
	if len(a) < 2 {
		return nil, cli.UsageErrorf("LAN set alert must be 'on' or 'off'")
	}
	var on bool
	switch strings.ToLower(a[1]) {
	case "on", "enable":
		on = true
	case "off", "disable":
	default:
		return nil, cli.UsageErrorf("LAN set alert must be 'on' or 'off'")
	}
	return func(f *cli.Factory, c *ipmi.Client, ch uint8) error { return lanSetAlerting(f, c, ch, on) }, nil
}

// lanSetAlerting turns PEF alerting on the channel on or off in the
// non-volatile and then the volatile channel access, changing nothing
// else. The bit is "alerting disabled" (IPMI v2.0 table 22-25);
// ipmitool 1.8.19 sets it for "on" and clears it for "off", the wrong
// way round (ipmitool PR #247); this follows the specification.
func lanSetAlerting(f *cli.Factory, c *ipmi.Client, ch uint8, on bool) error {
	ctx := f.Context()
	for _, volatile := range []bool{false, true} {
		kind, opt := "non-volatile", uint8(ipmi.AccessOptionNonVolatile)
		if volatile {
			kind, opt = "volatile", ipmi.AccessOptionVolatile
		}
		a, err := c.GetChannelAccess(ctx, ch, volatile)
		if err != nil {
			return fmt.Errorf("Unable to Get Channel Access(%s) for channel %d: %w", kind, ch, err)
		}
		a.AlertingDisabled = !on
		if err := c.SetChannelAccess(ctx, ch, *a, opt, ipmi.AccessOptionKeep); err != nil {
			return fmt.Errorf("Unable to Set Channel Access(%s) for channel %d: %w", kind, ch, err)
		}
	}
	state := cli.BoolWord(on, "enabled", "disabled")
	return f.Render(&lanSetResult{Channel: ch, Parameter: "alert", Value: cli.BoolWord(on, "on", "off"),
		Message: fmt.Sprintf("%s PEF alerts for LAN channel %d\nPEF alerts for channel %d %s.",
			cli.BoolWord(on, "Enabling", "Disabling"), ch, ch, state)})
}

func lanPlanBadPassword(a []string) (lanSetFunc, error) {
	if len(a) != 5 {
		return nil, cli.UsageErrorf("%s", lanBadPassUsage)
	}
	thresh, err1 := strconv.ParseUint(a[1], 0, 8)
	event, err2 := strconv.ParseUint(a[2], 0, 8)
	reset, err3 := strconv.ParseUint(a[3], 0, 16)
	lockout, err4 := strconv.ParseUint(a[4], 0, 16)
	if err1 != nil || err2 != nil || event > 1 || err3 != nil || err4 != nil {
		return nil, cli.UsageErrorf("%s", lanBadPassUsage)
	}
	t := ipmi.BadPasswordThreshold{GenerateEvent: event == 1, Threshold: uint8(thresh),
		ResetInterval: uint16(reset), LockoutInterval: uint16(lockout)}
	return func(f *cli.Factory, c *ipmi.Client, ch uint8) error {
		return lanWrite(f, c, ch, ipmi.LANBadPassword, t.Encode(),
			&lanSetResult{Parameter: "bad_pass_thresh", Value: strings.Join(a[1:], " ")})
	}, nil
}
