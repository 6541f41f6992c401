package peers

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// ipmi_sim's emu `sel_add` stamps entries with its own (1970) clock, so the
// harness writes the persisted SEL (lanserv persist format: "name:type:value"
// lines, d = bytes with non-printables as \xx) before the BMC starts.

const (
	selGenBMC = 0x0020 // generator ID: IPMB 0x20, LUN 0, channel 0
	selEvMRev = 0x04   // IPMI 1.5/2.0 event message format
)

func selSystemEvent(ts uint32, sensorType, sensorNum, evType byte, deassert bool, ed1, ed2, ed3 byte) []byte {
	b := []byte{0x02}
	b = binary.LittleEndian.AppendUint32(b, ts)
	b = binary.LittleEndian.AppendUint16(b, selGenBMC)
	dir := evType
	if deassert {
		dir |= 0x80
	}
	return append(b, selEvMRev, sensorType, sensorNum, dir, ed1, ed2, ed3)
}

func selOEMTimestamped(recType byte, ts uint32, iana uint32, data [6]byte) []byte {
	b := []byte{recType}
	b = binary.LittleEndian.AppendUint32(b, ts)
	b = append(b, byte(iana), byte(iana>>8), byte(iana>>16))
	return append(b, data[:]...)
}

// SELEntryCount is the number of pre-loaded SEL entries.
const SELEntryCount = 11

// labSELRecords returns the 16-byte records, ids 1.., oldest first.
func labSELRecords(now time.Time) [][]byte {
	n := uint32(now.Unix())
	const h = 3600
	bodies := [][]byte{
		// Watchdog (#0): hard reset (offset 1), ED2 = OS watchdog timer use.
		selSystemEvent(n-50*h, 0x23, 0x00, 0x6F, false, 0xC1, 0x04, 0xFF),
		// CPU1 Status (#0x0E): presence detected (offset 7).
		selSystemEvent(n-49*h, 0x07, 0x0E, 0x6F, false, 0x07, 0xFF, 0xFF),
		// PSU2 Status (#0x0D): AC lost (offset 3), still asserted.
		selSystemEvent(n-26*h, 0x08, 0x0D, 0x6F, false, 0x03, 0xFF, 0xFF),
		// FAN2 (#0x06): lower critical going low, reading 4 (400 RPM) < 5; then back.
		selSystemEvent(n-25*h, 0x04, 0x06, 0x01, false, 0x52, 0x04, 0x05),
		selSystemEvent(n-25*h+120, 0x04, 0x06, 0x01, true, 0x52, 0x37, 0x05),
		// Inlet Temp (#0x03): upper non-critical going high, 43 > 42; then back at 39.
		selSystemEvent(n-6*h, 0x01, 0x03, 0x01, false, 0x57, 0x2B, 0x2A),
		selSystemEvent(n-6*h+900, 0x01, 0x03, 0x01, true, 0x57, 0x27, 0x2A),
		// Intrusion (#0x11): general chassis intrusion asserted, deasserted.
		selSystemEvent(n-2*h, 0x05, 0x11, 0x6F, false, 0x00, 0xFF, 0xFF),
		selSystemEvent(n-2*h+60, 0x05, 0x11, 0x6F, true, 0x00, 0xFF, 0xFF),
		// OEM timestamped record 0xC1, manufacturer 49871 (OpenBMC).
		selOEMTimestamped(0xC1, n-1*h, 49871, [6]byte{0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02}),
		// OEM non-timestamped record 0xE0.
		{0xE0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13},
	}
	recs := make([][]byte, len(bodies))
	for i, b := range bodies {
		recs[i] = append(binary.LittleEndian.AppendUint16(nil, uint16(i+1)), b...)
	}
	return recs
}

func persistEscape(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		if c >= 0x20 && c < 0x7F && c != '\\' {
			s.WriteByte(c)
		} else {
			fmt.Fprintf(&s, "\\%02x", c)
		}
	}
	return s.String()
}

// labSELPersist renders the sel.20 persist file. ipmi_sim prepends items
// while reading, so records are written newest first.
func labSELPersist(now time.Time) string {
	recs := labSELRecords(now)
	var last uint32
	for _, r := range recs {
		if r[2] < 0xE0 {
			last = max(last, binary.LittleEndian.Uint32(r[3:7]))
		}
	}
	var s strings.Builder
	fmt.Fprintf(&s, "last_add_time:i:%d\n", last)
	fmt.Fprintf(&s, "last_erase_time:i:%d\n", now.Unix()-72*3600)
	for i := len(recs) - 1; i >= 0; i-- {
		fmt.Fprintf(&s, "%d:d:%s\n", i+1, persistEscape(recs[i]))
	}
	return s.String()
}
