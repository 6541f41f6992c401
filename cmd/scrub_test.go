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

	cli "github.com/ipmictl/ipmictl/cmd/cli"
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
