package ipmi

import (
	"reflect"
	"testing"
)

func TestDecodeAuthCapabilities(t *testing.T) {
	// ipmi_sim channel 1: v2.0 extended, MD5 + straight + MD2 + none;
	// per-message auth on, non-null users, IPMI 1.5 and 2.0.
	c, err := DecodeAuthCapabilities([]byte{0x01, 0x97, 0x04, 0x03, 0, 0, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	want := &AuthCapabilities{Channel: 1, AuthTypes: 0x17, ExtendedCaps: true, PerMessageAuth: true,
		UserLevelAuth: true, NonNullUsers: true, IPMI15: true, IPMI20: true}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got %+v\nwant %+v", c, want)
	}
	if _, err := DecodeAuthCapabilities([]byte{1, 2, 3}); err == nil {
		t.Error("short response accepted")
	}
}

func TestDecodeCipherSuiteRecords(t *testing.T) {
	recs := []byte{
		0xC0, 0x00, 0x00, 0x40, 0x80, // suite 0
		0xC0, 0x03, 0x01, 0x41, 0x81, // suite 3
		0xC1, 0x50, 0xA2, 0x02, 0x00, 0x03, 0x44, 0x81, // OEM suite 0x50, IANA 674
	}
	got, err := DecodeCipherSuiteRecords(recs)
	if err != nil {
		t.Fatal(err)
	}
	want := []CipherSuite{
		{ID: 0, Auth: []uint8{0}, Integrity: []uint8{0}, Confidentiality: []uint8{0}},
		{ID: 3, Auth: []uint8{1}, Integrity: []uint8{1}, Confidentiality: []uint8{1}},
		{ID: 0x50, OEM: true, IANA: 674, Auth: []uint8{3}, Integrity: []uint8{4}, Confidentiality: []uint8{1}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if _, err := DecodeCipherSuiteRecords([]byte{0x12}); err == nil {
		t.Error("record without a start byte accepted")
	}
	if s, err := DecodeCipherSuiteRecords([]byte{0xC0, 0x01, 0x01, 0xC1, 0x02}); err == nil || len(s) != 1 {
		t.Errorf("truncated OEM record: %v, %d suites", err, len(s))
	}
	r, more, err := DecodeCipherSuitesChunk(append([]byte{1}, make([]byte, 16)...))
	if err != nil || !more || len(r) != 16 {
		t.Errorf("full chunk: %d bytes more=%v err=%v", len(r), more, err)
	}
	if r, more, _ = DecodeCipherSuitesChunk([]byte{1, 0xC0}); more || len(r) != 1 {
		t.Errorf("last chunk: %d bytes more=%v", len(r), more)
	}
}

func FuzzDecodeCipherSuiteRecords(f *testing.F) {
	f.Add([]byte{0xC0, 0x03, 0x01, 0x41, 0x81, 0xC0, 0x11, 0x03, 0x44, 0x81})
	f.Add([]byte{0xC1, 0x50, 0xA2, 0x02, 0x00, 0x03})
	f.Add([]byte{0xC1})
	f.Fuzz(func(t *testing.T, b []byte) {
		suites, _ := DecodeCipherSuiteRecords(b)
		if len(suites) > len(b)/2 {
			t.Fatalf("%d suites from %d bytes", len(suites), len(b))
		}
		DecodeCipherSuitesChunk(b)
		DecodeAuthCapabilities(b)
	})
}
