package fru

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/ipmitest"
)

// readBoth reads device 0 of the fake made by setup with read, one chunk
// at a time and pipelined, and returns both results with their request
// counts, times and the peak in flight of the pipelined one.
func readBoth(t *testing.T, setup func() *fakeFRU, read func(*Client) ([]byte, error)) (seq, pipe []byte, seqN, pipeN int, seqT, pipeT time.Duration, overlap float64) {
	t.Helper()
	run := func(win *ipmi.Window) ([]byte, int, time.Duration, float64) {
		f := setup()
		link := &ipmitest.SlowLink{T: f, Delay: 10 * time.Millisecond}
		fc := NewClient(ipmi.NewClient(link))
		if win != nil {
			fc.SetWindow(win)
		}
		start := time.Now()
		b, err := read(fc)
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		return b, f.requests, took, link.Overlap()
	}
	seq, seqN, seqT, _ = run(ipmi.NewWindow(1))
	pipe, pipeN, pipeT, overlap = run(nil)
	t.Logf("%d requests one at a time in %v, %d pipelined in %v, %.2f in hand on average",
		seqN, seqT.Round(time.Millisecond), pipeN, pipeT.Round(time.Millisecond), overlap)
	return
}

func readAll(fc *Client) ([]byte, error) {
	b, _, err := fc.ReadAll(context.Background(), Device{ID: 0})
	return b, err
}

// A whole device: the same bytes in as many requests, several in flight,
// in a fraction of the time.
func TestReadAheadWholeDevice(t *testing.T) {
	for _, maxRead := range []int{0, 24} { // 0: 32-byte reads accepted
		setup := func() *fakeFRU {
			f := newFake(t, map[uint8]string{0: "lab-fru0.bin"})
			f.maxRead = maxRead
			return f
		}
		seq, pipe, seqN, pipeN, _, _, overlap := readBoth(t, setup, readAll)
		if !bytes.Equal(seq, pipe) || len(pipe) != 1024 {
			t.Fatalf("limit %d: pipelined read differs (%d bytes)", maxRead, len(pipe))
		}
		if pipeN != seqN || overlap < 1.8 {
			t.Errorf("limit %d: %d requests (%.2f in hand on average), one at a time %d", maxRead, pipeN, overlap, seqN)
		}
	}
}

// fru print's sparse read (header, then the areas): same image, same
// request count.
func TestReadAheadImage(t *testing.T) {
	setup := func() *fakeFRU {
		f := newFake(t, map[uint8]string{0: "lab-fru0.bin"})
		f.maxRead = 34 // ipmi_sim's limit
		return f
	}
	image := func(fc *Client) ([]byte, error) {
		img, _, err := fc.ReadImage(context.Background(), Device{ID: 0})
		if err != nil {
			return nil, err
		}
		return []byte(img.Board.SerialNumber.String() + "|" + img.Product.Name.String()), nil
	}
	seq, pipe, seqN, pipeN, _, _, overlap := readBoth(t, setup, image)
	if !bytes.Equal(seq, pipe) || len(pipe) < 3 {
		t.Fatalf("image %q pipelined, %q one at a time", pipe, seq)
	}
	if pipeN != seqN || overlap <= 1 {
		t.Errorf("%d requests (%.2f in hand on average), one at a time %d", pipeN, overlap, seqN)
	}
}

// A device that stops returning data: the same bytes and the same
// ErrNoProgress as one chunk at a time.
func TestReadAheadStopsLikeSequential(t *testing.T) {
	for _, win := range []*ipmi.Window{ipmi.NewWindow(1), nil} {
		f := newFake(t, map[uint8]string{0: "lab-fru0.bin"})
		f.stopAt = 200
		fc := NewClient(ipmi.NewClient(f))
		if win != nil {
			fc.SetWindow(win)
		}
		b, _, err := fc.ReadAll(context.Background(), Device{ID: 0})
		if err != ErrNoProgress || len(b) != 1024 || !bytes.Equal(b[:192], f.devs[0][:192]) {
			t.Errorf("window %v: %v, %d bytes", win, err, len(b))
		}
	}
}

// Word devices are read one chunk at a time.
func TestReadAheadNotForWords(t *testing.T) {
	f := newFake(t, map[uint8]string{0: "lab-fru1.bin"})
	f.words = true
	link := &ipmitest.SlowLink{T: f, Delay: time.Millisecond}
	fc := NewClient(ipmi.NewClient(link))
	b, _, err := fc.ReadAll(context.Background(), Device{ID: 0})
	if err != nil || !bytes.Equal(b, f.devs[0]) || link.Peak() != 1 {
		t.Fatalf("%v, equal %v, peak %d", err, bytes.Equal(b, f.devs[0]), link.Peak())
	}
}
