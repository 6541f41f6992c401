package usercmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// NewCmd builds the `user` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	u := &cobra.Command{
		Use:   "user",
		Short: "List and manage BMC user accounts",
	}
	set := &cobra.Command{Use: "set", Short: "Set a user's name or password"}
	set.AddCommand(newUserSetNameCmd(f), newUserSetPasswordCmd(f))
	u.AddCommand(newUserListCmd(f), newUserSummaryCmd(f), set,
		newUserEnableCmd(f, "enable"), newUserEnableCmd(f, "disable"),
		newUserPrivCmd(f), newUserTestCmd(f))
	return u
}

// userParseChannel parses an optional channel argument (0-15); without
// one the BMC uses the channel the request arrives on (0x0E).
func userParseChannel(args []string, i int) (uint8, error) {
	if len(args) <= i {
		return ipmi.ChannelCurrent, nil
	}
	n, err := strconv.ParseUint(args[i], 0, 8)
	if err != nil || n > 15 {
		return 0, cli.UsageErrorf("Given Channel number '%s' is either invalid or out of range.", args[i])
	}
	return uint8(n), nil
}

// ParseID parses a user ID (1-63).
func ParseID(s string) (uint8, error) {
	n, err := strconv.ParseUint(s, 0, 8)
	if err != nil || n < 1 || n > ipmi.MaxUserID {
		return 0, cli.UsageErrorf("Given User ID '%s' is invalid.", s)
	}
	return uint8(n), nil
}

// ParsePrivilege accepts a number (1-5, 15, also 0x..) or a name.
func ParsePrivilege(s string) (ipmi.Privilege, error) {
	if n, err := strconv.ParseUint(s, 0, 8); err == nil {
		if (n >= 1 && n <= 5) || n == 15 {
			return ipmi.Privilege(n), nil
		}
		return 0, cli.UsageErrorf("Given privilege level '%s' is invalid: use 1-5 or 15, or a name", s)
	}
	p, err := ipmi.ParsePrivilege(s)
	if err != nil {
		return 0, cli.UsageErrorf("%v", err)
	}
	return p, nil
}

// userRow is one line of "user list".
type userRow struct {
	ID             uint8  `json:"id"`
	Name           string `json:"name"`
	Callin         bool   `json:"callin"`
	LinkAuth       bool   `json:"link_auth"`
	IPMIMessaging  bool   `json:"ipmi_messaging"`
	PrivilegeLimit string `json:"privilege_limit"`
	Privilege      uint8  `json:"privilege_limit_code"`
	Enabled        string `json:"enable_status"`
}

// userList is the result of "user list".
type userList struct {
	Channel uint8     `json:"channel"`
	Users   []userRow `json:"users"`
}

