package sdr

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/ipmictl/ipmictl/ipmi"
)

const simDump = "testdata/ipmi_sim.sdr"

func TestWalkIpmiSimRepository(t *testing.T) {
	bmc := newFakeBMC(t, simDump)
	c := ipmi.NewClient(bmc)
	info, err := GetRepoInfo(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	// One request at a time: the sequential walk.
	w := &Walker{Client: c, Window: ipmi.NewWindow(1)}
	repo, err := w.Walk(context.Background(), info)
	if err != nil {
		t.Fatal(err)
	}
	if len(repo.Records) != 23 || len(repo.Skipped) != 0 {
		t.Fatalf("got %d records, %d skipped", len(repo.Records), len(repo.Skipped))
	}
	want, _ := os.ReadFile(simDump)
	var got bytes.Buffer
	if err := WriteDump(&got, repo.Records); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatal("walked records differ from the dump")
	}
	// 5 records fit one 33-byte read, 18 need two; one "whole record" and
	// one 48-byte attempt are refused before 33 is found.
	if n := bmc.counts[cmdGetSDR]; n != 5+2*18+2 {
		t.Errorf("Get SDR requests = %d, want %d", n, 5+2*18+2)
	}
	if bmc.total != 1+1+bmc.counts[cmdGetSDR] {
		t.Errorf("total requests = %d", bmc.total)
	}
	if repo.ChunkSize != 33 {
		t.Errorf("learned chunk = %d", repo.ChunkSize)
	}

	// With requests sent ahead (the default window): the same records.
	// The whole-record reads guessed before the BMC's 33-byte limit was
	// known are refused too: at most two windows' worth of extra requests,
	// once per cold walk (the cache keeps the chunk size).
	bmc = newFakeBMC(t, simDump)
	repo, err = (&Loader{Client: ipmi.NewClient(bmc)}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got.Reset()
	if err := WriteDump(&got, repo.Records); err != nil || !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("pipelined walk: records differ from the dump (%v)", err)
	}
	if n := bmc.counts[cmdGetSDR]; n < 5+2*18+2 || n > 5+2*18+2+2*ipmi.DefaultWindow {
		t.Errorf("pipelined walk: Get SDR requests = %d, want %d to %d", n, 5+2*18+2, 5+2*18+2+2*ipmi.DefaultWindow)
	}
}

