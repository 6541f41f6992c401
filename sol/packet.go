package sol

import "fmt"

// HeaderLen is the size of the SOL packet header.
const HeaderLen = 4

// MaxCharsPerPacket is the most characters one packet can acknowledge: the
// accepted character count is one byte.
const MaxCharsPerPacket = 255

// Operation bits we send (IPMI v2.0 table 15-2, remote console to BMC).
const (
	OpNACK          = 0x40 // we could not take the BMC's packet (or all of it)
	OpRing          = 0x20 // assert RI / wake-on-ring
	OpBreak         = 0x10 // generate a break on the serial line
	OpCTSPause      = 0x08 // deassert CTS to the host (pause its output)
	OpDCDDeassert   = 0x04 // deassert DCD/DSR to the host
	OpFlushInbound  = 0x02
	OpFlushOutbound = 0x01
)

// Status bits the BMC sends (IPMI v2.0 table 15-3, BMC to remote console).
const (
	StatusNACK            = 0x40 // our packet (or part of it) was not accepted
	StatusUnavailable     = 0x20 // character transfer to the host unavailable
	StatusDeactivating    = 0x10 // SOL is being deactivated
	StatusTransmitOverrun = 0x08 // the BMC dropped host characters
	StatusBreak           = 0x04 // the host sent a break
)

// Packet is one SOL payload. Seq 0 marks an ACK-only packet; Ack 0 means
// the packet acknowledges nothing.
type Packet struct {
	Seq      uint8 // 0-15
	Ack      uint8 // 0-15
	Accepted uint8 // characters accepted from the packet Ack names
	Flags    uint8 // Op* when we send, Status* when the BMC does
	Data     []byte
}

// IsNACK reports a NACK of the packet named by Ack.
func (p *Packet) IsNACK() bool { return p.Flags&StatusNACK != 0 }

// Append encodes p after b.
func (p *Packet) Append(b []byte) []byte {
	b = append(b, p.Seq&0x0F, p.Ack&0x0F, p.Accepted, p.Flags)
	return append(b, p.Data...)
}

// Marshal encodes p.
func (p *Packet) Marshal() []byte { return p.Append(make([]byte, 0, HeaderLen+len(p.Data))) }

// FormatError reports an undecodable SOL packet.
type FormatError struct {
	Offset int
	Msg    string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("malformed SOL packet at byte %d: %s", e.Offset, e.Msg)
}

// DecodePacket decodes a SOL payload. Data aliases b. The reserved high
// nibbles of the sequence fields are ignored, as the specification asks.
func DecodePacket(b []byte) (*Packet, error) {
	if len(b) < HeaderLen {
		return nil, &FormatError{Offset: len(b), Msg: fmt.Sprintf("%d bytes, need at least %d", len(b), HeaderLen)}
	}
	p := &Packet{Seq: b[0] & 0x0F, Ack: b[1] & 0x0F, Accepted: b[2], Flags: b[3], Data: b[HeaderLen:]}
	if p.Seq == 0 && len(p.Data) > 0 {
		return nil, &FormatError{Offset: HeaderLen, Msg: fmt.Sprintf("ACK-only packet (sequence 0) carries %d characters", len(p.Data))}
	}
	return p, nil
}
