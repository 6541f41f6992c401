package fru

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

func readSPD(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "spd", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The images in testdata/spd are laid out byte by byte from JEDEC
// Standard 21-C; the expected values are read off those layouts.
func TestParseSPDDDR3(t *testing.T) {
	s, err := ParseSPD(readSPD(t, "ddr3-rdimm-8g.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if s.MemoryType != SPDTypeDDR3 || s.MemoryTypeName != "DDR3 SDRAM" || s.DDR3 == nil || s.DDR4 != nil || s.Legacy != nil {
		t.Fatalf("%+v", s)
	}
	d := s.DDR3
	// 2 Gb x4 devices, 2 ranks, 64-bit bus: 2048/8 * 64/4 * 2 = 8192 MB.
	if d.SDRAMCapacityMbit != 2048 || d.Banks != 8 || d.PrimaryBusWidth != 64 || d.DeviceWidth != 4 ||
		d.Ranks != 2 || d.ModuleSizeMB != 8192 {
		t.Errorf("geometry %+v", d)
	}
	if !d.Operable1V5 || !d.Operable1V35 || d.Operable1V25 || !d.ECC || d.BusExtensionCode != 1 {
		t.Errorf("voltages/ECC %+v", d)
	}
	if d.Manufacturer != (SPDManufacturer{Bank: 0, ID: 0xCE, Name: "Samsung"}) {
		t.Errorf("manufacturer %+v", d.Manufacturer)
	}
	if d.MfgYear != 2012 || d.MfgWeek != 34 || d.SerialNumber != "851a2b3c" || d.PartNumber != "M393B1K70DH0-CH9" ||
		len(d.PartNumberRaw) != 18 {
		t.Errorf("identity %+v", d)
	}
}

func TestParseSPDDDR4(t *testing.T) {
	b := readSPD(t, "ddr4-rdimm-32g.bin")
	s, err := ParseSPD(b)
	if err != nil {
		t.Fatal(err)
	}
	d := s.DDR4
	if d == nil || s.MemoryTypeName != "DDR4 SDRAM" {
		t.Fatalf("%+v", s)
	}
	// 8 Gb x4, 4 bank groups of 4 banks, 2 package ranks, 64 bits + ECC.
	if d.ModuleTypeCode != 1 || d.NonMonolithic || d.DieCount != 1 || d.SDRAMCapacityMbit != 8192 || d.DensityCode != 5 ||
		d.BankGroups != 4 || d.Banks != 4 || d.PrimaryBusWidth != 64 || d.DeviceWidth != 4 || d.LogicalRanks != 2 ||
		d.ModuleSizeMB != 32768 || !d.Operable1V2 || !d.Endurant1V2 || !d.ECC {
		t.Errorf("geometry %+v", d)
	}
	if d.Manufacturer.Name != "Samsung" || d.MfgYear != 2017 || d.MfgWeek != 25 || d.SerialNumber != "361f2e4d" ||
		d.PartNumber != "M393A4K40BB1-CRC" || len(d.PartNumberRaw) != 20 {
		t.Errorf("identity %+v", d)
	}

	// A 3DS stack of 4 dies: every die is a logical rank.
	c := append([]byte(nil), b...)
	c[6] = 0x80 | 3<<4 | 2
	s, _ = ParseSPD(c)
	if s.DDR4.DieCount != 4 || s.DDR4.LogicalRanks != 8 || s.DDR4.ModuleSizeMB != 131072 || !s.DDR4.NonMonolithic {
		t.Errorf("3DS %+v", s.DDR4)
	}
	// Exactly 348 bytes: decoded, the part number short of its last byte.
	s, err = ParseSPD(b[:348])
	if err != nil || s.Truncated || len(s.DDR4.PartNumberRaw) != 19 {
		t.Errorf("348 bytes: %v %+v", err, s)
	}
}

func TestParseSPDLegacy(t *testing.T) {
	b := readSPD(t, "ddr2-rdimm-1g.bin")
	s, err := ParseSPD(b)
	if err != nil {
		t.Fatal(err)
	}
	l := s.Legacy
	if l == nil || s.MemoryTypeName != "DDR2 SDRAM" {
		t.Fatalf("%+v", s)
	}
	// 14 row + 10 column bits - 17 = 2^7 MB per bank x 8 banks x 1 rank.
	if l.SizeMB != 1024 || l.SizeBytes != [4]uint8{0x0E, 0x0A, 0x60, 8} || l.VoltageInterface != 5 || l.ErrorDetection != 2 {
		t.Errorf("%+v", l)
	}
	if l.Manufacturer.Name != "Micron Technology" || l.PartNumber != "18HTF12872AY-667E1" || l.SerialNumber != "d12a3304" {
		t.Errorf("%+v", l)
	}
	// Kingston is ID 98h in bank 2: one 7Fh continuation byte first.
	c := append([]byte(nil), b...)
	copy(c[64:], []byte{0x7F, 0x98, 0xFF})
	c[73] = 0 // no part number
	c[17] = 0 // no banks: no size
	s, _ = ParseSPD(c)
	if s.Legacy.Manufacturer != (SPDManufacturer{Bank: 1, ID: 0x98, Name: "Kingston"}) || s.Legacy.PartNumber != "" || s.Legacy.SizeMB != 0 {
		t.Errorf("%+v", s.Legacy)
	}
	// Eight continuation bytes: bank 9, ID in byte 72.
	for i := 64; i < 72; i++ {
		c[i] = 0x7F
	}
	c[72] = 0x26
	s, _ = ParseSPD(c)
	if s.Legacy.Manufacturer != (SPDManufacturer{Bank: 8, ID: 0x26, Name: "Google, Inc."}) {
		t.Errorf("%+v", s.Legacy.Manufacturer)
	}
}

func TestParseSPDShort(t *testing.T) {
	b := readSPD(t, "ddr3-rdimm-8g.bin")
	var fe *ipmi.FormatError
	if _, err := ParseSPD(b[:91]); !errors.As(err, &fe) {
		t.Errorf("91 bytes: %v", err)
	}
	for _, tc := range []struct {
		name string
		n    int
	}{{"ddr3-rdimm-8g.bin", 147}, {"ddr4-rdimm-32g.bin", 347}, {"ddr2-rdimm-1g.bin", 99}} {
		s, err := ParseSPD(readSPD(t, tc.name)[:tc.n])
		if err != nil || !s.Truncated || s.DDR3 != nil || s.DDR4 != nil || s.Legacy != nil || s.MemoryTypeName == "" {
			t.Errorf("%s[:%d]: %v %+v", tc.name, tc.n, err, s)
		}
	}
}

func TestJEDECManufacturer(t *testing.T) {
	for _, tc := range []struct {
		bank, id uint8
		want     string
		ok       bool
	}{
		{0, 0x89, "Intel", true}, {0, 0x2C, "Micron Technology", true}, {0, 0xAD, "SK Hynix", true},
		{0, 0x09, "", false}, // even parity: not a JEP106 code
		{0, 0x00, "", false}, {0, 0x7F, "", false}, {0, 0x80, "", false},
		{8, 0x6D, "Guangzhou Si Nuo Electronic Technology.", true}, {8, 0xEE, "", false},
		{9, 0x01, "", false},
	} {
		got, ok := JEDECManufacturer(tc.bank, tc.id)
		if got != tc.want || ok != tc.ok {
			t.Errorf("bank %d id %02x: %q %v", tc.bank, tc.id, got, ok)
		}
	}
	if JEDECBanks != 9 {
		t.Errorf("%d banks", JEDECBanks)
	}
}

// FuzzParseSPD checks that no image makes the decoder panic and that
// what it returns is consistent and encodes as JSON.
func FuzzParseSPD(f *testing.F) {
	for _, name := range []string{"ddr3-rdimm-8g.bin", "ddr4-rdimm-32g.bin", "ddr2-rdimm-1g.bin"} {
		b := readSPD(f, name)
		f.Add(b)
		f.Add(b[:92])
		f.Add(b[:148])
		f.Add(b[:200])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSPD(data)
		if err != nil {
			if len(data) >= spdMinLen {
				t.Fatalf("%d bytes refused: %v", len(data), err)
			}
			return
		}
		n := 0
		for _, set := range []bool{s.Legacy != nil, s.DDR3 != nil, s.DDR4 != nil} {
			if set {
				n++
			}
		}
		if s.Truncated == (n == 1) || n > 1 || s.Size != len(data) {
			t.Fatalf("%d layouts, truncated %v, size %d of %d", n, s.Truncated, s.Size, len(data))
		}
		if _, err := json.Marshal(s); err != nil {
			t.Fatal(err)
		}
	})
}
