package selcmd

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/ipmictl/ipmictl/sel"
)

// selDateFormat chooses how SEL times print.
type selDateFormat string

const (
	Dates1819    selDateFormat = "1.8.19" // ipmitool 1.8.19, C locale: 11/23/26 | 21:32:17 UTC
	selDates1818 selDateFormat = "1.8.18" // ipmitool 1.8.18: 11/23/2026 | 21:32:17 (UTC)
	selDatesISO  selDateFormat = "iso8601"
)

func selParseDateFormat(s string) (selDateFormat, error) {
	switch strings.ToLower(s) {
	case "", "1.8.19", "ipmitool", "default":
		return Dates1819, nil
	case "1.8.18", "long", "yyyy":
		return selDates1818, nil
	case "iso", "iso8601", "rfc3339":
		return selDatesISO, nil
	}
	return "", cli.UsageErrorf("--date-format %q: use 1.8.19 (MM/DD/YY), 1.8.18 (MM/DD/YYYY) or iso8601", s)
}

// selDate and selClock format a wall-clock timestamp (at or above
// sel.PreInitLimit) as ipmitool's ipmi_timestamp_date / _time do.
func (d selDateFormat) date(ts uint32) string {
	if ts == sel.TimestampUnspecified {
		return "Unspecified"
	}
	t := time.Unix(int64(ts), 0)
	switch d {
	case selDates1818:
		return t.UTC().Format("01/02/2006")
	case selDatesISO:
		return t.In(time.Local).Format("2006-01-02")
	}
	return t.In(time.Local).Format("01/02/06")
}

func (d selDateFormat) clock(ts uint32) string {
	if ts == sel.TimestampUnspecified {
		return "Unspecified"
	}
	t := time.Unix(int64(ts), 0)
	switch d {
	case selDates1818:
		return t.UTC().Format("15:04:05")
	case selDatesISO:
		return t.In(time.Local).Format("15:04:05Z07:00")
	}
	return t.In(time.Local).Format("15:04:05 MST")
}

// selNumericTime is ipmitool's ipmi_timestamp_numeric ("%x %X %Z"), used
// by `sel info` and `sel time get`; times before the SEL clock was set
// count from BMC start ("S+ ...").
func selNumericTime(ts uint32) string {
	switch {
	case ts == sel.TimestampUnspecified:
		return "Unspecified"
	case ts < sel.PreInitLimit:
		t := time.Unix(int64(ts), 0).UTC()
		if ts < 24*60*60 {
			return t.Format("S+ 15:04:05")
		}
		return fmt.Sprintf("S+ %s/%03d %s", t.Format("06"), t.YearDay(), t.Format("15:04:05"))
	}
	return time.Unix(int64(ts), 0).In(time.Local).Format("01/02/06 15:04:05 MST")
}

// EventTypeName is ipmitool's ipmi_get_event_type.
func EventTypeName(code uint8) string {
	switch {
	case code == 0:
		return "Unspecified"
	case code == 1:
		return "Threshold"
	case code >= 0x02 && code <= 0x0B:
		return "Generic Discrete"
	case code == 0x6F:
		return "Sensor-specific Discrete"
	case code >= 0x70 && code <= 0x7F:
		return "OEM"
	}
	return "Reserved"
}

// Description is the event text ipmitool prints for a system event.
func Description(e *sel.SystemEvent) string {
	if e.EventType >= 0x70 && e.EventType < 0x7F {
		return "" // OEM: ipmitool only decodes a few vendors' events
	}
	return sdr.EventTextData(e.EventType, e.SensorType, e.Offset(), e.Data[1], e.Data[0]&0xC0 != 0)
}

// SensorMatch finds the SDR ipmitool's `sel elist` names an event by:
// a full, compact or event-only record with the generator's owner ID and
// the event's sensor number and type.
func SensorMatch(repo *sdr.Repository, e *sel.SystemEvent) *sdr.Record {
	if repo == nil {
		return nil
	}
	for _, r := range repo.Records {
		switch {
		case r.Full != nil || r.Compact != nil:
			s := r.Sensor()
			if s.Number == e.SensorNumber && s.OwnerID == e.OwnerID() && s.SensorType == e.SensorType {
				return r
			}
		case r.EventOnly != nil:
			s := r.EventOnly
			if s.Number == e.SensorNumber && s.OwnerID == e.OwnerID() && s.SensorType == e.SensorType {
				return r
			}
		}
	}
	return nil
}

// selSensorName is the ID string ipmitool prints for a matched SDR.
func selSensorName(r *sdr.Record) string {
	switch {
	case r.Full != nil:
		return r.Full.RawName
	case r.Compact != nil:
		return r.Compact.RawName
	case r.EventOnly != nil:
		return r.EventOnly.RawName
	}
	return ""
}

