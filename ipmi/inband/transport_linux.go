package inband

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Transport sends requests through the Linux IPMI driver (/dev/ipmiN).
// It is safe for concurrent use: requests take turns, one in flight at a
// time, which is also what the system interface beneath does.
type Transport struct {
	f       *os.File
	rc      syscall.RawConn
	path    string
	timeout time.Duration
	retries int

	turn    chan struct{} // holds one token: the right to use the buffers below
	msgid   int           // last msgid sent; guarded by turn
	skipped int           // messages dropped as stale or unwanted; guarded by turn

	// Buffers the kernel reads and writes; guarded by turn. They live in
	// the heap-allocated Transport and are pinned around each ioctl.
	sendData [ipmiMaxMsgLength]byte
	recvData [ipmiMaxMsgLength]byte
	recvAddr ipmiAddr
	siAddr   ipmiSystemInterfaceAddr
	ipmbAddr ipmiIPMBAddr

	closeOnce sync.Once
	closeErr  error
}

// Open opens the Linux IPMI device that o names. Errors say why there is
// none (driver not loaded, no BMC, no permission): see DeviceError.
func Open(o Options) (*Transport, error) {
	f, err := openDevice(o)
	if err != nil {
		return nil, err
	}
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("inband: %s: %w", f.Name(), err)
	}
	// The runtime poller must own the descriptor, or deadlines cannot
	// interrupt a wait; every Linux char device the driver creates polls.
	if err := f.SetReadDeadline(time.Time{}); err != nil {
		f.Close()
		return nil, fmt.Errorf("inband: %s cannot be polled: %w", f.Name(), err)
	}
	t := &Transport{
		f: f, rc: rc, path: f.Name(),
		timeout: o.timeout(), retries: max(o.Retries, 0),
		turn: make(chan struct{}, 1),
	}
	return t, nil
}

// Path is the device node in use.
func (t *Transport) Path() string { return t.path }

// Close closes the device; a Send waiting for a reply returns an error.
func (t *Transport) Close() error {
	t.closeOnce.Do(func() { t.closeErr = t.f.Close() })
	return t.closeErr
}

// TimeoutError reports a request that got no reply in any of its tries.
type TimeoutError struct {
	Req   string
	Tries int
	Each  time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("inband: no reply to %s after %d tries of %v", e.Req, e.Tries, e.Each)
}

func (e *TimeoutError) Timeout() bool { return true }

var errTryTimeout = errors.New("try timed out")

// Send implements ipmi.Transport. req.Target addresses a controller on an
// IPMB channel, which the kernel reaches by bridging through the BMC.
func (t *Transport) Send(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	if req.Transit != nil {
		return nil, errors.New("inband: double bridging (-T/-B) is not supported in-band; use -t/-b")
	}
	if len(req.Data) > ipmiMaxMsgLength {
		return nil, fmt.Errorf("inband: %v: %d data bytes, the driver takes at most %d", req, len(req.Data), ipmiMaxMsgLength)
	}
	if err := ctx.Err(); err != nil {
		return nil, err // before anything is sent: a late reply is not waited for
	}
	select {
	case t.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-t.turn }()

	for try := 0; try <= t.retries; try++ {
		resp, err := t.exchange(ctx, req)
		if !errors.Is(err, errTryTimeout) {
			return resp, err
		}
	}
	return nil, &TimeoutError{Req: req.String(), Tries: t.retries + 1, Each: t.timeout}
}

// exchange sends req once and waits for the reply with the same msgid,
// dropping replies to earlier, timed-out tries and anything that is not a
// response.
func (t *Transport) exchange(ctx context.Context, req *ipmi.Request) (*ipmi.Response, error) {
	t.msgid++
	id := t.msgid
	if err := t.send(id, req); err != nil {
		return nil, err
	}

	deadline := time.Now().Add(t.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := t.f.SetReadDeadline(deadline); err != nil {
		return nil, fmt.Errorf("inband: %w", err)
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(fired)
		t.f.SetReadDeadline(time.Unix(1, 0)) // wake the waiting Read now
	})
	defer func() {
		if !stop() {
			<-fired // its deadline must not land on the next exchange
		}
	}()

	for {
		recvType, msgid, netfn, cmd, n, err := t.receive()
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded):
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, errTryTimeout
		case err != nil:
			return nil, fmt.Errorf("inband: %s: receive: %w", t.path, err)
		case recvType != ipmiResponseRecvType || msgid != id:
			t.skipped++ // an event, a command, or a stale reply
			continue
		case ipmi.NetFn(netfn) != req.NetFn.Response() || cmd != req.Cmd:
			return nil, fmt.Errorf("inband: reply to %v carries netfn 0x%02x cmd 0x%02x", req, netfn, cmd)
		case n == 0:
			return nil, &ipmi.FormatError{What: "in-band reply", Offset: 0, Msg: "no completion code"}
		}
		return &ipmi.Response{
			Code: ipmi.CompletionCode(t.recvData[0]),
			Data: append([]byte(nil), t.recvData[1:n]...),
		}, nil
	}
}

