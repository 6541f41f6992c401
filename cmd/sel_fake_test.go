package cmd

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

// selFakeBMC answers like the lab's ipmi_sim from captures taken with
// ipmitool (cmd/testdata/selfru): SDRs (at most 33 bytes a read), FRU
// devices (at most 34), the SEL and its info. It counts requests.
type selFakeBMC struct {
	mu         sync.Mutex
	sdrs       [][]byte
	frus       map[uint8][]byte
	sel        [][]byte // wire records
	selInfo    []byte
	selAlloc   []byte
	counts     map[[2]uint8]int
	total      int
	extra      int   // garbage bytes appended to Read FRU Data answers
	devSupport uint8 // Get Device ID additional device support
}

func selTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "selfru", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func selHex(t *testing.T, name string) []byte {
	b, err := hex.DecodeString(strings.Join(strings.Fields(string(selTestdata(t, name))), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// selUTC makes local time UTC for the test, as on the machine the
// captures were taken on.
func selUTC(t *testing.T) {
	old := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = old })
}

func newSelFakeBMC(t *testing.T) *selFakeBMC {
	t.Helper()
	raws, err := sdr.SplitDump(selTestdata(t, "ipmi_sim.sdr"))
	if err != nil {
		t.Fatal(err)
	}
	b := &selFakeBMC{sdrs: raws, frus: map[uint8][]byte{}, counts: map[[2]uint8]int{},
		selInfo: selHex(t, "selinfo.hex"), selAlloc: selHex(t, "selalloc.hex"), devSupport: 0x9f}
	for i, name := range []string{"fru0.bin", "fru1.bin", "fru2.bin"} {
		b.frus[uint8(i)] = selTestdata(t, name)
	}
	raw := selTestdata(t, "sel.raw")
	for len(raw) >= 16 {
		r, err := sel.DecodeIpmitoolRaw(raw[:16])
		if err != nil {
			t.Fatal(err)
		}
		b.sel = append(b.sel, r.Bytes())
		raw = raw[16:]
	}
	return b
}

func (b *selFakeBMC) Close() error { return nil }

func (b *selFakeBMC) count(netfn ipmi.NetFn, cmd uint8) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.counts[[2]uint8{uint8(netfn), cmd}]
}

func (b *selFakeBMC) Send(_ context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.counts[[2]uint8{uint8(req.NetFn), req.Cmd}]++
	b.total++
	ok := func(d ...byte) (*ipmi.Response, error) { return &ipmi.Response{Data: d}, nil }
	fail := func(c ipmi.CompletionCode) (*ipmi.Response, error) { return &ipmi.Response{Code: c}, nil }
	d := req.Data
	if req.NetFn == ipmi.NetFnApp && req.Cmd == 0x01 { // Get Device ID, as ipmi_sim answers it
		return ok(0x20, 0x01, 0x02, 0x10, 0x02, b.devSupport, 0xcf, 0xc2, 0x00, 0x00, 0x01)
	}
	if req.NetFn != ipmi.NetFnStorage {
		return fail(ipmi.CodeInvalidCommand)
	}
	switch req.Cmd {
	case 0x20: // Get SDR Repository Info
		n := len(b.sdrs)
		return ok(0x51, byte(n), byte(n>>8), 0x00, 0x10, 1, 0, 0, 0, 1, 0, 0, 0, 0x22)
	case 0x22: // Reserve SDR Repository
		return ok(1, 0)
	case 0x23: // Get SDR
		if len(d) < 6 {
			return fail(ipmi.CodeRequestLengthInvalid)
		}
		id, off, n := binary.LittleEndian.Uint16(d[2:]), int(d[4]), int(d[5])
		for i, r := range b.sdrs {
			if binary.LittleEndian.Uint16(r) != id && !(id == 0 && i == 0) {
				continue
			}
			next := uint16(0xFFFF)
			if i+1 < len(b.sdrs) {
				next = binary.LittleEndian.Uint16(b.sdrs[i+1])
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
		img, found := b.frus[d[0]]
		if !found {
			return fail(ipmi.CodeNotPresent)
		}
		return ok(byte(len(img)), byte(len(img)>>8), 0)
	case 0x11: // Read FRU Data
		img, found := b.frus[d[0]]
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
		for i := 0; i < b.extra; i++ {
			out = append(out, 0xEE)
		}
		return ok(out...)
	case 0x12: // Write FRU Data
		img, found := b.frus[d[0]]
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
		binary.LittleEndian.PutUint16(info[1:], uint16(len(b.sel)))
		return ok(info...)
	case sel.CmdGetAllocInfo:
		return ok(b.selAlloc...)
	case sel.CmdReserve:
		return ok(7, 0)
	case sel.CmdGetEntry:
		id := binary.LittleEndian.Uint16(d[2:])
		for i, r := range b.sel {
			if binary.LittleEndian.Uint16(r) != id && !(id == 0 && i == 0) {
				continue
			}
			next := uint16(0xFFFF)
			if i+1 < len(b.sel) {
				next = binary.LittleEndian.Uint16(b.sel[i+1])
			}
			return ok(append([]byte{byte(next), byte(next >> 8)}, r...)...)
		}
		return fail(ipmi.CodeNotPresent)
	case sel.CmdDeleteEntry:
		id := binary.LittleEndian.Uint16(d[2:])
		for i, r := range b.sel {
			if binary.LittleEndian.Uint16(r) == id {
				b.sel = append(b.sel[:i], b.sel[i+1:]...)
				return ok(byte(id), byte(id>>8))
			}
		}
		return fail(ipmi.CodeNotPresent)
	case sel.CmdClear:
		b.sel = nil
		return ok(1)
	case sel.CmdAddEntry:
		id := uint16(0x100 + len(b.sel))
		r := append([]byte(nil), d...)
		binary.LittleEndian.PutUint16(r, id)
		b.sel = append(b.sel, r)
		return ok(byte(id), byte(id>>8))
	case sel.CmdGetTime:
		return ok(0x2c, 0xc4, 0x04, 0x6b) // the time.txt capture: 11/23/26 22:54:36 UTC
	case sel.CmdSetTime:
		return ok()
	}
	return fail(ipmi.CodeInvalidCommand)
}
