package hostile

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/internal/udpproxy"
)

// rakpWatch records the RAKP exchange passing a proxy: from RAKP 1 the
// console random, role and user name; from RAKP 2 the BMC random and the
// key exchange auth code, which must never be printed.
type rakpWatch struct {
	mu        sync.Mutex
	rakp1     [][]byte // payloads
	authCodes [][]byte
	bmcRand   [][]byte
}

func (w *rakpWatch) tamper(d udpproxy.Direction, b []byte) []byte {
	if len(b) < 16 || b[4] != 0x06 {
		return nil
	}
	payload := b[16:]
	w.mu.Lock()
	defer w.mu.Unlock()
	switch pt := b[5] & 0x3F; {
	case d == udpproxy.ToServer && pt == 0x12:
		w.rakp1 = append(w.rakp1, append([]byte(nil), payload...))
	case d == udpproxy.ToClient && pt == 0x13 && len(payload) > 40 && payload[1] == 0:
		w.bmcRand = append(w.bmcRand, append([]byte(nil), payload[8:24]...))
		w.authCodes = append(w.authCodes, append([]byte(nil), payload[40:]...))
	}
	return nil
}

// secrets returns every secret of the logins seen: the auth codes, and
// for a correct K_g the session integrity key SIK (HMAC-SHA1 with K_g
// over Rm | Rc | role | name length | name).
func (w *rakpWatch) secrets(kg string) [][]byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := append([][]byte(nil), w.authCodes...)
	for i, p1 := range w.rakp1 {
		if i >= len(w.bmcRand) || len(p1) < 28 {
			break
		}
		m := hmac.New(sha1.New, []byte(kg))
		m.Write(p1[8:24])     // console random
		m.Write(w.bmcRand[i]) // BMC random
		m.Write(p1[24:28])    // role, reserved, reserved, name length
		m.Write(p1[28:])      // user name
		out = append(out, m.Sum(nil))
	}
	return out
}

// leaks lists where text shows a secret: as text, or as hex in any of
// the usual spellings.
func leaks(text string, secrets map[string][]byte) []string {
	var found []string
	lower := strings.ToLower(text)
	for name, s := range secrets {
		if len(s) < 4 {
			continue
		}
		h := hex.EncodeToString(s)
		spaced := strings.TrimSpace(fmt.Sprintf("% x", s))
		for _, form := range []string{string(s), h, spaced, h[:16]} {
			if strings.Contains(text, form) || strings.Contains(lower, strings.ToLower(form)) {
				found = append(found, fmt.Sprintf("%s (as %q)", name, form))
				break
			}
		}
	}
	return found
}

