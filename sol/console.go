package sol

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// PayloadConn carries payloads of another type than IPMI messages over an
// RMCP+ session; *rmcp.Session implements it. Payload must return the same
// channel on every call and close it when the session ends.
type PayloadConn interface {
	SendPayload(ctx context.Context, payloadType uint8, data []byte) error
	Payload(payloadType uint8) <-chan []byte
}

// Defaults for Config.
const (
	DefaultRetryInterval = time.Second
	DefaultRetries       = 7
	// DefaultKeepalive is shorter than the 30 s many BMCs (ipmi_sim among
	// them) wait before they drop an idle session.
	DefaultKeepalive  = 20 * time.Second
	DefaultReadBuffer = 1 << 20
	// defaultMaxData is used when the BMC reports an inbound payload size
	// too small to carry a character (ipmi_sim reports 32).
	defaultMaxData = 28
	writeBuffer    = 64 << 10
	nackBackoff    = 50 * time.Millisecond
	closeFlush     = 2 * time.Second
	closeTimeout   = 3 * time.Second
	keepaliveFails = 3
)

// Config tunes a Console. The zero value is usable.
type Config struct {
	Instance      uint8         // SOL instance, 1-15 (0 means 1)
	RetryInterval time.Duration // wait for an ACK before sending again (default 1 s)
	Retries       int           // retransmissions before giving up (default 7)
	// Keepalive is the period of the keepalive that stops the BMC from
	// dropping a quiet session (default 20 s; negative disables it).
	Keepalive time.Duration
	// KeepaliveSOL sends an empty SOL packet as keepalive instead of Get
	// Payload Activation Status (which also notices a payload deactivated
	// by someone else).
	KeepaliveSOL bool
	// ReadBuffer bounds console output not yet Read (default 1 MiB). When
	// it is full the Console holds back its ACK, so the BMC waits.
	ReadBuffer int
	// HandshakeOnData: see ActivateOptions.
	HandshakeOnData bool
	// Logf, when set, receives protocol events (retransmissions, NACKs).
	Logf func(format string, a ...any)
}

// Stats counts protocol events; useful for tests and -v output.
type Stats struct {
	BytesIn, BytesOut       int64 // console characters received / accepted by the BMC
	PacketsIn, PacketsOut   int64
	Retransmits             int64 // our packets sent again after a timeout
	NACKs                   int64 // our packets the BMC NACKed
	PartialAccepts          int64 // our packets the BMC took only part of
	Duplicates              int64 // BMC packets received again (re-ACKed)
	Stale                   int64 // old BMC packets arriving late (ignored)
	Malformed               int64
	HeldAcks                int64 // ACKs held back because the read buffer was full
	Overruns                int64 // packets flagged "transmit overrun": the BMC dropped characters
	Breaks                  int64 // breaks the host sent
	Unavailable             bool  // last status: character transfer unavailable
	InboundMax, OutboundMax int   // characters per packet we use / the BMC announced
}

// Controls are the modem lines and flow control we ask the BMC to drive
// toward the host; they are repeated in every packet.
type Controls struct {
	CTSPause    bool // deassert CTS: the host should pause its output
	DCDDeassert bool // deassert DCD/DSR
	Ring        bool // assert RI (wake on ring)
}

func (k Controls) flags() uint8 {
	var f uint8
	if k.CTSPause {
		f |= OpCTSPause
	}
	if k.DCDDeassert {
		f |= OpDCDDeassert
	}
	if k.Ring {
		f |= OpRing
	}
	return f
}

// ErrClosed is returned by Write (and ends Read) after Close.
var ErrClosed = errors.New("sol: console closed")

// ErrNoAck: the BMC stopped acknowledging our packets.
var ErrNoAck = errors.New("sol: no acknowledgement from the BMC")