// selConvert converts a raw threshold-event byte with the sensor's
// factors, in single precision as ipmitool's float does.
func selConvert(r *sdr.Record, raw uint8) float32 {
	if r == nil || r.Full == nil {
		return float32(raw)
	}
	v, ok := r.Full.Factors.Convert(raw)
	if !ok {
		return float32(raw)
	}
	return float32(v)
}

// selFormatValue prints a reading like ipmitool's "%.*f": no decimals for
// whole numbers, two otherwise.
func selFormatValue(v float32) string {
	if !math.IsInf(float64(v), 0) && !math.IsNaN(float64(v)) && v == float32(int32(v)) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// selThresholdText is elist's "Reading 92 > Threshold 90 degrees C". The
// reading prints as 0 when event data 2 does not carry it, as in ipmitool.
func selThresholdText(e *sel.SystemEvent, r *sdr.Record) string {
	var reading float32
	if raw, ok := e.TriggerReading(); ok {
		reading = selConvert(r, raw)
	}
	s := "Reading " + selFormatValue(reading)
	if raw, ok := e.TriggerThreshold(); ok {
		// ipmitool 1.8.19 flips the sign for deassertions: the reading is
		// back on the good side of the threshold.
		dir := "<"
		if e.GoingHigh() != e.Deassertion {
			dir = ">"
		}
		unit := ""
		if sc := r.Sensor(); sc != nil {
			unit = sc.Unit()
		}
		s += fmt.Sprintf(" %s Threshold %s %s", dir, selFormatValue(selConvert(r, raw)), unit)
	}
	return s
}

// Line renders one entry as ipmitool's ipmi_sel_print_std_entry: the
// text form (" | " between columns) or the -c form (","). sensor is the
// matched SDR for elist, nil for list.
func Line(rec *sel.Record, sensor *sdr.Record, dates selDateFormat, csv bool) string {
	sep := " | "
	if csv {
		sep = ","
	}
	var b strings.Builder
	if csv {
		fmt.Fprintf(&b, "%x,", rec.ID)
	} else {
		fmt.Fprintf(&b, "%4x | ", rec.ID)
	}
	raw := rec.IpmitoolRaw()
	if rec.Type == sel.TypeLinuxKernelPanic {
		if csv {
			b.WriteString(",,")
		}
		msg := raw[5:16]
		if i := strings.IndexByte(string(msg), 0); i >= 0 {
			msg = msg[:i]
		}
		fmt.Fprintf(&b, "Linux kernel panic: %s", msg)
		return b.String()
	}
	if rec.Type < sel.TypeOEMNoTimestamp {
		if rec.Timestamp < sel.PreInitLimit {
			b.WriteString(" Pre-Init ")
			if csv {
				b.WriteString(",")
			} else {
				b.WriteString(" |")
			}
			fmt.Fprintf(&b, "%010d", int32(rec.Timestamp))
			if csv {
				b.WriteString(",")
			} else {
				b.WriteString("| ")
			}
		} else {
			b.WriteString(dates.date(rec.Timestamp) + sep + dates.clock(rec.Timestamp) + sep)
		}
	} else if csv {
		b.WriteString(",,")
	}
	if rec.OEM != nil {
		fmt.Fprintf(&b, "OEM record %02x%s", rec.Type, sep)
		if rec.Type < sel.TypeOEMNoTimestamp {
			fmt.Fprintf(&b, "%02x%02x%02x%s", raw[7], raw[8], raw[9], sep)
		}
		fmt.Fprintf(&b, "%x", rec.OEM.Data)
		return b.String()
	}
	e := rec.Event
	if sensor != nil {
		b.WriteString(sdr.SensorTypeName(e.SensorType) + " " + selSensorName(sensor))
	} else {
		b.WriteString(sdr.SensorTypeName(e.SensorType))
		if e.SensorNumber != 0 {
			fmt.Fprintf(&b, " #0x%02x", e.SensorNumber)
		}
	}
	b.WriteString(sep + Description(e) + sep)
	if e.Deassertion {
		b.WriteString("Deasserted")
	} else {
		b.WriteString("Asserted")
	}
	switch {
	case sensor != nil && e.EventType == 0x01:
		b.WriteString(sep + selThresholdText(e, sensor))
	case e.EventType == 0x6F && e.SensorType == 0x0C && e.SensorNumber == 0 && e.Data[0]&0x30 == 0x20:
		fmt.Fprintf(&b, "%sCPU %d DIMM %d", sep, e.Data[2]&0x0F, e.Data[2]>>4)
	}
	return b.String()
}

// Verbose renders `sel get` (ipmitool's extended verbose entry).
func Verbose(rec *sel.Record, sensor *sdr.Record, dates selDateFormat) string {
	var b strings.Builder
	raw := rec.IpmitoolRaw()
	fmt.Fprintf(&b, "SEL Record ID          : %04x\n", rec.ID)
	if rec.Type == sel.TypeLinuxKernelPanic {
		fmt.Fprintf(&b, " Record Type           : Linux kernel panic (OEM record %02x)\n", rec.Type)
		fmt.Fprintf(&b, " Panic string          : %s\n\n", strings.TrimRight(string(raw[5:16]), "\x00"))
		return b.String()
	}
	fmt.Fprintf(&b, " Record Type           : %02x", rec.Type)
	if rec.OEM != nil && sensor == nil {
		if rec.Type < sel.TypeOEMNoTimestamp {
			b.WriteString("  (OEM timestamped)")
		} else {
			b.WriteString("  (OEM non-timestamped)")
		}
	}
	b.WriteString("\n")
	if rec.Type < sel.TypeOEMNoTimestamp {
		fmt.Fprintf(&b, " Timestamp             : %s %s\n", dates.date(rec.Timestamp), dates.clock(rec.Timestamp))
	}
	if rec.OEM != nil {
		if rec.Type < sel.TypeOEMNoTimestamp {
			fmt.Fprintf(&b, " Manufactacturer ID    : %02x%02x%02x\n", raw[7], raw[8], raw[9])
		}
		fmt.Fprintf(&b, " OEM Defined           : %x [%s]\n\n", rec.OEM.Data, selPrintable(rec.OEM.Data))
		return b.String()
	}
	e := rec.Event
	fmt.Fprintf(&b, " Generator ID          : %04x\n", e.GeneratorID)
	fmt.Fprintf(&b, " EvM Revision          : %02x\n", e.EvMRev)
	fmt.Fprintf(&b, " Sensor Type           : %s\n", sdr.SensorTypeName(e.SensorType))
	fmt.Fprintf(&b, " Sensor Number         : %02x\n", e.SensorNumber)
	fmt.Fprintf(&b, " Event Type            : %s\n", EventTypeName(e.EventType))
	dir := "Assertion Event"
	if e.Deassertion {
		dir = "Deassertion Event"
	}
	fmt.Fprintf(&b, " Event Direction       : %s\n", dir)
	if sensor == nil {
		fmt.Fprintf(&b, " Event Data            : %02x%02x%02x\n", e.Data[0], e.Data[1], e.Data[2])
	} else {
		fmt.Fprintf(&b, " Event Data (RAW)      : %02x%02x%02x\n", e.Data[0], e.Data[1], e.Data[2])
		selVerboseData(&b, e, sensor)
	}
	fmt.Fprintf(&b, " Description           : %s\n\n", Description(e))
	return b.String()
}

// selVerboseData breaks event data down as ipmitool does for `sel get`.
func selVerboseData(b *strings.Builder, e *sel.SystemEvent, sensor *sdr.Record) {
	switch {
	case e.EventType == 0x01 && sensor.Full != nil:
		unit := sensor.Full.Unit()
		switch e.Data2Use() {
		case sel.DataTrigger:
			fmt.Fprintf(b, " Trigger Reading       : %.3f%s\n", selConvert(sensor, e.Data[1]), unit)
		case sel.DataOEM:
			fmt.Fprintf(b, " OEM Data              : %02x\n", e.Data[1])
		case sel.DataExtension:
			fmt.Fprintf(b, " Sensor Extension Code : %02x\n", e.Data[1])
		}
		switch e.Data3Use() {
		case sel.DataTrigger:
			fmt.Fprintf(b, " Trigger Threshold     : %.3f%s\n", selConvert(sensor, e.Data[2]), unit)
		case sel.DataOEM:
			fmt.Fprintf(b, " OEM Data              : %02x\n", e.Data[2])
		case sel.DataExtension:
			fmt.Fprintf(b, " Sensor Extension Code : %02x\n", e.Data[2])
		}
	case e.EventType >= 0x02 && e.EventType <= 0x0C:
	case e.EventType == 0x6F:
		switch {
		case e.SensorType == 0x0C && e.SensorNumber == 0 && e.Data[0]&0x30 == 0x20:
			fmt.Fprintf(b, " Event Data            : CPU %d DIMM %d\n", e.Data[2]&0x0F, e.Data[2]>>4)
		case e.SensorType == 0x2B && e.Data[0] == 0xC1:
		default:
			b.WriteString(" Event Interpretation  : Missing\n")
		}
	case e.EventType >= 0x70 && e.EventType <= 0x7F:
	default:
		fmt.Fprintf(b, " Event Data            : %02x%02x%02x\n", e.Data[0], e.Data[1], e.Data[2])
	}
}

// selPrintable is ipmitool's hex2ascii: '.' for bytes outside 0x40-0x7E.
func selPrintable(d []byte) string {
	out := make([]byte, len(d))
	for i, c := range d {
		if c < 0x40 || c > 0x7E {
			c = '.'
		}
		out[i] = c
	}
	return string(out)
}
