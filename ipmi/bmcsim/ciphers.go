package bmcsim

import (
	"github.com/ipmictl/ipmictl/ipmi"
)

// cipherSuite is one advertised RMCP+ cipher suite (IPMI v2.0 table 22-20):
// authentication, integrity and confidentiality algorithm numbers.
type cipherSuite struct {
	id, auth, integrity, confidentiality uint8
}

// advertisedSuites are the suites the simulated BMC lists and accepts.
var advertisedSuites = []cipherSuite{
	{0, 0, 0, 0}, {1, 1, 0, 0}, {2, 1, 1, 0}, {3, 1, 1, 1},
	{6, 2, 0, 0}, {7, 2, 2, 0}, {8, 2, 2, 1},
	{11, 2, 3, 0}, {12, 2, 3, 1},
	{15, 3, 0, 0}, {16, 3, 4, 0}, {17, 3, 4, 1},
}

// cipherRecords is the Get Channel Cipher Suites record list: per suite
// C0h, ID, then the three algorithm bytes tagged 00h/40h/80h.
func cipherRecords() []byte {
	out := make([]byte, 0, 5*len(advertisedSuites))
	for _, cs := range advertisedSuites {
		out = append(out, 0xC0, cs.id, cs.auth, 0x40|cs.integrity, 0x80|cs.confidentiality)
	}
	return out
}

func (b *BMC) getChannelCipherSuites(s *SessionInfo, data []byte) *ipmi.Response {
	if len(data) != 3 {
		return fail(ipmi.CodeRequestLengthInvalid)
	}
	ch := b.resolveChannel(data[0]&0x0F, s)
	if ch != lanChannel {
		return fail(ipmi.CodeInvalidDataField)
	}
	if data[1] > 1 {
		return fail(ipmi.CodeInvalidDataField) // IPMI and SOL payloads only
	}
	recs := cipherRecords()
	if data[2]&0x80 == 0 {
		// "Supported algorithms" listing: the distinct algorithm bytes.
		recs = algorithmList()
	}
	idx := int(data[2]&0x3F) * 16
	if idx > len(recs) {
		return fail(ipmi.CodeParameterOutOfRange)
	}
	end := min(idx+16, len(recs))
	return ok(append([]byte{ch}, recs[idx:end]...)...)
}

func algorithmList() []byte {
	seen := map[uint8]bool{}
	var out []byte
	for _, cs := range advertisedSuites {
		for _, a := range []uint8{cs.auth, 0x40 | cs.integrity, 0x80 | cs.confidentiality} {
			if !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	return out
}

// SuiteMaxPrivilege returns the highest privilege a session on cipher
// suite id may have (LAN parameter 24), or false when the suite is not
// offered at all.
func (b *BMC) SuiteMaxPrivilege(id uint8) (ipmi.Privilege, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, cs := range advertisedSuites {
		if cs.id == id {
			p := ipmi.Privilege(b.lan.suitePrivs[i])
			return p, p >= ipmi.PrivilegeCallback && p <= ipmi.PrivilegeOEM
		}
	}
	return 0, false
}

// AuthTypeEnabled reports whether IPMI 1.5 authentication type t (1 MD2,
// 2 MD5, 4 straight password) may be used at privilege p.
func (b *BMC) AuthTypeEnabled(t uint8, p ipmi.Privilege) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if p < ipmi.PrivilegeCallback || p > ipmi.PrivilegeOEM || t > 5 {
		return false
	}
	return b.lan.authEnables[p-1]&(1<<t) != 0
}
