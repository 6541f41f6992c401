package peers

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// IpmitoolTimeout bounds one ipmitool run.
const IpmitoolTimeout = 60 * time.Second

// Ipmitool runs `ipmitool -I lanplus -C 3 -H 127.0.0.1 -p PORT -U admin
// -P password [-k KG] args...` against sim with a timeout. err is non-nil for
// a non-zero exit (an *exec.ExitError) or a timeout.
func Ipmitool(t testing.TB, sim *IPMISim, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	Require(t, "ipmitool")
	stdout, stderr, err = sim.proc.runIpmitool(IpmitoolTimeout, args...)
	if sim.proc.proc.diedAlone() {
		t.Errorf("peers: ipmi_sim on %s died during `ipmitool %v` (%v)", sim.Addr, args, sim.proc.proc.waitErr)
	}
	return stdout, stderr, err
}

// FreeIPMIArgs returns the base flags of the FreeIPMI tools (ipmi-sensors,
// ipmi-sel, ipmi-fru, ipmi-chassis, bmc-info, ...) for sim: IPMI 2.0, suite 3,
// admin, the opensesspriv workaround ipmi_sim needs, and a private SDR cache.
// ipmiconsole additionally needs -W solchannelsupport: its Get Channel Payload
// Support on channel 0x0E kills ipmi_sim.
func FreeIPMIArgs(sim *IPMISim) []string {
	cache := filepath.Join(sim.RunDir, "freeipmi-sdr-cache")
	os.MkdirAll(cache, 0o700)
	a := []string{
		"-h", "127.0.0.1:" + strconv.Itoa(sim.Port),
		"-u", AdminUser, "-p", AdminPassword,
		"-D", "LAN_2_0", "-I", "3", "-l", "ADMIN",
		"-W", "opensesspriv",
		"--sdr-cache-directory", cache,
	}
	if sim.Kg != "" {
		a = append(a, "-k", sim.Kg)
	}
	return a
}

// FreeIPMI runs a FreeIPMI tool (e.g. "ipmi-sensors", "ipmi-sel", "bmc-info")
// with FreeIPMIArgs(sim) followed by args, with a timeout.
func FreeIPMI(t testing.TB, sim *IPMISim, tool string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	Require(t, tool)
	ctx, cancel := context.WithTimeout(context.Background(), IpmitoolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, append(FreeIPMIArgs(sim), args...)...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("%s %v: timed out after %v", tool, args, IpmitoolTimeout)
	}
	if sim.proc.proc.diedAlone() {
		t.Errorf("peers: ipmi_sim on %s died during `%s %v` (%v)", sim.Addr, tool, args, sim.proc.proc.waitErr)
	}
	return o.String(), e.String(), err
}
