package ipmi_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
	"github.com/ipmictl/ipmictl/sdr"
)

// busyTransport answers "node busy" to the first busy sends, then OK.
type busyTransport struct {
	busy  int32
	sends atomic.Int32
}

func (b *busyTransport) Send(_ context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	if b.sends.Add(1) <= b.busy {
		return &ipmi.Response{Code: ipmi.CodeNodeBusy}, nil
	}
	return &ipmi.Response{Code: ipmi.CodeOK, Data: []byte{0x20}}, nil
}
func (b *busyTransport) Close() error { return nil }

func TestBusyRetried(t *testing.T) {
	ctx := context.Background()
	req := &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID}
	tr := &busyTransport{busy: 3}
	start := time.Now()
	data, err := ipmi.NewClient(tr).Do(ctx, req)
	if err != nil || len(data) != 1 || tr.sends.Load() != 4 {
		t.Fatalf("3 busy answers: %v %v after %d sends", data, err, tr.sends.Load())
	}
	if d := time.Since(start); d < 70*time.Millisecond || d > time.Second {
		t.Errorf("waited %v, want 10+20+40 ms and change", d)
	}
	// Raw retries too.
	tr = &busyTransport{busy: 2}
	if rsp, err := ipmi.NewClient(tr).Raw(ctx, req); err != nil || rsp.Code != ipmi.CodeOK {
		t.Errorf("Raw: %v %v", rsp, err)
	}
	// Always busy: six sends, then the busy answer as an error, in about
	// 310 ms.
	tr = &busyTransport{busy: 1 << 30}
	start = time.Now()
	_, err = ipmi.NewClient(tr).Do(ctx, req)
	var ce *ipmi.CompletionError
	if !errors.As(err, &ce) || ce.Code != ipmi.CodeNodeBusy || tr.sends.Load() != 6 {
		t.Errorf("always busy: %v after %d sends", err, tr.sends.Load())
	}
	if d := time.Since(start); d < 300*time.Millisecond || d > 2*time.Second {
		t.Errorf("always busy took %v", d)
	}
	// The context ends the waiting.
	tr = &busyTransport{busy: 1 << 30}
	cctx, cancel := context.WithTimeout(ctx, 25*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := ipmi.NewClient(tr).Do(cctx, req); !errors.As(err, &ce) || time.Since(start) > 200*time.Millisecond {
		t.Errorf("cancelled: %v after %v", err, time.Since(start))
	}
	// A policy of one try does not retry.
	tr = &busyTransport{busy: 1}
	c := ipmi.NewClient(tr)
	c.SetBusyRetry(ipmi.BusyRetry{Tries: 1})
	if _, err := c.Do(ctx, req); !errors.As(err, &ce) || tr.sends.Load() != 1 {
		t.Errorf("no-retry policy: %v after %d sends", err, tr.sends.Load())
	}
}

// An SDR walk (what "sdr list" does) against a BMC answering 10% of its
// requests "node busy" completes every time.
func TestSDRWalkThroughBusyBMC(t *testing.T) {
	walks := func(retry bool) int {
		b := bmcsim.New(bmcsim.WithSeed(10))
		b.SetFaults(bmcsim.Faults{BusyPercent: 10})
		tr := b.Transport("admin", ipmi.PrivilegeAdmin)
		defer tr.Close()
		c := ipmi.NewClient(tr)
		if !retry {
			c.SetBusyRetry(ipmi.BusyRetry{Tries: 1})
		}
		ok := 0
		for range 10 {
			info, err := sdr.GetRepoInfo(context.Background(), c)
			if err != nil {
				continue
			}
			w := &sdr.Walker{Client: c}
			if repo, err := w.Walk(context.Background(), info); err == nil && len(repo.Records) > 0 {
				ok++
			}
		}
		return ok
	}
	without := walks(false)
	with := walks(true)
	t.Logf("SDR walks at 10%% busy: %d/10 without busy retries, %d/10 with", without, with)
	if with != 10 {
		t.Errorf("%d of 10 SDR walks completed at 10%% busy, want 10", with)
	}
}
