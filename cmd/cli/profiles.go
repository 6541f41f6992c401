package cli

import (
	"context"
	"sync"
)

// Per-host credentials.
//
// Each BMC logs in with what its own profile names: a fan-out child runs
// the command line with --host NAME, and loadConfig fills that host's
// username, interface, port, cipher suite, privilege and K_g from the
// profile NAME (then the defaults section). Passwords are where hosts
// must never be mixed up, so their source is chosen here, once per host:
//
//  1. the command line (-P, -E, -f, -a): the same password for every host;
//  2. IPMICTL_PASSWORD_FILE in the environment: likewise for every host;
//  3. the host's own profile: password_file, else password_command;
//  4. the defaults section: password_file, else password_command;
//  5. nothing: a prompt on a terminal, else the empty (null) password.
//
// A secret is read (a file) or produced (a command) once per distinct
// source and shared, through a secretCache, only by the hosts whose
// source is that same file path or command string.

// passwordFlags are the command-line options that set the password for
// every host at once.
var passwordFlags = []string{"password", "env-password", "password-file", "ask-password"}

// applyPasswordSource records in o where this host's password comes from
// (steps 2-4 above). cmdline says a password flag was given; envFile is
// IPMICTL_PASSWORD_FILE. Options already set (an exec line inherits its
// parent's) are kept.
func applyPasswordSource(o *GlobalOptions, cmdline bool, envFile string, prof, defaults Profile) {
	if cmdline || o.PasswordFile != "" || o.PasswordCommand != "" {
		return
	}
	switch {
	case envFile != "":
		o.PasswordFile = envFile
	case prof.PasswordFile != "":
		o.PasswordFile = expandHome(prof.PasswordFile)
	case prof.PasswordCommand != "":
		o.PasswordCommand = prof.PasswordCommand
	case defaults.PasswordFile != "":
		o.PasswordFile = expandHome(defaults.PasswordFile)
	case defaults.PasswordCommand != "":
		o.PasswordCommand = defaults.PasswordCommand
	}
}

// secretCache reads each secret source once per run. A fan-out shares one
// cache among all its hosts; the key is the source itself (a file path or
// a command string), so two hosts share a secret only when their profiles
// name the same source.
type secretCache struct {
	// ctx, when set, is used to run password commands, so that one
	// host's timeout does not fail the command for the others.
	ctx context.Context
	// canPrompt: the run's standard input is a terminal, so a host with
	// no password source may be asked for one (once, shared by all such
	// hosts).
	canPrompt bool
	// password and kg, when set, are the command line's, resolved by the
	// fan-out parent before any host starts: every host uses them.
	password, kg []byte

	mu      sync.Mutex
	entries map[string]*secretEntry
}

type secretEntry struct {
	once sync.Once
	val  []byte
	err  error
}

func newSecretCache() *secretCache { return &secretCache{entries: map[string]*secretEntry{}} }

// get returns the secret for key, calling load the first time only.
// Concurrent callers of the same key wait for that one load.
func (c *secretCache) get(key string, load func() ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	e := c.entries[key]
	if e == nil {
		e = &secretEntry{}
		c.entries[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.val, e.err = load() })
	return e.val, e.err
}
