package fru

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// FieldType is the encoding in bits 7:6 of a type/length byte (spec 13).
type FieldType uint8

// Type/length encodings.
const (
	FieldBinary    FieldType = 0 // binary or unspecified
	FieldBCDPlus   FieldType = 1 // BCD plus: two characters a byte
	Field6BitASCII FieldType = 2 // 6-bit ASCII, packed: four characters in three bytes
	FieldText      FieldType = 3 // 8-bit ASCII+Latin-1, or UCS-2 LE in a non-English area
)

var fieldTypeNames = [...]string{"binary", "bcd-plus", "6-bit-ascii", "text"}

func (t FieldType) String() string { return fieldTypeNames[t&3] }

// EndOfFields is the type/length byte that ends the field list of an area.
const EndOfFields = 0xC1

// MaxFieldLen is the largest payload a type/length byte can describe.
const MaxFieldLen = 63

// Language codes that mean English (spec 13, table 15-3 of SMBIOS). Text
// fields of an English area are 8-bit ASCII+Latin-1.
const (
	LanguageEnglishDefault = 0
	LanguageEnglish        = 25
)

// Field is one type/length encoded field: its encoding and the bytes after
// the type/length byte, exactly as stored.
type Field struct {
	Type FieldType
	Data []byte
}

// bcdPlus is the BCD plus alphabet; D, E and F are reserved by the spec and
// shown as ipmitool shows them.
const bcdPlus = "0123456789 -.:,_"

// Text decodes the field for an area with language code lang. Binary
// fields come back as lower-case hex; 8-bit text stops at the first NUL.
func (f Field) Text(lang uint8) string {
	switch f.Type {
	case FieldBinary:
		return hex.EncodeToString(f.Data)
	case FieldBCDPlus:
		var b strings.Builder
		for _, c := range f.Data {
			b.WriteByte(bcdPlus[c>>4])
			b.WriteByte(bcdPlus[c&0x0F])
		}
		return b.String()
	case Field6BitASCII:
		// Packing pads with zero bits, which read as spaces.
		return strings.TrimRight(decode6Bit(f.Data), " ")
	}
	if lang != LanguageEnglishDefault && lang != LanguageEnglish && len(f.Data)%2 == 0 && len(f.Data) > 0 {
		return decodeUCS2(f.Data)
	}
	return latin1(f.Data)
}

// String decodes the field as in an English area.
func (f Field) String() string { return f.Text(LanguageEnglishDefault) }

// Empty reports a field with no payload (type/length 0xC0 and friends).
func (f Field) Empty() bool { return len(f.Data) == 0 }

// decode6Bit unpacks 6-bit ASCII: characters are 6 bits each, least
// significant bits first, offset by 0x20.
func decode6Bit(b []byte) string {
	n := len(b) * 8 / 6
	out := make([]byte, 0, n)
	var acc uint32
	bits := 0
	for _, c := range b {
		acc |= uint32(c) << bits
		bits += 8
		for bits >= 6 && len(out) < n {
			out = append(out, byte(acc&0x3F)+0x20)
			acc >>= 6
			bits -= 6
		}
	}
	return string(out)
}

// encode6Bit packs s (characters 0x20-0x5F only) as 6-bit ASCII.
func encode6Bit(s string) ([]byte, bool) {
	var out []byte
	var acc uint32
	bits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x5F {
			return nil, false
		}
		acc |= uint32(c-0x20) << bits
		bits += 6
		for bits >= 8 {
			out = append(out, byte(acc))
			acc >>= 8
			bits -= 8
		}
	}
	if bits > 0 {
		out = append(out, byte(acc))
	}
	return out, true
}

func latin1(b []byte) string {
	if i := indexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	var sb strings.Builder
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return sb.String()
}

func decodeUCS2(b []byte) string {
	var sb strings.Builder
	for i := 0; i+1 < len(b); i += 2 {
		r := rune(b[i]) | rune(b[i+1])<<8
		if r == 0 {
			break
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// ErrFieldTooLong is returned for a value that does not fit in 63 bytes.
var ErrFieldTooLong = errors.New("fru: field value longer than 63 bytes")

// TextField encodes s as an 8-bit ASCII+Latin-1 field. A one-character
// value gets a NUL pad byte, because a one-byte text field would read as
// the end-of-fields marker 0xC1.
func TextField(s string) (Field, error) {
	if !utf8.ValidString(s) {
		return Field{}, fmt.Errorf("fru: field value %q is not valid UTF-8", s)
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			return Field{}, fmt.Errorf("fru: character %q cannot be stored in an 8-bit FRU field", r)
		}
		b = append(b, byte(r))
	}
	if len(b) == 1 {
		b = append(b, 0)
	}
	if len(b) > MaxFieldLen {
		return Field{}, ErrFieldTooLong
	}
	return Field{Type: FieldText, Data: b}, nil
}

// BinaryField makes a binary field from raw bytes.
func BinaryField(b []byte) (Field, error) {
	if len(b) > MaxFieldLen {
		return Field{}, ErrFieldTooLong
	}
	return Field{Type: FieldBinary, Data: append([]byte(nil), b...)}, nil
}

// SixBitField packs s (upper case, digits and punctuation 0x20-0x5F) as
// 6-bit ASCII, the densest text encoding.
func SixBitField(s string) (Field, error) {
	b, ok := encode6Bit(s)
	if !ok {
		return Field{}, fmt.Errorf("fru: %q has characters 6-bit ASCII cannot hold", s)
	}
	if len(b) > MaxFieldLen {
		return Field{}, ErrFieldTooLong
	}
	return Field{Type: Field6BitASCII, Data: b}, nil
}

// encodedLen is the field's size on the wire, type/length byte included.
func (f Field) encodedLen() int { return 1 + len(f.Data) }

func (f Field) appendTo(b []byte) []byte {
	b = append(b, byte(f.Type)<<6|byte(len(f.Data)))
	return append(b, f.Data...)
}

// errEndOfFields marks the 0xC1 terminator in decodeField.
var errEndOfFields = errors.New("end of fields")

// decodeField reads the type/length field at b[off]. It returns
// errEndOfFields at the 0xC1 marker and a descriptive error when the
// field would run past the end of b.
func decodeField(b []byte, off int) (Field, int, error) {
	if off >= len(b) {
		return Field{}, off, fmt.Errorf("field at offset %d starts past the end of the area", off)
	}
	tl := b[off]
	if tl == EndOfFields {
		return Field{}, off + 1, errEndOfFields
	}
	n := int(tl & 0x3F)
	if off+1+n > len(b) {
		return Field{}, off, fmt.Errorf("field at offset %d claims %d bytes, only %d left in the area", off, n, len(b)-off-1)
	}
	return Field{Type: FieldType(tl >> 6), Data: b[off+1 : off+1+n]}, off + 1 + n, nil
}

// Bytes is raw data that marshals to JSON as a hex string.
type Bytes []byte

// MarshalJSON writes the bytes as lower-case hex.
func (b Bytes) MarshalJSON() ([]byte, error) { return json.Marshal(hex.EncodeToString(b)) }

// MarshalJSON writes the decoded text (English-area rules).
func (f Field) MarshalJSON() ([]byte, error) { return json.Marshal(f.String()) }
