package ipmi

import "context"

// Channel and session-setup command numbers (App netfn, IPMI v2.0 22).
const (
	CmdGetChannelAuthCapabilities = 0x38
	CmdGetSessionChallenge        = 0x39
	CmdActivateSession            = 0x3A
	CmdSetSessionPrivilege        = 0x3B
	CmdCloseSession               = 0x3C
	CmdGetSessionInfo             = 0x3D
	CmdGetChannelCipherSuites     = 0x54
)

// ChannelCurrent is the "this channel" channel number (0x0E).
const ChannelCurrent = 0x0E

// AuthCapabilities is the Get Channel Authentication Capabilities
// response (IPMI v2.0 table 22-15).
type AuthCapabilities struct {
	Channel uint8 `json:"channel"`
	// AuthTypes is the IPMI 1.5 auth type support bit mask: bit 0 NONE,
	// 1 MD2, 2 MD5, 4 straight password, 5 OEM.
	AuthTypes      uint8  `json:"auth_types"`
	ExtendedCaps   bool   `json:"extended_caps"` // IPMI 2.0 extended data present
	KgSet          bool   `json:"kg_set"`        // K_g is not the default (all zero)
	PerMessageAuth bool   `json:"per_message_auth"`
	UserLevelAuth  bool   `json:"user_level_auth"`
	NonNullUsers   bool   `json:"non_null_users"`
	NullUsers      bool   `json:"null_users"`
	AnonymousLogin bool   `json:"anonymous_login"`
	IPMI15         bool   `json:"ipmi_v15"` // extended: channel supports IPMI 1.5 connections
	IPMI20         bool   `json:"ipmi_v20"` // extended: channel supports IPMI 2.0 connections
	OEMID          uint32 `json:"oem_id"`
	OEMAux         uint8  `json:"oem_aux"`
}

// Auth type bits in AuthCapabilities.AuthTypes.
const (
	AuthTypeBitNone     = 1 << 0
	AuthTypeBitMD2      = 1 << 1
	AuthTypeBitMD5      = 1 << 2
	AuthTypeBitPassword = 1 << 4
	AuthTypeBitOEM      = 1 << 5
)

// GetChannelAuthCapabilitiesRequest builds the request; with v2 set it
// asks for the IPMI 2.0 extended data (bit 7 of the channel byte).
func GetChannelAuthCapabilitiesRequest(channel uint8, priv Privilege, v2 bool) *Request {
	ch := channel & 0x0F
	if v2 {
		ch |= 0x80
	}
	return &Request{NetFn: NetFnApp, Cmd: CmdGetChannelAuthCapabilities, Data: []byte{ch, uint8(priv) & 0x0F}}
}

// DecodeAuthCapabilities decodes the response data (after the
// completion code).
func DecodeAuthCapabilities(b []byte) (*AuthCapabilities, error) {
	const what = "Get Channel Authentication Capabilities response"
	if err := need(what, b, 8); err != nil {
		return nil, err
	}
	c := &AuthCapabilities{
		Channel:        b[0] & 0x0F,
		AuthTypes:      b[1] & 0x3F,
		ExtendedCaps:   b[1]&0x80 != 0,
		KgSet:          b[2]&0x20 != 0,
		PerMessageAuth: b[2]&0x10 == 0, // the bit says "disabled"
		UserLevelAuth:  b[2]&0x08 == 0,
		NonNullUsers:   b[2]&0x04 != 0,
		NullUsers:      b[2]&0x02 != 0,
		AnonymousLogin: b[2]&0x01 != 0,
		OEMID:          uint32(b[4]) | uint32(b[5])<<8 | uint32(b[6])<<16,
		OEMAux:         b[7],
	}
	if c.ExtendedCaps {
		c.IPMI15 = b[3]&0x01 != 0
		c.IPMI20 = b[3]&0x02 != 0
	}
	return c, nil
}

// GetChannelAuthCapabilities asks for the authentication capabilities of
// channel at privilege priv (IPMI 2.0 extended data requested; a BMC
// that rejects that with 0xCC is asked again without it).
func (c *Client) GetChannelAuthCapabilities(ctx context.Context, channel uint8, priv Privilege) (*AuthCapabilities, error) {
	b, err := c.Do(ctx, GetChannelAuthCapabilitiesRequest(channel, priv, true))
	if IsCompletion(err, CodeInvalidDataField) {
		b, err = c.Do(ctx, GetChannelAuthCapabilitiesRequest(channel, priv, false))
	}
	if err != nil {
		return nil, err
	}
	return DecodeAuthCapabilities(b)
}

