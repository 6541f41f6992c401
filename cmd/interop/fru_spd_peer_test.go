package interop

import (
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
)

// On an ipmi_sim with DIMM FRU locators, `fru print` (and with -v) prints
// the SPD decoding byte for byte as ipmitool 1.8.19 does.
func TestFruPrintSPDMatchesIpmitoolOnIPMISim(t *testing.T) {
	imgs := clitest.FruSPDImages(t)
	var opts []peers.Option
	for i, name := range []string{"ddr3", "ddr4", "ddr2", "ddr3odd", "ddr4odd", "ddr2odd"} {
		opts = append(opts, peers.WithDIMM(uint8(10+i), "DIMM "+name, uint8(1+i), imgs[name]))
	}
	bin := peers.BuildIpmictl(t)
	sim := peers.StartIPMISim(t, opts...)
	t.Setenv("LC_ALL", "C")
	for _, args := range [][]string{{"fru", "print"}, {"-v", "fru", "print"}} {
		want, _, err := peers.Ipmitool(t, sim, args...)
		if err != nil {
			t.Fatalf("ipmitool %v: %v", args, err)
		}
		got, errOut, err := clitest.RunIpmictlBin(t, bin, sim, args...)
		if err != nil {
			t.Fatalf("ipmictl %v: %v\n%s", args, err, errOut)
		}
		if got != want {
			t.Errorf("ipmictl %v differs from ipmitool\n got:\n%q\nwant:\n%q", args, got, want)
		}
	}
}
