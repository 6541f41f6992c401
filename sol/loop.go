package sol

import (
	"context"
	"fmt"
	"time"
)

// loop is the protocol state owned by the Console's one goroutine. Each
// direction is stop-and-wait: one of our packets is in flight until the
// BMC acknowledges it, and each BMC packet is acknowledged before the BMC
// sends the next.
type loop struct {
	con *Console

	// Our direction.
	seq      uint8  // last sequence number used (1-15)
	inflight []byte // encoded packet awaiting its ACK, nil when none
	inSeq    uint8  // its sequence number
	inData   []byte // its characters
	retries  int
	paused   bool // after a NACK: wait before sending the rest
	synced   bool // the opening empty packet has been sent
	timer    *time.Timer
	timerOn  bool

	// The BMC's direction.
	lastSeq uint8 // last BMC sequence number taken (0: none yet)
	lastAcc uint8 // characters accepted from it
	ackFor  int   // sequence number to acknowledge with the next packet, -1 none
	held    []byte
	heldSeq uint8
	heldOn  bool // lastSeq's ACK is held back until the reader makes room
	ctx     context.Context
}

func (l *loop) run() {
	c := l.con
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l.ctx = ctx
	defer close(c.done)
	l.timer = time.NewTimer(time.Hour)
	l.stopTimer()
	for {
		select {
		case <-c.quit:
			return
		case b, ok := <-c.in:
			if !ok {
				c.fail(fmt.Errorf("sol: session closed: %w", ErrDeactivated))
				return
			}
			l.receive(b)
		case <-c.kick:
			l.release()
			l.send()
		case <-l.timer.C:
			l.timerOn = false
			l.timeout()
		}
		if c.Err() != nil {
			return
		}
	}
}

func (l *loop) startTimer(d time.Duration) {
	l.stopTimer()
	l.timer.Reset(d)
	l.timerOn = true
}

func (l *loop) stopTimer() {
	if !l.timer.Stop() && l.timerOn {
		select {
		case <-l.timer.C:
		default:
		}
	}
	l.timerOn = false
}

// receive handles one SOL payload from the BMC.
func (l *loop) receive(b []byte) {
	c := l.con
	p, err := DecodePacket(b)
	c.mu.Lock()
	c.stats.PacketsIn++
	if err != nil {
		c.stats.Malformed++
		c.mu.Unlock()
		c.logf("sol: dropped: %v", err)
		return
	}
	c.mu.Unlock()
	if p.Ack != 0 && l.inflight != nil && p.Ack == l.inSeq {
		l.acked(p)
	}
	fresh := true
	if p.Seq != 0 {
		fresh = l.data(p)
	}
	if fresh {
		l.status(p)
	}
	l.send()
}

// acked settles our packet in flight: characters the BMC did not accept
// go back to the front of the queue and are sent under a new sequence
// number (a BMC treats a repeated number as a duplicate).
func (l *loop) acked(p *Packet) {
	c := l.con
	acc := min(int(p.Accepted), len(l.inData))
	rest := l.inData[acc:]
	c.mu.Lock()
	c.stats.BytesOut += int64(acc)
	if len(rest) > 0 {
		c.tx = append(append(make([]byte, 0, len(rest)+len(c.tx)), rest...), c.tx...)
		if c.breakAt >= 0 {
			c.breakAt += len(rest)
		}
		if p.IsNACK() {
			c.stats.NACKs++
		} else {
			c.stats.PartialAccepts++
		}
	}
	c.mu.Unlock()
	l.inflight, l.inData, l.retries = nil, nil, 0
	l.stopTimer()
	if p.IsNACK() {
		// The BMC cannot take more now; give it a moment.
		c.logf("sol: packet %d NACKed (%d of %d accepted)", p.Ack, acc, acc+len(rest))
		l.paused = true
		l.startTimer(nackBackoff)
	}
}

// data takes the characters of a BMC packet and schedules its ACK. It
// reports whether the packet is new (not a duplicate or a late one).
func (l *loop) data(p *Packet) bool {
	c := l.con
	if l.lastSeq != 0 {
		switch d := (int(p.Seq) - int(l.lastSeq) + 15) % 15; {
		case d == 0:
			c.mu.Lock()
			c.stats.Duplicates++
			c.mu.Unlock()
			if !l.heldOn {
				l.ackFor = int(p.Seq) // our ACK was lost: repeat it
			}
			return false
		case d > 7:
			c.mu.Lock()
			c.stats.Stale++
			c.mu.Unlock()
			return false
		}
	}
	l.lastSeq, l.heldOn = p.Seq, false
	c.mu.Lock()
	room := c.cfg.ReadBuffer - c.rx.Len()
	acc := min(len(p.Data), max(room, 0), MaxCharsPerPacket)
	if acc == 0 && len(p.Data) > 0 {
		// Reader far behind: hold the ACK so the BMC waits for us.
		l.held = append(l.held[:0], p.Data...)
		l.heldSeq, l.heldOn = p.Seq, true
		c.stats.HeldAcks++
		c.mu.Unlock()
		return true
	}
	c.rx.Write(p.Data[:acc])
	c.stats.BytesIn += int64(acc)
	c.cond.Broadcast()
	c.mu.Unlock()
	l.lastAcc, l.ackFor = uint8(acc), int(p.Seq)
	return true
}

