package fru

import (
	"fmt"

	"github.com/ipmictl/ipmictl/ipmi"
)

// HeaderLen is the size of the common header.
const HeaderLen = 8

// AreaKind names the parts of a FRU image.
type AreaKind int

// The areas, in the order the common header lists their offsets.
const (
	AreaHeader AreaKind = iota
	AreaInternalUse
	AreaChassis
	AreaBoard
	AreaProduct
	AreaMultiRecord
)

var areaNames = [...]string{"common header", "internal use area", "chassis info area",
	"board info area", "product info area", "multi-record area"}

func (k AreaKind) String() string {
	if k >= 0 && int(k) < len(areaNames) {
		return areaNames[k]
	}
	return fmt.Sprintf("area %d", int(k))
}

// Header is the common header. Offsets are in bytes (the stored value
// times 8); 0 means the area is absent.
type Header struct {
	Version           uint8 `json:"version"`
	InternalUseOffset int   `json:"internal_use_offset"`
	ChassisOffset     int   `json:"chassis_offset"`
	BoardOffset       int   `json:"board_offset"`
	ProductOffset     int   `json:"product_offset"`
	MultiRecordOffset int   `json:"multi_record_offset"`
	ChecksumOK        bool  `json:"checksum_ok"`
}

// Warning reports something wrong with an image that did not stop the
// rest from being decoded: a bad checksum, an area past the end, a field
// that runs over its area.
type Warning struct {
	Area   AreaKind `json:"-"`
	Offset int      `json:"offset"`
	Msg    string   `json:"message"`
}

func (w Warning) String() string {
	return fmt.Sprintf("%s at byte %d: %s", w.Area, w.Offset, w.Msg)
}

// MarshalText lets a Warning print as one line in JSON too.
func (w Warning) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// Image is a decoded FRU inventory image. Absent areas are nil.
type Image struct {
	Size         int              `json:"size"`
	Header       Header           `json:"header"`
	InternalUse  *InternalUseArea `json:"internal_use,omitempty"`
	Chassis      *ChassisArea     `json:"chassis,omitempty"`
	Board        *BoardArea       `json:"board,omitempty"`
	Product      *ProductArea     `json:"product,omitempty"`
	MultiRecords []MultiRecord    `json:"multi_records,omitempty"`
	Warnings     []Warning        `json:"warnings,omitempty"`
}

func (img *Image) warnf(area AreaKind, off int, format string, a ...any) {
	img.Warnings = append(img.Warnings, Warning{Area: area, Offset: off, Msg: fmt.Sprintf(format, a...)})
}

// VersionError is returned for a common header whose format version is
// not 1 (an unprogrammed EEPROM reads 0xFF): nothing else can be trusted.
type VersionError struct {
	Version uint8
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("fru: unknown FRU header version 0x%02x", e.Version)
}

// Parse decodes a FRU image. It fails only when the common header is
// missing (*ipmi.FormatError) or of an unknown version (*VersionError); every other problem becomes a Warning
// and the parts that can be trusted are still returned. data is copied.
func Parse(data []byte) (*Image, error) {
	b := append([]byte(nil), data...)
	if len(b) < HeaderLen {
		return nil, ipmi.ShortError("FRU image", len(b), HeaderLen)
	}
	if b[0]&0x0F != 1 {
		return nil, &VersionError{Version: b[0]}
	}
	img := &Image{Size: len(b)}
	img.Header = Header{
		Version:           b[0],
		InternalUseOffset: int(b[1]) * 8,
		ChassisOffset:     int(b[2]) * 8,
		BoardOffset:       int(b[3]) * 8,
		ProductOffset:     int(b[4]) * 8,
		MultiRecordOffset: int(b[5]) * 8,
		ChecksumOK:        sum(b[:HeaderLen]) == 0,
	}
	if !img.Header.ChecksumOK {
		img.warnf(AreaHeader, 7, "bad checksum 0x%02x (bytes sum to 0x%02x, not 0)", b[7], sum(b[:HeaderLen]))
	}
	for _, a := range img.Header.areaOffsets() {
		if a.start != 0 && a.start >= len(b) {
			img.warnf(a.kind, a.start, "offset %d is past the end of the %d-byte FRU; area ignored", a.start, len(b))
		}
	}
	if off := img.Header.InternalUseOffset; off != 0 && off < len(b) {
		img.InternalUse = parseInternalUse(b, off, img.Header.nextOffset(off, len(b)))
	}
	if off := img.Header.ChassisOffset; off != 0 && off < len(b) {
		if a := img.infoArea(b, AreaChassis, off); a != nil {
			img.Chassis = decodeChassis(img, a)
		}
	}
	if off := img.Header.BoardOffset; off != 0 && off < len(b) {
		if a := img.infoArea(b, AreaBoard, off); a != nil {
			img.Board = decodeBoard(img, a)
		}
	}
	if off := img.Header.ProductOffset; off != 0 && off < len(b) {
		if a := img.infoArea(b, AreaProduct, off); a != nil {
			img.Product = decodeProduct(img, a)
		}
	}
	if off := img.Header.MultiRecordOffset; off != 0 && off < len(b) {
		img.MultiRecords = img.parseMultiRecords(b, off)
	}
	img.checkOverlaps()
	return img, nil
}

// areaOffsets lists the header's offsets in header order (end unset).
func (h Header) areaOffsets() []span {
	return []span{
		{AreaInternalUse, h.InternalUseOffset, 0},
		{AreaChassis, h.ChassisOffset, 0},
		{AreaBoard, h.BoardOffset, 0},
		{AreaProduct, h.ProductOffset, 0},
		{AreaMultiRecord, h.MultiRecordOffset, 0},
	}
}

// nextOffset is the smallest area offset above off, or size: where an
// area without a length of its own (internal use) must end.
func (h Header) nextOffset(off, size int) int {
	next := size
	for _, a := range h.areaOffsets() {
		if a.start > off && a.start < next {
			next = a.start
		}
	}
	return next
}

func sum(b []byte) uint8 {
	var s uint8
	for _, c := range b {
		s += c
	}
	return s
}

// span is the byte range an area occupies, for the overlap check.
type span struct {
	kind       AreaKind
	start, end int
}

func (img *Image) spans() []span {
	var s []span
	if a := img.InternalUse; a != nil {
		s = append(s, span{AreaInternalUse, a.Offset, a.Offset + 1 + len(a.Data)})
	}
	if a := img.Chassis; a != nil {
		s = append(s, span{AreaChassis, a.Offset, a.Offset + a.Length})
	}
	if a := img.Board; a != nil {
		s = append(s, span{AreaBoard, a.Offset, a.Offset + a.Length})
	}
	if a := img.Product; a != nil {
		s = append(s, span{AreaProduct, a.Offset, a.Offset + a.Length})
	}
	if n := len(img.MultiRecords); n > 0 {
		last := img.MultiRecords[n-1]
		s = append(s, span{AreaMultiRecord, img.MultiRecords[0].Offset, last.Offset + MultiRecordHeaderLen + len(last.Data)})
	}
	return s
}

func (img *Image) checkOverlaps() {
	s := img.spans()
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[i].start < s[j].end && s[j].start < s[i].end {
				img.warnf(s[j].kind, s[j].start, "overlaps the %s (bytes %d-%d)", s[i].kind, s[i].start, s[i].end-1)
			}
		}
	}
}
