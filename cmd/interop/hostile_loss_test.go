package interop

import (
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/internal/peers"
	"github.com/ipmictl/ipmictl/internal/udpproxy"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// hostileCommands are the read commands whose output must not change when
// the path loses packets.
var hostileCommands = [][]string{
	{"chassis", "power", "status"},
	{"sdr", "list"},
	{"sel", "list"},
	{"fru", "print"},
}

// hostileBmcsimLAN serves a bmcsim on loopback with a frozen clock, so its
// readings and SEL do not move between two runs of the same command.
func hostileBmcsimLAN(t *testing.T) string {
	t.Helper()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b := bmcsim.New(bmcsim.WithClock(func() time.Time { return at }), bmcsim.WithSessionSlots(16))
	srv, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv.Addr().String()
}

// hostileBMCs are the two BMCs every hostile-path test runs against.
func hostileBMCs(t *testing.T) map[string]string {
	peers.Require(t, "ipmi_sim")
	sim := peers.StartIPMISim(t)
	return map[string]string{"ipmi_sim": sim.Addr, "bmcsim": hostileBmcsimLAN(t)}
}

// With 30% of the datagrams lost each way (and some duplicated and
// reordered), every command prints what it prints on a clean path:
// retransmission hides the loss completely.
func TestHostileLossSameOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("hostile path: -short")
	}
	for name, addr := range hostileBMCs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			clean := hostileLAN{addr: addr, user: "admin", password: "password", suite: 3, timeout: time.Second, retries: 2}
			proxy, err := udpproxy.New("127.0.0.1:0", addr, 10)
			if err != nil {
				t.Fatal(err)
			}
			defer proxy.Close()
			// 30% lost, and of the rest some duplicated, reordered, jittered.
			faults := udpproxy.Faults{Loss: 0.3, Duplicate: 0.1, Reorder: 0.1, Jitter: 2 * time.Millisecond}
			proxy.SetFaults(udpproxy.ToServer, faults)
			proxy.SetFaults(udpproxy.ToClient, faults)
			// 0.51 chance a try fails: 16 tries leave 2e-5 per request.
			lossy := hostileLAN{addr: proxy.Addr().String(), user: "admin", password: "password", suite: 3,
				timeout: 40 * time.Millisecond, retries: 15}
			start := time.Now()
			var retrans uint64
			for _, c := range hostileCommands {
				want, errOut, code, _ := clean.run(t, c...)
				if code != 0 || want == "" {
					t.Fatalf("%v on a clean path: exit %d: %s", c, code, errOut)
				}
				got, errOut, code, st := lossy.run(t, c...)
				if code != 0 {
					t.Fatalf("%v with loss: exit %d: %s", c, code, errOut)
				}
				if got != want {
					t.Errorf("%v with loss prints\n%s\nclean path prints\n%s", c, got, want)
				}
				retrans += st.Retransmits
			}
			ps := proxy.Stats()
			t.Logf("%s: %v; dropped %d→BMC %d→client of %d/%d; %d retransmits", name, time.Since(start).Round(time.Millisecond),
				ps.Dropped[udpproxy.ToServer], ps.Dropped[udpproxy.ToClient], ps.Received[udpproxy.ToServer], ps.Received[udpproxy.ToClient], retrans)
			if ps.Dropped[udpproxy.ToServer] == 0 || ps.Dropped[udpproxy.ToClient] == 0 || ps.Duplicated[udpproxy.ToClient] == 0 ||
				ps.Reordered[udpproxy.ToClient] == 0 || retrans == 0 {
				t.Errorf("the proxy lost nothing: %+v", ps)
			}
		})
	}
}
