package rmcp

import (
	"context"
	"crypto/rand"
	"errors"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// confirmWithoutRAKP4 rescues a login whose RAKP 4 was lost: ipmi_sim
// (and other BMCs) activate the session on the first RAKP 3 and ignore a
// retransmitted one, so one lost datagram would fail the login and leave
// a session behind on the BMC. With an integrity algorithm, a reply that
// passes the session's integrity check proves the BMC holds the SIK,
// just as RAKP 4's check value would; so we ask Get Device ID in the new
// session and take a valid answer as the confirmation. Without integrity
// nothing can prove that, and the timeout stands.
func (hs *clientHandshake20) confirmWithoutRAKP4(ctx context.Context, rakpErr error) error {
	var te *TimeoutError
	if !errors.As(rakpErr, &te) || hs.integ.New == nil {
		return rakpErr
	}
	switch err := hs.confirmUnderKeys(ctx, hs.s.st.tries, hs.s.st.timeout); {
	case err == nil:
		hs.s.st.logf("rmcp: RAKP 4 was lost; the session answered under its keys, so it is up")
		return nil
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return rakpErr
}

// confirmUnderKeys arms the session keys and asks Get Device ID in the
// new session: an answer that passes the integrity check proves the BMC
// holds the same SIK. nil means proven.
func (hs *clientHandshake20) confirmUnderKeys(ctx context.Context, tries int, timeout time.Duration) error {
	if err := hs.establishKeys(); err != nil {
		return err
	}
	s := hs.s
	seq := s.nextRq
	s.nextRq = (s.nextRq + 1) & 0x3F
	req := &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID}
	msg, err := buildRequest(nil, req, seq)
	if err != nil {
		return err
	}
	next := func() ([]byte, error) { return s.out.seal20(nil, PayloadIPMI, msg, rand.Reader) }
	return s.exchangeEach(ctx, "Get Device ID (confirming the session keys)", next, tries, timeout, func(p []byte) error {
		h, payload, err := s.in.open20(p)
		if err != nil || h.PayloadType != PayloadIPMI {
			return errNotMine
		}
		m, err := parseLANMsg(payload)
		if err != nil || m.Seq != seq || m.NetFn != uint8(ipmi.NetFnApp)|1 || m.Cmd != ipmi.CmdGetDeviceID {
			return errNotMine
		}
		return nil
	})
}
