package sol

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

func FuzzDecodePacket(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 'h', 'i'})
	f.Add([]byte{0, 3, 28, 0x40})
	f.Add([]byte{0xFF, 0xFF, 0xFF, 0xFF})
	f.Add([]byte{0, 0, 0})
	f.Add([]byte{0, 0, 0, 0, 'x'})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodePacket(b)
		if err != nil {
			if len(b) >= HeaderLen && (b[0]&0x0F != 0 || len(b) == HeaderLen) {
				t.Fatalf("valid packet %x rejected: %v", b, err)
			}
			return
		}
		if p.Seq > 15 || p.Ack > 15 || len(p.Data) != len(b)-HeaderLen {
			t.Fatalf("decoded %+v from %x", p, b)
		}
		want := append([]byte{b[0] & 0x0F, b[1] & 0x0F}, b[2:]...)
		if got := p.Marshal(); !bytes.Equal(got, want) {
			t.Fatalf("round trip %x -> %x", b, got)
		}
	})
}

func FuzzDecodeActivation(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 32, 0, 0, 0x40, 0x6f, 0x02, 0xff, 0xff})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := DecodeActivation(b)
		if (err != nil) != (len(b) < 8) {
			t.Fatalf("len %d: err %v", len(b), err)
		}
		if err != nil {
			return
		}
		if a.InboundSize != binary.LittleEndian.Uint16(b[4:]) {
			t.Fatal("inbound size")
		}
		if n := clampInbound(a.InboundSize); n < 1 || n > MaxCharsPerPacket {
			t.Fatalf("clamped inbound size %d out of range", n)
		}
	})
}

func FuzzDecodeActivationStatus(f *testing.F) {
	f.Add([]byte{1, 1, 0})
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeActivationStatus(b)
		if (err != nil) != (len(b) < 3) {
			t.Fatalf("len %d: err %v", len(b), err)
		}
		if err != nil {
			return
		}
		for _, i := range s.ActiveInstances() {
			if i < 1 || i > 16 || !s.IsActive(i) {
				t.Fatalf("instance %d", i)
			}
		}
		if s.IsActive(0) || s.IsActive(17) {
			t.Fatal("out-of-range instance active")
		}
	})
}

func FuzzDecodeUserPayloadAccess(f *testing.F) {
	f.Add([]byte{2, 0, 0, 0})
	f.Add([]byte{2})
	f.Fuzz(func(t *testing.T, b []byte) {
		on, err := DecodeUserPayloadAccess(b)
		if (err != nil) != (len(b) < 4) {
			t.Fatalf("len %d: err %v", len(b), err)
		}
		if err == nil && on != (b[0]&2 != 0) {
			t.Fatal("SOL bit")
		}
	})
}

func FuzzDecodeInstanceInfo(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{1, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		id, err := DecodeInstanceInfo(b)
		if (err != nil) != (len(b) < 4) || (err == nil && id != binary.LittleEndian.Uint32(b)) {
			t.Fatalf("%x: %d %v", b, id, err)
		}
	})
}

func FuzzDecodeConfigResponse(f *testing.F) {
	f.Add([]byte{0x11, 0x01})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := DecodeConfigResponse(b)
		if (err != nil) != (len(b) < 1) || (err == nil && len(d) != len(b)-1) {
			t.Fatalf("%x: %x %v", b, d, err)
		}
	})
}

// fuzzParam checks a parameter decoder: errors exactly when short, never a
// panic.
func fuzzParam[T any](f *testing.F, need int, decode func([]byte) (T, error), check func(*testing.T, []byte, T)) {
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{0xff}, need))
	f.Add([]byte{0x0a, 0x60, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := decode(b)
		if (err != nil) != (len(b) < need) {
			t.Fatalf("len %d: err %v", len(b), err)
		}
		if err == nil && check != nil {
			check(t, b, v)
		}
	})
}

func FuzzDecodeSetInProgress(f *testing.F) {
	fuzzParam(f, 1, DecodeSetInProgress, func(t *testing.T, b []byte, v SetInProgress) {
		if v > 3 || v.String() == "" {
			t.Fatal(v)
		}
	})
}

func FuzzDecodeEnable(f *testing.F) { fuzzParam(f, 1, DecodeEnable, nil) }

func FuzzDecodeAuthentication(f *testing.F) {
	fuzzParam(f, 1, DecodeAuthentication, func(t *testing.T, b []byte, v Authentication) {
		if v.Encode() != b[0]&0xCF {
			t.Fatalf("round trip %#x -> %#x", b[0], v.Encode())
		}
	})
}

func FuzzDecodeCharacterInterval(f *testing.F) {
	fuzzParam(f, 2, DecodeCharacterInterval, nil)
}

func FuzzDecodeRetry(f *testing.F) {
	fuzzParam(f, 2, DecodeRetry, func(t *testing.T, b []byte, v Retry) {
		if v.Count > 7 {
			t.Fatal(v)
		}
	})
}

func FuzzDecodeBitRate(f *testing.F) {
	fuzzParam(f, 1, DecodeBitRate, func(t *testing.T, b []byte, v BitRate) {
		if r, ok := ParseBitRate(v.String()); ok && r != v {
			t.Fatalf("%v parses back as %v", v, r)
		}
	})
}

func FuzzDecodePayloadChannel(f *testing.F) { fuzzParam(f, 1, DecodePayloadChannel, nil) }

func FuzzDecodePayloadPort(f *testing.F) { fuzzParam(f, 2, DecodePayloadPort, nil) }

// FuzzConsoleReceive feeds a hostile BMC's packets to a Console: it must
// neither panic nor deliver more characters than were sent.
func FuzzConsoleReceive(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 'a', 0xFF, 1, 0, 0, 0, 'a', 0xFF, 2, 1, 5, 0x40, 'b'})
	f.Add([]byte{0, 1, 0xff, 0x10, 0xFF})
	f.Fuzz(func(t *testing.T, b []byte) {
		sink := &sinkConn{in: make(chan []byte, 64)}
		con := start(nil, sink, sink.in, Config{Keepalive: -1, RetryInterval: time.Millisecond, Retries: 2, ReadBuffer: 64}, 1, Activation{InboundSize: 9})
		con.Write([]byte("typed"))
		total := 0
		for _, pkt := range bytes.Split(b, []byte{0xFF}) {
			total += len(pkt)
			// A console that gave up (its retries run out in 3 ms) reads
			// no more; the session drops payloads then (rmcp never
			// blocks on a payload channel), and so must this feeder.
			select {
			case sink.in <- pkt:
			case <-con.Done():
			}
		}
		close(sink.in)
		<-con.Done()
		if st := con.Stats(); st.BytesIn > int64(total) {
			t.Fatalf("delivered %d characters from %d bytes of packets", st.BytesIn, total)
		}
		con.Close()
	})
}

type sinkConn struct{ in chan []byte }

func (s *sinkConn) SendPayload(ctx context.Context, pt uint8, data []byte) error { return nil }
func (s *sinkConn) Payload(pt uint8) <-chan []byte                               { return s.in }

var _ ipmi.Transport = (*fakeBMC)(nil)
