// Command guestinit is /init of the QEMU guest that `make test-inband`
// boots (see ../run.sh). With the IPMI driver not loaded it runs the KCS
// end-to-end tests and every command in /cmds through `ipmictl -I kcs`;
// then it loads ipmi_msghandler, ipmi_devintf and ipmi_si, runs the
// /dev/ipmi0 tests and the commands through `ipmictl -I open` (and once
// with no -I). Outputs go to the second serial port for the host to
// compare; the verdict leaves through QEMU's isa-debug-exit device.
package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

const (
	debugExitPort = 0xf4 // -device isa-debug-exit,iobase=0xf4: QEMU exits with 2*v+1
	cmdTimeout    = 90 * time.Second
)

var (
	console = os.Stdout
	results *os.File // /dev/ttyS1: command outputs for the host
	failed  []string
)

func logf(format string, a ...any) {
	fmt.Fprintf(console, "guestinit: "+format+"\n", a...)
}

func fail(format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	failed = append(failed, msg)
	logf("FAIL: %s", msg)
}

func main() {
	start := time.Now()
	if err := mounts(); err != nil {
		fail("mounts: %v", err)
		finish(start)
	}
	var err error
	if results, err = os.OpenFile("/dev/ttyS1", os.O_WRONLY, 0); err != nil {
		fail("results port: %v", err)
		finish(start)
	}
	rawTTY(results)
	cmds := readCommands("/cmds")
	mode := kernelArg("ipmitest.mode")
	logf("mode %s, %d commands, up %v", mode, len(cmds), uptime())

	// Phase 1: no driver, direct KCS.
	runTests("^TestE2EKCS")
	kcs := runCommands("kcs", []string{"-I", "kcs"}, cmds)
	const noDriver = "the IPMI driver is not loaded: modprobe ipmi_si ipmi_devintf"
	expectError(3, "no -H given and no local BMC: inband: /dev/ipmi0: "+noDriver, "mc", "info")
	expectError(3, noDriver, "-I", "open", "chassis", "status")

	// Phase 2: the kernel driver.
	t0 := time.Now()
	if err := loadModules(); err != nil {
		fail("modules: %v", err)
		finish(start)
	}
	if err := waitDevice("/dev/ipmi0", 10*time.Second); err != nil {
		fail("%v", err)
		finish(start)
	}
	logf("driver loaded and /dev/ipmi0 present in %v", time.Since(t0).Round(time.Millisecond))
	runTests("^TestE2EOpen")
	expectError(3, "the kernel driver ipmi_si owns port 0xca2: use -I open", "-I", "kcs", "mc", "info")
	expectError(3, "ipmictl: inband: /dev/ipmi1: the kernel has no ipmi1; it has ipmi0 (use -d 0)", "-d", "1", "mc", "info")
	open := runCommands("open", []string{"-I", "open"}, cmds)
	if len(cmds) > 0 {
		def := runCommands("default", nil, cmds[:1])
		compare("default interface", "open", open[:1], "default", def)
	}
	compare("KCS vs /dev/ipmi0", "kcs", kcs, "open", open)
	for _, r := range open {
		if r.known && r.required && r.rc != 0 {
			fail("%q through /dev/ipmi0 exited %d", r.cmd, r.rc)
		}
	}
	finish(start)
}

func mounts() error {
	for _, m := range []struct{ src, dir, fs string }{
		{"devtmpfs", "/dev", "devtmpfs"}, {"proc", "/proc", "proc"}, {"sysfs", "/sys", "sysfs"}, {"tmpfs", "/tmp", "tmpfs"},
	} {
		os.MkdirAll(m.dir, 0o755)
		if err := unix.Mount(m.src, m.dir, m.fs, 0, ""); err != nil && err != unix.EBUSY {
			return fmt.Errorf("mount %s: %w", m.dir, err)
		}
	}
	return nil
}

// rawTTY turns off output post-processing (\n to \r\n) on the port.
func rawTTY(f *os.File) {
	tio, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		return
	}
	tio.Oflag &^= unix.OPOST
	unix.IoctlSetTermios(int(f.Fd()), unix.TCSETS, tio)
}

func kernelArg(name string) string {
	b, _ := os.ReadFile("/proc/cmdline")
	for _, f := range strings.Fields(string(b)) {
		if v, ok := strings.CutPrefix(f, name+"="); ok {
			return v
		}
	}
	return ""
}

func uptime() string {
	b, _ := os.ReadFile("/proc/uptime")
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0] + "s"
}

// command is one line of /cmds: "!" in front marks a command that must
// succeed when the toolkit has it.
type command struct {
	args     []string
	required bool
}

func readCommands(path string) []command {
	b, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
		return nil
	}
	var out []command
	s := bufio.NewScanner(bytes.NewReader(b))
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		req := strings.HasPrefix(line, "!")
		out = append(out, command{args: strings.Fields(strings.TrimPrefix(line, "!")), required: req})
	}
	return out
}