// CipherSuite is one record from Get Channel Cipher Suites.
type CipherSuite struct {
	ID              uint8   `json:"id"`
	OEM             bool    `json:"oem"`
	IANA            uint32  `json:"iana,omitempty"` // OEM records only
	Auth            []uint8 `json:"auth"`
	Integrity       []uint8 `json:"integrity"`
	Confidentiality []uint8 `json:"confidentiality"`
}

// Cipher suite record tags (IPMI v2.0 table 22-18).
const (
	suiteRecordStandard = 0xC0
	suiteRecordOEM      = 0xC1
	suiteTagAuth        = 0x00
	suiteTagIntegrity   = 0x40
	suiteTagConf        = 0x80
)

// GetChannelCipherSuitesRequest builds the request for list index index
// (0-63) of the cipher suite records of payload type 0 (IPMI).
func GetChannelCipherSuitesRequest(channel, index uint8) *Request {
	return &Request{NetFn: NetFnApp, Cmd: CmdGetChannelCipherSuites,
		Data: []byte{channel & 0x0F, 0x00, 0x80 | index&0x3F}}
}

// maxCipherSuiteIndex bounds the list walk (the index is 6 bits).
const maxCipherSuiteIndex = 64

// DecodeCipherSuitesChunk returns the record bytes of one response (after
// the completion code; the first byte is the channel) and whether more
// chunks follow (a full chunk is 16 bytes).
func DecodeCipherSuitesChunk(b []byte) (records []byte, more bool, err error) {
	if err := need("Get Channel Cipher Suites response", b, 1); err != nil {
		return nil, false, err
	}
	r := b[1:]
	if len(r) > 16 {
		r = r[:16]
	}
	return r, len(r) == 16, nil
}

// DecodeCipherSuiteRecords decodes the concatenated record data of all
// chunks into suites. Unknown tags end the decode with a FormatError;
// the suites decoded so far are returned with it.
func DecodeCipherSuiteRecords(b []byte) ([]CipherSuite, error) {
	const what = "cipher suite records"
	var suites []CipherSuite
	i := 0
	for i < len(b) {
		var s CipherSuite
		switch b[i] {
		case suiteRecordStandard:
			if len(b)-i < 2 {
				return suites, &FormatError{What: what, Offset: i, Msg: "truncated standard record"}
			}
			s.ID = b[i+1]
			i += 2
		case suiteRecordOEM:
			if len(b)-i < 5 {
				return suites, &FormatError{What: what, Offset: i, Msg: "truncated OEM record"}
			}
			s.ID, s.OEM = b[i+1], true
			s.IANA = uint32(b[i+2]) | uint32(b[i+3])<<8 | uint32(b[i+4])<<16
			i += 5
		default:
			return suites, &FormatError{What: what, Offset: i, Msg: "expected a start of record byte (0xC0 or 0xC1)"}
		}
		for i < len(b) && b[i] < suiteRecordStandard {
			alg := b[i] & 0x3F
			switch b[i] & 0xC0 {
			case suiteTagAuth:
				s.Auth = append(s.Auth, alg)
			case suiteTagIntegrity:
				s.Integrity = append(s.Integrity, alg)
			case suiteTagConf:
				s.Confidentiality = append(s.Confidentiality, alg)
			}
			i++
		}
		suites = append(suites, s)
	}
	return suites, nil
}

// GetChannelCipherSuites reads the whole cipher suite list of channel
// for IPMI payloads.
func (c *Client) GetChannelCipherSuites(ctx context.Context, channel uint8) ([]CipherSuite, error) {
	var all []byte
	for idx := uint8(0); idx < maxCipherSuiteIndex; idx++ {
		b, err := c.Do(ctx, GetChannelCipherSuitesRequest(channel, idx))
		if err != nil {
			return nil, err
		}
		r, more, err := DecodeCipherSuitesChunk(b)
		if err != nil {
			return nil, err
		}
		all = append(all, r...)
		if !more {
			break
		}
	}
	return DecodeCipherSuiteRecords(all)
}
