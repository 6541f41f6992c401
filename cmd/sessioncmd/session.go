package sessioncmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// NewCmd builds the `session` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	s := &cobra.Command{Use: "session", Short: "Information about BMC sessions"}
	s.AddCommand(cli.Returns[*sessionResult](&cobra.Command{
		Use:   "info active|all|id ID|handle HANDLE",
		Short: "Show the current session, every session slot, or one session by ID or handle",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var sel ipmi.SessionSelector
			switch args[0] {
			case "active":
				sel = ipmi.CurrentSession
			case "all":
			case "id", "handle":
				if len(args) < 2 {
					return cli.UsageErrorf("Missing %s argument", args[0])
				}
				n, err := strconv.ParseUint(args[1], 0, 32)
				if err != nil || (args[0] == "handle" && n > 0xFF) {
					return cli.UsageErrorf("HEX number expected, but '%s' given.", args[1])
				}
				if args[0] == "id" {
					sel = ipmi.SessionID(uint32(n))
				} else {
					sel = ipmi.SessionHandle(uint8(n))
				}
			default:
				return cli.UsageErrorf("Invalid SESSION info parameter: %s", args[0])
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			// A LAN session raises its privilege only when a command needs
			// it; report the session at the level asked for (-L), as
			// ipmitool's session, which raises it at login, shows.
			if e, ok := c.Transport().(interface{ EnsurePrivilege(context.Context) error }); ok {
				if err := e.EnsurePrivilege(f.Context()); err != nil && f.Opts.Verbose > 0 {
					fmt.Fprintf(f.IO.ErrOut, "ipmictl: raising the session privilege: %v\n", err)
				}
			}
			if args[0] == "all" {
				return sessionAll(f, c)
			}
			s, err := c.GetSessionInfo(f.Context(), sel)
			if err != nil {
				return fmt.Errorf("Get Session Info command failed: %w", err)
			}
			return f.Render(&sessionResult{Sessions: []*sessionView{newSessionView(s)}})
		},
	}))
	return s
}

// sessionAll asks for every slot, 1 to the slot count, as ipmitool
// does: slots without a session print only the three counters.
func sessionAll(f *cli.Factory, c *ipmi.Client) error {
	res := &sessionResult{Sessions: []*sessionView{}}
	for i, count := 1, 1; i <= count && i <= 63; i++ {
		rsp, err := c.Raw(f.Context(), ipmi.GetSessionInfoRequest(ipmi.SessionIndex(uint8(i))))
		if err != nil {
			_ = f.Render(res)
			return fmt.Errorf("Get Session Info command failed: %w", err)
		}
		if rsp.Code != ipmi.CodeOK && rsp.Code != ipmi.CodeInvalidDataField && rsp.Code != ipmi.CodeNotPresent {
			_ = f.Render(res)
			return fmt.Errorf("Get Session Info command failed: %w",
				&ipmi.CompletionError{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetSessionInfo, Code: rsp.Code})
		}
		s, err := ipmi.DecodeSessionInfo(rsp.Data)
		if err != nil {
			// ipmitool stops quietly (exit 1) at a reply without the counters.
			if err := f.Render(res); err != nil {
				return err
			}
			return &cli.SilentError{Code: cli.ExitBMC}
		}
		count = int(s.SlotCount)
		res.Sessions = append(res.Sessions, newSessionView(s))
	}
	return f.Render(res)
}

// sessionView is one Get Session Info answer.
type sessionView struct {
	Handle         uint8  `json:"session_handle"`
	SlotCount      uint8  `json:"slot_count"`
	ActiveSessions uint8  `json:"active_sessions"`
	Active         bool   `json:"active"`
	UserID         uint8  `json:"user_id,omitempty"`
	Privilege      string `json:"privilege_level,omitempty"`
	Type           string `json:"session_type,omitempty"`
	Channel        uint8  `json:"channel_number,omitempty"`
	ConsoleIP      string `json:"console_ip,omitempty"`
	ConsoleMAC     string `json:"console_mac,omitempty"`
	ConsolePort    uint16 `json:"console_port,omitempty"`
	ActivityType   string `json:"channel_activity_type,omitempty"`
	Destination    *uint8 `json:"destination_selector,omitempty"`
	hasPort        bool
}

