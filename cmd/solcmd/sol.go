package solcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sol"
	"github.com/spf13/cobra"
)

// solThisChannel is "the channel this request arrives on".
const solThisChannel = 0x0E

// NewCmd builds the `sol` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	s := &cobra.Command{
		Use:   "sol",
		Short: "Serial-over-LAN: the host's serial console, its configuration and payload access",
	}
	s.AddCommand(newSolActivateCmd(f), newSolDeactivateCmd(f), newSolInfoCmd(f), newSolSetCmd(f),
		newSolPayloadCmd(f), newSolLooptestCmd(f))
	return s
}

// solChannelArg parses an optional channel argument (default 0x0E).
func solChannelArg(args []string, i int) (uint8, error) {
	if len(args) <= i {
		return solThisChannel, nil
	}
	return cli.ParseChannel(args[i])
}

// solInstanceArgs reads ipmitool's positional "instance=N" (and, for
// activate, the keepalive words) on top of --instance.
func solInstanceArgs(args []string, instance *int, keepalive func(string) bool) error {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "instance="); ok {
			n, err := strconv.ParseUint(v, 0, 8)
			if err != nil {
				return cli.UsageErrorf("Given instance '%s' is invalid.", v)
			}
			*instance = int(n)
			continue
		}
		if keepalive != nil && keepalive(a) {
			continue
		}
		return cli.UsageErrorf("unexpected argument %q", a)
	}
	if *instance < 1 || *instance > 15 {
		return cli.UsageErrorf("Error: Instance must range from 1 to 15")
	}
	return nil
}

func newSolDeactivateCmd(f *cli.Factory) *cobra.Command {
	instance := 1
	cmd := cli.Returns[cli.Done](&cobra.Command{
		Use:   "deactivate [--instance N | instance=N]",
		Short: "Deactivate a SOL payload instance, whichever session holds it",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := solInstanceArgs(args, &instance, nil); err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			if err := sol.Deactivate(f.Context(), c, uint8(instance)); err != nil {
				return fmt.Errorf("Info: %w", err)
			}
			return f.Render(cli.Done(fmt.Sprintf("deactivated SOL payload instance %d", instance)))
		},
	})
	cmd.Flags().IntVar(&instance, "instance", 1, "SOL payload instance (1-15)")
	return cmd
}

// solInfo is "sol info": the SOL configuration parameters of a channel.
type solInfo struct {
	// set_in_progress is a number, as in lan print: 0 set complete, 1 set
	// in progress, 2 commit write.
	SetInProgress       uint8  `json:"set_in_progress"`
	Enabled             bool   `json:"enabled"`
	ForceEncryption     bool   `json:"force_encryption"`
	ForceAuthentication bool   `json:"force_authentication"`
	PrivilegeLevel      string `json:"privilege_level"`
	AccumulateMs        int    `json:"character_accumulate_level_ms"`
	SendThreshold       int    `json:"character_send_threshold"`
	RetryCount          int    `json:"retry_count"`
	RetryIntervalMs     int    `json:"retry_interval_ms"`
	// Bit rates in kbit/s; null when the BMC uses the IPMI-over-serial
	// setting (0) or a reserved value.
	VolatileBitRate    *float64 `json:"volatile_bit_rate_kbps"`
	NonVolatileBitRate *float64 `json:"non_volatile_bit_rate_kbps"`
	PayloadChannel     int      `json:"payload_channel"`
	PayloadPort        int      `json:"payload_port"`

	raw solParams
}

// solParams are the decoded parameters ipmitool keeps (zero when absent).
type solParams struct {
	setInProgress sol.SetInProgress
	enabled       bool
	auth          sol.Authentication
	interval      sol.CharacterInterval
	retry         sol.Retry
	nvRate, vRate sol.BitRate
	channel       uint8
	port          uint16
}

func (r *solInfo) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Set in progress                 : %s\n", r.raw.setInProgress)
	fmt.Fprintf(&b, "Enabled                         : %t\n", r.Enabled)
	fmt.Fprintf(&b, "Force Encryption                : %t\n", r.ForceEncryption)
	fmt.Fprintf(&b, "Force Authentication            : %t\n", r.ForceAuthentication)
	fmt.Fprintf(&b, "Privilege Level                 : %s\n", r.PrivilegeLevel)
	fmt.Fprintf(&b, "Character Accumulate Level (ms) : %d\n", r.AccumulateMs)
	fmt.Fprintf(&b, "Character Send Threshold        : %d\n", r.SendThreshold)
	fmt.Fprintf(&b, "Retry Count                     : %d\n", r.RetryCount)
	fmt.Fprintf(&b, "Retry Interval (ms)             : %d\n", r.RetryIntervalMs)
	fmt.Fprintf(&b, "Volatile Bit Rate (kbps)        : %s\n", r.raw.vRate)
	fmt.Fprintf(&b, "Non-Volatile Bit Rate (kbps)    : %s\n", r.raw.nvRate)
	fmt.Fprintf(&b, "Payload Channel                 : %d (0x%02x)\n", r.PayloadChannel, r.PayloadChannel)
	fmt.Fprintf(&b, "Payload Port                    : %d\n", r.PayloadPort)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCSV is ipmitool's -c line; like ipmitool it repeats force
