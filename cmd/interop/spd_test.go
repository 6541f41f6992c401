package interop

import (
	"bytes"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// TestSpdMatchesIpmitool: ipmitool 1.8.19 and ipmictl read the same DIMM
// EEPROM on a simulated BMC and print the same lines (and the same
// failure for a device that does not answer).
func TestSpdMatchesIpmitool(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmitool")
	for _, image := range []string{"ddr3-rdimm-8g.bin", "ddr2-rdimm-1g.bin", "ddr4-rdimm-32g.bin"} {
		bmc := bmcsim.New(bmcsim.WithI2CEEPROM(clitest.SpdImage(t, image)))
		srv, err := bmcsim.Serve(bmc, "127.0.0.1:0", nil)
		if err != nil {
			t.Fatal(err)
		}
		port := int(srv.Addr().Port())
		for _, args := range [][]string{{"spd", "0", "0xa0"}, {"spd", "0", "0xa0", "0", "32"}, {"spd", "0", "0xa2"}} {
			var out, errOut bytes.Buffer
			cmd := exec.Command("ipmitool", append([]string{"-I", "lanplus", "-C", "17", "-H", "127.0.0.1", "-p", strconv.Itoa(port),
				"-U", peers.AdminUser, "-P", peers.AdminPassword}, args...)...)
			cmd.Stdout, cmd.Stderr = &out, &errOut
			terr := cmd.Run()
			got, gotErr, code := clitest.RunLive(t, "127.0.0.1", port, append([]string{"-U", peers.AdminUser, "-P", peers.AdminPassword}, args...)...)
			if args[2] == "0xa0" && !strings.Contains(out.String(), " Memory Type           : ") {
				t.Errorf("%s %v: ipmitool printed no SPD: %q %q", image, args, out.String(), errOut.String())
			}
			if got != out.String() {
				t.Errorf("%s %v: stdout differs\nipmictl:\n%s\nipmitool:\n%s", image, args, got, out.String())
			}
			if (code != 0) != (terr != nil) {
				t.Errorf("%s %v: ipmictl exit %d (%s), ipmitool %v (%s)", image, args, code, gotErr, terr, errOut.String())
			}
			if terr != nil && !strings.Contains(gotErr, "NAK on Write") {
				t.Errorf("%s %v: stderr %q lacks the reason ipmitool gives (%q)", image, args, gotErr, errOut.String())
			}
		}
		srv.Close()
	}
}
