package fru

import (
	"fmt"

	"github.com/ipmictl/ipmictl/ipmi"
)

// DIMM Serial Presence Detect (SPD) EEPROMs, which a BMC exposes as FRU
// devices whose locator says "DIMM Memory ID" (device type 10h, modifier
// 01h). The decoder covers what ipmitool's fru print shows: the JEDEC
// layouts of SDRAM/DDR/DDR2 (SPD revisions 0-1), DDR3 (Standard 21-C
// annex K) and DDR4 (annex L).

// SPD memory types (byte 2) with a layout of their own.
const (
	SPDTypeDDR3 = 0x0B
	SPDTypeDDR4 = 0x0C
)

// The bytes ipmitool needs before it decodes anything, and before it
// decodes each layout; a shorter image gives the memory type alone.
const (
	spdMinLen    = 92
	spdLegacyLen = 100
	spdDDR3Len   = 148
	spdDDR4Len   = 348
	spdDDR4PNEnd = 349 // the DDR4 part number is bytes 329-348
)

// spdMemoryTypes names the byte 2 values ipmitool knows.
var spdMemoryTypes = map[uint8]string{
	0x01: "STD FPM DRAM", 0x02: "EDO", 0x04: "SDRAM", 0x05: "ROM",
	0x06: "DDR SGRAM", 0x07: "DDR SDRAM", 0x08: "DDR2 SDRAM",
	0x09: "DDR2 SDRAM FB-DIMM", 0x0A: "DDR2 SDRAM FB-DIMM Probe",
	0x0B: "DDR3 SDRAM", 0x0C: "DDR4 SDRAM",
}

// SPD is a decoded SPD image. Exactly one of Legacy, DDR3 and DDR4 is set
// unless Truncated.
type SPD struct {
	Size           int    `json:"size"`
	MemoryType     uint8  `json:"memory_type"`
	MemoryTypeName string `json:"memory_type_name,omitempty"` // "" when not a known type
	// Truncated: the image ends before the fields of its layout.
	Truncated bool       `json:"truncated,omitempty"`
	Legacy    *SPDLegacy `json:"sdram,omitempty"`
	DDR3      *SPDDDR3   `json:"ddr3,omitempty"`
	DDR4      *SPDDDR4   `json:"ddr4,omitempty"`
}

// SPDManufacturer is a JEP106 manufacturer code: Bank is the number of
// 7Fh continuation codes before ID, ID keeps its parity bit.
type SPDManufacturer struct {
	Bank uint8  `json:"bank"`
	ID   uint8  `json:"id"`
	Name string `json:"name,omitempty"` // "" when not in the table
}

// SPDLegacy is the SPD revision 0-1 layout (SDRAM, DDR, DDR2 and every
// type without a layout of its own).
type SPDLegacy struct {
	// SizeBytes are bytes 3, 4, 5 and 17 (row and column address bits,
	// ranks, banks per device) from which the module size is computed.
	SizeBytes        [4]uint8        `json:"size_bytes"`
	SizeMB           int             `json:"size_mb"` // 0 when SizeBytes give no valid size
	VoltageInterface uint8           `json:"voltage_interface"`
	ErrorDetection   uint8           `json:"error_detection"` // byte 11: 0 none, 1 parity, 2 ECC, 4 address/command parity
	Manufacturer     SPDManufacturer `json:"manufacturer"`
	// PartNumber is bytes 73-90 up to the first NUL (none when byte 73 is 0).
	PartNumber   string `json:"part_number"`
	SerialNumber string `json:"serial_number"` // bytes 95-98 in hex
}

// SPDDDR3 is the DDR3 layout.
type SPDDDR3 struct {
	SDRAMCapacityMbit int             `json:"sdram_capacity_mbit"`
	BanksCode         uint8           `json:"banks_code"` // byte 4 bits 7:4
	Banks             int             `json:"banks,omitempty"`
	PrimaryBusWidth   int             `json:"primary_bus_width_bits"`
	DeviceWidth       int             `json:"device_width_bits"`
	Ranks             int             `json:"ranks"`
	ModuleSizeMB      int64           `json:"module_size_mb"`
	Voltages          uint8           `json:"-"` // byte 6
	Operable1V5       bool            `json:"operable_1_5v"`
	Operable1V35      bool            `json:"operable_1_35v"`
	Operable1V25      bool            `json:"operable_1_25v"`
	BusExtensionCode  uint8           `json:"bus_width_extension_code"` // byte 8 bits 7:3
	ECC               bool            `json:"ecc"`                      // 8 extension bits
	Manufacturer      SPDManufacturer `json:"manufacturer"`
	MfgYearBCD        uint8           `json:"-"`
	MfgWeekBCD        uint8           `json:"-"`
	MfgYear           int             `json:"mfg_year"`
	MfgWeek           int             `json:"mfg_week"`
	SerialNumber      string          `json:"serial_number"`
	PartNumberRaw     []byte          `json:"-"` // bytes 128-145 as stored
	PartNumber        string          `json:"part_number"`
}

