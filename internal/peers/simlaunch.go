package peers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// simConfig describes one ipmi_sim instance.
type simConfig struct {
	runDir  string
	port    int // fixed UDP port (0 = pick a free one)
	solPort int // fixed console TCP port (0 = pick a free one)
	kg      string
	users   []simUser
	solBaud int
	timeout time.Duration
	ipv6    bool // listen on [::1] instead of 127.0.0.1
	dimms   []simDIMM
}

// simDIMM is an extra SPD FRU device with its locator record.
type simDIMM struct {
	id       uint8
	name     string
	instance uint8
	spd      []byte
}

type simUser struct {
	num            int
	name, password string
	priv           string
}

// simProc is a running ipmi_sim with its fake console; it knows nothing
// about testing so that cmd/ipmisim can use it too.
type simProc struct {
	cfg     simConfig
	port    int
	solPort int
	console *solConsole
	proc    *peerProcess
	polled  []polledSensor
}

const simName = "simbmc"

func (p *simProc) stateDir() string { return filepath.Join(p.cfg.runDir, "state") }
func (p *simProc) persistDir() string {
	return filepath.Join(p.stateDir(), "ipmi_sim", simName)
}

// launchSim prepares the run dir and starts console and simulator. It tries
// a few ports: another process may grab the port between the check and
// ipmi_sim's bind.
func launchSim(cfg simConfig) (*simProc, error) {
	if cfg.solBaud == 0 {
		cfg.solBaud = 115200
	}
	if cfg.timeout == 0 {
		cfg.timeout = 20 * time.Second
	}
	var lastErr error
	for range 3 {
		p, err := launchSimOnce(cfg)
		if err == nil {
			return p, nil
		}
		lastErr = err
		if !errors.Is(err, errPortShared) || cfg.port != 0 {
			break
		}
	}
	return nil, lastErr
}

var errPortShared = errors.New("UDP port shared with another socket")

func launchSimOnce(cfg simConfig) (*simProc, error) {
	lab, err := labDir()
	if err != nil {
		return nil, err
	}
	for _, tool := range []string{"ipmi_sim", "sdrcomp", "ipmitool"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("peers: %s not found", tool)
		}
	}
	if err := os.RemoveAll(cfg.runDir); err != nil {
		return nil, err
	}
	p := &simProc{cfg: cfg}
	ln, solPort, err := listenTCP(cfg.solPort)
	if err != nil {
		return nil, err
	}
	p.solPort = solPort
	if p.port, err = udpPort(cfg.port); err != nil {
		ln.Close()
		return nil, err
	}
	if err := p.writeRunDir(lab); err != nil {
		ln.Close()
		return nil, err
	}
	if p.console, err = startSOLConsole(ln, cfg.solBaud, filepath.Join(cfg.runDir, "sol_console.log")); err != nil {
		ln.Close()
		return nil, err
	}
	if err := p.startSim(); err != nil {
		p.console.Close()
		return nil, err
	}
	if err := p.waitReady(); err != nil {
		p.stop()
		return nil, err
	}
	if n := udpListeners(p.port); n != 1 {
		p.stop()
		return nil, fmt.Errorf("peers: port %d: %d sockets: %w", p.port, n, errPortShared)
	}
	if err := p.setSELTime(time.Now()); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}

func (p *simProc) writeRunDir(lab string) error {
	run := p.cfg.runDir
	for _, d := range []string{p.persistDir(), filepath.Join(run, "sensors"), filepath.Join(run, "lan")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	tmpl, err := os.ReadFile(filepath.Join(lab, "lan.conf.in"))
	if err != nil {
		return err
	}
	kgLine := ""
	if p.cfg.kg != "" {
		kgLine = fmt.Sprintf("bmc_key %q", p.cfg.kg)
	}
	var users strings.Builder
	for _, u := range p.cfg.users {
		fmt.Fprintf(&users, "  user %d true  %q %q %s 4\n", u.num, u.name, u.password, u.priv)
	}
	conf := strings.NewReplacer(
		"@PORT@", strconv.Itoa(p.port),
		"@SOLPORT@", strconv.Itoa(p.solPort),
		"@RUN@", run,
		"@LAB@", lab,
		"@BMC_KEY@", kgLine,
		"@EXTRA_USERS@", users.String(),
	).Replace(string(tmpl))
	if p.cfg.ipv6 {
		conf = strings.Replace(conf, "addr 127.0.0.1 ", "addr ::1 ", 1)
	}
	files := map[string][]byte{"lan.conf": []byte(conf)}
	for _, name := range []string{"bmc.emu", "sensors.emu", "sdr.sdrs"} {
		b, err := os.ReadFile(filepath.Join(lab, name))
		if err != nil {
			return err
		}
		files[name] = b
	}
	if err := p.addDIMMs(files); err != nil {
		return err
	}
	fru, err := labFRUImages()
	if err != nil {
		return err
	}
	for name, b := range fru {
		files[name] = b
	}
	if p.polled, err = readPolledSensors(lab); err != nil {
		return err
	}
	for _, s := range p.polled {
		files[s.file] = []byte(strconv.Itoa(s.raw*s.div) + "\n")
	}
	files["power"] = []byte("1\n")
	files["boot"] = []byte("none\n")
	files["state/ipmi_sim/"+simName+"/sel.20"] = []byte(labSELPersist(time.Now()))
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(run, name), b, 0o644); err != nil {
			return err
		}
	}
	// persist_sdr: ipmi_sim loads the main SDR repository from this file.
	// -8: 8-bit ASCII names (6-bit packing garbles FAN1, 12V, BMC).
	out, err := exec.Command("sdrcomp", "-8", "-o", filepath.Join(p.persistDir(), "sdr.20.main"),
		filepath.Join(run, "sdr.sdrs")).CombinedOutput()
	if err != nil {
		return fmt.Errorf("peers: sdrcomp: %v\n%s", err, out)
	}
	return nil
}

