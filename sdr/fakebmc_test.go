package sdr

import (
	"context"
	"encoding/binary"
	"os"
	"sync"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

// fakeBMC serves an SDR repository and sensor readings the way ipmi_sim
// does: Get SDR reads of more than maxRead bytes fail with 0xCA.
type fakeBMC struct {
	mu       sync.Mutex
	records  [][]byte
	info     RepoInfo
	maxRead  int
	readings map[uint8][]byte
	resv     uint16
	// cancelAt, when > 0, cancels the reservation on that Get SDR request.
	cancelAt int
	loopBack bool // the last record's next ID points at the first
	// deviceOnly serves the records as Device SDRs (04/20-22) and answers
	// the repository commands with 0xC1, like a satellite controller.
	deviceOnly bool

	counts map[uint8]int
	total  int
}

func newFakeBMC(t testing.TB, file string) *fakeBMC {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	raws, err := SplitDump(b)
	if err != nil {
		t.Fatal(err)
	}
	return &fakeBMC{records: raws, maxRead: 33, counts: map[uint8]int{}, readings: map[uint8][]byte{},
		info: RepoInfo{Version: 0x51, Count: uint16(len(raws)), FreeSpace: 0xfffe, AddStamp: 0x6b04bef8, OpSupport: 2}}
}

func (f *fakeBMC) Close() error { return nil }

func (f *fakeBMC) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts[req.Cmd]++
	f.total++
	ok := func(d ...byte) (*ipmi.Response, error) { return &ipmi.Response{Data: d}, nil }
	cc := func(c ipmi.CompletionCode) (*ipmi.Response, error) { return &ipmi.Response{Code: c}, nil }
	if f.deviceOnly {
		switch {
		case req.NetFn == ipmi.NetFnStorage:
			return cc(ipmi.CodeInvalidCommand)
		case req.NetFn == ipmi.NetFnSensorEvent && req.Cmd == cmdGetDeviceSDRInfo:
			return ok(byte(len(f.records)), 0x01, 1, 2, 3, 4)
		case req.NetFn == ipmi.NetFnSensorEvent && req.Cmd == cmdReserveDeviceSDR:
			req = &ipmi.Request{NetFn: ipmi.NetFnStorage, Cmd: cmdReserveRepo}
		case req.NetFn == ipmi.NetFnSensorEvent && req.Cmd == cmdGetDeviceSDR:
			req = &ipmi.Request{NetFn: ipmi.NetFnStorage, Cmd: cmdGetSDR, Data: req.Data}
		}
	}
	switch {
	case req.NetFn == ipmi.NetFnStorage && req.Cmd == cmdGetRepoInfo:
		i := f.info
		b := []byte{i.Version}
		b = binary.LittleEndian.AppendUint16(b, i.Count)
		b = binary.LittleEndian.AppendUint16(b, i.FreeSpace)
		b = binary.LittleEndian.AppendUint32(b, i.AddStamp)
		b = binary.LittleEndian.AppendUint32(b, i.EraseStamp)
		return ok(append(b, i.OpSupport)...)
	case req.NetFn == ipmi.NetFnStorage && req.Cmd == cmdReserveRepo:
		f.resv++
		return ok(byte(f.resv), byte(f.resv>>8))
	case req.NetFn == ipmi.NetFnStorage && req.Cmd == cmdGetSDR:
		if len(req.Data) != 6 {
			return cc(ipmi.CodeRequestLengthInvalid)
		}
		if f.cancelAt > 0 && f.counts[cmdGetSDR] == f.cancelAt {
			return cc(ipmi.CodeReservationCancelled)
		}
		id := binary.LittleEndian.Uint16(req.Data[2:])
		off, n := int(req.Data[4]), int(req.Data[5])
		idx := -1
		for i, r := range f.records {
			if binary.LittleEndian.Uint16(r) == id || (id == 0 && i == 0) {
				idx = i
				break
			}
		}
		if idx < 0 {
			return cc(ipmi.CodeNotPresent)
		}
		rec := f.records[idx]
		next := uint16(0xffff)
		if idx+1 < len(f.records) {
			next = binary.LittleEndian.Uint16(f.records[idx+1])
		} else if f.loopBack {
			next = binary.LittleEndian.Uint16(f.records[0])
		}
		if off > len(rec) {
			return cc(ipmi.CodeParameterOutOfRange)
		}
		avail := len(rec) - off
		if n == 0xff {
			n = avail
		}
		if n > f.maxRead {
			return cc(ipmi.CodeCannotReturnBytes)
		}
		n = min(n, avail)
		return ok(append([]byte{byte(next), byte(next >> 8)}, rec[off:off+n]...)...)
	case req.NetFn == ipmi.NetFnSensorEvent && req.Cmd == cmdGetReading:
		if r, found := f.readings[req.Data[0]]; found {
			return ok(r...)
		}
		return cc(ipmi.CodeNotPresent)
	}
	return cc(ipmi.CodeInvalidCommand)
}