func (l *userList) WriteText(w io.Writer) error {
	var b bytes.Buffer
	// ipmitool's header really has these two TABs.
	b.WriteString("ID  Name\t     Callin  Link Auth\tIPMI Msg   Channel Priv Limit\n")
	for _, u := range l.Users {
		fmt.Fprintf(&b, "%-4d%-17s%-8s%-11s%-11s%s\n", u.ID, u.Name,
			cli.BoolWord(u.Callin, "true ", "false"), cli.BoolWord(u.LinkAuth, "true ", "false"),
			cli.BoolWord(u.IPMIMessaging, "true ", "false"), u.PrivilegeLimit)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteCSV prints ipmitool's -c form (no header).
func (l *userList) WriteCSV(w io.Writer) error {
	var b bytes.Buffer
	for _, u := range l.Users {
		fmt.Fprintf(&b, "%d,%s,%t,%t,%t,%s\n", u.ID, u.Name, u.Callin, u.LinkAuth, u.IPMIMessaging, u.PrivilegeLimit)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func (l *userList) Columns() []string {
	return []string{"id", "name", "callin", "link_auth", "ipmi_msg", "privilege_limit"}
}

func (l *userList) Rows() [][]string {
	var rows [][]string
	for _, u := range l.Users {
		rows = append(rows, []string{strconv.Itoa(int(u.ID)), u.Name, strconv.FormatBool(u.Callin),
			strconv.FormatBool(u.LinkAuth), strconv.FormatBool(u.IPMIMessaging), u.PrivilegeLimit})
	}
	return rows
}

var StatusNames = [4]string{"unknown", "enabled", "disabled", "reserved"}

func newUserListCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*userList](&cobra.Command{
		Use:   "list [CHANNEL]",
		Short: "List the users and their access on a channel (default: this one)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ch, err := userParseChannel(args, 0)
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			ctx := f.Context()
			res := &userList{Channel: ch, Users: []userRow{}}
			// Walk IDs up to the maximum the BMC reports, as ipmitool does.
			var failure error
			for uid, max := uint8(1), uint8(ipmi.MaxUserID); uid <= max; uid++ {
				a, err := c.GetUserAccess(ctx, ch, uid)
				if err != nil {
					failure = fmt.Errorf("Get User Access (channel %d id %d) failed: %w", ch, uid, err)
					break
				}
				max = min(a.MaxUsers, ipmi.MaxUserID)
				name, err := c.GetUserName(ctx, uid)
				if err != nil && !ipmi.IsCompletion(err, ipmi.CodeInvalidDataField) {
					failure = fmt.Errorf("Get User Name (id %d) failed: %w", uid, err)
					break
				}
				res.Users = append(res.Users, userRow{ID: uid, Name: name, Callin: !a.CallbackOnly,
					LinkAuth: a.LinkAuth, IPMIMessaging: a.IPMIMessaging, PrivilegeLimit: a.PrivilegeLimit.String(),
					Privilege: uint8(a.PrivilegeLimit), Enabled: StatusNames[a.EnableStatus&3]})
			}
			if failure != nil && len(res.Users) == 0 {
				return failure
			}
			if err := f.Render(res); err != nil {
				return err
			}
			return failure
		},
	})
}

// userSummary is the result of "user summary".
type userSummary struct {
	Channel      uint8 `json:"channel"`
	MaxUsers     uint8 `json:"max_user_ids"`
	EnabledUsers uint8 `json:"enabled_user_count"`
	FixedNames   uint8 `json:"fixed_name_count"`
}

func (s *userSummary) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "Maximum IDs\t    : %d\nEnabled User Count  : %d\nFixed Name Count    : %d\n",
		s.MaxUsers, s.EnabledUsers, s.FixedNames)
	return err
}

func (s *userSummary) WriteCSV(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%d,%d,%d\n", s.MaxUsers, s.EnabledUsers, s.FixedNames)
	return err
}

func (s *userSummary) Columns() []string {
	return []string{"max_user_ids", "enabled_user_count", "fixed_name_count"}
}

func (s *userSummary) Rows() [][]string {
	return [][]string{{strconv.Itoa(int(s.MaxUsers)), strconv.Itoa(int(s.EnabledUsers)), strconv.Itoa(int(s.FixedNames))}}
}

func newUserSummaryCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*userSummary](&cobra.Command{
		Use:   "summary [CHANNEL]",
		Short: "Show how many user IDs exist, are enabled and have fixed names",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ch, err := userParseChannel(args, 0)
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			a, err := c.GetUserAccess(f.Context(), ch, 1)
			if err != nil {
				return fmt.Errorf("Get User Access failed: %w", err)
			}
			return f.Render(&userSummary{Channel: ch, MaxUsers: a.MaxUsers, EnabledUsers: a.EnabledUsers, FixedNames: a.FixedNames})
		},
	})
}

func newUserSetNameCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[userDone](&cobra.Command{
		Use:   "name ID NAME",
		Short: "Set the name of a user ID (at most 16 bytes)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			uid, err := ParseID(args[0])
			if err != nil {
				return err
			}
			if len(args[1]) > 16 {
				return cli.UsageErrorf("Username is too long (> 16 bytes)")
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			if err := c.SetUserName(f.Context(), uid, args[1]); err != nil {
				return fmt.Errorf("Set User Name command failed (user %d, name %s): %w", uid, args[1], err)
			}
			return f.Render(userDone{UserID: uid, Action: "set name", Message: ""})
		},
	})
}

// userDone is the result of a user change that ipmitool confirms with a
// line (or not at all: Message "").
type userDone struct {
	UserID  uint8  `json:"user_id"`
	Action  string `json:"action"`
	Message string `json:"message,omitempty"`
}

