package interop

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// ipmi_sim 2.0.33 has no Platform Event Message: OpenIPMI's
// lanserv/bmc_sensor.c registers no handler for IPMI_PLATFORM_EVENT_CMD in
// sensor_event_netfn_handlers, so lanserv/bmc.c answers C1h (invalid
// command) on every channel; its SEL only gets events from its own
// sensors. Master Write-Read (App 52h) is absent from app_netfn_handlers
// the same way. So on ipmi_sim both tools print the same lines and fail
// the same way; the events themselves are compared on bmcsim below.
func TestInteropEventAndI2COnIPMISim(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "events")
	if err := os.WriteFile(file, []byte("0x04 0x01 zz\n0x04 0x02 0x60 0x01 0x02 0xff 0xff # voltage\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args   []string
		reason string // what both say on stderr
		exit   int    // ipmictl's exit status when it differs from ipmitool's on purpose
		differ bool   // exit applies
	}{
		{[]string{"event", "1"}, "Platform Event Message command failed: Invalid command", 0, false},
		{[]string{"event", "2"}, "Platform Event Message command failed: Invalid command", 0, false},
		{[]string{"event", "3"}, "Platform Event Message command failed: Invalid command", 0, false},
		{[]string{"-v", "event", "3"}, "Platform Event Message command failed: Invalid command", 0, false},
		{[]string{"event", "CPU1 Temp", "ucr"}, "Platform Event Message command failed: Invalid command", 0, false},
		{[]string{"event", "CPU1 Temp", "lnc", "deassert"}, "Platform Event Message command failed: Invalid command", 0, false},
		{[]string{"event", "PSU2 Status", "Power Supply AC lost"}, "Platform Event Message command failed: Invalid command", 0, false},
		{[]string{"event", "CPU1 Temp", "list"}, "", cli.ExitOK, true}, // ipmitool exits 1 after listing a threshold sensor
		{[]string{"event", "PSU1 Status", "list"}, "", 0, false},
		{[]string{"event", "Drive 0"}, "", 0, false},
		{[]string{"event", "Nope", "unc"}, "", 0, false},
		{[]string{"event", "BMC", "unc"}, "Unknown sensor type for id 'BMC'", 0, false},
		{[]string{"event", "PSU1 Status", "bogus"}, "Unable to find matching event offset for 'bogus'", 0, false},
		{[]string{"event", "CPU1 Temp", "UNC"}, "Invalid threshold identifier UNC", cli.ExitUsage, true},
		{[]string{"event", "file", file}, "Invalid token in file: [zz]\nInvalid Event: 04010000000000", 0, false},
		{[]string{"i2c", "0xa0", "4"}, "I2C Master Write-Read command failed: Invalid command", 0, false},
		{[]string{"i2c", "bus=2", "chan=1", "0xa0", "4", "0x00"}, "I2C Master Write-Read command failed: Invalid command", 0, false},
	} {
		theirs, theirErr, terr := peers.Ipmitool(t, sim, c.args...)
		theirExit := 0
		if ee, ok := terr.(*exec.ExitError); ok {
			theirExit = ee.ExitCode()
		} else if terr != nil {
			t.Fatalf("ipmitool %q: %v", c.args, terr)
		}
		got, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append([]string{"-U", peers.AdminUser, "-P", peers.AdminPassword, "--sdr-cache", "off"}, c.args...)...)
		if got != theirs {
			t.Errorf("%q: stdout differs\nipmictl:  %q\nipmitool: %q", c.args, got, theirs)
		}
		wantExit := theirExit
		if c.differ {
			wantExit = c.exit
		}
		if code != wantExit {
			t.Errorf("%q: ipmictl exit %d, want %d (ipmitool %d); stderr %s", c.args, code, wantExit, theirExit, errOut)
		}
		if !strings.Contains(theirErr, c.reason) || !strings.Contains(errOut, c.reason) {
			t.Errorf("%q: want %q on stderr\nipmictl:  %q\nipmitool: %q", c.args, c.reason, errOut, theirErr)
		}
	}
}

