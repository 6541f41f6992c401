package sol

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
)

func openFake(t *testing.T, b *fakeBMC, cfg Config) *Console {
	t.Helper()
	b.start()
	t.Cleanup(b.shutdown)
	if cfg.RetryInterval == 0 {
		cfg.RetryInterval = 10 * time.Millisecond
	}
	if cfg.Retries == 0 {
		cfg.Retries = 50
	}
	con, err := Open(context.Background(), ipmi.NewClient(b), b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { con.Close() })
	return con
}

func seqLines(n int) []byte {
	var buf bytes.Buffer
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&buf, "%d\r\n", i)
	}
	return buf.Bytes()
}

// readN reads exactly n bytes or fails after d.
func readN(t *testing.T, r io.Reader, n int, d time.Duration) []byte {
	t.Helper()
	type res struct {
		b   []byte
		err error
	}
	ch := make(chan res, 1)
	go func() {
		b := make([]byte, n)
		_, err := io.ReadFull(r, b)
		ch <- res{b, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatalf("reading %d bytes: %v", n, r.err)
		}
		return r.b
	case <-time.After(d):
		t.Fatalf("timed out reading %d bytes", n)
	}
	return nil
}

func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestConsoleOutputSurvivesLossDuplicatesReordering(t *testing.T) {
	b := newFakeBMC(1)
	b.loss, b.dup, b.reorder = 0.2, 0.1, 0.1
	con := openFake(t, b, Config{})
	want := seqLines(20000)
	go b.output(want)
	got := readN(t, con, len(want), 60*time.Second)
	if !bytes.Equal(got, want) {
		t.Fatalf("console output differs from what the host sent (first difference at %d)", firstDiff(got, want))
	}
	st := con.Stats()
	if st.Duplicates == 0 || st.BytesIn != int64(len(want)) {
		t.Errorf("stats %+v: want duplicates seen and BytesIn %d", st, len(want))
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestConsoleInputWithLossPartialAcceptsAndNACKs(t *testing.T) {
	for _, tc := range []struct {
		name      string
		loss      float64
		acceptMax int
		nackEvery int
	}{
		{"clean", 0, 0, 0},
		{"loss", 0.2, 0, 0},
		{"partial", 0, 5, 0},
		{"nack", 0, 0, 3},
		{"all", 0.2, 7, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newFakeBMC(2)
			b.loss, b.acceptMax, b.nackEvery = tc.loss, tc.acceptMax, tc.nackEvery
			con := openFake(t, b, Config{})
			want := seqLines(400)
			if _, err := con.Write(want); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 30*time.Second, "the host to receive everything", func() bool {
				got, _, _, _ := b.snapshot()
				return len(got) >= len(want)
			})
			got, _, maxData, _ := b.snapshot()
			if !bytes.Equal(got, want) {
				t.Fatalf("host received %d bytes, differing at %d", len(got), firstDiff(got, want))
			}
			if maxData > 28 {
				t.Errorf("sent %d characters in a packet; inbound size 32 allows 28", maxData)
			}
			st := con.Stats()
			if tc.acceptMax > 0 && st.PartialAccepts == 0 {
				t.Errorf("no partial accepts counted: %+v", st)
			}
			if tc.nackEvery > 0 && st.NACKs == 0 {
				t.Errorf("no NACKs counted: %+v", st)
			}
			if tc.loss > 0 && st.Retransmits == 0 {
				t.Errorf("no retransmissions with loss: %+v", st)
			}
		})
	}
}

func TestConsoleOpensWithAnEmptyPacket(t *testing.T) {
	// The BMC still holds sequence number 1 from an earlier session: our
	// first characters must not go out as 1, or they pass for a duplicate.
	b := newFakeBMC(15)
	b.lastSeq, b.lastAcc = 1, 3
	con := openFake(t, b, Config{})
	con.Write([]byte("root\r"))
	waitFor(t, 5*time.Second, "delivery", func() bool { g, _, _, _ := b.snapshot(); return string(g) == "root\r" })
}

