package cli

import (
	"sync"
	"syscall"
)

// MaxAutoFanout caps the automatic fan-out width. Real BMCs answer in
// milliseconds, so a fan-out is bound by round trips, not CPU: a host in
// flight costs a socket and about 100 KB (its command tree, session and
// buffers), and a thousand of them keep a fleet's latency overlapped
// without memory to speak of. --fanout sets any other width.
const MaxAutoFanout = 1024

// fdReserve are the descriptors kept for everything but the sessions:
// standard streams, the config and cache files, the Go runtime's.
const fdReserve = 64

var raiseOnce sync.Once
var openFiles uint64

// openFileLimit raises the soft RLIMIT_NOFILE to the hard limit (once)
// and returns it: each session in flight holds one UDP socket.
func openFileLimit() uint64 {
	raiseOnce.Do(func() {
		var rl syscall.Rlimit
		if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) != nil {
			openFiles = 1024
			return
		}
		if rl.Cur < rl.Max {
			raised := rl
			raised.Cur = rl.Max
			if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised) == nil {
				rl = raised
			}
		}
		openFiles = rl.Cur
	})
	return openFiles
}

// fanoutWidth is how many hosts run at once: --fanout when given (0 means
// automatic), else every host up to MaxAutoFanout and what the open-file
// limit allows.
func fanoutWidth(flag, hosts int) int {
	if flag > 0 {
		return min(flag, max(hosts, 1))
	}
	w := min(hosts, MaxAutoFanout)
	if fds := openFileLimit(); fds > fdReserve && uint64(w) > fds-fdReserve {
		w = int(fds - fdReserve)
	}
	return max(w, 1)
}
