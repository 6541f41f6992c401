package bmcsim

import (
	"encoding/binary"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// SDR record types (IPMI v2.0 section 43).
const (
	sdrFull       = 0x01
	sdrCompact    = 0x02
	sdrEventOnly  = 0x03
	sdrFRULocator = 0x11
	sdrMCLocator  = 0x12
	sdrVersion    = 0x51
)

// sdrBuilt is when the simulated SDR repository was "last changed".
var sdrBuilt = time.Date(2024, 3, 18, 12, 0, 0, 0, time.UTC)

type sdrRepo struct {
	records     [][]byte // complete records, header included; ID = index+1
	added       time.Time
	reservation uint16
}

// FRU devices the SDR repository points at (logical FRUs on the BMC).
var fruLocators = []struct {
	id               uint8
	name             string
	entity, instance uint8
}{
	{0, "System Board", 7, 1},
	{1, "PSU1 FRU", 10, 1},
	{2, "PSU2 FRU", 10, 2},
}

func buildSDRRepo(sensors []*sensor, at time.Time) sdrRepo {
	var recs [][]byte
	add := func(typ uint8, body []byte) {
		id := uint16(len(recs) + 1)
		rec := []byte{byte(id), byte(id >> 8), sdrVersion, typ, byte(len(body))}
		recs = append(recs, append(rec, body...))
	}
	add(sdrMCLocator, mcLocatorBody())
	for _, f := range fruLocators {
		add(sdrFRULocator, fruLocatorBody(f.id, f.name, f.entity, f.instance))
	}
	for _, s := range sensors {
		switch s.kind {
		case kindEventOnly:
			add(sdrEventOnly, eventOnlyBody(s))
		case kindThreshold:
			add(sdrFull, fullSensorBody(s))
		}
	}
	for _, s := range sensors {
		if s.kind == kindDiscrete {
			add(sdrCompact, compactSensorBody(s))
		}
	}
	return sdrRepo{records: recs, added: at, reservation: 1}
}

// idString encodes an ID string as 8-bit ASCII type/length plus bytes.
func idString(name string) []byte {
	if len(name) > 16 {
		name = name[:16]
	}
	return append([]byte{0xC0 | byte(len(name))}, name...)
}

func mcLocatorBody() []byte {
	body := []byte{
		0x20,    // device slave address
		0x00,    // channel 0
		0x00,    // ACPI / init flags
		0x9F,    // capabilities: chassis, event receiver, FRU, SEL, SDR, sensor
		0, 0, 0, // reserved
		0x06, 0x01, // entity: system management module 6.1
		0x00, // OEM
	}
	return append(body, idString("BMC")...)
}

func fruLocatorBody(id uint8, name string, entity, instance uint8) []byte {
	body := []byte{
		0x20, // access address
		id,   // FRU device ID
		0x80, // logical FRU device, LUN 0, private bus 0
		0x00, // channel 0
		0x00, // reserved
		0x10, // device type: FRU inventory device behind management controller
		0x00, // modifier
		entity, instance,
		0x00, // OEM
	}
	return append(body, idString(name)...)
}

func eventOnlyBody(s *sensor) []byte {
	body := []byte{
		0x20, 0x00, s.num,
		s.entity, s.instance,
		s.stype, s.ertype,
		0x00, 0x00, // sharing
		0x00, // reserved
		0x00, // OEM
	}
	return append(body, idString(s.name)...)
}

func fullSensorBody(s *sensor) []byte {
	mask := s.thresholdEventMask()
	readable := s.readableMask()
	// Lower threshold reading mask bits 12-14 (LNC, LCR, LNR) in the
	// assertion word; upper (UNC, UCR, UNR) in the deassertion word.
	am := mask | uint16(readable&0x07)<<12
	dm := mask | uint16(readable>>3&0x07)<<12
	mraw := uint16(s.m) & 0x3FF
	braw := uint16(s.b) & 0x3FF
	var units1 uint8 // unsigned analog data
	var thr [6]uint8
	for i, t := range s.thr {
		if t != thresholdNA {
			thr[i] = t
		}
	}
	nominal := s.toRaw(s.nominal)
	body := []byte{
		0x20, 0x00, s.num,
		s.entity, s.instance,
		0x7F, // init: scanning, events, thresholds, hysteresis, type; events and scanning on
		0x68, // caps: auto re-arm, hysteresis and thresholds readable/settable, per-threshold events
		s.stype, s.ertype,
		byte(am), byte(am >> 8),
		byte(dm), byte(dm >> 8),
		readable, readable, // readable mask, settable mask
		units1, s.unit, 0x00, // units
		0x00, // linear
		byte(mraw), byte(mraw>>8) << 6,
		byte(braw), byte(braw>>8) << 6,
		0x00,                                     // accuracy, direction
		byte(s.rexp&0x0F)<<4 | byte(s.bexp&0x0F), // R and B exponents
		0x01,                                     // nominal reading specified
		nominal, 0x00, 0x00,                      // nominal, normal max, normal min
		0xFF, 0x00, // sensor max, min
		thr[thUNR], thr[thUCR], thr[thUNC], // upper thresholds
		thr[thLNR], thr[thLCR], thr[thLNC], // lower thresholds
		s.hyst, s.hyst, // hysteresis
		0x00, 0x00, // reserved
		0x00, // OEM
	}
	return append(body, idString(s.name)...)
}

func compactSensorBody(s *sensor) []byte {
	body := []byte{
		0x20, 0x00, s.num,
		s.entity, s.instance,
		0x67, // init: scanning, events, type; events and scanning on
		0x40, // caps: auto re-arm, no thresholds, per-state events
		s.stype, s.ertype,
		byte(s.stateMask), byte(s.stateMask >> 8),
		byte(s.stateMask), byte(s.stateMask >> 8),
		byte(s.stateMask), byte(s.stateMask >> 8),
		0xC0, 0x00, 0x00, // units: no analog reading
		0x00, 0x00, // sharing
		0x00, 0x00, // hysteresis
		0x00, 0x00, 0x00, // reserved
		0x00, // OEM
	}
	return append(body, idString(s.name)...)
}

func (b *BMC) getSDRRepoInfo(_ *SessionInfo, data []byte) *ipmi.Response {
	out := []byte{sdrVersion, 0, 0, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x02}
	binary.LittleEndian.PutUint16(out[1:], uint16(len(b.sdr.records)))
	binary.LittleEndian.PutUint16(out[3:], 0x0800) // free bytes
	// A fixed "last addition" time: the repository never changes, so
	// clients' SDR caches (FreeIPMI's) stay valid across restarts.
	binary.LittleEndian.PutUint32(out[5:], uint32(sdrBuilt.Unix()))
	// Operation support: non-modal update, reserve, allocation info.
	out[13] = 0x20 | 0x02 | 0x01
	return ok(out...)
}

func (b *BMC) getSDRRepoAllocInfo(_ *SessionInfo, data []byte) *ipmi.Response {
	n := uint16(len(b.sdr.records))
	return ok(byte(n), byte(n>>8), 64, 0, 0, 0, 0, 0, 4)
}

func (b *BMC) reserveSDRRepo(_ *SessionInfo, data []byte) *ipmi.Response {
	b.sdr.reservation++
	if b.sdr.reservation == 0 {
		b.sdr.reservation = 1
	}
	r := b.sdr.reservation
	return ok(byte(r), byte(r>>8))
}

func (b *BMC) getSDRRepoTime(_ *SessionInfo, data []byte) *ipmi.Response {
	out := make([]byte, 4)
	binary.LittleEndian.PutUint32(out, b.selStamp(b.now()))
	return ok(out...)
}

// getSDR serves Get SDR with partial reads: a reservation is needed for
// offset > 0, and reads longer than the read cap get 0xCA.
func (b *BMC) getSDR(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 6 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	resv := binary.LittleEndian.Uint16(data)
	id := binary.LittleEndian.Uint16(data[2:])
	off, count := int(data[4]), int(data[5])
	if off != 0 && resv != b.sdr.reservation {
		return fail(ipmi.CodeReservationCancelled)
	}
	recs := b.sdr.records
	if len(recs) == 0 {
		return fail(ipmi.CodeNotPresent)
	}
	idx := int(id) - 1
	switch id {
	case 0x0000:
		idx = 0
	case 0xFFFF:
		idx = len(recs) - 1
	}
	if idx < 0 || idx >= len(recs) {
		return fail(ipmi.CodeNotPresent)
	}
	rec := recs[idx]
	next := uint16(0xFFFF)
	if idx+1 < len(recs) {
		next = uint16(idx + 2)
	}
	if off > len(rec) {
		return fail(ipmi.CodeParameterOutOfRange)
	}
	if count == 0xFF {
		count = len(rec) - off
	}
	if count > b.readCap() {
		return fail(ipmi.CodeCannotReturnBytes)
	}
	end := min(off+count, len(rec))
	return ok(append([]byte{byte(next), byte(next >> 8)}, rec[off:end]...)...)
}

// readCap is how many data bytes one Get SDR / Read FRU Data may return,
// lowered by the short-read fault.
func (b *BMC) readCap() int {
	c := b.cfg.maxRead
	if b.faults.ShortReads > 0 && b.faults.ShortReads < c {
		c = b.faults.ShortReads
	}
	return c
}

// SDRRecords returns copies of the SDR records (tests).
func (b *BMC) SDRRecords() [][]byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([][]byte, len(b.sdr.records))
	for i, r := range b.sdr.records {
		out[i] = append([]byte(nil), r...)
	}
	return out
}
