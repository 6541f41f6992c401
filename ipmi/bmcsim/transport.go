package bmcsim

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// ErrPacketLost is returned by the in-process Transport when the loss
// fault swallowed the request or its response (a LAN client would time
// out and retry).
var ErrPacketLost = errors.New("bmcsim: packet lost (injected fault)")

// Transport returns an in-process ipmi.Transport that logs in as user and
// runs its session at privilege priv, with no network in between. The
// session is opened on the first Send, so it takes a slot like a LAN
// session would, fails the same way when none is free, and is gone after
// a Reboot. Close frees the slot.
func (b *BMC) Transport(user string, priv ipmi.Privilege) ipmi.Transport {
	return &transport{b: b, user: user, priv: priv}
}

type transport struct {
	b    *BMC
	user string
	priv ipmi.Privilege

	mu     sync.Mutex
	id     uint32
	closed bool
}

func (t *transport) session() (uint32, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return 0, ErrSessionClosed
	}
	if t.id != 0 {
		if !t.b.SessionActive(t.id) {
			return 0, ErrSessionClosed
		}
		return t.id, nil
	}
	cred, found := t.b.LookupUser([]byte(t.user))
	if !found {
		return 0, fmt.Errorf("%w: %q", ErrNoSuchUser, t.user)
	}
	if t.priv > cred.PrivLimit || t.priv < ipmi.PrivilegeCallback {
		return 0, fmt.Errorf("%w: %s for %q (limit %s)", ErrPrivilege, t.priv, t.user, cred.PrivLimit)
	}
	id, err := t.b.OpenSession(SessionRequest{UserID: cred.UserID, MaxPriv: cred.PrivLimit, IPMI20: true})
	if err != nil {
		return 0, err
	}
	if err := t.b.setSessionPriv(id, t.priv); err != nil {
		t.b.CloseSession(id)
		return 0, err
	}
	t.id = id
	return id, nil
}

func (t *transport) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	if req == nil {
		return nil, errors.New("bmcsim: nil request")
	}
	fate := t.b.PacketFate()
	if fate.Drop {
		return nil, ErrPacketLost
	}
	id, err := t.session()
	if err != nil {
		return nil, err
	}
	if fate.Delay > 0 {
		timer := time.NewTimer(fate.Delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-timer.C:
		}
	}
	if req.Target != nil {
		// Nothing sits behind this BMC on IPMB.
		return &ipmi.Response{Code: ipmi.CodeDestinationUnavailable}, nil
	}
	rsp := t.b.Handle(ctx, SessionInfo{ID: id}, req)
	if req.NetFn == ipmi.NetFnApp && req.Cmd == 0x3C && rsp.Code == ipmi.CodeOK && !t.b.SessionActive(id) {
		t.mu.Lock()
		t.closed = true
		t.mu.Unlock()
	}
	return rsp, nil
}

func (t *transport) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.id != 0 && !t.closed {
		t.b.CloseSession(t.id)
	}
	t.closed = true
	return nil
}
