package ipmi

import (
	"context"
	"sync/atomic"
)

// Client speaks typed IPMI commands over any Transport. It is safe for
// concurrent use when its Transport is.
type Client struct {
	t    Transport
	sent atomic.Int64
}

// NewClient returns a Client that sends through t.
func NewClient(t Transport) *Client { return &Client{t: t} }

// Transport returns the transport the client sends through.
func (c *Client) Transport() Transport { return c.t }

// Requests counts the requests sent through the client so far (a
// progress display shows it during a long walk).
func (c *Client) Requests() int64 { return c.sent.Load() }

// Close closes the underlying transport (and with it any BMC session).
func (c *Client) Close() error { return c.t.Close() }

// Raw sends req and returns the response whatever its completion code.
func (c *Client) Raw(ctx context.Context, req *Request) (*Response, error) {
	c.sent.Add(1)
	return c.t.Send(ctx, req)
}

// Do sends req and returns the response data, or a *CompletionError when
// the BMC answered with a non-zero completion code.
func (c *Client) Do(ctx context.Context, req *Request) ([]byte, error) {
	c.sent.Add(1)
	rsp, err := c.t.Send(ctx, req)
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
