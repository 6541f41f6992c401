package ipmi

import "context"

// Bridged returns a Transport that sends every request without a target of
// its own to target (through transit, for a double bridge), as ipmitool's
// -t/-b/-T/-B do. Closing it closes t.
func Bridged(t Transport, target, transit *Address) Transport {
	return &bridged{t: t, target: target, transit: transit}
}

type bridged struct {
	t               Transport
	target, transit *Address
}

func (b *bridged) Send(ctx context.Context, req *Request) (*Response, error) {
	if req.Target == nil {
		r := *req
		r.Target, r.Transit = b.target, b.transit
		req = &r
	}
	return b.t.Send(ctx, req)
}

func (b *bridged) Close() error { return b.t.Close() }