// MarshalJSON always carries a message, as other actions' JSON does; where
// ipmitool prints nothing it says what was done.
func (d userDone) MarshalJSON() ([]byte, error) {
	type plain userDone
	if d.Message == "" {
		d.Message = fmt.Sprintf("user %d: %s done", d.UserID, d.Action)
	}
	return json.Marshal(plain(d))
}

func (d userDone) WriteText(w io.Writer) error {
	if d.Message == "" {
		return nil
	}
	_, err := fmt.Fprintln(w, d.Message)
	return err
}

// userPasswordSize picks the storage size for a password: the size
// asked for, or 20 bytes when a 17-20 byte password has no size given.
// A password is never cut.
func userPasswordSize(pw []byte, sizeArg string) (twenty, auto bool, err error) {
	if len(pw) > 20 {
		return false, false, cli.UsageErrorf("Password is too long (> 20 bytes)")
	}
	switch sizeArg {
	case "":
		return len(pw) > 16, len(pw) > 16, nil
	case "16":
		if len(pw) > 16 {
			return false, false, cli.UsageErrorf("the password is %d bytes and does not fit 16; use 20 (it will not be cut)", len(pw))
		}
		return false, false, nil
	case "20":
		return true, false, nil
	}
	return false, false, cli.UsageErrorf("Invalid password length '%s'", sizeArg)
}

// userWarnCleartext warns when the session does not encrypt: Set User
// Password then carries the new password in clear.
func userWarnCleartext(f *cli.Factory, c *ipmi.Client) {
	if e, ok := c.Transport().(interface{ Encrypted() bool }); ok && !e.Encrypted() {
		fmt.Fprintln(f.IO.ErrOut, "ipmictl: warning: this session is not encrypted (IPMI 1.5 or a cipher suite without "+
			"confidentiality): the new password crosses the network in clear; prefer -I lanplus with suite 3 or 17, or -I open")
	}
}

func newUserSetPasswordCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[userDone](&cobra.Command{
		Use:   "password ID [PASSWORD [16|20]]",
		Short: "Set a user's password (prompted when not given); 17-20 characters are stored as a 20-byte password",
		Args:  cobra.RangeArgs(1, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			uid, err := ParseID(args[0])
			if err != nil {
				return err
			}
			var pw []byte
			if len(args) >= 2 {
				pw = []byte(args[1])
			} else {
				if pw, err = cli.PromptSecret(f.IO, fmt.Sprintf("Password for user %d: ", uid)); err != nil {
					return err
				}
				again, err := cli.PromptSecret(f.IO, fmt.Sprintf("Password for user %d: ", uid))
				if err != nil {
					return err
				}
				if !bytes.Equal(pw, again) {
					return cli.UsageErrorf("Passwords do not match.")
				}
			}
			sizeArg := ""
			if len(args) == 3 {
				sizeArg = args[2]
			}
			twenty, auto, err := userPasswordSize(pw, sizeArg)
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			if auto {
				fmt.Fprintf(f.IO.ErrOut, "ipmictl: note: the password is %d characters, so it is stored as a 20-byte "+
					"password; IPMI 1.5 logins (-I lan) cannot use it\n", len(pw))
			}
			userWarnCleartext(f, c)
			if err := c.SetUserPassword(f.Context(), uid, ipmi.PasswordSet, pw, twenty); err != nil {
				return fmt.Errorf("Set User Password command failed (user %d): %w", uid, err)
			}
			size := 16
			if twenty {
				size = 20
			}
			return f.Render(userDone{UserID: uid, Action: fmt.Sprintf("set password (%d bytes)", size),
				Message: fmt.Sprintf("Set User Password command successful (user %d)", uid)})
		},
	})
}

func newUserEnableCmd(f *cli.Factory, verb string) *cobra.Command {
	return cli.Returns[userDone](&cobra.Command{
		Use:   verb + " ID",
		Short: strings.ToUpper(verb[:1]) + verb[1:] + " a user ID",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			uid, err := ParseID(args[0])
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			if verb == "enable" {
				err = c.EnableUser(f.Context(), uid)
			} else {
				err = c.DisableUser(f.Context(), uid)
			}
			if err != nil {
				return fmt.Errorf("Set User Password command failed (user %d): %w", uid, err)
			}
			return f.Render(userDone{UserID: uid, Action: verb})
		},
	})
}

func newUserPrivCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[userDone](&cobra.Command{
		Use:   "priv ID LEVEL [CHANNEL]",
		Short: "Set a user's privilege limit on a channel (1 callback, 2 user, 3 operator, 4 admin, 5 OEM, 15 no access)",
		Args:  cobra.RangeArgs(2, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			uid, err := ParseID(args[0])
			if err != nil {
				return err
			}
			priv, err := ParsePrivilege(args[1])
			if err != nil {
				return err
			}
			ch, err := userParseChannel(args, 2)
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			err = c.SetUserAccess(f.Context(), ipmi.UserAccessChange{Channel: ch, UserID: uid, PrivilegeLimit: priv})
			if err != nil {
				return fmt.Errorf("Set Privilege Level command failed (user %d): %w", uid, err)
			}
			return f.Render(userDone{UserID: uid, Action: "priv " + priv.String(),
				Message: fmt.Sprintf("Set Privilege Level command successful (user %d)", uid)})
		},
	})
}

// userTestResult is the result of "user test".
type userTestResult struct {
	UserID  uint8  `json:"user_id"`
	Size    int    `json:"size"`
	Success bool   `json:"success"`
	Result  string `json:"result"`
}

func (r userTestResult) WriteText(w io.Writer) error {
	_, err := fmt.Fprintln(w, r.Result)
	return err
}

func newUserTestCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[userTestResult](&cobra.Command{
		Use:   "test ID 16|20 [PASSWORD]",
		Short: "Check whether a password is a user's password, stored with the given size",
		Args:  cobra.RangeArgs(2, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			uid, err := ParseID(args[0])
			if err != nil {
				return err
			}
			if args[1] != "16" && args[1] != "20" {
				return cli.UsageErrorf("Given password length '%s' is invalid.\nExpected value is either 16 or 20.", args[1])
			}
			twenty := args[1] == "20"
			var pw []byte
			if len(args) == 3 {
				pw = []byte(args[2])
			} else if pw, err = cli.PromptSecret(f.IO, fmt.Sprintf("Password for user %d: ", uid)); err != nil {
				return err
			}
			if (twenty && len(pw) > 20) || (!twenty && len(pw) > 16) {
				return cli.UsageErrorf("the password is %d bytes; it cannot be a %s-byte password", len(pw), args[1])
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			userWarnCleartext(f, c)
			ok, code, err := c.TestUserPassword(f.Context(), uid, pw, twenty)
			res := userTestResult{UserID: uid, Size: 16, Success: ok, Result: "Success"}
			if twenty {
				res.Size = 20
			}
			switch {
			case err != nil && errors.Is(err, ipmi.ErrPasswordTooLong):
				return cli.UsageErrorf("%v", err)
			case err != nil:
				res.Result = "Unknown error"
				_ = f.Render(res)
				return fmt.Errorf("Set User Password (test) failed (user %d): %w", uid, err)
			case code == ipmi.CodePasswordIncorrect:
				res.Result = "Failure: password incorrect"
			case code == ipmi.CodePasswordWrongSize:
				res.Result = "Failure: wrong password size"
			}
			if err := f.Render(res); err != nil {
				return err
			}
			if !ok {
				return &cli.SilentError{Code: cli.ExitBMC}
			}
			return nil
		},
	})
}

// Columns and Rows give userDone a table form, one row per field.
func (d userDone) Columns() []string { return cli.FieldColumns }
func (d userDone) Rows() [][]string  { return cli.FieldRows(d) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (d userDone) WriteCSV(w io.Writer) error { return d.WriteText(w) }

// Columns and Rows give userTestResult a table form, one row per field.
func (r userTestResult) Columns() []string { return cli.FieldColumns }
func (r userTestResult) Rows() [][]string  { return cli.FieldRows(r) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (r userTestResult) WriteCSV(w io.Writer) error { return r.WriteText(w) }