func TestWalkWholeRecords(t *testing.T) {
	bmc := newFakeBMC(t, simDump)
	bmc.maxRead = 255
	repo, err := (&Loader{Client: ipmi.NewClient(bmc)}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(repo.Records) != 23 || bmc.counts[cmdGetSDR] != 23 || bmc.counts[cmdReserveRepo] != 0 {
		t.Fatalf("records %d, Get SDR %d, Reserve %d", len(repo.Records), bmc.counts[cmdGetSDR], bmc.counts[cmdReserveRepo])
	}
}

func TestWalkReservationCancelled(t *testing.T) {
	// One request at a time, the 10th Get SDR is the one cancelled: one
	// reservation more.
	bmc := newFakeBMC(t, simDump)
	c := ipmi.NewClient(bmc)
	info, err := GetRepoInfo(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	bmc.cancelAt = 10
	repo, err := (&Walker{Client: c, Window: ipmi.NewWindow(1)}).Walk(context.Background(), info)
	if err != nil {
		t.Fatal(err)
	}
	if len(repo.Records) != 23 || bmc.counts[cmdReserveRepo] != 2 {
		t.Fatalf("records %d, reserves %d", len(repo.Records), bmc.counts[cmdReserveRepo])
	}
	// With requests sent ahead the cancelled one may be a guess that is
	// asked again: the records are the same, with at most one reservation
	// more.
	bmc = newFakeBMC(t, simDump)
	bmc.cancelAt = 10
	repo, err = (&Loader{Client: ipmi.NewClient(bmc)}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(repo.Records) != 23 || bmc.counts[cmdReserveRepo] > 2 {
		t.Fatalf("pipelined: records %d, reserves %d", len(repo.Records), bmc.counts[cmdReserveRepo])
	}
}

func TestWalkStopsOnLoop(t *testing.T) {
	bmc := newFakeBMC(t, simDump)
	bmc.loopBack = true
	bmc.info.Count = 0 // no count to stop at: only the visited set helps
	repo, err := (&Loader{Client: ipmi.NewClient(bmc)}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(repo.Records) != 23 {
		t.Fatalf("records %d", len(repo.Records))
	}
}

func TestWalkTinyChunks(t *testing.T) {
	bmc := newFakeBMC(t, simDump)
	bmc.maxRead = 6
	repo, err := (&Loader{Client: ipmi.NewClient(bmc)}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(repo.Records) != 23 || repo.ChunkSize != 5 {
		t.Fatalf("records %d chunk %d", len(repo.Records), repo.ChunkSize)
	}
}

func TestCacheWarmCostsOneRequest(t *testing.T) {
	dir := t.TempDir()
	bmc := newFakeBMC(t, simDump)
	cold := &Loader{Client: ipmi.NewClient(bmc), Cache: &Cache{Dir: dir}, Key: "127.0.0.1:623"}
	if _, err := cold.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if cold.FromCache {
		t.Fatal("cold run claims a cache hit")
	}
	before := bmc.total
	warm := &Loader{Client: ipmi.NewClient(bmc), Cache: &Cache{Dir: dir}, Key: "127.0.0.1:623"}
	repo, err := warm.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !warm.FromCache || bmc.total-before != 1 || len(repo.Records) != 23 {
		t.Fatalf("warm: hit=%v requests=%d records=%d", warm.FromCache, bmc.total-before, len(repo.Records))
	}
	// The repository changes: the cache is stale, the walk reuses the
	// chunk size it learned (no refused reads).
	bmc.info.AddStamp++
	before = bmc.total
	stale := &Loader{Client: ipmi.NewClient(bmc), Cache: &Cache{Dir: dir}, Key: "127.0.0.1:623"}
	if _, err := stale.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if stale.FromCache || bmc.total-before != 2+5+2*18 {
		t.Fatalf("stale: hit=%v requests=%d", stale.FromCache, bmc.total-before)
	}
	// Another BMC key misses.
	other := &Loader{Client: ipmi.NewClient(bmc), Cache: &Cache{Dir: dir}, Key: "10.0.0.2:623"}
	if _, err := other.Load(context.Background()); err != nil || other.FromCache {
		t.Fatalf("other key: hit=%v err=%v", other.FromCache, err)
	}
}

func TestCacheRejectsCorruptFile(t *testing.T) {
	dir := t.TempDir()
	bmc := newFakeBMC(t, simDump)
	c := &Cache{Dir: dir}
	if _, err := (&Loader{Client: ipmi.NewClient(bmc), Cache: c, Key: "k"}).Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(c.path("k"))
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x40
	if err := os.WriteFile(c.path("k"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if repo, _ := c.Load("k", &bmc.info); repo != nil {
		t.Fatal("corrupt cache file accepted")
	}
	l := &Loader{Client: ipmi.NewClient(bmc), Cache: c, Key: "k"}
	if _, err := l.Load(context.Background()); err != nil || l.FromCache {
		t.Fatalf("rebuild: hit=%v err=%v", l.FromCache, err)
	}
	if repo, _ := c.Load("k", &bmc.info); repo == nil {
		t.Fatal("cache not rebuilt")
	}
}

func TestFindSensorAndByType(t *testing.T) {
	repo, err := ParseDump(mustRead(t, simDump))
	if err != nil {
		t.Fatal(err)
	}
	if r := repo.FindSensor(0x20, 0x05, 0x04); r == nil || r.Name() != "FAN1" {
		t.Fatalf("FindSensor FAN1: %v", r)
	}
	if r := repo.FindSensor(0x20, 0x05, 0x01); r != nil {
		t.Fatal("matched a sensor of another type")
	}
	if r := repo.FindSensor(0x20, 0x00, 0x23); r == nil || r.EventOnly == nil {
		t.Fatal("event-only watchdog not found")
	}
	if n := len(repo.ByType(TypeFRULocator)); n != 3 {
		t.Fatalf("%d FRU locators", n)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadFallsBackToDeviceSDRs(t *testing.T) {
	bmc := newFakeBMC(t, simDump)
	bmc.deviceOnly = true
	dir := t.TempDir()
	l := &Loader{Client: ipmi.NewClient(bmc), Cache: &Cache{Dir: dir}, Key: "sat"}
	repo, err := l.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(repo.Records) != 23 || repo.Info.Count != 23 || repo.Info.AddStamp != 0x04030201 {
		t.Fatalf("records %d, info %+v", len(repo.Records), repo.Info)
	}
	if bmc.counts[cmdGetDeviceSDR] == 0 {
		t.Fatal("no Get Device SDR sent")
	}
	warm := &Loader{Client: ipmi.NewClient(bmc), Cache: &Cache{Dir: dir}, Key: "sat"}
	if _, err := warm.Load(context.Background()); err != nil || !warm.FromCache {
		t.Fatalf("device SDRs not cached: %v %v", warm.FromCache, err)
	}
}
