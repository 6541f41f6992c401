package interop

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
	"github.com/ipmictl/ipmictl/rmcp"
)

// mcOverrideBackend answers some requests itself and leaves the rest to
// bmcsim: answers ipmi_sim cannot give (self-test codes, system info).
type mcOverrideBackend struct {
	rmcp.Backend
	answer func(req *ipmi.Request) *ipmi.Response
}

func (b mcOverrideBackend) ServeIPMI(ctx context.Context, id uint32, req *ipmi.Request) *ipmi.Response {
	if r := b.answer(req); r != nil {
		return r
	}
	return b.Backend.ServeIPMI(ctx, id, req)
}

// mcPeerPair serves a bmcsim BMC (with answer in front) over RMCP+ and
// returns functions running ipmitool and ipmictl against it.
func mcPeerPair(t *testing.T, answer func(*ipmi.Request) *ipmi.Response) (theirs, ours func(args ...string) (string, int)) {
	t.Helper()
	conn, err := rmcp.ListenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := rmcp.NewServer(mcOverrideBackend{bmcsim.New().Backend(), answer}, conn, nil)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	t.Cleanup(func() { srv.Close() })
	port := int(srv.Addr().Port())
	theirs = func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command("ipmitool", append([]string{"-I", "lanplus", "-C", "3", "-H", "127.0.0.1", "-p", strconv.Itoa(port),
			"-U", "admin", "-P", "password"}, args...)...)
		var o bytes.Buffer
		cmd.Stdout = &o
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("ipmitool %v: %v", args, err)
		}
		return o.String(), cmd.ProcessState.ExitCode()
	}
	ours = func(args ...string) (string, int) {
		t.Helper()
		out, _, code := clitest.RunLive(t, "127.0.0.1", port, append([]string{"-U", "admin", "-P", "password", "-C", "3"}, args...)...)
		return out, code
	}
	return theirs, ours
}

func TestMCSysInfoAndWatchdogMatchIpmitoolOnBMCSim(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmitool")
	theirs, ours := mcPeerPair(t, func(*ipmi.Request) *ipmi.Response { return nil })
	same := func(args ...string) {
		t.Helper()
		want, wcode := theirs(args...)
		got, gcode := ours(args...)
		if got != want || (gcode == 0) != (wcode == 0) {
			t.Errorf("%v: ipmictl exit %d\n%q\nipmitool exit %d\n%q", args, gcode, got, wcode, want)
		}
	}
	for _, p := range []string{"system_fw_version", "system_name", "primary_os_name", "os_name"} {
		same("mc", "getsysinfo", p)
	}
	// Written by ipmitool, read by both; written by us, read by both.
	long := "Debian GNU/Linux 13 (trixie) kernel 6.12"
	theirs("mc", "setsysinfo", "os_name", long)
	same("mc", "getsysinfo", "os_name")
	if _, code := ours("mc", "setsysinfo", "primary_os_name", "FreeBSD 14.2-RELEASE-p1 amd64"); code != 0 {
		t.Fatalf("setsysinfo: exit %d", code)
	}
	same("mc", "getsysinfo", "primary_os_name")
	same("mc", "getenables")
	same("mc", "watchdog", "off")
	same("mc", "watchdog", "get") // stopped: eight bytes, present countdown 0
}

// Each self-test answer, printed by ipmitool and by us, with the exit
// status ipmitool gives it.
func TestMCSelfTestMatchesIpmitool(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmitool")
	var reply atomic.Pointer[[]byte]
	theirs, ours := mcPeerPair(t, func(r *ipmi.Request) *ipmi.Response {
		if r.NetFn == ipmi.NetFnApp && r.Cmd == 0x04 {
			return &ipmi.Response{Data: *reply.Load()}
		}
		return nil
	})
	for _, r := range [][]byte{{0x55, 0x00}, {0x56, 0x00}, {0x57, 0xff}, {0x57, 0x28}, {0x58, 0x3c}, {0xff, 0x00}, {0x60, 0x0a}} {
		reply.Store(&r)
		want, wcode := theirs("mc", "selftest")
		got, gcode := ours("mc", "selftest")
		if got != want {
			t.Errorf("self test % x: ipmictl\n%q\nipmitool\n%q", r, got, want)
		}
		if (gcode == 0) != (wcode == 0) {
			t.Errorf("self test % x: ipmictl exit %d, ipmitool exit %d", r, gcode, wcode)
		}
	}
}
