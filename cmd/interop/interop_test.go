package interop

import (
	"strings"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/internal/udpproxy"
)

func TestInteropMatchesIpmitoolOnIPMISim(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	cred := []string{"-U", "admin", "-P", "password"}
	commands := [][]string{
		{"chassis", "power", "status"},
		{"chassis", "status"},
		{"mc", "info"},
		{"mc", "guid"},
		{"raw", "0x06", "0x01"},
		{"chassis", "bootparam", "get", "5"},
	}
	for _, iface := range [][]string{{"-I", "lanplus"}, {"-I", "lanplus", "-C", "3"}, {"-I", "lan"}} {
		for _, c := range commands {
			name := strings.Join(append(append([]string{}, iface...), c...), " ")
			t.Run(name, func(t *testing.T) {
				want, errs, err := peers.Ipmitool(t, sim, c...)
				if err != nil {
					t.Fatalf("ipmitool: %v %s", err, errs)
				}
				args := append(append(append([]string{}, iface...), cred...), c...)
				got, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, args...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				if got != want {
					t.Errorf("ipmictl and ipmitool differ\nipmictl:  %q\nipmitool: %q", got, want)
				}
			})
		}
	}
}

func TestInteropPowerControlChangesState(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim")
	sim := peers.StartIPMISim(t)
	out, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, "-U", "admin", "-P", "password", "chassis", "power", "off")
	if code != 0 || out != "Chassis Power Control: Down/Off\n" {
		t.Fatalf("power off: exit %d out %q err %q", code, out, errOut)
	}
	if sim.Power() {
		t.Error("ipmi_sim still powered on after chassis power off")
	}
	out, _, _ = clitest.RunLive(t, sim.Host, sim.Port, "-U", "admin", "-P", "password", "-I", "lan", "chassis", "power", "status")
	if out != "Chassis Power is off\n" {
		t.Errorf("status over IPMI 1.5 after off: %q", out)
	}
	if _, _, code := clitest.RunLive(t, sim.Host, sim.Port, "-U", "admin", "-P", "password", "chassis", "power", "on"); code != 0 || !sim.Power() {
		t.Errorf("power on: exit %d, power %v", code, sim.Power())
	}
	_, _, code = clitest.RunLive(t, sim.Host, sim.Port, "-U", "admin", "-P", "password", "chassis", "bootdev", "pxe")
	if code != 0 || sim.BootDevice() != "pxe" {
		t.Errorf("bootdev pxe: exit %d, BMC boot device %q", code, sim.BootDevice())
	}
}

func TestInteropLoginFailuresAreFastAndExitThree(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim")
	sim := peers.StartIPMISim(t)
	cases := []struct {
		name string
		args []string
		want string
		max  time.Duration
	}{
		{"wrong password", []string{"-U", "admin", "-P", "nope"}, "wrong password", time.Second},
		// IPMI 1.5 BMCs (ipmi_sim too) drop an Activate Session whose
		// auth code is wrong instead of answering: the client can only
		// conclude it after its tries, here 2 of 1 s.
		{"wrong password 1.5", []string{"-I", "lan", "-N", "1", "-U", "admin", "-P", "nope"}, "wrong password", 2500 * time.Millisecond},
		{"unknown user", []string{"-U", "nobody", "-P", "x"}, "user", time.Second},
		{"disabled user", []string{"-U", peers.DisabledUser, "-P", peers.DisabledPassword}, "user", time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, append(c.args, "chassis", "power", "status")...)
			took := time.Since(start)
			if code != cli.ExitConnection {
				t.Errorf("exit %d, want 3 (stderr %q)", code, errOut)
			}
			if !strings.Contains(errOut, c.want) {
				t.Errorf("stderr %q does not say %q", errOut, c.want)
			}
			if took > c.max {
				t.Errorf("took %v; a refused login must fail in under %v", took, c.max)
			}
		})
	}
}

