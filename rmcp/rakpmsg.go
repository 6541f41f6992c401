package rmcp

import "encoding/binary"

// The RMCP+ session setup payloads (IPMI v2.0 section 13.17-13.23).
// Each has append (the sender's side) and parse (the receiver's side).

// openSessionRequest is payload type 0x10.
type openSessionRequest struct {
	Tag          uint8
	MaxPrivilege uint8 // requested maximum privilege (0 = highest the user has)
	ConsoleID    uint32
	Auth         uint8
	Integrity    uint8
	Conf         uint8
}

const openSessionRequestLen = 32

func appendAlgPayload(b []byte, kind, alg uint8) []byte {
	return append(b, kind, 0, 0, 8, alg, 0, 0, 0)
}

func (m *openSessionRequest) append(b []byte) []byte {
	b = append(b, m.Tag, m.MaxPrivilege, 0, 0)
	b = binary.LittleEndian.AppendUint32(b, m.ConsoleID)
	b = appendAlgPayload(b, 0, m.Auth)
	b = appendAlgPayload(b, 1, m.Integrity)
	return appendAlgPayload(b, 2, m.Conf)
}

// parseAlgPayloads reads the three 8-byte algorithm payloads.
func parseAlgPayloads(what string, b []byte, off int) (auth, integ, conf uint8, err error) {
	var algs [3]uint8
	for i := range 3 {
		p := b[off+8*i:]
		if p[0] != uint8(i) || p[3] != 8 {
			return 0, 0, 0, formatErr(what, off+8*i, "algorithm payload type %d length %d, want type %d length 8", p[0], p[3], i)
		}
		algs[i] = p[4] & 0x3F
	}
	return algs[0], algs[1], algs[2], nil
}

func parseOpenSessionRequest(b []byte) (openSessionRequest, error) {
	const what = "Open Session Request"
	if len(b) < openSessionRequestLen {
		return openSessionRequest{}, formatErr(what, len(b), "%d bytes, need 32", len(b))
	}
	m := openSessionRequest{Tag: b[0], MaxPrivilege: b[1] & 0x0F, ConsoleID: binary.LittleEndian.Uint32(b[4:8])}
	var err error
	m.Auth, m.Integrity, m.Conf, err = parseAlgPayloads(what, b, 8)
	return m, err
}

// openSessionResponse is payload type 0x11. On an error status the BMC
// may send only the first 8 bytes.
type openSessionResponse struct {
	Tag          uint8
	Status       uint8
	MaxPrivilege uint8
	ConsoleID    uint32
	BMCID        uint32
	Auth         uint8
	Integrity    uint8
	Conf         uint8
}

const openSessionResponseLen = 36

func (m *openSessionResponse) append(b []byte) []byte {
	b = append(b, m.Tag, m.Status, m.MaxPrivilege, 0)
	b = binary.LittleEndian.AppendUint32(b, m.ConsoleID)
	if m.Status != 0 {
		return b
	}
	b = binary.LittleEndian.AppendUint32(b, m.BMCID)
	b = appendAlgPayload(b, 0, m.Auth)
	b = appendAlgPayload(b, 1, m.Integrity)
	return appendAlgPayload(b, 2, m.Conf)
}

func parseOpenSessionResponse(b []byte) (openSessionResponse, error) {
	const what = "Open Session Response"
	var m openSessionResponse
	if len(b) < 2 {
		return m, formatErr(what, len(b), "%d bytes, need at least 2", len(b))
	}
	m.Tag, m.Status = b[0], b[1]
	if m.Status != 0 {
		if len(b) >= 8 {
			m.MaxPrivilege = b[2] & 0x0F
			m.ConsoleID = binary.LittleEndian.Uint32(b[4:8])
		}
		return m, nil
	}
	if len(b) < openSessionResponseLen {
		return m, formatErr(what, len(b), "%d bytes, need 36", len(b))
	}
	m.MaxPrivilege = b[2] & 0x0F
	m.ConsoleID = binary.LittleEndian.Uint32(b[4:8])
	m.BMCID = binary.LittleEndian.Uint32(b[8:12])
	var err error
	m.Auth, m.Integrity, m.Conf, err = parseAlgPayloads(what, b, 12)
	return m, err
}

// rakp1 is payload type 0x12.
type rakp1 struct {
	Tag         uint8
	BMCID       uint32
	ConsoleRand [16]byte
	Role        uint8 // privilege in bits 3:0, bit 4 = name-only lookup
	User        []byte
}

