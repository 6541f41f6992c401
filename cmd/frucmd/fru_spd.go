package frucmd

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/fru"
	"github.com/ipmictl/ipmictl/ipmi"
)

// DIMM SPD devices in `fru print`, printed as ipmitool 1.8.19's
// ipmi_spd_print_fru / ipmi_spd_print do.

// fruSPDModifier is the FRU locator device type modifier "DIMM Memory ID".
const fruSPDModifier = 0x01

// fruSPDShortRead is ipmitool's text for a Read FRU Data answer whose
// count does not fit; it ends no line of its own.
const fruSPDShortRead = " Not enough buffer size"

// fruReadSPD reads a whole DIMM SPD device and decodes it.
func fruReadSPD(ctx context.Context, fc *fru.Client, d *Device) {
	b, info, err := fc.ReadAll(ctx, d.Device)
	d.Info = info
	if err != nil && !errors.Is(err, fru.ErrNoProgress) {
		d.Err = err
		return
	}
	d.SPDRaw = b
	d.SPD, d.SPDErr = fru.ParseSPD(b)
}

// fruVal is ipmitool's val2str: the name, or "Unknown (0xNN)".
func fruVal(names map[uint8]string, v uint8) string {
	if s, ok := names[v]; ok {
		return s
	}
	return fmt.Sprintf("Unknown (0x%02X)", v)
}

var (
	fruDDR3Banks = map[uint8]string{0: "3 (8 Banks)", 1: "4 (16 Banks)", 2: "5 (32 Banks)", 3: "6 (64 Banks)"}
	fruSPDECC    = map[uint8]string{0: "0 bits", 1: "8 bits"}
	fruDDR4Dens  = map[uint8]string{0: "256 Mb", 1: "512 Mb", 2: "1 Gb", 3: "2 Gb", 4: "4 Gb", 5: "8 Gb", 6: "16 Gb", 7: "32 Gb"}
	fruDDR4Banks = map[uint8]string{0: "2 (4 Banks)", 1: "3 (8 Banks)"}
	fruDDR4Group = map[uint8]string{0: "0 (no Bank Groups)", 1: "1 (2 Bank Groups)", 2: "2 (4 Bank Groups)"}
	fruDDR4Pkg   = map[uint8]string{0: "Monolithic DRAM Device", 1: "Non-Monolithic Device"}
	fruDDR4Tech  = map[uint8]string{0: "Extended module type, see byte 15", 1: "RDIMM", 2: "UDIMM", 3: "SO-DIMM",
		4: "LRDIMM", 5: "Mini-RDIMM", 6: "Mini-UDIMM", 7: "7 - Reserved", 8: "72b-SO-RDIMM", 9: "72b-SO-UDIMM",
		10: "10 - Reserved", 11: "11 - Reserved", 12: "16b-SO-DIMM", 13: "32b-SO-DIMM", 14: "14 - Reserved",
		15: "No base memory present"}
	fruSPDVoltage = map[uint8]string{0: "5.0V TTL", 1: "LVTTL", 2: "HSTL 1.5V", 3: "SSTL 3.3V", 4: "SSTL 2.5V", 5: "SSTL 1.8V"}
	fruSPDConfig  = map[uint8]string{0: "None", 1: "Parity", 2: "ECC", 4: "Addr Cmd Parity"}
)

// fruSPDManufacturer is ipmitool's manufacturer text.
func fruSPDManufacturer(m fru.SPDManufacturer) string {
	if int(m.Bank) >= fru.JEDECBanks {
		return "JEDEC JEP106 update required"
	}
	if m.Name == "" {
		return fmt.Sprintf("Unknown (0x%02X)", m.ID)
	}
	return m.Name
}

func fruYesNo(yes bool) string {
	if yes {
		return "Yes"
	}
	return "No"
}

// fruWriteSPDDevice prints a DIMM device's part of `fru print` (with
// verbose, ipmitool's hex dump of the bytes goes to stderr).
func fruWriteSPDDevice(w io.Writer, d *Device, verbose bool) error {
	var fe *ipmi.FormatError
	switch {
	case d.Err != nil && errors.As(d.Err, &fe) && d.Info.Size > 0:
		_, err := io.WriteString(w, fruSPDShortRead)
		return err
	case d.Err != nil:
		if fruDataError(d.Err) {
			return nil
		}
		_, err := fmt.Fprintf(w, " Device not present (%s)\n", fruErrText(d.Err))
		return err
	case d.SPD == nil:
		return nil // under 92 bytes: ipmitool prints nothing
	}
	fw := &fruWriter{w: w}
	fruWriteSPD(fw, d.SPD)
	if verbose && !d.SPD.Truncated {
		fw.printf("\n")
	}
	return fw.err
}

// fruSPDDump is ipmitool's printbuf of the SPD bytes, on stderr.
func fruSPDDump(w io.Writer, b []byte) {
	fmt.Fprintf(w, "SPD DATA (%d bytes)\n", len(b))
	for i, c := range b {
		if i%16 == 0 && i != 0 {
			fmt.Fprint(w, "\n")
		}
		fmt.Fprintf(w, " %02x", c)
	}
	fmt.Fprint(w, "\n")
}

