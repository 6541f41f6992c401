package sdrcmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/sdr"
)

// sdrRow is one line of `sdr list`/`elist`/`type`/`entity`: a record and,
// for full and compact sensors, its reading.
type sdrRow struct {
	rec *sdr.Record
	val *sdrValue
}

// sdrListResult is the result of the listing commands.
type sdrListResult struct {
	rows     []sdrRow
	extended bool // elist form (also sdr type and sdr entity)
}

// WriteText prints ipmitool 1.8.19's `sdr list` or `sdr elist` lines.
func (r *sdrListResult) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, row := range r.rows {
		if r.extended {
			sdrWriteElist(&b, row)
		} else {
			sdrWriteList(&b, row)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCSV prints ipmitool's -c form (the same for list and elist, except
// that elist's status names are the extended ones).
func (r *sdrListResult) WriteCSV(w io.Writer) error {
	var b strings.Builder
	for _, row := range r.rows {
		sdrWriteCSV(&b, row, r.extended)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sdrWriteList(b *strings.Builder, row sdrRow) {
	rec := row.rec
	name := sdrPad(sdrDisplayName(rec), 16)
	switch {
	case row.val != nil:
		v := row.val
		var sval string
		switch {
		case v.valid && v.hasAnalog:
			sval = sdrFormat(v.value, 2) + " " + v.units
		case v.valid:
			sval = fmt.Sprintf("0x%02x", v.shown())
		case v.scanDisabled && v.full != nil:
			sval = "disabled"
		case v.full != nil:
			sval = "no reading"
		default:
			sval = "Not Readable"
		}
		status := "ns"
		if v.sc.IsThreshold() {
			status = v.threshStatus("ns", sdrStatusShort)
		} else if v.valid {
			status = "ok"
		}
		fmt.Fprintf(b, "%s | %s | %s\n", name, sdrPad(sdrTrunc(sval, 15), 17), status)
	case rec.EventOnly != nil:
		fmt.Fprintf(b, "%s | Event-Only        | ns\n", name)
	case rec.MCLocator != nil:
		m := rec.MCLocator
		kind, sp := "Dynamic", ""
		if m.Static() {
			kind, sp = "Static", " "
		}
		fmt.Fprintf(b, "%s | %s MC @ %02Xh %s | ok\n", name, kind, m.SlaveAddr, sp)
	case rec.FRULocator != nil:
		f := rec.FRULocator
		kind := "Phy"
		if f.Logical {
			kind = "Log"
		}
		fmt.Fprintf(b, "%s | %s FRU @%02Xh %02x.%x | ok\n", name, kind, f.DeviceID, f.EntityID, f.EntityInstance)
	case rec.GenericLocator != nil:
		g := rec.GenericLocator
		fmt.Fprintf(b, "%s | Generic @%02X:%02X.%-2d | ok\n", name, g.AccessAddr, g.SlaveAddr, g.OEM)
	}
}

func sdrWriteElist(b *strings.Builder, row sdrRow) {
	rec := row.rec
	name := sdrPad(sdrDisplayName(rec), 16)
	switch {
	case row.val != nil:
		v := row.val
		status := "ns"
		if v.sc.IsThreshold() {
			status = v.threshStatus("ns", sdrStatusExt)
		} else if v.valid {
			status = "ok"
		}
		fmt.Fprintf(b, "%s | %02Xh | %s | %2d.%1d | ", name, v.sc.Number, sdrPad(status, 3), v.sc.EntityID, v.sc.EntityInstance)
		switch {
		case v.valid && v.sc.IsThreshold() && v.hasAnalog:
			b.WriteString(sdrTrunc(sdrFormat(v.value, 2)+" "+v.units, 15))
		case v.valid:
			states := v.states()
			if v.hasAnalog {
				b.WriteString(sdrFormat(v.value, 2) + " " + v.units)
				if len(states) > 0 {
					b.WriteString(", ")
				}
			}
			b.WriteString(strings.Join(states, ", "))
		case v.scanDisabled:
			b.WriteString("Disabled")
		default:
			b.WriteString("No Reading")
		}
		b.WriteString("\n")
	case rec.EventOnly != nil:
		e := rec.EventOnly
		fmt.Fprintf(b, "%s | %02Xh | ns  | %2d.%1d | Event-Only\n", name, e.Number, e.EntityID, e.EntityInstance)
	case rec.MCLocator != nil:
		m := rec.MCLocator
		kind := "Dynamic"
		if m.Static() {
			kind = "Static"
		}
		fmt.Fprintf(b, "%s | 00h | ok  | %2d.%1d | %s MC @ %02Xh\n", name, m.EntityID, m.EntityInstance, kind, m.SlaveAddr)
	case rec.FRULocator != nil:
		f := rec.FRULocator
		kind := "Physical"
		if f.Logical {
			kind = "Logical"
		}
		fmt.Fprintf(b, "%s | 00h | ns  | %2d.%1d | %s FRU @%02Xh\n", name, f.EntityID, f.EntityInstance, kind, f.DeviceID)
	case rec.GenericLocator != nil:
		g := rec.GenericLocator
		fmt.Fprintf(b, "%s | 00h | ns  | %2d.%1d | Generic Device @%02Xh:%02Xh.%1d\n", name, g.EntityID, g.EntityInstance, g.AccessAddr, g.SlaveAddr, g.OEM)
	}
}

func sdrWriteCSV(b *strings.Builder, row sdrRow, extended bool) {
	rec := row.rec
	name := sdrDisplayName(rec)
	switch {
	case row.val != nil:
		v := row.val
		b.WriteString(name + ",")
		if !v.sc.IsThreshold() || (v.valid && !v.hasAnalog) {
			sdrWriteCSVDiscrete(b, v)
		} else if v.valid {
			fmt.Fprintf(b, "%s,%s,%s", sdrFormat(v.value, 3), v.units, v.threshStatus("ns", sdrCSVStatus(extended)))
		} else {
			b.WriteString(",,ns")
		}
		b.WriteString("\n")
	case rec.EventOnly != nil:
		e := rec.EventOnly
		fmt.Fprintf(b, "%s,%02Xh,ns,%d.%d,Event-Only\n", name, e.Number, e.EntityID, e.EntityInstance)
	case rec.MCLocator != nil:
		m := rec.MCLocator
		fmt.Fprintf(b, "%s,00h,ok,%d.%d\n", name, m.EntityID, m.EntityInstance)
	case rec.FRULocator != nil:
		f := rec.FRULocator
		fmt.Fprintf(b, "%s,00h,ns,%d.%d\n", name, f.EntityID, f.EntityInstance)
	case rec.GenericLocator != nil:
		g := rec.GenericLocator
		fmt.Fprintf(b, "%s,00h,ns,%d.%d\n", name, g.EntityID, g.EntityInstance)
	}
}

// sdrCSVStatus picks the status names of -c output: elist's in elist mode.
func sdrCSVStatus(extended bool) int {
	if extended {
		return sdrStatusExt
	}
	return sdrStatusShort
}

// sdrWriteCSVDiscrete is ipmitool's print_csv_discrete.
func sdrWriteCSVDiscrete(b *strings.Builder, v *sdrValue) {
	if !v.valid || v.unavailable {
		fmt.Fprintf(b, "%02Xh,ns,%d.%d,No Reading", v.sc.Number, v.sc.EntityID, v.sc.EntityInstance)
		return
	}
	if v.hasAnalog {
		fmt.Fprintf(b, "%s,%s,", sdrFormat(v.value, 2), v.units)
	} else {
		fmt.Fprintf(b, "%02Xh,", v.sc.Number)
	}
	fmt.Fprintf(b, "ok,%d.%d,%s", v.sc.EntityID, v.sc.EntityInstance, strings.Join(v.states(), ", "))
}

// sdrJSON is the -o json form of one row: a sensor object (with the
// thresholds its record initialises) or a record object.
func sdrJSON(row sdrRow) any {
	if row.val != nil {
		return sensorObjectOf(row.val, sdrRecordThresholds(row.val))
	}
	return recordObjectOf(row.rec)
}

// MarshalJSON gives -o json a list of records with numbers as numbers.
func (r *sdrListResult) MarshalJSON() ([]byte, error) {
	out := make([]any, 0, len(r.rows))
	for _, row := range r.rows {
		out = append(out, sdrJSON(row))
	}
	return cli.JSONMarshal(out)
}

// Columns and Rows give -o table (and -o csv with a header via Tabular).
func (r *sdrListResult) Columns() []string {
	return []string{"Name", "Number", "Status", "Entity", "Reading", "Units", "States"}
}

func (r *sdrListResult) Rows() [][]string {
	out := make([][]string, 0, len(r.rows))
	for _, row := range r.rows {
		if row.val == nil {
			o := recordObjectOf(row.rec)
			num := ""
			if o.SensorNumber != nil {
				num = fmt.Sprintf("%02Xh", *o.SensorNumber)
			}
			out = append(out, []string{o.Name, num, o.Status, o.Entity, o.Locator, "", ""})
			continue
		}
		o := sensorObjectOf(row.val, nil)
		reading, units := "", ""
		if o.Reading != nil {
			reading = sdrFormat(*o.Reading, 2)
		} else if row.val.valid {
			reading = fmt.Sprintf("0x%02x", row.val.raw)
		}
		if o.Units != nil {
			units = *o.Units
		}
		out = append(out, []string{o.Name, fmt.Sprintf("%02Xh", o.SensorNumber), o.Status, o.Entity, reading, units, strings.Join(o.States, ", ")})
	}
	return out
}