// encryption where force authentication belongs.
func (r *solInfo) WriteCSV(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%s,%t,%t,%t,%s,%d,%d,%d,%d,%s,%s,%d,%d\n", r.raw.setInProgress, r.Enabled,
		r.ForceEncryption, r.ForceEncryption, r.PrivilegeLevel, r.AccumulateMs, r.SendThreshold,
		r.RetryCount, r.RetryIntervalMs, r.raw.vRate, r.raw.nvRate, r.PayloadChannel, r.PayloadPort)
	return err
}

func (r *solInfo) Columns() []string {
	return []string{"set_in_progress", "enabled", "force_encryption", "force_authentication",
		"privilege_level", "character_accumulate_level_ms", "character_send_threshold", "retry_count",
		"retry_interval_ms", "volatile_bit_rate_kbps", "non_volatile_bit_rate_kbps", "payload_channel", "payload_port"}
}

func (r *solInfo) Rows() [][]string {
	return [][]string{{r.raw.setInProgress.String(), strconv.FormatBool(r.Enabled), strconv.FormatBool(r.ForceEncryption),
		strconv.FormatBool(r.ForceAuthentication), r.PrivilegeLevel, strconv.Itoa(r.AccumulateMs),
		strconv.Itoa(r.SendThreshold), strconv.Itoa(r.RetryCount), strconv.Itoa(r.RetryIntervalMs),
		r.raw.vRate.String(), r.raw.nvRate.String(), strconv.Itoa(r.PayloadChannel), strconv.Itoa(r.PayloadPort)}}
}

func newSolInfoCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*solInfo](&cobra.Command{
		Use:   "info [CHANNEL]",
		Short: "Show the SOL configuration parameters",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ch, err := solChannelArg(args, 0)
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			info, err := solGetInfo(f, c, ch)
			if err != nil {
				return err
			}
			return f.Render(info)
		},
	})
}

// solGetInfo reads every parameter as ipmitool does, printing its "Info:"
// lines on stderr for parameters the BMC lacks.
func solGetInfo(f *cli.Factory, c *ipmi.Client, ch uint8) (*solInfo, error) {
	var p solParams
	for _, param := range []sol.Param{sol.ParamSetInProgress, sol.ParamEnable, sol.ParamAuthentication,
		sol.ParamCharacterInterval, sol.ParamRetry, sol.ParamNonVolatileBitRate, sol.ParamVolatileBitRate,
		sol.ParamPayloadChannel, sol.ParamPayloadPort} {
		data, err := sol.GetConfig(f.Context(), c, ch, param)
		if ipmi.IsCompletion(err, ipmi.CodeParameterNotSupported) {
			if err := solInfoDefault(f, c, ch, param, &p); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			var ce *ipmi.CompletionError
			if errors.As(err, &ce) {
				return nil, fmt.Errorf("Error requesting SOL parameter '%s': %s", param, ce.Code)
			}
			return nil, fmt.Errorf("Error: No response requesting SOL parameter '%s': %w", param, err)
		}
		if !solDecodeParam(param, data, &p) {
			fmt.Fprintf(f.IO.ErrOut, "Error: Unexpected data length (%d) received for SOL parameter '%s'\n", len(data)+1, param)
		}
	}
	return newSolInfo(p), nil
}

// solParamLen is the data length ipmitool insists on per parameter.
var solParamLen = map[sol.Param]int{sol.ParamCharacterInterval: 2, sol.ParamRetry: 2, sol.ParamPayloadPort: 2}