func fruWriteSPD(fw *fruWriter, s *fru.SPD) {
	name := s.MemoryTypeName
	if name == "" {
		name = fmt.Sprintf("Unknown (0x%02X)", s.MemoryType)
	}
	fw.printf(" Memory Type           : %s\n", name)
	switch {
	case s.DDR3 != nil:
		d := s.DDR3
		fw.printf(" SDRAM Capacity        : %d MB\n", d.SDRAMCapacityMbit)
		fw.printf(" Memory Banks          : %s\n", fruVal(fruDDR3Banks, d.BanksCode))
		fw.printf(" Primary Bus Width     : %d bits\n", d.PrimaryBusWidth)
		fw.printf(" SDRAM Device Width    : %d bits\n", d.DeviceWidth)
		fw.printf(" Number of Ranks       : %d\n", d.Ranks)
		fw.printf(" Memory size           : %d MB\n", int32(d.ModuleSizeMB)) // ipmitool's int arithmetic
		// ipmitool answers No whenever the bit is set, whatever it means.
		fw.printf(" 1.5 V Nominal Op      : %s\n", fruYesNo(d.Voltages&1 == 0))
		fw.printf(" 1.35 V Nominal Op     : %s\n", fruYesNo(d.Voltages&2 == 0))
		fw.printf(" 1.2X V Nominal Op     : %s\n", fruYesNo(d.Voltages&4 == 0))
		fw.printf(" Error Detect/Cor      : %s\n", fruVal(fruSPDECC, d.BusExtensionCode))
		fw.printf(" Manufacturer          : %s\n", fruSPDManufacturer(d.Manufacturer))
		fw.printf(" Manufacture Date      : year %c%c week %c%c\n", '0'+d.MfgYearBCD>>4, '0'+d.MfgYearBCD&15,
			'0'+d.MfgWeekBCD>>4, '0'+d.MfgWeekBCD&15)
		fw.printf(" Serial Number         : %s\n", d.SerialNumber)
		fw.printf(" Part Number           : %s\n", d.PartNumberRaw)
	case s.DDR4 != nil:
		d := s.DDR4
		pkg := uint8(0)
		if d.NonMonolithic {
			pkg = 1
		}
		fw.printf(" SDRAM Package Type    : %s\n", fruVal(fruDDR4Pkg, pkg))
		fw.printf(" Technology            : %s\n", fruVal(fruDDR4Tech, d.ModuleTypeCode))
		fw.printf(" SDRAM Die Count       : %d\n", d.DieCount)
		fw.printf(" SDRAM Capacity        : %d Mb\n", d.SDRAMCapacityMbit)
		fw.printf(" Memory Bank Group     : %s\n", fruVal(fruDDR4Group, d.BankGroupsCode))
		fw.printf(" Memory Banks          : %s\n", fruVal(fruDDR4Banks, d.BanksCode))
		fw.printf(" Primary Bus Width     : %d bits\n", d.PrimaryBusWidth)
		fw.printf(" SDRAM Device Width    : %d bits\n", d.DeviceWidth)
		fw.printf(" Logical Rank per DIMM : %d\n", d.LogicalRanks)
		fw.printf(" Memory size           : %d MB\n", int32(d.ModuleSizeMB))
		fw.printf(" Memory Density        : %s\n", fruVal(fruDDR4Dens, d.DensityCode))
		fw.printf(" 1.2 V Nominal Op      : %s\n", fruYesNo(d.Voltages&3 == 3))
		fw.printf(" TBD1 V Nominal Op     : %s\n", fruYesNo(d.Voltages>>2&3 == 3))
		fw.printf(" TBD2 V Nominal Op     : %s\n", fruYesNo(d.Voltages>>4&3 == 3))
		fw.printf(" Error Detect/Cor      : %s\n", fruVal(fruSPDECC, d.BusExtensionCode))
		fw.printf(" Manufacturer          : %s\n", fruSPDManufacturer(d.Manufacturer))
		fw.printf(" Manufacture Date      : year %4d week %2d\n", d.MfgYear, d.MfgWeek)
		fw.printf(" Serial Number         : %s\n", d.SerialNumber)
		fw.printf(" Part Number           : %s\n", d.PartNumberRaw)
	case s.Legacy != nil:
		l := s.Legacy
		if l.SizeMB > 0 {
			fw.printf(" Memory Size           : %d MB\n", l.SizeMB)
		} else {
			fw.printf(" Memory Size    INVALID: %d, %d, %d, %d\n", l.SizeBytes[0], l.SizeBytes[1], l.SizeBytes[2], l.SizeBytes[3])
		}
		fw.printf(" Voltage Intf          : %s\n", fruVal(fruSPDVoltage, l.VoltageInterface))
		fw.printf(" Error Detect/Cor      : %s\n", fruVal(fruSPDConfig, l.ErrorDetection))
		fw.printf(" Manufacturer          : %s\n", fruSPDManufacturer(l.Manufacturer))
		if l.PartNumber != "" {
			fw.printf(" Part Number           : %s\n", l.PartNumber)
		}
		fw.printf(" Serial Number         : %s\n", l.SerialNumber)
	}
}

// fruReadSPDReport reads a DIMM device for fru print, reporting on stderr
// what ipmitool reports there (and the SPD bytes with -v); false when the
// device could not be read.
func fruReadSPDReport(f *cli.Factory, fc *fru.Client, d *Device) bool {
	fruReadSPD(f.Context(), fc, d)
	var ce *ipmi.CompletionError
	var fe *ipmi.FormatError
	switch {
	case d.Err != nil && errors.As(d.Err, &ce):
	case d.Err != nil && errors.As(d.Err, &fe) && d.Info.Size == 0:
		fmt.Fprintf(f.IO.ErrOut, " Invalid FRU size %d\n", d.Info.Size)
	case d.Err != nil:
		fmt.Fprintf(f.IO.ErrOut, "FRU ID %d: %v\n", d.ID, d.Err)
	case d.SPDErr != nil:
		fmt.Fprintf(f.IO.ErrOut, "FRU ID %d: %v\n", d.ID, d.SPDErr)
	case f.Opts.Verbose > 0 && !d.SPD.Truncated:
		fruSPDDump(f.IO.ErrOut, d.SPDRaw)
	}
	return d.Err == nil
}
