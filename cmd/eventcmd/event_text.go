package eventcmd

import (
	"encoding/binary"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/selcmd"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/ipmictl/ipmictl/sel"
)

// eventRecord is the SEL record ipmitool prints for an event it sends:
// record ID 0, record type 0, no timestamp, generator 0041h (system
// management software), and the seven event bytes.
func eventRecord(body [7]byte) *sel.Record {
	var b [sel.RecordLen]byte
	binary.LittleEndian.PutUint16(b[7:], ipmi.SystemSoftwareGenerator)
	copy(b[9:], body[:])
	rec, _ := sel.Decode(b[:]) // 16 bytes: cannot fail
	return rec
}

// eventPreInitStamp is the timestamp line ipmitool 1.8.19 prints for the
// zero time of an event it sends: date and time share one static buffer,
// so the date shows twice.
const eventPreInitStamp = " Timestamp             : S+ 70/001 S+ 70/001\n"

// eventText is ipmitool's ipmi_event_msg_print: the `sel elist` line (its
// -c form with csv), or with -v the `sel get` block.
func eventText(rec *sel.Record, sensor *sdr.Record, verbose, csv bool) string {
	if !verbose {
		return selcmd.Line(rec, sensor, selcmd.Dates1819, csv) + "\n"
	}
	lines := strings.SplitAfter(selcmd.Verbose(rec, sensor, selcmd.Dates1819), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, " Timestamp ") {
			lines[i] = eventPreInitStamp
		}
	}
	return strings.Join(lines, "")
}

// eventJSONOf fills the decoded event into meta.
func eventJSONOf(rec *sel.Record, meta eventJSON) eventJSON {
	e := rec.Event
	meta.EvMRev = e.EvMRev
	meta.SensorTypeCode, meta.SensorType = e.SensorType, sdr.SensorTypeName(e.SensorType)
	meta.SensorNumber = e.SensorNumber
	meta.EventTypeCode, meta.EventType = e.EventType, selcmd.EventTypeName(e.EventType)
	meta.Direction = "Asserted"
	if e.Deassertion {
		meta.Direction = "Deasserted"
	}
	meta.Offset = e.Offset()
	meta.Description = strings.TrimRight(selcmd.Description(e), " ")
	meta.EventData = cli.IntsOf(e.Data[:])
	return meta
}
