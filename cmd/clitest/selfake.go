package clitest

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/ipmictl/ipmictl/sel"
)

// SelFakeBMC answers like the lab's ipmi_sim from captures taken with
// ipmitool (cmd/testdata/selfru): SDRs (at most 33 bytes a read), FRU
// devices (at most 34), the SEL and its info. It counts requests.
type SelFakeBMC struct {
	mu         sync.Mutex
	Sdrs       [][]byte
	Frus       map[uint8][]byte
	Sel        [][]byte // wire records
	selInfo    []byte
	selAlloc   []byte
	Counts     map[[2]uint8]int
	Total      int
	Extra      int   // garbage bytes appended to Read FRU Data answers
	DevSupport uint8 // Get Device ID additional device support
}

func SelTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(TestdataDir(), "selfru", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func selHex(t *testing.T, name string) []byte {
	b, err := hex.DecodeString(strings.Join(strings.Fields(string(SelTestdata(t, name))), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// UTC says a test needs local time to be UTC, as on the machine the
// captures were taken on. Main makes it so before any test starts:
// changing time.Local later would race with the simulated BMCs of other
// tests, which read the clock.
func UTC(t *testing.T) {
	t.Helper()
	if time.Local != time.UTC {
		t.Fatal("local time is not UTC: run the tests under clitest.Main")
	}
}

func NewSelFakeBMC(t *testing.T) *SelFakeBMC {
	t.Helper()
	raws, err := sdr.SplitDump(SelTestdata(t, "ipmi_sim.sdr"))
	if err != nil {
		t.Fatal(err)
	}
	b := &SelFakeBMC{Sdrs: raws, Frus: map[uint8][]byte{}, Counts: map[[2]uint8]int{},
		selInfo: selHex(t, "selinfo.hex"), selAlloc: selHex(t, "selalloc.hex"), DevSupport: 0x9f}
	for i, name := range []string{"fru0.bin", "fru1.bin", "fru2.bin"} {
		b.Frus[uint8(i)] = SelTestdata(t, name)
	}
	raw := SelTestdata(t, "sel.raw")
	for len(raw) >= 16 {
		r, err := sel.DecodeIpmitoolRaw(raw[:16])
		if err != nil {
			t.Fatal(err)
		}
		b.Sel = append(b.Sel, r.Bytes())
		raw = raw[16:]
	}
	return b
}

func (b *SelFakeBMC) Close() error { return nil }

func (b *SelFakeBMC) Count(netfn ipmi.NetFn, cmd uint8) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Counts[[2]uint8{uint8(netfn), cmd}]
}

func (b *SelFakeBMC) Send(_ context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.Counts[[2]uint8{uint8(req.NetFn), req.Cmd}]++
	b.Total++
	ok := func(d ...byte) (*ipmi.Response, error) { return &ipmi.Response{Data: d}, nil }
	fail := func(c ipmi.CompletionCode) (*ipmi.Response, error) { return &ipmi.Response{Code: c}, nil }
	d := req.Data
	if req.NetFn == ipmi.NetFnApp && req.Cmd == 0x01 { // Get Device ID, as ipmi_sim answers it
		return ok(0x20, 0x01, 0x02, 0x10, 0x02, b.DevSupport, 0xcf, 0xc2, 0x00, 0x00, 0x01)
	}
	if req.NetFn != ipmi.NetFnStorage {
		return fail(ipmi.CodeInvalidCommand)
	}
	switch req.Cmd {
	case 0x20: // Get SDR Repository Info
		n := len(b.Sdrs)
		return ok(0x51, byte(n), byte(n>>8), 0x00, 0x10, 1, 0, 0, 0, 1, 0, 0, 0, 0x22)
	case 0x22: // Reserve SDR Repository
		return ok(1, 0)
	case 0x23: // Get SDR
		if len(d) < 6 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		id, off, n := binary.LittleEndian.Uint16(d[2:]), int(d[4]), int(d[5])
		for i, r := range b.Sdrs {
			if binary.LittleEndian.Uint16(r) != id && !(id == 0 && i == 0) {
				continue
			}
			next := uint16(0xFFFF)
			if i+1 < len(b.Sdrs) {
				next = binary.LittleEndian.Uint16(b.Sdrs[i+1])
			}
			if n == 0xFF {
				n = len(r) - off
			}
			if n > 33 {
				return fail(ipmi.CodeCannotReturnBytes)
			}
			if off > len(r) {
				return fail(ipmi.CodeParameterOutOfRange)
			}
			return ok(append([]byte{byte(next), byte(next >> 8)}, r[off:min(off+n, len(r))]...)...)
		}
		return fail(ipmi.CodeNotPresent)
	case 0x10: // Get FRU Inventory Area Info
		img, found := b.Frus[d[0]]
		if !found {
			return fail(ipmi.CodeNotPresent)
		}
		return ok(byte(len(img)), byte(len(img)>>8), 0)
	case 0x11: // Read FRU Data
		img, found := b.Frus[d[0]]
		if !found {
			return fail(ipmi.CodeNotPresent)
		}
		off, n := int(binary.LittleEndian.Uint16(d[1:])), int(d[3])
		if n > 34 {
			return fail(ipmi.CodeRequestLengthExceeded)
		}
		if off >= len(img) {
			return fail(ipmi.CodeParameterOutOfRange)
		}
		data := img[off:min(off+n, len(img))]
		out := append([]byte{byte(len(data))}, data...)
		for i := 0; i < b.Extra; i++ {
			out = append(out, 0xEE)
		}
		return ok(out...)
	case 0x12: // Write FRU Data
		img, found := b.Frus[d[0]]
		if !found {
			return fail(ipmi.CodeNotPresent)
		}
		off, data := int(binary.LittleEndian.Uint16(d[1:])), d[3:]
		if len(data) > 32 {
			return fail(ipmi.CodeRequestLengthExceeded)
		}
		if off+len(data) > len(img) {
			return fail(ipmi.CodeParameterOutOfRange)
		}
		copy(img[off:], data)
		return ok(byte(len(data)))
	case sel.CmdGetInfo:
		info := append([]byte(nil), b.selInfo...)
		binary.LittleEndian.PutUint16(info[1:], uint16(len(b.Sel)))
		return ok(info...)
	case sel.CmdGetAllocInfo:
		return ok(b.selAlloc...)
	case sel.CmdReserve:
		return ok(7, 0)
	case sel.CmdGetEntry:
		id := binary.LittleEndian.Uint16(d[2:])
		for i, r := range b.Sel {
			if binary.LittleEndian.Uint16(r) != id && !(id == 0 && i == 0) {
				continue
			}
			next := uint16(0xFFFF)
			if i+1 < len(b.Sel) {
				next = binary.LittleEndian.Uint16(b.Sel[i+1])
			}
			return ok(append([]byte{byte(next), byte(next >> 8)}, r...)...)
		}
		return fail(ipmi.CodeNotPresent)
	case sel.CmdDeleteEntry:
		id := binary.LittleEndian.Uint16(d[2:])
		for i, r := range b.Sel {
			if binary.LittleEndian.Uint16(r) == id {
				b.Sel = append(b.Sel[:i], b.Sel[i+1:]...)
				return ok(byte(id), byte(id>>8))
			}
		}
		return fail(ipmi.CodeNotPresent)
	case sel.CmdClear:
		b.Sel = nil
		return ok(1)
	case sel.CmdAddEntry:
		id := uint16(0x100 + len(b.Sel))
		r := append([]byte(nil), d...)
		binary.LittleEndian.PutUint16(r, id)
		b.Sel = append(b.Sel, r)
		return ok(byte(id), byte(id>>8))
	case sel.CmdGetTime:
		return ok(0x2c, 0xc4, 0x04, 0x6b) // the time.txt capture: 11/23/26 22:54:36 UTC
	case sel.CmdSetTime:
		return ok()
	}
	return fail(ipmi.CodeInvalidCommand)
}
