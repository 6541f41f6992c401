package dcmicmd

import (
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
)

func TestDCMIOnABMCWithDCMI(t *testing.T) {
	b := clitest.NewFakeBMC().
		On(ipmi.NetFnGroupExt, ipmi.CmdDCMIGetCapabilities, 0, 0xDC, 1, 5, 2, 0, 1, 0x09).
		On(ipmi.NetFnGroupExt, ipmi.CmdDCMIGetPowerReading, 0,
			0xDC, 252, 0, 10, 0, 0x93, 1, 223, 0, 0, 0, 0, 0, 0xe8, 3, 0, 0, 0x40).
		On(ipmi.NetFnGroupExt, ipmi.CmdDCMIGetPowerLimit, 0x80, 0xDC, 0, 0, 1, 0x2c, 1, 0xe8, 3, 0, 0, 0, 0, 5, 0, 0)
	out, errOut, code := clitest.Run(t, b, "dcmi", "power", "reading")
	for _, want := range []string{"Instantaneous power reading:                   252 Watts", "Maximum during sampling period:                403 Watts",
		"Sampling period:                          00000001 Seconds.", "Power reading state is:                   activated"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("reading lacks %q (exit %d %s):\n%s", want, code, errOut, out)
		}
	}
	out, _, code = clitest.Run(t, b, "dcmi", "power", "get_limit")
	if code != 0 || !strings.Contains(out, "Current Limit State: No Active Power Limit") || !strings.Contains(out, "Power Limit:         300   Watts") ||
		!strings.Contains(out, "Hard Power Off & Log Event to SEL") {
		t.Errorf("limit (exit %d):\n%s", code, out)
	}
	out, _, code = clitest.Run(t, b, "-o", "json", "dcmi", "power", "reading")
	if code != 0 || !strings.Contains(out, `"current_watts": 252`) {
		t.Errorf("json reading: %s", out)
	}
}
