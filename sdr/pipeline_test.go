package sdr

import (
	"bytes"
	"context"
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/ipmitest"
)

// renumber gives the fake BMC's records the IDs ids (in order).
func renumber(b *fakeBMC, ids []uint16) {
	for i, r := range b.records {
		r = append([]byte{}, r...)
		binary.LittleEndian.PutUint16(r, ids[i])
		b.records[i] = r
	}
}

// walkBoth walks the fake BMC's repository one request at a time and with
// requests sent ahead, checks that both give the same records, and
// returns the Get SDR requests and the time each took.
func walkBoth(t *testing.T, setup func() *fakeBMC, delay time.Duration) (seqN, pipeN int, seqT, pipeT time.Duration, overlap float64) {
	t.Helper()
	walk := func(win *ipmi.Window) ([]byte, int, time.Duration, float64) {
		bmc := setup()
		tr := &ipmitest.SlowLink{T: bmc, Delay: delay}
		c := ipmi.NewClient(tr)
		info, err := GetRepoInfo(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		repo, err := (&Walker{Client: c, Window: win}).Walk(context.Background(), info)
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		if len(repo.Records) != len(bmc.records) {
			t.Fatalf("%d records of %d", len(repo.Records), len(bmc.records))
		}
		var dump bytes.Buffer
		if err := WriteDump(&dump, repo.Records); err != nil {
			t.Fatal(err)
		}
		return dump.Bytes(), bmc.counts[cmdGetSDR], took, tr.Overlap()
	}
	seqDump, seqN, seqT, _ := walk(ipmi.NewWindow(1))
	pipeDump, pipeN, pipeT, overlap := walk(nil)
	if !bytes.Equal(seqDump, pipeDump) {
		t.Fatal("the pipelined walk read other records than the sequential one")
	}
	t.Logf("%d Get SDR one at a time in %v, %d pipelined in %v, %.2f in hand on average",
		seqN, seqT.Round(time.Millisecond), pipeN, pipeT.Round(time.Millisecond), overlap)
	return seqN, pipeN, seqT, pipeT, overlap
}

// Consecutive IDs and whole-record reads (the simulated BMC, most real
// ones): the next records are guessed right, no request is wasted, and
// the walk takes a fraction of the round trips.
func TestWalkAheadConsecutive(t *testing.T) {
	setup := func() *fakeBMC {
		b := newFakeBMC(t, simDump)
		b.maxRead = 255
		return b
	}
	seqN, pipeN, _, _, overlap := walkBoth(t, setup, 10*time.Millisecond)
	if pipeN != seqN || overlap < 1.6 {
		t.Errorf("Get SDR: %d pipelined (%.2f in hand on average), %d one at a time", pipeN, overlap, seqN)
	}
}

// IDs that follow no pattern: nothing is guessed, so not one request
// more than the sequential walk.
func TestWalkAheadRandomIDsCostsNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	used := map[uint16]bool{0: true, 0xFFFF: true}
	var ids []uint16
	for len(ids) < 23 {
		id := uint16(rng.IntN(0xFFFE))
		if !used[id] {
			used[id] = true
			ids = append(ids, id)
		}
	}
	for _, maxRead := range []int{255, 33, 6} {
		setup := func() *fakeBMC {
			b := newFakeBMC(t, simDump)
			b.maxRead = maxRead
			renumber(b, ids)
			return b
		}
		seqN, pipeN, _, _, _ := walkBoth(t, setup, 0)
		// Only a record's own remaining chunks go ahead, and those are
		// never wasted.
		if pipeN != seqN {
			t.Errorf("read limit %d: Get SDR %d pipelined, %d one at a time", maxRead, pipeN, seqN)
		}
	}
}

// IDs in steps of 3: the step is learned and guessed as well as 1.
func TestWalkAheadStride(t *testing.T) {
	setup := func() *fakeBMC {
		b := newFakeBMC(t, simDump)
		b.maxRead = 255
		ids := make([]uint16, len(b.records))
		for i := range ids {
			ids[i] = uint16(10 + 3*i)
		}
		renumber(b, ids)
		return b
	}
	seqN, pipeN, _, _, overlap := walkBoth(t, setup, 10*time.Millisecond)
	if pipeN != seqN || overlap < 1.6 {
		t.Errorf("Get SDR %d pipelined (%.2f in hand on average), %d one at a time", pipeN, overlap, seqN)
	}
}

// Runs of consecutive IDs broken by jumps: each wrong guess wastes at
// most a window's worth of requests, and the records are the same.
func TestWalkAheadGaps(t *testing.T) {
	setup := func() *fakeBMC {
		b := newFakeBMC(t, simDump)
		b.maxRead = 255
		ids := make([]uint16, len(b.records))
		for i := range ids {
			ids[i] = uint16(i + 1 + 100*(i/6)) // 1-6, 107-112, 213-218, 319-323
		}
		renumber(b, ids)
		return b
	}
	seqN, pipeN, _, _, _ := walkBoth(t, setup, time.Millisecond)
	if jumps := 3; pipeN > seqN+jumps*(ipmi.DefaultWindow-1) {
		t.Errorf("Get SDR %d pipelined, %d one at a time", pipeN, seqN)
	}
}

// Small reads (12 bytes at most): the remaining
// chunks of each record go ahead once its header is in, and none is
// wasted once the chunk size is known.
func TestWalkAheadChunks(t *testing.T) {
	setup := func() *fakeBMC {
		b := newFakeBMC(t, simDump)
		b.maxRead = 12
		// Scattered IDs, so that only the chunks go ahead.
		ids := make([]uint16, len(b.records))
		for i := range ids {
			ids[i] = uint16(1 + i*i*7)
		}
		renumber(b, ids)
		return b
	}
	seqN, pipeN, _, _, overlap := walkBoth(t, setup, 5*time.Millisecond)
	if pipeN != seqN || overlap < 1.5 {
		t.Errorf("Get SDR %d pipelined (%.2f in hand on average), %d one at a time", pipeN, overlap, seqN)
	}
}
