package sdrcmd

import (
	"fmt"
	"io"
	"strings"

	cli "github.com/ipmictl/ipmictl/cmd/cli"
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

// sdrJSONRow is the -o json form of one record.
type sdrJSONRow struct {
	Name         string   `json:"name"`
	RecordID     uint16   `json:"record_id"`
	RecordType   string   `json:"record_type"`
	SensorNumber *uint8   `json:"sensor_number,omitempty"`
	SensorType   string   `json:"sensor_type,omitempty"`
	Entity       string   `json:"entity,omitempty"`
	EntityName   string   `json:"entity_name,omitempty"`
	Reading      *float64 `json:"reading"`
	Raw          *uint8   `json:"raw,omitempty"`
	Units        string   `json:"units,omitempty"`
	Status       string   `json:"status"`
	States       []string `json:"states,omitempty"`
	Locator      string   `json:"locator,omitempty"`
}

func sdrJSON(row sdrRow) sdrJSONRow {
	rec := row.rec
	j := sdrJSONRow{Name: sdrDisplayName(rec), RecordID: rec.ID, RecordType: rec.Type.String(), Status: "ns"}
	if id, inst, ok := rec.Entity(); ok {
		j.Entity, j.EntityName = fmt.Sprintf("%d.%d", id, inst), sdr.EntityName(id)
	}
	if st, ok := rec.SensorType(); ok {
		j.SensorType = sdr.SensorTypeName(st)
	}
	switch {
	case row.val != nil:
		v := row.val
		n := v.sc.Number
		j.SensorNumber = &n
		if v.valid {
			raw := v.raw
			j.Raw = &raw
			if v.hasAnalog {
				val := v.value
				j.Reading = &val
			}
			j.States = cli.TrimmedStates(v.states())
		}
		j.Units = v.units
		switch {
		case v.sc.IsThreshold():
			j.Status = v.threshStatus("ns", sdrStatusExt)
		case v.valid:
			j.Status = "ok"
		}
		if v.scanDisabled {
			j.Status = "disabled"
		}
	case rec.EventOnly != nil:
		n := rec.EventOnly.Number
		j.SensorNumber = &n
		j.Locator = "Event-Only"
	case rec.MCLocator != nil:
		j.Status, j.Locator = "ok", fmt.Sprintf("MC @ %02Xh", rec.MCLocator.SlaveAddr)
	case rec.FRULocator != nil:
		j.Locator = fmt.Sprintf("FRU @%02Xh", rec.FRULocator.DeviceID)
	case rec.GenericLocator != nil:
		j.Locator = fmt.Sprintf("Generic @%02X:%02X", rec.GenericLocator.AccessAddr, rec.GenericLocator.SlaveAddr)
	}
	return j
}

// MarshalJSON gives -o json a list of records with numbers as numbers.
func (r *sdrListResult) MarshalJSON() ([]byte, error) {
	out := make([]sdrJSONRow, 0, len(r.rows))
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
		j := sdrJSON(row)
		num, reading := "", j.Locator
		if j.SensorNumber != nil {
			num = fmt.Sprintf("%02Xh", *j.SensorNumber)
		}
		if j.Reading != nil {
			reading = sdrFormat(*j.Reading, 2)
		} else if j.Raw != nil {
			reading = fmt.Sprintf("0x%02x", *j.Raw)
		}
		out = append(out, []string{j.Name, num, j.Status, j.Entity, reading, j.Units, strings.Join(j.States, ", ")})
	}
	return out
}
