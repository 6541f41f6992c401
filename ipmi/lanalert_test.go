package ipmi

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// Parameter 18 and 19 data as bmcsim answers after ipmitool's
// "lan alert set 1 2 ..." (ack on, OEM 1, 30 s, 1 retry, backup
// gateway, 10.1.2.3, 02:03:04:05:06:07).
var (
	alertTypeSample = []byte{2, 0x86, 30, 1}
	alertAddrSample = []byte{2, 0x00, 0x01, 10, 1, 2, 3, 2, 3, 4, 5, 6, 7}
)

func TestDecodeLANAlertDestination(t *testing.T) {
	d, err := DecodeLANAlertDestination(alertTypeSample, alertAddrSample)
	if err != nil {
		t.Fatal(err)
	}
	if d.Destination != 2 || !d.Acknowledge || d.Type != AlertDestOEM1 || d.Timeout != 30 || d.Retries != 1 ||
		d.AddressFormat != 0 || !d.BackupGateway || d.IP == nil || d.IP.String() != "10.1.2.3" ||
		d.MAC == nil || d.MAC.String() != "02:03:04:05:06:07" {
		t.Errorf("decoded %+v", d)
	}
	// Reserved retry bits are masked; an unknown address format has no
	// addresses.
	other := append([]byte(nil), alertAddrSample...)
	other[1] = 0x10
	d, err = DecodeLANAlertDestination([]byte{0, 0x07, 0, 0xF9}, other)
	if err != nil || d.Retries != 1 || d.Type != AlertDestOEM2 || d.AddressFormat != 1 || d.IP != nil || d.MAC != nil {
		t.Errorf("format 1: %+v %v", d, err)
	}
	var fe *FormatError
	if _, err := DecodeLANAlertDestination(alertTypeSample[:3], alertAddrSample); !errors.As(err, &fe) {
		t.Errorf("short type: %v", err)
	}
	if _, err := DecodeLANAlertDestination(alertTypeSample, alertAddrSample[:12]); !errors.As(err, &fe) {
		t.Errorf("short address: %v", err)
	}
}

func TestPrepareLANAlertChange(t *testing.T) {
	cases := []struct {
		ch   LANAlertChange
		cur  []byte
		want []byte
	}{
		{AlertSetIP([4]byte{192, 168, 9, 1}), alertAddrSample, []byte{2, 0, 1, 192, 168, 9, 1, 2, 3, 4, 5, 6, 7}},
		{AlertSetMAC(MAC{0xa, 0xb, 0xc, 0xd, 0xe, 0xf}), alertAddrSample, []byte{2, 0, 1, 10, 1, 2, 3, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf}},
		{AlertSetGateway(false), alertAddrSample, []byte{2, 0, 0, 10, 1, 2, 3, 2, 3, 4, 5, 6, 7}},
		{AlertSetAcknowledge(false), alertTypeSample, []byte{2, 0x06, 30, 1}},
		{AlertSetType(AlertDestPETTrap), alertTypeSample, []byte{2, 0x80, 30, 1}},
		{AlertSetType(AlertDestOEM2), alertTypeSample, []byte{2, 0x87, 30, 1}},
		{AlertSetTimeout(200), alertTypeSample, []byte{2, 0x86, 200, 1}},
		{AlertSetRetries(7), []byte{2, 0x86, 30, 0xF1}, []byte{2, 0x86, 30, 7}},
	}
	for _, c := range cases {
		// The BMC's selector byte is replaced by the destination asked for.
		cur := append([]byte{0x0B}, c.cur[1:]...)
		got, err := PrepareLANAlertChange(c.ch, 2, cur)
		if err != nil || !bytes.Equal(got, c.want) {
			t.Errorf("param %d: got % x, %v; want % x", c.ch.Param, got, err, c.want)
		}
		if cur[0] != 0x0B {
			t.Error("the current data was modified in place")
		}
	}
	if _, err := PrepareLANAlertChange(AlertSetIP([4]byte{}), 1, alertTypeSample); err == nil {
		t.Error("4 bytes of parameter 19 accepted")
	}
	if _, err := PrepareLANAlertChange(AlertSetTimeout(1), 1, make([]byte, 33)); err == nil {
		t.Error("33 bytes accepted")
	}
}

func TestBadPasswordEncodeRoundTrip(t *testing.T) {
	in := BadPasswordThreshold{GenerateEvent: true, Threshold: 3, ResetInterval: 6, LockoutInterval: 300}
	b := in.Encode()
	if !bytes.Equal(b, []byte{1, 3, 6, 0, 0x2c, 1}) {
		t.Fatalf("encoded % x", b)
	}
	if out, err := DecodeLANBadPassword(b); err != nil || out != in {
		t.Errorf("round trip %+v %v", out, err)
	}
}

// A BMC answering parameter 17 with more than 15 destinations is masked
// to the 4-bit count.
func TestGetLANDestinationCountMasks(t *testing.T) {
	c := NewClient(lanAlertReplier{17: {0x11, 0xF3}})
	n, err := c.GetLANDestinationCount(context.Background(), 1)
	if err != nil || n != 3 {
		t.Errorf("count %d %v", n, err)
	}
	if _, err := NewClient(lanAlertReplier{17: {0x11}}).GetLANDestinationCount(context.Background(), 1); err == nil {
		t.Error("empty parameter 17 accepted")
	}
}

type lanAlertReplier map[uint8][]byte

func (r lanAlertReplier) Send(_ context.Context, req *Request) (*Response, error) {
	if d, ok := r[req.Data[1]]; ok {
		return &Response{Data: d}, nil
	}
	return &Response{Code: CodeParameterNotSupported}, nil
}

func (lanAlertReplier) Close() error { return nil }

func FuzzDecodeLANAlertDestination(f *testing.F) {
	f.Add(alertTypeSample, alertAddrSample)
	f.Add([]byte{0, 0x07, 0, 0xF9}, append([]byte{1, 0x10}, make([]byte, 11)...))
	f.Add([]byte{1}, []byte{})
	f.Fuzz(func(t *testing.T, typ, addr []byte) {
		d, err := DecodeLANAlertDestination(typ, addr)
		if (err == nil) != (len(typ) >= 4 && len(addr) >= 13) {
			t.Fatalf("length check: %v", err)
		}
		if err == nil && (d.Type > 7 || d.Retries > 7 || d.AddressFormat > 15 || (d.IP == nil) != (d.AddressFormat != 0)) {
			t.Fatalf("decoded %+v", d)
		}
	})
}

func FuzzPrepareLANAlertChange(f *testing.F) {
	f.Add(alertTypeSample, uint8(2), uint8(0))
	f.Add(alertAddrSample, uint8(1), uint8(1))
	f.Add([]byte{}, uint8(0), uint8(3))
	f.Fuzz(func(t *testing.T, cur []byte, dest, which uint8) {
		changes := []LANAlertChange{AlertSetTimeout(9), AlertSetIP([4]byte{1, 2, 3, 4}),
			AlertSetRetries(3), AlertSetMAC(MAC{1}), AlertSetAcknowledge(true), AlertSetGateway(true), AlertSetType(6)}
		ch := changes[int(which)%len(changes)]
		out, err := PrepareLANAlertChange(ch, dest, cur)
		if err != nil {
			return
		}
		if len(out) != len(cur) || out[0]&0x0F != dest&0x0F {
			t.Fatalf("% x -> % x", cur, out)
		}
	})
}
