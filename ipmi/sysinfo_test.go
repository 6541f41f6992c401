package ipmi

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// sysInfoBMC keeps system info strings the way a BMC does, in 16-byte sets.
type sysInfoBMC struct {
	params map[uint8][]byte // encoding, length, string: the whole parameter
	sent   []*Request
}

func (b *sysInfoBMC) Send(ctx context.Context, r *Request) (*Response, error) {
	b.sent = append(b.sent, r)
	switch r.Cmd {
	case CmdGetSystemInfoParams:
		full, ok := b.params[r.Data[1]]
		if !ok {
			return &Response{Code: 0x80}, nil
		}
		set := int(r.Data[2])
		blk := make([]byte, 16)
		if set*16 < len(full) {
			copy(blk, full[set*16:])
		}
		return &Response{Data: append([]byte{0x11, byte(set)}, blk...)}, nil
	case CmdSetSystemInfoParams:
		p, set := r.Data[0], int(r.Data[1])
		full := b.params[p]
		for len(full) < (set+1)*16 {
			full = append(full, 0)
		}
		copy(full[set*16:], r.Data[2:])
		b.params[p] = full
		return &Response{}, nil
	}
	return &Response{Code: CodeInvalidCommand}, nil
}
func (b *sysInfoBMC) Close() error { return nil }

func TestSystemInfoStringRoundTrip(t *testing.T) {
	for _, s := range []string{"", "short", "exactly 14 byt", "fifteen bytes!!", strings.Repeat("x", 46), strings.Repeat("y", 62)} {
		bmc := &sysInfoBMC{params: map[uint8][]byte{}}
		c := NewClient(bmc)
		if err := c.SetSystemInfoString(context.Background(), SysInfoOSName, SysInfoASCII, []byte(s), 4); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		wantSets := max((len(s)+2+15)/16, 1)
		if len(bmc.sent) != wantSets {
			t.Errorf("%q: %d set requests, want %d", s, len(bmc.sent), wantSets)
		}
		for _, r := range bmc.sent {
			if len(r.Data) != 18 {
				t.Errorf("%q: request of %d bytes, ipmitool sends 18", s, len(r.Data))
			}
		}
		bmc.sent = nil
		got, err := c.GetSystemInfoString(context.Background(), SysInfoOSName, 4)
		if err != nil || string(got.Data) != s || got.Length != len(s) || got.Encoding != SysInfoASCII {
			t.Errorf("%q: got %+v %v", s, got, err)
		}
		if len(bmc.sent) != wantSets {
			t.Errorf("%q: %d get requests, want %d", s, len(bmc.sent), wantSets)
		}
	}
	if _, err := EncodeSystemInfoSets(SysInfoDellURL, 0, bytes.Repeat([]byte("u"), 31), 2); err == nil {
		t.Error("31 bytes fit in two sets")
	}
}

func TestSystemInfoNonASCIIReadsMaxSets(t *testing.T) {
	full := append([]byte{SysInfoUTF16, 6}, 'h', 0, 'i', 0, '!', 0)
	bmc := &sysInfoBMC{params: map[uint8][]byte{SysInfoSystemName: full}}
	got, err := NewClient(bmc).GetSystemInfoString(context.Background(), SysInfoSystemName, 4)
	if err != nil || !bytes.Equal(got.Data, []byte{'h', 0, 'i', 0, '!', 0}) || got.Encoding != SysInfoUTF16 {
		t.Errorf("%+v %v", got, err)
	}
	if len(bmc.sent) != 1 {
		t.Errorf("%d requests for a string complete in set 0", len(bmc.sent))
	}
}

func TestSystemInfoAssemblerLiesAboutLength(t *testing.T) {
	// A declared length of 255 with ASCII encoding stops after 16 sets.
	a := NewSystemInfoAssembler(4)
	more, err := a.Add(append([]byte{0, 255}, bytes.Repeat([]byte{'a'}, 14)...))
	n := 1
	for ; more && err == nil; n++ {
		more, err = a.Add(bytes.Repeat([]byte{'b'}, 16))
	}
	if err != nil || n != 16 || len(a.Result().Data) != 14+15*16 {
		t.Errorf("%d sets, %d bytes, %v", n, len(a.Result().Data), err)
	}
	if _, err := NewSystemInfoAssembler(4).Add([]byte{0}); err == nil {
		t.Error("set 0 without a length accepted")
	}
}

func FuzzSystemInfoAssembler(f *testing.F) {
	f.Add([]byte{0x11, 0x00, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o'}, 4)
	f.Add([]byte{0x11, 0x00, 0x02, 0xff}, 2)
	f.Add([]byte{0x11}, 1)
	f.Fuzz(func(t *testing.T, b []byte, maxSets int) {
		blk, err := DecodeSystemInfoBlock(b)
		if err != nil {
			return
		}
		if len(blk.Data) > 16 {
			t.Fatalf("block of %d bytes", len(blk.Data))
		}
		a := NewSystemInfoAssembler(maxSets)
		more, err := a.Add(blk.Data)
		for i := 0; more && err == nil; i++ {
			if i > SysInfoMaxSet {
				t.Fatal("more than 16 sets wanted")
			}
			more, err = a.Add(blk.Data)
		}
		if r := a.Result(); len(r.Data) > r.Length {
			t.Fatalf("%d bytes for a length of %d", len(r.Data), r.Length)
		}
	})
}
