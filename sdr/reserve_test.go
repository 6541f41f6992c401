package sdr

import (
	"context"
	"sync"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

// cancellingBMC cancels the reservation on every every-th Get SDR, as
// happens when other clients walk the same repository at the same time.
type cancellingBMC struct {
	*fakeBMC
	mu       sync.Mutex
	every, n int
}

func (c *cancellingBMC) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	if req.NetFn == ipmi.NetFnStorage && req.Cmd == cmdGetSDR {
		c.mu.Lock()
		c.n++
		cancel := c.n%c.every == 0
		c.mu.Unlock()
		if cancel {
			return &ipmi.Response{Code: ipmi.CodeReservationCancelled}, nil
		}
	}
	return c.fakeBMC.Send(ctx, req)
}

// The retry budget for cancelled reservations is per record: a walk that
// meets more cancellations in all than the budget (other clients
// reserving now and then) still completes.
func TestWalkManyCancellationsInAll(t *testing.T) {
	bmc := &cancellingBMC{fakeBMC: newFakeBMC(t, simDump), every: 3}
	repo, err := (&Loader{Client: ipmi.NewClient(bmc)}).Load(context.Background())
	if err != nil {
		t.Fatalf("after %d Get SDR: %v", bmc.n, err)
	}
	if len(repo.Records) != 23 || bmc.n/bmc.every <= maxReserveRetry {
		t.Fatalf("records %d, %d cancellations", len(repo.Records), bmc.n/bmc.every)
	}
}

// A BMC that cancels every reservation still ends the walk, with the
// completion error.
func TestWalkAlwaysCancelledEnds(t *testing.T) {
	bmc := &cancellingBMC{fakeBMC: newFakeBMC(t, simDump), every: 1}
	_, err := (&Loader{Client: ipmi.NewClient(bmc)}).Load(context.Background())
	if !ipmi.IsCompletion(err, ipmi.CodeReservationCancelled) {
		t.Fatalf("err %v after %d Get SDR", err, bmc.n)
	}
	if bmc.n > 2*(maxReserveRetry+1) {
		t.Fatalf("%d Get SDR before giving up", bmc.n)
	}
}
