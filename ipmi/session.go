package ipmi

import (
	"context"
	"encoding/binary"
	"net/netip"
)

// SetSessionPrivilegeRequest builds Set Session Privilege Level (0 asks
// for the current level without changing it).
func SetSessionPrivilegeRequest(priv Privilege) *Request {
	return &Request{NetFn: NetFnApp, Cmd: CmdSetSessionPrivilege, Data: []byte{uint8(priv) & 0x0F}}
}

// DecodeSetSessionPrivilege returns the new privilege level.
func DecodeSetSessionPrivilege(b []byte) (Privilege, error) {
	if err := need("Set Session Privilege Level response", b, 1); err != nil {
		return 0, err
	}
	return Privilege(b[0] & 0x0F), nil
}

// SetSessionPrivilege changes the session's operating privilege and
// returns the level the BMC set.
func (c *Client) SetSessionPrivilege(ctx context.Context, priv Privilege) (Privilege, error) {
	b, err := c.Do(ctx, SetSessionPrivilegeRequest(priv))
	if err != nil {
		return 0, err
	}
	return DecodeSetSessionPrivilege(b)
}

// CloseSessionRequest builds Close Session for the BMC session ID id.
func CloseSessionRequest(id uint32) *Request {
	return &Request{NetFn: NetFnApp, Cmd: CmdCloseSession, Data: binary.LittleEndian.AppendUint32(nil, id)}
}

// CloseSession closes session id (any session, with enough privilege).
func (c *Client) CloseSession(ctx context.Context, id uint32) error {
	_, err := c.Do(ctx, CloseSessionRequest(id))
	return err
}

// SessionSelector picks the session Get Session Info reports on.
type SessionSelector struct {
	Index uint8  // 0 = current session, 1-63 = active session table index, 0xFE by handle, 0xFF by ID
	Arg   uint32 // the handle or session ID
}

// Session selectors for Get Session Info.
var CurrentSession = SessionSelector{Index: 0}

// SessionIndex selects the n-th active session (1-63).
func SessionIndex(n uint8) SessionSelector { return SessionSelector{Index: n & 0x3F} }

// SessionHandle selects a session by handle.
func SessionHandle(h uint8) SessionSelector { return SessionSelector{Index: 0xFE, Arg: uint32(h)} }

// SessionID selects a session by its BMC session ID.
func SessionID(id uint32) SessionSelector { return SessionSelector{Index: 0xFF, Arg: id} }

// SessionInfo is the Get Session Info response (IPMI v2.0 table 22-26).
// With Active false, the session fields after ActiveSessions are absent.
type SessionInfo struct {
	Handle         uint8     `json:"session_handle"`
	SlotCount      uint8     `json:"slot_count"`
	ActiveSessions uint8     `json:"active_sessions"`
	Active         bool      `json:"-"`
	UserID         uint8     `json:"user_id,omitempty"`
	Privilege      Privilege `json:"privilege_level,omitempty"`
	RMCPPlus       bool      `json:"rmcp_plus"` // session protocol: IPMI v2.0/RMCP+ (else v1.5)
	Channel        uint8     `json:"channel_number"`
	// LAN is set for 802.3 LAN channels.
	LAN *SessionLANInfo `json:"lan,omitempty"`
	// Serial is set for asynch serial/modem channels.
	Serial *SessionSerialInfo `json:"serial,omitempty"`
}

// SessionLANInfo is the channel data of a LAN session.
type SessionLANInfo struct {
	IP   netip.Addr `json:"console_ip"`
	MAC  [6]byte    `json:"console_mac"`
	Port uint16     `json:"console_port"`
}

// SessionSerialInfo is the channel data of a serial/modem session.
type SessionSerialInfo struct {
	ActivityType        uint8      `json:"activity_type"`
	DestinationSelector uint8      `json:"destination_selector"`
	IP                  netip.Addr `json:"console_ip"`
	Port                uint16     `json:"console_port,omitempty"` // PPP only
	HasPort             bool       `json:"-"`
}

// GetSessionInfoRequest builds Get Session Info.
func GetSessionInfoRequest(sel SessionSelector) *Request {
	data := []byte{sel.Index}
	switch sel.Index {
	case 0xFE:
		data = append(data, uint8(sel.Arg))
	case 0xFF:
		data = binary.LittleEndian.AppendUint32(data, sel.Arg)
	}
	return &Request{NetFn: NetFnApp, Cmd: CmdGetSessionInfo, Data: data}
}

// DecodeSessionInfo decodes the response data (after the completion code).
func DecodeSessionInfo(b []byte) (*SessionInfo, error) {
	const what = "Get Session Info response"
	if err := need(what, b, 3); err != nil {
		return nil, err
	}
	s := &SessionInfo{Handle: b[0], SlotCount: b[1] & 0x3F, ActiveSessions: b[2] & 0x3F}
	if len(b) == 3 {
		return s, nil
	}
	if err := need(what, b, 6); err != nil {
		return nil, err
	}
	s.Active = true
	s.UserID = b[3] & 0x3F
	s.Privilege = Privilege(b[4] & 0x0F)
	s.RMCPPlus = b[5]>>4 == 1
	s.Channel = b[5] & 0x0F
	d := b[6:]
	switch {
	case len(d) >= 12:
		l := &SessionLANInfo{IP: netip.AddrFrom4([4]byte(d[0:4])), Port: binary.LittleEndian.Uint16(d[10:12])}
		copy(l.MAC[:], d[4:10])
		s.LAN = l
	case len(d) >= 6:
		m := &SessionSerialInfo{ActivityType: d[0], DestinationSelector: d[1], IP: netip.AddrFrom4([4]byte(d[2:6]))}
		if len(d) >= 8 {
			m.Port, m.HasPort = binary.LittleEndian.Uint16(d[6:8]), true
		}
		s.Serial = m
	}
	return s, nil
}

// GetSessionInfo reads information about the selected session.
func (c *Client) GetSessionInfo(ctx context.Context, sel SessionSelector) (*SessionInfo, error) {
	b, err := c.Do(ctx, GetSessionInfoRequest(sel))
	if err != nil {
		return nil, err
	}
	return DecodeSessionInfo(b)
}