func TestInteropInsecureSuiteNeedsConsent(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim")
	sim := peers.StartIPMISim(t)
	_, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, "-U", "admin", "-P", "password", "-C", "0", "chassis", "power", "status")
	if code != cli.ExitUsage || !strings.Contains(errOut, "--insecure") {
		t.Errorf("-C 0 without --insecure: exit %d, stderr %q", code, errOut)
	}
	out, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, "-U", "admin", "-P", "password", "-C", "0", "--insecure", "chassis", "power", "status")
	if code != 0 || out != "Chassis Power is on\n" || !strings.Contains(errOut, "warning") {
		t.Errorf("-C 0 --insecure: exit %d out %q stderr %q", code, out, errOut)
	}
}

// The foundation's promise: chassis power status in at most 5 UDP
// requests (ipmitool needs 11, FreeIPMI 7), counted on the wire.
func TestInteropPowerStatusRoundTrips(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim")
	sim := peers.StartIPMISim(t)
	proxy, err := udpproxy.New("127.0.0.1:0", sim.Addr, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	// The second run without -C uses the suite the first one negotiated.
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	for i, args := range [][]string{{"-C", "3"}, {"-C", "17", "-C", "3"}, {}, {}} {
		proxy.ResetStats()
		all := append([]string{"-U", "admin", "-P", "password"}, args...)
		out, errOut, code := clitest.RunLive(t, "127.0.0.1", proxy.Addr().Port, append(all, "chassis", "power", "status")...)
		if code != 0 || out != "Chassis Power is on\n" {
			t.Fatalf("%v: exit %d out %q err %q", args, code, out, errOut)
		}
		time.Sleep(50 * time.Millisecond)
		n := proxy.Stats().Received[udpproxy.ToServer]
		if i == 2 {
			// First contact without -C: auth caps and the suite list
			// (5 pages on ipmi_sim) before the session.
			t.Logf("first negotiated run: %d UDP requests", n)
			continue
		}
		if n > 5 {
			t.Errorf("run %d %v: %d UDP requests, want at most 5", i, args, n)
		}
	}
}

func TestInteropSuite17AgainstGoIPMIServer(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "goipmi-server", "ipmitool", "nsenter")
	bmc := peers.StartGoIPMIServer(t, peers.WithGoIPMICipherSuites("17"))
	want, errs, err := bmc.Ipmitool(t, "chassis", "power", "status")
	if err != nil {
		t.Fatalf("ipmitool -C 17: %v %s", err, errs)
	}
	for _, suite := range []string{"17", ""} {
		args := []string{"-U", bmc.User, "-P", bmc.Password}
		if suite != "" {
			args = append(args, "-C", suite)
		}
		args = append(args, "-v", "chassis", "power", "status")
		var out, errOut string
		var code int
		// The session's socket is made inside the server's namespace;
		// it stays there while the rest of the run uses other threads.
		if err := bmc.InNetns(func() error {
			out, errOut, code = clitest.RunLive(t, bmc.Host, bmc.Port, args...)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if code != 0 {
			t.Fatalf("suite %q: exit %d\n%s", suite, code, errOut)
		}
		if out != want {
			t.Errorf("suite %q: ipmictl %q, ipmitool %q", suite, out, want)
		}
		if !strings.Contains(errOut, "17") {
			t.Errorf("suite %q: -v trace does not mention suite 17:\n%s", suite, errOut)
		}
	}
}

// ipmi_sim checks Open Session's requested privilege against its cipher
// suite privilege table one entry off; ipmictl must still log in where
// ipmitool does once an admin restricts the table.
func TestInteropRestrictedCipherPrivileges(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	if _, errs, err := peers.Ipmitool(t, sim, "lan", "set", "1", "cipher_privs", "XXXaXXXXXXXXXXX"); err != nil {
		t.Fatalf("ipmitool lan set cipher_privs: %v %s", err, errs)
	}
	out, errOut, code := clitest.RunLive(t, sim.Host, sim.Port, "-U", "admin", "-P", "password", "-C", "3", "chassis", "power", "status")
	if code != 0 || out != "Chassis Power is on\n" {
		t.Errorf("exit %d out %q err %q", code, out, errOut)
	}
}
