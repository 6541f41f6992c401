package interop_test

import (
	"net"
	"sync/atomic"
	"testing"
)

// relay forwards UDP between one client and a BMC and counts the
// client's requests, so tests can assert round-trip budgets without
// tcpdump.
type relay struct {
	Addr     string
	requests atomic.Int64
	replies  atomic.Int64
}

func startRelay(t *testing.T, bmc string) *relay {
	t.Helper()
	return startRelayTo(t, func() (net.Conn, error) { return net.Dial("udp", bmc) })
}

// startRelayTo relays to the socket dial returns (e.g. one created inside
// a network namespace).
func startRelayTo(t *testing.T, dial func() (net.Conn, error)) *relay {
	t.Helper()
	front, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	back, err := dial()
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{Addr: front.LocalAddr().String()}
	var client atomic.Pointer[net.UDPAddr]
	go func() {
		buf := make([]byte, 4096)
		for {
			n, from, err := front.ReadFromUDP(buf)
			if err != nil {
				return
			}
			client.Store(from)
			r.requests.Add(1)
			back.Write(buf[:n])
		}
	}()
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := back.Read(buf)
			if err != nil {
				return
			}
			if c := client.Load(); c != nil {
				r.replies.Add(1)
				front.WriteToUDP(buf[:n], c)
			}
		}
	}()
	t.Cleanup(func() { front.Close(); back.Close() })
	return r
}