func newSessionView(s *ipmi.SessionInfo) *sessionView {
	v := &sessionView{Handle: s.Handle, SlotCount: s.SlotCount, ActiveSessions: s.ActiveSessions, Active: s.Active}
	if !s.Active {
		return v
	}
	v.UserID, v.Privilege, v.Channel = s.UserID, s.Privilege.String(), s.Channel
	v.Type = cli.BoolWord(s.RMCPPlus, "IPMIv2/RMCP+", "IPMIv1.5")
	if l := s.LAN; l != nil {
		v.ConsoleIP, v.ConsoleMAC, v.ConsolePort, v.hasPort = l.IP.String(), ipmi.MAC(l.MAC).String(), l.Port, true
	}
	if m := s.Serial; m != nil {
		v.ActivityType = sessionActivityName(m.ActivityType)
		d := m.DestinationSelector
		v.Destination, v.ConsoleIP, v.ConsolePort, v.hasPort = &d, m.IP.String(), m.Port, m.HasPort
	}
	return v
}

func sessionActivityName(t uint8) string {
	names := []string{"IPMI Messaging session active", "Callback Messaging session active",
		"Dial-out Alert active", "TAP Page Active"}
	if int(t) < len(names) {
		return names[t]
	}
	return fmt.Sprintf("Unknown (0x%02X)", t)
}

// sessionResult is the result of "session info".
type sessionResult struct {
	Sessions []*sessionView `json:"sessions"`
}

func (r *sessionResult) WriteText(w io.Writer) error {
	var b bytes.Buffer
	for _, s := range r.Sessions {
		fmt.Fprintf(&b, "session handle                : %d\n", s.Handle)
		fmt.Fprintf(&b, "slot count                    : %d\n", s.SlotCount)
		fmt.Fprintf(&b, "active sessions               : %d\n", s.ActiveSessions)
		if s.Active {
			fmt.Fprintf(&b, "user id                       : %d\n", s.UserID)
			fmt.Fprintf(&b, "privilege level               : %s\n", s.Privilege)
			fmt.Fprintf(&b, "session type                  : %s\n", s.Type)
			fmt.Fprintf(&b, "channel number                : 0x%02x\n", s.Channel)
			switch {
			case s.ConsoleMAC != "":
				fmt.Fprintf(&b, "console ip                    : %s\n", s.ConsoleIP)
				fmt.Fprintf(&b, "console mac                   : %s\n", s.ConsoleMAC)
				fmt.Fprintf(&b, "console port                  : %d\n", s.ConsolePort)
			case s.Destination != nil:
				fmt.Fprintf(&b, "Session/Channel Activity Type : %s\n", s.ActivityType)
				fmt.Fprintf(&b, "Destination selector          : %d\n", *s.Destination)
				fmt.Fprintf(&b, "console ip                    : %s\n", s.ConsoleIP)
				if s.hasPort {
					fmt.Fprintf(&b, "console port                  : %d\n", s.ConsolePort)
				}
			}
		}
		b.WriteString("\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteCSV prints ipmitool's -c form: one line per session.
func (r *sessionResult) WriteCSV(w io.Writer) error {
	var b bytes.Buffer
	for _, s := range r.Sessions {
		fmt.Fprintf(&b, "%d,%d,%d", s.Handle, s.SlotCount, s.ActiveSessions)
		if s.Active {
			fmt.Fprintf(&b, ",%d,%s,%s,0x%02x", s.UserID, s.Privilege, s.Type, s.Channel)
			switch {
			case s.ConsoleMAC != "":
				fmt.Fprintf(&b, ",%s,%s,%d", s.ConsoleIP, s.ConsoleMAC, s.ConsolePort)
			case s.Destination != nil:
				fmt.Fprintf(&b, ",%s,%d,%s", s.ActivityType, *s.Destination, s.ConsoleIP)
				if s.hasPort {
					fmt.Fprintf(&b, ",%d", s.ConsolePort)
				}
			}
		}
		b.WriteString("\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Columns and Rows give sessionResult a table form, one row per field.
func (r *sessionResult) Columns() []string { return cli.FieldColumns }
func (r *sessionResult) Rows() [][]string  { return cli.FieldRows(r) }
