package peers

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// IPMISim is a private OpenIPMI ipmi_sim BMC on 127.0.0.1, started by
// StartIPMISim and stopped by the test's cleanup.
type IPMISim struct {
	Addr    string // "127.0.0.1:PORT" (UDP)
	Host    string // "127.0.0.1"
	Port    int    // UDP port of LAN channel 1
	SOLPort int    // TCP port of the fake host console ipmi_sim's SOL connects to
	RunDir  string // generated configuration, state files and logs
	Kg      string // K_g (bmc_key) if set with WithKg, else ""

	t      testing.TB
	proc   *simProc
	polled []polledSensor
}

// Option changes how StartIPMISim configures the simulator.
type Option func(*simConfig)

// WithKg sets the BMC key K_g (lan.conf bmc_key) for two-key RMCP+ logins.
// Without it, the user password acts as K_g.
func WithKg(key string) Option { return func(c *simConfig) { c.kg = key } }

// WithUser adds an enabled user in slot num (6-63) with a privilege limit
// of "callback", "user", "operator" or "admin".
func WithUser(num int, name, password, priv string) Option {
	return func(c *simConfig) { c.users = append(c.users, simUser{num, name, password, priv}) }
}

// WithIPv6 makes ipmi_sim listen on [::1] instead of 127.0.0.1 (Host
// "::1", Addr "[::1]:PORT"); Ipmitool and IpmitoolArgs follow.
func WithIPv6() Option { return func(c *simConfig) { c.ipv6 = true } }

// WithDIMM adds a DIMM's SPD EEPROM as FRU device id (image spd) with an
// SDR FRU device locator for it: logical device type 10h, modifier 01h
// ("DIMM Memory ID"), entity 32 (memory device) instance inst, ID string
// name.
func WithDIMM(id uint8, name string, inst uint8, spd []byte) Option {
	return func(c *simConfig) {
		c.dimms = append(c.dimms, simDIMM{id: id, name: name, instance: inst, spd: append([]byte(nil), spd...)})
	}
}

// WithSOLBaud sets the output pacing of the fake console (default 115200).
func WithSOLBaud(baud int) Option { return func(c *simConfig) { c.solBaud = baud } }

// StartIPMISim starts a fresh ipmi_sim on a free loopback port and waits until
// it answers. It skips (or fails under IPMICTL_REQUIRE_PEERS=1) when ipmi_sim,
// sdrcomp or ipmitool is missing. The cleanup stops it and fails the test if
// the simulator died while the test ran (ipmi_sim segfaults on some requests).
func StartIPMISim(t testing.TB, opts ...Option) *IPMISim {
	t.Helper()
	Require(t, "ipmi_sim", "sdrcomp", "ipmitool")
	cfg := simConfig{runDir: filepath.Join(t.TempDir(), "ipmisim")}
	for _, o := range opts {
		o(&cfg)
	}
	for _, u := range cfg.users {
		if u.num < 6 || u.num > 63 {
			t.Fatalf("peers: WithUser: slot %d is not free (use 6-63)", u.num)
		}
	}
	start := time.Now()
	p, err := launchSim(cfg)
	if err != nil {
		t.Fatalf("peers: starting ipmi_sim: %v", err)
	}
	s := &IPMISim{
		Addr: p.addr(), Host: p.host(), Port: p.port, SOLPort: p.solPort,
		RunDir: cfg.runDir, Kg: cfg.kg, t: t, proc: p, polled: p.polled,
	}
	t.Logf("peers: ipmi_sim on udp %s (SOL console tcp 127.0.0.1:%d, run dir %s) ready in %v",
		s.Addr, s.SOLPort, s.RunDir, time.Since(start).Round(time.Millisecond))
	t.Cleanup(s.Stop)
	return s
}

// Alive reports whether ipmi_sim is still running.
func (s *IPMISim) Alive() bool { return s.proc.proc.alive() }

// Stop stops the simulator now (SIGTERM, then SIGKILL after 3 s); the
// cleanup calls it too. It fails the test if ipmi_sim had died on its own.
func (s *IPMISim) Stop() {
	if s.proc.stop() {
		s.t.Errorf("peers: ipmi_sim on %s DIED during the test (%v) - it segfaults on some requests, "+
			"e.g. Get Channel Payload Support for a channel other than 0, 1 or 15.\nipmi_sim.log:\n%s",
			s.Addr, s.proc.proc.waitErr, s.Log())
	}
}

