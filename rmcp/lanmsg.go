package rmcp

// lanMsg is an IPMI message as carried on LAN and IPMB (IPMI v2.0 figure
// 13-4): both directions share one layout,
//
//	dst addr | netFn<<2|dstLUN | chk1 | src addr | seq<<2|srcLUN | cmd | body | chk2
//
// For a request dst is the responder (rsSA) and Body the request data; for
// a response dst is the requester (rqSA) and Body starts with the
// completion code.
type lanMsg struct {
	DstAddr uint8
	NetFn   uint8 // 6 bits
	DstLUN  uint8
	SrcAddr uint8
	Seq     uint8 // 6 bits
	SrcLUN  uint8
	Cmd     uint8
	Body    []byte
}

const lanMsgOverhead = 7

// checksum is the IPMI 2's-complement checksum.
func checksum(b []byte) uint8 {
	var s uint8
	for _, c := range b {
		s += c
	}
	return -s
}

func (m *lanMsg) append(b []byte) []byte {
	start := len(b)
	b = append(b, m.DstAddr, m.NetFn<<2|m.DstLUN&3)
	b = append(b, checksum(b[start:]))
	mid := len(b)
	b = append(b, m.SrcAddr, m.Seq<<2|m.SrcLUN&3, m.Cmd)
	b = append(b, m.Body...)
	return append(b, checksum(b[mid:]))
}

// parseLANMsg decodes b, checking both checksums. Body aliases b.
func parseLANMsg(b []byte) (lanMsg, error) {
	const what = "IPMI message"
	if len(b) < lanMsgOverhead {
		return lanMsg{}, formatErr(what, len(b), "%d bytes, need at least 7", len(b))
	}
	if checksum(b[:2]) != b[2] {
		return lanMsg{}, formatErr(what, 2, "header checksum 0x%02x, want 0x%02x", b[2], checksum(b[:2]))
	}
	n := len(b) - 1
	if checksum(b[3:n]) != b[n] {
		return lanMsg{}, formatErr(what, n, "data checksum 0x%02x, want 0x%02x", b[n], checksum(b[3:n]))
	}
	return lanMsg{
		DstAddr: b[0], NetFn: b[1] >> 2, DstLUN: b[1] & 3,
		SrcAddr: b[3], Seq: b[4] >> 2, SrcLUN: b[4] & 3, Cmd: b[5],
		Body: b[6:n],
	}, nil
}
