package ipmi

import "encoding/binary"

// Encode returns parameter 26's data for t (the inverse of
// DecodeLANBadPassword).
func (t BadPasswordThreshold) Encode() []byte {
	out := make([]byte, 6)
	out[0] = boolBit(t.GenerateEvent, 0x01)
	out[1] = t.Threshold
	binary.LittleEndian.PutUint16(out[2:4], t.ResetInterval)
	binary.LittleEndian.PutUint16(out[4:6], t.LockoutInterval)
	return out
}
