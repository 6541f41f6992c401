//go:build linux

package peers

import (
	"fmt"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// inNetns runs fn on an OS thread that has joined the network namespace of
// process pid. Sockets created inside fn belong to that namespace and can be
// used from any goroutine afterwards. The thread is never unlocked, so the Go
// runtime discards it when fn returns instead of reusing it elsewhere.
func inNetns(pid int, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		f, err := os.Open(fmt.Sprintf("/proc/%d/ns/net", pid))
		if err != nil {
			errc <- err
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("peers: setns into the network namespace of pid %d: %w", pid, err)
			return
		}
		errc <- fn()
	}()
	return <-errc
}
