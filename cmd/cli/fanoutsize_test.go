package cli

import (
	"syscall"
	"testing"
)

func TestFanoutWidth(t *testing.T) {
	if got := fanoutWidth(8, 100); got != 8 {
		t.Errorf("--fanout 8 over 100 hosts: %d", got)
	}
	if got := fanoutWidth(64, 3); got != 3 {
		t.Errorf("--fanout 64 over 3 hosts: %d", got)
	}
	if got := fanoutWidth(0, 200); got != 200 {
		t.Errorf("automatic over 200 hosts: %d, want all of them at once", got)
	}
	if got := fanoutWidth(0, 50000); got > MaxAutoFanout {
		t.Errorf("automatic over 50000 hosts: %d, above the cap %d", got, MaxAutoFanout)
	}
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Fatal(err)
	}
	if rl.Cur != rl.Max {
		t.Errorf("soft open-file limit %d not raised to the hard limit %d", rl.Cur, rl.Max)
	}
	if w := uint64(fanoutWidth(0, 1<<20)); w+fdReserve > rl.Cur {
		t.Errorf("width %d leaves fewer than %d descriptors of %d", w, fdReserve, rl.Cur)
	}
}
