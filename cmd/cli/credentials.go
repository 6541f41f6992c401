package cli

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/ipmictl/ipmictl/internal/safefile"
)

// resolvePassword finds the password in the order ipmitool users expect:
// -P, -E, -f, -a, then the host's password_file / password_command (see
// applyPasswordSource), and finally a prompt when a terminal is attached.
// Without any, the password is empty (the BMC may have a null password for
// the user). A file, a command or a prompt is read once per run and source
// (o.secrets), whatever number of hosts use it.
func resolvePassword(ctx context.Context, o *GlobalOptions, io *IOStreams) ([]byte, error) {
	c := o.secrets
	switch {
	case c != nil && c.password != nil:
		return c.password, nil
	case o.Password != "":
		o.Password = ProtectArgvPassword(io, o.Password)
		return []byte(o.Password), nil
	case o.PasswordEnv:
		for _, name := range []string{"IPMITOOL_PASSWORD", "IPMI_PASSWORD"} {
			if v, ok := os.LookupEnv(name); ok {
				return []byte(v), nil
			}
		}
		return nil, UsageErrorf("-E: neither IPMITOOL_PASSWORD nor IPMI_PASSWORD is set in the environment")
	case o.PasswordFile != "":
		return cachedSecret(c, "file\x00"+o.PasswordFile, func() ([]byte, error) {
			return readPasswordFile(io, o.PasswordFile)
		})
	case o.PasswordAsk:
		return cachedSecret(c, "ask", func() ([]byte, error) { return PromptSecret(io, "Password: ") })
	case o.PasswordCommand != "":
		if c != nil && c.ctx != nil {
			ctx = c.ctx
		}
		return cachedSecret(c, "command\x00"+o.PasswordCommand, func() ([]byte, error) {
			return runPasswordCommand(ctx, o.PasswordCommand)
		})
	}
	if (c != nil && c.canPrompt) || isTerminalReader(io.In) {
		return cachedSecret(c, "prompt", func() ([]byte, error) { return PromptSecret(io, "Password: ") })
	}
	return nil, nil
}

// maxPasswordFile bounds a password file: a password is at most 20
// bytes, a file of one line with a comment or a long line ending is
// still small.
const maxPasswordFile = 64 << 10

// cachedSecret loads a secret through c, or directly without a cache.
func cachedSecret(c *secretCache, key string, load func() ([]byte, error)) ([]byte, error) {
	if c == nil {
		return load()
	}
	return c.get(key, load)
}

func isTerminalReader(r any) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// readPasswordFile returns the first line of path without its line ending,
// as ipmitool -f does. The file is read through safefile.ReadSecret: one
// owned by another user, or under a directory others can write to, is
// refused (another user could put their password there, or read ours
// as it is written); one that others can read is used with a warning.
func readPasswordFile(ios *IOStreams, path string) ([]byte, error) {
	data, warning, err := safefile.ReadSecret(path, maxPasswordFile)
	if err != nil {
		return nil, UsageErrorf("password file: %v", pathErrorText(err))
	}
	if warning != "" {
		fmt.Fprintf(ios.ErrOut, "ipmictl: warning: password file %s\n", warning)
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return bytes.TrimRight(line, "\r"), nil
}

// runPasswordCommand runs a profile's password_command (e.g. "pass show
// bmc1") and takes the first line it prints. The password travels on a
// pipe, never on a command line.
func runPasswordCommand(ctx context.Context, command string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	c := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	c.Stdout, c.Stderr, c.Stdin = &out, &errOut, os.Stdin
	if err := c.Run(); err != nil {
		msg := strings.TrimSpace(errOut.String())
		if msg != "" {
			msg = ": " + msg
		}
		return nil, UsageErrorf("password_command %q failed: %v%s", command, err, msg)
	}
	line, _, _ := bytes.Cut(out.Bytes(), []byte("\n"))
	return bytes.TrimRight(line, "\r"), nil
}

// PromptSecret reads a line without echo from the controlling terminal.
func PromptSecret(ios *IOStreams, prompt string) ([]byte, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, UsageErrorf("cannot prompt for a password without a terminal; use -E, -f FILE or a profile's password_file")
	}
	defer tty.Close()
	fmt.Fprint(tty, prompt)
	pw, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return nil, fmt.Errorf("reading password: %w", err)
	}
	return pw, nil
}

// resolveKg returns the BMC key from -k, -y, -K or -Y; nil when none.
func resolveKg(o *GlobalOptions, ios *IOStreams) ([]byte, error) {
	switch {
	case o.secrets != nil && o.secrets.kg != nil:
		return o.secrets.kg, nil
	case o.KgKey != "":
		return []byte(o.KgKey), nil
	case o.KgHex != "":
		s := strings.TrimPrefix(strings.TrimPrefix(o.KgHex, "0x"), "0X")
		k, err := hex.DecodeString(s)
		if err != nil {
			return nil, UsageErrorf("-y: K_g %q is not hex", "…")
		}
		if len(k) > 20 {
			return nil, UsageErrorf("-y: K_g is %d bytes; at most 20", len(k))
		}
		return k, nil
	case o.KgEnv:
		v, ok := os.LookupEnv("IPMI_KGKEY")
		if !ok {
			return nil, UsageErrorf("-K: IPMI_KGKEY is not set in the environment")
		}
		return []byte(v), nil
	case o.KgAsk:
		return cachedSecret(o.secrets, "ask-kg", func() ([]byte, error) { return PromptSecret(ios, "Key: ") })
	}
	return nil, nil
}
