package ipmi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
)

// User management command numbers (App netfn, IPMI v2.0 22.26-22.30).
const (
	CmdSetUserAccess   = 0x43
	CmdGetUserAccess   = 0x44
	CmdSetUserName     = 0x45
	CmdGetUserName     = 0x46
	CmdSetUserPassword = 0x47
)

// MaxUserID is the highest user ID the protocol can address (6 bits).
const MaxUserID = 63

// User enable status from Get User Access byte 2 bits 7:6.
const (
	UserStatusUnspecified = 0
	UserStatusEnabled     = 1
	UserStatusDisabled    = 2
	UserStatusReserved    = 3
)

// UserAccess is the Get User Access response (IPMI v2.0 table 22-29).
type UserAccess struct {
	MaxUsers     uint8 `json:"max_user_ids"`
	EnableStatus uint8 `json:"enable_status"` // UserStatus*
	EnabledUsers uint8 `json:"enabled_user_count"`
	FixedNames   uint8 `json:"fixed_name_count"`
	// CallbackOnly: the user is restricted to callback (ipmitool prints
	// Callin false).
	CallbackOnly   bool      `json:"callback_only"`
	LinkAuth       bool      `json:"link_auth"`
	IPMIMessaging  bool      `json:"ipmi_messaging"`
	PrivilegeLimit Privilege `json:"privilege_limit"`
}

// DecodeUserAccess decodes the response data (after the completion code).
func DecodeUserAccess(b []byte) (*UserAccess, error) {
	if err := need("Get User Access response", b, 4); err != nil {
		return nil, err
	}
	return &UserAccess{
		MaxUsers:       b[0] & 0x3F,
		EnableStatus:   b[1] >> 6,
		EnabledUsers:   b[1] & 0x3F,
		FixedNames:     b[2] & 0x3F,
		CallbackOnly:   b[3]&0x40 != 0,
		LinkAuth:       b[3]&0x20 != 0,
		IPMIMessaging:  b[3]&0x10 != 0,
		PrivilegeLimit: Privilege(b[3] & 0x0F),
	}, nil
}

// GetUserAccess reads user uid's access on channel (ChannelCurrent for
// the channel the request arrives on).
func (c *Client) GetUserAccess(ctx context.Context, channel, uid uint8) (*UserAccess, error) {
	b, err := c.do(ctx, NetFnApp, CmdGetUserAccess, channel&0x0F, uid&0x3F)
	if err != nil {
		return nil, err
	}
	return DecodeUserAccess(b)
}

// UserAccessChange is a Set User Access request.
type UserAccessChange struct {
	Channel uint8
	UserID  uint8
	// ChangeBits applies CallbackOnly, LinkAuth and IPMIMessaging; without
	// it only the privilege limit (and session limit) change.
	ChangeBits     bool
	CallbackOnly   bool
	LinkAuth       bool
	IPMIMessaging  bool
	PrivilegeLimit Privilege
	SessionLimit   uint8 // 0 = no limit beyond the BMC's own
}

// Encode returns the request data.
func (u UserAccessChange) Encode() []byte {
	b0 := u.Channel & 0x0F
	if u.ChangeBits {
		b0 |= 0x80
	}
	if u.CallbackOnly {
		b0 |= 0x40
	}
	if u.LinkAuth {
		b0 |= 0x20
	}
	if u.IPMIMessaging {
		b0 |= 0x10
	}
	return []byte{b0, u.UserID & 0x3F, uint8(u.PrivilegeLimit) & 0x0F, u.SessionLimit & 0x0F}
}

// SetUserAccess changes a user's access on a channel.
func (c *Client) SetUserAccess(ctx context.Context, u UserAccessChange) error {
	_, err := c.Do(ctx, &Request{NetFn: NetFnApp, Cmd: CmdSetUserAccess, Data: u.Encode()})
	return err
}

// DecodeUserName returns the name in a Get User Name response: 16
// bytes, NUL padded. Bytes after the first NUL are ignored, as every
// client does.
func DecodeUserName(b []byte) (string, error) {
	if err := need("Get User Name response", b, 16); err != nil {
		return "", err
	}
	name := b[:16]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	return string(name), nil
}

// GetUserName reads the name of user uid.
func (c *Client) GetUserName(ctx context.Context, uid uint8) (string, error) {
	b, err := c.do(ctx, NetFnApp, CmdGetUserName, uid&0x3F)
	if err != nil {
		return "", err
	}
	return DecodeUserName(b)
}

