package fru

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

// fakeFRU is a BMC that serves FRU devices with configurable limits and
// misbehaviour.
type fakeFRU struct {
	mu         sync.Mutex
	devs       map[uint8][]byte
	words      bool
	maxRead    int // larger reads get C8h (bytes, or words on word devices)
	maxWrite   int
	extra      int // garbage bytes appended after the data
	overclaim  int // count byte claims this many more than sent
	stopAt     int // reads at or past this byte return count 0 (0 = never)
	partial    int // writes store at most this many bytes (0 = all)
	corrupt    bool
	protectAt  int // writes covering this byte get 80h (0 = never)
	busy       int // first n requests get 81h
	requests   int
	readReqs   int
	writeBytes int
}

func (f *fakeFRU) Close() error { return nil }

func (f *fakeFRU) Send(_ context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	if f.busy > 0 {
		f.busy--
		return &ipmi.Response{Code: codeDeviceBusy}, nil
	}
	if req.NetFn != ipmi.NetFnStorage || len(req.Data) < 1 {
		return &ipmi.Response{Code: ipmi.CodeInvalidCommand}, nil
	}
	dev, ok := f.devs[req.Data[0]]
	if !ok {
		return &ipmi.Response{Code: ipmi.CodeNotPresent}, nil
	}
	unit := 1
	if f.words {
		unit = 2
	}
	switch req.Cmd {
	case CmdGetInventoryAreaInfo:
		acc := byte(0)
		if f.words {
			acc = 1
		}
		return &ipmi.Response{Data: []byte{byte(len(dev)), byte(len(dev) >> 8), acc}}, nil
	case CmdReadData:
		f.readReqs++
		if len(req.Data) != 4 {
			return &ipmi.Response{Code: ipmi.CodeRequestLengthInvalid}, nil
		}
		off := (int(req.Data[1]) | int(req.Data[2])<<8) * unit
		n := int(req.Data[3])
		if f.maxRead > 0 && n > f.maxRead {
			return &ipmi.Response{Code: ipmi.CodeRequestLengthExceeded}, nil
		}
		if off >= len(dev) || (f.stopAt > 0 && off >= f.stopAt) {
			return &ipmi.Response{Data: []byte{0}}, nil
		}
		end := min(off+n*unit, len(dev))
		data := append([]byte{byte((end-off)/unit + f.overclaim)}, dev[off:end]...)
		for i := 0; i < f.extra; i++ {
			data = append(data, 0xEE)
		}
		return &ipmi.Response{Data: data}, nil
	case CmdWriteData:
		off := (int(req.Data[1]) | int(req.Data[2])<<8) * unit
		data := req.Data[3:]
		if f.maxWrite > 0 && len(data) > f.maxWrite {
			return &ipmi.Response{Code: ipmi.CodeRequestLengthExceeded}, nil
		}
		if f.protectAt > 0 && off <= f.protectAt && f.protectAt < off+len(data) {
			return &ipmi.Response{Code: codeWriteProtected}, nil
		}
		if f.partial > 0 && len(data) > f.partial {
			data = data[:f.partial]
		}
		if off+len(data) > len(dev) {
			return &ipmi.Response{Code: ipmi.CodeParameterOutOfRange}, nil
		}
		copy(dev[off:], data)
		if f.corrupt {
			dev[off] ^= 0xFF
		}
		f.writeBytes += len(data)
		return &ipmi.Response{Data: []byte{byte(len(data) / unit)}}, nil
	}
	return &ipmi.Response{Code: ipmi.CodeInvalidCommand}, nil
}

func newFake(t *testing.T, images map[uint8]string) *fakeFRU {
	f := &fakeFRU{devs: map[uint8][]byte{}}
	for id, name := range images {
		f.devs[id] = append([]byte(nil), readLab(t, name)...)
	}
	return f
}

