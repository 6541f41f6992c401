package fru

import (
	"time"
)

// InternalUseArea holds the vendor's private bytes. It has no length of its
// own: it runs to the next area (or the end of the image).
type InternalUseArea struct {
	Offset        int   `json:"offset"`
	FormatVersion uint8 `json:"format_version"`
	Data          Bytes `json:"data"`
}

// ChassisArea is the chassis info area.
type ChassisArea struct {
	Offset        int     `json:"offset"`
	Length        int     `json:"length"`
	FormatVersion uint8   `json:"format_version"`
	Type          uint8   `json:"type"`
	PartNumber    Field   `json:"part_number"`
	SerialNumber  Field   `json:"serial_number"`
	Custom        []Field `json:"custom,omitempty"`
	ChecksumOK    bool    `json:"checksum_ok"`
}

// BoardArea is the board info area.
type BoardArea struct {
	Offset        int   `json:"offset"`
	Length        int   `json:"length"`
	FormatVersion uint8 `json:"format_version"`
	Language      uint8 `json:"language"`
	// MfgMinutes is the manufacturing date in minutes since 1996-01-01
	// 00:00 UTC; 0 means unspecified.
	MfgMinutes   uint32  `json:"mfg_minutes"`
	Manufacturer Field   `json:"manufacturer"`
	ProductName  Field   `json:"product_name"`
	SerialNumber Field   `json:"serial_number"`
	PartNumber   Field   `json:"part_number"`
	FileID       Field   `json:"fru_file_id"`
	Custom       []Field `json:"custom,omitempty"`
	ChecksumOK   bool    `json:"checksum_ok"`
}

// ProductArea is the product info area.
type ProductArea struct {
	Offset        int     `json:"offset"`
	Length        int     `json:"length"`
	FormatVersion uint8   `json:"format_version"`
	Language      uint8   `json:"language"`
	Manufacturer  Field   `json:"manufacturer"`
	Name          Field   `json:"name"`
	PartNumber    Field   `json:"part_number"`
	Version       Field   `json:"version"`
	SerialNumber  Field   `json:"serial_number"`
	AssetTag      Field   `json:"asset_tag"`
	FileID        Field   `json:"fru_file_id"`
	Custom        []Field `json:"custom,omitempty"`
	ChecksumOK    bool    `json:"checksum_ok"`
}

// mfgEpoch is the origin of the board manufacturing date.
var mfgEpoch = time.Date(1996, 1, 1, 0, 0, 0, 0, time.UTC)

// MfgDate returns the board manufacturing date, or false when unspecified.
func (a *BoardArea) MfgDate() (time.Time, bool) {
	if a.MfgMinutes == 0 {
		return time.Time{}, false
	}
	return mfgEpoch.Add(time.Duration(a.MfgMinutes) * time.Minute), true
}

// SetMfgDate stores t (rounded down to the minute); the zero time clears it.
func (a *BoardArea) SetMfgDate(t time.Time) {
	if t.IsZero() || !t.After(mfgEpoch) {
		a.MfgMinutes = 0
		return
	}
	m := t.Sub(mfgEpoch) / time.Minute
	if m > 0xFFFFFF {
		m = 0xFFFFFF
	}
	a.MfgMinutes = uint32(m)
}

// rawArea is an info area's bytes after the bounds checks.
type rawArea struct {
	kind      AreaKind
	off       int
	b         []byte // the area, checksum byte included unless truncated
	truncated bool
	sumOK     bool
}

// infoArea bounds the chassis, board or product area at off. It returns
// nil, with a warning, when not even the length byte can be read or the
// length is zero.
func (img *Image) infoArea(b []byte, kind AreaKind, off int) *rawArea {
	if off+2 > len(b) {
		img.warnf(kind, off, "area header runs past the end of the FRU")
		return nil
	}
	if b[off]&0x0F != 1 {
		img.warnf(kind, off, "unknown area format version 0x%02x", b[off])
	}
	n := int(b[off+1]) * 8
	if n == 0 {
		img.warnf(kind, off+1, "zero-length area ignored")
		return nil
	}
	a := &rawArea{kind: kind, off: off}
	end := off + n
	if end > len(b) {
		img.warnf(kind, off+1, "area claims %d bytes, only %d left in the FRU; decoded as far as it goes", n, len(b)-off)
		end = len(b)
		a.truncated = true
	}
	a.b = b[off:end]
	a.sumOK = !a.truncated && sum(a.b) == 0
	if !a.truncated && !a.sumOK {
		img.warnf(kind, end-1, "bad checksum 0x%02x (area sums to 0x%02x, not 0)", a.b[len(a.b)-1], sum(a.b))
	}
	return a
}

