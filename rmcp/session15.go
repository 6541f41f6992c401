package rmcp

import (
	"crypto/md5"
	"encoding/binary"
)

// IPMI v1.5 authentication types (IPMI v2.0 table 22-14).
const (
	AuthTypeNone     = 0
	AuthTypeMD2      = 1
	AuthTypeMD5      = 2
	AuthTypePassword = 4
	AuthTypeOEM      = 5
	authTypeRMCPPlus = 6 // "format = RMCP+" in the auth type byte
)

var authTypeNames = map[uint8]string{
	AuthTypeNone: "NONE", AuthTypeMD2: "MD2", AuthTypeMD5: "MD5",
	AuthTypePassword: "PASSWORD", AuthTypeOEM: "OEM",
}

// AuthTypeName returns ipmitool's name for an IPMI 1.5 auth type.
func AuthTypeName(t int) string {
	if s, ok := authTypeNames[uint8(t)]; ok && t >= 0 && t < 256 {
		return s
	}
	return "UNKNOWN"
}

// session15Header is the IPMI v1.5 session header (table 13-8).
type session15Header struct {
	AuthType uint8
	Seq      uint32
	ID       uint32
	AuthCode [16]byte // present on the wire when AuthType != NONE
}

const session15MinLen = 10 // authtype, seq, id, msg length

// append appends header, message length and msg (no RMCP header).
func (h *session15Header) append(b []byte, msg []byte) []byte {
	b = append(b, h.AuthType)
	b = binary.LittleEndian.AppendUint32(b, h.Seq)
	b = binary.LittleEndian.AppendUint32(b, h.ID)
	if h.AuthType != AuthTypeNone {
		b = append(b, h.AuthCode[:]...)
	}
	b = append(b, uint8(len(msg)))
	return append(b, msg...)
}

// parseSession15 decodes the session header after the RMCP header and
// returns the IPMI message it carries (aliasing b).
func parseSession15(b []byte) (session15Header, []byte, error) {
	const what = "IPMI 1.5 session header"
	var h session15Header
	if len(b) < session15MinLen {
		return h, nil, formatErr(what, len(b), "%d bytes, need at least 10", len(b))
	}
	h.AuthType = b[0]
	if h.AuthType == authTypeRMCPPlus {
		return h, nil, formatErr(what, 0, "RMCP+ packet")
	}
	h.Seq = binary.LittleEndian.Uint32(b[1:5])
	h.ID = binary.LittleEndian.Uint32(b[5:9])
	off := 9
	if h.AuthType != AuthTypeNone {
		if len(b) < off+16+1 {
			return h, nil, formatErr(what, len(b), "%d bytes, too short for an auth code", len(b))
		}
		copy(h.AuthCode[:], b[off:off+16])
		off += 16
	}
	n := int(b[off])
	off++
	if len(b)-off < n {
		return h, nil, formatErr(what, off-1, "message length %d, only %d bytes follow", n, len(b)-off)
	}
	return h, b[off : off+n], nil
}

// authCode15 computes the v1.5 session auth code (IPMI v2.0 section
// 22.17.1): for MD5/MD2 the digest of password | session ID | message |
// session seq | password, for PASSWORD the password itself.
func authCode15(authType uint8, password *[16]byte, id, seq uint32, msg []byte) (code [16]byte, ok bool) {
	var idb, seqb [4]byte
	binary.LittleEndian.PutUint32(idb[:], id)
	binary.LittleEndian.PutUint32(seqb[:], seq)
	switch authType {
	case AuthTypeNone:
		return code, true
	case AuthTypePassword:
		return *password, true
	case AuthTypeMD5:
		h := md5.New()
		h.Write(password[:])
		h.Write(idb[:])
		h.Write(msg)
		h.Write(seqb[:])
		h.Write(password[:])
		h.Sum(code[:0])
		return code, true
	case AuthTypeMD2:
		var d md2
		d.Write(password[:])
		d.Write(idb[:])
		d.Write(msg)
		d.Write(seqb[:])
		d.Write(password[:])
		return d.Sum(), true
	}
	return code, false
}
