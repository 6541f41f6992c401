package rmcp

import (
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"time"
)

// ASF message types and the ASF IANA number (ASF 2.0 section 3.2.4).
const (
	asfIANA          = 4542
	asfTypePing      = 0x80
	asfTypePong      = 0x40
	asfHeaderLen     = 8
	asfPongDataLen   = 16
	asfEntityIPMI    = 0x80
	asfInteractRSP   = 0x80 // RMCP security extensions
	asfInteractDASH  = 0x20
	asfEntityVersion = 0x0F
)

// asfMessage is the ASF RMCP data: IANA, type, tag, length, data.
type asfMessage struct {
	IANA uint32
	Type uint8
	Tag  uint8
	Data []byte
}

func (m *asfMessage) append(b []byte) []byte {
	b = appendRMCPHeader(b, ClassASF)
	b = binary.BigEndian.AppendUint32(b, m.IANA)
	b = append(b, m.Type, m.Tag, 0, uint8(len(m.Data)))
	return append(b, m.Data...)
}

// parseASF decodes a whole ASF packet (RMCP header included).
func parseASF(b []byte) (asfMessage, error) {
	h, rest, err := parseRMCPHeader(b)
	if err != nil {
		return asfMessage{}, err
	}
	if h.Class&0x1F != ClassASF {
		return asfMessage{}, formatErr("ASF message", 3, "RMCP class 0x%02x is not ASF", h.Class)
	}
	if len(rest) < asfHeaderLen {
		return asfMessage{}, formatErr("ASF message", 4+len(rest), "%d bytes, need 8", len(rest))
	}
	n := int(rest[7])
	if len(rest)-asfHeaderLen < n {
		return asfMessage{}, formatErr("ASF message", 11, "data length %d, only %d bytes follow", n, len(rest)-asfHeaderLen)
	}
	return asfMessage{
		IANA: binary.BigEndian.Uint32(rest[0:4]),
		Type: rest[4], Tag: rest[5],
		Data: rest[asfHeaderLen : asfHeaderLen+n],
	}, nil
}

// Pong is the answer to an ASF presence ping.
type Pong struct {
	IANA              uint32 // enterprise number (4542 = ASF, no OEM extensions)
	OEM               uint32 // OEM-defined
	IPMI              bool   // supported entities: IPMI
	ASFVersion        uint8  // supported entities: ASF version (1 = 1.0)
	SecurityRMCP      bool   // supported interactions: RMCP security extensions
	DASH              bool   // supported interactions: DMTF DASH
	SupportedEntities uint8  // raw byte
	Interactions      uint8  // raw byte
	RTT               time.Duration
}

// parsePong decodes the 16 data bytes of a presence pong.
func parsePong(data []byte) (*Pong, error) {
	if len(data) < asfPongDataLen {
		return nil, formatErr("ASF pong", len(data), "%d data bytes, need 16", len(data))
	}
	p := &Pong{
		IANA:              binary.BigEndian.Uint32(data[0:4]),
		OEM:               binary.BigEndian.Uint32(data[4:8]),
		SupportedEntities: data[8],
		Interactions:      data[9],
	}
	p.IPMI = p.SupportedEntities&asfEntityIPMI != 0
	p.ASFVersion = p.SupportedEntities & asfEntityVersion
	p.SecurityRMCP = p.Interactions&asfInteractRSP != 0
	p.DASH = p.Interactions&asfInteractDASH != 0
	return p, nil
}

// appendPong builds a presence pong answering tag (for servers).
func appendPong(b []byte, tag uint8, p *Pong) []byte {
	d := make([]byte, asfPongDataLen)
	binary.BigEndian.PutUint32(d[0:4], p.IANA)
	binary.BigEndian.PutUint32(d[4:8], p.OEM)
	d[8], d[9] = p.SupportedEntities, p.Interactions
	m := asfMessage{IANA: asfIANA, Type: asfTypePong, Tag: tag, Data: d}
	return m.append(b)
}

// Ping sends ASF presence pings to addr ("host:port"; the port defaults
// to 623) until a pong arrives, trying 1+retries times, each waiting
// timeout.
func Ping(ctx context.Context, addr string, timeout time.Duration, retries int) (*Pong, error) {
	addr = withDefaultPort(addr)
	if timeout <= 0 {
		timeout = time.Second
	}
	if retries < 0 {
		retries = 0
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "udp", addr)
	if err != nil {
		return nil, fmt.Errorf("rmcp: ping %s: %w", addr, err)
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	defer stop()

	buf := make([]byte, 512)
	for try := 0; try <= retries; try++ {
		tag := uint8(try)
		ping := asfMessage{IANA: asfIANA, Type: asfTypePing, Tag: tag}
		start := time.Now()
		if _, err := c.Write(ping.append(nil)); err != nil {
			return nil, fmt.Errorf("rmcp: ping %s: %w", addr, err)
		}
		c.SetReadDeadline(start.Add(timeout))
		for {
			n, err := c.Read(buf)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				if ne, ok := err.(net.Error); ok && ne.Timeout() {
					break
				}
				// ICMP unreachable surfaces as a read error; treat it as a lost try.
				time.Sleep(time.Until(start.Add(timeout)))
				break
			}
			m, err := parseASF(buf[:n])
			if err != nil || m.Type != asfTypePong || m.Tag != tag {
				continue
			}
			p, err := parsePong(m.Data)
			if err != nil {
				continue
			}
			p.RTT = time.Since(start)
			return p, nil
		}
	}
	return nil, &TimeoutError{Addr: addr, Op: "ASF presence ping", Tries: retries + 1, PerTry: timeout}
}

// withDefaultPort adds :623 when addr has no port ("[::1]" and "::1" too);
// a name Address refuses is left for the resolver to refuse.
func withDefaultPort(addr string) string {
	if a, err := Address(addr, DefaultPort); err == nil {
		return a
	}
	return addr
}
