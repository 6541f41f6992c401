package cmd

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// heap returns a string in writable memory, as argv strings are.
func heap(s string) string { return string([]byte(s)) }

func TestScrubArgsOnlyTouchesThePasswordFlag(t *testing.T) {
	args := []string{heap("ipmictl"), heap("-P"), heap("on"), heap("chassis"), heap("power"), heap("on"),
		heap("-Pon"), heap("--password=on"), heap("--password"), heap("on")}
	cli.ScrubArgs(args, "on")
	want := "ipmictl -P XX chassis power on -PXX --password=XX --password XX"
	if got := strings.Join(args, " "); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestProtectArgvPasswordKeepsAPrivateCopyAndWarns(t *testing.T) {
	saved := os.Args
	defer func() { os.Args = saved }()
	arg := heap("s3cret")
	os.Args = []string{"ipmictl", "-P", arg, "mc", "info"}
	var errOut bytes.Buffer
	got := cli.ProtectArgvPassword(&cli.IOStreams{ErrOut: &errOut}, arg)
	if got != "s3cret" {
		t.Errorf("private copy %q", got)
	}
	if os.Args[2] != "XXXXXX" {
		t.Errorf("argv still holds %q", os.Args[2])
	}
	if !strings.Contains(errOut.String(), "-E, -f FILE") {
		t.Errorf("no warning: %q", errOut.String())
	}
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// ipmictlBinary builds cmd/ipmictl once per test run.
func ipmictlBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ipmictl-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "ipmictl")
		build := exec.Command("go", "build", "-o", builtBin, "./ipmictl")
		// clitest.Main points XDG_CACHE_HOME at an empty directory; go
		// would take its build cache from there and compile everything.
		for _, e := range os.Environ() {
			if !strings.HasPrefix(e, "XDG_CACHE_HOME=") {
				build.Env = append(build.Env, e)
			}
		}
		out, err := build.CombinedOutput()
		if err != nil {
			buildErr = &buildError{string(out)}
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return builtBin
}

type buildError struct{ out string }

func (e *buildError) Error() string { return e.out }

// Every spelling of -P, -k and -y is gone from /proc/PID/cmdline before
// the first packet leaves: the test's UDP socket stands for a BMC that
// never answers, and the child's command line is read the moment its
// first packet arrives. Only the values are overwritten.
func TestSecretsLeaveTheCommandLineBeforeAnyPacket(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/PID/cmdline, which only Linux has")
	}
	bin := ipmictlBinary(t)
	const pw, kg, hex = "s3cretpw", "kgsecret1", "0a1b2c3d4e5f"
	cases := [][]string{
		{"-P", pw},
		{"-P" + pw},
		{"-P=" + pw},
		{"--password", pw},
		{"--password=" + pw},
		{"-EP" + pw},
		{"-vP" + pw},
		{"-vvP", pw},
		{"-k", kg},
		{"-k" + kg},
		{"-k=" + kg},
		{"--kg-key", kg},
		{"--kg-key=" + kg},
		{"-Ek", kg},
		{"-y", hex},
		{"-y" + hex},
		{"-y=" + hex},
		{"--kg-hex", hex},
		{"--kg-hex=" + hex},
		{"-P", pw, "-y", hex, "--kg-key=" + kg},
	}
	for _, spelling := range cases {
		t.Run(strings.Join(spelling, " "), func(t *testing.T) {
			bmc, err := net.ListenPacket("udp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer bmc.Close()
			port := bmc.LocalAddr().(*net.UDPAddr).Port
			args := append([]string{"mc", "info", "-I", "lanplus", "-H", "127.0.0.1", "-p", itoa(port),
				"-U", "admin", "-N", "10", "-R", "0", "--sdr-cache", "off"}, spelling...)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c := exec.CommandContext(ctx, bin, args...)
			c.Env = append(os.Environ(), "IPMITOOL_PASSWORD=frompenv", "XDG_CONFIG_HOME="+t.TempDir())
			var errOut bytes.Buffer
			c.Stderr = &errOut
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { c.Process.Kill(); c.Wait() }()
			bmc.SetReadDeadline(time.Now().Add(20 * time.Second))
			buf := make([]byte, 2048)
			if _, _, err := bmc.ReadFrom(buf); err != nil {
				c.Process.Kill()
				c.Wait()
				t.Fatalf("no packet from ipmictl: %v; stderr %q", err, errOut.String())
			}
			raw, err := os.ReadFile("/proc/" + itoa(c.Process.Pid) + "/cmdline")
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Split(strings.TrimSuffix(string(raw), "\x00"), "\x00")[1:]
			want := make([]string, len(args))
			for i, a := range args {
				for _, s := range []string{pw, kg, hex} {
					a = strings.ReplaceAll(a, s, strings.Repeat("X", len(s)))
				}
				want[i] = a
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("/proc/PID/cmdline when the first packet arrived:\n got  %q\n want %q", got, want)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// lanBMC serves a bmcsim (admin/password) on loopback and returns its port.
func lanBMC(t *testing.T) int {
	t.Helper()
	srv, err := bmcsim.Serve(bmcsim.New(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return int(srv.Addr().Port())
}

// worldWritableDir is a directory anyone could have written to (not
// sticky): whatever is in it may have been put there by another user.
func worldWritableDir(t *testing.T) string {
	t.Helper()
	d := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(d, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(d, 0o777); err != nil {
		t.Fatal(err)
	}
	return d
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

// giveAway makes path another user's (uid 65534); it needs root.
func giveAway(t *testing.T, path string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("giving a file to another user (uid 65534) needs root; CI runs these tests as root")
	}
	if err := os.Chown(path, 65534, 65534); err != nil {
		t.Fatal(err)
	}
}

// Password files go through safefile.ReadSecret: another user's file, or
// one in a directory others can write to, is refused before any login;
// one others can read is used with a warning.
func TestPasswordFileOwnershipChecked(t *testing.T) {
	port := lanBMC(t)
	run := func(t *testing.T, args ...string) (string, string, int) {
		return clitest.RunLive(t, "127.0.0.1", port, append([]string{"-U", "admin", "-N", "1", "-R", "1"}, append(args, "mc", "guid")...)...)
	}
	t.Run("own 0600", func(t *testing.T) {
		p := writeFile(t, filepath.Join(t.TempDir(), "pw"), "password\n", 0o600)
		out, errOut, code := run(t, "-f", p)
		if code != 0 || errOut != "" || !strings.Contains(out, "System GUID") {
			t.Errorf("exit %d out %q err %q", code, out, errOut)
		}
	})
	t.Run("readable by others", func(t *testing.T) {
		p := writeFile(t, filepath.Join(t.TempDir(), "pw"), "password\n", 0o644)
		_, errOut, code := run(t, "-f", p)
		want := "ipmictl: warning: password file " + p + " can be read by other users"
		if code != 0 || !strings.Contains(errOut, want) || !strings.Contains(errOut, "chmod 600") {
			t.Errorf("exit %d err %q, want a warning %q", code, errOut, want)
		}
	})
	t.Run("in a directory others can write to", func(t *testing.T) {
		dir := worldWritableDir(t)
		p := writeFile(t, filepath.Join(dir, "pw"), "password\n", 0o600)
		_, errOut, code := run(t, "-f", p)
		if code != cli.ExitUsage || !strings.Contains(errOut, dir+": writable by group or others") {
			t.Errorf("exit %d err %q", code, errOut)
		}
	})
	t.Run("another user's", func(t *testing.T) {
		p := writeFile(t, filepath.Join(t.TempDir(), "pw"), "password\n", 0o600)
		giveAway(t, p)
		_, errOut, code := run(t, "-f", p)
		if code != cli.ExitUsage || !strings.Contains(errOut, "owned by another user") || !strings.Contains(errOut, p) {
			t.Errorf("exit %d err %q", code, errOut)
		}
	})
	t.Run("another user's, from a profile's password_file", func(t *testing.T) {
		dir := t.TempDir()
		p := writeFile(t, filepath.Join(dir, "pw"), "password\n", 0o600)
		giveAway(t, p)
		cfg := writeFile(t, filepath.Join(dir, "config.yaml"), "profiles:\n  bmc1:\n    host: 127.0.0.1\n    password_file: "+p+"\n", 0o600)
		var out, errOut bytes.Buffer
		f := clitest.NewFactory()
		f.IO = &cli.IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}
		code := cli.Run(f, []string{"--config", cfg, "-H", "bmc1", "-p", itoa(port), "-U", "admin", "-N", "1", "-R", "1", "mc", "guid"})
		if code != cli.ExitUsage || !strings.Contains(errOut.String(), "owned by another user") {
			t.Errorf("exit %d err %q", code, errOut.String())
		}
	})
}

// A config file with password_command runs a program: it is read through
// safefile.ReadPrivate, so one another user could have written (its
// directory is writable by others, or it belongs to another user) is
// refused and its command never runs. Before, only the file's own mode
// bits were checked, and the command ran (as root, here).
func TestConfigOthersCouldWriteIsNotRun(t *testing.T) {
	bin := ipmictlBinary(t)
	port := lanBMC(t)
	run := func(t *testing.T, cfg string) (marker string, errOut string, code int) {
		marker = filepath.Join(t.TempDir(), "ran")
		content := "profiles:\n  bmc1:\n    host: 127.0.0.1\n    port: " + itoa(port) +
			"\n    username: admin\n    password_command: \"touch " + marker + "; echo password\"\n"
		writeFile(t, cfg, content, 0o600)
		c := exec.Command(bin, "--config", cfg, "-H", "bmc1", "-N", "1", "-R", "1", "--sdr-cache", "off", "mc", "guid")
		var e bytes.Buffer
		c.Stderr = &e
		err := c.Run()
		code = 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return marker, e.String(), code
	}
	ran := func(marker string) bool { _, err := os.Stat(marker); return err == nil }
	t.Run("own file in own directory runs", func(t *testing.T) {
		marker, errOut, code := run(t, filepath.Join(t.TempDir(), "config.yaml"))
		if code != 0 || !ran(marker) {
			t.Errorf("exit %d ran %v err %q", code, ran(marker), errOut)
		}
	})
	t.Run("directory others can write to", func(t *testing.T) {
		dir := worldWritableDir(t)
		marker, errOut, code := run(t, filepath.Join(dir, "config.yaml"))
		if code != cli.ExitUsage || ran(marker) || !strings.Contains(errOut, "config file "+dir+": writable by group or others") {
			t.Errorf("exit %d ran %v err %q", code, ran(marker), errOut)
		}
	})
	t.Run("another user's file", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("giving a file to another user (uid 65534) needs root; CI runs these tests as root")
		}
		cfg := filepath.Join(t.TempDir(), "config.yaml")
		marker := filepath.Join(t.TempDir(), "ran")
		writeFile(t, cfg, "profiles:\n  bmc1:\n    host: 127.0.0.1\n    port: "+itoa(port)+
			"\n    username: admin\n    password_command: \"touch "+marker+"; echo password\"\n", 0o600)
		giveAway(t, cfg)
		c := exec.Command(bin, "--config", cfg, "-H", "bmc1", "-N", "1", "-R", "1", "--sdr-cache", "off", "mc", "guid")
		out, err := c.CombinedOutput()
		ee, _ := err.(*exec.ExitError)
		if ee == nil || ee.ExitCode() != cli.ExitUsage || ran(marker) || !strings.Contains(string(out), "owned by another user") {
			t.Errorf("err %v ran %v output %q", err, ran(marker), out)
		}
	})
}

// A key the config does not know, or a value of the wrong kind, is an
// error naming the file, the line, the key and the profile, in the
// file's words (exit 2). Before, a typo was ignored and a wrong type
// came out in Go's words.
func TestConfigUnknownKeysAndTypes(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"defaults:\n  username: admin\nprofiles:\n  bmc1:\n    host: 10.0.0.5\n    port: 623\n    pasword: x\n",
			`line 7: unknown key "pasword" in profile "bmc1": the config holds no passwords; use password_file or password_command`},
		{"profiles:\n  bmc1:\n    host: 10.0.0.5\n    usernme: admin\n",
			`line 4: unknown key "usernme" in profile "bmc1" (did you mean "username"?)`},
		{"defaults:\n  pasword_file: ~/pw\n",
			`line 2: unknown key "pasword_file" in defaults (did you mean "password_file"?)`},
		{"profile:\n  bmc1:\n    host: x\n",
			`line 1: unknown key "profile" in the config file (did you mean "profiles"?)`},
		{"profiles:\n  bmc1:\n    host: 10.0.0.5\n    port: abc\n",
			`line 4: port in profile "bmc1": want a whole number, got "abc"`},
		{"profiles:\n  bmc1:\n    cipher: [17]\n",
			`line 3: cipher in profile "bmc1": want a whole number, got a list`},
		{"profiles:\n  bmc1:\n    tags: rack3\n",
			`line 3: tags in profile "bmc1": want a list, got "rack3"`},
		{"profiles:\n  - bmc1\n",
			`line 2: profiles: want a mapping of names to settings, got a list`},
		{"profiles:\n  bmc1:\n    host: [a\n",
			`not valid YAML`},
	}
	for _, c := range cases {
		cfg := writeFile(t, filepath.Join(t.TempDir(), "config.yaml"), c.yaml, 0o600)
		_, errOut, code := clitest.Run(t, clitest.SimReplies(), "--config", cfg, "-H", "bmc1", "mc", "guid")
		if code != cli.ExitUsage || !strings.Contains(errOut, "ipmictl: "+cfg+" ") || !strings.Contains(errOut, c.want) {
			t.Errorf("%q:\nexit %d stderr %q\nwant %q", c.yaml, code, errOut, c.want)
		}
		for _, goWord := range []string{"int", "string", "[]", "mapstructure", "cli.", "Profile", "unmarshal", "yaml:"} {
			if strings.Contains(errOut, goWord) {
				t.Errorf("%q: stderr %q shows Go's %q", c.yaml, errOut, goWord)
			}
		}
	}
	// A correct file with every key still loads, keys in any case.
	cfg := writeFile(t, filepath.Join(t.TempDir(), "config.yaml"), `defaults:
  username: admin
  Privilege: OPERATOR
profiles:
  bmc1:
    host: 127.0.0.1
    port: 623
    interface: lanplus
    user: admin
    password_file: ~/pw
    password_command: "echo x"
    kg_hex: "00"
    cipher: 17
    timeout: 2
    retries: 1
    tags: [rack3, "gpu"]
`, 0o600)
	out, errOut, code := clitest.Run(t, clitest.SimReplies(), "--config", cfg, "-H", "bmc1", "mc", "guid")
	if code != 0 || !strings.Contains(out, "System GUID") {
		t.Errorf("valid config: exit %d out %q err %q", code, out, errOut)
	}
}

// The SDR cache's refusals are said on stderr; the command goes on with
// the BMC's records.
func TestSDRCacheWarnsWhenNotUsed(t *testing.T) {
	dir := worldWritableDir(t)
	out, errOut, code := clitest.RunOnBMCSim(t, bmcsim.New(), "--sdr-cache", dir, "sdr", "list")
	if code != 0 || out == "" {
		t.Fatalf("exit %d out %q err %q", code, out, errOut)
	}
	if !strings.Contains(errOut, "ipmictl: warning: SDR cache not used: ") || !strings.Contains(errOut, "writable by group or others") {
		t.Errorf("stderr %q", errOut)
	}
}