// addDIMMs adds the WithDIMM devices to the emulator commands and SDRs.
func (p *simProc) addDIMMs(files map[string][]byte) error {
	var emu, sdrs strings.Builder
	for _, d := range p.cfg.dimms {
		file := fmt.Sprintf("dimm%d.bin", d.id)
		files[file] = d.spd
		fmt.Fprintf(&emu, "mc_add_fru_data 0x20 %d %d file 0 %q\n", d.id, len(d.spd), file)
		fmt.Fprintf(&sdrs, "\nsdr type 0x11\n\tdevice_access_address 0x20\n\tfru_device_address %d\n"+
			"\tlogical_fru true\n\tlun 0\n\tchannel_number 0\n\tdevice_type 0x10\n\tdevice_type_modifier 1\n"+
			"\tfru_entity_id 32\n\tfru_entity_instance %d\n\tid_string %q\nendsdr\n", d.id, d.instance, d.name)
	}
	if emu.Len() == 0 {
		return nil
	}
	const enable = "mc_enable 0x20"
	bmc := string(files["bmc.emu"])
	if !strings.Contains(bmc, enable) {
		return fmt.Errorf("peers: bmc.emu has no %q", enable)
	}
	files["bmc.emu"] = []byte(strings.Replace(bmc, enable, emu.String()+enable, 1))
	files["sdr.sdrs"] = append(files["sdr.sdrs"], sdrs.String()...)
	return nil
}

func (p *simProc) startSim() error {
	cmd := exec.Command("ipmi_sim", "-c", "lan.conf", "-f", "bmc.emu", "-s", p.stateDir(), "-n")
	cmd.Dir = p.cfg.runDir
	proc, err := startPeerProcess(cmd, filepath.Join(p.cfg.runDir, "ipmi_sim.log"))
	if err != nil {
		return err
	}
	p.proc = proc
	os.WriteFile(filepath.Join(p.cfg.runDir, "ipmi_sim.pid"), []byte(strconv.Itoa(proc.pid())+"\n"), 0o644)
	return nil
}

func (p *simProc) host() string {
	if p.cfg.ipv6 {
		return "::1"
	}
	return "127.0.0.1"
}

func (p *simProc) addr() string { return net.JoinHostPort(p.host(), strconv.Itoa(p.port)) }

func (p *simProc) waitReady() error {
	deadline := time.Now().Add(p.cfg.timeout)
	var last error
	for time.Now().Before(deadline) {
		if !p.proc.alive() {
			return fmt.Errorf("peers: ipmi_sim exited during start-up (%v):\n%s", p.proc.waitErr, p.proc.log())
		}
		if last = probeAuthCaps(p.addr(), 200*time.Millisecond); last == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("peers: ipmi_sim did not answer on %s within %v (last: %v):\n%s", p.addr(), p.cfg.timeout, last, p.proc.log())
}

// ipmitoolArgs are the base flags for a lanplus admin session with suite 3
// (without -C, ipmitool first sends an RMCP+-framed request that ipmi_sim
// drops, costing 10 s).
func (p *simProc) ipmitoolArgs() []string {
	a := []string{"-I", "lanplus", "-C", "3", "-H", p.host(), "-p", strconv.Itoa(p.port), "-U", AdminUser, "-P", AdminPassword}
	if p.cfg.kg != "" {
		a = append(a, "-k", p.cfg.kg)
	}
	return a
}

func (p *simProc) runIpmitool(timeout time.Duration, args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ipmitool", append(p.ipmitoolArgs(), args...)...)
	var stdout, stderr strings.Builder
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("ipmitool %v: timed out after %v", args, timeout)
	}
	return stdout.String(), stderr.String(), err
}

// setSELTime sets the SEL clock, which starts at 1970 on every ipmi_sim
// start, so that new events carry wall-clock times.
func (p *simProc) setSELTime(t time.Time) error {
	n := uint32(t.Unix())
	args := []string{"raw", "0x0a", "0x49"}
	for i := range 4 {
		args = append(args, fmt.Sprintf("0x%02x", byte(n>>(8*i))))
	}
	var err error
	var stderr string
	for range 3 {
		if _, stderr, err = p.runIpmitool(20*time.Second, args...); err == nil {
			return nil
		}
	}
	return fmt.Errorf("peers: Set SEL Time: %v: %s", err, stderr)
}

// stop stops ipmi_sim and the console; it reports whether ipmi_sim had
// died on its own before (see peerProcess.stop).
func (p *simProc) stop() (diedAlone bool) {
	diedAlone = p.proc.stop()
	p.console.Close()
	return diedAlone
}
