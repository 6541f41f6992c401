package bmcsim_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// These tests drive our simulated BMC, served on 127.0.0.1 from the test,
// with third-party clients: ipmitool and FreeIPMI. Two halves that we both
// wrote agreeing proves little; these clients are the proof.

const toolTimeout = 60 * time.Second

// peerBMC is a BMC with pinned readings and one threshold event, so the
// clients' outputs can be checked for exact values.
func peerBMC(t *testing.T) (*bmcsim.BMC, string, string) {
	t.Helper()
	b := bmcsim.New(bmcsim.WithIndex(7), bmcsim.WithSeed(3), bmcsim.WithPowerDelays(4*time.Second, time.Second))
	b.Freeze(true)
	for name, v := range map[string]float64{"CPU1 Temp": 67, "FAN1": 4200, "12V": 12.06} {
		if err := b.SetReading(name, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.SetReading("Inlet Temp", 48); err != nil { // crosses UNC 42 and UCR 47
		t.Fatal(err)
	}
	srv := serve(t, b)
	return b, "127.0.0.1", fmt.Sprint(srv.Addr().Port())
}

// runTool runs a client with a timeout; err describes a failure in full.
func runTool(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	var stderr strings.Builder
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out), nil
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := runTool(name, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func runFail(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err == nil {
		t.Fatalf("%s %s succeeded, want failure:\n%s", name, strings.Join(args, " "), out)
	}
	return string(out)
}

func wantLines(t *testing.T, what, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s: output lacks %q:\n%s", what, w, out)
		}
	}
}

func TestIpmitoolAgainstSim(t *testing.T) {
	peers.Require(t, "ipmitool")
	b, host, port := peerBMC(t)
	for _, iface := range [][]string{{"-I", "lanplus", "-C", "3"}, {"-I", "lanplus", "-C", "17"}, {"-I", "lan"}} {
		name := strings.Join(iface, " ")
		t.Run(name, func(t *testing.T) {
			base := append(append([]string(nil), iface...), "-H", host, "-p", port, "-U", "admin", "-P", "password")
			ipmitool := func(args ...string) string {
				return run(t, "ipmitool", append(append([]string(nil), base...), args...)...)
			}

			wantLines(t, "mc info", ipmitool("mc", "info"),
				"Manufacturer ID           : 49871", "Firmware Revision         : 1.23", "IPMI Version              : 2.0")
			wantLines(t, "sdr list", ipmitool("sdr", "list"),
				"CPU1 Temp        | 67 degrees C      | ok",
				"FAN1             | 4200 RPM          | ok",
				"12V              | 12.06 Volts       | ok",
				"Inlet Temp       | 48 degrees C      | cr")
			wantLines(t, "sel elist", ipmitool("sel", "elist"),
				"Power Supply PSU2 Status | Power Supply AC lost | Asserted",
				"Temperature Inlet Temp | Upper Critical going high | Asserted | Reading 48 > Threshold 47 degrees C")
			wantLines(t, "fru print", ipmitool("fru", "print"),
				"Board Serial          : BSN1000007",
				"Product Serial        : PSN2000007",
				"Product Asset Tag     : ASSET-00007",
				"FRU Device Description : PSU2 FRU (ID 2)")
			wantLines(t, "chassis power status", ipmitool("chassis", "power", "status"), "Chassis Power is on")
		})
	}
	t.Run("power cycle", func(t *testing.T) {
		base := []string{"-I", "lanplus", "-C", "17", "-H", host, "-p", port, "-U", "operator", "-P", "oppass", "-L", "OPERATOR"}
		wantLines(t, "power cycle", run(t, "ipmitool", append(base, "chassis", "power", "cycle")...), "Chassis Power Control: Cycle")
		if b.PowerOn() {
			t.Error("power still on right after the cycle")
		}
		wantLines(t, "status during cycle", run(t, "ipmitool", append(base, "chassis", "power", "status")...), "Chassis Power is off")
		for deadline := time.Now().Add(10 * time.Second); !b.PowerOn() && time.Now().Before(deadline); {
			time.Sleep(100 * time.Millisecond)
		}
		wantLines(t, "status after cycle", run(t, "ipmitool", append(base, "chassis", "power", "status")...), "Chassis Power is on")
		if b.ChassisControls() != 1 {
			t.Errorf("%d chassis controls recorded", b.ChassisControls())
		}
	})
	t.Run("privileges enforced", func(t *testing.T) {
		// A USER account cannot open an ADMINISTRATOR session (ipmi_sim allows it).
		runFail(t, "ipmitool", "-I", "lanplus", "-C", "17", "-H", host, "-p", port, "-U", "user", "-P", "userpass", "chassis", "power", "off")
		out := runFail(t, "ipmitool", "-I", "lanplus", "-C", "17", "-H", host, "-p", port, "-U", "user", "-P", "userpass", "-L", "USER", "chassis", "power", "off")
		wantLines(t, "power off as USER", out, "Insufficient privilege level")
		runFail(t, "ipmitool", "-I", "lanplus", "-C", "17", "-H", host, "-p", port, "-U", "admin", "-P", "wrong", "mc", "info")
		if !b.PowerOn() {
			t.Error("refused commands powered the chassis off")
		}
	})
}

func TestFreeIPMIAgainstSim(t *testing.T) {
	peers.Require(t, "ipmi-sensors", "ipmi-sel", "ipmi-fru", "ipmipower")
	_, host, port := peerBMC(t)
	cache := t.TempDir() // must exist: FreeIPMI creates .freeipmi/ inside
	for _, driver := range []string{"LAN_2_0", "LAN"} {
		t.Run(driver, func(t *testing.T) {
			// No -W opensesspriv: unlike ipmi_sim, our BMC grants the
			// privilege FreeIPMI asks for in Open Session.
			base := []string{"-D", driver, "-h", host + ":" + port, "-u", "admin", "-p", "password", "-l", "ADMIN", "--sdr-cache-directory", cache}
			tool := func(name string, args ...string) string {
				return run(t, name, append(append([]string(nil), base...), args...)...)
			}
			wantLines(t, "ipmi-sensors", tool("ipmi-sensors"),
				"| CPU1 Temp       | Temperature              | 67.00      | C     | 'OK'",
				"| FAN1            | Fan                      | 4200.00    | RPM   | 'OK'",
				"| Inlet Temp      | Temperature              | 48.00      | C     | 'At or Above (>=) Upper Critical Threshold'",
				"| PSU2 Status     | Power Supply             | N/A        | N/A   | 'Presence detected' 'Power Supply input lost (AC/DC)'")
			wantLines(t, "ipmi-sel", tool("ipmi-sel"),
				"| PSU2 Status     | Power Supply             | Power Supply input lost (AC/DC)",
				"| Inlet Temp      | Temperature              | Upper Critical - going high ; Sensor Reading = 48.00 C ; Threshold = 47.00 C")
			wantLines(t, "ipmi-fru", tool("ipmi-fru"),
				"FRU Product Serial Number: PSN2000007",
				"FRU Board Manufacturing Date/Time: 03/18/24 - 09:30:00",
				"FRU Power Supply Overall Capacity: 800 Watts")
		})
	}
	out := run(t, "ipmipower", "-D", "LAN_2_0", "-h", host+":"+port, "-u", "admin", "-p", "password", "--stat")
	wantLines(t, "ipmipower --stat", out, ": on")
}

// solSession runs a SOL client under script(1) (SOL clients want a
// terminal), typing a login and two commands, then the escape sequence.
func solSession(t *testing.T, escape, client string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "script", "-qc", client, "/dev/null")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"root\r", "pw\r", "echo hello-from-sol\r", "hostname\r", escape} {
		time.Sleep(700 * time.Millisecond)
		in.Write([]byte(s))
	}
	time.Sleep(time.Second)
	in.Close()
	cmd.Wait()
	return out.String()
}

