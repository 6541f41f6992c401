package udpproxy

import (
	"testing"
	"time"
)

// A constant delay keeps the datagrams in order both ways, however
// quickly they follow one another (only Reorder and Jitter reorder).
func TestDelayKeepsOrder(t *testing.T) {
	e := echoServer(t)
	p, err := New("127.0.0.1:0", e.LocalAddr().String(), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	p.SetFaults(ToServer, Faults{Delay: 3 * time.Millisecond})
	p.SetFaults(ToClient, Faults{Delay: 2 * time.Millisecond})
	c := dialProxy(t, p)
	const n = 100 // few enough that no socket buffer overflows
	for i := range n {
		c.Write([]byte{byte(i >> 8), byte(i)})
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 16)
	for want := range n {
		k, err := c.Read(buf)
		if err != nil {
			t.Fatalf("after %d datagrams: %v", want, err)
		}
		if got := int(buf[0])<<8 | int(buf[1]); k != 2 || got != want {
			t.Fatalf("datagram %d arrived as number %d", want, got)
		}
	}
}