// On bmcsim, which takes Platform Event Messages and has an I2C EEPROM,
// the same event sent by ipmictl and by ipmitool makes the same SEL
// record but for its ID and time, and both print the same lines.
func TestInteropEventAndI2CWithIpmitoolOnBmcsim(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmitool")
	bmc := bmcsim.New()
	srv, err := bmcsim.Serve(bmc, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	port := int(srv.Addr().Port())
	ipmitool := func(args ...string) (string, string, error) {
		base := []string{"-I", "lanplus", "-C", "17", "-H", "127.0.0.1", "-p", strconv.Itoa(port), "-U", peers.AdminUser, "-P", peers.AdminPassword}
		var out, errOut bytes.Buffer
		cmd := exec.Command("ipmitool", append(base, args...)...)
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		return out.String(), errOut.String(), err
	}
	mine := func(args ...string) (string, string, int) {
		return clitest.RunLive(t, "127.0.0.1", port, append([]string{"-U", peers.AdminUser, "-P", peers.AdminPassword, "--sdr-cache", "off"}, args...)...)
	}
	// newEvents returns the SEL records added since n that bmcsim's own
	// sensors did not log (those carry generator 20h, the BMC).
	newEvents := func(n int) ([][16]byte, int) {
		all := bmc.SELEntries()
		var out [][16]byte
		for _, r := range all[min(n, len(all)):] {
			if r[7] != 0x20 {
				out = append(out, r)
			}
		}
		return out, len(all)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "events")
	if err := os.WriteFile(file, []byte("0x04 0x0c 0x53 0x6f 0x00 0xff 0xff\n0x04 0x02 0x60 0x81 0x02 0x20 0x30 # deassert\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"event", "1"}, {"event", "2"}, {"event", "3"},
		{"event", "CPU1 Temp", "ucr", "deassert"},
		{"event", "PSU1 Status", "Failure detected"},
		{"event", "file", file},
		{"-c", "event", "3"},
		{"-v", "event", "CPU1 Temp", "unr"},
	} {
		_, n := newEvents(0)
		got, errOut, code := mine(args...)
		if code != 0 {
			t.Fatalf("ipmictl %q: exit %d %s", args, code, errOut)
		}
		ours, n := newEvents(n)
		theirs, theirErr, err := ipmitool(args...)
		if err != nil {
			t.Fatalf("ipmitool %q: %v %s", args, err, theirErr)
		}
		their, _ := newEvents(n)
		if got != theirs {
			t.Errorf("%q: stdout differs\nipmictl:  %q\nipmitool: %q", args, got, theirs)
		}
		if len(ours) == 0 || len(ours) != len(their) {
			t.Fatalf("%q: ipmictl logged %d events, ipmitool %d", args, len(ours), len(their))
		}
		for i := range ours {
			// Bytes 0-1 are the record ID and 3-6 the time stamp.
			if ours[i][2] != their[i][2] || !bytes.Equal(ours[i][7:], their[i][7:]) {
				t.Errorf("%q: SEL records differ\nipmictl:  % x\nipmitool: % x", args, ours[i], their[i])
			}
			// ipmitool's own sel get of both records agrees but for ID and time.
			a, _, errA := ipmitool("sel", "get", fmt.Sprintf("0x%04x", uint16(ours[i][0])|uint16(ours[i][1])<<8))
			b, _, errB := ipmitool("sel", "get", fmt.Sprintf("0x%04x", uint16(their[i][0])|uint16(their[i][1])<<8))
			if errA != nil || errB != nil || eventStripIDTime(a) != eventStripIDTime(b) || !strings.Contains(a, "EvM Revision          : 04") {
				t.Errorf("%q: ipmitool sel get differs (%v %v)\n%s\n%s", args, errA, errB, a, b)
			}
		}
	}
	if recs, _ := newEvents(0); !bytes.Equal(recs[0][9:16], []byte{0x04, 0x01, 0x30, 0x01, 0x09, 0xff, 0xff}) {
		t.Errorf("first event sent is % x, want event 1", recs[0])
	}
	for _, args := range [][]string{
		{"i2c", "bus=0", "0xa0", "20"},
		{"i2c", "bus=0", "0xa0", "4", "0xfe"},
		{"-v", "i2c", "bus=0", "0xa0", "2", "0x10"},
		{"i2c", "bus=0", "0xa0", "0", "0x10"},
		{"-c", "i2c", "bus=0", "0xa0", "3"},
		{"i2c", "0xa0", "2"},                    // public bus: NAK
		{"i2c", "bus=0", "0xa0", "1", "1", "2"}, // read-only: NAK
	} {
		theirs, theirErr, terr := ipmitool(args...)
		got, errOut, code := mine(args...)
		if got != theirs || (code == 0) != (terr == nil) {
			t.Errorf("%q: ipmictl exit %d %q (%s); ipmitool %v %q (%s)", args, code, got, errOut, terr, theirs, theirErr)
		}
		if terr != nil && (!strings.Contains(theirErr, "NAK on Write") || !strings.Contains(errOut, "I2C Master Write-Read command failed: NAK on Write")) {
			t.Errorf("%q: stderr\nipmictl:  %q\nipmitool: %q", args, errOut, theirErr)
		}
	}
}

// eventStripIDTime drops the lines of `sel get` that differ between two
// records of the same event.
func eventStripIDTime(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "SEL Record ID") || strings.HasPrefix(l, " Timestamp") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}
