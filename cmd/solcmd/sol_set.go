package solcmd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sol"
	"github.com/spf13/cobra"
)

const solSetUsage = `SOL set parameters and values:
  set-in-progress             set-complete | set-in-progress | commit-write
  enabled                     true | false
  force-encryption            true | false
  force-authentication        true | false
  privilege-level             user | operator | admin | oem
  character-accumulate-level  <in 5 ms increments>
  character-send-threshold    N
  retry-count                 N
  retry-interval              <in 10 ms increments>
  non-volatile-bit-rate       serial | 9.6 | 19.2 | 38.4 | 57.6 | 115.2
  volatile-bit-rate           serial | 9.6 | 19.2 | 38.4 | 57.6 | 115.2`

func newSolSetCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[cli.Done](&cobra.Command{
		Use:   "set PARAM VALUE [CHANNEL] [noguard]",
		Short: "Change a SOL configuration parameter (guarded by set-in-progress unless noguard)",
		Long:  solSetUsage,
		Args:  cobra.RangeArgs(2, 4),
		RunE: func(cmd *cobra.Command, args []string) error {
			ch, guard := uint8(solThisChannel), true
			rest := args[2:]
			if len(rest) > 0 && strings.HasPrefix(rest[len(rest)-1], "noguard") {
				guard, rest = false, rest[:len(rest)-1]
			}
			if len(rest) > 1 {
				return cli.UsageErrorf("%s", solSetUsage)
			}
			if len(rest) == 1 {
				var err error
				if ch, err = cli.ParseChannel(rest[0]); err != nil {
					return err
				}
			}
			set, err := solParseSet(args[0], args[1])
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			if err := solSetParam(f, c, ch, set, guard); err != nil {
				return err
			}
			return f.Render(cli.Done(fmt.Sprintf("set SOL parameter %s to %s", set.name, set.value)))
		},
	})
}

// solSet is one parsed "sol set": the parameter, the bytes we know, and
// how to fill in the ones kept from the current configuration.
type solSet struct {
	name, value string
	param       sol.Param
	data        []byte
	merge       func(cur solParams, data []byte) // nil: data is complete
}

