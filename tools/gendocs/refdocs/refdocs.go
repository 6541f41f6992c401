// Package refdocs generates ipmictl's command reference, man pages and
// shell completion scripts from the cobra tree.
package refdocs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/ipmictl/ipmictl/cmd"
	"github.com/ipmictl/ipmictl/cmd/cli"
)

func root() *cobra.Command {
	r := cli.NewRootCmd(cmd.NewFactory())
	r.DisableAutoGenTag = true
	return r
}

// WriteMarkdownAndCompletions writes DIR/cli and DIR/completion: the
// parts that are the same bytes for the same command tree.
func WriteMarkdownAndCompletions(dir string) error {
	cli := filepath.Join(dir, "cli")
	comp := filepath.Join(dir, "completion")
	for _, d := range []string{cli, comp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := doc.GenMarkdownTree(root(), cli); err != nil {
		return err
	}
	gens := map[string]func(*cobra.Command, string) error{
		"ipmictl.bash": writeBash,
		"ipmictl.zsh":  func(r *cobra.Command, p string) error { return r.GenZshCompletionFile(p) },
		"ipmictl.fish": func(r *cobra.Command, p string) error { return r.GenFishCompletionFile(p, true) },
	}
	for name, gen := range gens {
		if err := gen(root(), filepath.Join(comp, name)); err != nil {
			return err
		}
	}
	return nil
}

// writeBash writes the bash script `ipmictl completion bash` prints: one
// that works without the bash-completion package.
func writeBash(r *cobra.Command, path string) error {
	var b bytes.Buffer
	if err := cli.WriteBashCompletion(r, &b, true); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// Write writes everything, the man pages dated date.
func Write(dir string, date time.Time) error {
	if err := WriteMarkdownAndCompletions(dir); err != nil {
		return err
	}
	return WriteMan(filepath.Join(dir, "man"), date)
}

// WriteMan writes the man pages into dir, dated date. ipmictl.1 gets the
// sections cobra does not make: EXIT STATUS, ENVIRONMENT, FILES and
// EXAMPLES, before SEE ALSO.
func WriteMan(dir string, date time.Time) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	h := &doc.GenManHeader{Title: "IPMICTL", Section: "1", Source: "ipmictl", Manual: "ipmictl manual", Date: &date}
	if err := doc.GenManTree(root(), h, dir); err != nil {
		return err
	}
	page := filepath.Join(dir, "ipmictl.1")
	b, err := os.ReadFile(page)
	if err != nil {
		return err
	}
	out, err := addManSections(string(b))
	if err != nil {
		return err
	}
	return os.WriteFile(page, []byte(out), 0o644)
}

// addManSections inserts the extra sections before SEE ALSO.
func addManSections(page string) (string, error) {
	const seeAlso = "\n.SH SEE ALSO\n"
	i := strings.Index(page, seeAlso)
	if i < 0 {
		return "", fmt.Errorf("ipmictl.1 has no SEE ALSO section to put EXIT STATUS and the rest before")
	}
	return page[:i] + "\n" + extraManSections() + page[i:], nil
}

// ExitStatus is the EXIT STATUS section: the README's table.
var ExitStatus = []ManItem{
	{"0", "success"},
	{"1", "the BMC answered with an error (a completion code), or the command failed"},
	{"2", "bad flags or arguments"},
	{"3", "the BMC could not be reached, or the login failed"},
	{"128+N", "stopped by signal N (130 for Ctrl-C); the session was closed first"},
}

// Environment is the ENVIRONMENT section.
var Environment = []ManItem{
	{"IPMICTL_HOST, IPMICTL_PORT, IPMICTL_USERNAME, IPMICTL_INTERFACE, IPMICTL_PRIVILEGE, IPMICTL_CIPHER_SUITE, IPMICTL_TIMEOUT, IPMICTL_RETRIES, IPMICTL_OUTPUT, IPMICTL_PASSWORD_FILE, IPMICTL_KG_HEX",
		"Fill what the command line leaves unset: -H, -p, -U, -I, -L, -C, -N, -R, -o, -f and -y. They win over the config file's profile and defaults."},
	{"IPMICTL_CONFIG", "The config file, when --config is not given."},
	{"IPMITOOL_PASSWORD, IPMI_PASSWORD", "The password for -E, the first one set."},
	{"IPMI_KGKEY", "The BMC key K_g for -K."},
	{"XDG_CONFIG_HOME", "Where the config file is looked for (default ~/.config)."},
	{"XDG_CACHE_HOME", "Where the SDR, threshold and cipher-suite caches are kept (default ~/.cache)."},
	{"XDG_STATE_HOME", "Where the shell's history is kept (default ~/.local/state)."},
	{"LC_ALL, LC_CTYPE, LANG", "The first one set decides whether -o table draws its borders in Unicode (a UTF-8 locale) or ASCII."},
}

// Files is the FILES section.
var Files = []ManItem{
	{"$XDG_CONFIG_HOME/ipmictl/config.yaml", "Profiles and defaults (-H NAME selects a profile). It must not be writable by group or others: password_command runs a program."},
	{"$XDG_CACHE_HOME/ipmictl/sdr/", "Each BMC's SDR repository, re-read only when its timestamps change, and the sensor thresholds sensor list asked for (kept 5 minutes). --sdr-cache off or DIR changes this."},
	{"$XDG_CACHE_HOME/ipmictl/suites/", "The cipher suite each BMC accepted, so the next login skips the suite probe. No secrets."},
	{"$XDG_STATE_HOME/ipmictl/history", "ipmictl shell's history, mode 0600."},
	{"/dev/ipmi0", "The in-band device (-I open; -d N for /dev/ipmiN)."},
}

// Examples is the EXAMPLES section: what the command does, then the command.
var Examples = []ManItem{
	{"ipmictl -H bmc1 -U admin -E chassis power status", "Power state of one server, the password from IPMITOOL_PASSWORD or IPMI_PASSWORD."},
	{"ipmictl -H bmc1 -U admin -a mc info", "The BMC's device ID, the password asked for."},
	{"ipmictl -H bmc1 -U admin -f ~/.bmcpw -o json sensor list", "Sensor readings as JSON, the password from a file."},
	{"ipmictl -H bmc1 -U admin -E sel elist --severity warning+", "The event log, warnings and worse."},
	{"ipmictl -H bmc1 -U admin -E sol activate", "The serial console; ~. quits, ~? lists the escapes."},
	{"ipmictl -H 'rack[1-4]-node[01-40]-bmc' -U admin -E chassis power status", "160 BMCs at once, one \"host: output\" line each; the exit status is the worst host's."},
	{"ipmictl mc info", "In-band through /dev/ipmi0, as root."},
	{"ipmictl sim --listen 127.0.0.1:6230", "A simulated BMC on loopback, for trying commands without hardware."},
}

// ManItem is one tagged paragraph of a man page section.
type ManItem struct{ Tag, Text string }

func extraManSections() string {
	var b strings.Builder
	section := func(title string, items []ManItem) {
		fmt.Fprintf(&b, ".SH %s\n", title)
		for _, it := range items {
			fmt.Fprintf(&b, ".TP\n\\fB%s\\fP\n%s\n", roff(it.Tag), roff(it.Text))
		}
		b.WriteString("\n\n")
	}
	section("EXIT STATUS", ExitStatus)
	section("ENVIRONMENT", Environment)
	section("FILES", Files)
	b.WriteString(".SH EXAMPLES\n")
	for _, ex := range Examples {
		fmt.Fprintf(&b, ".PP\n%s\n.PP\n.RS\n.nf\n%s\n.fi\n.RE\n", roff(ex.Text), roff(ex.Tag))
	}
	b.WriteString("\n")
	return b.String()
}

// roff escapes text for a man page line: backslashes, minus signs (which
// must stay ASCII hyphens when the command is pasted) and a leading
// control character.
func roff(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}
