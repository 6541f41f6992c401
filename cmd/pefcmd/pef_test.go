package pefcmd

import (
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
)

func TestPEFStatusAndFilters(t *testing.T) {
	entry := append([]byte{0x11, 2, 0x80, 0x03, 0x01, 0x02, 0xff, 0xff, 0x01, 0xff, 0x01, 0xff, 0xff},
		make([]byte, 9)...)
	b := clitest.NewFakeBMC().
		On(ipmi.NetFnSensorEvent, ipmi.CmdGetLastProcessedEventID, 0, 0xff, 0xff, 0xff, 0xff, 0x10, 0, 0x0f, 0, 0x0e, 0).
		On(ipmi.NetFnSensorEvent, ipmi.CmdGetPEFConfig, 0, entry...)
	out, _, code := clitest.Run(t, b, "pef", "status")
	for _, want := range []string{"Last SEL addition        : none\n", "Last SEL record ID       : 0x0010\n",
		"Last BMC processed ID    : 0x000e\n", "PEF                      : disabled\n"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("status lacks %q (exit %d):\n%s", want, code, out)
		}
	}
}
