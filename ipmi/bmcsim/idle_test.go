package bmcsim_test

import (
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
	"github.com/ipmictl/ipmictl/rmcp"
)

// fakeClock is a settable clock for the BMC.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestIdleSessionExpiresDespiteSweeps: the LAN server asks SessionActive
// of every session every few seconds; asking must not count as activity,
// or no session ever times out and four abandoned logins fill the BMC.
// Traffic on one session keeps that session alone alive.
func TestIdleSessionExpiresDespiteSweeps(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	b := bmcsim.New(bmcsim.WithClock(clk.Now), bmcsim.WithSessionTimeout(60*time.Second), bmcsim.WithSessionSlots(2))
	be := b.Backend()
	admin, ok := be.LookupUser([]byte("admin"))
	if !ok {
		t.Fatal("no admin user")
	}
	open := func(id uint32) {
		t.Helper()
		if err := be.OpenSession(rmcp.ServerSession{ID: id, UserID: admin.ID, MaxPriv: ipmi.PrivilegeAdmin, IPMI20: true}); err != nil {
			t.Fatalf("open session %#x: %v", id, err)
		}
	}
	const busy, idle = 0x1111, 0x2222
	open(busy)
	open(idle)
	for range 14 { // 70 s in sweeps of 5 s
		clk.Advance(5 * time.Second)
		be.SessionActive(busy) // the server's sweep
		be.SessionActive(idle)
		if !be.TouchSession(busy) { // a packet on the busy session only
			t.Fatal("the busy session timed out")
		}
	}
	if be.SessionActive(idle) {
		t.Error("a session idle for 70 s (timeout 60 s) is still open: the sweep kept it alive")
	}
	if !be.SessionActive(busy) {
		t.Error("the busy session was closed")
	}
	if n := b.ActiveSessions(); n != 1 {
		t.Errorf("%d active sessions, want 1", n)
	}
	// The freed slot takes a new login.
	open(0x3333)
}
