package sdr

// ID string type/length byte (IPMI v2.0 section 43.15): bits 7:6 the
// encoding, bits 4:0 the length in bytes.
const (
	IDUnicode = 0 // "Unicode" (in practice raw bytes)
	IDBCDPlus = 1 // 4-bit BCD plus
	ID6Bit    = 2 // 6-bit packed ASCII
	ID8Bit    = 3 // 8-bit ASCII + Latin 1
)

// MaxIDBytes caps every ID string at 16 stored bytes, the size of the SDR
// field. ipmitool once overflowed a 16-byte buffer here (CVE-2020-5208):
// the length field is 5 bits wide and can claim 31.
const MaxIDBytes = 16

// idBytes returns the ID string bytes a type/length byte describes within
// b, capped at MaxIDBytes and at what b holds.
func idBytes(code uint8, b []byte) []byte {
	n := int(code & 0x1f)
	if n > MaxIDBytes {
		n = MaxIDBytes
	}
	if n > len(b) {
		n = len(b)
	}
	return b[:n]
}

// rawName is the ID as ipmitool prints it: the stored bytes up to the
// first NUL, whatever the encoding.
func rawName(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// decodeID decodes an ID string by its encoding. 8-bit and "Unicode"
// strings end at the first NUL; 6-bit and BCD plus are unpacked.
func decodeID(code uint8, b []byte) string {
	switch code >> 6 {
	case ID6Bit:
		return decode6Bit(b)
	case IDBCDPlus:
		return decodeBCDPlus(b)
	}
	return latin1(rawName(b))
}

// latin1 maps 8-bit ISO 8859-1 bytes to UTF-8.
func latin1(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}

// decode6Bit unpacks 6-bit ASCII (space 0x20 .. underscore 0x5F): four
// characters in every three bytes, least significant bits first.
func decode6Bit(b []byte) string {
	out := make([]byte, 0, len(b)*4/3+1)
	var acc uint32
	bits := 0
	for _, c := range b {
		acc |= uint32(c) << bits
		bits += 8
		for bits >= 6 {
			out = append(out, byte(acc&0x3f)+0x20)
			acc >>= 6
			bits -= 6
		}
	}
	// Trailing padding decodes as spaces; drop it.
	for len(out) > 0 && out[len(out)-1] == ' ' {
		out = out[:len(out)-1]
	}
	return string(out)
}

// decodeBCDPlus unpacks two 4-bit characters per byte, low nibble first:
// digits, space, dash, period, colon, comma, underscore.
func decodeBCDPlus(b []byte) string {
	const digits = "0123456789 -.:,_"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c&0xf], digits[c>>4])
	}
	return string(out)
}
