// Package udpproxy is a UDP relay for tests and benchmarks. It sits
// between IPMI clients and a BMC on loopback, counts every datagram in each
// direction, and can make the path hostile: drop, delay, duplicate,
// reorder or tamper with packets, on purpose and reproducibly (seeded).
package udpproxy

import (
	"errors"
	"math/rand"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Direction of a datagram.
type Direction int

const (
	ToServer Direction = iota // client → BMC
	ToClient                  // BMC → client
)

// Faults describes what happens to datagrams in one direction.
// Probabilities are 0..1.
type Faults struct {
	Loss      float64       // drop the datagram
	Duplicate float64       // send it twice
	Reorder   float64       // hold it back and send it after the next one
	Delay     time.Duration // added to every datagram
	Jitter    time.Duration // up to this much more, at random
	// Tamper, when set, may rewrite a datagram (return nil to leave it).
	// It runs on a copy; the proxy counts a change as tampered.
	Tamper func(d Direction, b []byte) []byte
	// Observe, when set, sees every datagram as it leaves the proxy, each
	// copy of a duplicate and a held one on its release included, so a
	// test can tell what really reached the other side. It must neither
	// keep nor change b.
	Observe func(d Direction, b []byte)
}

// Stats counts datagrams; each field is per direction [ToServer, ToClient].
type Stats struct {
	Received   [2]int64
	Forwarded  [2]int64
	Dropped    [2]int64
	Duplicated [2]int64
	Reordered  [2]int64
	Tampered   [2]int64
}

// Proxy relays between clients on its listening address and one upstream.
type Proxy struct {
	conn     *net.UDPConn
	upstream *net.UDPAddr

	mu      sync.Mutex
	faults  [2]Faults
	rng     *rand.Rand
	clients map[string]*client
	held    [2]*heldPacket
	sched   [2]*scheduler

	stats  [6][2]atomic.Int64
	closed chan struct{}
	wg     sync.WaitGroup
}

type client struct {
	addr *net.UDPAddr
	up   *net.UDPConn // one upstream socket per client, so replies route back
}

type heldPacket struct {
	b    []byte
	send func([]byte)
}

// New starts a proxy on listen (e.g. "127.0.0.1:0") relaying to upstream.
func New(listen, upstream string, seed int64) (*Proxy, error) {
	la, err := net.ResolveUDPAddr("udp", listen)
	if err != nil {
		return nil, err
	}
	ua, err := net.ResolveUDPAddr("udp", upstream)
	if err != nil {
		return nil, err
	}
	if !la.IP.IsLoopback() || !ua.IP.IsLoopback() {
		return nil, errors.New("udpproxy: only loopback addresses are allowed")
	}
	c, err := net.ListenUDP("udp", la)
	if err != nil {
		return nil, err
	}
	p := &Proxy{conn: c, upstream: ua, rng: rand.New(rand.NewSource(seed)),
		clients: map[string]*client{}, closed: make(chan struct{})}
	for d := range p.sched {
		p.sched[d] = newScheduler(p.closed)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.sched[d].run()
		}()
	}
	p.wg.Add(1)
	go p.serveClients()
	return p, nil
}

// Addr is where clients should send.
func (p *Proxy) Addr() *net.UDPAddr { return p.conn.LocalAddr().(*net.UDPAddr) }

// SetFaults changes the faults for one direction.
func (p *Proxy) SetFaults(d Direction, f Faults) {
	p.mu.Lock()
	p.faults[d] = f
	p.mu.Unlock()
}

// Stats returns a snapshot of the counters.
func (p *Proxy) Stats() Stats {
	var s Stats
	fields := []*[2]int64{&s.Received, &s.Forwarded, &s.Dropped, &s.Duplicated, &s.Reordered, &s.Tampered}
	for i, f := range fields {
		for d := 0; d < 2; d++ {
			f[d] = p.stats[i][d].Load()
		}
	}
	return s
}

// ResetStats zeroes the counters.
func (p *Proxy) ResetStats() {
	for i := range p.stats {
		for d := 0; d < 2; d++ {
			p.stats[i][d].Store(0)
		}
	}
}

const (
	statReceived = iota
	statForwarded
	statDropped
	statDuplicated
	statReordered
	statTampered
)

// Close stops the proxy and its upstream sockets.
func (p *Proxy) Close() error {
	select {
	case <-p.closed:
		return nil
	default:
	}
	close(p.closed)
	err := p.conn.Close()
	p.mu.Lock()
	for _, c := range p.clients {
		c.up.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *Proxy) serveClients() {
	defer p.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, from, err := p.conn.ReadFromUDP(buf)
		if err != nil {
			return
		}
		c, err := p.clientFor(from)
		if err != nil {
			continue
		}
		pkt := append([]byte(nil), buf[:n]...)
		p.relay(ToServer, pkt, func(b []byte) { c.up.Write(b) })
	}
}

func (p *Proxy) clientFor(from *net.UDPAddr) (*client, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.clients[from.String()]; ok {
		return c, nil
	}
	up, err := net.DialUDP("udp", nil, p.upstream)
	if err != nil {
		return nil, err
	}
	c := &client{addr: from, up: up}
	p.clients[from.String()] = c
	p.wg.Add(1)
	go p.serveUpstream(c)
	return c, nil
}

func (p *Proxy) serveUpstream(c *client) {
	defer p.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, err := c.up.Read(buf)
		if err != nil {
			select {
			case <-p.closed:
				return
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			// ICMP port unreachable surfaces as a read error on a
			// connected socket; the BMC may come back, so keep reading.
			if !errors.Is(err, net.ErrClosed) {
				continue
			}
			return
		}
		pkt := append([]byte(nil), buf[:n]...)
		p.relay(ToClient, pkt, func(b []byte) { p.conn.WriteToUDP(b, c.addr) })
	}
}

// relay applies the direction's faults and sends.
func (p *Proxy) relay(d Direction, pkt []byte, send func([]byte)) {
	p.stats[statReceived][d].Add(1)
	p.mu.Lock()
	f := p.faults[d]
	drop := f.Loss > 0 && p.rng.Float64() < f.Loss
	dup := f.Duplicate > 0 && p.rng.Float64() < f.Duplicate
	reorder := f.Reorder > 0 && p.rng.Float64() < f.Reorder
	delay := f.Delay
	if f.Jitter > 0 {
		delay += time.Duration(p.rng.Int63n(int64(f.Jitter)))
	}
	var release *heldPacket
	if !drop {
		if reorder && p.held[d] == nil {
			p.held[d] = &heldPacket{b: pkt, send: send}
			p.stats[statReordered][d].Add(1)
			p.mu.Unlock()
			return
		}
		release, p.held[d] = p.held[d], nil
	}
	p.mu.Unlock()
	if drop {
		p.stats[statDropped][d].Add(1)
		return
	}
	if f.Tamper != nil {
		if t := f.Tamper(d, append([]byte(nil), pkt...)); t != nil {
			pkt = t
			p.stats[statTampered][d].Add(1)
		}
	}
	emit := func(b []byte, send func([]byte)) {
		send(b)
		if f.Observe != nil {
			f.Observe(d, b)
		}
	}
	out := func() {
		emit(pkt, send)
		p.stats[statForwarded][d].Add(1)
		if dup {
			emit(pkt, send)
			p.stats[statDuplicated][d].Add(1)
		}
		if release != nil {
			emit(release.b, release.send)
			p.stats[statForwarded][d].Add(1)
		}
	}
	if delay > 0 {
		p.sched[d].after(delay, out)
		return
	}
	out()
}