func TestReadAllChunksAndShrink(t *testing.T) {
	f := newFake(t, map[uint8]string{0: "lab-fru0.bin"})
	f.maxRead = 24
	fc := NewClient(ipmi.NewClient(f))
	b, info, err := fc.ReadAll(context.Background(), Device{ID: 0})
	if err != nil {
		t.Fatal(err)
	}
	if info.Size != 1024 || !bytes.Equal(b, f.devs[0]) {
		t.Fatalf("read %d bytes, size %d, equal %v", len(b), info.Size, bytes.Equal(b, f.devs[0]))
	}
	if fc.ReadChunk() != 24 {
		t.Errorf("chunk settled at %d, want 24", fc.ReadChunk())
	}
	// The size is remembered: a second device costs no failed reads.
	f.readReqs = 0
	if _, _, err := fc.ReadAll(context.Background(), Device{ID: 0}); err != nil {
		t.Fatal(err)
	}
	if want := (1024 + 23) / 24; f.readReqs != want {
		t.Errorf("second read took %d requests, want %d", f.readReqs, want)
	}
}

func TestReadHostileLengths(t *testing.T) {
	f := newFake(t, map[uint8]string{0: "lab-fru1.bin"})
	f.extra = 40 // more bytes than asked for: must be ignored
	fc := NewClient(ipmi.NewClient(f))
	b, _, err := fc.ReadAll(context.Background(), Device{ID: 0})
	if err != nil || !bytes.Equal(b, f.devs[0]) {
		t.Fatalf("extra trailing bytes: err %v, equal %v", err, bytes.Equal(b, f.devs[0]))
	}
	f.extra, f.overclaim = 0, 3 // count larger than the payload and the request
	_, _, err = fc.ReadAll(context.Background(), Device{ID: 0})
	var fe *ipmi.FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("overclaimed count: got %v, want a FormatError", err)
	}
	f.overclaim, f.extra = 2, 2 // count > request even though payload has the bytes
	_, _, err = fc.ReadAll(context.Background(), Device{ID: 0})
	if !errors.As(err, &fe) {
		t.Fatalf("count beyond request: got %v, want a FormatError", err)
	}
}

func TestReadWordDevice(t *testing.T) {
	f := newFake(t, map[uint8]string{3: "lab-fru1.bin"})
	f.words = true
	fc := NewClient(ipmi.NewClient(f))
	ctx := context.Background()
	b, info, err := fc.ReadAll(ctx, Device{ID: 3})
	if err != nil || !info.WordAccess || !bytes.Equal(b, f.devs[3]) {
		t.Fatalf("word read: %v %+v equal=%v", err, info, bytes.Equal(b, f.devs[3]))
	}
	part, err := fc.ReadAt(ctx, Device{ID: 3}, info, 7, 13)
	if err != nil || !bytes.Equal(part, f.devs[3][7:20]) {
		t.Fatalf("odd offset/length: % x vs % x (%v)", part, f.devs[3][7:20], err)
	}
	img, _, err := fc.ReadImage(ctx, Device{ID: 3})
	if err != nil || img.Board.SerialNumber.String() != "PSU1-SN-77A1001" {
		t.Fatalf("word image: %v %+v", err, img)
	}
}

func TestReadImageFetchesOnlyAreas(t *testing.T) {
	f := newFake(t, map[uint8]string{0: "lab-fru0.bin", 1: "lab-fru1.bin"})
	f.maxRead = 34 // ipmi_sim's limit
	fc := NewClient(ipmi.NewClient(f))
	img, _, err := fc.ReadImage(context.Background(), Device{ID: 0})
	if err != nil || len(img.Warnings) != 0 {
		t.Fatalf("%v %v", err, img.Warnings)
	}
	// Header + chassis + board + product end at byte 232 of 1024: 8
	// 32-byte reads, not 32.
	if f.readReqs > 8 {
		t.Errorf("system FRU took %d reads", f.readReqs)
	}
	f.readReqs = 0
	img, _, err = fc.ReadImage(context.Background(), Device{ID: 1})
	if err != nil || len(img.MultiRecords) != 1 {
		t.Fatalf("%v %+v", err, img)
	}
	if f.readReqs > 6 {
		t.Errorf("PSU FRU took %d reads", f.readReqs)
	}
}

func TestReadImageShortDevice(t *testing.T) {
	f := newFake(t, map[uint8]string{0: "lab-fru0.bin"})
	f.stopAt = 100 // the BMC runs dry in the middle of the board area
	fc := NewClient(ipmi.NewClient(f))
	img, _, err := fc.ReadImage(context.Background(), Device{ID: 0})
	if err != nil {
		t.Fatal(err)
	}
	if img.Chassis == nil || img.Chassis.PartNumber.String() != "CSE-SIM2U-R1K" {
		t.Errorf("chassis lost: %+v", img.Chassis)
	}
	found := false
	for _, w := range img.Warnings {
		if errors.Is(ErrNoProgress, ErrNoProgress) && bytes.Contains([]byte(w.Msg), []byte("stopped early")) {
			found = true
		}
	}
	if !found {
		t.Errorf("no early-stop warning: %v", img.Warnings)
	}
}

