package udpproxy

import (
	"sync"
	"testing"
	"time"
)

// Observe sees exactly the datagrams that leave the proxy: not the lost
// ones, both copies of a duplicate.
func TestObserveSeesWhatLeaves(t *testing.T) {
	srv := echoServer(t)
	p, err := New("127.0.0.1:0", srv.LocalAddr().String(), 7)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var mu sync.Mutex
	seen := map[Direction]int{}
	observe := func(d Direction, b []byte) {
		mu.Lock()
		seen[d]++
		mu.Unlock()
	}
	p.SetFaults(ToServer, Faults{Loss: 0.5, Observe: observe})
	p.SetFaults(ToClient, Faults{Duplicate: 1, Observe: observe})
	c := dialProxy(t, p)
	for i := range 40 {
		c.Write([]byte{byte(i)})
	}
	// Each echo that got through comes back twice.
	buf := make([]byte, 64)
	got := 0
	c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	for {
		if _, err := c.Read(buf); err != nil {
			break
		}
		got++
	}
	s := p.Stats()
	mu.Lock()
	defer mu.Unlock()
	if int64(seen[ToServer]) != s.Forwarded[ToServer] || s.Dropped[ToServer] == 0 || s.Forwarded[ToServer] == 0 {
		t.Errorf("observed %d datagrams to the server; proxy forwarded %d, dropped %d", seen[ToServer], s.Forwarded[ToServer], s.Dropped[ToServer])
	}
	if seen[ToClient] != 2*int(s.Forwarded[ToServer]) || got != seen[ToClient] {
		t.Errorf("observed %d datagrams to the client, client read %d; %d echoes each sent twice", seen[ToClient], got, s.Forwarded[ToServer])
	}
}
