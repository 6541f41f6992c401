package cli

import (
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ipmictl/ipmictl/rmcp"
)

// validateGlobals checks every global flag value (from the command line,
// IPMICTL_* or a profile) before anything is sent, so that a typo is exit 2
// in our words rather than a refused login (exit 3) or a silently odd run.
func validateGlobals(f *Factory, cmd *cobra.Command) error {
	o := f.Opts
	changed := func(name string) bool { return cmd.Flags().Changed(name) }

	if _, err := parseOutputFormat(o.Output); err != nil {
		return err
	}
	switch strings.ToLower(o.Interface) {
	case "", "lanplus", "lan", "open", "kcs":
	default:
		return UsageErrorf("-I %s: unknown interface; use lanplus, lan, open or kcs", o.Interface)
	}
	if _, _, err := parsePrivilege(o.Privilege); err != nil {
		return UsageErrorf("-L %s: unknown privilege level; use CALLBACK, USER, OPERATOR or ADMINISTRATOR (a trailing + asks for role lookup)", o.Privilege)
	}
	if _, err := parseAuthType(o.AuthType); err != nil {
		return UsageErrorf("-A %s: unknown auth type; use MD5, MD2, PASSWORD or NONE", o.AuthType)
	}
	if o.CipherSuite != -1 && !knownCipherSuite(o.CipherSuite) {
		return UsageErrorf("-C %d: not a cipher suite ipmictl speaks; use one of %s (or leave -C out to pick the strongest the BMC offers)",
			o.CipherSuite, joinInts(rmcp.SupportedCipherSuites()))
	}
	if err := checkInsecure(o); err != nil {
		return err
	}
	if o.Port < 1 || o.Port > 65535 {
		return UsageErrorf("-p %d: the port must be 1-65535", o.Port)
	}
	envTimeout := !changed("timeout") && strings.TrimSpace(os.Getenv("IPMICTL_TIMEOUT")) != ""
	if o.Timeout < 0 || (o.Timeout == 0 && (changed("timeout") || envTimeout)) {
		return UsageErrorf("-N %d: the timeout must be at least 1 second", o.Timeout)
	}
	if o.Retries < 0 {
		return UsageErrorf("-R %d: retries cannot be negative; use -R 0 for no retries", o.Retries)
	}
	if o.Device < 0 {
		return UsageErrorf("-d %d: the device number cannot be negative", o.Device)
	}
	if n := len(o.Username); n > 16 {
		return UsageErrorf("-U: the user name is %d bytes; IPMI allows at most 16", n)
	}
	if n := len(o.KgKey); n > 20 {
		return UsageErrorf("-k: the K_g key is %d bytes; IPMI allows at most 20 (40 hex digits with -y)", n)
	}
	if o.KgHex != "" {
		s := strings.TrimPrefix(strings.TrimPrefix(o.KgHex, "0x"), "0X")
		if _, err := hex.DecodeString(s); err != nil {
			// The key is a secret: never echo it.
			return UsageErrorf("-y: the K_g key is not an even number of hex digits (0-9, a-f)")
		}
		if len(s) > 40 {
			return UsageErrorf("-y: the K_g key is %d hex digits; IPMI allows at most 40 (20 bytes)", len(s))
		}
	}
	if len(o.EscapeChar) != 1 {
		return UsageErrorf("-e %q: the escape character must be a single character", o.EscapeChar)
	}
	for _, b := range []struct{ flag, v string }{{"-t", o.TargetAddr}, {"-b", o.TargetChan}, {"-T", o.TransitAddr}, {"-B", o.TransitChan}} {
		if b.v != "" {
			if _, err := parseByteArg(b.flag, b.v); err != nil {
				return err
			}
		}
	}
	if o.TargetAddr == "" && (o.TargetChan != "" || o.TransitAddr != "" || o.TransitChan != "") {
		return UsageErrorf("-b, -T and -B need -t TARGET")
	}
	if o.SDRCache != "" && o.SDRCache != "off" && strings.TrimSpace(o.SDRCache) == "" {
		return UsageErrorf("--sdr-cache: give off or a directory")
	}

	fo := f.Fanout
	// Unset (0) sizes the fan-out by the host list and the open-file limit.
	if fo.Fanout < 0 || (fo.Fanout == 0 && cmd.Flags().Changed("fanout")) {
		return UsageErrorf("--fanout %d: at least 1 BMC must be worked on at a time (leave it out to size it automatically)", fo.Fanout)
	}
	if fo.HostTimeout <= 0 {
		return UsageErrorf("--host-timeout %v: the time allowed per host must be more than 0 (e.g. 30s or 2m)", fo.HostTimeout)
	}
	switch fo.Progress {
	case "auto", "always", "never":
	default:
		return UsageErrorf("--progress %s: use auto, always or never", fo.Progress)
	}
	return nil
}

func knownCipherSuite(id int) bool {
	for _, s := range rmcp.SupportedCipherSuites() {
		if s == id {
			return true
		}
	}
	return false
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// flagWords say what each numeric flag wants, for values that are not
// numbers at all.
var flagWords = map[string]string{
	"timeout":      "a whole number of seconds",
	"retries":      "a whole number of retries",
	"port":         "a port number (1-65535)",
	"cipher-suite": "a cipher suite number",
	"device":       "a device number",
	"fanout":       "a whole number of BMCs",
	"host-timeout": "a duration such as 30s or 2m",
}

// pflag's words: `invalid argument "abc" for "-N, --timeout" flag: ...`.
var invalidArgRE = regexp.MustCompile(`^invalid argument "(.*)" for "(?:-(\w), )?--([\w-]+)" flag: `)

// FlagError rewrites cobra's and pflag's flag errors in our words (no
// strconv or Go types) and makes them usage errors (exit 2).
func FlagError(c *cobra.Command, err error) error {
	msg := err.Error()
	if m := invalidArgRE.FindStringSubmatch(msg); m != nil {
		value, short, long := m[1], m[2], m[3]
		name := "--" + long
		if short != "" {
			name = "-" + short
		}
		want := flagWords[long]
		if want == "" {
			want = "a valid value"
			if fl := c.Flags().Lookup(long); fl != nil {
				want = valueWords(fl)
			}
		}
		msg = fmt.Sprintf("%s %s: not %s", name, value, want)
	}
	return &UsageError{msg: msg + "\nRun '" + c.CommandPath() + " --help' for usage."}
}

func valueWords(fl *pflag.Flag) string {
	switch fl.Value.Type() {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "count":
		return "a whole number"
	case "float32", "float64":
		return "a number"
	case "duration":
		return "a duration such as 30s or 2m"
	case "bool":
		return "true or false"
	}
	return "a valid value"
}

// checkInsecure refuses what sends no authentication or no integrity
// unless it is asked for twice: named (-C 0/1/6/15, -A NONE) and allowed
// with --insecure. Automatic choice never picks them (rmcp.Dial).
func checkInsecure(o *GlobalOptions) error {
	if o.Insecure {
		return nil
	}
	if a, _ := parseAuthType(o.AuthType); o.CipherSuite == 0 || a == rmcp.AuthTypeNone {
		return UsageErrorf("cipher suite 0 / auth type NONE sends no authentication: any password is accepted and anyone can forge commands; add --insecure if you really mean it")
	}
	if o.CipherSuite > 0 && !rmcp.SuiteHasIntegrity(o.CipherSuite) {
		return UsageErrorf("cipher suite %d has no integrity: anyone on the path can forge commands and answers; add --insecure if you really mean it, or leave -C out to use the strongest suite the BMC offers", o.CipherSuite)
	}
	return nil
}