// solDecodeParam stores one parameter; false when its length is wrong
// (ipmitool then keeps the zero value).
func solDecodeParam(param sol.Param, data []byte, p *solParams) bool {
	want := solParamLen[param]
	if want == 0 {
		want = 1
	}
	if len(data) != want {
		return false
	}
	switch param {
	case sol.ParamSetInProgress:
		p.setInProgress, _ = sol.DecodeSetInProgress(data)
	case sol.ParamEnable:
		// ipmitool prints the whole byte as a truth value.
		p.enabled = data[0] != 0
	case sol.ParamAuthentication:
		p.auth, _ = sol.DecodeAuthentication(data)
	case sol.ParamCharacterInterval:
		p.interval, _ = sol.DecodeCharacterInterval(data)
	case sol.ParamRetry:
		p.retry, _ = sol.DecodeRetry(data)
		p.retry.Count = data[0] // ipmitool shows the whole byte
	case sol.ParamNonVolatileBitRate:
		p.nvRate, _ = sol.DecodeBitRate(data)
	case sol.ParamVolatileBitRate:
		p.vRate, _ = sol.DecodeBitRate(data)
	case sol.ParamPayloadChannel:
		p.channel = data[0] // ipmitool shows the whole byte
	case sol.ParamPayloadPort:
		p.port, _ = sol.DecodePayloadPort(data)
	}
	return true
}

// solInfoDefault handles a parameter the BMC does not support, with
// ipmitool's messages and defaults.
func solInfoDefault(f *cli.Factory, c *ipmi.Client, ch uint8, param sol.Param, p *solParams) error {
	switch param {
	case sol.ParamPayloadChannel:
		fmt.Fprintf(f.IO.ErrOut, "Info: SOL parameter '%s' not supported - defaulting to 0x%02x\n", param, ch)
		p.channel = ch
	case sol.ParamPayloadPort:
		port, ok := solSessionPort(c)
		if !ok {
			fmt.Fprintf(f.IO.ErrOut, "Info: SOL parameter '%s' not supported - can't determine which payload port to use on NULL session\n", param)
			return &cli.SilentError{Code: cli.ExitBMC}
		}
		fmt.Fprintf(f.IO.ErrOut, "Info: SOL parameter '%s' not supported - defaulting to %d\n", param, port)
		p.port = port
	default:
		fmt.Fprintf(f.IO.ErrOut, "Info: SOL parameter '%s' not supported\n", param)
	}
	return nil
}

// solSessionPort is the UDP port of a LAN session.
func solSessionPort(c *ipmi.Client) (uint16, bool) {
	a, ok := c.Transport().(interface{ Addr() string })
	if !ok {
		return 0, false
	}
	_, port, err := net.SplitHostPort(a.Addr())
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseUint(port, 10, 16)
	return uint16(n), err == nil
}

func newSolInfo(p solParams) *solInfo {
	return &solInfo{
		SetInProgress: uint8(p.setInProgress & 3), Enabled: p.enabled,
		ForceEncryption: p.auth.ForceEncryption, ForceAuthentication: p.auth.ForceAuthentication,
		PrivilegeLevel: p.auth.Privilege.String(),
		AccumulateMs:   int(p.interval.Accumulate) * 5, SendThreshold: int(p.interval.SendThreshold),
		RetryCount: int(p.retry.Count), RetryIntervalMs: int(p.retry.Interval) * 10,
		VolatileBitRate: solKbps(p.vRate), NonVolatileBitRate: solKbps(p.nvRate),
		PayloadChannel: int(p.channel), PayloadPort: int(p.port), raw: p,
	}
}

func newSolPayloadCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[cli.Done](cli.Returns[solPayloadStatus](&cobra.Command{
		Use:   "payload enable|disable|status [CHANNEL] [USERID]",
		Short: "Allow or forbid a user SOL (Set/Get User Payload Access); default channel 14 (this one), user 1",
		Args:  cobra.RangeArgs(1, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			ch, err := solChannelArg(args, 1)
			if err != nil {
				return err
			}
			user := uint64(1)
			if len(args) == 3 {
				user, err = strconv.ParseUint(args[2], 0, 8)
				if err != nil || user < 1 || user > 63 {
					return cli.UsageErrorf("Invalid user ID: %s", args[2])
				}
			}
			op := strings.ToLower(args[0])
			if op != "enable" && op != "disable" && op != "status" {
				return cli.UsageErrorf("sol payload: want enable, disable or status, not %q", args[0])
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			if op == "status" {
				on, err := sol.UserPayloadAccess(f.Context(), c, ch, uint8(user))
				if err != nil {
					return fmt.Errorf("Error getting SOL payload status for user %d on channel %d: %s", user, ch, solErrText(err))
				}
				return f.Render(solPayloadStatus{User: int(user), Channel: int(ch), Enabled: on})
			}
			if err := sol.SetUserPayloadAccess(f.Context(), c, ch, uint8(user), op == "enable"); err != nil {
				return fmt.Errorf("Error %sabling SOL payload for user %d on channel %d: %s", op[:len(op)-4], user, ch, solErrText(err))
			}
			return f.Render(cli.Done(fmt.Sprintf("%sd SOL payload for user %d on channel %d", op, user, ch)))
		},
	}))
}

