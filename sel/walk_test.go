package sel

import (
	"context"
	"encoding/binary"
	"errors"
	"sync"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

// fakeSEL is a BMC holding a SEL, with knobs for misbehaviour.
type fakeSEL struct {
	mu          sync.Mutex
	recs        [][]byte // wire records; IDs in bytes 0-1
	nextOf      map[uint16]uint16
	reservation uint16
	needReserve bool // Get SEL Entry with reservation 0 gets C5h
	cancelEvery int  // every n-th delete finds its reservation cancelled
	deletes     int
	clearPolls  int // status polls before erasure completes
	partialOnly bool
	calls       map[uint8]int
	now         uint32
}

func newFakeSEL(t *testing.T) *fakeSEL {
	f := &fakeSEL{calls: map[uint8]int{}, nextOf: map[uint16]uint16{}}
	for _, r := range labRecords(t) {
		f.recs = append(f.recs, r.Bytes())
	}
	return f
}

func (f *fakeSEL) Close() error { return nil }

func (f *fakeSEL) find(id uint16) int {
	for i, r := range f.recs {
		if binary.LittleEndian.Uint16(r) == id || (id == FirstID && i == 0) || (id == LastID && i == len(f.recs)-1) {
			return i
		}
	}
	return -1
}

func (f *fakeSEL) Send(_ context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[req.Cmd]++
	d := req.Data
	res := func() uint16 { return binary.LittleEndian.Uint16(d) }
	switch req.Cmd {
	case CmdGetInfo:
		out := make([]byte, 14)
		out[0] = 0x51
		binary.LittleEndian.PutUint16(out[1:], uint16(len(f.recs)))
		out[13] = 0x0b
		return &ipmi.Response{Data: out}, nil
	case CmdReserve:
		f.reservation++
		return &ipmi.Response{Data: []byte{byte(f.reservation), byte(f.reservation >> 8)}}, nil
	case CmdGetEntry:
		if (f.needReserve && res() == 0) || (res() != 0 && res() != f.reservation) {
			return &ipmi.Response{Code: ipmi.CodeReservationCancelled}, nil
		}
		if f.partialOnly && d[5] > 8 {
			return &ipmi.Response{Code: ipmi.CodeCannotReturnBytes}, nil
		}
		i := f.find(binary.LittleEndian.Uint16(d[2:]))
		if i < 0 {
			return &ipmi.Response{Code: ipmi.CodeNotPresent}, nil
		}
		id := binary.LittleEndian.Uint16(f.recs[i])
		next, ok := f.nextOf[id]
		if !ok {
			next = LastID
			if i+1 < len(f.recs) {
				next = binary.LittleEndian.Uint16(f.recs[i+1])
			}
		}
		off, n := int(d[4]), int(d[5])
		if n == 0xFF {
			n = RecordLen
		}
		out := []byte{byte(next), byte(next >> 8)}
		return &ipmi.Response{Data: append(out, f.recs[i][off:min(off+n, RecordLen)]...)}, nil
	case CmdDeleteEntry:
		f.deletes++
		if res() != f.reservation || (f.cancelEvery > 0 && f.deletes%f.cancelEvery == 0) {
			return &ipmi.Response{Code: ipmi.CodeReservationCancelled}, nil
		}
		i := f.find(binary.LittleEndian.Uint16(d[2:]))
		if i < 0 {
			return &ipmi.Response{Code: ipmi.CodeNotPresent}, nil
		}
		id := f.recs[i][:2]
		f.recs = append(f.recs[:i], f.recs[i+1:]...)
		return &ipmi.Response{Data: id}, nil
	case CmdClear:
		if res() != f.reservation || string(d[2:5]) != "CLR" {
			return &ipmi.Response{Code: ipmi.CodeInvalidDataField}, nil
		}
		if d[5] == clearInitiate {
			f.recs = nil
			return &ipmi.Response{Data: []byte{0}}, nil
		}
		if f.clearPolls > 0 {
			f.clearPolls--
			return &ipmi.Response{Data: []byte{0}}, nil
		}
		return &ipmi.Response{Data: []byte{1}}, nil
	case CmdAddEntry:
		rec := append([]byte(nil), d...)
		id := uint16(len(f.recs) + 100)
		binary.LittleEndian.PutUint16(rec, id)
		f.recs = append(f.recs, rec)
		return &ipmi.Response{Data: []byte{byte(id), byte(id >> 8)}}, nil
	case CmdGetTime:
		return &ipmi.Response{Data: binary.LittleEndian.AppendUint32(nil, f.now)}, nil
	case CmdSetTime:
		f.now = binary.LittleEndian.Uint32(d)
		return &ipmi.Response{}, nil
	}
	return &ipmi.Response{Code: ipmi.CodeInvalidCommand}, nil
}

func TestReadAllRoundTrips(t *testing.T) {
	f := newFakeSEL(t)
	var seen []int
	recs, info, err := ReadAll(context.Background(), ipmi.NewClient(f), func(done, total int) { seen = append(seen, done*100+total) })
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 11 || info.Entries != 11 || recs[10].Type != 0xE0 {
		t.Fatalf("%d records, info %+v", len(recs), info)
	}
	// ipmitool's count: Get SEL Info + one Get SEL Entry per record.
	if f.calls[CmdGetInfo] != 1 || f.calls[CmdGetEntry] != 11 || f.calls[CmdReserve] != 0 {
		t.Errorf("calls %v", f.calls)
	}
	if len(seen) != 11 || seen[10] != 1111 {
		t.Errorf("progress %v", seen)
	}
}

func TestWalkReservationAndPartial(t *testing.T) {
	f := newFakeSEL(t)
	f.needReserve, f.partialOnly = true, true
	recs, _, err := ReadAll(context.Background(), ipmi.NewClient(f), nil)
	if err != nil || len(recs) != 11 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	if recs[3].Event.SensorNumber != 6 {
		t.Errorf("partial reads assembled wrongly: %+v", recs[3].Event)
	}
}

func TestWalkLoopGuard(t *testing.T) {
	f := newFakeSEL(t)
	f.nextOf[5] = 3 // record 5 points back to record 3
	_, _, err := ReadAll(context.Background(), ipmi.NewClient(f), nil)
	var le *LoopError
	if !errors.As(err, &le) || le.ID != 5 || le.Next != 3 {
		t.Fatalf("got %v, want a loop error", err)
	}
	f.nextOf[5] = 5 // pointing at itself
	if _, _, err := ReadAll(context.Background(), ipmi.NewClient(f), nil); !errors.As(err, &le) {
		t.Fatalf("self loop: %v", err)
	}
}

func TestEmptySEL(t *testing.T) {
	f := newFakeSEL(t)
	f.recs = nil
	recs, info, err := ReadAll(context.Background(), ipmi.NewClient(f), nil)
	if err != nil || len(recs) != 0 || info.Entries != 0 || f.calls[CmdGetEntry] != 0 {
		t.Fatalf("%v %v %+v %v", recs, err, info, f.calls)
	}
	// A BMC that says "not present" for record 0 is empty too.
	if err := Walk(context.Background(), ipmi.NewClient(f), 0, nil, func(*Record) error { return errors.New("called") }); err != nil {
		t.Fatal(err)
	}
}

func TestDeleteClearTime(t *testing.T) {
	ctx := context.Background()
	f := newFakeSEL(t)
	f.cancelEvery = 2
	c := ipmi.NewClient(f)
	if err := Delete(ctx, c, 1, 2, 3); err != nil {
		t.Fatal(err)
	}
	if len(f.recs) != 8 || f.find(2) >= 0 {
		t.Fatalf("records left %d", len(f.recs))
	}
	if err := Delete(ctx, c, 0x777); !ipmi.IsCompletion(err, ipmi.CodeNotPresent) {
		t.Errorf("deleting a missing record: %v", err)
	}
	f.clearPolls = 3
	if err := Clear(ctx, c, true); err != nil {
		t.Fatal(err)
	}
	if len(f.recs) != 0 || f.calls[CmdClear] != 5 {
		t.Errorf("clear: %d records, %d Clear SEL calls", len(f.recs), f.calls[CmdClear])
	}
	if err := SetTime(ctx, c, 1700000000); err != nil {
		t.Fatal(err)
	}
	if now, err := GetTime(ctx, c); err != nil || now != 1700000000 {
		t.Errorf("time %d %v", now, err)
	}
	id, err := AddEntry(ctx, c, NewSystemEvent(0, SystemEvent{GeneratorID: 0x41, EvMRev: 4, SensorType: 1, EventType: 1}))
	if err != nil || id != 100 {
		t.Errorf("add: %d %v", id, err)
	}
}
