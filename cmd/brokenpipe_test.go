package cmd

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// TestBrokenPipeClosesSession: `ipmictl sdr list | head -1` used to die of
// SIGPIPE on its first write, leaving its BMC session open until the BMC
// timed it out; four such runs filled a 4-slot BMC. Now the session is
// closed, nothing more is printed, and the status is still 141.
func TestBrokenPipeClosesSession(t *testing.T) {
	bin := peers.BuildIpmictl(t)
	b := bmcsim.New(bmcsim.WithSessionSlots(4))
	srv, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	port := strconv.Itoa(int(srv.Addr().Port()))
	env := append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir(), "IPMI_PASSWORD=password")
	base := []string{"-I", "lanplus", "-U", "admin", "-E", "--sdr-cache", "off"}
	single := append([]string{"-H", "127.0.0.1", "-p", port}, base...)
	fanout := append([]string{"-H", "127.0.0.1:" + port + ",localhost:" + port}, base...)
	runs := [][]string{
		append(single, "sdr", "list"),
		append(single, "mc", "info"),
		append(single, "-o", "json", "fru", "print"),
		append(fanout, "chassis", "status"),
		append(single, "sel", "list"),
		append(fanout, "sdr", "list"),
	}
	for i, args := range runs {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close() // the reader is gone before the first write
		var errOut bytes.Buffer
		c := exec.Command(bin, args...)
		c.Env, c.Stdout, c.Stderr = env, w, &errOut
		start := time.Now()
		c.Run()
		w.Close()
		if code := c.ProcessState.ExitCode(); code != 141 {
			t.Errorf("run %d %v: exit %d (%v), want 141; stderr %q", i+1, args, code, c.ProcessState, errOut.String())
		}
		if errOut.Len() != 0 {
			t.Errorf("run %d: printed %q after stdout closed", i+1, errOut.String())
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("run %d took %v", i+1, d)
		}
		if n := b.ActiveSessions(); n != 0 {
			t.Errorf("run %d left %d sessions open on the BMC", i+1, n)
		}
	}
	var out, errOut bytes.Buffer
	c := exec.Command(bin, append(single, "mc", "info")...)
	c.Env, c.Stdout, c.Stderr = env, &out, &errOut
	if err := c.Run(); err != nil || !bytes.Contains(out.Bytes(), []byte("Device ID")) {
		t.Fatalf("login after %d broken pipes: %v\n%s%s", len(runs), err, out.String(), errOut.String())
	}
}
