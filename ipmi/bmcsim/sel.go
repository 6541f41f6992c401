package bmcsim

import (
	"encoding/binary"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

const (
	selRecordLen    = 16
	selSystemRecord = 0x02
	selVersion      = 0x51
)

type selEntry struct {
	id   uint16
	data [selRecordLen]byte // record ID in bytes 0-1
}

type selLog struct {
	entries     []selEntry
	nextID      uint16
	capacity    int
	added       time.Time
	erased      time.Time
	overflow    bool
	reservation uint16
}

func newSELLog(capacity int) selLog {
	return selLog{nextID: 1, capacity: capacity, reservation: 1}
}

// selStamp converts t to a SEL time stamp on the BMC's (settable) clock.
func (b *BMC) selStamp(t time.Time) uint32 {
	if t.IsZero() {
		return 0xFFFFFFFF // "unspecified"
	}
	return uint32(t.Add(b.selOffset).Unix())
}

// appendSEL stores a 16-byte record, assigning its ID (and its time
// stamp when stamp is set); it overwrites the oldest entry when full.
func (b *BMC) appendSEL(rec [selRecordLen]byte, at time.Time, stamp bool) uint16 {
	l := &b.sel
	id := l.nextID
	l.nextID++
	if l.nextID == 0 || l.nextID == 0xFFFF {
		l.nextID = 1
	}
	binary.LittleEndian.PutUint16(rec[0:], id)
	if stamp {
		binary.LittleEndian.PutUint32(rec[3:], b.selStamp(at))
	}
	if len(l.entries) >= l.capacity {
		l.entries = append(l.entries[:0], l.entries[1:]...)
		l.overflow = true
	}
	l.entries = append(l.entries, selEntry{id: id, data: rec})
	l.added = at
	return id
}

// logEventAt records a system event from sensor num at time at. For
// threshold events data1 carries 0x50|offset with the reading and the
// threshold in data2/data3; discrete events pass 0xFF for both.
func (b *BMC) logEventAt(at time.Time, num, stype, ertype uint8, deassert bool, data1, data2, data3 uint8) {
	var rec [selRecordLen]byte
	rec[2] = selSystemRecord
	rec[7], rec[8] = 0x20, 0x00 // generator: BMC, LUN 0
	rec[9] = 0x04               // event message format v2.0
	rec[10], rec[11] = stype, num
	rec[12] = ertype & 0x7F
	if deassert {
		rec[12] |= 0x80
	}
	rec[13], rec[14], rec[15] = data1, data2, data3
	b.appendSEL(rec, at, true)
}

func (b *BMC) logEvent(num, stype, ertype uint8, deassert bool, offset, data2, data3 uint8) {
	b.logEventAt(b.now(), num, stype, ertype, deassert, offset&0x0F, data2, data3)
}

// seedSEL leaves a short history, as a BMC that has been in service has.
func (b *BMC) seedSEL() {
	at := b.boot
	unc := thresholdOffset(thUNC)
	b.logEventAt(at.Add(-150*time.Minute), 0x01, typeTemperature, readingThreshold, false, 0x50|unc, 82, 80)
	b.logEventAt(at.Add(-148*time.Minute), 0x01, typeTemperature, readingThreshold, true, 0x50|unc, 77, 80)
	b.logEventAt(at.Add(-90*time.Minute), 0x0D, typePowerSupply, readingSpecific, false, 0x03, 0xFF, 0xFF)
	b.logEventAt(at.Add(-45*time.Minute), intrusionSensor, typeIntrusion, readingSpecific, false, 0x00, 0xFF, 0xFF)
	b.logEventAt(at.Add(-44*time.Minute), intrusionSensor, typeIntrusion, readingSpecific, true, 0x00, 0xFF, 0xFF)
	b.logEventAt(at.Add(-10*time.Minute), 0x12, typeDriveSlot, readingSpecific, false, 0x00, 0xFF, 0xFF)
}

// SELEntries returns copies of the SEL records (tests).
func (b *BMC) SELEntries() [][selRecordLen]byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	out := make([][selRecordLen]byte, len(b.sel.entries))
	for i, e := range b.sel.entries {
		out[i] = e.data
	}
	return out
}

func (b *BMC) getSELInfo(_ *SessionInfo, data []byte) *ipmi.Response {
	l := &b.sel
	out := make([]byte, 14)
	out[0] = selVersion
	binary.LittleEndian.PutUint16(out[1:], uint16(len(l.entries)))
	binary.LittleEndian.PutUint16(out[3:], uint16(min((l.capacity-len(l.entries))*selRecordLen, 0xFFFE)))
	binary.LittleEndian.PutUint32(out[5:], b.selStamp(l.added))
	binary.LittleEndian.PutUint32(out[9:], b.selStamp(l.erased))
	out[13] = 0x0B // delete, reserve, allocation info supported
	if l.overflow {
		out[13] |= 0x80
	}
	return ok(out...)
}

