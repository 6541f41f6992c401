package udpproxy

import (
	"container/heap"
	"sync"
	"time"
)

// scheduler sends delayed datagrams of one direction in due-time order,
// ties in arrival order, from one goroutine. (A time.AfterFunc per
// datagram runs each send on its own goroutine, and those may overtake
// one another: equal delays would reorder packets, which a real path with
// a constant delay never does. Reordering is the Reorder fault's job.)
type scheduler struct {
	mu     sync.Mutex
	q      dueQueue
	seq    uint64
	wake   chan struct{}
	closed chan struct{}
}

type dueItem struct {
	due  time.Time
	seq  uint64
	send func()
}

type dueQueue []dueItem

func (q dueQueue) Len() int { return len(q) }
func (q dueQueue) Less(i, j int) bool {
	if !q[i].due.Equal(q[j].due) {
		return q[i].due.Before(q[j].due)
	}
	return q[i].seq < q[j].seq
}
func (q dueQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *dueQueue) Push(x any)   { *q = append(*q, x.(dueItem)) }
func (q *dueQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}

func newScheduler(closed chan struct{}) *scheduler {
	return &scheduler{wake: make(chan struct{}, 1), closed: closed}
}

// after queues send to run once d has passed.
func (s *scheduler) after(d time.Duration, send func()) {
	s.mu.Lock()
	s.seq++
	heap.Push(&s.q, dueItem{due: time.Now().Add(d), seq: s.seq, send: send})
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// run delivers until the proxy closes; what is still queued then is lost,
// as datagrams in flight are when a path goes down.
func (s *scheduler) run() {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		s.mu.Lock()
		var next func()
		wait := time.Hour
		if len(s.q) > 0 {
			if d := time.Until(s.q[0].due); d <= 0 {
				next = heap.Pop(&s.q).(dueItem).send
			} else {
				wait = d
			}
		}
		s.mu.Unlock()
		if next != nil {
			next()
			continue
		}
		timer.Reset(wait)
		select {
		case <-s.closed:
			return
		case <-s.wake:
		case <-timer.C:
		}
	}
}
