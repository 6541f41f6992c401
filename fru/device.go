package fru

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Storage commands for FRU inventory devices (IPMI v2.0 section 34).
const (
	CmdGetInventoryAreaInfo = 0x10
	CmdReadData             = 0x11
	CmdWriteData            = 0x12
)

// FRU-specific completion codes.
const (
	codeWriteProtected ipmi.CompletionCode = 0x80 // Write FRU Data: write-protected offset
	codeDeviceBusy     ipmi.CompletionCode = 0x81 // FRU device busy
)

// Chunk sizes. Reads start at 32 bytes, which every BMC on an IPMB
// accepts; a BMC that wants less says so with C7h, C8h or CAh and the
// size shrinks (by 8 above 32 bytes, then by 1) and is remembered.
const (
	defaultChunk = 32
	minChunk     = 1
	maxChunk     = 255
	busyRetries  = 5
)

// Device names a FRU device: its ID on the controller that holds it, the
// LUN to address, and the controller when it is not the BMC itself.
type Device struct {
	ID     uint8
	LUN    uint8
	Target *ipmi.Address
}

// Info is the Get FRU Inventory Area Info answer.
type Info struct {
	Size       int  `json:"size"`
	WordAccess bool `json:"word_access"`
}

// Client reads and writes FRU devices through a BMC, remembering the
// largest transfer the BMC accepted across every device it touches.
type Client struct {
	base *ipmi.Client
	c    *ipmi.Client // base, reporting to win
	win  *ipmi.Window

	mu         sync.Mutex
	readChunk  int
	writeChunk int
	// readProven is a read size the BMC has answered in full: reads of it
	// may be sent ahead (pipelined) without risking refusals.
	readProven int
}

// NewClient returns a FRU client speaking through c. Reads of several
// chunks keep up to ipmi.DefaultWindow of them in flight (SetWindow).
func NewClient(c *ipmi.Client) *Client {
	win := ipmi.NewWindow(0)
	return &Client{base: c, c: win.Client(c), win: win, readChunk: defaultChunk, writeChunk: defaultChunk}
}

// SetWindow replaces the window that bounds the reads in flight; a window
// of 1 reads one chunk at a time.
func (fc *Client) SetWindow(w *ipmi.Window) {
	fc.win = w
	fc.c = w.Client(fc.base)
}

// ReadChunk is the read size currently in use.
func (fc *Client) ReadChunk() int {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return fc.readChunk
}

// SetChunks overrides the starting read and write sizes (1-255 bytes; 0
// keeps the current one), e.g. to start larger on a BMC known to allow it.
func (fc *Client) SetChunks(read, write int) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if read > 0 {
		fc.readChunk = min(read, maxChunk)
	}
	if write > 0 {
		fc.writeChunk = min(write, maxChunk)
	}
}

func (fc *Client) send(ctx context.Context, dev Device, cmd uint8, data []byte) (*ipmi.Response, error) {
	req := &ipmi.Request{NetFn: ipmi.NetFnStorage, Cmd: cmd, LUN: dev.LUN, Data: data, Target: dev.Target}
	for attempt := 0; ; attempt++ {
		rsp, err := fc.c.Raw(ctx, req)
		if err != nil {
			return nil, err
		}
		if rsp.Code != codeDeviceBusy || attempt >= busyRetries {
			return rsp, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 20 * time.Millisecond):
		}
	}
}

func completion(cmd uint8, code ipmi.CompletionCode) error {
	return &ipmi.CompletionError{NetFn: ipmi.NetFnStorage, Cmd: cmd, Code: code}
}

// Info asks for the device's size and access mode.
func (fc *Client) Info(ctx context.Context, dev Device) (Info, error) {
	rsp, err := fc.send(ctx, dev, CmdGetInventoryAreaInfo, []byte{dev.ID})
	if err != nil {
		return Info{}, err
	}
	if rsp.Code != ipmi.CodeOK {
		return Info{}, completion(CmdGetInventoryAreaInfo, rsp.Code)
	}
	if len(rsp.Data) < 3 {
		return Info{}, ipmi.ShortError("Get FRU Inventory Area Info response", len(rsp.Data), 3)
	}
	info := Info{Size: int(rsp.Data[0]) | int(rsp.Data[1])<<8, WordAccess: rsp.Data[2]&1 != 0}
	if info.Size == 0 {
		return info, &ipmi.FormatError{What: "Get FRU Inventory Area Info response", Offset: 0, Msg: "FRU device reports a size of 0 bytes"}
	}
	return info, nil
}