func (b *BMC) getSELAllocInfo(_ *SessionInfo, data []byte) *ipmi.Response {
	l := &b.sel
	out := make([]byte, 9)
	binary.LittleEndian.PutUint16(out[0:], uint16(l.capacity))
	binary.LittleEndian.PutUint16(out[2:], selRecordLen)
	free := uint16(l.capacity - len(l.entries))
	binary.LittleEndian.PutUint16(out[4:], free)
	binary.LittleEndian.PutUint16(out[6:], free)
	out[8] = 1
	return ok(out...)
}

func (b *BMC) reserveSEL(_ *SessionInfo, data []byte) *ipmi.Response {
	b.sel.reservation++
	if b.sel.reservation == 0 {
		b.sel.reservation = 1
	}
	r := b.sel.reservation
	return ok(byte(r), byte(r>>8))
}

// selIndex resolves a record ID (0 = first, FFFFh = last) to an index.
func (l *selLog) index(id uint16) int {
	if len(l.entries) == 0 {
		return -1
	}
	switch id {
	case 0x0000:
		return 0
	case 0xFFFF:
		return len(l.entries) - 1
	}
	for i, e := range l.entries {
		if e.id == id {
			return i
		}
	}
	return -1
}

func (b *BMC) getSELEntry(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 6 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	l := &b.sel
	resv := binary.LittleEndian.Uint16(data)
	off, count := int(data[4]), int(data[5])
	if off != 0 && resv != l.reservation {
		return fail(ipmi.CodeReservationCancelled)
	}
	i := l.index(binary.LittleEndian.Uint16(data[2:]))
	if i < 0 {
		return fail(ipmi.CodeNotPresent)
	}
	if off >= selRecordLen {
		return fail(ipmi.CodeParameterOutOfRange)
	}
	if count == 0xFF {
		count = selRecordLen - off
	}
	end := min(off+count, selRecordLen)
	next := uint16(0xFFFF)
	if i+1 < len(l.entries) {
		next = l.entries[i+1].id
	}
	return ok(append([]byte{byte(next), byte(next >> 8)}, l.entries[i].data[off:end]...)...)
}

func (b *BMC) addSELEntry(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != selRecordLen {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	var rec [selRecordLen]byte
	copy(rec[:], data)
	// The BMC stamps system and OEM timestamped records (types < E0h).
	id := b.appendSEL(rec, b.now(), rec[2] < 0xE0)
	return ok(byte(id), byte(id>>8))
}

func (b *BMC) platformEvent(s *SessionInfo, data []byte) *ipmi.Response {
	var gen uint8 = ipmi.RemoteSWID
	switch len(data) {
	case 8:
		gen, data = data[0], data[1:]
	case 7:
	default:
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	var rec [selRecordLen]byte
	rec[2] = selSystemRecord
	rec[7], rec[8] = gen, 0x00
	copy(rec[9:], data) // EvMRev, sensor type, number, dir/type, data 1-3
	b.appendSEL(rec, b.now(), true)
	return ok()
}

func (b *BMC) deleteSELEntry(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 4 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	l := &b.sel
	if binary.LittleEndian.Uint16(data) != l.reservation {
		return fail(ipmi.CodeReservationCancelled)
	}
	i := l.index(binary.LittleEndian.Uint16(data[2:]))
	if i < 0 {
		return fail(ipmi.CodeNotPresent)
	}
	id := l.entries[i].id
	l.entries = append(l.entries[:i], l.entries[i+1:]...)
	l.erased = b.now()
	return ok(byte(id), byte(id>>8))
}

func (b *BMC) clearSEL(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 6 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	l := &b.sel
	if binary.LittleEndian.Uint16(data) != l.reservation {
		return fail(ipmi.CodeReservationCancelled)
	}
	if data[2] != 'C' || data[3] != 'L' || data[4] != 'R' {
		return fail(ipmi.CodeInvalidDataField)
	}
	switch data[5] {
	case 0xAA:
		l.entries = l.entries[:0]
		l.overflow = false
		l.erased = b.now()
		l.reservation++
	case 0x00:
	default:
		return fail(ipmi.CodeInvalidDataField)
	}
	return ok(0x01) // erasure completed
}

func (b *BMC) getSELTime(_ *SessionInfo, data []byte) *ipmi.Response {
	out := make([]byte, 4)
	binary.LittleEndian.PutUint32(out, b.selStamp(b.now()))
	return ok(out...)
}

func (b *BMC) setSELTime(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 4 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	t := time.Unix(int64(binary.LittleEndian.Uint32(data)), 0)
	b.selOffset = t.Sub(b.now())
	return ok()
}

func (b *BMC) getSELUTCOffset(_ *SessionInfo, data []byte) *ipmi.Response {
	return ok(0x00, 0x00) // the SEL clock is UTC
}
