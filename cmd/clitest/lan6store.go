package clitest

import (
	"bytes"
	"net/netip"
	"sync"

	"github.com/ipmictl/ipmictl/ipmi"
)

// lan6Store keeps IPv6 LAN parameters (50-80) as a BMC would, keyed by
// parameter, set and block, and logs every Set LAN Configuration request.
type Lan6Store struct {
	Mu     sync.Mutex
	Params map[[3]uint8][]byte
	Refuse map[uint8]ipmi.CompletionCode // parameters answered with this code
	Sets   [][]byte                      // Set LAN Configuration request data, in order
}

func lan6Key(p uint8, data []byte) [3]uint8 {
	k := [3]uint8{p}
	switch p {
	case 56, 59, 74, 75, 76, 77, 80:
		k[1] = data[0]
	case 58, 61, 63:
		k[1], k[2] = data[0], data[1]
	}
	return k
}

func NewLan6Store() *Lan6Store {
	s := &Lan6Store{Params: map[[3]uint8][]byte{}, Refuse: map[uint8]ipmi.CompletionCode{}}
	put := func(p uint8, data ...byte) { s.Params[lan6Key(p, data)] = data }
	a16 := func(s string) []byte { a := netip.MustParseAddr(s).As16(); return a[:] }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	put(50, 0x03)
	put(51, 0x02)
	put(52, 0x00)
	put(53, 64)
	put(54, 0x00, 0x12, 0x34)
	put(55, 2, 2, 0x03)
	put(56, cat([]byte{0, 0x80}, a16("2001:db8::10"), []byte{64, 0})...)
	put(56, cat([]byte{1, 0x00}, a16("::"), []byte{0, 1})...)
	put(57, 2)
	put(58, cat([]byte{0, 0}, []byte{0x0e, 0x00, 0x01, 0x00, 0x01, 0x2a, 0x3b, 0x4c, 0x5d, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66})...)
	put(58, cat([]byte{0, 1}, bytes.Repeat([]byte{0xab}, 16))...)
	put(59, cat([]byte{0, 0x01}, a16("fe80::211:22ff:fe33:4455"), []byte{64, 0})...)
	put(59, cat([]byte{1, 0x02}, a16("::ffff:10.1.2.3"), []byte{128, 4})...)
	put(60, 1)
	put(61, cat([]byte{0, 0}, []byte{0x0a, 0x00, 0x03, 0x00, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0, 0, 0, 0})...)
	put(62, 1)
	put(63, cat([]byte{0, 0}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})...)
	put(63, cat([]byte{0, 1}, []byte{17, 18, 19, 20, 21, 22, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})...)
	put(64, 3)
	put(65, a16("fe80::1")...)
	put(66, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55)
	put(67, 64)
	put(68, a16("2001:db8::")...)
	put(73, 1)
	put(74, cat([]byte{0}, a16("fe80::2"))...)
	put(75, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff)
	put(76, 0, 48)
	put(77, cat([]byte{0}, a16("2001:db8:1::"))...)
	put(78, 63)
	put(79, 2)
	put(80, cat([]byte{0, 0}, []byte{1, 4, 3, 1, 3, 3, 1, 3, 30, 1, 5, 15, 5, 0, 0, 0})...)
	return s
}

// serve answers Get/Set LAN Configuration for parameters 50-80; ok is
// false for every other request.
func (s *Lan6Store) Serve(req *ipmi.Request) (*ipmi.Response, bool) {
	if req.NetFn != ipmi.NetFnTransport || len(req.Data) < 2 {
		return nil, false
	}
	s.Mu.Lock()
	defer s.Mu.Unlock()
	p := req.Data[1]
	switch {
	case req.Cmd == ipmi.CmdSetLANConfig:
		s.Sets = append(s.Sets, append([]byte(nil), req.Data...))
		if p < 50 || p > 80 {
			return nil, false
		}
		if p == 50 || p == 55 || p == 57 || p == 60 || p == 62 || p == 73 || (p >= 74 && p <= 79) {
			return &ipmi.Response{Code: 0x82}, true
		}
		s.Params[lan6Key(p, req.Data[2:])] = append([]byte(nil), req.Data[2:]...)
		return &ipmi.Response{}, true
	case req.Cmd == ipmi.CmdGetLANConfig && len(req.Data) == 4 && p >= 50 && p <= 80:
		if code, ok := s.Refuse[p]; ok {
			return &ipmi.Response{Code: code}, true
		}
		k := lan6Key(p, req.Data[2:])
		if p == 56 || p == 59 || p == 74 || p == 75 || p == 76 || p == 77 || p == 80 {
			k[1] = req.Data[2]
		}
		if p == 58 || p == 61 || p == 63 {
			k[1], k[2] = req.Data[2], req.Data[3]
		}
		d, ok := s.Params[k]
		if !ok {
			return &ipmi.Response{Code: 0x80}, true
		}
		return &ipmi.Response{Data: append([]byte{0x11}, d...)}, true
	}
	return nil, false
}
