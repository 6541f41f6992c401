package inband

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// fakeKCS is the BMC side of a KCS interface, as IPMI v2.0 section 9.15
// describes it. Each byte the host writes keeps IBF set for busy status
// reads, so the host's waits are exercised.
type fakeKCS struct {
	mu       sync.Mutex
	state    byte
	obf      bool
	out      byte
	ibfReads int // status reads left before IBF clears
	busy     int
	stuck    bool // never clear IBF
	req      []byte
	lastNext bool
	resp     []byte
	pos      int
	failAt   int // put the interface in the error state at this request byte (1-based)
	handler  func(req []byte) []byte
	aborts   int
}

func (f *fakeKCS) took() { f.ibfReads = f.busy }

func (f *fakeKCS) readStatus() (byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.state
	if f.obf {
		st |= kcsOBF
	}
	if f.stuck || f.ibfReads > 0 {
		st |= kcsIBF
		f.ibfReads--
	}
	return st, nil
}

func (f *fakeKCS) readData() (byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.obf = false
	return f.out, nil
}

func (f *fakeKCS) emit(b byte) { f.out, f.obf = b, true }

func (f *fakeKCS) writeCommand(c byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.took()
	switch c {
	case kcsCmdWriteStart:
		f.state, f.req, f.lastNext = kcsStateWrite, nil, false
	case kcsCmdWriteEnd:
		if f.state == kcsStateWrite {
			f.lastNext = true
		}
	case kcsCmdGetStatusAbort:
		f.aborts++
		f.state, f.resp, f.pos = kcsStateWrite, []byte{0x01}, -1 // status code 01: aborted
		f.lastNext = false
		f.req = nil
	default:
		f.state = kcsStateError
	}
	return nil
}

func (f *fakeKCS) writeData(b byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.took()
	switch f.state {
	case kcsStateWrite:
		if f.pos == -1 { // the 0x00 of the abort sequence
			f.state, f.pos = kcsStateRead, 0
			f.emit(f.resp[0])
			return nil
		}
		f.req = append(f.req, b)
		if f.failAt > 0 && len(f.req) == f.failAt {
			f.failAt = 0
			f.state = kcsStateError
			return nil
		}
		if f.lastNext {
			f.resp, f.pos = f.handler(f.req), 0
			f.state = kcsStateRead
			f.emit(f.resp[0])
		}
	case kcsStateRead:
		if b != kcsReadByte {
			f.state = kcsStateError
			return nil
		}
		f.pos++
		if f.pos < len(f.resp) {
			f.emit(f.resp[f.pos])
		} else {
			f.state = kcsStateIdle
			f.emit(0)
		}
	default:
		f.state = kcsStateError
	}
	return nil
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }

// echoBMC answers every request with cc 0 and the request data reversed.
func echoBMC(req []byte) []byte {
	resp := []byte{(req[0]>>2 | 1) << 2, req[1], 0}
	for i := len(req) - 1; i >= 2; i-- {
		resp = append(resp, req[i])
	}
	return resp
}

func newFakeKCS(o KCSOptions) (*KCS, *fakeKCS) {
	f := &fakeKCS{busy: 2, handler: echoBMC}
	return newKCS(f, nopCloser{}, 0xca2, 1, o), f
}

func TestKCSRoundTrip(t *testing.T) {
	k, f := newFakeKCS(KCSOptions{})
	resp, err := k.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01, LUN: 2, Data: []byte{1, 2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Code != 0 || string(resp.Data) != "\x03\x02\x01" {
		t.Fatalf("got %+v", resp)
	}
	if got := f.req; len(got) != 5 || got[0] != 0x06<<2|2 || got[1] != 0x01 {
		t.Fatalf("BMC got request % x", got)
	}
	if f.state != kcsStateIdle {
		t.Fatalf("interface left in state %s", kcsStateName(f.state))
	}
	// A request with no data: the command byte is the last byte.
	if _, err := k.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnChassis, Cmd: 0x01}); err != nil {
		t.Fatal(err)
	}
}

