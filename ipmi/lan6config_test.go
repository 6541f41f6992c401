package ipmi

import (
	"context"
	"errors"
	"net/netip"
	"testing"
)

func TestLAN6Decoders(t *testing.T) {
	a := DecodeLAN6Address(append(append([]byte{3, 0x80}, netip.MustParseAddr("2001:db8::5").AsSlice()...), 64, 2))
	if a.Set != 3 || !a.Enabled() || a.Address.String() != "2001:db8::5" || a.PrefixLen != 64 || a.Status != 2 {
		t.Errorf("%+v", a)
	}
	if got := DecodeLAN6Address(a.Encode()); *got != *a {
		t.Errorf("round trip %+v", got)
	}
	// Short answers read as zero-padded, as ipmitool reads them.
	if a := DecodeLAN6Address([]byte{1}); a.Set != 1 || a.Address != netip.IPv6Unspecified() || a.PrefixLen != 0 {
		t.Errorf("short: %+v", a)
	}
	if v := DecodeLAN6FlowLabel([]byte{0x01, 0x23, 0x45}); v != 0x12345 {
		t.Errorf("flow label %x", v)
	}
	if s := DecodeLAN6Status([]byte{4, 2, 2}); s.StaticMax != 4 || s.DynamicMax != 2 || s.DHCPv6 || !s.SLAAC {
		t.Errorf("%+v", s)
	}
	b := DecodeLAN6Block([]byte{1, 2, 3})
	if b.Set != 1 || b.Block != 2 || len(b.Data) != 16 || b.Data[0] != 3 {
		t.Errorf("%+v", b)
	}
	r := DecodeLAN6Router(1, true, append([]byte{0}, netip.MustParseAddr("fe80::1").AsSlice()...),
		[]byte{0, 1, 2, 3, 4, 5, 6}, []byte{0, 64}, nil)
	if r.Address.String() != "fe80::1" || r.MAC != (MAC{1, 2, 3, 4, 5, 6}) || r.PrefixLen != 64 || r.Prefix != netip.IPv6Unspecified() {
		t.Errorf("%+v", r)
	}
}

// lan6BMC answers every Get LAN Configuration with the same data, for
// every set and block: a BMC that ignores selectors.
type lan6BMC struct {
	data  []byte
	code  CompletionCode
	err   error
	calls int
}

func (b *lan6BMC) Send(ctx context.Context, r *Request) (*Response, error) {
	b.calls++
	if b.err != nil {
		return nil, b.err
	}
	if b.code != 0 {
		return &Response{Code: b.code}, nil
	}
	return &Response{Data: b.data}, nil
}
func (b *lan6BMC) Close() error { return nil }

func TestReadLAN6ConfigBounded(t *testing.T) {
	// Selectors ignored: every set scan stops at 256 sets, not never.
	bmc := &lan6BMC{data: make([]byte, 19)}
	cfg, err := NewClient(bmc).ReadLAN6Config(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.StaticAddresses) != 256 || len(cfg.StaticRouters) != 2 || len(cfg.NDSLAACTiming) != 256 {
		t.Errorf("%d static addresses, %d static routers, %d ND sets", len(cfg.StaticAddresses), len(cfg.StaticRouters), len(cfg.NDSLAACTiming))
	}
	if len(cfg.StaticDUID) != 256*256 {
		t.Errorf("%d DUID blocks", len(cfg.StaticDUID))
	}
	// No IPv6 at all: nothing, no failures.
	cfg, err = NewClient(&lan6BMC{code: 0x80}).ReadLAN6Config(context.Background(), 1)
	if err != nil || cfg.Support != nil || len(cfg.StaticAddresses) != 0 || len(cfg.Failures) != 0 {
		t.Errorf("%+v %v", cfg, err)
	}
	// Refusals are recorded and the read goes on.
	cfg, err = NewClient(&lan6BMC{code: 0xD4}).ReadLAN6Config(context.Background(), 1)
	if err != nil || len(cfg.Failures) < 15 || cfg.Failures[0].Param != LAN6Support {
		t.Errorf("%d failures, %v", len(cfg.Failures), err)
	}
	// A dead BMC ends the read at once.
	dead := &lan6BMC{err: errors.New("timeout")}
	if _, err := NewClient(dead).ReadLAN6Config(context.Background(), 1); err == nil || dead.calls != 1 {
		t.Errorf("%v after %d requests", err, dead.calls)
	}
}

func FuzzLAN6Decoders(f *testing.F) {
	f.Add([]byte{0, 0x80, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 64, 0})
	f.Add([]byte{})
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22})
	f.Fuzz(func(t *testing.T, b []byte) {
		a := DecodeLAN6Address(b)
		if !a.Address.Is6() || len(a.Encode()) != 20 {
			t.Fatalf("%+v", a)
		}
		if blk := DecodeLAN6Block(b); len(blk.Data) != 16 || len(blk.Encode()) != 18 {
			t.Fatalf("%+v", blk)
		}
		DecodeLAN6Status(b)
		if DecodeLAN6FlowLabel(b) > 0xFFFFFF {
			t.Fatal("flow label beyond 24 bits")
		}
		for _, dyn := range []bool{false, true} {
			r := DecodeLAN6Router(0, dyn, b, b, b, b)
			if !r.Address.Is6() || !r.Prefix.Is6() {
				t.Fatalf("%+v", r)
			}
		}
	})
}

// FuzzReadLAN6Config feeds ReadLAN6Config answers of any length and code.
func FuzzReadLAN6Config(f *testing.F) {
	f.Add([]byte{0x00, 0x11, 0x03, 0x80, 0x00, 0x11, 0x02})
	f.Add([]byte{0xc9})
	f.Fuzz(func(t *testing.T, script []byte) {
		i := 0
		bmc := scriptedLAN6{next: func() *Response {
			if i >= len(script) {
				return &Response{Code: 0x80}
			}
			n := int(script[i] % 24)
			code := CompletionCode(0)
			if script[i] >= 0xC0 || script[i] == 0x80 {
				code = CompletionCode(script[i])
			}
			i++
			end := min(i+n, len(script))
			r := &Response{Code: code, Data: script[i:end]}
			i = end
			return r
		}}
		cfg, err := NewClient(bmc).ReadLAN6Config(context.Background(), 1)
		var fe *FormatError
		if cfg == nil || (err != nil && !errors.As(err, &fe)) {
			t.Fatalf("%v %v", cfg, err)
		}
	})
}

type scriptedLAN6 struct{ next func() *Response }

func (s scriptedLAN6) Send(ctx context.Context, r *Request) (*Response, error) { return s.next(), nil }
func (s scriptedLAN6) Close() error                                            { return nil }
