package sdr

import (
	"context"
	"encoding/binary"
	"errors"
	"sync"

	"github.com/ipmictl/ipmictl/ipmi"
)

// The repository walk is a linked list: each Get SDR answer names the
// next record. Two things are known before they are asked, though: once
// a record's header has arrived, the offsets of its remaining chunks;
// and, on most BMCs, the next record's ID, because IDs run in steps of
// one (or of some other constant). The walk sends those requests ahead
// of time, as many as its window allows beside the request it waits for,
// and takes their answers when it gets to them; the walk itself stays
// the sequential one, so its result and its handling of refusals and
// cancelled reservations do not change. Records are guessed only after
// two steps of the same size in a row and no longer after a wrong guess,
// so a BMC whose IDs follow no pattern gets no request more than before.

// sdrKey names one Get SDR request.
type sdrKey struct {
	id          uint16
	offset, n   int
	reservation uint16
}

// sdrAnswer is one Get SDR outcome, as getSDR returns it.
type sdrAnswer struct {
	next uint16
	data []byte
	cc   ipmi.CompletionCode
	err  error
}

// prefetch is one request sent ahead.
type prefetch struct {
	done   chan struct{}
	cancel context.CancelFunc
	ans    sdrAnswer
}

// speculator sends a walk's predictable requests ahead of time.
type speculator struct {
	w      *Walker
	c      *ipmi.Client // reports to win
	win    *ipmi.Window
	ctx    context.Context
	wg     sync.WaitGroup
	ahead  map[sdrKey]*prefetch
	stride int // ID step between the last records (0: no pattern)
	streak int // records in a row that kept to stride
	whole  int // the longest record the BMC returned to a whole-record read

	sent, used int // requests sent ahead, and answers taken from them
}

// minStreak is how many steps of the same size make a pattern worth
// guessing from.
const minStreak = 2

// wholeProof is how long a record the BMC must have returned whole before
// whole-record reads are guessed: a BMC that limits reads refuses those
// of longer records (0xCA) and the walk learns a chunk size from that, so
// guesses made before would be refused too. No common limit is above the
// largest fallback chunk.
var wholeProof = fallbackChunks[0]

func newSpeculator(ctx context.Context, w *Walker) *speculator {
	win := w.Window
	if win == nil {
		win = ipmi.NewWindow(0)
	}
	return &speculator{w: w, c: win.Client(w.Client), win: win, ctx: ctx, ahead: map[sdrKey]*prefetch{}}
}

// room is how many more requests may be sent ahead: the window less the
// one the walk waits for, less those still unanswered (answered ones wait
// for their turn without taking up the BMC), and never more than twice
// the window ahead in all.
func (s *speculator) room() int {
	size := s.win.Size()
	n := size - 1
	if len(s.ahead) >= 2*size {
		return 0
	}
	for _, p := range s.ahead {
		select {
		case <-p.done:
		default:
			n--
		}
	}
	return n
}

// send sends k ahead unless it is already out or there is no room.
func (s *speculator) send(k sdrKey) bool {
	if _, _, ok := s.lookup(k); ok {
		return true
	}
	if s.room() <= 0 {
		return false
	}
	ctx, cancel := context.WithCancel(s.ctx)
	p := &prefetch{done: make(chan struct{}), cancel: cancel}
	s.ahead[k] = p
	s.sent++
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(p.done)
		p.ans = s.w.getSDRVia(ctx, s.c, k)
	}()
	return true
}

// get returns the answer to k: the one sent ahead when there is one,
// else the BMC's answer now. A first read (offset 0, which needs no
// reservation) sent ahead under an older reservation answers too, unless
// the BMC refused it. A read sent ahead that we cancelled is asked for
// again; one the BMC never answered is not: that would wait the whole
// retry budget a second time.
func (s *speculator) get(ctx context.Context, k sdrKey) sdrAnswer {
	if key, p, ok := s.lookup(k); ok {
		delete(s.ahead, key)
		select {
		case <-p.done:
		case <-ctx.Done():
			p.cancel()
			return sdrAnswer{err: ctx.Err()}
		}
		p.cancel()
		if p.ans.err != nil && !errors.Is(p.ans.err, context.Canceled) {
			return p.ans
		}
		if p.ans.err == nil && (key == k || p.ans.cc == ipmi.CodeOK) {
			s.used++
			return p.ans
		}
	}
	return s.w.getSDRVia(ctx, s.c, k)
}

