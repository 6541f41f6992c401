package sdrcmd

import (
	"sync"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
)

// sensorThresholdCache serves `sensor list` the thresholds that must be
// asked of the BMC, from the SDR cache when they were read recently, and
// records what it had to read so the next listing need not. get is safe
// for concurrent use (sensor list reads several sensors at once).
type sensorThresholdCache struct {
	mu     sync.Mutex // guards next and read
	cache  *sdr.Cache // nil: no caching
	cached *sdr.ThresholdSet
	next   *sdr.ThresholdSet
	read   bool // something was read live: save next
}

// sensorOpenThresholdCache loads the thresholds cached for s's BMC. With
// no SDR cache, -S FILE, or maxAge 0 it caches nothing.
func sensorOpenThresholdCache(s *Session, maxAge time.Duration) *sensorThresholdCache {
	tc := &sensorThresholdCache{}
	if s.cache == nil || maxAge <= 0 || s.Repo.Info == nil {
		return tc
	}
	now := time.Now()
	tc.cache = s.cache
	tc.cached = s.cache.LoadThresholds(s.key, s.Repo.Info, maxAge, now)
	readAt := now
	if tc.cached != nil {
		// Values carried over keep their age: the file's time is the
		// oldest reading in it.
		readAt = tc.cached.ReadAt
	}
	tc.next = &sdr.ThresholdSet{Key: s.key, Info: *s.Repo.Info, ReadAt: readAt, Values: map[sdr.SensorAddr]*sdr.Thresholds{}}
	return tc
}

// get returns v's thresholds: from the record when it can tell, else from
// the cache, else from the BMC.
func (tc *sensorThresholdCache) get(s *Session, c *ipmi.Client, v *sdrValue) (*sdr.Thresholds, error) {
	if t, fromRecord := sensorRecordThresholds(v); fromRecord {
		return t, nil
	}
	addr := v.sc.Addr()
	if tc.cached != nil {
		if t, ok := tc.cached.Values[addr]; ok {
			tc.mu.Lock()
			tc.next.Values[addr] = t
			tc.mu.Unlock()
			return t, nil
		}
	}
	t, err := sensorReadThresholds(s, c, v)
	if err != nil {
		return nil, err
	}
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.next != nil {
		tc.next.Values[addr] = t
		tc.read = true
	}
	return t, nil
}

// save writes what this listing learned. A cache that cannot be written
// only costs requests next time.
func (tc *sensorThresholdCache) save() {
	if tc.cache == nil || !tc.read {
		return
	}
	_ = tc.cache.SaveThresholds(tc.next)
}
