package cli

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"unsafe"

	"github.com/spf13/pflag"
)

// The flags whose values are secrets: -P/--password, -k/--kg-key and
// -y/--kg-hex.
var secretFlagNames = map[string]bool{"password": true, "kg-key": true, "kg-hex": true}

// ProtectArgvPassword handles -P: the password is taken out of the
// process's argument memory (so /proc/PID/cmdline and ps show X's from
// now on, as ipmitool does) and the user is told that it was visible
// until then. It returns the password as a private copy.
func ProtectArgvPassword(ios *IOStreams, pw string) string {
	if pw == "" {
		return pw
	}
	private := strings.Clone(pw)
	ScrubArgs(os.Args, pw)
	fmt.Fprintln(ios.ErrOut, argvWarnings["password"])
	return private
}

var argvWarnings = map[string]string{
	"password": "ipmictl: warning: -P shows the password to other users (ps, /proc); use -E, -f FILE, -a or a config profile",
	"kg-key":   "ipmictl: warning: -k shows the key K_g to other users (ps, /proc); use -K (IPMI_KGKEY), -Y or a config profile's kg_hex",
	"kg-hex":   "ipmictl: warning: -y shows the key K_g to other users (ps, /proc); use -K (IPMI_KGKEY), -Y or a config profile's kg_hex",
}

// ScrubArgs overwrites the password where the -P flag carried it: "-P
// PW", "-PPW", "--password PW" or "--password=PW". Only those places: the
// same text elsewhere on the command line is another argument.
func ScrubArgs(args []string, pw string) {
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case (a == "-P" || a == "--password") && i+1 < len(args) && args[i+1] == pw:
			overwrite(args[i+1])
			i++
		case a == "-P"+pw:
			overwrite(a[2:])
		case a == "--password="+pw:
			overwrite(a[len("--password="):])
		case a == "--":
			return
		}
	}
}

// scrubProcessArgs runs before anything is sent: it gives o private
// copies of the secrets the command line carried (-P, -k, -y), keeps a
// private copy of the arguments for fan-out children, then overwrites
// every secret flag value in the process's argument memory, in every
// spelling pflag accepts (-P x, -Px, -P=x, -EPx, --password x,
// --password=x, and the same for -k/--kg-key and -y/--kg-hex). It warns
// once for -k and once for -y; the -P warning comes when the password is
// used (ProtectArgvPassword). It acts only when args is the process's own
// argument list (os.Args[1:]), whose strings live in the memory the
// kernel shows as /proc/PID/cmdline.
func scrubProcessArgs(f *Factory, fs *pflag.FlagSet) {
	if len(f.args) == 0 || len(os.Args) != len(f.args)+1 || &f.args[0] != &os.Args[1] {
		return
	}
	spans, _ := walkArgs(f.args, fs)
	if len(spans) == 0 {
		return
	}
	o := f.Opts
	o.Password = strings.Clone(o.Password)
	o.KgKey = strings.Clone(o.KgKey)
	o.KgHex = strings.Clone(o.KgHex)
	private := make([]string, len(f.args))
	for i, a := range f.args {
		private[i] = strings.Clone(a)
	}
	argv := f.args
	f.args = private
	warned := map[string]bool{}
	for _, s := range spans {
		overwrite(argv[s.Word][s.Start:])
		if warned[s.Flag] {
			continue
		}
		warned[s.Flag] = true
		if s.Flag == "password" {
			continue // ProtectArgvPassword warns when the password is used
		}
		fmt.Fprintln(f.IO.ErrOut, argvWarnings[s.Flag])
	}
}

// secretSpan is a secret on a command line: args[Word][Start:], the
// value of the flag named Flag.
type secretSpan struct {
	Word, Start int
	Flag        string
}

// walkArgs reads args as pflag parses them and returns where the values
// of the secret flags are, and the indexes of the positional words (the
// command path and its arguments). A shorthand letter fs does not know
// is read as a flag without a value (so the letters after it are still
// examined), a long flag fs does not know likewise: both are errors to
// pflag, and reading them so finds every secret flag that could follow.
func walkArgs(args []string, fs *pflag.FlagSet) (spans []secretSpan, positional []int) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			for j := i + 1; j < len(args); j++ {
				positional = append(positional, j)
			}
			return spans, positional
		}
		if len(a) < 2 || a[0] != '-' {
			positional = append(positional, i)
			continue
		}
		if a[1] == '-' {
			name, _, hasValue := strings.Cut(a[2:], "=")
			fl := fs.Lookup(name)
			if fl == nil {
				continue
			}
			secret := secretFlagNames[fl.Name]
			switch {
			case hasValue:
				if secret {
					spans = append(spans, secretSpan{i, 3 + len(name), fl.Name})
				}
			case fl.NoOptDefVal != "":
			case i+1 < len(args):
				i++
				if secret {
					spans = append(spans, secretSpan{i, 0, fl.Name})
				}
			}
			continue
		}
		// Shorthands, as pflag's parseSingleShortArg: "-f=v", "-fv",
		// "-f v", with flags without values ("-E", "-v") in front.
	shorts:
		for j := 1; j < len(a); j++ {
			fl := fs.ShorthandLookup(a[j : j+1])
			if fl == nil {
				continue
			}
			secret := secretFlagNames[fl.Name]
			switch {
			case len(a)-j > 2 && a[j+1] == '=':
				if secret {
					spans = append(spans, secretSpan{i, j + 2, fl.Name})
				}
				break shorts
			case fl.NoOptDefVal != "":
			case len(a)-j > 1:
				if secret {
					spans = append(spans, secretSpan{i, j + 1, fl.Name})
				}
				break shorts
			default:
				if i+1 < len(args) {
					i++
					if secret {
						spans = append(spans, secretSpan{i, 0, fl.Name})
					}
				}
				break shorts
			}
		}
	}
	return spans, positional
}

// overwrite replaces s's bytes with 'X' in place. s must point into the
// process's argv memory, which the kernel gives us writable; nothing in
// the program reads that string afterwards.
func overwrite(s string) {
	if len(s) == 0 {
		return
	}
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	for i := range b {
		b[i] = 'X'
	}
}

var (
	globalFlagsOnce sync.Once
	globalFlags     *pflag.FlagSet
)

// globalFlagSet is the root command's flags, for reading command lines
// that cobra has not parsed (exec and shell lines).
func globalFlagSet() *pflag.FlagSet {
	globalFlagsOnce.Do(func() {
		globalFlags = NewRootCmd(NewFactory()).PersistentFlags()
	})
	return globalFlags
}
