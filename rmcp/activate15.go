package rmcp

import (
	"context"
	"errors"

	"github.com/ipmictl/ipmictl/ipmi"
)

// errProbeFirst tells activateOrProbe that the BMC answered the probe
// while Activate Session was still unanswered.
var errProbeFirst = errors.New("probe answered first")

// activateOrProbe runs after Activate Session went unanswered for its
// short tries. A BMC ignores an Activate Session whose auth code is
// wrong, but a loaded BMC (or a loaded client) can also just be slow,
// and calling that a wrong password would be a lie. BMCs read their
// datagrams in order, so we ask a pre-session question (Get Channel
// Authentication Capabilities) and wait for whichever answer comes
// first: Activate Session's means the login goes on; the probe's while
// Activate Session is still silent means the auth code was refused.
// It costs one round trip on the wrong-password path only.
func (hs *clientHandshake15) activateOrProbe(ctx context.Context, in *halfConn, activateSeq uint8) (*ipmi.Response, error) {
	s := hs.s
	probeSeq := s.nextRq
	s.nextRq = (s.nextRq + 1) & 0x3F
	probe := ipmi.GetChannelAuthCapabilitiesRequest(ipmi.ChannelCurrent, s.st.priv, false)
	msg, err := buildRequest(nil, probe, probeSeq)
	if err != nil {
		return nil, err
	}
	pre := halfConn{v15: true}
	pkt := pre.seal15(nil, msg)
	var rsp *ipmi.Response
	err = s.exchange(ctx, "Activate Session", pkt, 1, s.st.timeout, func(p []byte) error {
		_, body, err := in.open15(p)
		if err != nil {
			return errNotMine
		}
		m, err := parseLANMsg(body)
		if err != nil || len(m.Body) < 1 || m.NetFn != uint8(ipmi.NetFnApp)|1 {
			return errNotMine
		}
		switch {
		case m.Seq == activateSeq && m.Cmd == ipmi.CmdActivateSession:
			rsp = &ipmi.Response{Code: ipmi.CompletionCode(m.Body[0]), Data: append([]byte(nil), m.Body[1:]...)}
			return nil
		case m.Seq == probeSeq && m.Cmd == probe.Cmd:
			return errProbeFirst
		}
		return errNotMine
	})
	return rsp, err
}
