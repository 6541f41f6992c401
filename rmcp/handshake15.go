package rmcp

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// clientHandshake15 is one IPMI v1.5 session activation: Get Channel
// Authentication Capabilities, Get Session Challenge, Activate Session
// (Set Session Privilege follows once the session runs).
type clientHandshake15 struct {
	s         *Session
	caps      *ipmi.AuthCapabilities
	authType  uint8
	password  [16]byte
	tempID    uint32
	challenge [16]byte
	outSeq    uint32 // our initial outbound sequence (the BMC's first inbound to us)

	challengeRTT time.Duration
}

// authTypePreference is the order auth types are chosen in. PASSWORD
// (the password in clear text in every packet) is used only when named,
// NONE only when named and allowed (Config.AuthType, AllowInsecure).
var authTypePreference = []uint8{AuthTypeMD5, AuthTypeMD2}

var authTypeBits = map[uint8]uint8{
	AuthTypeNone: ipmi.AuthTypeBitNone, AuthTypeMD2: ipmi.AuthTypeBitMD2,
	AuthTypeMD5: ipmi.AuthTypeBitMD5, AuthTypePassword: ipmi.AuthTypeBitPassword,
}

func (s *Session) handshake15(ctx context.Context) error {
	hs := &clientHandshake15{s: s}
	copy(hs.password[:], s.cfg.Password)
	if err := hs.authCapabilities(ctx); err != nil {
		return err
	}
	if err := hs.chooseAuthType(); err != nil {
		return err
	}
	if err := hs.sessionChallenge(ctx); err != nil {
		return err
	}
	return hs.activate(ctx)
}

func (hs *clientHandshake15) authCapabilities(ctx context.Context) error {
	s := hs.s
	pre := halfConn{v15: true}
	rsp, err := s.preSessionCall(ctx, &pre, &pre, ipmi.GetChannelAuthCapabilitiesRequest(ipmi.ChannelCurrent, s.st.priv, false), s.st.tries, s.st.timeout)
	if err != nil {
		return err
	}
	if rsp.Code != ipmi.CodeOK {
		return fmt.Errorf("rmcp: %s: %w", s.st.addr, &ipmi.CompletionError{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetChannelAuthCapabilities, Code: rsp.Code})
	}
	hs.caps, err = ipmi.DecodeAuthCapabilities(rsp.Data)
	if err != nil {
		return err
	}
	s.st.logf("rmcp: channel %d auth types 0x%02x, per-message auth %v", hs.caps.Channel, hs.caps.AuthTypes, hs.caps.PerMessageAuth)
	return nil
}

func (hs *clientHandshake15) chooseAuthType() error {
	s := hs.s
	offered := hs.caps.AuthTypes
	names := func() string {
		var out []byte
		for _, t := range []uint8{AuthTypeNone, AuthTypeMD2, AuthTypeMD5, AuthTypePassword} {
			if offered&authTypeBits[t] != 0 {
				out = fmt.Appendf(out, "%s ", AuthTypeName(int(t)))
			}
		}
		if len(out) == 0 {
			return "none at all"
		}
		return string(out[:len(out)-1])
	}
	if want := s.cfg.AuthType; want >= 0 {
		bit, known := authTypeBits[uint8(want)]
		if want > 255 || !known {
			return fmt.Errorf("rmcp: auth type %d is not supported (use NONE, MD2, MD5 or PASSWORD)", want)
		}
		if want == AuthTypeNone && !s.cfg.AllowInsecure {
			return &AuthError{Addr: s.st.addr, Step: "auth type NONE", Kind: ErrInsecure,
				Hint: "auth type NONE sends everything unauthenticated; allow it explicitly if you must"}
		}
		if offered&bit == 0 {
			return &AuthError{Addr: s.st.addr, Step: "Get Channel Authentication Capabilities", Kind: ErrAuthTypeNotOffered,
				Hint: fmt.Sprintf("the BMC offers %s for %s, not %s; choose one of those (-A)", names(), s.st.priv, AuthTypeName(want))}
		}
		hs.authType = uint8(want)
		return nil
	}
	for _, t := range authTypePreference {
		if offered&authTypeBits[t] != 0 {
			hs.authType = t
			return nil
		}
	}
	hint := fmt.Sprintf("the BMC offers %s for %s; ipmictl chooses only MD5 or MD2", names(), s.st.priv)
	if offered&ipmi.AuthTypeBitPassword != 0 {
		hint += "; PASSWORD sends the password in clear text in every packet: name it (-A PASSWORD) if you must"
	}
	if offered&ipmi.AuthTypeBitNone != 0 {
		hint += "; NONE needs -A NONE and --insecure"
	}
	return &AuthError{Addr: s.st.addr, Step: "Get Channel Authentication Capabilities", Kind: ErrAuthTypeNotOffered, Hint: hint}
}

