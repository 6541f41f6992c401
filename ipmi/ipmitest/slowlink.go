// Package ipmitest holds transports for tests of code that speaks through
// an ipmi.Transport.
package ipmitest

import (
	"context"
	"sync"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// SlowLink holds every answer of T back by Delay, as a BMC on a network
// does, and counts the requests in hand at once.
type SlowLink struct {
	T     ipmi.Transport
	Delay time.Duration

	mu     sync.Mutex
	inHand int
	peak   int
	sends  int
	sum    int // of inHand at each send
}

// Overlap is the mean number of requests in hand as each was sent: 1 for
// one at a time, up to (1+window)/2 when pipelined (unlike wall time, a
// loaded machine hardly moves it).
func (l *SlowLink) Overlap() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return float64(l.sum) / float64(max(l.sends, 1))
}

// Peak is the most requests that were in hand at once.
func (l *SlowLink) Peak() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.peak
}

// Send waits Delay (or until ctx ends), then sends through T.
func (l *SlowLink) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	l.mu.Lock()
	l.inHand++
	l.peak = max(l.peak, l.inHand)
	l.sends++
	l.sum += l.inHand
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		l.inHand--
		l.mu.Unlock()
	}()
	t := time.NewTimer(l.Delay)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
	}
	return l.T.Send(ctx, req)
}

// Close does not close T.
func (l *SlowLink) Close() error { return nil }
