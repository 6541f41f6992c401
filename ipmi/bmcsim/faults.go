package bmcsim

import (
	"time"
)

// Faults are the failures a test can inject into one BMC at run time.
// The network faults (loss, delay, duplication, reordering, corruption)
// are applied by whatever carries the BMC's packets: the LAN server, or
// the in-process Transport for loss and delay.
type Faults struct {
	LossPercent      float64       // drop a datagram (request or response)
	Delay            time.Duration // hold each response back this long
	DuplicatePercent float64       // send a response twice
	ReorderPercent   float64       // hold a response back until after the next one
	CorruptPercent   float64       // flip a bit of a response's integrity code
	BusyPercent      float64       // answer 0xC0 (node busy) instead of executing
	ShortReads       int           // Get SDR / Read FRU Data return 0xCA beyond this many bytes (0 = off)
	ExhaustSessions  bool          // refuse every new session: no free slot
}

// SetFaults replaces the BMC's injected faults.
func (b *BMC) SetFaults(f Faults) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f.ShortReads = max(f.ShortReads, 0)
	b.faults = f
	b.sessions.exhausted = f.ExhaustSessions
}

// Faults returns the faults in force.
func (b *BMC) Faults() Faults {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.faults
}

// Fate is what the network does to one packet, decided by the BMC's
// seeded generator so a test with a fixed seed sees the same losses.
type Fate struct {
	Drop      bool
	Delay     time.Duration
	Duplicate bool
	Reorder   bool
	Corrupt   bool
}

// PacketFate draws the fate of one packet under the current faults.
func (b *BMC) PacketFate() Fate {
	b.mu.Lock()
	defer b.mu.Unlock()
	f := b.faults
	return Fate{
		Drop:      b.chance(f.LossPercent) || b.down(),
		Delay:     f.Delay,
		Duplicate: b.chance(f.DuplicatePercent),
		Reorder:   b.chance(f.ReorderPercent),
		Corrupt:   b.chance(f.CorruptPercent),
	}
}
