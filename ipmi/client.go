package ipmi

import (
	"context"
	"sync/atomic"
	"time"
)

// Client speaks typed IPMI commands over any Transport. It is safe for
// concurrent use when its Transport is.
type Client struct {
	t    Transport
	busy BusyRetry
	sent atomic.Int64
}

// BusyRetry is how a Client treats "node busy" (completion code 0xC0):
// the BMC did not run the command for want of resources right now, so
// sending it again is safe. The request is sent up to Tries times in
// all, waiting First before the second send and twice as long before
// each next one, at most Max; the caller's context ends the waiting.
type BusyRetry struct {
	Tries int // sends in all; 1 or less: no retry
	First time.Duration
	Max   time.Duration
}

// DefaultBusyRetry is what NewClient uses: 6 sends, waits of 10, 20, 40,
// 80 and 160 ms (310 ms at most) between them.
var DefaultBusyRetry = BusyRetry{Tries: 6, First: 10 * time.Millisecond, Max: 160 * time.Millisecond}

// NewClient returns a Client that sends through t, retrying "node busy"
// answers by DefaultBusyRetry.
func NewClient(t Transport) *Client { return &Client{t: t, busy: DefaultBusyRetry} }

// SetBusyRetry replaces the client's busy retry policy; call it before
// the client is shared.
func (c *Client) SetBusyRetry(p BusyRetry) { c.busy = p }

// send sends req, again while the BMC answers "node busy" and the policy
// allows. The last answer is returned whatever its code.
func (c *Client) send(ctx context.Context, req *Request) (*Response, error) {
	wait := c.busy.First
	for try := 1; ; try++ {
		c.sent.Add(1)
		rsp, err := c.t.Send(ctx, req)
		if err != nil || rsp == nil || rsp.Code != CodeNodeBusy || try >= c.busy.Tries {
			return rsp, err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return rsp, nil // the busy answer stands
		case <-t.C:
		}
		wait = min(2*wait, c.busy.Max)
	}
}

// Transport returns the transport the client sends through.
func (c *Client) Transport() Transport { return c.t }

// Requests counts the requests sent through the client so far (a
// progress display shows it during a long walk).
func (c *Client) Requests() int64 { return c.sent.Load() }

// Close closes the underlying transport (and with it any BMC session).
func (c *Client) Close() error { return c.t.Close() }

// Raw sends req and returns the response whatever its completion code.
// A "node busy" answer is retried first (BusyRetry).
func (c *Client) Raw(ctx context.Context, req *Request) (*Response, error) {
	return c.send(ctx, req)
}

// Do sends req and returns the response data, or a *CompletionError when
// the BMC answered with a non-zero completion code ("node busy" only
// once BusyRetry is spent).
func (c *Client) Do(ctx context.Context, req *Request) ([]byte, error) {
	rsp, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	if rsp.Code != CodeOK {
		return nil, &CompletionError{NetFn: req.NetFn, Cmd: req.Cmd, Code: rsp.Code}
	}
	return rsp.Data, nil
}

// do is the shorthand used by the typed methods.
func (c *Client) do(ctx context.Context, fn NetFn, cmd uint8, data ...byte) ([]byte, error) {
	return c.Do(ctx, &Request{NetFn: fn, Cmd: cmd, Data: data})
}

// need checks that a response carries at least n bytes.
func need(what string, data []byte, n int) error {
	if len(data) < n {
		return ShortError(what, len(data), n)
	}
	return nil
}