func TestSOLAgainstSim(t *testing.T) {
	peers.Require(t, "script", "ipmitool", "ipmiconsole")
	_, host, port := peerBMC(t)
	out := solSession(t, "~.", fmt.Sprintf("ipmitool -I lanplus -C 17 -H %s -p %s -U admin -P password sol activate", host, port))
	wantLines(t, "ipmitool sol activate", out,
		"Debian GNU/Linux 12 sim-host-7 ttyS0", "sim-host-7 login: root", "hello-from-sol\r\n", "root@sim-host-7:~$ hostname\r\nsim-host-7")
	// ipmiconsole on another BMC (the first one's shell stays logged in,
	// as a real console would). ipmiconsole 1.6.10 refuses ports above
	// 32767 ("hostname invalid"), so this one gets a low port.
	b := bmcsim.New(bmcsim.WithIndex(7))
	for try := 0; ; try++ {
		p := 20000 + rand.IntN(12000)
		srv, err := bmcsim.Serve(b, fmt.Sprintf("127.0.0.1:%d", p), nil)
		if err == nil {
			t.Cleanup(func() { srv.Close() })
			port = fmt.Sprint(p)
			break
		}
		if try == 50 {
			t.Fatalf("no free port below 32768: %v", err)
		}
	}
	out = solSession(t, "&.", fmt.Sprintf("ipmiconsole -h %s:%s -u admin -p password", host, port))
	wantLines(t, "ipmiconsole", out, "[SOL established]", "hello-from-sol\r\n", "root@sim-host-7:~$")
}

// TestIpmitoolFleet runs ipmitool processes in concurrent batches against
// a fleet served from this process: every BMC answers its own session
// with its own state.
func TestIpmitoolFleet(t *testing.T) {
	peers.Require(t, "ipmitool")
	n, batch := 40, 20
	if testing.Short() {
		n = 20
	}
	addrs, err := bmcsim.PortRange(netip.MustParseAddr("127.0.0.1"), 0, n)
	if err != nil {
		t.Fatal(err)
	}
	fleet, err := bmcsim.ServeFleet(addrs, func(i int) *bmcsim.BMC { return bmcsim.New(bmcsim.WithIndex(i)) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer fleet.Close()
	start := time.Now()
	for lo := 0; lo < n; lo += batch {
		var wg sync.WaitGroup
		for i := lo; i < min(lo+batch, n); i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := fleet.Servers[i].Addr()
				out, err := runTool("ipmitool", "-I", "lanplus", "-C", "17", "-H", a.Addr().String(), "-p", fmt.Sprint(a.Port()),
					"-U", "admin", "-P", "password", "fru", "print", "0")
				if err != nil {
					t.Error(err)
					return
				}
				wantLines(t, fmt.Sprintf("BMC %d fru print", i), out, fmt.Sprintf("Product Serial        : PSN%07d", 2000000+i))
			}()
		}
		wg.Wait()
	}
	t.Logf("%d ipmitool sessions, %d at a time, in %v", n, batch, time.Since(start))
}
