package inband

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// The KCS system interface (IPMI v2.0 section 9): a data register and a
// status/command register, driven one byte at a time.

const (
	kcsOBF       = 0x01 // output buffer full: the BMC wrote a byte
	kcsIBF       = 0x02 // input buffer full: the BMC has not taken our byte
	kcsStateMask = 0xc0

	kcsStateIdle  = 0x00
	kcsStateRead  = 0x40
	kcsStateWrite = 0x80
	kcsStateError = 0xc0

	kcsCmdGetStatusAbort = 0x60
	kcsCmdWriteStart     = 0x61
	kcsCmdWriteEnd       = 0x62
	kcsReadByte          = 0x68

	kcsMaxMsg = 3 + ipmiMaxMsgLength // netfn/lun, cmd, cc and data
)

// kcsPorts reads and writes the two KCS registers.
type kcsPorts interface {
	readData() (byte, error)
	writeData(byte) error
	readStatus() (byte, error)
	writeCommand(byte) error
}

// KCSError is a KCS protocol failure: the BMC went to an unexpected state
// or did not move in time.
type KCSError struct {
	Phase  string
	Status byte // the status register when it happened
}

func (e *KCSError) Error() string {
	return fmt.Sprintf("inband: kcs: %s (status 0x%02x, state %s)", e.Phase, e.Status, kcsStateName(e.Status))
}

var errKCSTimeout = errors.New("kcs: the BMC did not move in time")

func kcsStateName(st byte) string {
	return [...]string{"idle", "read", "write", "error"}[st>>6]
}

// kcsConn runs transactions over ports; its caller serializes them.
type kcsConn struct {
	p        kcsPorts
	ctx      context.Context
	deadline time.Time
}

// wait polls the status register until done(status) or the deadline.
// BMCs answer in microseconds, so it spins first and then backs off.
func (k *kcsConn) wait(what string, done func(byte) bool) (byte, error) {
	pause := 10 * time.Microsecond
	for i := 0; ; i++ {
		st, err := k.p.readStatus()
		if err != nil {
			return 0, err
		}
		if done(st) {
			return st, nil
		}
		if err := k.ctx.Err(); err != nil {
			return st, err
		}
		if now := time.Now(); now.After(k.deadline) {
			if d, ok := k.ctx.Deadline(); ok && !now.Before(d) {
				return st, context.DeadlineExceeded // before ctx's timer says so
			}
			return st, fmt.Errorf("%w: waiting for %s (status 0x%02x)", errKCSTimeout, what, st)
		}
		if i >= 100 {
			time.Sleep(pause)
			pause = min(2*pause, 2*time.Millisecond)
		}
	}
}

func (k *kcsConn) waitIBFClear() (byte, error) {
	return k.wait("IBF=0", func(st byte) bool { return st&kcsIBF == 0 })
}

func (k *kcsConn) waitOBFSet() (byte, error) {
	return k.wait("OBF=1", func(st byte) bool { return st&kcsOBF != 0 })
}

func (k *kcsConn) clearOBF(st byte) error {
	if st&kcsOBF != 0 {
		_, err := k.p.readData()
		return err
	}
	return nil
}

// writeStep waits for the BMC to take a byte and checks it is still in
// the write state.
func (k *kcsConn) writeStep(phase string) error {
	st, err := k.waitIBFClear()
	if err != nil {
		return err
	}
	if st&kcsStateMask != kcsStateWrite {
		return &KCSError{Phase: phase, Status: st}
	}
	return k.clearOBF(st)
}