func TestDeviceErrors(t *testing.T) {
	f := newFake(t, map[uint8]string{0: "lab-fru1.bin"})
	fc := NewClient(ipmi.NewClient(f))
	_, _, err := fc.ReadAll(context.Background(), Device{ID: 9})
	if !ipmi.IsCompletion(err, ipmi.CodeNotPresent) {
		t.Errorf("absent device: %v", err)
	}
	f.busy = 2
	if _, err := fc.Info(context.Background(), Device{ID: 0}); err != nil {
		t.Errorf("busy device not retried: %v", err)
	}
	f.devs[5] = nil
	if _, err := fc.Info(context.Background(), Device{ID: 5}); err == nil {
		t.Error("zero-size device accepted")
	}
}

func TestWriteImageVerify(t *testing.T) {
	ctx := context.Background()
	f := newFake(t, map[uint8]string{0: "lab-fru1.bin"})
	f.maxWrite = 20
	f.partial = 16 // the BMC stores fewer bytes than sent: the rest is resent
	fc := NewClient(ipmi.NewClient(f))
	want := append([]byte(nil), readLab(t, "lab-fru0.bin")[:200]...)
	res, err := fc.WriteImage(ctx, Device{ID: 0}, want, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Verified || !bytes.Equal(f.devs[0][:200], want) {
		t.Fatalf("write not applied: %+v", res)
	}
	// Changing one field rewrites a few bytes only.
	edited, _, err := Rebuild(f.devs[0][:200], func(img *Image) error { return img.SetField(AreaChassis, 0, "CSE-SIM2U-R1X") })
	if err != nil {
		t.Fatal(err)
	}
	f.writeBytes = 0
	res, err = fc.WriteImage(ctx, Device{ID: 0}, edited, true)
	if err != nil || !res.Verified {
		t.Fatal(err)
	}
	if res.BytesWritten > 24 {
		t.Errorf("only-changed write sent %d bytes", res.BytesWritten)
	}
	f.corrupt = true
	_, err = fc.WriteImage(ctx, Device{ID: 0}, want, false)
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Errorf("corrupting BMC: got %v, want VerifyError", err)
	}
	f.corrupt, f.protectAt = false, 50
	if _, err = fc.WriteImage(ctx, Device{ID: 0}, want, false); !ipmi.IsCompletion(err, codeWriteProtected) {
		t.Errorf("write-protected: %v", err)
	}
	if _, err = fc.WriteImage(ctx, Device{ID: 0}, make([]byte, 300), false); !errors.Is(err, ErrImageTooLarge) {
		t.Errorf("oversized image: %v", err)
	}
}

func TestWriteWordDevice(t *testing.T) {
	f := newFake(t, map[uint8]string{0: "lab-fru1.bin"})
	f.words = true
	fc := NewClient(ipmi.NewClient(f))
	img := readLab(t, "lab-fru0.bin")[:101] // odd length: last byte kept from the device
	last := f.devs[0][101]
	res, err := fc.WriteImage(context.Background(), Device{ID: 0}, img, false)
	if err != nil || !res.Verified {
		t.Fatalf("%v %+v", err, res)
	}
	if !bytes.Equal(f.devs[0][:101], img) || f.devs[0][101] != last {
		t.Error("word write wrong")
	}
}

func TestDiffRuns(t *testing.T) {
	old := []byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	nw := []byte("aXaaaaaaaaaaaaaaaaaaaaaaaaaXXa")
	got := diffRuns(old, nw, 8, false)
	if len(got) != 2 || got[0] != [2]int{1, 2} || got[1] != [2]int{27, 29} {
		t.Errorf("runs %v", got)
	}
	got = diffRuns(old, nw, 30, true)
	if len(got) != 1 || got[0] != [2]int{0, 30} {
		t.Errorf("merged word runs %v", got)
	}
}
