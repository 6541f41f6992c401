package sdr

import (
	"os"
	"reflect"
	"testing"
	"time"
)

func testThresholdSet(now time.Time) *ThresholdSet {
	return &ThresholdSet{
		Key:    "lanplus:127.0.0.1:623 guid=00",
		Info:   RepoInfo{Version: 0x51, Count: 23, FreeSpace: 0x1000, AddStamp: 7, EraseStamp: 3, OpSupport: 0x2f},
		ReadAt: now.Truncate(time.Second),
		Values: map[SensorAddr]*Thresholds{
			{Owner: 0x20, Number: 1}:             {Readable: 0x3f, Raw: [6]uint8{1, 2, 3, 4, 5, 6}},
			{Owner: 0x20, Number: 2, LUN: 1}:     {Readable: 0x12, Raw: [6]uint8{0, 9, 0, 0, 8, 0}},
			{Owner: 0x2c, Number: 9, Channel: 6}: nil,
		},
	}
}

func TestThresholdCacheRoundTrip(t *testing.T) {
	now := time.Now()
	c := &Cache{Dir: t.TempDir()}
	want := testThresholdSet(now)
	if err := c.SaveThresholds(want); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(c.thresholdPath(want.Key))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("threshold cache file mode %v, want 0600", st.Mode().Perm())
	}
	got := c.LoadThresholds(want.Key, &want.Info, time.Minute, now.Add(30*time.Second))
	if got == nil {
		t.Fatal("fresh threshold cache not loaded")
	}
	if !got.ReadAt.Equal(want.ReadAt) || got.Key != want.Key || got.Info != want.Info || !reflect.DeepEqual(got.Values, want.Values) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}
}

func TestThresholdCacheInvalidation(t *testing.T) {
	now := time.Now()
	c := &Cache{Dir: t.TempDir()}
	set := testThresholdSet(now)
	if err := c.SaveThresholds(set); err != nil {
		t.Fatal(err)
	}
	changed := set.Info
	changed.AddStamp++
	cases := []struct {
		name   string
		key    string
		info   RepoInfo
		maxAge time.Duration
		at     time.Time
	}{
		{"too old", set.Key, set.Info, time.Minute, now.Add(2 * time.Minute)},
		{"from the future", set.Key, set.Info, time.Minute, now.Add(-time.Hour)},
		{"cache disabled", set.Key, set.Info, 0, now},
		{"repository changed", set.Key, changed, time.Minute, now},
		{"another BMC", "lanplus:127.0.0.2:623", set.Info, time.Minute, now},
	}
	for _, tc := range cases {
		if got := c.LoadThresholds(tc.key, &tc.info, tc.maxAge, tc.at); got != nil {
			t.Errorf("%s: stale thresholds accepted", tc.name)
		}
	}
	if err := c.RemoveThresholds(set.Key); err != nil {
		t.Fatal(err)
	}
	if got := c.LoadThresholds(set.Key, &set.Info, time.Minute, now); got != nil {
		t.Error("removed thresholds still load")
	}
	if err := c.RemoveThresholds(set.Key); err != nil {
		t.Errorf("removing twice: %v", err)
	}
}

func TestThresholdFileRejectsDamage(t *testing.T) {
	b, err := EncodeThresholdFile(testThresholdSet(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		d := append([]byte(nil), b...)
		d[i] ^= 0x08
		if _, err := DecodeThresholdFile(d); err == nil {
			t.Fatalf("flipped bit at %d accepted", i)
		}
	}
	for n := 0; n < len(b); n++ {
		if _, err := DecodeThresholdFile(b[:n]); err == nil {
			t.Fatalf("file cut to %d bytes accepted", n)
		}
	}
}
