package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// GlobalOptions are ipmitool's global flags plus ipmictl's own.
type GlobalOptions struct {
	Interface    string // -I lan|lanplus|open
	Host         string // -H host, host:port, [v6]:port or profile name
	Port         int    // -p
	Username     string // -U
	Password     string // -P (discouraged: visible in ps)
	PasswordEnv  bool   // -E
	PasswordFile string // -f
	PasswordAsk  bool   // -a
	EscapeChar   string // -e, SOL escape character (global, as in ipmitool)
	Privilege    string // -L
	CipherSuite  int    // -C (-1 = choose)
	AuthType     string // -A (IPMI 1.5)
	KgKey        string // -k
	KgHex        string // -y
	KgEnv        bool   // -K (IPMI_KGKEY)
	KgAsk        bool   // -Y
	Timeout      int    // -N seconds per try
	Retries      int    // -R
	Verbose      int    // -v (repeatable)
	CSV          bool   // -c
	Output       string // -o text|json|csv|table
	TargetAddr   string // -t
	TargetChan   string // -b
	TransitAddr  string // -T
	TransitChan  string // -B
	Device       int    // -d N for /dev/ipmiN
	Insecure     bool   // allow cipher suite 0 / auth type NONE
	ConfigFile   string // --config
	SDRCache     string // --sdr-cache off|DIR
	SDRFile      string // -S FILE

	Profile         string // config profile selected by -H NAME
	PasswordCommand string // from the profile: a command that prints the password

	secrets *secretCache // secrets read once per source, shared by a fan-out's hosts
}

// NewRootCmd builds the command tree on f.
func NewRootCmd(f *Factory) *cobra.Command {
	o := f.Opts
	root := &cobra.Command{
		Use:   "ipmictl",
		Short: "Manage servers through their BMCs over IPMI",
		Long: `ipmictl talks IPMI to a server's BMC: over the network (RMCP+ "lanplus",
IPMI 1.5 "lan") or in-band through /dev/ipmi0. Its commands and output follow
ipmitool's, so existing scripts keep working; -o json gives structured output.`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := loadConfig(f, cmd); err != nil {
				return err
			}
			if err := validateGlobals(f, cmd); err != nil {
				return err
			}
			if cmd.Annotations[annotationGroupHelp] == "" {
				if err := checkFormat(cmd, f.Opts); err != nil {
					return err
				}
			}
			f.leaf = cmd
			// A fan-out host or an exec line never shows the progress
			// line; looking the command up again would cost each of a
			// thousand hosts a quarter of its CPU.
			f.liveOK = !f.single && liveCommandOK(cmd)
			if f.single {
				return nil
			}
			hosts, err := FanoutHosts(f)
			if err != nil || hosts == nil {
				return err
			}
			return runFanout(f, cmd, hosts)
		},
	}
	root.SetVersionTemplate("ipmictl version {{.Version}}\n")
	// A fan-out or exec child never completes shell words; cobra's
	// completion command costs a tenth of each host's run to set up.
	root.CompletionOptions.DisableDefaultCmd = f.single
	p := root.PersistentFlags()
	p.StringVarP(&o.Interface, "interface", "I", "", "interface: lanplus (IPMI 2.0), lan (IPMI 1.5), open (/dev/ipmi0) or kcs (direct KCS I/O, root); default lanplus with -H, open without")
	p.StringVarP(&o.Host, "host", "H", "", "BMC host name or address (host:port and [v6addr]:port accepted), or a profile name from the config file")
	p.IntVarP(&o.Port, "port", "p", 623, "BMC UDP port")
	p.StringVarP(&o.Username, "username", "U", "", "user name (default: the null user)")
	p.StringVarP(&o.Password, "password", "P", "", "password (visible to other users in ps; prefer -E, -f or -a)")
	p.BoolVarP(&o.PasswordEnv, "env-password", "E", false, "read the password from IPMITOOL_PASSWORD, then IPMI_PASSWORD")
	p.StringVarP(&o.PasswordFile, "password-file", "f", "", "read the password from the first line of FILE")
	p.BoolVarP(&o.PasswordAsk, "ask-password", "a", false, "prompt for the password")
	p.StringVarP(&o.Privilege, "privilege", "L", "ADMINISTRATOR", "session privilege: CALLBACK, USER, OPERATOR, ADMINISTRATOR (suffix + for role lookup)")
	p.IntVarP(&o.CipherSuite, "cipher-suite", "C", -1, "RMCP+ cipher suite ID (default: the strongest the BMC offers)")
	p.StringVarP(&o.AuthType, "authtype", "A", "", "IPMI 1.5 auth type: MD5, MD2, PASSWORD, NONE (default: strongest offered)")
	p.StringVarP(&o.KgKey, "kg-key", "k", "", "BMC key K_g as text")
	p.StringVarP(&o.KgHex, "kg-hex", "y", "", "BMC key K_g as hex")
	p.BoolVarP(&o.KgEnv, "kg-env", "K", false, "read K_g from IPMI_KGKEY")
	p.BoolVarP(&o.KgAsk, "kg-ask", "Y", false, "prompt for K_g")
	p.IntVarP(&o.Timeout, "timeout", "N", 0, "seconds to wait for each reply (default 1 for lanplus, 2 for lan)")
	p.IntVarP(&o.Retries, "retries", "R", 4, "retries per request")
	p.CountVarP(&o.Verbose, "verbose", "v", "verbose output on stderr (repeat for more)")
	p.BoolVarP(&o.CSV, "csv", "c", false, "CSV output, as ipmitool -c")
	p.StringVarP(&o.Output, "output", "o", "text", "output format: text, json, csv or table")
	p.StringVarP(&o.TargetAddr, "target", "t", "", "bridge the request to this IPMB address")
	p.StringVarP(&o.TargetChan, "target-channel", "b", "", "channel of the bridge target")
	p.StringVarP(&o.TransitAddr, "transit", "T", "", "transit address for double bridging")
	p.StringVarP(&o.TransitChan, "transit-channel", "B", "", "transit channel for double bridging")
	p.IntVarP(&o.Device, "device", "d", 0, "in-band device number N (/dev/ipmiN)")
	p.BoolVar(&o.Insecure, "insecure", false, "allow cipher suite 0 and auth type NONE (no authentication)")
	p.StringVar(&o.ConfigFile, "config", "", "config file (default ~/.config/ipmictl/config.yaml)")
	p.StringVar(&o.SDRCache, "sdr-cache", "", "SDR cache: off, or a directory (default the XDG cache dir)")
	p.StringVarP(&o.SDRFile, "sdr-file", "S", "", "read SDRs from FILE (made by sdr dump) instead of the BMC")
	p.StringVarP(&o.EscapeChar, "escape-char", "e", "~", "SOL escape character (sol activate)")

	addFanoutFlags(root, f.Fanout)
	for i, newCmd := range f.Groups {
		// A fan-out child builds only the group it runs: the whole tree
		// costs half a millisecond, a thousand hosts half a second.
		if f.onlyGroup >= 0 && i != f.onlyGroup {
			continue
		}
		c := newCmd(f)
		if c.Annotations == nil {
			c.Annotations = map[string]string{}
		}
		c.Annotations[annotationGroup] = strconv.Itoa(i)
		root.AddCommand(c)
	}
	registerCompletions(f, root)
	refuseUnknownSubcommands(root)
	wrapArgValidators(root)
	root.SetFlagErrorFunc(FlagError)
	return root
}

