package rmcp

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"hash"
	"io"
)

// The algorithm tables, keyed by the numbers IPMI v2.0 gives them
// (tables 13-17, 13-18, 13-19 and 22-20). Everything else looks
// algorithms up here instead of switching on numbers.

// Authentication (RAKP) algorithm numbers.
const (
	AuthRAKPNone       = 0x00
	AuthRAKPHMACSHA1   = 0x01
	AuthRAKPHMACMD5    = 0x02
	AuthRAKPHMACSHA256 = 0x03
)

// Integrity algorithm numbers.
const (
	IntegrityNone          = 0x00
	IntegrityHMACSHA1_96   = 0x01
	IntegrityHMACMD5_128   = 0x02
	IntegrityMD5_128       = 0x03
	IntegrityHMACSHA256128 = 0x04
)

// Confidentiality algorithm numbers.
const (
	ConfNone      = 0x00
	ConfAESCBC128 = 0x01
	ConfXRC4_128  = 0x02
	ConfXRC4_40   = 0x03
)

// authAlg is a RAKP authentication algorithm.
type authAlg struct {
	ID     uint8
	Name   string
	Hash   func() hash.Hash // nil for RAKP-none
	ICVLen int              // RAKP 4 integrity check value length
}

// mac returns HMAC_key(parts...) or nil for RAKP-none.
func (a *authAlg) mac(key []byte, parts ...[]byte) []byte {
	if a.Hash == nil {
		return nil
	}
	h := hmac.New(a.Hash, key)
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

var authAlgs = map[uint8]*authAlg{
	AuthRAKPNone:       {ID: AuthRAKPNone, Name: "none"},
	AuthRAKPHMACSHA1:   {ID: AuthRAKPHMACSHA1, Name: "hmac_sha1", Hash: sha1.New, ICVLen: 12},
	AuthRAKPHMACMD5:    {ID: AuthRAKPHMACMD5, Name: "hmac_md5", Hash: md5.New, ICVLen: 16},
	AuthRAKPHMACSHA256: {ID: AuthRAKPHMACSHA256, Name: "hmac_sha256", Hash: sha256.New, ICVLen: 16},
}

// macFunc appends the auth code over data to dst. Implementations may
// keep state and are not safe for concurrent use.
type macFunc func(dst, data []byte) []byte

// integrityAlg is a per-packet integrity algorithm.
type integrityAlg struct {
	ID      uint8
	Name    string
	CodeLen int // auth code bytes on the wire
	// New returns the MAC keyed with K1 (HMAC algorithms) or the 20-byte
	// zero-padded password (MD5-128).
	New func(k1, password []byte) macFunc
}

func hmacTrunc(h func() hash.Hash, n int) func(k1, _ []byte) macFunc {
	return func(k1, _ []byte) macFunc {
		m := hmac.New(h, k1)
		var sum [sha256.Size]byte
		return func(dst, data []byte) []byte {
			m.Reset()
			m.Write(data)
			return append(dst, m.Sum(sum[:0])[:n]...)
		}
	}
}

// md5128 is MD5(password | data | password) with a 20-byte password
// (OpenIPMI lib/md5.c, IPMI v2.0 section 13.28.4).
func md5128(_, password []byte) macFunc {
	var pw [20]byte
	copy(pw[:], password)
	return func(dst, data []byte) []byte {
		h := md5.New()
		h.Write(pw[:])
		h.Write(data)
		h.Write(pw[:])
		return h.Sum(dst)
	}
}

var integrityAlgs = map[uint8]*integrityAlg{
	IntegrityNone:          {ID: IntegrityNone, Name: "none"},
	IntegrityHMACSHA1_96:   {ID: IntegrityHMACSHA1_96, Name: "hmac_sha1_96", CodeLen: 12, New: hmacTrunc(sha1.New, 12)},
	IntegrityHMACMD5_128:   {ID: IntegrityHMACMD5_128, Name: "hmac_md5_128", CodeLen: 16, New: hmacTrunc(md5.New, 16)},
	IntegrityMD5_128:       {ID: IntegrityMD5_128, Name: "md5_128", CodeLen: 16, New: md5128},
	IntegrityHMACSHA256128: {ID: IntegrityHMACSHA256128, Name: "sha256_128", CodeLen: 16, New: hmacTrunc(sha256.New, 16)},
}

// payloadCipher encrypts and decrypts one payload.
type payloadCipher interface {
	// seal appends the encrypted form of plain to dst.
	seal(dst, plain []byte, rand io.Reader) ([]byte, error)
	// open decrypts ct in place and returns the plaintext (aliasing ct).
	open(ct []byte) ([]byte, error)
}

// confAlg is a confidentiality algorithm.
type confAlg struct {
	ID   uint8
	Name string
	New  func(k2 []byte) (payloadCipher, error) // nil for none
}

var confAlgs = map[uint8]*confAlg{
	ConfNone:      {ID: ConfNone, Name: "none"},
	ConfAESCBC128: {ID: ConfAESCBC128, Name: "aes_cbc_128", New: newAESCBC},
}

// aesCBC is AES-CBC-128 as RMCP+ uses it (IPMI v2.0 section 13.29): a
// random 16-byte IV in clear, then the payload, pad bytes 1, 2, 3, ...
// and the pad length, encrypted with the first 16 bytes of K2.
// An aesCBC belongs to one halfConn (one direction), so it may keep its
// CBC modes and reset their IV per packet instead of allocating.
type aesCBC struct {
	b        cipher.Block
	enc, dec cipher.BlockMode
}

type ivSetter interface{ SetIV([]byte) }

// mode returns *m with iv, reusing it when the mode supports SetIV.
func (c *aesCBC) mode(m *cipher.BlockMode, iv []byte, newMode func(cipher.Block, []byte) cipher.BlockMode) cipher.BlockMode {
	if *m != nil {
		if s, ok := (*m).(ivSetter); ok {
			s.SetIV(iv)
			return *m
		}
	}
	*m = newMode(c.b, iv)
	return *m
}

func newAESCBC(k2 []byte) (payloadCipher, error) {
	if len(k2) < 16 {
		return nil, errors.New("rmcp: K2 shorter than 16 bytes")
	}
	b, err := aes.NewCipher(k2[:16])
	if err != nil {
		return nil, err
	}
	return &aesCBC{b: b}, nil
}

// aesPadLen is the number of pad bytes so that data, pad and the pad
// length byte fill whole blocks.
func aesPadLen(n int) int { return (aes.BlockSize - (n+1)%aes.BlockSize) % aes.BlockSize }

func (c *aesCBC) seal(dst, plain []byte, rand io.Reader) ([]byte, error) {
	pad := aesPadLen(len(plain))
	total := aes.BlockSize + len(plain) + pad + 1
	start := len(dst)
	dst = append(dst, make([]byte, total)...)
	out := dst[start:]
	iv := out[:aes.BlockSize]
	if _, err := io.ReadFull(rand, iv); err != nil {
		return nil, err
	}
	body := out[aes.BlockSize:]
	copy(body, plain)
	for i := 0; i < pad; i++ {
		body[len(plain)+i] = byte(i + 1)
	}
	body[len(body)-1] = byte(pad)
	c.mode(&c.enc, iv, cipher.NewCBCEncrypter).CryptBlocks(body, body)
	return dst, nil
}

func (c *aesCBC) open(ct []byte) ([]byte, error) {
	const what = "AES-CBC-128 payload"
	if len(ct) < 2*aes.BlockSize || len(ct)%aes.BlockSize != 0 {
		return nil, formatErr(what, 0, "length %d is not an IV and whole blocks", len(ct))
	}
	body := ct[aes.BlockSize:]
	c.mode(&c.dec, ct[:aes.BlockSize], cipher.NewCBCDecrypter).CryptBlocks(body, body)
	pad := int(body[len(body)-1])
	if pad >= aes.BlockSize || pad+1 > len(body) {
		return nil, formatErr(what, len(ct)-1, "pad length %d", pad)
	}
	n := len(body) - 1 - pad
	for i := 0; i < pad; i++ {
		if body[n+i] != byte(i+1) {
			return nil, formatErr(what, aes.BlockSize+n+i, "bad pad byte")
		}
	}
	return body[:n], nil
}

// cipherSuite is one IPMI cipher suite: a combination of the three.
type cipherSuite struct {
	ID                      uint8
	Auth, Integrity, Crypto uint8
}

// cipherSuites lists the standard suites (IPMI v2.0 table 22-20).
var cipherSuites = map[uint8]cipherSuite{
	0:  {0, AuthRAKPNone, IntegrityNone, ConfNone},
	1:  {1, AuthRAKPHMACSHA1, IntegrityNone, ConfNone},
	2:  {2, AuthRAKPHMACSHA1, IntegrityHMACSHA1_96, ConfNone},
	3:  {3, AuthRAKPHMACSHA1, IntegrityHMACSHA1_96, ConfAESCBC128},
	4:  {4, AuthRAKPHMACSHA1, IntegrityHMACSHA1_96, ConfXRC4_128},
	5:  {5, AuthRAKPHMACSHA1, IntegrityHMACSHA1_96, ConfXRC4_40},
	6:  {6, AuthRAKPHMACMD5, IntegrityNone, ConfNone},
	7:  {7, AuthRAKPHMACMD5, IntegrityHMACMD5_128, ConfNone},
	8:  {8, AuthRAKPHMACMD5, IntegrityHMACMD5_128, ConfAESCBC128},
	9:  {9, AuthRAKPHMACMD5, IntegrityHMACMD5_128, ConfXRC4_128},
	10: {10, AuthRAKPHMACMD5, IntegrityHMACMD5_128, ConfXRC4_40},
	11: {11, AuthRAKPHMACMD5, IntegrityMD5_128, ConfNone},
	12: {12, AuthRAKPHMACMD5, IntegrityMD5_128, ConfAESCBC128},
	13: {13, AuthRAKPHMACMD5, IntegrityMD5_128, ConfXRC4_128},
	14: {14, AuthRAKPHMACMD5, IntegrityMD5_128, ConfXRC4_40},
	15: {15, AuthRAKPHMACSHA256, IntegrityNone, ConfNone},
	16: {16, AuthRAKPHMACSHA256, IntegrityHMACSHA256128, ConfNone},
	17: {17, AuthRAKPHMACSHA256, IntegrityHMACSHA256128, ConfAESCBC128},
	18: {18, AuthRAKPHMACSHA256, IntegrityHMACSHA256128, ConfXRC4_128},
	19: {19, AuthRAKPHMACSHA256, IntegrityHMACSHA256128, ConfXRC4_40},
}

// suitePreference is the order Dial tries suites in when it chooses:
// only suites with integrity and encryption (AES-CBC-128), strongest
// RAKP and integrity hash first: SHA-256 (17), SHA-1 (3), HMAC-MD5 (8),
// then the keyed MD5 digest (12). Integrity-only suites are used only when
// named (Config.CipherSuite), suites without integrity only when named and
// Config.AllowInsecure is set; suite 0 likewise.
var suitePreference = []uint8{17, 3, 8, 12}

// speculativeSuites are proposed at first contact without asking for the
// BMC's suite list: almost every BMC takes one of them (17 on current
// ones, 3 on older ones and ipmi_sim), so the list, which costs one or
// more round trips and which some BMCs never answer, is only read when
// both are refused.
var speculativeSuites = suitePreference[:2]

// autoSuite reports whether Dial may choose suite id by itself (and take
// it as a hint): it has integrity and encryption and is implemented.
func autoSuite(id int) bool {
	if id < 0 || id > 255 {
		return false
	}
	cs, ok := cipherSuites[uint8(id)]
	return ok && cs.supported() && cs.Integrity != IntegrityNone && cs.Crypto != ConfNone
}

// supported reports whether every algorithm of s is implemented here.
func (s cipherSuite) supported() bool {
	return authAlgs[s.Auth] != nil && integrityAlgs[s.Integrity] != nil && confAlgs[s.Crypto] != nil
}

// SupportedCipherSuites returns the suite IDs this package implements.
func SupportedCipherSuites() []int {
	var ids []int
	for id := 0; id < 20; id++ {
		if s, ok := cipherSuites[uint8(id)]; ok && s.supported() {
			ids = append(ids, id)
		}
	}
	return ids
}

// SuiteHasIntegrity reports whether cipher suite id protects packets with
// an integrity code. Suites without one (0, 1, 6, 15) let anyone on the
// path forge commands and answers; Dial takes them only when named and
// allowed (Config.AllowInsecure).
func SuiteHasIntegrity(id int) bool {
	if id < 0 || id > 255 {
		return false
	}
	cs, ok := cipherSuites[uint8(id)]
	return ok && cs.Integrity != IntegrityNone
}