// ErrUserNameTooLong: IPMI user names are at most 16 bytes.
var ErrUserNameTooLong = errors.New("user name is longer than 16 bytes")

// SetUserName sets the name of user uid (at most 16 bytes, no NUL).
func (c *Client) SetUserName(ctx context.Context, uid uint8, name string) error {
	if len(name) > 16 {
		return ErrUserNameTooLong
	}
	if bytes.IndexByte([]byte(name), 0) >= 0 {
		return fmt.Errorf("user name contains a NUL byte")
	}
	data := make([]byte, 17)
	data[0] = uid & 0x3F
	copy(data[1:], name)
	_, err := c.Do(ctx, &Request{NetFn: NetFnApp, Cmd: CmdSetUserName, Data: data})
	return err
}

// PasswordOperation is the operation byte of Set User Password.
type PasswordOperation uint8

// Set User Password operations (IPMI v2.0 table 22-32).
const (
	PasswordDisableUser PasswordOperation = 0
	PasswordEnableUser  PasswordOperation = 1
	PasswordSet         PasswordOperation = 2
	PasswordTest        PasswordOperation = 3
)

// Set User Password completion codes for the test operation.
const (
	CodePasswordIncorrect CompletionCode = 0x80
	CodePasswordWrongSize CompletionCode = 0x81
)

// ErrPasswordTooLong: the password does not fit the chosen storage size.
var ErrPasswordTooLong = errors.New("password is longer than the chosen size (16 or 20 bytes)")

// SetUserPasswordRequest builds Set User Password. twenty selects 20-byte
// storage (IPMI 2.0); otherwise 16. The password is NUL padded.
func SetUserPasswordRequest(uid uint8, op PasswordOperation, password []byte, twenty bool) (*Request, error) {
	size := 16
	b0 := uid & 0x3F
	if twenty {
		size, b0 = 20, b0|0x80
	}
	if len(password) > size {
		return nil, ErrPasswordTooLong
	}
	data := make([]byte, 2+size)
	data[0], data[1] = b0, uint8(op)&0x03
	copy(data[2:], password)
	return &Request{NetFn: NetFnApp, Cmd: CmdSetUserPassword, Data: data}, nil
}

// SetUserPassword runs one Set User Password operation.
func (c *Client) SetUserPassword(ctx context.Context, uid uint8, op PasswordOperation, password []byte, twenty bool) error {
	req, err := SetUserPasswordRequest(uid, op, password, twenty)
	if err != nil {
		return err
	}
	_, err = c.Do(ctx, req)
	return err
}

// EnableUser enables user uid with Set User Password's enable operation.
func (c *Client) EnableUser(ctx context.Context, uid uint8) error {
	return c.setUserEnable(ctx, uid, PasswordEnableUser)
}

// DisableUser disables user uid.
func (c *Client) DisableUser(ctx context.Context, uid uint8) error {
	return c.setUserEnable(ctx, uid, PasswordDisableUser)
}

// setUserEnable sends the enable or disable operation with an unused,
// zeroed 16-byte password field, as ipmitool does and most BMCs expect;
// a BMC that wants only the two operation bytes (0xC7) is asked again
// with those.
func (c *Client) setUserEnable(ctx context.Context, uid uint8, op PasswordOperation) error {
	err := c.SetUserPassword(ctx, uid, op, nil, false)
	if IsCompletion(err, CodeRequestLengthInvalid) {
		_, err = c.do(ctx, NetFnApp, CmdSetUserPassword, uid&0x3F, uint8(op))
	}
	return err
}

// TestUserPassword asks the BMC whether password is user uid's password
// stored with the given size. It returns false with a nil error for a
// wrong password (0x80) or a wrong size (0x81).
func (c *Client) TestUserPassword(ctx context.Context, uid uint8, password []byte, twenty bool) (bool, CompletionCode, error) {
	err := c.SetUserPassword(ctx, uid, PasswordTest, password, twenty)
	var ce *CompletionError
	switch {
	case err == nil:
		return true, CodeOK, nil
	case errors.As(err, &ce) && (ce.Code == CodePasswordIncorrect || ce.Code == CodePasswordWrongSize):
		return false, ce.Code, nil
	}
	return false, 0, err
}
