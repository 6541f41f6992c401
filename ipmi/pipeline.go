package ipmi

import (
	"context"
	"errors"
	"sync"
	"time"
)

// DefaultWindow is how many requests a pipeline keeps in flight on one
// session at most. It matches what an RMCP/RMCP+ session lets travel at
// once (package rmcp queues any more): real BMCs buffer only a handful
// of requests per session, and a request the BMC had no room for is
// answered "node busy" or silently dropped, either of which costs more
// than it saves. The 6-bit IPMI sequence number (64 values) and the
// BMC's session sequence window are far from the limit at 4.
const DefaultWindow = 4

// Window bounds the requests a pipeline has in flight on one session, and
// adapts the bound to what the BMC shows it can take: a "node busy"
// answer or a lost request (one answered only after the transport
// retransmitted it, or never) halves it (rounding up), down to 1; each
// run of clean answers twice as long as the window grows it by one, up to
// its maximum, except that growing back to the size that last met
// trouble takes a run of probeRun clean answers. A Window is safe for concurrent use and may be shared by the
// pipelines of one session, so that what one learns the next keeps.
type Window struct {
	mu         sync.Mutex
	max        int
	size       int
	clean      int           // clean answers since the size last changed
	srtt       time.Duration // smoothed round trip of clean answers
	lastShrink time.Time
	shrinks    int
	troubleAt  int // the size at the last shrink (0: none yet)
}

// NewWindow returns a window of at most max requests (DefaultWindow when
// max < 1) that starts fully open.
func NewWindow(max int) *Window {
	if max < 1 {
		max = DefaultWindow
	}
	return &Window{max: max, size: max}
}

// Size is the current bound.
func (w *Window) Size() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.size
}

// Max is the largest the bound grows to.
func (w *Window) Max() int { return w.max }

// Shrinks counts how often trouble halved the window.
func (w *Window) Shrinks() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.shrinks
}

// Loss detection: an answer that took longer than lossFactor times the
// smoothed round trip plus lossSlack came after a retransmission.
const (
	lossFactor = 4
	lossSlack  = 100 * time.Millisecond
	// probeRun is the clean answers it takes to try again the window size
	// that last met trouble.
	probeRun = 32
)

// observe takes one send's outcome into account.
func (w *Window) observe(took time.Duration, rsp *Response, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case err != nil:
		if errors.Is(err, context.Canceled) {
			return // the pipeline gave up on it, the BMC did nothing wrong
		}
		w.shrink()
	case rsp != nil && rsp.Code == CodeNodeBusy:
		w.shrink()
	case w.srtt > 0 && took > lossFactor*w.srtt+lossSlack:
		w.shrink()
	default:
		if w.srtt == 0 {
			w.srtt = took
		} else {
			w.srtt += (took - w.srtt) / 8
		}
		need := 2 * w.size
		if w.size+1 >= w.troubleAt {
			need = max(need, probeRun)
		}
		if w.clean++; w.clean >= need && w.size < w.max {
			w.size++
			w.clean = 0
		}
	}
}

// shrink halves the window, at most once per round trip: the answers to
// requests sent before the first sign of trouble tell nothing new.
func (w *Window) shrink() {
	w.clean = 0
	now := time.Now()
	if !w.lastShrink.IsZero() && now.Sub(w.lastShrink) < max(w.srtt, time.Millisecond) {
		return
	}
	w.lastShrink = now
	w.shrinks++
	if w.size > 1 {
		w.troubleAt = w.size
	}
	w.size = max((w.size+1)/2, 1)
}

// observed is a Transport that reports every send to a Window.
type observed struct {
	t Transport
	w *Window
}

func (o *observed) Send(ctx context.Context, req *Request) (*Response, error) {
	start := time.Now()
	rsp, err := o.t.Send(ctx, req)
	o.w.observe(time.Since(start), rsp, err)
	return rsp, err
}

func (o *observed) Close() error { return o.t.Close() }

// Client returns a client that sends through c's transport with c's
// busy retry policy and reports every answer, busy ones included, to w.
func (w *Window) Client(c *Client) *Client {
	if o, ok := c.t.(*observed); ok && o.w == w {
		return c
	}
	return &Client{t: &observed{t: c.t, w: w}, busy: c.busy}
}

// A Job is one unit of pipelined work: usually one request, at most a few
// that depend on each other. It sends through c, which reports to the
// pipeline's window, and must stop when ctx ends.
type Job[T any] func(ctx context.Context, c *Client, i int) (T, error)

// Pipeline runs job(0) … job(n-1) over c, starting them in index order
// with at most w.Size() running at once (w nil: a fresh NewWindow(0)),
// and hands their results to deliver in index order, on the calling
// goroutine. Results are what the same jobs run one after the other
// would give, and so is the error: the first error in index order ends
// the run, after every result before it was delivered, and no job after
// it starts (those already running are cancelled and their results
// dropped). deliver returning false ends the run the same way, with a
// nil error.
func Pipeline[T any](ctx context.Context, c *Client, w *Window, n int, job Job[T], deliver func(i int, v T) bool) error {
	if n <= 0 {
		return nil
	}
	if w == nil {
		w = NewWindow(0)
	}
	oc := w.Client(c)
	type result struct {
		i   int
		v   T
		err error
	}
	var (
		done     = make(chan result)
		cancels  = make(map[int]context.CancelFunc)
		ready    = make(map[int]result)
		started  int
		next     int
		limit    = n // no job at or after limit starts (first failure + 1)
		inflight int
		err      error
	)
	// stop cancels every running job after index i.
	stop := func(i int) {
		limit = min(limit, i+1)
		for j, cancel := range cancels {
			if j > i {
				cancel()
			}
		}
	}
	for next < limit {
		for started < limit && inflight < w.Size() && ctx.Err() == nil {
			i := started
			jctx, cancel := context.WithCancel(ctx)
			cancels[i] = cancel
			started++
			inflight++
			go func() {
				v, err := job(jctx, oc, i)
				done <- result{i, v, err}
			}()
		}
		if inflight == 0 {
			// Nothing runs and nothing may start: the context ended.
			err = ctx.Err()
			break
		}
		r := <-done
		inflight--
		cancels[r.i]()
		delete(cancels, r.i)
		if r.i >= limit {
			continue // cancelled after an earlier failure
		}
		if r.err != nil {
			stop(r.i)
		}
		ready[r.i] = r
		for next < limit {
			r, ok := ready[next]
			if !ok {
				break
			}
			delete(ready, next)
			if r.err != nil {
				err = r.err
				stop(-1)
				break
			}
			if !deliver(next, r.v) {
				stop(-1)
				break
			}
			next++
		}
	}
	// Wait for the cancelled jobs: none may outlive the call.
	for ; inflight > 0; inflight-- {
		r := <-done
		cancels[r.i]()
	}
	return err
}

// Collect runs Pipeline and returns the results in index order: all n of
// them, or those before the first error together with it.
func Collect[T any](ctx context.Context, c *Client, w *Window, n int, job Job[T]) ([]T, error) {
	out := make([]T, 0, max(n, 0))
	err := Pipeline(ctx, c, w, n, job, func(_ int, v T) bool {
		out = append(out, v)
		return true
	})
	return out, err
}
