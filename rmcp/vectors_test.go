package rmcp

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"testing"
)

// Published MD2 vectors (RFC 1319 appendix A.5).
func TestMD2RFC1319(t *testing.T) {
	for in, want := range map[string]string{
		"":                           "8350e5a3e24c153df2275c9f80692773",
		"a":                          "32ec01ec4a6dac72c0ab96fb34c0b5d1",
		"abc":                        "da853b0d3f88d99b30283a69e6ded6bb",
		"message digest":             "ab4f496bfb2a530b219ff33031fe06b0",
		"abcdefghijklmnopqrstuvwxyz": "4e8ddff3650292ab5a4108c3aa47940b",
		"12345678901234567890123456789012345678901234567890123456789012345678901234567890": "d5976f79d83d3a0dc9806c3c66f3efd8",
	} {
		var d md2
		d.Write([]byte(in))
		got := d.Sum()
		if hex.EncodeToString(got[:]) != want {
			t.Errorf("MD2(%q) = %x, want %s", in, got, want)
		}
	}
}

// The v1.5 MD5 auth code is MD5(pw16 | id | msg | seq | pw16), with the
// 32-bit fields little-endian (IPMI v2.0 section 22.17.1).
func TestAuthCode15MD5(t *testing.T) {
	var pw [16]byte
	copy(pw[:], "password")
	msg := []byte{0x20, 0x18, 0xc8, 0x81, 0x04, 0x3b, 0x04, 0x3c}
	var want bytes.Buffer
	want.Write(pw[:])
	want.Write([]byte{0x78, 0x56, 0x34, 0x12})
	want.Write(msg)
	want.Write([]byte{0x04, 0x03, 0x02, 0x01})
	want.Write(pw[:])
	sum := md5.Sum(want.Bytes())
	got, ok := authCode15(AuthTypeMD5, &pw, 0x12345678, 0x01020304, msg)
	if !ok || got != sum {
		t.Errorf("MD5 auth code %x, want %x", got, sum)
	}
	got, _ = authCode15(AuthTypePassword, &pw, 1, 2, msg)
	if got != pw {
		t.Errorf("straight password auth code %x", got)
	}
	var d md2
	d.Write(want.Bytes())
	if got, _ = authCode15(AuthTypeMD2, &pw, 0x12345678, 0x01020304, msg); got != d.Sum() {
		t.Errorf("MD2 auth code mismatch")
	}
	if _, ok := authCode15(AuthTypeOEM, &pw, 1, 2, msg); ok {
		t.Error("OEM auth type accepted")
	}
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func refHMAC(h func() hash.Hash, key []byte, parts ...[]byte) []byte {
	m := hmac.New(h, key)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// The RAKP values, laid out byte by byte from IPMI v2.0 section 13.31 and
// computed with crypto/hmac directly.
func TestRAKPKeyDerivation(t *testing.T) {
	p := rakpParams{
		ConsoleID: 0xa0a2a3a4, BMCID: 0x02000000, Role: 0x14, User: []byte("admin"),
	}
	copy(p.ConsoleRand[:], mustHex(t, "000102030405060708090a0b0c0d0e0f"))
	copy(p.BMCRand[:], mustHex(t, "f0e0d0c0b0a090807060504030201000"))
	copy(p.BMCGUID[:], mustHex(t, "a1a2a3a4b1b2c1c2d1d2e1e2e3e4e5e6"))
	kuid := []byte("password")
	kg := []byte("bmckey-0123456789abc")
	sidm := mustHex(t, "a4a3a2a0")
	sidc := mustHex(t, "00000002")
	rm, rc, guid := p.ConsoleRand[:], p.BMCRand[:], p.BMCGUID[:]
	role := []byte{0x14, 5, 'a', 'd', 'm', 'i', 'n'}
	ones := bytes.Repeat([]byte{1}, 20)
	twos := bytes.Repeat([]byte{2}, 20)

	for _, tc := range []struct {
		alg uint8
		h   func() hash.Hash
		icv int
	}{{AuthRAKPHMACSHA1, sha1.New, 12}, {AuthRAKPHMACMD5, md5.New, 16}, {AuthRAKPHMACSHA256, sha256.New, 16}} {
		a := authAlgs[tc.alg]
		if got, want := p.rakp2AuthCode(a, kuid), refHMAC(tc.h, kuid, sidm, sidc, rm, rc, guid, role); !bytes.Equal(got, want) {
			t.Errorf("%s RAKP2 = %x, want %x", a.Name, got, want)
		}
		if got, want := p.rakp3AuthCode(a, kuid), refHMAC(tc.h, kuid, rc, sidm, role); !bytes.Equal(got, want) {
			t.Errorf("%s RAKP3 = %x, want %x", a.Name, got, want)
		}
		sik := refHMAC(tc.h, kg, rm, rc, role)
		if got := p.sik(a, kg); !bytes.Equal(got, sik) {
			t.Errorf("%s SIK = %x, want %x", a.Name, got, sik)
		}
		if got, want := p.rakp4ICV(a, sik), refHMAC(tc.h, sik, rm, sidc, guid)[:tc.icv]; !bytes.Equal(got, want) {
			t.Errorf("%s RAKP4 ICV = %x, want %x", a.Name, got, want)
		}
		if got, want := deriveK(a, sik, 1), refHMAC(tc.h, sik, ones); !bytes.Equal(got, want) {
			t.Errorf("%s K1 = %x, want %x", a.Name, got, want)
		}
		if got, want := deriveK(a, sik, 2), refHMAC(tc.h, sik, twos); !bytes.Equal(got, want) {
			t.Errorf("%s K2 = %x, want %x", a.Name, got, want)
		}
	}
	if authAlgs[AuthRAKPNone].mac(kuid, rm) != nil || p.rakp4ICV(authAlgs[AuthRAKPNone], nil) != nil {
		t.Error("RAKP-none produced an auth code")
	}
}

// A published HMAC-SHA1 value (RFC 2202 test case 2) through the
// integrity table, truncated to 96 bits.
func TestIntegrityVectors(t *testing.T) {
	data := []byte("what do ya want for nothing?")
	key := []byte("Jefe")
	got := integrityAlgs[IntegrityHMACSHA1_96].New(key, nil)(nil, data)
	if want := "effcdf6ae5eb2fa2d27416d5"; hex.EncodeToString(got) != want {
		t.Errorf("HMAC-SHA1-96 = %x, want %s", got, want)
	}
	got = integrityAlgs[IntegrityHMACMD5_128].New(key, nil)(nil, data)
	if want := "750c783e6ab0b503eaa86e310a5db738"; hex.EncodeToString(got) != want { // RFC 2104/2202
		t.Errorf("HMAC-MD5-128 = %x, want %s", got, want)
	}
	got = integrityAlgs[IntegrityHMACSHA256128].New(key, nil)(nil, data)
	if want := "5bdcc146bf60754e6a042426089575c7"; hex.EncodeToString(got) != want { // RFC 4231 case 2
		t.Errorf("HMAC-SHA256-128 = %x, want %s", got, want)
	}
	pw := make([]byte, 20)
	copy(pw, "secret")
	ref := md5.Sum(append(append(append([]byte(nil), pw...), data...), pw...))
	if got = integrityAlgs[IntegrityMD5_128].New(nil, []byte("secret"))(nil, data); !bytes.Equal(got, ref[:]) {
		t.Errorf("MD5-128 = %x, want %x", got, ref)
	}
}

// zeroReader gives a fixed IV.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestAESPadding(t *testing.T) {
	k2 := bytes.Repeat([]byte{0x42}, 20)
	c, err := newAESCBC(k2)
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n <= 40; n++ {
		plain := bytes.Repeat([]byte{0xAB}, n)
		ct, err := c.seal(nil, plain, zeroReader{})
		if err != nil {
			t.Fatal(err)
		}
		// Reference: pad 1,2,3.. then the pad length, to whole blocks.
		pad := (16 - (n+1)%16) % 16
		ref := append([]byte(nil), plain...)
		for i := 1; i <= pad; i++ {
			ref = append(ref, byte(i))
		}
		ref = append(ref, byte(pad))
		blk, _ := aes.NewCipher(k2[:16])
		want := make([]byte, len(ref))
		cipher.NewCBCEncrypter(blk, make([]byte, 16)).CryptBlocks(want, ref)
		if !bytes.Equal(ct[:16], make([]byte, 16)) || !bytes.Equal(ct[16:], want) {
			t.Fatalf("n=%d: ciphertext mismatch", n)
		}
		got, err := c.open(append([]byte(nil), ct...))
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("n=%d: open = %x, %v", n, got, err)
		}
	}
	// A bad pad byte or pad length is refused, not a panic.
	blk, _ := aes.NewCipher(k2[:16])
	for _, last := range [][]byte{
		append(bytes.Repeat([]byte{0}, 13), 1, 3, 2), // pad bytes out of order
		append(bytes.Repeat([]byte{0}, 15), 16),      // pad length too large
		append(bytes.Repeat([]byte{0}, 15), 0xFF),
	} {
		ct := make([]byte, 32)
		cipher.NewCBCEncrypter(blk, ct[:16]).CryptBlocks(ct[16:], last)
		if _, err := c.open(ct); err == nil {
			t.Errorf("bad padding %x accepted", last)
		}
	}
	for _, n := range []int{0, 15, 16, 17, 31} {
		if _, err := c.open(make([]byte, n)); err == nil {
			t.Errorf("%d-byte ciphertext accepted", n)
		}
	}
}

