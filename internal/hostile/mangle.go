package hostile

import (
	"context"
	"math/rand"
	"sync"

	"github.com/ipmictl/ipmictl/ipmi"
)

// A Mangle rewrites a valid response into a hostile one. It gets copies:
// it may change and return rsp, or return a new one.
type Mangle func(req *ipmi.Request, rsp *ipmi.Response, rng *rand.Rand) *ipmi.Response

// Mangler is an ipmi.Transport that passes requests to a real (simulated)
// BMC and mangles every answer with its Mangle.
type Mangler struct {
	inner  ipmi.Transport
	mangle Mangle

	mu  sync.Mutex
	rng *rand.Rand
	n   int
}

// NewMangler wraps inner; seed makes the random manglings repeatable.
func NewMangler(inner ipmi.Transport, m Mangle, seed int64) *Mangler {
	return &Mangler{inner: inner, mangle: m, rng: rand.New(rand.NewSource(seed))}
}

// Send forwards req and mangles the answer. Session housekeeping (Close
// Session, Set Session Privilege) passes unchanged, so the session of the
// test BMC is always torn down cleanly.
func (m *Mangler) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	rsp, err := m.inner.Send(ctx, req)
	if err != nil || rsp == nil {
		return rsp, err
	}
	if req.NetFn == ipmi.NetFnApp && (req.Cmd == ipmi.CmdCloseSession || req.Cmd == ipmi.CmdSetSessionPrivilege) {
		return rsp, nil
	}
	cp := &ipmi.Response{Code: rsp.Code, Data: append([]byte(nil), rsp.Data...)}
	rq := *req
	rq.Data = append([]byte(nil), req.Data...)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n++
	return m.mangle(&rq, cp, m.rng), nil
}

// Mangled is how many responses went through the Mangle.
func (m *Mangler) Mangled() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n
}

// Close closes the inner transport.
func (m *Mangler) Close() error { return m.inner.Close() }
