package peers

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestIPMISimMCInfo(t *testing.T) {
	sim := StartIPMISim(t)
	out, stderr, err := Ipmitool(t, sim, "mc", "info")
	if err != nil {
		t.Fatalf("ipmitool mc info: %v\n%s", err, stderr)
	}
	for _, want := range []string{"Manufacturer ID           : 49871", "Firmware Revision         : 2.10", "IPMI Version              : 2.0"} {
		if !strings.Contains(out, want) {
			t.Errorf("mc info lacks %q:\n%s", want, out)
		}
	}
	if !sim.Alive() {
		t.Fatal("simulator died")
	}
}

func TestIPMISimChassisPower(t *testing.T) {
	sim := StartIPMISim(t)
	if !sim.Power() {
		t.Fatal("power should start on")
	}
	if _, stderr, err := Ipmitool(t, sim, "chassis", "power", "off"); err != nil {
		t.Fatalf("power off: %v\n%s", err, stderr)
	}
	if sim.Power() {
		t.Fatalf("power state file still on after power off; chassis log:\n%s", sim.ChassisLog())
	}
	out, _, err := Ipmitool(t, sim, "chassis", "power", "status")
	if err != nil || strings.TrimSpace(out) != "Chassis Power is off" {
		t.Fatalf("power status = %q, %v", out, err)
	}
	sim.SetPower(true)
	out, _, err = Ipmitool(t, sim, "chassis", "power", "status")
	if err != nil || strings.TrimSpace(out) != "Chassis Power is on" {
		t.Fatalf("power status after SetPower(true) = %q, %v", out, err)
	}
	if !strings.Contains(sim.ChassisLog(), "power 0") {
		t.Errorf("chassis log lacks the power-off action:\n%s", sim.ChassisLog())
	}
}

func TestIPMISimFreeIPMISensors(t *testing.T) {
	Require(t, "ipmi-sensors")
	sim := StartIPMISim(t)
	out, stderr, err := FreeIPMI(t, sim, "ipmi-sensors")
	if err != nil {
		t.Fatalf("ipmi-sensors: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "CPU1 Temp") || !strings.Contains(out, "FAN1") {
		t.Fatalf("ipmi-sensors output lacks CPU1 Temp/FAN1:\n%s", out)
	}
}

func TestGoIPMIServerSuite17(t *testing.T) {
	bmc := StartGoIPMIServer(t)
	out, stderr, err := bmc.Ipmitool(t, "mc", "info")
	if err != nil {
		t.Fatalf("ipmitool -C 17 mc info in the namespace: %v\n%s\nserver log:\n%s", err, stderr, bmc.Log())
	}
	if !strings.Contains(out, "IPMI Version") {
		t.Fatalf("mc info output:\n%s", out)
	}
	conn, err := bmc.DialUDP()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := exchangeAuthCaps(conn, 2*time.Second); err != nil {
		t.Fatalf("in-process socket from DialUDP: %v", err)
	}
	// The server must live in its own network namespace, never in ours.
	self, err1 := os.Readlink("/proc/self/ns/net")
	its, err2 := os.Readlink(fmt.Sprintf("/proc/%d/ns/net", bmc.PID))
	if err1 != nil || err2 != nil || self == its {
		t.Fatalf("goipmi-server network namespace %q (%v), ours %q (%v)", its, err2, self, err1)
	}
}

func TestBuildIpmictl(t *testing.T) {
	bin := BuildIpmictl(t)
	if BuildIpmictl(t) != bin {
		t.Fatal("BuildIpmictl built twice")
	}
	out, err := exec.Command(bin, "--help").CombinedOutput()
	if err != nil {
		t.Fatalf("%s --help: %v\n%s", bin, err, out)
	}
	if !strings.Contains(string(out), "ipmictl") {
		t.Fatalf("--help output:\n%s", out)
	}
}