// lookup finds the request sent ahead that answers k: k itself, or for a
// first read the same read under another reservation.
func (s *speculator) lookup(k sdrKey) (sdrKey, *prefetch, bool) {
	if p, ok := s.ahead[k]; ok {
		return k, p, true
	}
	if k.offset == 0 {
		for ak, ap := range s.ahead {
			if ak.id == k.id && ak.offset == 0 && ak.n == k.n {
				return ak, ap, true
			}
		}
	}
	return k, nil, false
}

// chunks sends ahead the reads of a record's remaining chunks, from
// offset on, of n bytes each, up to total.
func (s *speculator) chunks(id uint16, offset, n, total int) {
	for off := offset; off < total; off += n {
		if !s.send(sdrKey{id: id, offset: off, n: min(n, total-off), reservation: s.w.reservation}) {
			return
		}
	}
}

// records sends ahead the first read of the records expected after id,
// at most left of them, when the IDs so far keep to a step.
func (s *speculator) records(id uint16, left int, seen map[uint16]bool) {
	if s.streak < minStreak || s.stride <= 0 {
		return
	}
	n := s.w.ChunkSize
	if n == 0 {
		if s.whole < wholeProof {
			return
		}
		n = wholeRecord
	}
	for k := 1; k < left; k++ {
		guess := int(id) + k*s.stride
		if guess >= lastRecordID || seen[uint16(guess)] {
			return
		}
		if !s.send(sdrKey{id: uint16(guess), n: n, reservation: s.w.reservation}) {
			return
		}
	}
}

// learn takes note of the step from record cur to next, and of raw's
// length when it came whole. A step that breaks the pattern drops every
// request sent ahead on its strength.
func (s *speculator) learn(cur, next uint16, raw []byte) {
	if s.w.ChunkSize == 0 {
		s.whole = max(s.whole, len(raw))
	}
	step := int(next) - int(cur)
	if next == lastRecordID || step != s.stride {
		s.drop()
		s.stride, s.streak = step, 1
		return
	}
	s.streak++
}

// drop abandons every request sent ahead.
func (s *speculator) drop() {
	for k, p := range s.ahead {
		p.cancel()
		delete(s.ahead, k)
	}
}

// close abandons what is left and waits for it: nothing outlives Walk.
func (s *speculator) close() {
	s.drop()
	s.wg.Wait()
}

// getSDRVia sends one Get SDR through c and returns the next-record ID and
// data, or the completion code when the BMC refused.
func (w *Walker) getSDRVia(ctx context.Context, c *ipmi.Client, k sdrKey) sdrAnswer {
	req := &ipmi.Request{NetFn: ipmi.NetFnStorage, Cmd: cmdGetSDR, Data: []byte{
		byte(k.reservation), byte(k.reservation >> 8), byte(k.id), byte(k.id >> 8), byte(k.offset), byte(k.n)}}
	if w.Device {
		req.NetFn, req.Cmd = ipmi.NetFnSensorEvent, cmdGetDeviceSDR
	}
	rsp, err := c.Raw(ctx, req)
	if err != nil {
		return sdrAnswer{err: err}
	}
	if rsp.Code != ipmi.CodeOK {
		return sdrAnswer{cc: rsp.Code}
	}
	if len(rsp.Data) < 2 {
		return sdrAnswer{err: ipmi.ShortError("Get SDR response", len(rsp.Data), 2)}
	}
	return sdrAnswer{next: binary.LittleEndian.Uint16(rsp.Data), data: rsp.Data[2:]}
}