// Console is an active SOL payload as a byte stream: Read returns the host's
// console output, Write sends keystrokes. Read returns io.EOF once the BMC
// has deactivated the payload (Err tells why the stream ended). Close
// flushes pending keystrokes briefly, then deactivates the payload; it does
// not close the session. Read, Write and Close may be called concurrently.
type Console struct {
	client   *ipmi.Client
	pc       PayloadConn
	cfg      Config
	act      Activation
	instance uint8
	maxData  int
	in       <-chan []byte

	mu       sync.Mutex
	cond     *sync.Cond
	rx       bytes.Buffer
	tx       []byte
	breakAt  int // offset in tx where a break goes; -1 none
	controls Controls
	ctrlSent bool // controls changed since the last packet
	idle     bool // nothing queued or in flight
	err      error
	stats    Stats

	kick      chan struct{}
	quit      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// Open activates SOL on the client's session and starts the Console.
// Payload encryption and authentication follow the session (when pc
// reports them, as rmcp.Session does). A refused activation is an
// *ActivationError (errors.Is(err, ErrAlreadyActive) and so on).
func Open(ctx context.Context, c *ipmi.Client, pc PayloadConn, cfg Config) (*Console, error) {
	inst, err := checkInstance(cfg.Instance)
	if err != nil {
		return nil, err
	}
	// Subscribe first: the BMC may send console output right after the
	// activation response, and unsubscribed payloads are dropped.
	in := pc.Payload(PayloadTypeSOL)
	o := ActivateOptions{Instance: inst, HandshakeOnData: cfg.HandshakeOnData}
	if e, ok := pc.(interface{ Encrypted() bool }); ok {
		o.Encrypt = e.Encrypted()
	}
	if a, ok := pc.(interface{ Authenticated() bool }); ok {
		o.Authenticate = a.Authenticated()
	}
	act, err := Activate(ctx, c, o)
	if err != nil {
		return nil, err
	}
	return start(c, pc, in, cfg, inst, *act), nil
}

// start runs the protocol on an activated payload.
func start(c *ipmi.Client, pc PayloadConn, in <-chan []byte, cfg Config, inst uint8, act Activation) *Console {
	if cfg.RetryInterval <= 0 {
		cfg.RetryInterval = DefaultRetryInterval
	}
	if cfg.Retries <= 0 {
		cfg.Retries = DefaultRetries
	}
	if cfg.Keepalive == 0 {
		cfg.Keepalive = DefaultKeepalive
	}
	if cfg.ReadBuffer <= 0 {
		cfg.ReadBuffer = DefaultReadBuffer
	}
	con := &Console{
		client: c, pc: pc, cfg: cfg, act: act, instance: inst, in: in,
		maxData: clampInbound(act.InboundSize), breakAt: -1, idle: true, ctrlSent: true,
		kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{}),
	}
	con.cond = sync.NewCond(&con.mu)
	con.stats.InboundMax = con.maxData
	con.stats.OutboundMax = int(act.OutboundSize)
	l := &loop{con: con, ackFor: -1}
	con.idle = false // until the opening packet is acknowledged
	con.poke()
	go l.run()
	if cfg.Keepalive > 0 && (c != nil || cfg.KeepaliveSOL) {
		go con.keepalive()
	}
	return con
}

// clampInbound turns the BMC's inbound payload size (header included) into
// the characters we put in one packet: at least 1, at most 255 (the
// accepted count is one byte), a safe default for nonsense values.
func clampInbound(size uint16) int {
	if int(size) <= HeaderLen {
		return defaultMaxData
	}
	return min(int(size)-HeaderLen, MaxCharsPerPacket)
}

// Activation returns the BMC's activation answer.
func (c *Console) Activation() Activation { return c.act }

// Instance returns the active SOL instance.
func (c *Console) Instance() uint8 { return c.instance }

// Done is closed when the console has ended (deactivated, failed or closed).
func (c *Console) Done() <-chan struct{} { return c.done }

// Err returns why the console ended: ErrDeactivated, ErrNoAck, ErrClosed,
// a keepalive or send error; nil while it runs.
func (c *Console) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Stats returns a snapshot of the protocol counters.
func (c *Console) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// Read reads console output, blocking until some arrives or the console
// ends (io.EOF after deactivation or Close, otherwise the failure).
func (c *Console) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.rx.Len() == 0 && c.err == nil {
		c.cond.Wait()
	}
	if c.rx.Len() > 0 {
		full := c.rx.Len() >= c.cfg.ReadBuffer
		n, _ := c.rx.Read(p)
		if full {
			c.poke() // a held-back ACK can go now
		}
		return n, nil
	}
	if errors.Is(c.err, ErrDeactivated) || errors.Is(c.err, ErrClosed) {
		return 0, io.EOF
	}
	return 0, c.err
}

// Write queues keystrokes for the host. It blocks while 64 KiB are
// already waiting, and fails once the console has ended.
func (c *Console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for n < len(p) {
		for len(c.tx) >= writeBuffer && c.err == nil {
			c.cond.Wait()
		}
		if c.err != nil {
			return n, c.writeErr()
		}
		k := min(len(p)-n, writeBuffer-len(c.tx))
		c.tx = append(c.tx, p[n:n+k]...)
		c.idle = false
		n += k
		c.poke()
	}
	return n, nil
}

