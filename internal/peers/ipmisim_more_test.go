package peers

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestIPMISimKg(t *testing.T) {
	sim := StartIPMISim(t, WithKg("kgsecret1234"))
	if _, stderr, err := Ipmitool(t, sim, "mc", "info"); err != nil {
		t.Fatalf("mc info with -k: %v\n%s", err, stderr)
	}
	// Without K_g the RAKP keys differ: the session must fail.
	args := []string{"-I", "lanplus", "-C", "3", "-H", sim.Host, "-p", itoa(sim.Port), "-U", "admin", "-P", "password", "-N", "1", "-R", "1", "mc", "info"}
	if out, err := exec.Command("ipmitool", args...).CombinedOutput(); err == nil {
		t.Fatalf("session without K_g succeeded:\n%s", out)
	}
}

func TestIPMISimUsersAndIPMI15(t *testing.T) {
	sim := StartIPMISim(t, WithUser(6, "extra", "extrapw", "operator"))
	base := []string{"-H", sim.Host, "-p", itoa(sim.Port), "-N", "1", "-R", "2"}
	run := func(args ...string) (string, error) {
		out, err := exec.Command("ipmitool", append(append([]string{}, base...), args...)...).CombinedOutput()
		return string(out), err
	}
	if out, err := run("-I", "lanplus", "-C", "3", "-U", "extra", "-P", "extrapw", "-L", "OPERATOR", "chassis", "power", "status"); err != nil || !strings.Contains(out, "Chassis Power is on") {
		t.Errorf("extra user: %v\n%s", err, out)
	}
	for _, auth := range []string{"MD5", "PASSWORD"} {
		if out, err := run("-I", "lan", "-A", auth, "-U", "operator", "-P", "oppass", "-L", "OPERATOR", "chassis", "power", "status"); err != nil || !strings.Contains(out, "Chassis Power is on") {
			t.Errorf("IPMI 1.5 %s: %v\n%s", auth, err, out)
		}
	}
	if out, err := run("-I", "lanplus", "-C", "3", "-U", "olduser", "-P", "oldpass", "mc", "info"); err == nil {
		t.Errorf("disabled user olduser logged in:\n%s", out)
	}
}

func TestIPMISimSOL(t *testing.T) {
	sim := StartIPMISim(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ipmitool", append(sim.IpmitoolArgs(), "sol", "activate")...)
	in, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cmd.Stdin = in
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in.Close()
	for _, s := range []string{"\r", "root\r", "secret\r", "echo hello-sol\r", "seq 300\r"} {
		time.Sleep(400 * time.Millisecond)
		w.Write([]byte(s))
	}
	time.Sleep(1500 * time.Millisecond)
	w.Write([]byte("\r~."))
	if err := cmd.Wait(); err != nil {
		t.Fatalf("sol activate: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{"simhost login:", "\r\nhello-sol\r\n", "\r\n299\r\n300\r\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("SOL output lacks %q:\n%q", want, got)
		}
	}
	if !strings.Contains(sim.SOLTranscript(), "hello-sol") {
		t.Errorf("console transcript lacks the echo:\n%q", sim.SOLTranscript())
	}
}

func TestIPMISimSetSensorMakesEvents(t *testing.T) {
	sim := StartIPMISim(t)
	sim.SetSensor("CPU1 Temp", 92)
	sim.SetSensor("FAN1", 2000)
	sim.WaitSensorPoll()
	out, stderr, err := Ipmitool(t, sim, "sdr", "get", "CPU1 Temp")
	if err != nil || !strings.Contains(out, "92 (+/- 0) degrees C") {
		t.Fatalf("CPU1 Temp after SetSensor(92): %v\n%s%s", err, out, stderr)
	}
	out, _, err = Ipmitool(t, sim, "sensor", "reading", "FAN1")
	if err != nil || !strings.Contains(out, "2000") {
		t.Fatalf("FAN1 after SetSensor(2000): %v\n%s", err, out)
	}
	out, _, err = Ipmitool(t, sim, "sel", "elist")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Format("01/02/06")
	found := false
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "CPU1 Temp") && strings.Contains(line, "Upper Critical going high") && strings.Contains(line, today) {
			found = true
		}
	}
	if !found {
		t.Fatalf("no dated Upper Critical event for CPU1 Temp in the SEL:\n%s", out)
	}
}

