package hostile

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/internal/udpproxy"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
	"github.com/ipmictl/ipmictl/rmcp"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/ipmictl/ipmictl/sel"
)

// Thirty-two goroutines share one session over a path that loses,
// duplicates and reorders datagrams: every answer matches what the same
// question got alone (no answer goes to the wrong caller), and the race
// detector finds nothing.
func TestManyGoroutinesShareOneSession(t *testing.T) {
	bmcs := map[string]string{}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv, err := bmcsim.Serve(bmcsim.New(bmcsim.WithClock(func() time.Time { return at })), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	bmcs["bmcsim"] = srv.Addr().String()
	if !testing.Short() {
		peers.Require(t, "ipmi_sim")
		bmcs["ipmi_sim"] = peers.StartIPMISim(t).Addr
	}
	for name, addr := range bmcs {
		t.Run(name, func(t *testing.T) {
			p, err := udpproxy.New("127.0.0.1:0", addr, 3)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			f := udpproxy.Faults{Loss: 0.1, Duplicate: 0.1, Reorder: 0.1}
			p.SetFaults(udpproxy.ToServer, f)
			p.SetFaults(udpproxy.ToClient, f)
			cfg := rmcp.NewConfig(p.Addr().String())
			cfg.Username, cfg.Password, cfg.CipherSuite = "admin", []byte("password"), 3
			cfg.Timeout, cfg.Retries = 80*time.Millisecond, 12
			ctx := context.Background()
			s, err := rmcp.Dial(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			c := ipmi.NewClient(s)
			var walk sync.Mutex
			// What each question gets alone.
			questions := []func() (any, error){
				func() (any, error) { return c.GetDeviceID(ctx) },
				func() (any, error) { return c.GetChassisStatus(ctx) },
				func() (any, error) { return sel.GetInfo(ctx, c) },
				func() (any, error) {
					// The repository has one reservation: walks at once
					// would cancel each other's (a BMC limit, not a
					// session one), so they take turns.
					walk.Lock()
					defer walk.Unlock()
					r, err := (&sdr.Loader{Client: c}).Load(ctx)
					if err != nil {
						return nil, err
					}
					return len(r.Records), nil
				},
			}
			want := make([]any, len(questions))
			for i, q := range questions {
				if want[i], err = q(); err != nil {
					t.Fatalf("question %d alone: %v", i, err)
				}
			}
			const goroutines, rounds = 32, 6
			var wg sync.WaitGroup
			errs := make(chan error, goroutines*rounds)
			for g := range goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for r := range rounds {
						i := (g + r) % len(questions)
						if i == len(questions)-1 && g >= 4 {
							i = 0 // only four goroutines walk the SDRs (in turn): they are slow
						}
						got, err := questions[i]()
						if err != nil {
							errs <- err
							continue
						}
						if !reflect.DeepEqual(got, want[i]) {
							t.Errorf("goroutine %d question %d: got %+v, alone %+v", g, i, got, want[i])
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("shared session: %v", err)
			}
			st := s.Stats()
			t.Logf("%s: %d requests, %d retransmits, %d dropped (other)", name, st.Requests, st.Retransmits, st.DroppedOther)
			if st.Retransmits == 0 {
				t.Error("the path lost nothing: the test proved little")
			}
		})
	}
}
