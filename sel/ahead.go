package sel

import (
	"context"
	"errors"
	"sync"

	"github.com/ipmictl/ipmictl/ipmi"
)

// aheadWindow is how many entries are read before the walk asks for them:
// with the walk's own request, four in flight, what an RMCP+ session
// allows.
const aheadWindow = 3

// ahead reads SEL entries before Walk asks for them. The SEL is a linked
// list, but most BMCs number their entries 1, 2, 3 ...: once two steps
// in a row had the same stride, the next entries are guessed and read
// ahead; a wrong guess drops them and waits for two equal steps again.
// Guesses stop at the count Get SEL Info gave, so a BMC whose IDs do
// follow a stride costs no request more than a walk one at a time.
type ahead struct {
	ctx     context.Context
	cancel  context.CancelFunc
	c       *ipmi.Client
	total   int
	stride  uint16 // the last step, 0 before the second record
	steady  bool   // the last two steps were equal
	pending map[uint16]*aheadRead
	wg      sync.WaitGroup
}

type aheadRead struct {
	cancel context.CancelFunc
	done   chan struct{}
	rec    *Record
	next   uint16
	err    error
}

func newAhead(ctx context.Context, c *ipmi.Client, total int) *ahead {
	ctx, cancel := context.WithCancel(ctx)
	return &ahead{ctx: ctx, cancel: cancel, c: c, total: total, pending: map[uint16]*aheadRead{}}
}

// close cancels what is still in flight and waits for it.
func (a *ahead) close() {
	a.cancel()
	a.wg.Wait()
}

// get returns entry id: the read sent ahead when there is one, else a
// read now. A read sent ahead that was cancelled, or that the BMC refused
// (the walk handles refusals itself), is sent again; one the BMC never
// answered is not, since that would wait the whole retry budget twice.
func (a *ahead) get(ctx context.Context, res, id uint16) (*Record, uint16, error) {
	if p, ok := a.pending[id]; ok {
		delete(a.pending, id)
		select {
		case <-p.done:
		case <-ctx.Done():
			p.cancel()
			return nil, 0, ctx.Err()
		}
		var cc *ipmi.CompletionError
		if p.err == nil || !(errors.Is(p.err, context.Canceled) || errors.As(p.err, &cc)) {
			return p.rec, p.next, p.err
		}
	}
	return GetEntry(ctx, a.c, res, id)
}

// read notes that entry id (the done-th, counting from 1) led to next,
// and sends ahead the entries after next when the IDs keep a stride.
func (a *ahead) read(res, id, next uint16, done int) {
	step := next - id
	a.steady = a.stride != 0 && step == a.stride && next > id
	a.stride = step
	if !a.steady || a.total <= 0 {
		a.drop()
		return
	}
	// next is the (done+1)-th entry; guess up to aheadWindow after it.
	guess := next
	for k := 1; k <= aheadWindow && done+1+k <= a.total; k++ {
		if uint32(guess)+uint32(a.stride) >= uint32(LastID) {
			break
		}
		guess += a.stride
		if _, ok := a.pending[guess]; !ok {
			a.send(res, guess)
		}
	}
}

func (a *ahead) send(res, id uint16) {
	ctx, cancel := context.WithCancel(a.ctx)
	p := &aheadRead{cancel: cancel, done: make(chan struct{})}
	a.pending[id] = p
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer close(p.done)
		p.rec, p.next, p.err = GetEntry(ctx, a.c, res, id)
	}()
}

// drop forgets the guesses: their answers are not waited for.
func (a *ahead) drop() {
	for id, p := range a.pending {
		p.cancel()
		delete(a.pending, id)
	}
}