// An RMCP+ packet sealed by one halfConn opens in a peer halfConn with
// the same keys, and any flipped bit is dropped as an integrity failure.
func TestSealOpenTamper(t *testing.T) {
	for _, id := range []uint8{1, 2, 3, 6, 7, 8, 11, 12, 15, 16, 17} {
		cs := cipherSuites[id]
		a := authAlgs[cs.Auth]
		sik := a.mac([]byte("k"), []byte("sik"))
		mk := func(sid uint32) *halfConn {
			hc := &halfConn{id: sid, active: true, integ: integrityAlgs[cs.Integrity]}
			if f := integrityAlgs[cs.Integrity].New; f != nil {
				hc.mac = f(deriveK(a, sik, 1), []byte("password"))
			}
			if f := confAlgs[cs.Crypto].New; f != nil {
				hc.cipher, _ = f(deriveK(a, sik, 2))
			}
			return hc
		}
		out, in := mk(7), mk(7)
		payload := []byte("hello, BMC")
		pkt, err := out.seal20(nil, PayloadSOL, payload, zeroReader{})
		if err != nil {
			t.Fatal(err)
		}
		h, got, err := in.open20(append([]byte(nil), pkt...))
		if err != nil || !bytes.Equal(got, payload) || h.PayloadType != PayloadSOL {
			t.Fatalf("suite %d: open = %q, %v", id, got, err)
		}
		if _, _, err := in.open20(append([]byte(nil), pkt...)); err != errDropSequence {
			t.Errorf("suite %d: replay gave %v, want a sequence drop", id, err)
		}
		if out.mac == nil {
			continue
		}
		for i := 4; i < len(pkt); i++ {
			bad := append([]byte(nil), pkt...)
			bad[i] ^= 0x01
			if _, _, err := mk(7).open20(bad); err != errDropIntegrity {
				t.Fatalf("suite %d: flipped byte %d gave %v", id, i, err)
			}
		}
	}
}

func TestSequenceWindow(t *testing.T) {
	hc := &halfConn{active: true}
	steps := []struct {
		seq uint32
		ok  bool
	}{
		{100, true}, {100, false}, {101, true}, {99, true}, {99, false}, {103, true}, {102, true},
		{103 - seqWindowBack, false}, {103 + seqWindowForward + 1, false}, {103 + seqWindowForward, true},
		{103, false}, // now far behind the window
	}
	for i, s := range steps {
		if got := hc.checkSeq(s.seq); got != s.ok {
			t.Errorf("step %d: seq %d accepted=%v, want %v", i, s.seq, got, s.ok)
		}
	}
	// Wrap-around: 0xFFFFFFFF then 1 is a forward step of 2.
	hc = &halfConn{active: true}
	if !hc.checkSeq(0xFFFFFFFF) || !hc.checkSeq(1) || hc.checkSeq(0xFFFFFFFF) {
		t.Error("wrap-around handling")
	}
}
