package rmcp

import (
	"crypto/hmac"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// halfConn is one direction of a session, as crypto/tls's halfConn: the
// session ID packets carry, the sequence number, and the keys. Outbound
// halfConns are used under the session's write lock; inbound ones only by
// the reader goroutine.
type halfConn struct {
	v15 bool // IPMI v1.5 framing instead of RMCP+

	// RMCP+
	integ  *integrityAlg
	mac    macFunc       // nil: no integrity
	cipher payloadCipher // nil: no confidentiality

	// IPMI v1.5
	authType      uint8
	password      [16]byte
	allowNoneAuth bool // inbound: accept auth type NONE (per-message auth disabled)
	anyID         bool // inbound: Activate Session's reply may carry the temporary or the new ID

	id     uint32 // session ID in this direction's packets
	active bool   // session established: sequence numbers count
	seq    uint32 // outbound: last sent; inbound: highest accepted
	seen   bool   // inbound: a sequence number has been accepted
	window uint64 // inbound: bit i = seq-i already accepted

	sum [32]byte // scratch for the expected auth code
}

// Reasons an inbound packet is dropped; each is counted in Stats.
var (
	errDropIntegrity = errors.New("integrity check failed")
	errDropSequence  = errors.New("sequence number outside the window or replayed")
	errDropSession   = errors.New("wrong session ID")
)

const (
	seqWindowBack    = 64   // replays are remembered this far back
	seqWindowForward = 4096 // a jump further ahead than this is refused
)

// nextSeq returns the next outbound sequence number (never 0 once the
// session is active; 0 before).
func (hc *halfConn) nextSeq() uint32 {
	if !hc.active {
		return 0
	}
	hc.seq++
	if hc.seq == 0 {
		hc.seq = 1
	}
	return hc.seq
}

// checkSeq accepts seq if it is new and inside the window, recording it.
func (hc *halfConn) checkSeq(seq uint32) bool {
	if !hc.active {
		return true
	}
	if !hc.seen {
		hc.seen, hc.seq, hc.window = true, seq, 1
		return true
	}
	d := seq - hc.seq // wraps: forward distance
	switch {
	case d == 0:
		return false
	case d <= seqWindowForward:
		if d >= 64 {
			hc.window = 0
		} else {
			hc.window <<= d
		}
		hc.window |= 1
		hc.seq = seq
		return true
	}
	back := hc.seq - seq
	if back >= seqWindowBack || hc.window&(1<<back) != 0 {
		return false
	}
	hc.window |= 1 << back
	return true
}

// seal20 appends a whole RMCP+ packet carrying payload to dst.
func (hc *halfConn) seal20(dst []byte, payloadType uint8, payload []byte, rand io.Reader) ([]byte, error) {
	start := len(dst)
	dst = appendRMCPHeader(dst, ClassIPMI)
	h := session20Header{
		PayloadType:   payloadType,
		Encrypted:     hc.cipher != nil,
		Authenticated: hc.mac != nil,
		ID:            hc.id,
		Seq:           hc.nextSeq(),
	}
	hdrAt := len(dst) - start
	dst = h.append(dst)
	bodyAt := len(dst)
	var err error
	if hc.cipher != nil {
		if dst, err = hc.cipher.seal(dst, payload, rand); err != nil {
			return nil, err
		}
	} else {
		dst = append(dst, payload...)
	}
	n := len(dst) - bodyAt
	if n > 0xFFFF {
		return nil, fmt.Errorf("rmcp: payload of %d bytes is too long", n)
	}
	binary.LittleEndian.PutUint16(dst[bodyAt-2:], uint16(n))
	if hc.mac != nil {
		pad := integrityPadLen(len(dst) - start - hdrAt)
		for range pad {
			dst = append(dst, 0xFF)
		}
		dst = append(dst, uint8(pad), nextHeaderRMCPPlus)
		dst = hc.mac(dst, dst[start+hdrAt:])
	}
	return dst, nil
}

// open20 checks and decodes an inbound RMCP+ packet (RMCP header
// included): integrity first (hmac.Equal over everything from the auth
// type byte through the next header byte), then the session ID, the
// sequence window, and decryption. The payload may alias pkt.
func (hc *halfConn) open20(pkt []byte) (session20Header, []byte, error) {
	var h session20Header
	_, rest, err := parseRMCPHeader(pkt)
	if err != nil {
		return h, nil, err
	}
	if hc.mac != nil {
		cl := hc.integ.CodeLen
		if len(rest) < 12+2+cl {
			return h, nil, errDropIntegrity
		}
		body, code := rest[:len(rest)-cl], rest[len(rest)-cl:]
		if !hmac.Equal(hc.mac(hc.sum[:0], body), code) {
			return h, nil, errDropIntegrity
		}
		rest = body
	}
	h, payload, end, err := parseSession20(rest)
	if err != nil {
		return h, nil, err
	}
	if hc.mac != nil {
		// The trailer must be exactly pad, pad length, next header.
		if !h.Authenticated || len(rest)-end < 2 || rest[len(rest)-1] != nextHeaderRMCPPlus ||
			int(rest[len(rest)-2]) != len(rest)-end-2 {
			return h, nil, errDropIntegrity
		}
	}
	if h.ID != hc.id {
		return h, nil, errDropSession
	}
	if h.Authenticated != (hc.mac != nil) && hc.active {
		return h, nil, errDropIntegrity
	}
	if !hc.checkSeq(h.Seq) {
		return h, nil, errDropSequence
	}
	if h.Encrypted {
		if hc.cipher == nil {
			return h, nil, formatErr("RMCP+ payload", 0, "encrypted, but no confidentiality was negotiated")
		}
		payload, err = hc.cipher.open(payload)
		if err != nil {
			return h, nil, err
		}
	} else if hc.cipher != nil && hc.active {
		return h, nil, formatErr("RMCP+ payload", 0, "unencrypted payload in an encrypted session")
	}
	return h, payload, nil
}

// seal15 appends a whole IPMI v1.5 packet carrying msg to dst.
func (hc *halfConn) seal15(dst []byte, msg []byte) []byte {
	h := session15Header{AuthType: hc.authType, ID: hc.id, Seq: hc.nextSeq()}
	h.AuthCode, _ = authCode15(h.AuthType, &hc.password, h.ID, h.Seq, msg)
	dst = appendRMCPHeader(dst, ClassIPMI)
	return h.append(dst, msg)
}

// open15 checks and decodes an inbound IPMI v1.5 packet: the auth code
// (compared with hmac.Equal), the session ID and the sequence window.
func (hc *halfConn) open15(pkt []byte) (session15Header, []byte, error) {
	_, rest, err := parseRMCPHeader(pkt)
	if err != nil {
		return session15Header{}, nil, err
	}
	h, msg, err := parseSession15(rest)
	if err != nil {
		return h, nil, err
	}
	switch {
	case h.AuthType == AuthTypeNone:
		if hc.authType != AuthTypeNone && !hc.allowNoneAuth {
			return h, nil, errDropIntegrity
		}
	case h.AuthType != hc.authType:
		return h, nil, errDropIntegrity
	default:
		want, ok := authCode15(h.AuthType, &hc.password, h.ID, h.Seq, msg)
		if !ok || !hmac.Equal(want[:], h.AuthCode[:]) {
			return h, nil, errDropIntegrity
		}
	}
	if h.ID != hc.id && !hc.anyID {
		return h, nil, errDropSession
	}
	if !hc.checkSeq(h.Seq) {
		return h, nil, errDropSequence
	}
	return h, msg, nil
}
