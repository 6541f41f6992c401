package ipmi_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// slowBMC is a fake transport that answers after a latency (with some
// jitter, so answers come back out of order), counts the requests it has
// in hand at once, and can answer "node busy" or lose requests.
type slowBMC struct {
	latency time.Duration
	jitter  time.Duration
	// busyAbove: answer "node busy" while more than this many requests
	// are in hand (0: never).
	busyAbove int
	// lose, when set, decides whether a request is lost (the transport
	// then returns loseErr after lossDelay, as a timed-out session does).
	lose      func(n int64) bool
	lossDelay time.Duration

	mu       sync.Mutex
	inHand   int
	peak     int
	requests atomic.Int64
	busy     atomic.Int64
	rng      *rand.Rand
}

var errLost = errors.New("no answer (lost)")

func (b *slowBMC) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	n := b.requests.Add(1)
	b.mu.Lock()
	b.inHand++
	b.peak = max(b.peak, b.inHand)
	busy := b.busyAbove > 0 && b.inHand > b.busyAbove
	d := b.latency
	if b.jitter > 0 {
		if b.rng == nil {
			b.rng = rand.New(rand.NewPCG(1, 2))
		}
		d += time.Duration(b.rng.Int64N(int64(b.jitter)))
	}
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		b.inHand--
		b.mu.Unlock()
	}()
	if b.lose != nil && b.lose(n) {
		d = b.lossDelay
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
	}
	if b.lose != nil && b.lose(n) {
		return nil, errLost
	}
	if busy {
		b.busy.Add(1)
		return &ipmi.Response{Code: ipmi.CodeNodeBusy}, nil
	}
	// Echo the request's first byte, so a result can be matched to its job.
	return &ipmi.Response{Data: append([]byte{}, req.Data...)}, nil
}

func (b *slowBMC) Close() error { return nil }

func (b *slowBMC) Peak() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}

// echoJob sends one request carrying i and returns what came back.
func echoJob(ctx context.Context, c *ipmi.Client, i int) (int, error) {
	data, err := c.Do(ctx, &ipmi.Request{NetFn: ipmi.NetFnSensorEvent, Cmd: 0x2D, Data: []byte{byte(i)}})
	if err != nil {
		return 0, err
	}
	return int(data[0]), nil
}

// Results come back in request order although the answers arrive out of
// order, with the window's worth of requests in flight and the time that
// saves.
func TestPipelineOrderAndConcurrency(t *testing.T) {
	bmc := &slowBMC{latency: 10 * time.Millisecond, jitter: 10 * time.Millisecond}
	c := ipmi.NewClient(bmc)
	const n = 40
	start := time.Now()
	got, err := ipmi.Collect(context.Background(), c, nil, n, echoJob)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%d results, want %d", len(got), n)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("result %d is %d: out of order: %v", i, v, got)
		}
	}
	if p := bmc.Peak(); p != ipmi.DefaultWindow {
		t.Errorf("peak concurrency %d, want %d", p, ipmi.DefaultWindow)
	}
	if r := bmc.requests.Load(); r != n {
		t.Errorf("%d requests for %d jobs", r, n)
	}
	// One after the other: 40 × 15 ms on average = 600 ms; four at a time
	// about a quarter of that.
	if took > 350*time.Millisecond {
		t.Errorf("pipelined run took %v, want well under the sequential 600 ms", took)
	}
}

// A window of one is the sequential walk.
func TestPipelineWindowOne(t *testing.T) {
	bmc := &slowBMC{latency: time.Millisecond}
	got, err := ipmi.Collect(context.Background(), ipmi.NewClient(bmc), ipmi.NewWindow(1), 10, echoJob)
	if err != nil || len(got) != 10 {
		t.Fatal(got, err)
	}
	if p := bmc.Peak(); p != 1 {
		t.Errorf("peak concurrency %d with a window of 1", p)
	}
}

// The first error in index order is the one returned, with the results
// before it, even when a later job fails first; no job after it starts.
func TestPipelineFirstErrorInOrder(t *testing.T) {
	bmc := &slowBMC{latency: time.Millisecond}
	var ran sync.Map
	errAt := func(i int) error { return errors.New("job " + string(rune('0'+i)) + " failed") }
	job := func(ctx context.Context, c *ipmi.Client, i int) (int, error) {
		ran.Store(i, true)
		switch i {
		case 5:
			time.Sleep(30 * time.Millisecond) // fails last, but is first in order
			return 0, errAt(5)
		case 6:
			return 0, errAt(6)
		}
		return echoJob(ctx, c, i)
	}
	got, err := ipmi.Collect(context.Background(), ipmi.NewClient(bmc), nil, 20, job)
	if err == nil || err.Error() != errAt(5).Error() {
		t.Fatalf("error %v, want job 5's", err)
	}
	if len(got) != 5 {
		t.Errorf("%d results before the error, want 5: %v", len(got), got)
	}
	for i := 9; i < 20; i++ {
		if _, ok := ran.Load(i); ok {
			t.Errorf("job %d started after job 6 had failed", i)
		}
	}
}

