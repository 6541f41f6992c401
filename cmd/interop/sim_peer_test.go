package interop

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
)

// TestSimBinaryWithPeers runs the real `ipmictl sim` process and drives it
// with ipmitool and FreeIPMI, as a user would, then stops it with SIGTERM.
func TestSimBinaryWithPeers(t *testing.T) {
	peers.Require(t, "ipmitool", "ipmi-sensors")
	bin := peers.BuildIpmictl(t)
	sim := exec.Command(bin, "sim", "--listen", "127.0.0.1:0", "--count", "2")
	stdout, err := sim.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	sim.Stderr = &stderr
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	defer sim.Process.Kill()
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var ports []string
	for ports == nil {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("sim exited: %s", stderr.String())
			}
			if m := regexp.MustCompile(`2 BMCs listening on 127\.0\.0\.1 ports (\d+) (\d+)$`).FindStringSubmatch(l); m != nil {
				ports = m[1:]
			}
		case <-time.After(20 * time.Second):
			t.Fatal("no announcement from ipmictl sim")
		}
	}
	tool := func(name string, args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		start := time.Now()
		out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
		t.Logf("%v %s %v", time.Since(start), name, args[len(args)-2:])
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
	want := func(out string, subs ...string) {
		t.Helper()
		for _, s := range subs {
			if !strings.Contains(out, s) {
				t.Errorf("output lacks %q:\n%s", s, out)
			}
		}
	}
	for i, port := range ports {
		base := []string{"-I", "lanplus", "-C", "17", "-H", "127.0.0.1", "-p", port, "-U", "admin", "-P", "password"}
		want(tool("ipmitool", append(base, "sdr", "list")...), "CPU1 Temp ", "FAN1 ", "Pwr Consumption ")
		want(tool("ipmitool", append(base, "sel", "elist")...), "Temperature CPU1 Temp | Upper Non-critical going high | Asserted | Reading 82 > Threshold 80 degrees C")
		want(tool("ipmitool", append(base, "fru", "print")...), fmt.Sprintf("Product Serial        : PSN%07d", 2000000+i))
		want(tool("ipmitool", append(base, "chassis", "power", "cycle")...), "Chassis Power Control: Cycle")
		want(tool("ipmi-sensors", "-D", "LAN_2_0", "-h", "127.0.0.1:"+port, "-u", "admin", "-p", "password",
			"--sdr-cache-directory", t.TempDir()), "| CPU1 Temp       | Temperature ")
	}
	sim.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- sim.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("sim exit: %v\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sim did not stop on SIGTERM")
	}
	want(stderr.String(), "stopping 2 BMCs")
}