// tooBig reports the completion codes a BMC uses for "ask for less".
func tooBig(code ipmi.CompletionCode) bool {
	return code == ipmi.CodeRequestLengthInvalid || code == ipmi.CodeRequestLengthExceeded ||
		code == ipmi.CodeCannotReturnBytes
}

func shrink(n int) int {
	if n > 32 {
		return n - 8
	}
	return n - 1
}

// ErrNoProgress is returned when the BMC answers a read with zero bytes
// before the end of the device (some BMCs report a size larger than they
// hold). The bytes read so far are returned with it.
var ErrNoProgress = errors.New("fru: BMC returned no data before the end of the device")

// ReadAt reads n bytes at off, in chunks the BMC accepts. It keeps at most
// the bytes it asked for, whatever count or payload the BMC sends back.
// Once the BMC has answered a read of the current chunk size in full, the
// following chunks of a byte-addressed device are sent ahead, as many as
// the window allows beside the one waited for; their answers are taken
// in order as if each had been sent in its turn.
func (fc *Client) ReadAt(ctx context.Context, dev Device, info Info, off, n int) ([]byte, error) {
	if off < 0 || n < 0 || off > info.Size {
		return nil, fmt.Errorf("fru: read of %d bytes at %d outside the %d-byte device", n, off, info.Size)
	}
	n = min(n, info.Size-off)
	out := make([]byte, 0, n)
	ra := &readAhead{fc: fc, dev: dev, ctx: ctx, ahead: map[[2]int]*pendingRead{}}
	defer ra.close()
	for len(out) < n {
		pos := off + len(out)
		fc.mu.Lock()
		want := min(fc.readChunk, n-len(out))
		proven := fc.readProven == fc.readChunk
		fc.mu.Unlock()
		if proven && !info.WordAccess {
			ra.send(pos+want, off+n, fc.ReadChunk())
		}
		reqOff, skip := pos, 0
		if info.WordAccess {
			// Word devices take word offsets and counts: start on the
			// even byte at or before pos and ask for whole words.
			reqOff = pos &^ 1
			skip = pos - reqOff
			want = min((want+skip+1)&^1, (info.Size-reqOff)&^1)
			if want < 2 {
				want = 2
			}
		}
		count, addr := want, reqOff
		if info.WordAccess {
			count, addr = want/2, reqOff/2
		}
		if count > 255 || addr > 0xFFFF {
			return out, fmt.Errorf("fru: read at byte %d cannot be addressed", reqOff)
		}
		rsp, err := ra.get(addr, count)
		if err != nil {
			return out, err
		}
		if tooBig(rsp.Code) {
			fc.mu.Lock()
			next := min(fc.readChunk-1, shrink(min(fc.readChunk, want)))
			ok := next >= minChunk && (!info.WordAccess || next >= 2)
			if ok {
				fc.readChunk = next
			}
			fc.mu.Unlock()
			if !ok {
				return out, completion(CmdReadData, rsp.Code)
			}
			continue
		}
		if rsp.Code != ipmi.CodeOK {
			return out, completion(CmdReadData, rsp.Code)
		}
		got, err := readPayload(rsp.Data, want, info.WordAccess)
		if err != nil {
			return out, err
		}
		if len(got) <= skip {
			return out, ErrNoProgress
		}
		if len(got) == want && want == fc.ReadChunk() {
			fc.mu.Lock()
			fc.readProven = want
			fc.mu.Unlock()
		}
		got = got[skip:]
		out = append(out, got[:min(len(got), n-len(out))]...)
	}
	return out, nil
}

