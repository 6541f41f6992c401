package bmcsim

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// FRU images are built byte by byte to the Platform Management FRU
// Information Storage Definition v1.0 rev 1.3.

// fruEpoch is the zero of the board manufacturing date (minutes).
var fruEpoch = time.Date(1996, 1, 1, 0, 0, 0, 0, time.UTC)

// BoardMfgDate is the manufacturing date written to every board area.
var BoardMfgDate = time.Date(2024, 3, 18, 9, 30, 0, 0, time.UTC)

const (
	fruSize       = 512
	fruEndOfField = 0xC1
)

func zeroChecksum(b []byte) byte {
	var s byte
	for _, c := range b {
		s += c
	}
	return -s
}

// typeLen encodes s as an 8-bit ASCII field (at most 63 bytes).
func typeLen(s string) []byte {
	if len(s) > 63 {
		s = s[:63]
	}
	return append([]byte{0xC0 | byte(len(s))}, s...)
}

// infoArea finishes an info area: fields, end marker, padding to a
// multiple of 8 bytes and the zero checksum, with the length byte set.
func infoArea(head []byte, fields ...string) []byte {
	a := append([]byte(nil), head...)
	for _, f := range fields {
		a = append(a, typeLen(f)...)
	}
	a = append(a, fruEndOfField)
	for (len(a)+1)%8 != 0 {
		a = append(a, 0)
	}
	a[1] = byte((len(a) + 1) / 8)
	return append(a, zeroChecksum(a))
}

func chassisArea(index int) []byte {
	return infoArea([]byte{0x01, 0, 0x17}, // rack mount chassis
		"CH-2U-0042", fmt.Sprintf("CSN%07d", 4200000+index), "Simulated chassis")
}

func boardArea(index int, product, serialPrefix, part string) []byte {
	mins := uint32(BoardMfgDate.Sub(fruEpoch) / time.Minute)
	head := []byte{0x01, 0, 0x00, byte(mins), byte(mins >> 8), byte(mins >> 16)}
	return infoArea(head, "ipmictl Systems", product, fmt.Sprintf("%s%07d", serialPrefix, 1000000+index), part, "FRU Ver 0.01")
}

func productArea(index int, name, model, version, serialPrefix, asset string) []byte {
	return infoArea([]byte{0x01, 0, 0x00},
		"ipmictl Systems", name, model, version, fmt.Sprintf("%s%07d", serialPrefix, 2000000+index), asset, "FRU Ver 0.01")
}

// psuRecord is a Power Supply Information multirecord (type 00h).
func psuRecord(watts uint16) []byte {
	d := make([]byte, 24)
	binary.LittleEndian.PutUint16(d[0:], watts&0x0FFF) // overall capacity
	binary.LittleEndian.PutUint16(d[2:], watts*11/10)  // peak VA
	d[4], d[5] = 30, 5                                 // inrush current A, interval ms
	binary.LittleEndian.PutUint16(d[6:], 9000)         // 90.00 V low, range 1
	binary.LittleEndian.PutUint16(d[8:], 14000)        // 140.00 V high, range 1
	binary.LittleEndian.PutUint16(d[10:], 18000)       // 180.00 V low, range 2
	binary.LittleEndian.PutUint16(d[12:], 26400)       // 264.00 V high, range 2
	d[14], d[15] = 47, 63                              // input frequency Hz
	d[16] = 20                                         // AC dropout tolerance ms
	d[17] = 0x1A                                       // hot swap, autoswitch, PFC
	peak := uint16(1)<<12 | (watts+watts/5)&0x0FFF     // 1 s hold-up, peak watts
	binary.LittleEndian.PutUint16(d[18:], peak)
	// Combined wattage (3 bytes): none.
	d[23] = 0 // predictive fail tach threshold
	h := []byte{0x00, 0x82, byte(len(d)), zeroChecksum(d), 0}
	h[4] = zeroChecksum(h[:4])
	return append(h, d...)
}

// assembleFRU lays out the common header and the areas (nil = absent).
func assembleFRU(chassis, board, product, multi []byte) []byte {
	img := make([]byte, 8)
	img[0] = 0x01
	for i, area := range [][]byte{chassis, board, product, multi} {
		if area == nil {
			continue
		}
		img[2+i] = byte(len(img) / 8)
		img = append(img, area...)
	}
	img[7] = zeroChecksum(img[:7])
	for len(img) < fruSize {
		img = append(img, 0xFF)
	}
	return img
}

func buildFRUs(index int, _ time.Time) [][]byte {
	return [][]byte{
		assembleFRU(chassisArea(index),
			boardArea(index, "SIM-MB-2S", "BSN", "MB-0042-A1"),
			productArea(index, "SimServer 2U", "SS2U-8", "1.2", "PSN", fmt.Sprintf("ASSET-%05d", index)),
			nil),
		assembleFRU(nil,
			boardArea(index, "SIM-PSU-800", "PBS1-", "PSU-800-A"),
			productArea(index, "800W PSU", "PSU-800", "A01", "PS1-", ""),
			psuRecord(800)),
		assembleFRU(nil,
			boardArea(index, "SIM-PSU-800", "PBS2-", "PSU-800-A"),
			productArea(index, "800W PSU", "PSU-800", "A01", "PS2-", ""),
			psuRecord(800)),
	}
}

// FRUImage returns a copy of FRU device id (tests).
func (b *BMC) FRUImage(id int) []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	if id < 0 || id >= len(b.frus) {
		return nil
	}
	return append([]byte(nil), b.frus[id]...)
}

func (b *BMC) fruByID(id uint8) []byte {
	if int(id) >= len(b.frus) {
		return nil
	}
	return b.frus[id]
}

func (b *BMC) getFRUAreaInfo(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 1 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	f := b.fruByID(data[0])
	if f == nil {
		return fail(ipmi.CodeNotPresent)
	}
	return ok(byte(len(f)), byte(len(f)>>8), 0x00) // byte access
}

func (b *BMC) readFRUData(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 4 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	f := b.fruByID(data[0])
	if f == nil {
		return fail(ipmi.CodeNotPresent)
	}
	off := int(binary.LittleEndian.Uint16(data[1:]))
	count := int(data[3])
	if off >= len(f) {
		return fail(ipmi.CodeParameterOutOfRange)
	}
	if count > b.readCap() {
		return fail(ipmi.CodeCannotReturnBytes)
	}
	end := min(off+count, len(f))
	return ok(append([]byte{byte(end - off)}, f[off:end]...)...)
}

func (b *BMC) writeFRUData(_ *SessionInfo, data []byte) *ipmi.Response {
	if len(data) < 3 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	f := b.fruByID(data[0])
	if f == nil {
		return fail(ipmi.CodeNotPresent)
	}
	off := int(binary.LittleEndian.Uint16(data[1:]))
	val := data[3:]
	if off+len(val) > len(f) {
		return fail(ipmi.CodeParameterOutOfRange)
	}
	n := copy(f[off:], val)
	return ok(byte(n))
}