func (hs *clientHandshake15) sessionChallenge(ctx context.Context) error {
	s := hs.s
	data := make([]byte, 17)
	data[0] = hs.authType
	copy(data[1:], s.cfg.Username)
	pre := halfConn{v15: true}
	req := &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetSessionChallenge, Data: data}
	start := time.Now()
	rsp, err := s.preSessionCall(ctx, &pre, &pre, req, s.st.tries, s.st.timeout)
	hs.challengeRTT = time.Since(start)
	if err != nil {
		return err
	}
	switch rsp.Code {
	case ipmi.CodeOK:
	case 0x81, 0x82:
		return &AuthError{Addr: s.st.addr, Step: "Get Session Challenge", Kind: ErrUnknownUser, Status: uint8(rsp.Code),
			Hint: "check the user name (-U); the user must exist and be enabled for LAN access"}
	default:
		return fmt.Errorf("rmcp: %s: %w", s.st.addr, &ipmi.CompletionError{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetSessionChallenge, Code: rsp.Code})
	}
	if len(rsp.Data) < 20 {
		return &PacketError{What: "Get Session Challenge response", Offset: len(rsp.Data), Msg: "need 20 bytes"}
	}
	hs.tempID = binary.LittleEndian.Uint32(rsp.Data[0:4])
	copy(hs.challenge[:], rsp.Data[4:20])
	return nil
}

func (hs *clientHandshake15) activate(ctx context.Context) error {
	s := hs.s
	hs.outSeq = randNonZero32()
	data := make([]byte, 0, 22)
	data = append(data, hs.authType, uint8(s.st.priv))
	data = append(data, hs.challenge[:]...)
	data = binary.LittleEndian.AppendUint32(data, hs.outSeq)
	out := halfConn{v15: true, authType: hs.authType, password: hs.password, id: hs.tempID}
	// ipmi_sim answers with the temporary session ID, goipmi-server with
	// the new one; the auth code covers either. The answer must carry the
	// auth type asked for: one without (NONE) fails the login.
	in := halfConn{v15: true, authType: hs.authType, password: hs.password, id: hs.tempID, allowNoneAuth: hs.authType == AuthTypeNone, anyID: true}
	req := &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdActivateSession, Data: data}
	rsp, err := hs.activateExchange(ctx, &out, &in, req)
	if err != nil {
		return err
	}
	switch rsp.Code {
	case ipmi.CodeOK:
	case 0x81, 0x82, 0x83:
		return &AuthError{Addr: s.st.addr, Step: "Activate Session", Kind: ErrNoSessionSlots, Status: uint8(rsp.Code),
			Hint: "close idle sessions or wait for them to time out"}
	case 0x85:
		// goipmi-server answers a wrong auth code this way.
		return &AuthError{Addr: s.st.addr, Step: "Activate Session", Kind: ErrBadPassword, Status: uint8(rsp.Code),
			Hint: "the BMC rejected the session's auth code: check the password (-P)"}
	case 0x86:
		return &AuthError{Addr: s.st.addr, Step: "Activate Session", Kind: ErrPrivilegeRefused, Status: uint8(rsp.Code),
			Hint: fmt.Sprintf("the user may not have %s; request a lower level (-L)", s.st.priv)}
	default:
		return fmt.Errorf("rmcp: %s: %w", s.st.addr, &ipmi.CompletionError{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdActivateSession, Code: rsp.Code})
	}
	return hs.install(rsp)
}

// install arms the session from a successful Activate Session answer.
func (hs *clientHandshake15) install(rsp *ipmi.Response) error {
	s := hs.s
	if len(rsp.Data) < 10 {
		return &PacketError{What: "Activate Session response", Offset: len(rsp.Data), Msg: "need 10 bytes"}
	}
	at := rsp.Data[0] & 0x0F
	id := binary.LittleEndian.Uint32(rsp.Data[1:5])
	inSeq := binary.LittleEndian.Uint32(rsp.Data[5:9])
	if id == 0 {
		return fmt.Errorf("rmcp: %s: Activate Session returned session ID 0", s.st.addr)
	}
	if at != hs.authType {
		return &AuthError{Addr: s.st.addr, Step: "Activate Session", Kind: ErrAuthDowngrade,
			Hint: fmt.Sprintf("asked for %s, the BMC set %s for the session: refused", AuthTypeName(int(hs.authType)), AuthTypeName(int(at)))}
	}
	if inSeq == 0 {
		inSeq = 1
	}
	s.out = halfConn{v15: true, authType: at, password: hs.password, id: id, active: true, seq: inSeq - 1}
	// Every answer must carry the session's auth code, whatever the BMC
	// says about per-message authentication: one without is dropped and
	// counted (Stats.DroppedIntegrity), never decoded.
	s.in = halfConn{v15: true, authType: at, password: hs.password, id: id, active: true,
		allowNoneAuth: at == AuthTypeNone}
	s.bmcID = id
	s.activations.keep(id)
	s.authType = int(at)
	// IPMI 1.5 sessions start at User level (section 22.18).
	s.priv.Store(uint32(ipmi.PrivilegeUser))
	s.st.logf("rmcp: Activate Session: session 0x%08x, auth %s, inbound seq 0x%08x", id, AuthTypeName(int(at)), inSeq)
	return nil
}
