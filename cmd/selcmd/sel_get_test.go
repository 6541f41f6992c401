package selcmd

import (
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
)

// `sel get` prints, after each entry, its sensor's SDR details and the
// FRU devices of the sensor's entity; the separator follows only entries
// whose sensor was found, as in ipmitool 1.8.19's ipmi_sel_show_entry.
func TestSelGetPrintsSensorAndFRUBlock(t *testing.T) {
	clitest.UTC(t)
	out, errOut, code := clitest.Run(t, clitest.NewSelFakeBMC(t), "--sdr-cache", "off", "sel", "get", "1", "3", "0xa", "0xb")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// Entry 1: the event-only Watchdog sensor, as `sdr get` prints it.
	watchdog := " Description           : Hard reset\n\n" +
		"Sensor ID              : Watchdog (0x0)\n" +
		"Entity ID              : 6.1 (System Management Module)\n" +
		"Sensor Type            : Watchdog2 (0x23)\n\n" +
		"----------------------\n\nSEL Record ID          : 0003\n"
	// Entry 3: PSU2 Status (entity 10.2), then PSU2's FRU as fru print 2.
	psu := "Sensor ID              : PSU2 Status (0xd)\n Entity ID             : 10.2\n" +
		" Sensor Type (Discrete): Power Supply\n"
	fru := "\nFRU Device Description : PSU2 FRU (ID 2)\n" + string(clitest.SelTestdata(t, "fru_print_2.txt")) + "\n" +
		"----------------------\n\nSEL Record ID          : 000a\n"
	// Entry 0xa: an OEM record, no sensor, so no separator either.
	oem := " OEM Defined           : deadbeef0102 [......]\n\nSEL Record ID          : 000b\n"
	for _, want := range []string{watchdog, psu, fru, oem} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks\n%s\ngot:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "----------------------"); n != 2 {
		t.Errorf("%d separators", n)
	}
}
