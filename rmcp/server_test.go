package rmcp

import (
	"context"
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// lockedBackend is fuzzBackend made safe for a served socket.
type lockedBackend struct {
	mu sync.Mutex
	fuzzBackend
}

func (b *lockedBackend) ServeIPMI(ctx context.Context, id uint32, req *ipmi.Request) *ipmi.Response {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.fuzzBackend.ServeIPMI(ctx, id, req)
}
func (b *lockedBackend) SessionSlotFree() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.fuzzBackend.SessionSlotFree()
}
func (b *lockedBackend) OpenSession(s ServerSession) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.fuzzBackend.OpenSession(s)
}
func (b *lockedBackend) CloseSession(id uint32) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fuzzBackend.CloseSession(id)
}
func (b *lockedBackend) SessionActive(id uint32) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.fuzzBackend.SessionActive(id)
}
func (b *lockedBackend) TouchSession(id uint32) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.fuzzBackend.TouchSession(id)
}

func startTestServer(t *testing.T) *Server {
	t.Helper()
	conn, err := ListenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(&lockedBackend{fuzzBackend: fuzzBackend{open: map[uint32]bool{}}}, conn, nil)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	t.Cleanup(func() { srv.Close() })
	return srv
}

// TestServerStrictIntegrity: a tampered packet is dropped and counted
// before it is decoded, and a replayed one is dropped as a replay.
func TestServerStrictIntegrity(t *testing.T) {
	for _, c := range []struct {
		name  string
		v     Version
		suite int
	}{{"suite 3", V20, 3}, {"suite 17", V20, 17}, {"suite 12", V20, 12}, {"IPMI 1.5 MD5", V15, -1}} {
		t.Run(c.name, func(t *testing.T) {
			srv := startTestServer(t) // a server of its own: no stray answers
			cfg := NewConfig(srv.Addr().String())
			cfg.Version, cfg.CipherSuite = c.v, c.suite
			cfg.Username, cfg.Password = "admin", []byte("password")
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			s, err := Dial(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			// The server reads one datagram at a time, in order: once it
			// has answered a request sent now (one try, no retransmission),
			// it has also answered every handshake retransmission a slow
			// login left in its socket, so none is counted below.
			if _, err := s.sendOnce(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: ipmi.CmdGetDeviceID}, 10*time.Second, 1); err != nil {
				t.Fatal(err)
			}
			msg := lanMsg{DstAddr: 0x20, NetFn: uint8(ipmi.NetFnApp), SrcAddr: 0x81, Seq: 9, Cmd: ipmi.CmdGetDeviceID}
			s.wmu.Lock()
			var pkt []byte
			if c.v == V15 {
				pkt = s.out.seal15(nil, msg.append(nil))
			} else {
				pkt, err = s.out.seal20(nil, PayloadIPMI, msg.append(nil), rand.Reader)
			}
			s.wmu.Unlock()
			if err != nil {
				t.Fatal(err)
			}
			before := srv.Stats()
			for i := range len(pkt) - 16 {
				bad := append([]byte(nil), pkt...)
				bad[16+i] ^= 0x01
				s.conn.Write(bad)
			}
			s.conn.Write(pkt)
			s.conn.Write(pkt) // replay
			waitFor(t, func() bool {
				return srv.Stats().Answered >= before.Answered+1 && srv.Stats().Dropped >= before.Dropped+uint64(len(pkt)-16)+1
			})
			st := srv.Stats()
			if got := st.Answered - before.Answered; got != 1 {
				t.Errorf("%d answers to %d tampered, one good and one replayed packet", got, len(pkt)-16)
			}
			if st.BadIntegrity == before.BadIntegrity {
				t.Error("no tampered packet was counted as failing integrity")
			}
		})
	}
}

// waitFor polls cond; the limit is generous because a loaded machine
// (race detector, other test binaries) can stall the server for seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	const limit = 20 * time.Second
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("condition not reached in %v", limit)
}

func TestServerASFPing(t *testing.T) {
	srv := startTestServer(t)
	p, err := Ping(context.Background(), srv.Addr().String(), time.Second, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !p.IPMI || p.IANA != asfIANA {
		t.Errorf("pong %+v", p)
	}
}
