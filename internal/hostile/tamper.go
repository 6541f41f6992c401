package hostile

import (
	"math/rand"
	"slices"
	"sync"

	"github.com/ipmictl/ipmictl/internal/udpproxy"
)

// Kind is one way a Tamperer spoils a packet bound for the client.
type Kind int

const (
	FlipPayload   Kind = iota // flip one bit of the session payload
	FlipIntegrity             // flip one bit of the trailing integrity code
	Replay                    // send an older packet of the same session instead, one the client already got
	OtherSession              // send a packet of another session through this proxy instead
	numKinds
)

func (k Kind) String() string {
	return [...]string{"flip-payload", "flip-integrity", "replay", "other-session"}[k]
}

// historyLen is how many delivered packets per session are kept for replay.
const historyLen = 256

// Tamperer spoils a fraction of the established-session RMCP+ packets a
// BMC sends to its clients through a udpproxy. Handshake packets pass
// untouched, so a login is never what fails.
type Tamperer struct {
	mu      sync.Mutex
	rng     *rand.Rand
	rate    float64
	kinds   []Kind
	history map[uint32][][]byte // packets delivered unchanged, per session ID
	counts  [numKinds]int64
}

// NewTamperer spoils each eligible packet with probability rate, by one
// of kinds chosen at random (seeded, so a run is reproducible).
func NewTamperer(seed int64, rate float64, kinds ...Kind) *Tamperer {
	return &Tamperer{rng: rand.New(rand.NewSource(seed)), rate: rate, kinds: kinds, history: map[uint32][][]byte{}}
}

// Count is how many packets were spoiled by kind k.
func (t *Tamperer) Count(k Kind) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.counts[k]
}

// Total is how many packets were spoiled in all.
func (t *Tamperer) Total() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	var n int64
	for _, c := range t.counts {
		n += c
	}
	return n
}

// Faults returns udpproxy faults that apply t to BMC→client packets.
func (t *Tamperer) Faults() udpproxy.Faults {
	return udpproxy.Faults{Tamper: t.tamper}
}

func (t *Tamperer) tamper(d udpproxy.Direction, b []byte) []byte {
	if d != udpproxy.ToClient {
		return nil
	}
	p, ok := parseRMCPPlus(b)
	if !ok {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.kinds) == 0 || t.rng.Float64() >= t.rate {
		t.remember(p.sessionID, b)
		return nil
	}
	k := t.kinds[t.rng.Intn(len(t.kinds))]
	out := t.spoil(k, p, b)
	if out == nil {
		t.remember(p.sessionID, b)
		return nil
	}
	t.counts[k]++
	return out
}

func (t *Tamperer) remember(id uint32, b []byte) {
	h := append(t.history[id], append([]byte(nil), b...))
	if len(h) > historyLen {
		h = h[len(h)-historyLen:]
	}
	t.history[id] = h
}

// spoil returns the packet to send instead of b, or nil when k cannot
// apply yet (nothing to replay, no other session seen).
func (t *Tamperer) spoil(k Kind, p rmcpPlus, b []byte) []byte {
	switch k {
	case FlipPayload:
		if p.payloadN == 0 {
			return nil
		}
		i := p.payloadAt + t.rng.Intn(p.payloadN)
		b[i] ^= 1 << t.rng.Intn(8)
		return b
	case FlipIntegrity:
		if !p.authed {
			return nil
		}
		// The integrity code is the packet's tail: flip within its last 12 bytes.
		i := len(b) - 1 - t.rng.Intn(12)
		b[i] ^= 1 << t.rng.Intn(8)
		return b
	case Replay:
		h := t.history[p.sessionID]
		if len(h) == 0 {
			return nil
		}
		return append([]byte(nil), h[t.rng.Intn(len(h))]...)
	case OtherSession:
		var ids []uint32
		for id, h := range t.history {
			if id != p.sessionID && len(h) > 0 {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids) // map order would make a seeded run irreproducible
		var others [][]byte
		for _, id := range ids {
			h := t.history[id]
			others = append(others, h[len(h)-1])
		}
		if len(others) == 0 {
			return nil
		}
		return append([]byte(nil), others[t.rng.Intn(len(others))]...)
	}
	return nil
}
