package ipmi

import "strconv"

// ByteList is a short list of byte values (cipher suite IDs, auxiliary
// firmware revision bytes, raw parameter data). encoding/json would
// print a []byte as base64; a ByteList prints as an array of numbers.
type ByteList []byte

// MarshalJSON writes the bytes as a JSON array of numbers.
func (b ByteList) MarshalJSON() ([]byte, error) {
	out := make([]byte, 0, 2+4*len(b))
	out = append(out, '[')
	for i, v := range b {
		if i > 0 {
			out = append(out, ',')
		}
		out = strconv.AppendUint(out, uint64(v), 10)
	}
	return append(out, ']'), nil
}
