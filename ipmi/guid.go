package ipmi

import (
	"encoding/binary"
	"fmt"
	"time"
)

// GUIDEncoding is the byte order a BMC used for a GUID. The IPMI spec says
// least-significant byte first, but BMCs also send RFC 4122 (network) order
// or the SMBIOS mixed order; ipmitool guesses, and so do we, the same way.
type GUIDEncoding int

// Encodings in ipmitool's probing order: a later valid one wins.
const (
	GUIDRFC4122 GUIDEncoding = iota
	GUIDIPMI
	GUIDSMBIOS
	GUIDDump // no encoding gave a valid version: print the raw bytes
)

func (e GUIDEncoding) String() string {
	return [...]string{"RFC4122", "IPMI", "SMBIOS", "Unknown (data dumped)"}[e]
}

// GUIDVersionNames are the RFC 4122 version names ipmitool prints.
var GUIDVersionNames = [...]string{
	"Unknown/unsupported", "Time-based", "DCE Security with POSIX UIDs (not for IPMI)",
	"Name-based using MD5", "Random or pseudo-random", "Name-based using SHA-1",
}

// ParsedGUID is a GUID with its fields in host order.
type ParsedGUID struct {
	Encoding   GUIDEncoding `json:"-"`
	TimeLow    uint32       `json:"-"`
	TimeMid    uint16       `json:"-"`
	TimeHiVer  uint16       `json:"-"`
	ClockSeq   uint16       `json:"-"`
	Node       [6]byte      `json:"-"`
	Version    int          `json:"-"` // 1-5, 0 when not valid
	RawVersion int          `json:"-"`
	Time       time.Time    `json:"-"` // set for time-based GUIDs
	raw        GUID
}

// String formats the GUID as 8-4-4-4-12 hex, or 32 hex digits for GUIDDump.
func (p *ParsedGUID) String() string {
	if p.Encoding == GUIDDump {
		return fmt.Sprintf("%X", p.raw[:])
	}
	n := p.Node
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%02x%02x%02x%02x%02x%02x",
		p.TimeLow, p.TimeMid, p.TimeHiVer, p.ClockSeq, n[0], n[1], n[2], n[3], n[4], n[5])
}

// uuidEpoch is 1582-10-15, the start of RFC 4122 time, in Unix seconds.
const uuidEpoch = -12219292800

func guidTime(low uint32, mid, hi uint16) time.Time {
	t60 := uint64(hi&0x0fff)<<48 | uint64(mid)<<32 | uint64(low)
	return time.Unix(int64(t60/10_000_000)+uuidEpoch, 0).UTC()
}

// Parse decodes g, detecting the encoding as ipmitool's "mc guid" does.
func (g GUID) Parse() *ParsedGUID {
	type fields struct {
		low      uint32
		mid, hi  uint16
		clockSeq uint16
	}
	var f [3]fields
	le, be := binary.LittleEndian, binary.BigEndian
	// IPMI: whole GUID least-significant byte first.
	f[GUIDIPMI] = fields{le.Uint32(g[12:16]), le.Uint16(g[10:12]), le.Uint16(g[8:10]), le.Uint16(g[6:8])}
	// RFC 4122: network order from byte 0.
	f[GUIDRFC4122] = fields{be.Uint32(g[0:4]), be.Uint16(g[4:6]), be.Uint16(g[6:8]), be.Uint16(g[8:10])}
	// SMBIOS: time fields little-endian, the rest network order.
	f[GUIDSMBIOS] = fields{le.Uint32(g[0:4]), le.Uint16(g[4:6]), le.Uint16(g[6:8]), be.Uint16(g[8:10])}

	mode := GUIDDump
	for i := GUIDRFC4122; i <= GUIDSMBIOS; i++ {
		v := int(f[i].hi >> 12)
		if v < 1 || v > 5 {
			continue
		}
		mode = i
		if t := guidTime(f[i].low, f[i].mid, f[i].hi); v == 1 && t.Unix() > 0 && t.Before(time.Now().AddDate(1, 0, 0)) {
			break
		}
	}
	p := &ParsedGUID{Encoding: mode, raw: g}
	if mode == GUIDDump {
		return p
	}
	fm := f[mode]
	p.TimeLow, p.TimeMid, p.TimeHiVer, p.ClockSeq = fm.low, fm.mid, fm.hi, fm.clockSeq
	p.RawVersion = int(fm.hi >> 12)
	if p.RawVersion <= 5 {
		p.Version = p.RawVersion
	}
	if p.Version == 1 {
		p.Time = guidTime(fm.low, fm.mid, fm.hi)
	}
	if mode == GUIDIPMI {
		for i := 0; i < 6; i++ {
			p.Node[i] = g[5-i]
		}
	} else {
		copy(p.Node[:], g[10:16])
	}
	return p
}