func runTests(pattern string) {
	t0 := time.Now()
	cmd := exec.Command("/inband.test", "-test.v", "-test.run", pattern, "-test.timeout", "120s")
	cmd.Stdout, cmd.Stderr = console, console
	if err := cmd.Run(); err != nil {
		fail("/inband.test -test.run %s: %v", pattern, err)
	}
	logf("tests %s took %v", pattern, time.Since(t0).Round(time.Millisecond))
}

type result struct {
	cmd            string
	known          bool // the toolkit has this command
	required       bool
	rc             int
	stdout, stderr string
	took           time.Duration
}

// runCommands runs each command through ipmictl with the interface flags
// and reports it on the results port as
//
//	@@@ BEGIN <label> <command>
//	<stdout>
//	@@@ STDERR
//	<stderr>
//	@@@ END rc=<exit code> known=<0|1> ms=<duration>
func runCommands(label string, flags []string, cmds []command) []result {
	var out []result
	for _, c := range cmds {
		ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
		cmd := exec.CommandContext(ctx, "/ipmictl", append(append([]string(nil), flags...), c.args...)...)
		var so, se bytes.Buffer
		cmd.Stdout, cmd.Stderr = &so, &se
		t0 := time.Now()
		err := cmd.Run()
		cancel()
		r := result{cmd: strings.Join(c.args, " "), required: c.required, stdout: so.String(), stderr: se.String(),
			took: time.Since(t0), known: !strings.Contains(se.String(), "unknown command")}
		if err != nil {
			r.rc = -1
			if ee, ok := err.(*exec.ExitError); ok {
				r.rc = ee.ExitCode()
			}
		}
		known := 0
		if r.known {
			known = 1
		}
		fmt.Fprintf(results, "@@@ BEGIN %s %s\n%s@@@ STDERR\n%s@@@ END rc=%d known=%d ms=%d\n",
			label, r.cmd, r.stdout, r.stderr, r.rc, known, r.took.Milliseconds())
		logf("%-7s %-22s rc=%d %v%s", label, r.cmd, r.rc, r.took.Round(time.Millisecond), map[bool]string{false: " (unknown command: skipped)"}[r.known])
		out = append(out, r)
	}
	return out
}

// expectError runs ipmictl and requires it to fail with exit code rc and
// an error message containing msg.
func expectError(rc int, msg string, args ...string) {
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	var se bytes.Buffer
	cmd := exec.CommandContext(ctx, "/ipmictl", args...)
	cmd.Stderr = &se
	err := cmd.Run()
	got := 0
	if ee, ok := err.(*exec.ExitError); ok {
		got = ee.ExitCode()
	} else if err != nil {
		got = -1
	}
	line := strings.TrimSpace(se.String())
	if got != rc || !strings.Contains(line, msg) {
		fail("ipmictl %s: exit %d, %q; want exit %d and %q", strings.Join(args, " "), got, line, rc, msg)
		return
	}
	logf("ipmictl %s: exit %d: %s", strings.Join(args, " "), got, line)
}

func compare(what, la string, a []result, lb string, b []result) {
	for i := range min(len(a), len(b)) {
		x, y := a[i], b[i]
		if !x.known || !y.known {
			continue
		}
		if x.rc != y.rc || x.stdout != y.stdout {
			fail("%s: %q differs: %s rc=%d, %s rc=%d\n--- %s\n%s--- %s\n%s", what, x.cmd, la, x.rc, lb, y.rc, la, x.stdout+x.stderr, lb, y.stdout+y.stderr)
		}
	}
}

func loadModules() error {
	for _, m := range []string{"ipmi_msghandler", "ipmi_devintf", "ipmi_si"} {
		f, err := os.Open(filepath.Join("/modules", m+".ko"))
		if err != nil {
			return err
		}
		err = unix.FinitModule(int(f.Fd()), "", 0)
		f.Close()
		if err != nil && err != unix.EEXIST {
			return fmt.Errorf("load %s: %w", m, err)
		}
	}
	return nil
}

func waitDevice(path string, limit time.Duration) error {
	end := time.Now().Add(limit)
	for time.Now().Before(end) {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("%s did not appear in %v", path, limit)
}

// finish reports the verdict through isa-debug-exit (QEMU exits 1 for
// pass, 3 for fail) and powers off in case that device is missing.
func finish(start time.Time) {
	verdict, v := "PASS", byte(0)
	if len(failed) > 0 {
		verdict, v = "FAIL", 1
	}
	logf("guest time %v, uptime %s", time.Since(start).Round(time.Millisecond), uptime())
	if results != nil {
		fmt.Fprintf(results, "@@@ RESULT %s\n", verdict)
		results.Sync()
	}
	logf("IPMITEST RESULT %s", verdict)
	if f, err := os.OpenFile("/dev/port", os.O_WRONLY, 0); err == nil {
		f.WriteAt([]byte{v}, debugExitPort)
		f.Close()
	}
	unix.Sync()
	unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF)
	select {}
}