// Neither the password nor K_g nor the RAKP 2 key exchange auth code nor
// the SIK appears in anything ipmictl prints, at any -v level, whether
// the login succeeds, the password is wrong or K_g is.
func TestSecretsNeverPrinted(t *testing.T) {
	peers.Require(t, "ipmi_sim")
	bin := peers.BuildIpmictl(t)
	const (
		user     = "secuser"
		password = "Pw-7f3Kq9-secret"
		wrongPw  = "Wrong-9xZt2-pass"
		kg       = "Kg-4Hd8s-bmc-key"
		wrongKg  = "Kg-wrong-Qp1e-ky"
	)
	sim := peers.StartIPMISim(t, peers.WithKg(kg), peers.WithUser(6, user, password, "admin"))
	p, err := udpproxy.New("127.0.0.1:0", sim.Addr, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	runs := []struct {
		name     string
		pw, key  string
		v        string
		succeeds bool
	}{
		{"right", password, kg, "-vvv", true},
		{"wrong password", wrongPw, kg, "-vvv", false},
		{"wrong K_g", password, wrongKg, "-vvv", false},
		{"wrong password quiet", wrongPw, kg, "", false},
		{"wrong K_g -v", password, wrongKg, "-v", false},
		{"right -vv v1.5", password, "", "-vv", true},
	}
	for _, r := range runs {
		w := &rakpWatch{}
		p.SetFaults(udpproxy.ToServer, udpproxy.Faults{Tamper: w.tamper})
		p.SetFaults(udpproxy.ToClient, udpproxy.Faults{Tamper: w.tamper})
		args := []string{"-H", "127.0.0.1", "-p", strconv.Itoa(p.Addr().Port), "-U", user, "-E", "-N", "1", "-R", "1",
			"--sdr-cache", "off"}
		if r.key != "" {
			args = append(args, "-k", r.key, "-C", "3")
		} else {
			args = append(args, "-I", "lan")
		}
		if r.v != "" {
			args = append(args, r.v)
		}
		args = append(args, "chassis", "power", "status")
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "IPMI_PASSWORD="+r.pw, "XDG_CONFIG_HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir())
		out, err := cmd.CombinedOutput()
		if (err == nil) != r.succeeds {
			t.Errorf("%s: err %v\n%s", r.name, err, out)
		}
		secrets := map[string][]byte{"password": []byte(password), "wrong password": []byte(wrongPw),
			"K_g": []byte(kg), "wrong K_g": []byte(wrongKg)}
		for i, s := range w.secrets(kg) {
			secrets[fmt.Sprintf("RAKP secret %d", i)] = s
		}
		if r.key != "" && len(w.authCodes) == 0 && r.pw == password {
			t.Errorf("%s: no RAKP 2 seen through the proxy", r.name)
		}
		if l := leaks(string(out), secrets); len(l) > 0 {
			t.Errorf("%s: output shows %v:\n%s", r.name, l, out)
		}
		if r.v == "-vvv" && len(out) < 200 {
			t.Errorf("%s: -vvv printed only %q: the check saw nothing", r.name, out)
		}
	}
}

// The password never sits in argv: not of ipmictl after it read -P (ps
// shows X's), not of the password_command child, and an error about the
// command does not echo what it printed on stdout.
func TestPasswordNotOnArgv(t *testing.T) {
	bin := peers.BuildIpmictl(t)
	const password = "Argv-Pw-8sK2m-secret"
	dir := t.TempDir()
	// A BMC that never answers: ipmictl stays in its first try for -N s.
	silent, err := udpproxy.New("127.0.0.1:0", "127.0.0.1:9", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	silent.SetFaults(udpproxy.ToServer, udpproxy.Faults{Loss: 1})
	port := strconv.Itoa(silent.Addr().Port)
	env := append(os.Environ(), "XDG_CONFIG_HOME="+dir, "XDG_CACHE_HOME="+dir)

	// -P: scrubbed from /proc/PID/cmdline once read.
	// The shell allows core dumps first (where the hard limit lets it), so
	// that only ipmictl itself can have turned them off.
	cmd := exec.Command("/bin/sh", "-c", `ulimit -S -c "$(ulimit -H -c)"; exec "$0" "$@"`, bin,
		"-H", "127.0.0.1", "-p", port, "-U", "admin", "-P", password, "-C", "3", "-N", "3", "-R", "0",
		"chassis", "power", "status")
	cmd.Env = env
	var errOut lockedBuffer
	cmd.Stdout, cmd.Stderr = &errOut, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cmdline := waitArgvScrubbed(cmd.Process.Pid, password, 2*time.Second)
	time.Sleep(100 * time.Millisecond) // past the shell's exec
	limits, _ := os.ReadFile(fmt.Sprintf("/proc/%d/limits", cmd.Process.Pid))
	cmd.Process.Kill()
	cmd.Wait()
	if strings.Contains(cmdline, password) {
		t.Errorf("/proc/PID/cmdline still shows the -P password: %q", cmdline)
	}
	if !strings.Contains(errOut.String(), "-P shows the password") {
		t.Errorf("no -P warning: %q", errOut.String())
	}
	if l := leaks(errOut.String(), map[string][]byte{"password": []byte(password)}); len(l) > 0 {
		t.Errorf("output shows %v", l)
	}
	if !coreLimitZero(string(limits)) {
		t.Errorf("core dumps are allowed (a dump would hold the password):\n%s", limits)
	}

	// password_command: its argv is the configured command, never the
	// password; and when it fails, the message does not repeat its stdout.
	argvLog := filepath.Join(dir, "argv")
	script := filepath.Join(dir, "pw.sh")
	os.WriteFile(script, []byte("#!/bin/sh\necho \"$0 $*\" >> "+argvLog+"\necho '"+password+"'\nexit \"${PWCMD_EXIT:-0}\"\n"), 0o700)
	conf := filepath.Join(dir, "config.yaml")
	os.WriteFile(conf, []byte("profiles:\n  bmc:\n    host: 127.0.0.1\n    port: "+port+"\n    username: admin\n    password_command: "+script+" --for bmc\n"), 0o600)
	for _, exit := range []string{"0", "3"} {
		cmd := exec.Command(bin, "--config", conf, "-H", "bmc", "-C", "3", "-N", "1", "-R", "0", "-vv", "chassis", "power", "status")
		cmd.Env = append(env, "PWCMD_EXIT="+exit)
		out, _ := cmd.CombinedOutput()
		if l := leaks(string(out), map[string][]byte{"password": []byte(password)}); len(l) > 0 {
			t.Errorf("password_command exit %s: output shows %v:\n%s", exit, l, out)
		}
		if exit == "3" && !strings.Contains(string(out), "password_command") {
			t.Errorf("a failing password_command is not reported: %s", out)
		}
	}
	logged, err := os.ReadFile(argvLog)
	if err != nil || !strings.Contains(string(logged), "--for bmc") {
		t.Fatalf("password_command did not run: %v %q", err, logged)
	}
	if strings.Contains(string(logged), password) {
		t.Errorf("password_command got the password on its argv: %q", logged)
	}
}

// waitArgvScrubbed reads the process's command line until the password
// is gone from it or the time is up, and returns the last one read.
func waitArgvScrubbed(pid int, password string, within time.Duration) string {
	deadline := time.Now().Add(within)
	for {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		s := strings.ReplaceAll(string(b), "\x00", " ")
		if !strings.Contains(s, password) || time.Now().After(deadline) {
			return s
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// coreLimitZero reads "Max core file size" from /proc/PID/limits.
func coreLimitZero(limits string) bool {
	for _, line := range strings.Split(limits, "\n") {
		if strings.HasPrefix(line, "Max core file size") {
			f := strings.Fields(strings.TrimPrefix(line, "Max core file size"))
			return len(f) >= 2 && f[0] == "0"
		}
	}
	return false
}