// Role byte bits.
const (
	roleNameOnly = 0x10
	rolePrivMask = 0x0F
)

func (m *rakp1) append(b []byte) []byte {
	b = append(b, m.Tag, 0, 0, 0)
	b = binary.LittleEndian.AppendUint32(b, m.BMCID)
	b = append(b, m.ConsoleRand[:]...)
	b = append(b, m.Role, 0, 0, uint8(len(m.User)))
	return append(b, m.User...)
}

func parseRAKP1(b []byte) (rakp1, error) {
	const what = "RAKP Message 1"
	var m rakp1
	if len(b) < 28 {
		return m, formatErr(what, len(b), "%d bytes, need at least 28", len(b))
	}
	m.Tag = b[0]
	m.BMCID = binary.LittleEndian.Uint32(b[4:8])
	copy(m.ConsoleRand[:], b[8:24])
	m.Role = b[24]
	n := int(b[27])
	if n > 16 || len(b)-28 < n {
		return m, formatErr(what, 27, "user name length %d with %d bytes left", n, len(b)-28)
	}
	m.User = b[28 : 28+n]
	return m, nil
}

// rakp2 is payload type 0x13.
type rakp2 struct {
	Tag       uint8
	Status    uint8
	ConsoleID uint32
	BMCRand   [16]byte
	BMCGUID   [16]byte
	AuthCode  []byte // key exchange auth code; length depends on the algorithm
}

func (m *rakp2) append(b []byte) []byte {
	b = append(b, m.Tag, m.Status, 0, 0)
	b = binary.LittleEndian.AppendUint32(b, m.ConsoleID)
	if m.Status != 0 {
		return b
	}
	b = append(b, m.BMCRand[:]...)
	b = append(b, m.BMCGUID[:]...)
	return append(b, m.AuthCode...)
}

func parseRAKP2(b []byte) (rakp2, error) {
	const what = "RAKP Message 2"
	var m rakp2
	if len(b) < 2 {
		return m, formatErr(what, len(b), "%d bytes, need at least 2", len(b))
	}
	m.Tag, m.Status = b[0], b[1]
	if len(b) >= 8 {
		m.ConsoleID = binary.LittleEndian.Uint32(b[4:8])
	}
	if m.Status != 0 {
		return m, nil
	}
	if len(b) < 40 {
		return m, formatErr(what, len(b), "%d bytes, need at least 40", len(b))
	}
	copy(m.BMCRand[:], b[8:24])
	copy(m.BMCGUID[:], b[24:40])
	m.AuthCode = b[40:]
	return m, nil
}

// rakp3 is payload type 0x14.
type rakp3 struct {
	Tag      uint8
	Status   uint8
	BMCID    uint32
	AuthCode []byte
}

func (m *rakp3) append(b []byte) []byte {
	b = append(b, m.Tag, m.Status, 0, 0)
	b = binary.LittleEndian.AppendUint32(b, m.BMCID)
	return append(b, m.AuthCode...)
}

func parseRAKP3(b []byte) (rakp3, error) {
	const what = "RAKP Message 3"
	if len(b) < 8 {
		return rakp3{}, formatErr(what, len(b), "%d bytes, need at least 8", len(b))
	}
	return rakp3{Tag: b[0], Status: b[1], BMCID: binary.LittleEndian.Uint32(b[4:8]), AuthCode: b[8:]}, nil
}

// rakp4 is payload type 0x15.
type rakp4 struct {
	Tag       uint8
	Status    uint8
	ConsoleID uint32
	ICV       []byte // integrity check value
}

func (m *rakp4) append(b []byte) []byte {
	b = append(b, m.Tag, m.Status, 0, 0)
	b = binary.LittleEndian.AppendUint32(b, m.ConsoleID)
	return append(b, m.ICV...)
}

func parseRAKP4(b []byte) (rakp4, error) {
	const what = "RAKP Message 4"
	var m rakp4
	if len(b) < 2 {
		return m, formatErr(what, len(b), "%d bytes, need at least 2", len(b))
	}
	m.Tag, m.Status = b[0], b[1]
	if m.Status != 0 {
		if len(b) >= 8 {
			m.ConsoleID = binary.LittleEndian.Uint32(b[4:8])
		}
		return m, nil
	}
	if len(b) < 8 {
		return m, formatErr(what, len(b), "%d bytes, need at least 8", len(b))
	}
	m.ConsoleID = binary.LittleEndian.Uint32(b[4:8])
	m.ICV = b[8:]
	return m, nil
}