func TestKCSErrorStateRetried(t *testing.T) {
	k, f := newFakeKCS(KCSOptions{Retries: 1})
	f.failAt = 2
	resp, err := k.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01, Data: []byte{7}})
	if err != nil {
		t.Fatal(err)
	}
	if f.aborts != 1 || string(resp.Data) != "\x07" {
		t.Fatalf("aborts %d, resp %+v", f.aborts, resp)
	}

	k, f = newFakeKCS(KCSOptions{Retries: -1})
	f.failAt = 1
	_, err = k.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01})
	var ke *KCSError
	if !errors.As(err, &ke) || ke.Status&kcsStateMask != kcsStateError {
		t.Fatalf("got %v, want a KCSError in the error state", err)
	}
}

func TestKCSTimeoutAndCancel(t *testing.T) {
	k, f := newFakeKCS(KCSOptions{Timeout: 50 * time.Millisecond, Retries: 1})
	f.stuck = true
	start := time.Now()
	_, err := k.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01})
	if !errors.Is(err, errKCSTimeout) {
		t.Fatalf("got %v, want a timeout", err)
	}
	if d := time.Since(start); d < 100*time.Millisecond || d > 2*time.Second {
		t.Fatalf("two tries of 50ms took %v", d)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	k.timeout = time.Hour
	if _, err := k.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x01}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the context's deadline", err)
	}
}

func TestKCSRejects(t *testing.T) {
	k, f := newFakeKCS(KCSOptions{})
	ctx := context.Background()
	if _, err := k.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 1, Target: &ipmi.Address{Addr: 0x82}}); err == nil {
		t.Error("bridged request accepted")
	}
	if _, err := k.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 1, Target: &ipmi.Address{Addr: ipmi.BMCSlaveAddr}}); err != nil {
		t.Errorf("request addressed to the BMC itself: %v", err)
	}
	f.handler = func([]byte) []byte { return []byte{0x1c, 0x02, 0} } // answers another command
	var fe *ipmi.FormatError
	if _, err := k.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 1}); !errors.As(err, &fe) {
		t.Errorf("mismatched reply: got %v", err)
	}
	f.handler = func([]byte) []byte { return []byte{0x1c} }
	if _, err := k.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 1}); !errors.As(err, &fe) {
		t.Errorf("one-byte reply: got %v", err)
	}
	f.handler = func([]byte) []byte { return make([]byte, kcsMaxMsg+1) }
	var ke *KCSError
	if _, err := k.Send(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 1}); !errors.As(err, &ke) {
		t.Errorf("overlong reply: got %v", err)
	}
}

func TestKCSConcurrent(t *testing.T) {
	k, _ := newFakeKCS(KCSOptions{})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				b := []byte{byte(g), byte(i)}
				resp, err := k.Send(context.Background(), &ipmi.Request{NetFn: ipmi.NetFnStorage, Cmd: 0x40, Data: b})
				if err != nil || len(resp.Data) != 2 || resp.Data[0] != b[1] || resp.Data[1] != b[0] {
					t.Errorf("goroutine %d request %d: %v %+v", g, i, err, resp)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func FuzzKCSResponse(f *testing.F) {
	f.Add(byte(0x06), byte(0x01), []byte{0x1c, 0x01, 0x00, 0x20})
	f.Add(byte(0x00), byte(0x01), []byte{0x04, 0x01, 0xc1})
	f.Add(byte(0x0a), byte(0x43), []byte{0x2c})
	f.Fuzz(func(t *testing.T, netfn, cmd byte, b []byte) {
		req := &ipmi.Request{NetFn: ipmi.NetFn(netfn & 0x3e), Cmd: cmd}
		resp, err := kcsResponse(req, b)
		if err != nil {
			return
		}
		if len(resp.Data) != len(b)-3 || byte(resp.Code) != b[2] || b[1] != cmd {
			t.Fatalf("% x decoded as %+v", b, resp)
		}
	})
}
