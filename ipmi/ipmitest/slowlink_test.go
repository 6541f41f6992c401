package ipmitest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

type echo struct{}

func (echo) Send(context.Context, *ipmi.Request) (*ipmi.Response, error) {
	return &ipmi.Response{}, nil
}
func (echo) Close() error { return nil }

func TestSlowLinkCountsOverlap(t *testing.T) {
	l := &SlowLink{T: echo{}, Delay: 20 * time.Millisecond}
	start := time.Now()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { l.Send(context.Background(), &ipmi.Request{}) })
	}
	wg.Wait()
	if time.Since(start) < l.Delay {
		t.Errorf("answered before the delay")
	}
	if l.Peak() < 2 || l.Overlap() <= 1 {
		t.Errorf("peak %d, overlap %.2f for 4 requests sent together", l.Peak(), l.Overlap())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Send(ctx, &ipmi.Request{}); err == nil {
		t.Error("a cancelled send answered")
	}
}
