package interop

import (
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/internal/udpproxy"
)

// execCountOpenSessions makes the relay count RMCP+ Open Session Requests
// (payload type 0x10) on their way to the BMC.
func execCountOpenSessions(p *udpproxy.Proxy) *atomic.Int64 {
	var n atomic.Int64
	p.SetFaults(udpproxy.ToServer, udpproxy.Faults{Tamper: func(d udpproxy.Direction, b []byte) []byte {
		if len(b) > 5 && b[0] == 0x06 && b[3] == 0x07 && b[4] == 0x06 && b[5]&0x3F == 0x10 {
			n.Add(1)
		}
		return nil
	}})
	return &n
}

func TestExecFiftyCommandsOneSessionOnIPMISim(t *testing.T) {
	if testing.Short() {
		t.Skip("interop: -short")
	}
	peers.Require(t, "ipmi_sim", "ipmitool")
	sim := peers.StartIPMISim(t)
	proxy, err := udpproxy.New("127.0.0.1:0", sim.Addr, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	opens := execCountOpenSessions(proxy)
	want, errs, err := peers.Ipmitool(t, sim, "chassis", "power", "status")
	if err != nil {
		t.Fatalf("ipmitool: %v %s", err, errs)
	}

	lines := make([]string, 50)
	for i := range lines {
		lines[i] = "chassis power status"
	}
	script := clitest.WriteScript(t, lines...)
	proxy.ResetStats()
	start := time.Now()
	out, errOut, code := clitest.RunLive(t, "127.0.0.1", proxy.Addr().Port, "-U", "admin", "-P", "password", "-C", "3", "exec", script)
	execTime := time.Since(start)
	if code != 0 {
		t.Fatalf("exec: exit %d: %s", code, errOut)
	}
	if out != strings.Repeat(want, 50) {
		t.Errorf("exec output differs from 50 times ipmitool's %q:\n%s", want, out)
	}
	time.Sleep(50 * time.Millisecond)
	if n := opens.Load(); n != 1 {
		t.Errorf("50 commands through exec sent %d Open Session Requests, want 1", n)
	}
	execReqs := proxy.Stats().Received[udpproxy.ToServer]

	// The same 50 commands as 50 ipmitool processes, through the relay.
	opens.Store(0)
	proxy.ResetStats()
	args := append(sim.IpmitoolArgs(), "chassis", "power", "status")
	for i := range args[:len(args)-1] {
		if args[i] == "-p" {
			args[i+1] = strconv.Itoa(proxy.Addr().Port)
		}
	}
	start = time.Now()
	for i := 0; i < 50; i++ {
		got, err := exec.Command("ipmitool", args...).Output()
		if err != nil || string(got) != want {
			t.Fatalf("ipmitool run %d: %v %q", i, err, got)
		}
	}
	toolTime := time.Since(start)
	time.Sleep(50 * time.Millisecond)
	t.Logf("50 x chassis power status: exec %v (%d UDP requests, 1 session), ipmitool %v (%d UDP requests, %d sessions): %.1fx",
		execTime.Round(time.Millisecond), execReqs, toolTime.Round(time.Millisecond),
		proxy.Stats().Received[udpproxy.ToServer], opens.Load(), float64(toolTime)/float64(execTime))
	if opens.Load() != 50 {
		t.Errorf("the relay counted %d Open Session Requests from 50 ipmitool runs, want 50", opens.Load())
	}
	// The issue asks for 10x (make bench shows it); a loaded test machine
	// gets some slack.
	if toolTime < 4*execTime {
		t.Errorf("exec took %v, 50 ipmitool processes %v: want exec several times faster", execTime, toolTime)
	}
}