// Run executes args on f, always closing the BMC session, and maps the
// outcome to an exit status.
func Run(f *Factory, args []string) int {
	f.args = args
	root := NewRootCmd(f)
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	err := root.Execute()
	if cerr := f.Close(); cerr != nil && err == nil && f.Opts.Verbose > 0 && !f.StdoutBroken() {
		fmt.Fprintf(f.IO.ErrOut, "ipmictl: closing session: %v\n", cerr)
	}
	// stdout's reader went away: the session is closed; say nothing more
	// and exit as the signal would have.
	if f.StdoutBroken() {
		return ExitBrokenPipe
	}
	// A fan-out host that ran out of --host-timeout is unreachable for
	// the script's purposes (exit 3); the fan-out says which host.
	timedOut := err != nil && errors.Is(f.Ctx.Err(), context.DeadlineExceeded)
	if timedOut {
		var se *SilentError
		if !errors.As(err, &se) && !errors.Is(err, context.DeadlineExceeded) {
			fmt.Fprintf(f.IO.ErrOut, "ipmictl: %v\n", err)
		}
		fmt.Fprintln(f.IO.ErrOut, "ipmictl: the host timed out (--host-timeout)")
		return ExitConnection
	}
	if err != nil {
		var se *SilentError
		if !errors.As(err, &se) {
			if errors.Is(err, context.Canceled) {
				fmt.Fprintln(f.IO.ErrOut, "ipmictl: interrupted")
			} else {
				fmt.Fprintf(f.IO.ErrOut, "ipmictl: %v\n", err)
			}
		}
		if isUnknownCommand(err) {
			return ExitUsage
		}
	}
	return exitCode(err)
}

// annotationGroupHelp marks a group command without a Run of its own.
const annotationGroupHelp = "ipmictl/group-help"

// refuseUnknownSubcommands gives every group without a Run of its own one
// that refuses a mistyped subcommand (exit 2, with the valid ones) and,
// given no subcommand, prints the group's help on stderr and exits 2, as
// ipmitool prints a group's usage and fails. Cobra would print the help
// and exit 0 in both cases, which a script cannot tell from success.
func refuseUnknownSubcommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		refuseUnknownSubcommands(sub)
	}
	if c.Parent() == nil || !c.HasSubCommands() || c.Runnable() {
		return
	}
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[annotationGroupHelp] = "1"
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return UnknownSubcommand(cmd, args[0])
		}
		cmd.SetOut(cmd.ErrOrStderr())
		cmd.Help()
		return &SilentError{Code: ExitUsage}
	}
}

// UnknownSubcommand is the usage error for a word that names no
// subcommand of group, with suggestions and the valid names.
func UnknownSubcommand(group *cobra.Command, word string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "unknown command %q for %q", word, group.CommandPath())
	if group.SuggestionsMinimumDistance <= 0 {
		group.SuggestionsMinimumDistance = 2
	}
	if sugg := group.SuggestionsFor(word); len(sugg) > 0 {
		b.WriteString("\n\nDid you mean this?\n")
		for _, s := range sugg {
			fmt.Fprintf(&b, "\t%s\n", s)
		}
	}
	var names []string
	for _, sub := range group.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	fmt.Fprintf(&b, "\nValid commands: %s\nRun '%s --help' for usage.", strings.Join(names, ", "), group.CommandPath())
	return &UsageError{msg: b.String()}
}

// wrapArgValidators makes cobra's argument-count errors usage errors
// (exit 2), like flag errors.
func wrapArgValidators(c *cobra.Command) {
	if validate := c.Args; validate != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := validate(cmd, args); err != nil {
				return &UsageError{msg: err.Error() + "\nRun '" + cmd.CommandPath() + " --help' for usage."}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		wrapArgValidators(sub)
	}
}
