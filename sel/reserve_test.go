package sel

import (
	"context"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

// cancellingSEL cancels the reservation on every every-th Get SEL Entry,
// as happens while other clients reserve the same SEL.
type cancellingSEL struct {
	*fakeSEL
	every, n int
}

func (c *cancellingSEL) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	if req.NetFn == ipmi.NetFnStorage && req.Cmd == CmdGetEntry {
		if c.n++; c.n%c.every == 0 {
			return &ipmi.Response{Code: ipmi.CodeReservationCancelled}, nil
		}
	}
	return c.fakeSEL.Send(ctx, req)
}

// The budget for cancelled reservations is per entry: a walk meeting more
// cancellations in all than one entry may have still completes.
func TestWalkManyCancellationsInAll(t *testing.T) {
	f := &cancellingSEL{fakeSEL: newFakeSEL(t), every: 2}
	n := 0
	err := Walk(context.Background(), ipmi.NewClient(f), 0, nil, func(*Record) error { n++; return nil })
	if err != nil {
		t.Fatalf("after %d Get SEL Entry: %v", f.n, err)
	}
	if n != len(f.recs) || f.n/f.every <= 3 {
		t.Fatalf("%d of %d entries, %d cancellations", n, len(f.recs), f.n/f.every)
	}
}

// A BMC that cancels every reservation still ends the walk with the error.
func TestWalkAlwaysCancelledEnds(t *testing.T) {
	f := &cancellingSEL{fakeSEL: newFakeSEL(t), every: 1}
	err := Walk(context.Background(), ipmi.NewClient(f), 0, nil, func(*Record) error { return nil })
	if !ipmi.IsCompletion(err, ipmi.CodeReservationCancelled) || f.n > 10 {
		t.Fatalf("err %v after %d Get SEL Entry", err, f.n)
	}
}