// transact writes msg (netfn/lun, cmd, data) and reads the reply into buf.
func (k *kcsConn) transact(msg, buf []byte) (int, error) {
	st, err := k.waitIBFClear()
	if err != nil {
		return 0, err
	}
	if err := k.clearOBF(st); err != nil {
		return 0, err
	}
	if err := k.p.writeCommand(kcsCmdWriteStart); err != nil {
		return 0, err
	}
	if err := k.writeStep("after WRITE_START"); err != nil {
		return 0, err
	}
	for _, b := range msg[:len(msg)-1] {
		if err := k.p.writeData(b); err != nil {
			return 0, err
		}
		if err := k.writeStep("writing the request"); err != nil {
			return 0, err
		}
	}
	if err := k.p.writeCommand(kcsCmdWriteEnd); err != nil {
		return 0, err
	}
	if err := k.writeStep("after WRITE_END"); err != nil {
		return 0, err
	}
	if err := k.p.writeData(msg[len(msg)-1]); err != nil {
		return 0, err
	}

	n := 0
	for {
		// The BMC may still be in the write state while it works on the
		// request; wait for it to leave it.
		st, err := k.wait("the reply", func(st byte) bool {
			return st&kcsIBF == 0 && st&kcsStateMask != kcsStateWrite
		})
		if err != nil {
			return 0, err
		}
		switch st & kcsStateMask {
		case kcsStateRead:
			if _, err := k.waitOBFSet(); err != nil {
				return 0, err
			}
			b, err := k.p.readData()
			if err != nil {
				return 0, err
			}
			if n >= len(buf) {
				return 0, &KCSError{Phase: fmt.Sprintf("reply longer than %d bytes", len(buf)), Status: st}
			}
			buf[n] = b
			n++
			if err := k.p.writeData(kcsReadByte); err != nil {
				return 0, err
			}
		case kcsStateIdle:
			if _, err := k.waitOBFSet(); err != nil {
				return 0, err
			}
			_, err := k.p.readData() // the dummy byte that ends the reply
			return n, err
		default:
			return 0, &KCSError{Phase: "reading the reply", Status: st}
		}
	}
}

// abort runs the KCS error exit (GET_STATUS/ABORT) so the next transaction
// starts from the idle state. It returns the BMC's status code.
func (k *kcsConn) abort() (byte, error) {
	if _, err := k.waitIBFClear(); err != nil {
		return 0, err
	}
	if err := k.p.writeCommand(kcsCmdGetStatusAbort); err != nil {
		return 0, err
	}
	st, err := k.waitIBFClear()
	if err != nil {
		return 0, err
	}
	if err := k.clearOBF(st); err != nil {
		return 0, err
	}
	if err := k.p.writeData(0); err != nil {
		return 0, err
	}
	if st, err = k.waitIBFClear(); err != nil {
		return 0, err
	}
	if st&kcsStateMask != kcsStateRead {
		return 0, &KCSError{Phase: "abort: not in the read state", Status: st}
	}
	if _, err := k.waitOBFSet(); err != nil {
		return 0, err
	}
	code, err := k.p.readData()
	if err != nil {
		return 0, err
	}
	if err := k.p.writeData(kcsReadByte); err != nil {
		return 0, err
	}
	if st, err = k.waitIBFClear(); err != nil {
		return 0, err
	}
	if st&kcsStateMask != kcsStateIdle {
		return code, &KCSError{Phase: "abort: not idle afterwards", Status: st}
	}
	if _, err := k.waitOBFSet(); err != nil {
		return code, err
	}
	_, err = k.p.readData()
	return code, err
}

// kcsRequest frames req for the system interface.
func kcsRequest(req *ipmi.Request) ([]byte, error) {
	if req.Transit != nil || (req.Target != nil && req.Target.Addr != ipmi.BMCSlaveAddr) {
		return nil, errors.New("inband: kcs: bridging (-t/-b) needs the kernel driver: use -I open")
	}
	if len(req.Data) > ipmiMaxMsgLength {
		return nil, fmt.Errorf("inband: kcs: %v: %d data bytes, at most %d", req, len(req.Data), ipmiMaxMsgLength)
	}
	msg := make([]byte, 0, 2+len(req.Data))
	msg = append(msg, uint8(req.NetFn)<<2|req.LUN&3, req.Cmd)
	return append(msg, req.Data...), nil
}

// kcsResponse checks a reply against its request.
func kcsResponse(req *ipmi.Request, b []byte) (*ipmi.Response, error) {
	if len(b) < 3 {
		return nil, &ipmi.FormatError{What: "KCS reply", Offset: len(b), Msg: fmt.Sprintf("%d bytes, need 3", len(b))}
	}
	if ipmi.NetFn(b[0]>>2) != req.NetFn.Response() || b[1] != req.Cmd {
		return nil, &ipmi.FormatError{What: "KCS reply", Offset: 0,
			Msg: fmt.Sprintf("netfn 0x%02x cmd 0x%02x answers another request than %v", b[0]>>2, b[1], req)}
	}
	return &ipmi.Response{Code: ipmi.CompletionCode(b[2]), Data: append([]byte(nil), b[3:]...)}, nil
}
