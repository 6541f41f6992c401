package rmcp

import "encoding/binary"

// RMCP+ payload types (IPMI v2.0 table 13-16).
const (
	PayloadIPMI         = 0x00
	PayloadSOL          = 0x01
	PayloadOEM          = 0x02
	payloadOpenSessReq  = 0x10
	payloadOpenSessResp = 0x11
	payloadRAKP1        = 0x12
	payloadRAKP2        = 0x13
	payloadRAKP3        = 0x14
	payloadRAKP4        = 0x15

	payloadEncrypted     = 0x80
	payloadAuthenticated = 0x40
	payloadTypeMask      = 0x3F

	nextHeaderRMCPPlus = 0x07
)

// session20Header is the RMCP+ session header (table 13-8, format 6).
type session20Header struct {
	PayloadType   uint8 // 6 bits
	Encrypted     bool
	Authenticated bool
	OEMIANA       uint32 // only for PayloadOEM
	OEMPayloadID  uint16 // only for PayloadOEM
	ID            uint32
	Seq           uint32
	Length        int // payload length on the wire
}

func (h *session20Header) typeByte() uint8 {
	t := h.PayloadType & payloadTypeMask
	if h.Encrypted {
		t |= payloadEncrypted
	}
	if h.Authenticated {
		t |= payloadAuthenticated
	}
	return t
}

// append appends the header (from the auth type byte) with h.Length.
func (h *session20Header) append(b []byte) []byte {
	b = append(b, authTypeRMCPPlus, h.typeByte())
	if h.PayloadType&payloadTypeMask == PayloadOEM {
		b = binary.BigEndian.AppendUint32(b, h.OEMIANA)
		b = binary.LittleEndian.AppendUint16(b, h.OEMPayloadID)
	}
	b = binary.LittleEndian.AppendUint32(b, h.ID)
	b = binary.LittleEndian.AppendUint32(b, h.Seq)
	return binary.LittleEndian.AppendUint16(b, uint16(h.Length))
}

// parseSession20 decodes the header that starts at b[0] (the auth type
// byte) and returns it with the payload (aliasing b) and the offset in b
// just past the payload.
func parseSession20(b []byte) (session20Header, []byte, int, error) {
	const what = "RMCP+ session header"
	var h session20Header
	if len(b) < 12 {
		return h, nil, 0, formatErr(what, len(b), "%d bytes, need at least 12", len(b))
	}
	if b[0] != authTypeRMCPPlus {
		return h, nil, 0, formatErr(what, 0, "auth type 0x%02x, want 0x06", b[0])
	}
	h.PayloadType = b[1] & payloadTypeMask
	h.Encrypted = b[1]&payloadEncrypted != 0
	h.Authenticated = b[1]&payloadAuthenticated != 0
	off := 2
	if h.PayloadType == PayloadOEM {
		if len(b) < 18 {
			return h, nil, 0, formatErr(what, len(b), "%d bytes, need 18 for an OEM payload", len(b))
		}
		h.OEMIANA = binary.BigEndian.Uint32(b[2:6])
		h.OEMPayloadID = binary.LittleEndian.Uint16(b[6:8])
		off = 8
	}
	h.ID = binary.LittleEndian.Uint32(b[off:])
	h.Seq = binary.LittleEndian.Uint32(b[off+4:])
	h.Length = int(binary.LittleEndian.Uint16(b[off+8:]))
	off += 10
	if len(b)-off < h.Length {
		return h, nil, 0, formatErr(what, off-2, "payload length %d, only %d bytes follow", h.Length, len(b)-off)
	}
	return h, b[off : off+h.Length], off + h.Length, nil
}

// integrityPadLen is the number of 0xFF bytes after the payload so that
// everything from the auth type byte through the next header byte is a
// multiple of 4 (n = bytes from auth type through the payload).
func integrityPadLen(n int) int { return (4 - (n+2)%4) % 4 }
