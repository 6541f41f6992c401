package udpproxy

import (
	"net"
	"testing"
	"time"
)

// echoServer answers every datagram with the same bytes.
func echoServer(t *testing.T) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := c.ReadFromUDP(buf)
			if err != nil {
				return
			}
			c.WriteToUDP(buf[:n], from)
		}
	}()
	t.Cleanup(func() { c.Close() })
	return c
}

func dialProxy(t *testing.T, p *Proxy) *net.UDPConn {
	t.Helper()
	c, err := net.DialUDP("udp", nil, p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestRelaysAndCounts(t *testing.T) {
	srv := echoServer(t)
	p, err := New("127.0.0.1:0", srv.LocalAddr().String(), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c := dialProxy(t, p)
	buf := make([]byte, 64)
	for i := 0; i < 5; i++ {
		c.Write([]byte{byte(i)})
		c.SetReadDeadline(time.Now().Add(time.Second))
		n, err := c.Read(buf)
		if err != nil || n != 1 || buf[0] != byte(i) {
			t.Fatalf("echo %d: n=%d err=%v", i, n, err)
		}
	}
	s := p.Stats()
	if s.Forwarded != [2]int64{5, 5} || s.Dropped != [2]int64{} {
		t.Errorf("stats %+v, want 5 forwarded each way and none dropped", s)
	}
}

func TestLossDropsAboutTheRequestedShare(t *testing.T) {
	srv := echoServer(t)
	p, _ := New("127.0.0.1:0", srv.LocalAddr().String(), 42)
	defer p.Close()
	p.SetFaults(ToServer, Faults{Loss: 0.3})
	c := dialProxy(t, p)
	// Paced, so the kernel's socket buffers drop nothing themselves.
	for i := 0; i < 1000; i++ {
		c.Write([]byte{1})
		if i%50 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && p.Stats().Received[ToServer] < 1000 {
		time.Sleep(10 * time.Millisecond)
	}
	s := p.Stats()
	share := float64(s.Dropped[ToServer]) / float64(s.Received[ToServer])
	if s.Received[ToServer] < 900 || share < 0.23 || share > 0.37 {
		t.Errorf("dropped %d of %d received at 30%% loss", s.Dropped[ToServer], s.Received[ToServer])
	}
}

func TestTamperAndReorder(t *testing.T) {
	srv := echoServer(t)
	p, _ := New("127.0.0.1:0", srv.LocalAddr().String(), 7)
	defer p.Close()
	p.SetFaults(ToClient, Faults{Tamper: func(d Direction, b []byte) []byte { b[0] ^= 0xff; return b }})
	c := dialProxy(t, p)
	c.Write([]byte{0x0f})
	buf := make([]byte, 8)
	c.SetReadDeadline(time.Now().Add(time.Second))
	if n, err := c.Read(buf); err != nil || n != 1 || buf[0] != 0xf0 {
		t.Fatalf("tampered echo: n=%d err=%v b=%x", n, err, buf[0])
	}
	p.SetFaults(ToClient, Faults{})
	p.SetFaults(ToServer, Faults{Reorder: 1})
	c.Write([]byte{1}) // held back
	c.Write([]byte{2}) // also wants holding, but one is held: sent, then 1
	got := []byte{}
	for len(got) < 2 {
		c.SetReadDeadline(time.Now().Add(time.Second))
		n, err := c.Read(buf)
		if err != nil {
			t.Fatalf("reorder: %v after %v", err, got)
		}
		got = append(got, buf[:n]...)
	}
	if got[0] != 2 || got[1] != 1 {
		t.Errorf("order %v, want [2 1]", got)
	}
}

func TestRefusesNonLoopback(t *testing.T) {
	if _, err := New("0.0.0.0:0", "127.0.0.1:623", 1); err == nil {
		t.Error("listening on 0.0.0.0 was allowed")
	}
}