func TestConsoleHostileInboundSizes(t *testing.T) {
	for _, tc := range []struct {
		size uint16
		want int
	}{{0, defaultMaxData}, {4, defaultMaxData}, {5, 1}, {100, 96}, {0xFFFF, MaxCharsPerPacket}} {
		b := newFakeBMC(3)
		b.inboundSize = tc.size
		con := openFake(t, b, Config{})
		if got := con.Stats().InboundMax; got != tc.want {
			t.Errorf("inbound size %d: %d characters per packet, want %d", tc.size, got, tc.want)
		}
		data := bytes.Repeat([]byte("x"), 600)
		con.Write(data)
		waitFor(t, 10*time.Second, "delivery", func() bool { g, _, _, _ := b.snapshot(); return len(g) == len(data) })
		if _, _, m, _ := b.snapshot(); m > tc.want {
			t.Errorf("inbound size %d: a packet carried %d characters", tc.size, m)
		}
		con.Close()
	}
}

func TestConsoleBreakIsOrderedAndAlone(t *testing.T) {
	b := newFakeBMC(4)
	con := openFake(t, b, Config{})
	con.Write([]byte("abc"))
	con.SendBreak()
	con.Write([]byte("def"))
	waitFor(t, 5*time.Second, "delivery", func() bool { g, _, _, _ := b.snapshot(); return string(g) == "abcdef" })
	_, ev, _, flags := b.snapshot()
	if len(ev) != 1 || ev[0] != "break@abc" {
		t.Errorf("events %q, want one break after abc", ev)
	}
	breaks := 0
	for _, f := range flags {
		if f&OpBreak != 0 {
			breaks++
		}
	}
	if breaks != 1 {
		t.Errorf("%d packets with the break bit, want 1", breaks)
	}
}

func TestConsoleControlsReachTheBMC(t *testing.T) {
	b := newFakeBMC(5)
	con := openFake(t, b, Config{})
	con.SetControls(Controls{CTSPause: true, Ring: true})
	waitFor(t, 5*time.Second, "a control packet", func() bool {
		_, _, _, f := b.snapshot()
		return len(f) > 0 && f[len(f)-1] == OpCTSPause|OpRing
	})
	con.SetControls(Controls{DCDDeassert: true})
	con.Write([]byte("x"))
	waitFor(t, 5*time.Second, "flags on data", func() bool {
		_, _, _, f := b.snapshot()
		return len(f) > 0 && f[len(f)-1] == OpDCDDeassert
	})
}

func TestConsoleBMCDeactivation(t *testing.T) {
	b := newFakeBMC(6)
	con := openFake(t, b, Config{})
	b.output([]byte("bye\r\n"))
	if got := readN(t, con, 5, 5*time.Second); string(got) != "bye\r\n" {
		t.Fatalf("got %q", got)
	}
	b.sendStatus(StatusDeactivating)
	select {
	case <-con.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("console did not end on SOL deactivating")
	}
	if _, err := con.Read(make([]byte, 10)); err != io.EOF {
		t.Errorf("Read after deactivation: %v, want io.EOF", err)
	}
	if !errors.Is(con.Err(), ErrDeactivated) {
		t.Errorf("Err = %v, want ErrDeactivated", con.Err())
	}
	if _, err := con.Write([]byte("x")); err == nil {
		t.Error("Write after deactivation succeeded")
	}
	con.Close()
	if b.deactivates != 0 {
		t.Errorf("Close sent Deactivate Payload %d times for a payload the BMC ended", b.deactivates)
	}
}

func TestConsoleCloseFlushesAndDeactivates(t *testing.T) {
	b := newFakeBMC(7)
	b.loss = 0.2
	con := openFake(t, b, Config{})
	con.Write([]byte("exit\r"))
	if err := con.Close(); err != nil {
		t.Fatal(err)
	}
	if got, _, _, _ := b.snapshot(); string(got) != "exit\r" {
		t.Errorf("host got %q before Close returned, want the flushed keystrokes", got)
	}
	if b.deactivates != 1 {
		t.Errorf("Deactivate Payload sent %d times, want 1", b.deactivates)
	}
	if _, err := con.Write([]byte("x")); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close: %v", err)
	}
	if _, err := con.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("Read after Close: %v", err)
	}
	if err := con.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestConsoleGivesUpWithoutAcks(t *testing.T) {
	b := newFakeBMC(8)
	b.loss = 1
	con := openFake(t, b, Config{RetryInterval: 5 * time.Millisecond, Retries: 3})
	con.Write([]byte("hello"))
	select {
	case <-con.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("no failure without ACKs")
	}
	if !errors.Is(con.Err(), ErrNoAck) {
		t.Errorf("Err = %v, want ErrNoAck", con.Err())
	}
	if st := con.Stats(); st.Retransmits != 3 {
		t.Errorf("%d retransmissions, want 3", st.Retransmits)
	}
	if _, err := con.Read(make([]byte, 1)); !errors.Is(err, ErrNoAck) {
		t.Errorf("Read: %v", err)
	}
}