// solParseSet validates PARAM VALUE as ipmitool does.
func solParseSet(name, value string) (*solSet, error) {
	s := &solSet{name: name, value: value}
	boolean := func(t byte) error {
		switch value {
		case "true":
			s.data = []byte{t}
		case "false":
			s.data = []byte{0}
		default:
			return cli.UsageErrorf("Invalid value %s for parameter %s\nValid values are true and false", value, name)
		}
		return nil
	}
	number := func(lo, hi int) (byte, error) {
		n, err := strconv.ParseUint(value, 0, 8)
		if err != nil || int(n) < lo || int(n) > hi {
			return 0, cli.UsageErrorf("Invalid value %s for parameter %s\nValid values are %d-%d", value, name, lo, hi)
		}
		return byte(n), nil
	}
	var err error
	switch name {
	case "set-in-progress":
		s.param = sol.ParamSetInProgress
		v := map[string]byte{"set-complete": 0, "set-in-progress": 1, "commit-write": 2}
		b, ok := v[value]
		if !ok {
			return nil, cli.UsageErrorf("Invalid value %s for parameter %s\nValid values are set-complete, set-in-progress and commit-write", value, name)
		}
		s.data = []byte{b}
	case "enabled":
		s.param = sol.ParamEnable
		err = boolean(0x01)
	case "force-encryption":
		s.param = sol.ParamAuthentication
		err = boolean(0x80)
		s.merge = func(cur solParams, d []byte) {
			a := cur.auth
			a.ForceEncryption = d[0] != 0
			d[0] = a.Encode()
		}
	case "force-authentication":
		s.param = sol.ParamAuthentication
		err = boolean(0x40)
		s.merge = func(cur solParams, d []byte) {
			a := cur.auth
			a.ForceAuthentication = d[0] != 0
			d[0] = a.Encode()
		}
	case "privilege-level":
		s.param = sol.ParamAuthentication
		p, ok := map[string]byte{"user": 2, "operator": 3, "admin": 4, "oem": 5}[value]
		if !ok {
			return nil, cli.UsageErrorf("Invalid value %s for parameter %s\nValid values are user, operator, admin, and oem", value, name)
		}
		s.data = []byte{p}
		s.merge = func(cur solParams, d []byte) {
			a := cur.auth
			a.Privilege = ipmi.Privilege(d[0])
			d[0] = a.Encode()
		}
	case "character-accumulate-level":
		s.param = sol.ParamCharacterInterval
		var b byte
		b, err = number(1, 255)
		s.data = []byte{b, 0}
		s.merge = func(cur solParams, d []byte) { d[1] = cur.interval.SendThreshold }
	case "character-send-threshold":
		s.param = sol.ParamCharacterInterval
		var b byte
		b, err = number(0, 255)
		s.data = []byte{0, b}
		s.merge = func(cur solParams, d []byte) { d[0] = cur.interval.Accumulate }
	case "retry-count":
		s.param = sol.ParamRetry
		var b byte
		b, err = number(0, 7)
		s.data = []byte{b, 0}
		s.merge = func(cur solParams, d []byte) { d[1] = cur.retry.Interval }
	case "retry-interval":
		s.param = sol.ParamRetry
		var b byte
		b, err = number(0, 255)
		s.data = []byte{0, b}
		s.merge = func(cur solParams, d []byte) { d[0] = cur.retry.Count }
	case "non-volatile-bit-rate", "volatile-bit-rate":
		s.param = sol.ParamVolatileBitRate
		if name == "non-volatile-bit-rate" {
			s.param = sol.ParamNonVolatileBitRate
		}
		r, ok := sol.ParseBitRate(value)
		if !ok {
			return nil, cli.UsageErrorf("Invalid value \"%s\" for parameter \"%s\"\nValid values are serial, 9.6 19.2, 38.4, 57.6 and 115.2", value, name)
		}
		s.data = []byte{byte(r)}
	default:
		return nil, cli.UsageErrorf("Error: invalid SOL parameter %s\n%s", name, solSetUsage)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// solSetParam writes one parameter the way ipmitool does: fetch the
// current values a multi-field parameter keeps, then set-in-progress, the
// write, commit-write (allowed to fail) and set-complete.
func solSetParam(f *cli.Factory, c *ipmi.Client, ch uint8, s *solSet, guard bool) error {
	ctx := f.Context()
	if s.param == sol.ParamSetInProgress {
		guard = false
	}
	if s.merge != nil {
		info, err := solGetInfo(f, c, ch)
		if err != nil {
			fmt.Fprintf(f.IO.ErrOut, "%v\n", err)
			return fmt.Errorf("Error fetching SOL parameters for %s update", s.name)
		}
		s.merge(info.raw, s.data)
	}
	progress := func(v string) error {
		p, _ := solParseSet("set-in-progress", v)
		return solSetParam(f, c, ch, p, false)
	}
	if guard {
		if err := progress("set-in-progress"); err != nil {
			fmt.Fprintf(f.IO.ErrOut, "%v\n", err)
			return fmt.Errorf("Error: set of parameter \"%s\" failed", s.name)
		}
	}
	err := sol.SetConfig(ctx, c, ch, s.param, s.data...)
	var ce *ipmi.CompletionError
	if s.param == sol.ParamSetInProgress && s.value == "commit-write" && errors.As(err, &ce) {
		err = nil // ipmitool ignores the completion code of a commit-write
	}
	if err != nil {
		msg := solSetErrText(s, err)
		if guard {
			if perr := progress("set-complete"); perr != nil {
				fmt.Fprintf(f.IO.ErrOut, "%s\n%v\n", msg, perr)
				return errors.New("Error could not set \"set-in-progress\" to \"set-complete\"")
			}
		}
		return errors.New(msg)
	}
	if guard {
		_ = progress("commit-write") // may well be unimplemented
		if err := progress("set-complete"); err != nil {
			fmt.Fprintf(f.IO.ErrOut, "%v\n", err)
			return errors.New("Error could not set \"set-in-progress\" to \"set-complete\"")
		}
	}
	return nil
}

func solSetErrText(s *solSet, err error) string {
	var ce *ipmi.CompletionError
	if !errors.As(err, &ce) {
		return fmt.Sprintf("Error setting SOL parameter '%s': %v", s.name, err)
	}
	switch ce.Code {
	case 0x80:
		return fmt.Sprintf("Error setting SOL parameter '%s': Parameter not supported", s.name)
	case 0x81:
		return fmt.Sprintf("Error setting SOL parameter '%s': Attempt to set set-in-progress when not in set-complete state", s.name)
	case 0x82:
		return fmt.Sprintf("Error setting SOL parameter '%s': Attempt to write read-only parameter", s.name)
	case 0x83:
		return fmt.Sprintf("Error setting SOL parameter '%s': Attempt to read write-only parameter", s.name)
	}
	return fmt.Sprintf("Error setting SOL parameter '%s' to '%s': %s", s.name, s.value, ce.Code)
}