// Log returns ipmi_sim's own output (it logs little after start-up).
func (s *IPMISim) Log() string { return s.proc.proc.log() }

// SensorNames lists the sensors SetSensor accepts.
func (s *IPMISim) SensorNames() []string {
	var n []string
	for _, p := range s.polled {
		n = append(n, p.name)
	}
	return n
}

// SetSensor sets the reading of a polled sensor by its SDR ID string, in
// engineering units (degrees C, RPM, volts, watts): "CPU1 Temp", "CPU2 Temp",
// "Inlet Temp", "Exhaust Temp", "FAN1", "FAN2", "12V", "Pwr Consumption".
// ipmi_sim polls every 2 s; crossing a threshold logs real SEL events.
func (s *IPMISim) SetSensor(name string, value float64) {
	s.t.Helper()
	for _, p := range s.polled {
		if strings.EqualFold(p.name, name) {
			v, err := p.fileValue(value)
			if err != nil {
				s.t.Fatal(err)
			}
			writeFileAtomic(s.t, filepath.Join(s.RunDir, p.file), strconv.Itoa(v)+"\n")
			return
		}
	}
	s.t.Fatalf("peers: SetSensor: %q is not a polled sensor (have %v)", name, s.SensorNames())
}

// WaitSensorPoll sleeps long enough for ipmi_sim to have polled the sensor
// files again after a SetSensor.
func (s *IPMISim) WaitSensorPoll() { time.Sleep(2500 * time.Millisecond) }

// Power reports the chassis power state from the state file the chassis
// control script keeps.
func (s *IPMISim) Power() bool {
	s.t.Helper()
	b, err := os.ReadFile(filepath.Join(s.RunDir, "power"))
	if err != nil {
		s.t.Fatalf("peers: reading power state: %v", err)
	}
	return strings.TrimSpace(string(b)) == "1"
}

// SetPower sets the chassis power state as if the host had changed it.
func (s *IPMISim) SetPower(on bool) {
	s.t.Helper()
	v := "0\n"
	if on {
		v = "1\n"
	}
	writeFileAtomic(s.t, filepath.Join(s.RunDir, "power"), v)
}

// BootDevice returns the boot device the chassis script stored
// (none, pxe, default, cdrom, bios).
func (s *IPMISim) BootDevice() string {
	b, _ := os.ReadFile(filepath.Join(s.RunDir, "boot"))
	return strings.TrimSpace(string(b))
}

// ChassisLog returns the chassis control actions so far, one per line:
// "2026-11-23T20:27:16 power 0", "... reset", "... boot pxe", "... identify 15 0",
// "... soft shutdown".
func (s *IPMISim) ChassisLog() string {
	b, _ := os.ReadFile(filepath.Join(s.RunDir, "chassis.log"))
	return string(b)
}

// SOLTranscript returns everything the fake host console has sent.
func (s *IPMISim) SOLTranscript() string { return s.proc.console.transcript() }

// LANParam returns a LAN parameter the BMC reports through the LAN control
// script (ip_addr, ip_addr_src, mac_addr, subnet_mask, default_gw_ip_addr,
// ...); values set over IPMI land in RunDir/lan/.
func (s *IPMISim) LANParam(name string) string {
	out, err := runScript(filepath.Join(s.lab(), "lan_control.sh"), s.RunDir, "get", name)
	if err != nil {
		s.t.Fatalf("peers: LANParam(%q): %v", name, err)
	}
	_, v, _ := strings.Cut(strings.TrimSpace(out), ":")
	return v
}

// SetSELTime sets the BMC's SEL clock (StartIPMISim sets it to now).
func (s *IPMISim) SetSELTime(t time.Time) {
	s.t.Helper()
	if err := s.proc.setSELTime(t); err != nil {
		s.t.Fatal(err)
	}
}

// IpmitoolArgs returns ipmitool's base flags for this BMC (lanplus, suite 3,
// admin/password, -k when K_g is set).
func (s *IPMISim) IpmitoolArgs() []string { return s.proc.ipmitoolArgs() }

func (s *IPMISim) lab() string {
	d, _ := labDir()
	return d
}

func (s *IPMISim) String() string { return fmt.Sprintf("ipmi_sim@%s", s.Addr) }