// readAhead holds the Read FRU Data requests one ReadAt sent ahead.
type readAhead struct {
	fc    *Client
	dev   Device
	ctx   context.Context
	ahead map[[2]int]*pendingRead // by byte offset and count
	wg    sync.WaitGroup
}

type pendingRead struct {
	done   chan struct{}
	cancel context.CancelFunc
	rsp    *ipmi.Response
	err    error
}

// send sends ahead the reads of chunk bytes from pos on, up to end, as
// far as the window has room.
func (ra *readAhead) send(pos, end, chunk int) {
	size := ra.fc.win.Size()
	for p := pos; p < end && size-1-ra.inFlight() > 0 && len(ra.ahead) < 2*size; p += chunk {
		k := [2]int{p, min(chunk, end-p)}
		if _, ok := ra.ahead[k]; ok || p > 0xFFFF {
			continue
		}
		ctx, cancel := context.WithCancel(ra.ctx)
		pr := &pendingRead{done: make(chan struct{}), cancel: cancel}
		ra.ahead[k] = pr
		ra.wg.Add(1)
		go func() {
			defer ra.wg.Done()
			defer close(pr.done)
			pr.rsp, pr.err = ra.fc.send(ctx, ra.dev, CmdReadData, []byte{ra.dev.ID, byte(k[0]), byte(k[0] >> 8), byte(k[1])})
		}()
	}
}

// inFlight counts the reads sent ahead not yet answered (answered ones
// wait for their turn without taking up the BMC).
func (ra *readAhead) inFlight() int {
	n := 0
	for _, pr := range ra.ahead {
		select {
		case <-pr.done:
		default:
			n++
		}
	}
	return n
}

// get returns the answer to the read of count at addr: the one sent ahead
// if there is one (asked again if it failed in transport), else the
// BMC's answer now.
func (ra *readAhead) get(addr, count int) (*ipmi.Response, error) {
	k := [2]int{addr, count}
	if pr, ok := ra.ahead[k]; ok {
		delete(ra.ahead, k)
		select {
		case <-pr.done:
		case <-ra.ctx.Done():
			pr.cancel()
			return nil, ra.ctx.Err()
		}
		pr.cancel()
		if pr.err == nil {
			return pr.rsp, nil
		}
	}
	return ra.fc.send(ra.ctx, ra.dev, CmdReadData, []byte{ra.dev.ID, byte(addr), byte(addr >> 8), byte(count)})
}

// close abandons the reads no longer needed and waits for them.
func (ra *readAhead) close() {
	for k, pr := range ra.ahead {
		pr.cancel()
		delete(ra.ahead, k)
	}
	ra.wg.Wait()
}

// readPayload checks a Read FRU Data response: the count byte must not
// exceed what was asked for nor what the response carries. Extra trailing
// bytes are ignored.
func readPayload(d []byte, want int, words bool) ([]byte, error) {
	if len(d) < 1 {
		return nil, ipmi.ShortError("Read FRU Data response", len(d), 1)
	}
	count := int(d[0])
	if words {
		count *= 2
	}
	if count > want {
		return nil, &ipmi.FormatError{What: "Read FRU Data response", Offset: 0,
			Msg: fmt.Sprintf("BMC claims %d bytes, %d were asked for", count, want)}
	}
	if count > len(d)-1 {
		return nil, &ipmi.FormatError{What: "Read FRU Data response", Offset: 0,
			Msg: fmt.Sprintf("count says %d bytes, the response carries %d", count, len(d)-1)}
	}
	return d[1 : 1+count], nil
}

// ReadAll reads the whole device. On ErrNoProgress the bytes read so far
// come back too, padded with zeros to the device size.
func (fc *Client) ReadAll(ctx context.Context, dev Device) ([]byte, Info, error) {
	info, err := fc.Info(ctx, dev)
	if err != nil {
		return nil, info, err
	}
	b, err := fc.ReadAt(ctx, dev, info, 0, info.Size)
	if errors.Is(err, ErrNoProgress) {
		b = append(b, make([]byte, info.Size-len(b))...)
	}
	return b, info, err
}
