package mccmd

import (
	"strings"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

func TestMCWatchdogOnBMCSim(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b := bmcsim.New(bmcsim.WithClock(func() time.Time { return now }))
	_, errOut, code := clitest.RunOnBMCSim(t, b, "mc", "watchdog", "reset")
	if code != cli.ExitBMC || !strings.Contains(errOut, "Attempt to reset uninitialized watchdog") {
		t.Errorf("reset before set: exit %d %q", code, errOut)
	}
	out, errOut, code := clitest.RunOnBMCSim(t, b, "mc", "watchdog", "set", "timeout=60", "pre=5", "int=nmi", "action=cycle", "use=osload", "clear=sms")
	if code != 0 || out != "" || errOut != "Watchdog Timer was successfully configured\n" {
		t.Fatalf("set: exit %d out %q err %q", code, out, errOut)
	}
	out, _, code = clitest.RunOnBMCSim(t, b, "mc", "watchdog", "reset")
	if code != 0 || out != "IPMI Watchdog Timer Reset -  countdown restarted!\n" {
		t.Errorf("reset: exit %d %q", code, out)
	}
	now = now.Add(12500 * time.Millisecond)
	out, _, code = clitest.RunOnBMCSim(t, b, "mc", "watchdog", "get")
	want := `Watchdog Timer Use:     OS Load (0x43)
Watchdog Timer Is:      Started/Running
Watchdog Timer Logging: On
Watchdog Timer Action:  Power Cycle (0x23)
Pre-timeout interrupt:  NMI/Diagnostic
Pre-timeout interval:   5 seconds
Timer Expiration Flags: None (0x00)
Initial Countdown:      60.0 sec
Present Countdown:      47.5 sec
`
	if code != 0 || out != want {
		t.Errorf("get: exit %d\n%s\nwant\n%s", code, out, want)
	}
	out, _, code = clitest.RunOnBMCSim(t, b, "mc", "watchdog", "off")
	if code != 0 || out != "Watchdog Timer Shutoff successful -- timer stopped\n" {
		t.Errorf("off: exit %d %q", code, out)
	}
	out, _, _ = clitest.RunOnBMCSim(t, b, "-o", "json", "mc", "watchdog", "get")
	for _, w := range []string{`"timer_use": "SMS/OS"`, `"running": false`, `"initial_countdown_seconds": 300`, `"present_countdown_seconds": 0`} {
		if !strings.Contains(out, w) {
			t.Errorf("json lacks %s: %s", w, out)
		}
	}
	for _, bad := range [][]string{{"timeout=0"}, {"timeout=6554"}, {"use=none"}, {"action=explode"}, {"bogus=1"}, {"nolog=1"}, {"timeout"}} {
		_, _, code := clitest.RunOnBMCSim(t, b, append([]string{"mc", "watchdog", "set"}, bad...)...)
		if code != cli.ExitUsage {
			t.Errorf("watchdog set %v: exit %d, want %d", bad, code, cli.ExitUsage)
		}
	}
}

func TestMCWatchdogExpirationFlagsAndShortReply(t *testing.T) {
	bmc := clitest.NewFakeBMC().On(ipmi.NetFnApp, ipmi.CmdGetWatchdogTimer, 0, 0x84, 0x00, 0x00, 0x16, 0x0a, 0x00)
	out, _, code := clitest.Run(t, bmc, "-H", "bmc", "mc", "watchdog", "get")
	want := `Watchdog Timer Use:     SMS/OS (0x84)
Watchdog Timer Is:      Stopped
Watchdog Timer Logging: Off
Watchdog Timer Action:  No action (0x00)
Pre-timeout interrupt:  None
Pre-timeout interval:   0 seconds
Timer Expiration Flags: (0x16)
                        * BIOS FRB2
                        * BIOS/POST
                        * SMS/OS
Initial Countdown:      1.0 sec
Present Countdown:      unknown (not in the BMC's reply)
`
	if code != 0 || out != want {
		t.Errorf("exit %d\n%s\nwant\n%s", code, out, want)
	}
}

func TestMCEnablesOnBMCSim(t *testing.T) {
	b := bmcsim.New()
	before, _, code := clitest.RunOnBMCSim(t, b, "mc", "getenables")
	if code != 0 || strings.Count(before, "\n") != 7 || !strings.HasPrefix(before, "Receive Message Queue Interrupt          : ") {
		t.Fatalf("getenables: exit %d\n%s", code, before)
	}
	out, _, code := clitest.RunOnBMCSim(t, b, "mc", "setenables", "oem1=on", "recv_msg_intr=off")
	if code != 0 || !strings.HasPrefix(out, "Enabling OEM 1\nDisabling Receive Message Queue Interrupt\n\n") {
		t.Fatalf("setenables: exit %d\n%s", code, out)
	}
	after, _, _ := clitest.RunOnBMCSim(t, b, "mc", "getenables")
	if !strings.HasSuffix(out, after) || !strings.Contains(after, "OEM 1                                    : enabled\n") {
		t.Errorf("setenables printed\n%s\ngetenables now\n%s", out, after)
	}
	if strings.Contains(out, "Verifying...") == strings.Contains(out, "Nothing to change") {
		t.Errorf("want exactly one of Verifying/Nothing to change:\n%s", out)
	}
	out, _, _ = clitest.RunOnBMCSim(t, b, "mc", "setenables", "oem1=on")
	if out != "Enabling OEM 1\n\nNothing to change...\n"+after {
		t.Errorf("no-op setenables:\n%s", out)
	}
	for _, bad := range []string{"oem3=on", "oem1", "oem1=maybe"} {
		if _, _, code := clitest.RunOnBMCSim(t, b, "mc", "setenables", bad); code != cli.ExitUsage {
			t.Errorf("setenables %s: exit %d", bad, code)
		}
	}
	out, _, _ = clitest.RunOnBMCSim(t, b, "-o", "json", "mc", "getenables")
	if !strings.Contains(out, `"oem1": true`) {
		t.Errorf("json: %s", out)
	}
}

func TestMCSysInfoOnBMCSim(t *testing.T) {
	b := bmcsim.New()
	out, errOut, code := clitest.RunOnBMCSim(t, b, "mc", "getsysinfo", "system_fw_version")
	if code != 0 || out != "SimBIOS 2.4.1\n" {
		t.Errorf("getsysinfo: exit %d %q %q", code, out, errOut)
	}
	long := "Debian GNU/Linux 13 (trixie) x86_64 build 42"
	if _, errOut, code := clitest.RunOnBMCSim(t, b, "mc", "setsysinfo", "os_name", long); code != 0 {
		t.Fatalf("setsysinfo: exit %d %s", code, errOut)
	}
	out, _, _ = clitest.RunOnBMCSim(t, b, "mc", "getsysinfo", "os_name")
	if out != long+"\n" {
		t.Errorf("read back %q", out)
	}
	out, _, _ = clitest.RunOnBMCSim(t, b, "-o", "json", "mc", "getsysinfo", "os_name")
	if !strings.Contains(out, `"value": "`+long+`"`) || !strings.Contains(out, `"encoding": "ascii"`) {
		t.Errorf("json: %s", out)
	}
	_, errOut, code = clitest.RunOnBMCSim(t, b, "mc", "setsysinfo", "system_fw_version", "x")
	if code != cli.ExitBMC || !strings.Contains(errOut, "setsysinfo command failed") {
		t.Errorf("read-only parameter: exit %d %q", code, errOut)
	}
	_, errOut, code = clitest.RunOnBMCSim(t, b, "mc", "getsysinfo", "delloem_os_version")
	if code != cli.ExitBMC || !strings.Contains(errOut, "getsysinfo delloem_os_version parameter not supported") {
		t.Errorf("unsupported parameter: exit %d %q", code, errOut)
	}
	if _, _, code := clitest.RunOnBMCSim(t, b, "mc", "getsysinfo", "kernel"); code != cli.ExitUsage {
		t.Errorf("unknown parameter: exit %d", code)
	}
	if _, _, code := clitest.RunOnBMCSim(t, b, "mc", "setsysinfo", "delloem_url", strings.Repeat("u", 31)); code != cli.ExitUsage {
		t.Errorf("too long for two sets: exit %d", code)
	}
}

func TestMCSysInfoUTF16(t *testing.T) {
	bmc := clitest.NewFakeBMC().On(ipmi.NetFnApp, ipmi.CmdGetSystemInfoParams, 0,
		0x11, 0x00, 0x02, 0x06, 'h', 0, 0xe9, 0, '!', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	out, _, code := clitest.Run(t, bmc, "-H", "bmc", "mc", "getsysinfo", "system_name")
	if code != 0 || out != "hé!\n" {
		t.Errorf("exit %d %q", code, out)
	}
}
