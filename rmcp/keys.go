package rmcp

import "encoding/binary"

// rakpParams are the values both RAKP parties feed into the key
// exchange auth codes and the session keys (IPMI v2.0 section 13.31).
type rakpParams struct {
	ConsoleID   uint32   // SIDm: remote console session ID
	BMCID       uint32   // SIDc: managed system session ID
	ConsoleRand [16]byte // Rm
	BMCRand     [16]byte // Rc
	BMCGUID     [16]byte // GUIDc
	Role        uint8    // ROLEm: the whole RAKP 1 privilege byte (lookup bit included)
	User        []byte   // UNAMEm (0-16 bytes)
}

func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// userField is ULENGTHm | UNAMEm.
func (p *rakpParams) userField() []byte {
	return append([]byte{uint8(len(p.User))}, p.User...)
}

// rakp2AuthCode = HMAC_Kuid(SIDm, SIDc, Rm, Rc, GUIDc, ROLEm, ULENm, UNAMEm).
func (p *rakpParams) rakp2AuthCode(a *authAlg, kuid []byte) []byte {
	return a.mac(kuid, le32(p.ConsoleID), le32(p.BMCID), p.ConsoleRand[:], p.BMCRand[:],
		p.BMCGUID[:], []byte{p.Role}, p.userField())
}

// rakp3AuthCode = HMAC_Kuid(Rc, SIDm, ROLEm, ULENm, UNAMEm).
func (p *rakpParams) rakp3AuthCode(a *authAlg, kuid []byte) []byte {
	return a.mac(kuid, p.BMCRand[:], le32(p.ConsoleID), []byte{p.Role}, p.userField())
}

// sik = HMAC_Kg(Rm, Rc, ROLEm, ULENm, UNAMEm); Kg is the password when
// the BMC has no K_g set.
func (p *rakpParams) sik(a *authAlg, kg []byte) []byte {
	return a.mac(kg, p.ConsoleRand[:], p.BMCRand[:], []byte{p.Role}, p.userField())
}

// rakp4ICV = HMAC_SIK(Rm, SIDc, GUIDc) truncated to the algorithm's ICV
// length.
func (p *rakpParams) rakp4ICV(a *authAlg, sik []byte) []byte {
	m := a.mac(sik, p.ConsoleRand[:], le32(p.BMCID), p.BMCGUID[:])
	if m == nil {
		return nil
	}
	return m[:a.ICVLen]
}

// deriveK returns K_n = HMAC_SIK(20 bytes of n): K1 keys integrity, K2
// confidentiality (section 13.32). ipmitool and OpenIPMI use a 20-byte
// constant for every algorithm, SHA-256 included.
func deriveK(a *authAlg, sik []byte, n byte) []byte {
	var c [20]byte
	for i := range c {
		c[i] = n
	}
	return a.mac(sik, c[:])
}