// send issues IPMICTL_SEND_COMMAND.
func (t *Transport) send(id int, req *ipmi.Request) error {
	r := ipmiReq{msgid: id, msg: ipmiMsg{
		netfn: uint8(req.NetFn), cmd: req.Cmd, dataLen: uint16(len(req.Data)),
	}}
	var pin runtime.Pinner
	defer pin.Unpin()
	if tg := req.Target; tg != nil && tg.Addr != ipmi.BMCSlaveAddr {
		t.ipmbAddr = ipmiIPMBAddr{addrType: ipmiIPMBAddrType, channel: int16(tg.Channel & 0x0f),
			slaveAddr: tg.Addr, lun: req.LUN & 3}
		pin.Pin(&t.ipmbAddr)
		r.addr, r.addrLen = unsafe.Pointer(&t.ipmbAddr), uint32(unsafe.Sizeof(t.ipmbAddr))
	} else {
		t.siAddr = ipmiSystemInterfaceAddr{addrType: ipmiSystemInterfaceAddrType,
			channel: ipmiBMCChannel, lun: req.LUN & 3}
		pin.Pin(&t.siAddr)
		r.addr, r.addrLen = unsafe.Pointer(&t.siAddr), uint32(unsafe.Sizeof(t.siAddr))
	}
	copy(t.sendData[:], req.Data)
	pin.Pin(&t.sendData[0])
	r.msg.data = unsafe.Pointer(&t.sendData[0])

	var errno syscall.Errno
	err := t.rc.Control(func(fd uintptr) {
		for {
			_, _, errno = unix.Syscall(unix.SYS_IOCTL, fd, ioctlSendCommand, uintptr(unsafe.Pointer(&r)))
			if errno != unix.EINTR {
				return
			}
		}
	})
	runtime.KeepAlive(&r)
	if err != nil {
		return fmt.Errorf("inband: %s: %w", t.path, err)
	}
	if errno != 0 {
		return fmt.Errorf("inband: %s: send %v: %w", t.path, req, errno)
	}
	return nil
}

// receive waits in the runtime poller until the driver has a message, and
// takes it with IPMICTL_RECEIVE_MSG_TRUNC into t.recvData.
func (t *Transport) receive() (recvType int32, msgid int, netfn, cmd uint8, n int, err error) {
	var pin runtime.Pinner
	defer pin.Unpin()
	pin.Pin(&t.recvAddr)
	pin.Pin(&t.recvData[0])
	var r ipmiRecv
	var errno syscall.Errno
	rerr := t.rc.Read(func(fd uintptr) bool {
		for {
			r = ipmiRecv{
				addr: unsafe.Pointer(&t.recvAddr), addrLen: uint32(unsafe.Sizeof(t.recvAddr)),
				msg: ipmiMsg{data: unsafe.Pointer(&t.recvData[0]), dataLen: ipmiMaxMsgLength},
			}
			_, _, errno = unix.Syscall(unix.SYS_IOCTL, fd, ioctlReceiveMsgTrunc, uintptr(unsafe.Pointer(&r)))
			if errno != unix.EINTR {
				return errno != unix.EAGAIN // EAGAIN: nothing queued, wait for readable
			}
		}
	})
	runtime.KeepAlive(&r)
	if rerr != nil {
		return 0, 0, 0, 0, 0, rerr
	}
	// EMSGSIZE: the message was cut to our buffer, which already holds the
	// largest message the driver passes, and was dequeued; keep what came.
	if errno != 0 && errno != unix.EMSGSIZE {
		return 0, 0, 0, 0, 0, errno
	}
	n = min(int(r.msg.dataLen), len(t.recvData))
	return r.recvType, r.msgid, r.msg.netfn, r.msg.cmd, n, nil
}
