package peers

import (
	"fmt"
	"path/filepath"
)

// Lab is an ipmi_sim started outside a test, for humans
// (testdata/ipmisim/start.sh runs cmd/ipmisim, which uses it).
type Lab struct {
	Addr    string
	Port    int
	SOLPort int
	RunDir  string
	PID     int
	proc    *simProc
}

// StartLab starts ipmi_sim on 127.0.0.1:port (0 = any free port) with its
// console on solPort (0 = any free port), using runDir (wiped first).
func StartLab(runDir string, port, solPort int, opts ...Option) (*Lab, error) {
	dir, err := filepath.Abs(runDir)
	if err != nil {
		return nil, err
	}
	cfg := simConfig{runDir: dir, port: port, solPort: solPort}
	for _, o := range opts {
		o(&cfg)
	}
	p, err := launchSim(cfg)
	if err != nil {
		return nil, err
	}
	return &Lab{Addr: p.addr(), Port: p.port, SOLPort: p.solPort, RunDir: dir, PID: p.proc.pid(), proc: p}, nil
}

// Done is closed when ipmi_sim exits.
func (l *Lab) Done() <-chan struct{} { return l.proc.proc.done }

// Err describes how ipmi_sim exited, once Done is closed.
func (l *Lab) Err() error {
	return fmt.Errorf("ipmi_sim exited: %v\n%s", l.proc.proc.waitErr, l.proc.proc.log())
}

// Stop stops ipmi_sim and the console.
func (l *Lab) Stop() { l.proc.stop() }