// fieldReader walks the type/length fields of an info area.
type fieldReader struct {
	img   *Image
	a     *rawArea
	limit []byte // the area without its checksum byte
	pos   int
	ended bool // saw 0xC1, ran out or hit a broken field
	ender bool // saw 0xC1 itself
}

func newFieldReader(img *Image, a *rawArea, fixed int) *fieldReader {
	limit := a.b
	if !a.truncated {
		limit = a.b[:len(a.b)-1]
	}
	r := &fieldReader{img: img, a: a, limit: limit, pos: fixed}
	if fixed > len(limit) {
		img.warnf(a.kind, a.off, "area too short for its fixed fields")
		r.ended = true
	}
	return r
}

// field reads the next mandatory field; a missing one is empty.
func (r *fieldReader) field(name string) Field {
	if r.ended {
		return Field{}
	}
	f, next, err := decodeField(r.limit, r.pos)
	if err == errEndOfFields && r.pos+1 < len(r.limit) && printable(r.limit[r.pos+1]) {
		// 0xC1 where a mandatory field belongs, followed by a character:
		// a one-character text field written against the spec. ipmitool
		// reads it that way, and so do we.
		f, next, err = Field{Type: FieldText, Data: r.limit[r.pos+1 : r.pos+2]}, r.pos+2, nil
	}
	if err != nil {
		r.stop(name, err)
		return Field{}
	}
	r.pos = next
	return f
}

func printable(c byte) bool { return (c >= 0x20 && c < 0x7F) || c >= 0xA0 }

func (r *fieldReader) stop(name string, err error) {
	r.ended = true
	if err == errEndOfFields {
		r.ender = true
		r.img.warnf(r.a.kind, r.a.off+r.pos, "area ends before its %s field", name)
		return
	}
	r.img.warnf(r.a.kind, r.a.off+r.pos, "%s: %v", name, err)
}

// custom reads the optional fields up to the end-of-fields marker.
func (r *fieldReader) custom() []Field {
	var out []Field
	for !r.ended {
		f, next, err := decodeField(r.limit, r.pos)
		if err == errEndOfFields {
			r.ended, r.ender = true, true
			break
		}
		if err != nil {
			r.ended = true
			if r.pos >= len(r.limit) {
				r.img.warnf(r.a.kind, r.a.off+r.pos, "no end-of-fields marker (0xC1)")
			} else {
				r.img.warnf(r.a.kind, r.a.off+r.pos, "custom field: %v", err)
			}
			break
		}
		out = append(out, f)
		r.pos = next
	}
	if !r.ender {
		// Without a 0xC1 marker the zero padding reads as empty fields.
		for len(out) > 0 && out[len(out)-1].Empty() {
			out = out[:len(out)-1]
		}
	}
	return out
}

func decodeChassis(img *Image, a *rawArea) *ChassisArea {
	c := &ChassisArea{Offset: a.off, Length: len(a.b), FormatVersion: a.b[0], ChecksumOK: a.sumOK}
	r := newFieldReader(img, a, 3)
	if len(a.b) > 2 {
		c.Type = a.b[2]
	}
	c.PartNumber = r.field("part number")
	c.SerialNumber = r.field("serial number")
	c.Custom = r.custom()
	return c
}

func decodeBoard(img *Image, a *rawArea) *BoardArea {
	bd := &BoardArea{Offset: a.off, Length: len(a.b), FormatVersion: a.b[0], ChecksumOK: a.sumOK}
	r := newFieldReader(img, a, 6)
	if len(a.b) >= 6 {
		bd.Language = a.b[2]
		bd.MfgMinutes = uint32(a.b[3]) | uint32(a.b[4])<<8 | uint32(a.b[5])<<16
	}
	bd.Manufacturer = r.field("manufacturer")
	bd.ProductName = r.field("product name")
	bd.SerialNumber = r.field("serial number")
	bd.PartNumber = r.field("part number")
	bd.FileID = r.field("FRU file ID")
	bd.Custom = r.custom()
	return bd
}

func decodeProduct(img *Image, a *rawArea) *ProductArea {
	p := &ProductArea{Offset: a.off, Length: len(a.b), FormatVersion: a.b[0], ChecksumOK: a.sumOK}
	r := newFieldReader(img, a, 3)
	if len(a.b) >= 3 {
		p.Language = a.b[2]
	}
	p.Manufacturer = r.field("manufacturer")
	p.Name = r.field("product name")
	p.PartNumber = r.field("part number")
	p.Version = r.field("version")
	p.SerialNumber = r.field("serial number")
	p.AssetTag = r.field("asset tag")
	p.FileID = r.field("FRU file ID")
	p.Custom = r.custom()
	return p
}

func parseInternalUse(b []byte, off, end int) *InternalUseArea {
	return &InternalUseArea{Offset: off, FormatVersion: b[off], Data: append([]byte(nil), b[off+1:end]...)}
}
