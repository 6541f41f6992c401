package frucmd

import (
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/ipmictl/ipmictl/fru"
	"github.com/ipmictl/ipmictl/internal/pen"
)

// fruIpmitoolField renders a field the way ipmitool 1.8.19's
// get_fru_area_str does: binary as hex, BCD plus two characters a byte,
// 6-bit ASCII four characters per started group of three bytes (so the
// zero pad bits show as spaces), 8-bit text as raw bytes up to a NUL.
// An empty result means ipmitool prints no line.
func fruIpmitoolField(f fru.Field) []byte {
	d := f.Data
	if len(d) == 0 {
		return nil
	}
	switch f.Type {
	case fru.FieldBinary:
		return []byte(hex.EncodeToString(d))
	case fru.FieldBCDPlus:
		const bcd = "0123456789 -.:,_"
		out := make([]byte, 0, 2*len(d))
		for _, c := range d {
			out = append(out, bcd[c>>4], bcd[c&0x0F])
		}
		return out
	case fru.Field6BitASCII:
		// ipmitool allocates ((len*4+2)/3)&~3 bytes and gives up when
		// that is 0 (one or two bytes of data).
		if (len(d)*4+2)/3&^3 == 0 {
			return nil
		}
		var out []byte
		for i := 0; i < len(d); i += 3 {
			var v uint32
			for k := 0; k < 3 && i+k < len(d); k++ {
				v |= uint32(d[i+k]) << (8 * k)
			}
			for k := 0; k < 4; k++ {
				out = append(out, byte(v&0x3F)+0x20)
				v >>= 6
			}
		}
		return out
	}
	for i, c := range d {
		if c == 0 {
			return d[:i]
		}
	}
	return d
}

// fruWriter prints ipmitool's "name : value" lines.
type fruWriter struct {
	w   io.Writer
	err error
}

func (fw *fruWriter) printf(format string, a ...any) {
	if fw.err == nil {
		_, fw.err = fmt.Fprintf(fw.w, format, a...)
	}
}

// field prints label and the field, unless ipmitool would skip it.
func (fw *fruWriter) field(label string, f fru.Field) {
	if v := fruIpmitoolField(f); len(v) > 0 {
		fw.printf(" %-22s: %s\n", label, v)
	}
}

// fruMfgDate is ipmitool's Board Mfg Date: "%c %Z" in local time under
// the C locale, or Unspecified.
func fruMfgDate(b *fru.BoardArea) string {
	t, ok := b.MfgDate()
	if !ok {
		return "Unspecified"
	}
	return t.In(time.Local).Format("Mon Jan _2 15:04:05 2006 MST")
}

// WriteImageText prints an image as `ipmitool fru print ID` does:
// chassis, board and product areas, and with verbose the FRU file IDs
// and the multi-record area.
func WriteImageText(w io.Writer, img *fru.Image, verbose bool) error {
	fw := &fruWriter{w: w}
	if c := img.Chassis; c != nil {
		name := "Unknown"
		if c.Type < fru.IpmitoolChassisTypes {
			name = fru.ChassisTypeName(c.Type)
		}
		fw.printf(" Chassis Type          : %s\n", name)
		fw.field("Chassis Part Number", c.PartNumber)
		fw.field("Chassis Serial", c.SerialNumber)
		for _, x := range c.Custom {
			fw.field("Chassis Extra", x)
		}
	}
	if b := img.Board; b != nil {
		fw.printf(" Board Mfg Date        : %s\n", fruMfgDate(b))
		fw.field("Board Mfg", b.Manufacturer)
		fw.field("Board Product", b.ProductName)
		fw.field("Board Serial", b.SerialNumber)
		fw.field("Board Part Number", b.PartNumber)
		if verbose {
			fw.field("Board FRU ID", b.FileID)
		}
		for _, x := range b.Custom {
			fw.field("Board Extra", x)
		}
	}
	if p := img.Product; p != nil {
		fw.field("Product Manufacturer", p.Manufacturer)
		fw.field("Product Name", p.Name)
		fw.field("Product Part Number", p.PartNumber)
		fw.field("Product Version", p.Version)
		fw.field("Product Serial", p.SerialNumber)
		fw.field("Product Asset Tag", p.AssetTag)
		if verbose {
			fw.field("Product FRU ID", p.FileID)
		}
		for _, x := range p.Custom {
			fw.field("Product Extra", x)
		}
	}
	if verbose {
		for _, r := range img.MultiRecords {
			fruWriteMultiRecord(fw, r)
		}
	}
	return fw.err
}