// release acknowledges a held-back packet once the reader made room.
func (l *loop) release() {
	if !l.heldOn {
		return
	}
	c := l.con
	c.mu.Lock()
	room := c.cfg.ReadBuffer - c.rx.Len()
	if room <= 0 {
		c.mu.Unlock()
		return
	}
	acc := min(len(l.held), room, MaxCharsPerPacket)
	c.rx.Write(l.held[:acc])
	c.stats.BytesIn += int64(acc)
	c.cond.Broadcast()
	c.mu.Unlock()
	l.heldOn = false
	l.lastAcc, l.ackFor = uint8(acc), int(l.heldSeq)
}

// status notes the BMC's status bits of a new packet.
func (l *loop) status(p *Packet) {
	c := l.con
	c.mu.Lock()
	if p.Flags&StatusTransmitOverrun != 0 {
		c.stats.Overruns++
	}
	if p.Flags&StatusBreak != 0 {
		c.stats.Breaks++
	}
	c.stats.Unavailable = p.Flags&StatusUnavailable != 0
	c.mu.Unlock()
	if p.Flags&StatusDeactivating != 0 {
		l.send() // acknowledge what came with it
		c.fail(ErrDeactivated)
	}
}

// timeout resends the packet in flight, or ends a NACK pause.
func (l *loop) timeout() {
	c := l.con
	if l.paused {
		l.paused = false
		l.send()
		return
	}
	if l.inflight == nil {
		return
	}
	if l.retries >= c.cfg.Retries {
		c.fail(fmt.Errorf("%w: packet %d unacknowledged after %d retransmissions", ErrNoAck, l.inSeq, l.retries))
		return
	}
	l.retries++
	c.mu.Lock()
	c.stats.Retransmits++
	c.mu.Unlock()
	c.logf("sol: retransmitting packet %d (try %d)", l.inSeq, l.retries)
	l.write(l.inflight)
	l.startTimer(c.cfg.RetryInterval)
}

// send sends the next packet of queued characters (or a break or new
// controls) when none is in flight, carrying any pending ACK; otherwise
// it sends the pending ACK alone.
func (l *loop) send() {
	c := l.con
	p := Packet{}
	c.mu.Lock()
	p.Flags = c.controls.flags()
	if l.inflight == nil && !l.paused && c.err == nil {
		switch {
		case !l.synced:
			// Open with an empty packet: a BMC that kept the last sequence
			// number of an earlier session (ipmi_sim does) would take our
			// first characters for a duplicate and drop them.
			l.synced = true
			p.Seq = l.nextSeq()
		case c.breakAt == 0:
			p.Flags |= OpBreak
			c.breakAt = -1
			p.Seq = l.nextSeq()
		case len(c.tx) > 0:
			n := min(len(c.tx), l.con.maxData)
			if c.breakAt > 0 {
				n = min(n, c.breakAt)
				c.breakAt -= n
			}
			p.Data = append([]byte(nil), c.tx[:n]...)
			c.tx = c.tx[n:]
			if len(c.tx) == 0 {
				c.tx = nil
			}
			c.cond.Broadcast() // room for writers
			p.Seq = l.nextSeq()
		case !c.ctrlSent:
			p.Seq = l.nextSeq()
		}
		if p.Seq != 0 {
			c.ctrlSent = true
		}
	}
	c.mu.Unlock()
	if l.ackFor >= 0 {
		p.Ack, p.Accepted = uint8(l.ackFor), l.lastAcc
		l.ackFor = -1
	}
	if p.Seq == 0 && p.Ack == 0 {
		l.updateIdle()
		return
	}
	b := p.Marshal()
	if p.Seq != 0 {
		// A retransmission repeats the characters, not the piggybacked ACK.
		l.inflight = (&Packet{Seq: p.Seq, Flags: p.Flags, Data: p.Data}).Marshal()
		l.inSeq, l.inData, l.retries = p.Seq, p.Data, 0
		l.startTimer(c.cfg.RetryInterval)
	}
	l.write(b)
	l.updateIdle()
}

func (l *loop) nextSeq() uint8 {
	l.seq = l.seq%15 + 1
	return l.seq
}

func (l *loop) updateIdle() {
	c := l.con
	c.mu.Lock()
	idle := l.inflight == nil && len(c.tx) == 0 && c.breakAt < 0 && c.ctrlSent
	if idle != c.idle {
		c.idle = idle
		c.cond.Broadcast()
	}
	c.mu.Unlock()
}

func (l *loop) write(b []byte) {
	c := l.con
	c.mu.Lock()
	c.stats.PacketsOut++
	c.mu.Unlock()
	if err := c.pc.SendPayload(l.ctx, PayloadTypeSOL, b); err != nil {
		c.fail(fmt.Errorf("sol: sending: %w", err))
	}
}
