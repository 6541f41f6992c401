package peers

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// peerProcess is a peer program (ipmi_sim, goipmi-server) running in its own
// process group with its output in a log file.
type peerProcess struct {
	cmd     *exec.Cmd
	logPath string
	done    chan struct{} // closed when the process has exited
	waitErr error         // valid once done is closed

	mu      sync.Mutex
	stopped bool // stop was called
}

// startPeerProcess starts cmd with stdout and stderr going to logPath.
func startPeerProcess(cmd *exec.Cmd, logPath string) (*peerProcess, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	// Own process group for a clean group kill; SIGKILL if the test binary
	// dies without running its cleanups.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("peers: start %s: %w", cmd.Path, err)
	}
	p := &peerProcess{cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		logf.Close()
		close(p.done)
	}()
	return p, nil
}

func (p *peerProcess) pid() int { return p.cmd.Process.Pid }

func (p *peerProcess) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// diedAlone reports whether the process exited without being stopped.
func (p *peerProcess) diedAlone() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.stopped && !p.alive()
}

func (p *peerProcess) log() string {
	b, _ := os.ReadFile(p.logPath)
	return string(b)
}

// stop sends SIGTERM to the process group, SIGKILL after 3 s, and waits. It
// returns true if this first stop found the process already dead on its own
// (a crash worth reporting); later calls return false.
func (p *peerProcess) stop() (diedAlone bool) {
	p.mu.Lock()
	first := !p.stopped
	p.stopped = true
	p.mu.Unlock()
	if !first {
		<-p.done
		return false
	}
	if !p.alive() {
		return true
	}
	syscall.Kill(-p.pid(), syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(3 * time.Second):
		syscall.Kill(-p.pid(), syscall.SIGKILL)
		<-p.done
	}
	return false
}