func (c *Console) writeErr() error {
	if errors.Is(c.err, ErrClosed) {
		return ErrClosed
	}
	return fmt.Errorf("sol: console ended: %w", c.err)
}

// SendBreak asks the BMC to send a break to the host, after the
// keystrokes already written.
func (c *Console) SendBreak() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.writeErr()
	}
	if c.breakAt < 0 {
		c.breakAt = len(c.tx)
	}
	c.idle = false
	c.poke()
	return nil
}

// SetControls changes the modem lines and flow control toward the host.
func (c *Console) SetControls(k Controls) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.writeErr()
	}
	if k != c.controls {
		c.controls = k
		c.ctrlSent = false
		c.idle = false
		c.poke()
	}
	return nil
}

// poke wakes the protocol loop; mu is held.
func (c *Console) poke() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// fail ends the console with err (the first reason wins).
func (c *Console) fail(err error) {
	c.mu.Lock()
	if c.err == nil {
		c.err = err
		c.logf("sol: console ends: %v", err)
	}
	c.cond.Broadcast()
	c.poke() // the loop notices and stops
	c.mu.Unlock()
}

func (c *Console) logf(format string, a ...any) {
	if c.cfg.Logf != nil {
		c.cfg.Logf(format, a...)
	}
}

// Close sends what is still queued (for up to 2 s), stops the protocol and
// deactivates the payload unless the BMC already did. It is safe to call
// more than once.
func (c *Console) Close() error {
	c.closeOnce.Do(func() {
		c.flush(closeFlush)
		c.fail(ErrClosed)
		close(c.quit)
		<-c.done
		c.mu.Lock()
		deactivated := errors.Is(c.err, ErrDeactivated)
		c.mu.Unlock()
		if c.client == nil || deactivated {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		defer cancel()
		if !c.stillOwner(ctx) {
			return // another session took the payload over: leave it alone
		}
		if err := Deactivate(ctx, c.client, c.instance); err != nil && !errors.Is(err, ErrAlreadyDeactivated) {
			c.closeErr = err
		}
	})
	return c.closeErr
}

// ownID is our session's ID as the BMC knows it, 0 when pc cannot tell.
func (c *Console) ownID() uint32 {
	if s, ok := c.pc.(interface{ ID() uint32 }); ok {
		return s.ID()
	}
	return 0
}

// stillOwner reports whether the instance is still ours: false only when
// Get Payload Instance Info names another session.
func (c *Console) stillOwner(ctx context.Context) bool {
	id := c.ownID()
	if id == 0 {
		return true
	}
	owner, err := InstanceOwner(ctx, c.client, c.instance)
	return err != nil || owner == 0 || owner == id
}

// flush waits until everything written has been acknowledged, the console
// ended, or d passed.
func (c *Console) flush(d time.Duration) {
	expired := false
	t := time.AfterFunc(d, func() {
		c.mu.Lock()
		expired = true
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer t.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for !c.idle && c.err == nil && !expired {
		c.cond.Wait()
	}
}

// keepalive asks for the payload status (or sends an empty SOL packet)
// every cfg.Keepalive until the console ends.
func (c *Console) keepalive() {
	t := time.NewTicker(c.cfg.Keepalive)
	defer t.Stop()
	fails, seenActive := 0, false
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
		}
		var err error
		if c.cfg.KeepaliveSOL {
			c.mu.Lock()
			ka := Packet{Flags: c.controls.flags()}
			c.mu.Unlock()
			err = c.pc.SendPayload(context.Background(), PayloadTypeSOL, ka.Marshal())
		} else {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			var st *ActivationStatus
			st, err = GetActivationStatus(ctx, c.client)
			cancel()
			if err == nil {
				active := st.IsActive(c.instance)
				if seenActive && !active {
					c.fail(ErrDeactivated)
					return
				}
				seenActive = seenActive || active
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				mine := !active || c.stillOwner(ctx)
				cancel()
				if !mine {
					c.fail(fmt.Errorf("%w: another session took it over", ErrDeactivated))
					return
				}
			}
		}
		if err == nil {
			fails = 0
			continue
		}
		if fails++; fails >= keepaliveFails {
			c.fail(fmt.Errorf("sol: no response to keepalive: %w", err))
			return
		}
	}
}
