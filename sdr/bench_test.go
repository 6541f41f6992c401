package sdr_test

import (
	"context"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
	"github.com/ipmictl/ipmictl/rmcp"
	"github.com/ipmictl/ipmictl/sdr"
)

// benchSensorWalk is what `sensor list` does with a cold SDR cache, over
// a real RMCP+ session to a simulated BMC on loopback that answers each
// request 20 ms late (a BMC on a typical fleet): walk the repository,
// then read every sensor. window 1 is the one-request-at-a-time walk.
// It reports the requests per walk beside the time.
func benchSensorWalk(b *testing.B, window int) {
	bmc := bmcsim.New(bmcsim.WithSessionSlots(16))
	bmc.SetFaults(bmcsim.Faults{Delay: 20 * time.Millisecond})
	srv, err := bmcsim.Serve(bmc, "127.0.0.1:0", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	cfg := rmcp.NewConfig(srv.Addr().String())
	cfg.Username, cfg.Password, cfg.CipherSuite = "admin", []byte("password"), 3
	s, err := rmcp.Dial(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	c := ipmi.NewClient(s)
	b.ResetTimer()
	before := s.Stats().Requests
	for range b.N {
		win := ipmi.NewWindow(window)
		info, err := sdr.GetRepoInfo(ctx, c)
		if err != nil {
			b.Fatal(err)
		}
		repo, err := (&sdr.Walker{Client: c, Window: win}).Walk(ctx, info)
		if err != nil {
			b.Fatal(err)
		}
		var sensors []*sdr.Record
		for _, r := range repo.Records {
			if r.Sensor() != nil {
				sensors = append(sensors, r)
			}
		}
		_, err = ipmi.Collect(ctx, c, win, len(sensors), func(ctx context.Context, c *ipmi.Client, i int) (*sdr.Reading, error) {
			return sdr.ReadSensor(ctx, c, sensors[i])
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(s.Stats().Requests-before)/float64(b.N), "requests/op")
}

// BenchmarkSensorWalk20ms compares the one-at-a-time walk with the
// pipelined one (ipmi.DefaultWindow in flight) against a BMC 20 ms away.
func BenchmarkSensorWalk20ms(b *testing.B) {
	b.Run("sequential", func(b *testing.B) { benchSensorWalk(b, 1) })
	b.Run("pipelined", func(b *testing.B) { benchSensorWalk(b, ipmi.DefaultWindow) })
}