// solErrText is a completion code's ipmitool name, or the error.
func solErrText(err error) string {
	var ce *ipmi.CompletionError
	if errors.As(err, &ce) {
		return ce.Code.String()
	}
	return err.Error()
}

type solPayloadStatus struct {
	User    int  `json:"user_id"`
	Channel int  `json:"channel"`
	Enabled bool `json:"enabled"`
}

func (s solPayloadStatus) WriteText(w io.Writer) error {
	state := "disabled"
	if s.Enabled {
		state = "enabled"
	}
	_, err := fmt.Fprintf(w, "User %d on channel %d is %s\n", s.User, s.Channel, state)
	return err
}

func newSolLooptestCmd(f *cli.Factory) *cobra.Command {
	return cli.Streams(&cobra.Command{
		Use:   "looptest [COUNT [INTERVAL_MS [INSTANCE]]]",
		Short: "Activate and deactivate SOL repeatedly (default 200 times, 100 ms apart)",
		Args:  cobra.MaximumNArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			count, interval, instance := 200, 100, uint64(1)
			var err error
			if len(args) > 0 {
				if count, err = strconv.Atoi(args[0]); err != nil {
					return cli.UsageErrorf("Given cnt '%s' is invalid.", args[0])
				}
				if count <= 0 {
					count = 200
				}
			}
			if len(args) > 1 {
				if interval, err = strconv.Atoi(args[1]); err != nil {
					return cli.UsageErrorf("Given interval '%s' is invalid.", args[1])
				}
				interval = max(interval, 0)
			}
			if len(args) > 2 {
				if instance, err = strconv.ParseUint(args[2], 0, 8); err != nil || instance < 1 || instance > 15 {
					return cli.UsageErrorf("Given instance '%s' is invalid.", args[2])
				}
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			return solLooptest(f, c, count, interval, uint8(instance))
		},
	})
}

func solLooptest(f *cli.Factory, c *ipmi.Client, count, intervalMs int, instance uint8) error {
	ctx := f.Context()
	o := sol.ActivateOptions{Instance: instance}
	o.Encrypt, o.Authenticate = solSessionProtection(c)
	for ; count > 0; count-- {
		fmt.Fprintf(f.IO.Out, "remain loop test counter: %d\n", count)
		if _, err := sol.Activate(ctx, c, o); err != nil {
			fmt.Fprintf(f.IO.ErrOut, "Info: %v\n", err)
			fmt.Fprintf(f.IO.Out, "SOL looptest failed: %d\n", -1)
			return &cli.SilentError{Code: cli.ExitBMC}
		}
		fmt.Fprintf(f.IO.Out, "[SOL Session operational.  Use ~? for help]\n")
		if err := sol.Deactivate(ctx, c, instance); err != nil {
			fmt.Fprintf(f.IO.ErrOut, "Info: %v\n", err)
		}
		if err := solSleep(ctx, intervalMs); err != nil {
			return err
		}
	}
	return nil
}

// solSessionProtection reports whether the session encrypts and
// authenticates, so the payload asks for the same.
func solSessionProtection(c *ipmi.Client) (encrypt, authenticate bool) {
	if e, ok := c.Transport().(interface{ Encrypted() bool }); ok {
		encrypt = e.Encrypted()
	}
	if a, ok := c.Transport().(interface{ Authenticated() bool }); ok {
		authenticate = a.Authenticated()
	}
	return encrypt, authenticate
}

func solSleep(ctx context.Context, ms int) error {
	if ms <= 0 {
		return ctx.Err()
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Duration(ms) * time.Millisecond):
		return nil
	}
}

// solKbps is a bit rate for JSON: kbit/s, or nil.
func solKbps(r sol.BitRate) *float64 {
	if v, ok := r.Kbps(); ok {
		return &v
	}
	return nil
}

// Columns and Rows give solPayloadStatus a table form, one row per field.
func (s solPayloadStatus) Columns() []string { return cli.FieldColumns }
func (s solPayloadStatus) Rows() [][]string  { return cli.FieldRows(s) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (s solPayloadStatus) WriteCSV(w io.Writer) error { return s.WriteText(w) }
