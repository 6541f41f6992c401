package cmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// loginRecord is what one host's login was given.
type loginRecord struct {
	Host, User, PasswordFile, PasswordCommand string
	Cipher, Port                              int
	Privilege                                 string
}

// recordLogins wraps f's real opener: every login's credentials are
// recorded before it dials.
func recordLogins(f *cli.Factory) func() map[string]loginRecord {
	var mu sync.Mutex
	got := map[string]loginRecord{}
	real := f.Open
	f.Open = func(ctx context.Context, cf *cli.Factory) (ipmi.Transport, error) {
		o := cf.Opts
		mu.Lock()
		got[o.Profile+"|"+o.Host] = loginRecord{Host: o.Host, User: o.Username, PasswordFile: o.PasswordFile,
			PasswordCommand: o.PasswordCommand, Cipher: o.CipherSuite, Port: o.Port, Privilege: o.Privilege}
		mu.Unlock()
		return real(ctx, cf)
	}
	return func() map[string]loginRecord {
		mu.Lock()
		defer mu.Unlock()
		return got
	}
}

// serveBMC serves a simulated BMC whose only account is user/password.
func serveBMC(t *testing.T, user, password string) int {
	t.Helper()
	b := bmcsim.New(bmcsim.WithUsers(bmcsim.UserSpec{Name: user, Password: password, Privilege: ipmi.PrivilegeAdmin}))
	srv, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return int(srv.Addr().Port())
}

// TestFanoutEachHostUsesItsOwnProfile: -H @tag and --hosts-file over
// profiles log in to each BMC with that BMC's own profile (user, password
// file or command, cipher, port, privilege). Each BMC has its own
// account, so a host given another's password fails to log in. A password
// command two profiles share runs once; a plain host gets the defaults.
func TestFanoutEachHostUsesItsOwnProfile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	pA, pB, pC, pD, pE := serveBMC(t, "alice", "pw-alice"), serveBMC(t, "bob", "pw-bob"),
		serveBMC(t, "bob", "pw-bob"), serveBMC(t, "dora", "pw-dora"), serveBMC(t, "dora", "pw-dora")
	fileA, fileD := filepath.Join(dir, "alice.pw"), filepath.Join(dir, "dora.pw")
	clitest.WriteFile(t, fileA, "pw-alice\n", 0o600)
	clitest.WriteFile(t, fileD, "pw-dora\n", 0o600)
	runs := filepath.Join(dir, "runs")
	bobCmd := fmt.Sprintf("echo run >> %s; echo pw-bob", runs)
	cfg := filepath.Join(dir, "config.yaml")
	clitest.WriteFile(t, cfg, fmt.Sprintf(`defaults:
  username: dora
  password_file: %s
profiles:
  a:
    host: 127.0.0.1
    port: %d
    username: alice
    password_file: %s
    cipher: 3
    tags: [lab]
  b:
    host: 127.0.0.1:%d
    username: bob
    password_command: %q
    privilege: OPERATOR
    tags: [lab]
  c:
    host: 127.0.0.1:%d
    username: bob
    password_command: %q
    tags: [lab]
  d:
    host: 127.0.0.1:%d
    tags: [lab]
`, fileD, pA, fileA, pB, bobCmd, pC, bobCmd, pD), 0o600)

	run := func(args ...string) (string, string, int, map[string]loginRecord) {
		var out, errOut bytes.Buffer
		f := clitest.NewFactory()
		f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}
		logins := recordLogins(f)
		code := cli.Run(f, append([]string{"--config", cfg, "--sdr-cache", "off", "-N", "2"}, args...))
		return out.String(), errOut.String(), code, logins()
	}
	out, errOut, code, logins := run("-H", "@lab", "chassis", "power", "status")
	if code != 0 {
		t.Fatalf("@lab: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	for _, h := range []string{"a", "b", "c", "d"} {
		if !strings.Contains(out, h+": Chassis Power is") {
			t.Errorf("no answer from %s:\n%s", h, out)
		}
	}
	want := map[string]loginRecord{
		"a|127.0.0.1":                     {Host: "127.0.0.1", User: "alice", PasswordFile: fileA, Cipher: 3, Port: pA, Privilege: "ADMINISTRATOR"},
		fmt.Sprintf("b|127.0.0.1:%d", pB): {Host: fmt.Sprintf("127.0.0.1:%d", pB), User: "bob", PasswordCommand: bobCmd, Cipher: -1, Port: 623, Privilege: "OPERATOR"},
		fmt.Sprintf("c|127.0.0.1:%d", pC): {Host: fmt.Sprintf("127.0.0.1:%d", pC), User: "bob", PasswordCommand: bobCmd, Cipher: -1, Port: 623, Privilege: "ADMINISTRATOR"},
		fmt.Sprintf("d|127.0.0.1:%d", pD): {Host: fmt.Sprintf("127.0.0.1:%d", pD), User: "dora", PasswordFile: fileD, Cipher: -1, Port: 623, Privilege: "ADMINISTRATOR"},
	}
	if len(logins) != len(want) {
		t.Errorf("logins %v", logins)
	}
	for k, w := range want {
		if g := logins[k]; g != w {
			t.Errorf("login %s:\n got %+v\nwant %+v", k, g, w)
		}
	}
	if b, _ := os.ReadFile(runs); strings.Count(string(b), "run") != 1 {
		t.Errorf("the password command shared by b and c ran %d times, want once", strings.Count(string(b), "run"))
	}

	// A hosts file mixing profile names and a plain address: the plain
	// host gets the defaults (dora), never a profile's secret.
	hosts := filepath.Join(dir, "hosts")
	clitest.WriteFile(t, hosts, fmt.Sprintf("a\nc\n127.0.0.1:%d\n", pE), 0o644)
	out, errOut, code, logins = run("--hosts-file", hosts, "chassis", "power", "status")
	if code != 0 {
		t.Fatalf("--hosts-file: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	plain := logins[fmt.Sprintf("|127.0.0.1:%d", pE)]
	if plain.User != "dora" || plain.PasswordFile != fileD || plain.PasswordCommand != "" {
		t.Errorf("plain host login %+v, want dora with %s only", plain, fileD)
	}
	if len(logins) != 3 {
		t.Errorf("logins %v", logins)
	}

	// A password on the command line is for every host: the profiles'
	// sources are neither read nor run, and the hosts whose account has
	// another password fail to log in (exit 3).
	os.Remove(runs)
	_, errOut, code, logins = run("-H", "@lab", "-f", fileA, "chassis", "power", "status")
	if code != cli.ExitConnection {
		t.Errorf("-f for all: exit %d, want 3\n%s", code, errOut)
	}
	var users []string
	for _, l := range logins {
		if l.PasswordFile != fileA || l.PasswordCommand != "" {
			t.Errorf("with -f on the command line, a login used %+v", l)
		}
		users = append(users, l.User)
	}
	sort.Strings(users)
	if strings.Join(users, ",") != "alice,bob,bob,dora" {
		t.Errorf("users %v: the profiles' usernames should still apply", users)
	}
	if _, err := os.Stat(runs); err == nil {
		t.Error("the profile's password command ran although -f was given")
	}
}
