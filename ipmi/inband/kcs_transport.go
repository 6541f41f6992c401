package inband

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// KCSOptions configure OpenKCS.
type KCSOptions struct {
	Base    uint16        // I/O port of the data register; 0: from SMBIOS
	Spacing uint8         // bytes between the registers; 0: from SMBIOS, else 1
	Timeout time.Duration // per try; 0 means DefaultKCSTimeout
	Retries int           // tries after a failed one; negative means none
}

// DefaultKCSTimeout bounds one KCS transaction.
const DefaultKCSTimeout = 5 * time.Second

// KCS drives a KCS system interface directly, without a kernel driver.
// It is safe for concurrent use: transactions take turns.
type KCS struct {
	ports   kcsPorts
	closer  io.Closer
	base    uint16
	spacing uint8
	timeout time.Duration
	retries int

	turn  chan struct{}   // one token: the right to use the interface
	dirty bool            // the last transaction failed mid-way; guarded by turn
	buf   [kcsMaxMsg]byte // guarded by turn
}

func newKCS(p kcsPorts, c io.Closer, base uint16, spacing uint8, o KCSOptions) *KCS {
	k := &KCS{ports: p, closer: c, base: base, spacing: spacing,
		timeout: o.Timeout, retries: max(o.Retries, 0), turn: make(chan struct{}, 1)}
	if k.timeout <= 0 {
		k.timeout = DefaultKCSTimeout
	}
	return k
}

// Base is the I/O port of the data register; the status/command register
// is Base+Spacing.
func (k *KCS) Base() uint16 { return k.base }

// Spacing is the distance between the two registers.
func (k *KCS) Spacing() uint8 { return k.spacing }

// Close releases the I/O port device.
func (k *KCS) Close() error { return k.closer.Close() }

// Send implements ipmi.Transport. Bridging is refused: it needs the Send
// Message / Get Message dance the kernel driver does.
func (k *KCS) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	msg, err := kcsRequest(req)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err // before anything is sent: a late reply is not waited for
	}
	select {
	case k.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-k.turn }()

	var last error
	for try := 0; try <= k.retries; try++ {
		if k.dirty {
			// Bring the interface back to idle; if even that fails, the
			// transaction below reports the state it finds.
			k.conn(ctx).abort()
		}
		n, err := k.conn(ctx).transact(msg, k.buf[:])
		if err == nil {
			k.dirty = false
			return kcsResponse(req, k.buf[:n])
		}
		k.dirty = true
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return nil, err
		}
		last = err
	}
	return nil, fmt.Errorf("inband: kcs at port 0x%x: %v: %d tries: %w", k.base, req, k.retries+1, last)
}

func (k *KCS) conn(ctx context.Context) *kcsConn {
	deadline := time.Now().Add(k.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	return &kcsConn{p: k.ports, ctx: ctx, deadline: deadline}
}
