package rmcp

import "fmt"

// RMCP header values (ASF 2.0 section 3.2.2).
const (
	rmcpVersion   = 0x06
	rmcpSeqNoAck  = 0xFF // IPMI messages never ask for an RMCP ACK
	ClassASF      = 0x06
	ClassIPMI     = 0x07
	rmcpHeaderLen = 4
	// DefaultPort is the RMCP (primary RMCP port) UDP port.
	DefaultPort = 623
)

// rmcpHeader is the 4-byte header in front of every LAN packet.
type rmcpHeader struct {
	Version uint8
	Seq     uint8
	Class   uint8 // low 5 bits; bit 7 set = RMCP ACK
}

// appendRMCPHeader appends a version-6 header with seq 0xFF.
func appendRMCPHeader(b []byte, class uint8) []byte {
	return append(b, rmcpVersion, 0x00, rmcpSeqNoAck, class)
}

// parseRMCPHeader checks the header and returns it and the rest.
func parseRMCPHeader(b []byte) (rmcpHeader, []byte, error) {
	if len(b) < rmcpHeaderLen {
		return rmcpHeader{}, nil, formatErr("RMCP header", len(b), "packet of %d bytes, need 4", len(b))
	}
	h := rmcpHeader{Version: b[0], Seq: b[2], Class: b[3]}
	if h.Version != rmcpVersion {
		return h, nil, formatErr("RMCP header", 0, "version 0x%02x, want 0x06", h.Version)
	}
	return h, b[rmcpHeaderLen:], nil
}

// PacketError reports a packet that could not be decoded.
type PacketError struct {
	What   string
	Offset int
	Msg    string
}

func (e *PacketError) Error() string {
	return fmt.Sprintf("malformed %s at byte %d: %s", e.What, e.Offset, e.Msg)
}

func formatErr(what string, off int, format string, args ...any) error {
	return &PacketError{What: what, Offset: off, Msg: fmt.Sprintf(format, args...)}
}