// fruWriteMultiRecord prints the records ipmitool -v knows.
func fruWriteMultiRecord(fw *fruWriter, r fru.MultiRecord) {
	switch {
	case r.Type == fru.RecordPowerSupply:
		ps, err := r.PowerSupply()
		if err != nil {
			return
		}
		fw.printf(" Power Supply Record\n")
		fw.printf("  Capacity                   : %d W\n", ps.CapacityW)
		fw.printf("  Peak VA                    : %d VA\n", ps.PeakVA)
		fw.printf("  Inrush Current             : %d A\n", ps.InrushCurrentA)
		fw.printf("  Inrush Interval            : %d ms\n", ps.InrushIntervalMs)
		fw.printf("  Input Voltage Range 1      : %d-%d V\n", ps.InputLow1mV/1000, ps.InputHigh1mV/1000)
		fw.printf("  Input Voltage Range 2      : %d-%d V\n", ps.InputLow2mV/1000, ps.InputHigh2mV/1000)
		fw.printf("  Input Frequency Range      : %d-%d Hz\n", ps.FreqLowHz, ps.FreqHighHz)
		fw.printf("  A/C Dropout Tolerance      : %d ms\n", ps.DropoutToleranceMs)
		flags := ""
		if ps.PredictiveFail {
			flags += "'Predictive fail' "
		}
		if ps.PFC {
			flags += "'Power factor correction' "
		}
		if ps.Autoswitch {
			flags += "'Autoswitch voltage' "
		}
		if ps.HotSwap {
			flags += "'Hot swap' "
		}
		if ps.PredictiveFail {
			switch {
			case ps.FanLowThresholdRPS != 0 && ps.TachPulses:
				flags += "'Two pulses per rotation'"
			case ps.FanLowThresholdRPS != 0:
				flags += "'One pulse per rotation'"
			case ps.TachPulses:
				flags += "'Failure on pin de-assertion'"
			default:
				flags += "'Failure on pin assertion'"
			}
		}
		fw.printf("  Flags                      : %s\n", flags)
		fw.printf("  Peak capacity              : %d W\n", ps.PeakCapacityW)
		fw.printf("  Peak capacity holdup       : %d s\n", ps.HoldUpS)
		if ps.CombinedCapacityW == 0 {
			fw.printf("  Combined capacity          : not specified\n")
		} else {
			fw.printf("  Combined capacity          : %d W (%s and %s)\n", ps.CombinedCapacityW,
				fru.CombinedVoltageName(ps.CombinedVoltage1), fru.CombinedVoltageName(ps.CombinedVoltage2))
		}
		if ps.PredictiveFail {
			fw.printf("  Fan lower threshold        : %d RPS\n", ps.FanLowThresholdRPS)
		}
	case r.Type == fru.RecordDCOutput:
		dc, err := r.DCOutput()
		if err != nil {
			return
		}
		standby := "No"
		if dc.Standby {
			standby = "Yes"
		}
		fw.printf(" DC Output Record\n")
		fw.printf("  Output Number              : %d\n", dc.OutputNumber)
		fw.printf("  Standby power              : %s\n", standby)
		fw.printf("  Nominal voltage            : %.2f V\n", float64(dc.NominalmV)/1000)
		fw.printf("  Max negative deviation     : %.2f V\n", float64(dc.MaxNegDevmV)/1000)
		fw.printf("  Max positive deviation     : %.2f V\n", float64(dc.MaxPosDevmV)/1000)
		fw.printf("  Ripple and noise pk-pk     : %d mV\n", dc.RippleNoisemV)
		fw.printf("  Minimum current draw       : %.3f A\n", float64(dc.MinCurrentmA)/1000)
		fw.printf("  Maximum current draw       : %.3f A\n", float64(dc.MaxCurrentmA)/1000)
	case r.Type == fru.RecordDCLoad:
		dl, err := r.DCLoad()
		if err != nil {
			return
		}
		fw.printf(" DC Load Record\n")
		fw.printf("  Output Number              : %d\n", dl.OutputNumber)
		fw.printf("  Nominal voltage            : %.2f V\n", float64(dl.NominalmV)/1000)
		fw.printf("  Min voltage allowed        : %.2f V\n", float64(dl.MinmV)/1000)
		fw.printf("  Max voltage allowed        : %.2f V\n", float64(dl.MaxmV)/1000)
		fw.printf("  Ripple and noise pk-pk     : %d mV\n", dl.RippleNoisemV)
		fw.printf("  Minimum current load       : %.3f A\n", float64(dl.MinCurrentmA)/1000)
		fw.printf("  Maximum current load       : %.3f A\n", float64(dl.MaxCurrentmA)/1000)
	case r.Type == fru.RecordOEMFirst:
		// ipmitool only knows type C0h, and PICMG records in detail.
		oem, err := r.OEM()
		if err != nil {
			return
		}
		if oem.ManufacturerID == fruPICMG {
			fw.printf("  PICMG Extension Record\n")
			return
		}
		name := pen.Name(oem.ManufacturerID)
		if name == "" {
			name = fmt.Sprintf("Unknown (0x%02X)", oem.ManufacturerID)
		}
		fw.printf("  OEM (%s) Record\n", name)
	}
}

// fruPICMG is the PICMG IANA number (12634).
const fruPICMG = 12634