func TestIPMISimPowerCycleComesBack(t *testing.T) {
	sim := StartIPMISim(t)
	if _, stderr, err := Ipmitool(t, sim, "chassis", "power", "cycle"); err != nil {
		t.Fatalf("power cycle: %v\n%s", err, stderr)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(sim.ChassisLog(), "power 1") {
		time.Sleep(100 * time.Millisecond)
	}
	log := sim.ChassisLog()
	if i, j := strings.Index(log, "power 0"), strings.Index(log, "power 1"); i < 0 || j < i || !sim.Power() {
		t.Fatalf("power cycle did not go off then on (power=%v):\n%s", sim.Power(), log)
	}
}

// recordingTB captures the errors and cleanups of a StartIPMISim call, so a
// test can check what the cleanup reports.
type recordingTB struct {
	testing.TB
	cleanups []func()
	errs     []string
}

func (r *recordingTB) Cleanup(f func())               { r.cleanups = append(r.cleanups, f) }
func (r *recordingTB) Errorf(format string, a ...any) { r.errs = append(r.errs, format) }
func (r *recordingTB) runCleanups() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestIPMISimDeathIsReported(t *testing.T) {
	rec := &recordingTB{TB: t}
	sim := StartIPMISim(rec)
	defer rec.runCleanups()
	// Get Channel Payload Support for unconfigured channel 2 segfaults
	// ipmi_sim 2.0.33; no answer comes, so do not wait for one.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	exec.CommandContext(ctx, "ipmitool", append(sim.IpmitoolArgs(), "-N", "1", "-R", "1", "raw", "0x06", "0x4e", "0x02")...).Run()
	deadline := time.Now().Add(5 * time.Second)
	for sim.Alive() && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if sim.Alive() {
		t.Fatal("ipmi_sim 2.0.33 survived Get Channel Payload Support on channel 2: cannot test death detection")
	}
	rec.runCleanups()
	rec.cleanups = nil
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "DIED") {
		t.Fatalf("cleanup errors = %q, want one DIED report", rec.errs)
	}
}

func TestIPMISimStopIsNotDeath(t *testing.T) {
	rec := &recordingTB{TB: t}
	sim := StartIPMISim(rec)
	sim.Stop()
	if sim.Alive() {
		t.Fatal("alive after Stop")
	}
	rec.runCleanups()
	if len(rec.errs) != 0 {
		t.Fatalf("cleanup reported %q after a deliberate Stop", rec.errs)
	}
	if udpListeners(sim.Port) != 0 {
		t.Fatalf("port %d still bound after Stop", sim.Port)
	}
}

func TestIPMISimLANAndBootState(t *testing.T) {
	sim := StartIPMISim(t)
	if got := sim.LANParam("ip_addr"); got != "127.0.0.1" {
		t.Fatalf("initial ip_addr = %q", got)
	}
	// Only a value stored in RUN/lan/: nothing ever talks to this address.
	if _, stderr, err := Ipmitool(t, sim, "lan", "set", "1", "ipaddr", "127.0.0.42"); err != nil {
		t.Fatalf("lan set: %v\n%s", err, stderr)
	}
	if got := sim.LANParam("ip_addr"); got != "127.0.0.42" {
		t.Fatalf("ip_addr after lan set = %q", got)
	}
	if _, stderr, err := Ipmitool(t, sim, "chassis", "bootdev", "pxe"); err != nil {
		t.Fatalf("bootdev pxe: %v\n%s", err, stderr)
	}
	if got := sim.BootDevice(); got != "pxe" {
		t.Fatalf("BootDevice = %q after bootdev pxe", got)
	}
}

// Simulators started side by side must get distinct ports and state.
func TestIPMISimParallelIsolation(t *testing.T) {
	const n = 3
	sims := make([]*IPMISim, n)
	ports := map[int]bool{}
	for i := range sims {
		sims[i] = StartIPMISim(t)
		if ports[sims[i].Port] || ports[sims[i].SOLPort] {
			t.Fatalf("port reused: %d/%d", sims[i].Port, sims[i].SOLPort)
		}
		ports[sims[i].Port], ports[sims[i].SOLPort] = true, true
	}
	if _, stderr, err := Ipmitool(t, sims[0], "chassis", "power", "off"); err != nil {
		t.Fatalf("power off: %v\n%s", err, stderr)
	}
	for i, s := range sims {
		if want := i != 0; s.Power() != want {
			t.Errorf("sim %d power = %v, want %v", i, s.Power(), want)
		}
		if n := udpListeners(s.Port); n != 1 {
			t.Errorf("sim %d: %d sockets on port %d", i, n, s.Port)
		}
	}
}