// deliver returning false stops the run: nothing more starts, nothing
// still running outlives the call.
func TestPipelineStopEarly(t *testing.T) {
	bmc := &slowBMC{latency: 5 * time.Millisecond}
	var delivered []int
	err := ipmi.Pipeline(context.Background(), ipmi.NewClient(bmc), nil, 100, echoJob, func(i, v int) bool {
		delivered = append(delivered, v)
		return i < 3
	})
	if err != nil || len(delivered) != 4 {
		t.Fatalf("%v %v", delivered, err)
	}
	if r := bmc.requests.Load(); r > 4+ipmi.DefaultWindow {
		t.Errorf("%d requests sent for 4 wanted", r)
	}
	bmc.mu.Lock()
	defer bmc.mu.Unlock()
	if bmc.inHand != 0 {
		t.Errorf("%d requests still running after Pipeline returned", bmc.inHand)
	}
}

// A cancelled context ends the run with its error.
func TestPipelineContextCancelled(t *testing.T) {
	bmc := &slowBMC{latency: 20 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	got, err := ipmi.Collect(ctx, ipmi.NewClient(bmc), nil, 100, echoJob)
	if !errors.Is(err, context.DeadlineExceeded) || len(got) >= 100 {
		t.Fatalf("%d results, %v", len(got), err)
	}
}

// A BMC that answers "node busy" beyond two requests in hand: the window
// shrinks to what it takes, the busy retries of the client deliver every
// answer, and far fewer busy answers are drawn than a fixed window of
// four would draw.
func TestPipelineShrinksOnBusy(t *testing.T) {
	run := func(w *ipmi.Window) (*slowBMC, []int, error) {
		bmc := &slowBMC{latency: 5 * time.Millisecond, jitter: 2 * time.Millisecond, busyAbove: 2}
		got, err := ipmi.Collect(context.Background(), ipmi.NewClient(bmc), w, 60, echoJob)
		return bmc, got, err
	}
	w := ipmi.NewWindow(0)
	bmc, got, err := run(w)
	if err != nil || len(got) != 60 {
		t.Fatalf("%d results, %v", len(got), err)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("result %d is %d", i, v)
		}
	}
	if w.Shrinks() == 0 || w.Size() > 3 {
		t.Errorf("window %d after %d shrinks: it did not adapt", w.Size(), w.Shrinks())
	}
	adaptive := bmc.busy.Load()
	// The same BMC with a window that cannot shrink below 4 (a fresh
	// window for every job is the fixed semaphore the exporter had).
	fixed := &slowBMC{latency: 5 * time.Millisecond, jitter: 2 * time.Millisecond, busyAbove: 2}
	c := ipmi.NewClient(fixed)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := 0; i < 60; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			echoJob(context.Background(), c, i)
		}()
	}
	wg.Wait()
	if adaptive*2 > fixed.busy.Load() {
		t.Errorf("adaptive window drew %d busy answers, a fixed window of 4 %d", adaptive, fixed.busy.Load())
	}
	t.Logf("busy answers: adaptive %d, fixed %d; window now %d", adaptive, fixed.busy.Load(), w.Size())
}

// The window grows back, one step per run of clean answers, after the
// trouble is over.
func TestPipelineGrowsBack(t *testing.T) {
	w := ipmi.NewWindow(4)
	// Requests 1-8 lost (after a short wait): the window falls to 1.
	bmc := &slowBMC{latency: 2 * time.Millisecond, lossDelay: 30 * time.Millisecond,
		lose: func(n int64) bool { return n <= 8 }}
	c := ipmi.NewClient(bmc)
	if _, err := ipmi.Collect(context.Background(), c, w, 4, echoJob); err == nil {
		t.Fatal("lost requests gave no error")
	}
	for i := 0; i < 3 && w.Size() > 1; i++ {
		ipmi.Collect(context.Background(), c, w, 4, echoJob)
	}
	if w.Size() != 1 {
		t.Fatalf("window %d after losses, want 1", w.Size())
	}
	bmc.lose = nil
	// Back to 2, the size that last met trouble, takes 32 clean answers.
	if got, err := ipmi.Collect(context.Background(), c, w, 31, echoJob); err != nil || len(got) != 31 {
		t.Fatal(got, err)
	}
	if w.Size() != 1 {
		t.Errorf("window %d after 31 clean answers at 1, want still 1", w.Size())
	}
	if _, err := ipmi.Collect(context.Background(), c, w, 1, echoJob); err != nil {
		t.Fatal(err)
	}
	if w.Size() != 2 {
		t.Errorf("window %d after 32 clean answers at 1, want 2", w.Size())
	}
	if _, err := ipmi.Collect(context.Background(), c, w, 100, echoJob); err != nil {
		t.Fatal(err)
	}
	if w.Size() != 4 {
		t.Errorf("window %d after 100 clean answers, want back at 4", w.Size())
	}
}

// An answer that only came after a retransmission (much slower than the
// usual round trip) shrinks the window like a loss.
func TestPipelineSlowAnswerIsLoss(t *testing.T) {
	w := ipmi.NewWindow(4)
	bmc := &slowBMC{latency: 2 * time.Millisecond, lossDelay: 200 * time.Millisecond,
		lose: func(n int64) bool { return false }}
	c := ipmi.NewClient(bmc)
	if _, err := ipmi.Collect(context.Background(), c, w, 20, echoJob); err != nil {
		t.Fatal(err)
	}
	slow := &slowBMC{latency: 200 * time.Millisecond}
	// The same window over a transport whose next answers are slow.
	if _, err := ipmi.Collect(context.Background(), ipmi.NewClient(slow), w, 4, echoJob); err != nil {
		t.Fatal(err)
	}
	if w.Shrinks() == 0 || w.Size() >= 4 {
		t.Errorf("window %d after answers 100 times slower than usual", w.Size())
	}
}
