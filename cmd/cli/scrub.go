package cli

import (
	"fmt"
	"os"
	"strings"
	"unsafe"
)

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
	fmt.Fprintln(ios.ErrOut, "ipmictl: warning: -P shows the password to other users (ps, /proc); use -E, -f FILE, -a or a config profile")
	return private
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

// WarnReadableSecretFile says when a file holding a password can be read
// by other users.
func WarnReadableSecretFile(ios *IOStreams, path string) {
	st, err := os.Stat(path)
	if err == nil && st.Mode().Perm()&0o077 != 0 {
		fmt.Fprintf(ios.ErrOut, "ipmictl: warning: password file %s is readable by other users; fix with: chmod 600 %s\n", path, path)
	}
}