func TestConsoleSlowReaderHoldsAcks(t *testing.T) {
	b := newFakeBMC(9)
	con := openFake(t, b, Config{ReadBuffer: 1000})
	want := seqLines(3000)
	go b.output(want)
	time.Sleep(100 * time.Millisecond) // let the buffer fill
	got := readN(t, con, len(want), 30*time.Second)
	if !bytes.Equal(got, want) {
		t.Fatalf("differs at %d", firstDiff(got, want))
	}
	if con.Stats().HeldAcks == 0 && con.Stats().PartialAccepts == 0 {
		// Either way the reader must have slowed the BMC down.
		t.Logf("stats %+v", con.Stats())
	}
}

func TestConsoleKeepalive(t *testing.T) {
	b := newFakeBMC(10)
	con := openFake(t, b, Config{Keepalive: 10 * time.Millisecond})
	waitFor(t, 5*time.Second, "keepalives", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.statusCalls >= 3
	})
	// Someone else deactivates the payload: the keepalive notices.
	b.mu.Lock()
	b.statusActive = false
	b.mu.Unlock()
	select {
	case <-con.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("keepalive did not notice the deactivation")
	}
	if !errors.Is(con.Err(), ErrDeactivated) {
		t.Errorf("Err = %v", con.Err())
	}
}

func TestConsoleTakenOverIsNotDeactivatedOnClose(t *testing.T) {
	b := newFakeBMC(14)
	con := openFake(t, b, Config{Keepalive: 10 * time.Millisecond})
	b.mu.Lock()
	b.owner = 0x9999 // another session forced its way in
	b.mu.Unlock()
	select {
	case <-con.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("keepalive did not notice the takeover")
	}
	if !errors.Is(con.Err(), ErrDeactivated) {
		t.Errorf("Err = %v", con.Err())
	}
	con.Close()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.deactivates != 0 {
		t.Error("Close deactivated the payload another session holds")
	}
}

func TestConsoleKeepaliveSOL(t *testing.T) {
	b := newFakeBMC(11)
	openFake(t, b, Config{Keepalive: 10 * time.Millisecond, KeepaliveSOL: true})
	time.Sleep(100 * time.Millisecond)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.statusCalls != 0 {
		t.Errorf("KeepaliveSOL sent %d Get Payload Activation Status", b.statusCalls)
	}
}

func TestConsoleStatusFlags(t *testing.T) {
	b := newFakeBMC(12)
	con := openFake(t, b, Config{})
	waitFor(t, 5*time.Second, "the opening packet's ACK", func() bool { return con.Stats().PacketsIn >= 1 })
	b.sendStatus(StatusTransmitOverrun | StatusBreak | StatusUnavailable)
	waitFor(t, 5*time.Second, "status", func() bool { return con.Stats().Overruns == 1 })
	st := con.Stats()
	if st.Breaks != 1 || !st.Unavailable {
		t.Errorf("stats %+v", st)
	}
}

func TestActivateErrors(t *testing.T) {
	for _, tc := range []struct {
		code ipmi.CompletionCode
		is   error
		msg  string
	}{
		{0x80, ErrAlreadyActive, "SOL payload already active on another session"},
		{0x81, ErrPayloadDisabled, "SOL payload disabled"},
		{0x84, nil, "without encryption"},
		{0xC1, nil, "Invalid command"},
	} {
		b := newFakeBMC(13)
		b.activateCode = tc.code
		_, err := Open(context.Background(), ipmi.NewClient(b), b, Config{})
		if err == nil {
			t.Fatalf("code %#x: no error", tc.code)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("code %#x: %v is not %v", tc.code, err, tc.is)
		}
		if !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("code %#x: %q lacks %q", tc.code, err, tc.msg)
		}
		if !ipmi.IsCompletion(err, tc.code) {
			t.Errorf("code %#x: completion code not reachable with errors.As", tc.code)
		}
	}
	if _, err := Open(context.Background(), nil, newFakeBMC(0), Config{Instance: 16}); err == nil {
		t.Error("instance 16 accepted")
	}
}