// SPDDDR4 is the DDR4 layout.
type SPDDDR4 struct {
	ModuleTypeCode    uint8           `json:"module_type_code"` // byte 3 bits 3:0
	NonMonolithic     bool            `json:"non_monolithic"`
	SignalLoading     uint8           `json:"signal_loading"` // byte 6 bits 1:0; 2 = 3DS stack
	DieCount          int             `json:"die_count"`
	SDRAMCapacityMbit int             `json:"sdram_capacity_mbit"`
	DensityCode       uint8           `json:"density_code"`
	BankGroupsCode    uint8           `json:"bank_groups_code"`
	BankGroups        int             `json:"bank_groups"`
	BanksCode         uint8           `json:"banks_code"`
	Banks             int             `json:"banks,omitempty"`
	PrimaryBusWidth   int             `json:"primary_bus_width_bits"`
	DeviceWidth       int             `json:"device_width_bits"`
	LogicalRanks      int             `json:"logical_ranks"`
	ModuleSizeMB      int64           `json:"module_size_mb"`
	Voltages          uint8           `json:"-"` // byte 11
	Operable1V2       bool            `json:"operable_1_2v"`
	Endurant1V2       bool            `json:"endurant_1_2v"`
	BusExtensionCode  uint8           `json:"bus_width_extension_code"` // byte 13 bits 7:3
	ECC               bool            `json:"ecc"`
	Manufacturer      SPDManufacturer `json:"manufacturer"`
	MfgYear           int             `json:"mfg_year"`
	MfgWeek           int             `json:"mfg_week"`
	SerialNumber      string          `json:"serial_number"`
	PartNumberRaw     []byte          `json:"-"` // bytes 329-348 as stored
	PartNumber        string          `json:"part_number"`
}

// SPDMemoryTypeName names an SPD memory type, "" when unknown.
func SPDMemoryTypeName(t uint8) string { return spdMemoryTypes[t] }

// JEDECBanks is the number of JEP106 banks the manufacturer table holds.
const JEDECBanks = len(jedecBanks)

// JEDECManufacturer names manufacturer id of JEP106 bank (0-based).
func JEDECManufacturer(bank, id uint8) (string, bool) {
	if int(bank) >= len(jedecBanks) || parity(id) == 0 {
		return "", false
	}
	names := jedecBanks[bank]
	i := int(id&0x7F) - 1
	if i < 0 || i >= len(names) {
		return "", false
	}
	return names[i], true
}

func parity(b uint8) uint8 {
	b ^= b >> 4
	b ^= b >> 2
	b ^= b >> 1
	return b & 1
}

func spdManufacturer(bank, id uint8) SPDManufacturer {
	name, _ := JEDECManufacturer(bank, id)
	return SPDManufacturer{Bank: bank, ID: id, Name: name}
}

// ParseSPD decodes an SPD image. It fails only below 92 bytes; an image
// too short for its layout decodes to the memory type with Truncated.
func ParseSPD(b []byte) (*SPD, error) {
	if len(b) < spdMinLen {
		return nil, &ipmi.FormatError{What: "SPD", Offset: len(b),
			Msg: fmt.Sprintf("%d bytes, at least %d needed", len(b), spdMinLen)}
	}
	s := &SPD{Size: len(b), MemoryType: b[2], MemoryTypeName: spdMemoryTypes[b[2]]}
	switch b[2] {
	case SPDTypeDDR3:
		if len(b) < spdDDR3Len {
			s.Truncated = true
			return s, nil
		}
		s.DDR3 = parseDDR3(b)
	case SPDTypeDDR4:
		if len(b) < spdDDR4Len {
			s.Truncated = true
			return s, nil
		}
		s.DDR4 = parseDDR4(b)
	default:
		if len(b) < spdLegacyLen {
			s.Truncated = true
			return s, nil
		}
		s.Legacy = parseLegacy(b)
	}
	return s, nil
}

func spdSerial(b []byte) string { return fmt.Sprintf("%02x%02x%02x%02x", b[0], b[1], b[2], b[3]) }

// bcd reads a two-digit BCD byte the way ipmitool does (no digit check).
func bcd(v uint8) int { return int(v>>4)*10 + int(v&15) }

// spdText trims the NUL and space padding off an SPD part number.
func spdText(b []byte) string {
	end := len(b)
	for end > 0 && (b[end-1] == ' ' || b[end-1] == 0) {
		end--
	}
	return string(b[:end])
}

