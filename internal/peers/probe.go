package peers

import (
	"errors"
	"fmt"
	"net"
	"time"
)

// probeAuthCaps sends one pre-session Get Channel Authentication Capabilities
// request in IPMI 1.5 framing (ipmi_sim drops RMCP+-framed pre-session
// messages) and reports whether a well-formed, successful answer came back.
// It deliberately does not use ipmitool or the rmcp package.
func probeAuthCaps(addr string, timeout time.Duration) error {
	conn, err := net.Dial("udp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	return exchangeAuthCaps(conn, timeout)
}

// exchangeAuthCaps sends the request on a connected socket and checks the reply.
func exchangeAuthCaps(conn net.Conn, timeout time.Duration) error {
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	if _, err := conn.Write(authCapsRequest()); err != nil {
		return err
	}
	buf := make([]byte, 512)
	n, err := conn.Read(buf)
	if err != nil {
		return err
	}
	return checkAuthCapsReply(buf[:n])
}

// authCapsRequest is Get Channel Authentication Capabilities (App 0x38) for
// "this channel" with IPMI 2.0 extended data, ADMINISTRATOR, session-less.
func authCapsRequest() []byte {
	const (
		rsAddr = 0x20
		rqAddr = 0x81
		rqSeq  = 0x05
	)
	msg := []byte{rsAddr, 0x06 << 2, 0, rqAddr, rqSeq << 2, 0x38, 0x8E, 0x04, 0}
	msg[2] = ipmbChecksum(msg[0:2])
	msg[8] = ipmbChecksum(msg[3:8])
	pkt := []byte{
		0x06, 0x00, 0xFF, 0x07, // RMCP: version 1, no ack, class IPMI
		0x00,       // auth type none
		0, 0, 0, 0, // session sequence
		0, 0, 0, 0, // session ID
		byte(len(msg)),
	}
	return append(pkt, msg...)
}

func checkAuthCapsReply(b []byte) error {
	// RMCP(4) + auth type(1) + seq(4) + session ID(4) + length(1) = 14
	if len(b) < 14 || b[0] != 0x06 || b[3] != 0x07 {
		return fmt.Errorf("peers: not an RMCP/IPMI reply (% x)", b)
	}
	if b[4] != 0x00 {
		return fmt.Errorf("peers: reply with auth type %#x", b[4])
	}
	msg := b[14:]
	if int(b[13]) != len(msg) || len(msg) < 8 {
		return fmt.Errorf("peers: bad reply length (% x)", b)
	}
	if msg[1]>>2 != 0x07 || msg[5] != 0x38 {
		return fmt.Errorf("peers: unexpected reply netfn/cmd (% x)", msg)
	}
	if ipmbChecksum(msg[0:2]) != msg[2] || ipmbChecksum(msg[3:len(msg)-1]) != msg[len(msg)-1] {
		return errors.New("peers: bad reply checksum")
	}
	if msg[6] != 0 {
		return fmt.Errorf("peers: Get Channel Auth Caps completion code %#02x", msg[6])
	}
	return nil
}

func ipmbChecksum(b []byte) byte {
	var s byte
	for _, c := range b {
		s += c
	}
	return -s
}
