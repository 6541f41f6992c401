package sol

import (
	"context"
	"encoding/binary"
	"errors"
	"math/rand"
	"sync"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// fakeBMC is an in-memory BMC end of the SOL payload with injected faults.
// It implements ipmi.Transport (the activation commands) and PayloadConn.
type fakeBMC struct {
	// Configuration, set before use.
	inboundSize  uint16 // reported in Activate Payload
	outChunk     int    // console characters per packet it sends
	rto          time.Duration
	loss         float64 // probability a packet (either way) is lost
	dup          float64 // probability a packet to the client is sent twice
	reorder      float64 // probability a packet to the client is held back behind the next
	acceptMax    int     // >0: accept at most this many characters per packet
	nackEvery    int     // >0: NACK every n-th data packet (accepting nothing)
	activateCode ipmi.CompletionCode
	statusActive bool   // what Get Payload Activation Status reports
	owner        uint32 // what Get Payload Instance Info reports

	mu          sync.Mutex
	rnd         *rand.Rand
	toClient    chan []byte
	closed      bool
	held        []byte // reordered packet waiting
	got         []byte // characters the host received
	events      []string
	maxData     int // largest data field seen from the client
	lastSeq     uint8
	lastAcc     uint8
	dataPackets int
	out         []byte // host output not yet acknowledged
	outSeq      uint8
	inflight    []byte
	flags       []uint8 // operation bytes seen on new packets
	deactivates int
	statusCalls int
	wake        chan struct{}
	stop        chan struct{}
	wg          sync.WaitGroup
}

func newFakeBMC(seed int64) *fakeBMC {
	return &fakeBMC{
		inboundSize: 32, outChunk: 255, rto: 15 * time.Millisecond,
		rnd:      rand.New(rand.NewSource(seed)),
		toClient: make(chan []byte, 64), wake: make(chan struct{}, 1), stop: make(chan struct{}),
		statusActive: true, owner: fakeSessionID,
	}
}

func (b *fakeBMC) start() {
	b.wg.Add(1)
	go b.retransmitter()
}

func (b *fakeBMC) shutdown() {
	close(b.stop)
	b.wg.Wait()
}

// Send answers the payload commands.
func (b *fakeBMC) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch req.Cmd {
	case cmdActivatePayload:
		if b.activateCode != 0 {
			return &ipmi.Response{Code: b.activateCode}, nil
		}
		d := make([]byte, 12)
		binary.LittleEndian.PutUint16(d[4:], b.inboundSize)
		binary.LittleEndian.PutUint16(d[6:], 255)
		binary.LittleEndian.PutUint16(d[8:], 623)
		return &ipmi.Response{Data: d}, nil
	case cmdDeactivatePayload:
		b.deactivates++
		return &ipmi.Response{}, nil
	case cmdGetPayloadInstanceInfo:
		d := make([]byte, 12)
		binary.LittleEndian.PutUint32(d, b.owner)
		return &ipmi.Response{Data: d}, nil
	case cmdGetPayloadActivation:
		b.statusCalls++
		act := byte(0)
		if b.statusActive {
			act = 1
		}
		return &ipmi.Response{Data: []byte{1, act, 0}}, nil
	}
	return &ipmi.Response{Code: ipmi.CodeInvalidCommand}, nil
}

func (b *fakeBMC) Close() error { return nil }

const fakeSessionID = 0x1234

// ID is our session's ID, as rmcp.Session reports it.
func (b *fakeBMC) ID() uint32 { return fakeSessionID }

func (b *fakeBMC) Payload(pt uint8) <-chan []byte { return b.toClient }

// SendPayload is a packet from the client.
func (b *fakeBMC) SendPayload(ctx context.Context, pt uint8, data []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return errors.New("closed")
	}
	if b.rnd.Float64() < b.loss {
		return nil
	}
	p, err := DecodePacket(data)
	if err != nil {
		b.events = append(b.events, "malformed")
		return nil
	}
	if p.Ack != 0 && p.Ack == b.outSeq && b.inflight != nil {
		acc := min(int(p.Accepted), len(b.out))
		b.out = b.out[acc:]
		b.inflight = nil
		if p.IsNACK() {
			b.events = append(b.events, "nacked")
		}
		b.push()
	}
	if p.Seq == 0 {
		return nil
	}
	b.maxData = max(b.maxData, len(p.Data))
	if p.Seq == b.lastSeq {
		b.toClientLocked((&Packet{Ack: p.Seq, Accepted: b.lastAcc}).Marshal())
		return nil
	}
	b.lastSeq = p.Seq
	b.dataPackets++
	b.flags = append(b.flags, p.Flags)
	if p.Flags&OpBreak != 0 {
		b.events = append(b.events, "break@"+string(b.got))
	}
	if b.nackEvery > 0 && b.dataPackets%b.nackEvery == 0 && len(p.Data) > 0 {
		b.lastAcc = 0
		b.toClientLocked((&Packet{Ack: p.Seq, Flags: StatusNACK}).Marshal())
		return nil
	}
	acc := len(p.Data)
	if b.acceptMax > 0 {
		acc = min(acc, b.acceptMax)
	}
	b.got = append(b.got, p.Data[:acc]...)
	b.lastAcc = uint8(acc)
	b.toClientLocked((&Packet{Ack: p.Seq, Accepted: uint8(acc)}).Marshal())
	return nil
}

// output queues host console output.
func (b *fakeBMC) output(s []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.out = append(b.out, s...)
	b.push()
}

// push sends the next chunk when none is in flight; mu is held.
func (b *fakeBMC) push() {
	if b.inflight != nil || len(b.out) == 0 {
		return
	}
	b.outSeq = b.outSeq%15 + 1
	n := min(len(b.out), b.outChunk)
	b.inflight = (&Packet{Seq: b.outSeq, Data: b.out[:n]}).Marshal()
	b.toClientLocked(b.inflight)
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// sendStatus sends an ACK-only packet with status flags.
func (b *fakeBMC) sendStatus(flags uint8) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.toClientLocked((&Packet{Flags: flags}).Marshal())
}

func (b *fakeBMC) toClientLocked(pkt []byte) {
	if b.closed || b.rnd.Float64() < b.loss {
		return
	}
	pkt = append([]byte(nil), pkt...)
	if b.held == nil && b.rnd.Float64() < b.reorder {
		b.held = pkt
		return
	}
	b.deliver(pkt)
	if b.rnd.Float64() < b.dup {
		b.deliver(pkt)
	}
	if b.held != nil {
		h := b.held
		b.held = nil
		b.deliver(h)
	}
}

func (b *fakeBMC) deliver(pkt []byte) {
	select {
	case b.toClient <- pkt:
	default: // a full queue loses the packet, as a UDP socket would
	}
}

// retransmitter resends the packet in flight every rto, and flushes a
// held-back packet so reordering never swallows the last one.
func (b *fakeBMC) retransmitter() {
	defer b.wg.Done()
	t := time.NewTicker(b.rto)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
		}
		b.mu.Lock()
		if b.held != nil {
			h := b.held
			b.held = nil
			b.deliver(h)
		}
		if b.inflight != nil {
			b.toClientLocked(b.inflight)
		}
		b.mu.Unlock()
	}
}

func (b *fakeBMC) snapshot() (got []byte, events []string, maxData int, flags []uint8) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]byte(nil), b.got...), append([]string(nil), b.events...), b.maxData, append([]uint8(nil), b.flags...)
}
