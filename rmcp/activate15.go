package rmcp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// errProbeFirst tells activateExchange that the BMC answered the probe
// while Activate Session was still unanswered.
var errProbeFirst = errors.New("probe answered first")

// activateExchange sends Activate Session and waits for its answer. A
// BMC ignores an Activate Session whose auth code is wrong, so silence
// right after it answered the challenge usually means a wrong password:
// two short tries, bounded by the challenge's round trip, instead of the
// full retry count. But a loaded BMC (or client) can just be slow, and a
// lossy path can eat both tries; calling either a wrong password would
// be a lie. So after the short tries we ask a pre-session question (Get
// Channel Authentication Capabilities) and take whichever answer comes
// first: BMCs read their datagrams in order, so Activate Session's means
// the login goes on, and the probe's, with Activate Session still
// silent, means the auth code was refused, unless the path has lost
// datagrams during this login: then Activate Session is retransmitted
// for the rest of the retry count before the verdict.
func (hs *clientHandshake15) activateExchange(ctx context.Context, out, in *halfConn, req *ipmi.Request) (*ipmi.Response, error) {
	s := hs.s
	seq := s.nextRq
	s.nextRq = (s.nextRq + 1) & 0x3F
	msg, err := buildRequest(nil, req, seq)
	if err != nil {
		return nil, err
	}
	pkt := out.seal15(nil, msg)
	s.activations.arm(*in, seq, hs.password)
	var rsp *ipmi.Response
	accept := func(p []byte) error {
		r, err := hs.activateAnswer(in, seq, p)
		if r != nil {
			rsp = r
		}
		return err
	}
	wait := min(s.st.timeout, max(300*time.Millisecond, 20*hs.challengeRTT))
	short := min(2, s.st.tries)
	err = s.exchange(ctx, "Activate Session", pkt, short, wait, accept)
	var te *TimeoutError
	if errors.As(err, &te) {
		rsp, err = hs.activateOrProbe(ctx, in, seq)
		// Activate Session's own short tries do not count as loss.
		lossy := s.setupRetransmits > short-1
		if errors.Is(err, errProbeFirst) && lossy && s.st.tries > short {
			s.st.logf("rmcp: Activate Session unanswered on a path that loses datagrams; retransmitting")
			err = s.exchange(ctx, "Activate Session", pkt, s.st.tries-short, s.st.timeout, accept)
			if errors.As(err, &te) {
				err = errProbeFirst
			}
		}
		if errors.Is(err, errProbeFirst) {
			return nil, &AuthError{Addr: s.st.addr, Step: "Activate Session", Kind: ErrBadPassword,
				Hint: "no answer although the BMC answered the challenge and answers other requests: check the password (-P)"}
		}
	}
	if err != nil && ctx.Err() != nil {
		hs.reapLateActivate(in, seq)
	}
	return rsp, err
}

// activateAnswer returns the answer to the Activate Session sent as seq;
// errNotMine if p is something else; and an *AuthError (ErrAuthDowngrade)
// if p answers it under another auth type than the one asked for: a BMC
// that knows the password answers MD5 with MD5, so one answering with
// NONE does not know it, or something on the path rewrote the answer.
func (hs *clientHandshake15) activateAnswer(in *halfConn, seq uint8, p []byte) (*ipmi.Response, error) {
	if r := parseActivateAnswer(in, seq, p); r != nil {
		return r, nil
	}
	if _, rest, err := parseRMCPHeader(p); err == nil {
		if h, msg, err := parseSession15(rest); err == nil && h.AuthType != in.authType {
			if m, err := parseLANMsg(msg); err == nil && m.Seq == seq && m.NetFn == uint8(ipmi.NetFnApp)|1 && m.Cmd == ipmi.CmdActivateSession {
				return nil, &AuthError{Addr: hs.s.st.addr, Step: "Activate Session", Kind: ErrAuthDowngrade,
					Hint: fmt.Sprintf("asked for %s, the answer came with %s: refused (the BMC may not know the password, or something on the path rewrote the answer)",
						AuthTypeName(int(in.authType)), AuthTypeName(int(h.AuthType)))}
			}
		}
	}
	return nil, errNotMine
}

// parseActivateAnswer returns the answer to the Activate Session sent as seq,
// or nil if p is something else.
func parseActivateAnswer(in *halfConn, seq uint8, p []byte) *ipmi.Response {
	_, body, err := in.open15(p)
	if err != nil {
		return nil
	}
	m, err := parseLANMsg(body)
	if err != nil || m.Seq != seq || m.NetFn != uint8(ipmi.NetFnApp)|1 || m.Cmd != ipmi.CmdActivateSession || len(m.Body) < 1 {
		return nil
	}
	return &ipmi.Response{Code: ipmi.CompletionCode(m.Body[0]), Data: append([]byte(nil), m.Body[1:]...)}
}

// activateOrProbe sends the probe (retransmitted like any request) and
// returns Activate Session's answer if it comes first, errProbeFirst if
// the probe's does.
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
	err = s.exchange(ctx, "Activate Session", pkt, s.st.tries, s.st.timeout, func(p []byte) error {
		r, err := hs.activateAnswer(in, activateSeq, p)
		if r != nil {
			rsp = r
			return nil
		}
		if err != errNotMine {
			return err
		}
		_, body, err := pre.open15(p)
		if err != nil {
			return errNotMine
		}
		m, err := parseLANMsg(body)
		if err == nil && m.Seq == probeSeq && m.NetFn == uint8(ipmi.NetFnApp)|1 && m.Cmd == probe.Cmd {
			return errProbeFirst
		}
		return errNotMine
	})
	return rsp, err
}