func parseLegacy(b []byte) *SPDLegacy {
	l := &SPDLegacy{
		SizeBytes:        [4]uint8{b[3], b[4], b[5], b[17]},
		VoltageInterface: b[8],
		ErrorDetection:   b[11],
		SerialNumber:     spdSerial(b[95:99]),
	}
	ii := int(b[3]&0x0F) + int(b[4]&0x0F) - 17
	k := (int(b[5]&7) + 1) * int(b[17])
	if ii > 0 && ii <= 12 && k > 0 {
		l.SizeMB = (1 << ii) * k
	}
	// Bytes 64-71 hold 7Fh for each bank skipped; past them, byte 72.
	bank := 0
	for bank < 8 && b[64+bank] == 0x7F {
		bank++
	}
	l.Manufacturer = spdManufacturer(uint8(bank), b[64+bank])
	if b[73] != 0 {
		pn := b[73:91]
		for i, c := range pn {
			if c == 0 {
				pn = pn[:i]
				break
			}
		}
		l.PartNumber = string(pn)
	}
	return l
}

func parseDDR3(b []byte) *SPDDDR3 {
	d := &SPDDDR3{
		SDRAMCapacityMbit: 256 << (b[4] & 15),
		BanksCode:         b[4] >> 4,
		PrimaryBusWidth:   8 << (b[8] & 7),
		DeviceWidth:       4 << (b[7] & 7),
		Ranks:             1 << ((b[7] & 0x3F) >> 3),
		Voltages:          b[6],
		Operable1V5:       b[6]&1 == 0, // bit 0 says "not 1.5 V operable"
		Operable1V35:      b[6]&2 != 0,
		Operable1V25:      b[6]&4 != 0,
		BusExtensionCode:  b[8] >> 3,
		ECC:               b[8]>>3&3 == 1,
		Manufacturer:      spdManufacturer(b[117]&0x7F, b[118]),
		MfgYearBCD:        b[120],
		MfgWeekBCD:        b[121],
		MfgYear:           2000 + bcd(b[120]),
		MfgWeek:           bcd(b[121]),
		SerialNumber:      spdSerial(b[122:126]),
		PartNumberRaw:     append([]byte(nil), b[128:146]...),
	}
	if d.BanksCode <= 3 {
		d.Banks = 8 << d.BanksCode
	}
	d.ModuleSizeMB = int64(d.SDRAMCapacityMbit/8) * int64(d.PrimaryBusWidth/d.DeviceWidth) * int64(d.Ranks)
	d.PartNumber = spdText(d.PartNumberRaw)
	return d
}

func parseDDR4(b []byte) *SPDDDR4 {
	d := &SPDDDR4{
		ModuleTypeCode:    b[3] & 15,
		NonMonolithic:     b[6]&0x80 != 0,
		SignalLoading:     b[6] & 3,
		DieCount:          int(b[6]>>4&3) + 1,
		SDRAMCapacityMbit: 256 << (b[4] & 15),
		DensityCode:       b[4] & 15,
		BankGroupsCode:    b[4] >> 6 & 3,
		BanksCode:         b[4] >> 4 & 3,
		PrimaryBusWidth:   8 << (b[13] & 7),
		DeviceWidth:       4 << (b[12] & 7),
		LogicalRanks:      int(b[12]>>3&3) + 1,
		Voltages:          b[11],
		Operable1V2:       b[11]&1 != 0,
		Endurant1V2:       b[11]&2 != 0,
		BusExtensionCode:  b[13] >> 3,
		ECC:               b[13]>>3&3 == 1,
		Manufacturer:      spdManufacturer(b[320]&0x7F, b[321]),
		MfgYear:           2000 + bcd(b[323]),
		MfgWeek:           bcd(b[324]),
		SerialNumber:      spdSerial(b[325:329]),
		PartNumberRaw:     append([]byte(nil), b[329:min(len(b), spdDDR4PNEnd)]...),
	}
	if d.SignalLoading == 2 { // 3DS: every die of a stack is a logical rank
		d.LogicalRanks *= d.DieCount
	}
	if d.BankGroupsCode <= 2 {
		d.BankGroups = []int{0, 2, 4}[d.BankGroupsCode]
	}
	if d.BanksCode <= 1 {
		d.Banks = 4 << d.BanksCode
	}
	d.ModuleSizeMB = int64(d.SDRAMCapacityMbit/8) * int64(d.PrimaryBusWidth/d.DeviceWidth) * int64(d.LogicalRanks)
	d.PartNumber = spdText(d.PartNumberRaw)
	return d
}
