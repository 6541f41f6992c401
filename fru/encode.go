package fru

import (
	"errors"
	"fmt"
)

// maxAreaLen is the longest area a length byte (in 8-byte units) allows.
const maxAreaLen = 255 * 8

// ErrImageTooLarge is returned when an encoded image does not fit.
var ErrImageTooLarge = errors.New("fru: encoded image does not fit in the FRU device")

// finishArea appends the end-of-fields marker, pads to a multiple of 8
// (checksum included), fills in the length byte and the checksum.
func finishArea(what string, b []byte) ([]byte, error) {
	b = append(b, EndOfFields)
	for (len(b)+1)%8 != 0 {
		b = append(b, 0)
	}
	if len(b)+1 > maxAreaLen {
		return nil, fmt.Errorf("fru: %s would be %d bytes, more than the %d an area can hold", what, len(b)+1, maxAreaLen)
	}
	b[1] = byte((len(b) + 1) / 8)
	return append(b, -sum(b)), nil
}

func areaVersion(v uint8) byte {
	if v&0x0F == 1 {
		return v
	}
	return 1
}

func appendFields(b []byte, fields ...Field) []byte {
	for _, f := range padOneByteText(fields) {
		b = f.appendTo(b)
	}
	return b
}

func checkFields(what string, fields ...Field) error {
	for i, f := range fields {
		if len(f.Data) > MaxFieldLen {
			return fmt.Errorf("fru: %s field %d is %d bytes, at most %d fit", what, i, len(f.Data), MaxFieldLen)
		}
	}
	return nil
}

// padOneByteText gives a one-byte text field a NUL pad byte: stored as is
// its type/length byte would be the end marker 0xC1.
func padOneByteText(fields []Field) []Field {
	for i, f := range fields {
		if f.Type == FieldText && len(f.Data) == 1 {
			fields[i].Data = []byte{f.Data[0], 0}
		}
	}
	return fields
}

// Encode builds the chassis area bytes.
func (a *ChassisArea) Encode() ([]byte, error) {
	fields := append([]Field{a.PartNumber, a.SerialNumber}, a.Custom...)
	if err := checkFields("chassis", fields...); err != nil {
		return nil, err
	}
	b := []byte{areaVersion(a.FormatVersion), 0, a.Type}
	return finishArea("chassis info area", appendFields(b, fields...))
}

// Encode builds the board area bytes.
func (a *BoardArea) Encode() ([]byte, error) {
	fields := append([]Field{a.Manufacturer, a.ProductName, a.SerialNumber, a.PartNumber, a.FileID}, a.Custom...)
	if err := checkFields("board", fields...); err != nil {
		return nil, err
	}
	m := a.MfgMinutes & 0xFFFFFF
	b := []byte{areaVersion(a.FormatVersion), 0, a.Language, byte(m), byte(m >> 8), byte(m >> 16)}
	return finishArea("board info area", appendFields(b, fields...))
}

// Encode builds the product area bytes.
func (a *ProductArea) Encode() ([]byte, error) {
	fields := append([]Field{a.Manufacturer, a.Name, a.PartNumber, a.Version, a.SerialNumber, a.AssetTag, a.FileID}, a.Custom...)
	if err := checkFields("product", fields...); err != nil {
		return nil, err
	}
	b := []byte{areaVersion(a.FormatVersion), 0, a.Language}
	return finishArea("product info area", appendFields(b, fields...))
}

// EncodeMultiRecords builds the multi-record list; the last record gets
// the end-of-list bit and every record fresh checksums.
func EncodeMultiRecords(rs []MultiRecord) ([]byte, error) {
	var b []byte
	for i, r := range rs {
		if len(r.Data) > 255 {
			return nil, fmt.Errorf("fru: multi-record %d has %d data bytes, at most 255 fit", i, len(r.Data))
		}
		ver := r.FormatVersion & 0x0F
		if ver == 0 {
			ver = 2
		}
		if i == len(rs)-1 {
			ver |= 0x80
		}
		h := []byte{r.Type, ver, byte(len(r.Data)), -sum(r.Data), 0}
		h[4] = -sum(h[:4])
		b = append(append(b, h...), r.Data...)
	}
	return b, nil
}

// Encode lays the image out afresh in the spec's order (internal use,
// chassis, board, product, multi-record) right after the common header,
// with new offsets and checksums. The result is as short as it can be;
// pad it to the device size before writing.
func (img *Image) Encode() ([]byte, error) {
	out := make([]byte, HeaderLen)
	out[0] = 0x01
	place := func(slot int, what string, area []byte, pad bool) error {
		if len(out)/8 > 255 {
			return fmt.Errorf("fru: %s would start at byte %d, past the 2040 a header offset can reach", what, len(out))
		}
		out[slot] = byte(len(out) / 8)
		out = append(out, area...)
		for pad && len(out)%8 != 0 {
			out = append(out, 0)
		}
		return nil
	}
	if a := img.InternalUse; a != nil {
		b := append([]byte{areaVersion(a.FormatVersion)}, a.Data...)
		if err := place(1, "internal use area", b, true); err != nil {
			return nil, err
		}
	}
	type encoder interface{ Encode() ([]byte, error) }
	infos := []struct {
		slot int
		what string
		a    encoder
	}{{2, "chassis info area", img.Chassis}, {3, "board info area", img.Board}, {4, "product info area", img.Product}}
	for _, i := range infos {
		if isNil(i.a) {
			continue
		}
		b, err := i.a.Encode()
		if err != nil {
			return nil, err
		}
		if err := place(i.slot, i.what, b, true); err != nil {
			return nil, err
		}
	}
	if len(img.MultiRecords) > 0 {
		b, err := EncodeMultiRecords(img.MultiRecords)
		if err != nil {
			return nil, err
		}
		if err := place(5, "multi-record area", b, false); err != nil {
			return nil, err
		}
	}
	out[7] = -sum(out[:7])
	return out, nil
}

// isNil sees through the typed nil pointers held in an interface.
func isNil(e interface{ Encode() ([]byte, error) }) bool {
	switch a := e.(type) {
	case *ChassisArea:
		return a == nil
	case *BoardArea:
		return a == nil
	case *ProductArea:
		return a == nil
	}
	return e == nil
}

// end returns the first byte after the last decoded area.
func (img *Image) end() int {
	end := HeaderLen
	for _, s := range img.spans() {
		if s.end > end {
			end = s.end
		}
	}
	if end > img.Size {
		end = img.Size
	}
	return end
}

// Rebuild applies change to the image decoded from orig and lays it out
// again at the size of orig. Bytes past both the old and the new areas are
// kept; bytes the old layout used and the new one does not are zeroed.
func Rebuild(orig []byte, change func(*Image) error) ([]byte, *Image, error) {
	img, err := Parse(orig)
	if err != nil {
		return nil, nil, err
	}
	oldEnd := img.end()
	if err := change(img); err != nil {
		return nil, nil, err
	}
	enc, err := img.Encode()
	if err != nil {
		return nil, nil, err
	}
	if len(enc) > len(orig) {
		return nil, nil, fmt.Errorf("%w: needs %d bytes, the FRU has %d", ErrImageTooLarge, len(enc), len(orig))
	}
	out := make([]byte, len(orig))
	copy(out, enc)
	if oldEnd > len(enc) {
		copy(out[oldEnd:], orig[oldEnd:])
	} else {
		copy(out[len(enc):], orig[len(enc):])
	}
	newImg, err := Parse(out)
	if err != nil {
		return nil, nil, err
	}
	return out, newImg, nil
}
