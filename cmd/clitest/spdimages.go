package clitest

import (
	"os"
	"path/filepath"
	"testing"
)

// fruSPDImages are the JEDEC-layout SPD images of fru/testdata/spd and
// variants that reach ipmitool's other branches: 3DS stacks, unknown
// codes, a bank past its table, an invalid legacy size, no part number.
func FruSPDImages(t *testing.T) map[string][]byte {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", "fru", "testdata", "spd", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ddr3, ddr4, ddr2 := read("ddr3-rdimm-8g.bin"), read("ddr4-rdimm-32g.bin"), read("ddr2-rdimm-1g.bin")
	ddr3odd := append([]byte(nil), ddr3...)
	ddr3odd[4], ddr3odd[6], ddr3odd[7], ddr3odd[8] = 0x5F, 0x07, 0x3F, 0xFF // odd geometry, reserved bits
	ddr3odd[117], ddr3odd[118] = 0x0C, 0x45                                 // bank 13
	ddr3odd[120], ddr3odd[121] = 0xAF, 0x0B                                 // not BCD
	ddr4odd := append([]byte(nil), ddr4...)
	ddr4odd[3], ddr4odd[4], ddr4odd[6] = 0x0E, 0xFF, 0xB2 // 3DS, 4 dies, codes past the tables
	ddr4odd[11], ddr4odd[12], ddr4odd[13] = 0x0F, 0x1A, 0x0C
	ddr4odd[320], ddr4odd[321], ddr4odd[323], ddr4odd[324] = 0x85, 0x09, 0x09, 0x05
	ddr2odd := append([]byte(nil), ddr2...)
	copy(ddr2odd[64:], []byte{0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0xC8}) // bank 9
	ddr2odd[2], ddr2odd[8], ddr2odd[11], ddr2odd[17], ddr2odd[73] = 0x0D, 0x09, 0x03, 0, 0
	return map[string][]byte{"ddr3": ddr3, "ddr4": ddr4, "ddr2": ddr2, "ddr3odd": ddr3odd, "ddr4odd": ddr4odd, "ddr2odd": ddr2odd}
}
