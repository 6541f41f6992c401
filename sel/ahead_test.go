package sel

import (
	"context"
	"encoding/binary"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/ipmitest"
)

// renumber gives the fake's records the IDs ids, in order.
func renumber(f *fakeSEL, ids []uint16) {
	for i, r := range f.recs {
		binary.LittleEndian.PutUint16(r, ids[i])
	}
}

func TestWalkAheadConsecutiveIDs(t *testing.T) {
	f := newFakeSEL(t)
	link := &ipmitest.SlowLink{T: f, Delay: 5 * time.Millisecond}
	ids := make([]uint16, len(f.recs))
	for i := range ids {
		ids[i] = uint16(1 + 2*i) // a stride of 2
	}
	renumber(f, ids)
	recs, _, err := ReadAll(context.Background(), ipmi.NewClient(link), nil)
	if err != nil || len(recs) != len(ids) {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	for i, r := range recs {
		if r.ID != ids[i] {
			t.Fatalf("record %d has ID %d, want %d: out of order", i, r.ID, ids[i])
		}
	}
	if got := f.calls[CmdGetEntry]; got != len(ids) {
		t.Errorf("%d Get SEL Entry for %d records: a guess past the end or twice", got, len(ids))
	}
	if link.Peak() < 2 {
		t.Errorf("at most %d request in flight: nothing was read ahead", link.Peak())
	}
}

func TestWalkAheadIrregularIDsCostNothing(t *testing.T) {
	f := newFakeSEL(t)
	link := &ipmitest.SlowLink{T: f, Delay: time.Millisecond}
	ids := []uint16{7, 3, 90, 91, 200, 14, 15, 16, 900, 4000, 4001}
	renumber(f, ids[:len(f.recs)])
	recs, _, err := ReadAll(context.Background(), ipmi.NewClient(link), nil)
	if err != nil || len(recs) != len(f.recs) {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	for i, r := range recs {
		if r.ID != ids[i] {
			t.Fatalf("record %d has ID %d, want %d", i, r.ID, ids[i])
		}
	}
	// 14, 15, 16 is a stride: one guess (17) may go out before 900 shows
	// it wrong; nothing else.
	if got := f.calls[CmdGetEntry]; got > len(f.recs)+aheadWindow {
		t.Errorf("%d Get SEL Entry for %d records", got, len(f.recs))
	}
}

func TestWalkAheadSilentBMCWaitsOnce(t *testing.T) {
	f := newFakeSEL(t)
	c := ipmi.NewClient(&dyingSEL{fakeSEL: f, answer: 4})
	start := time.Now()
	_, _, err := ReadAll(context.Background(), c, nil)
	if err == nil {
		t.Fatal("a BMC that went silent read whole")
	}
	if took := time.Since(start); took >= dyingWait*3/2 {
		t.Errorf("gave up after %v: a read ahead that timed out was asked for again", took)
	}
}

const dyingWait = 300 * time.Millisecond

// dyingSEL answers its first answer requests, then times out every one
// after dyingWait, as a transport does after its retries.
type dyingSEL struct {
	*fakeSEL
	answer int32
	n      atomic.Int32
}

func (d *dyingSEL) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	if d.n.Add(1) <= d.answer {
		return d.fakeSEL.Send(ctx, req)
	}
	select {
	case <-time.After(dyingWait):
		return nil, context.DeadlineExceeded
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
