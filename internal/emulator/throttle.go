package emulator

import (
	"math"
	"sync"
	"time"
)

// limiters enforces Options.MaxQPS per AccessKeyId, the unit the real API's
// quota applies to ("up to 100 queries per second per user", "100 times per
// second per account"), strictly as the documents state it: at most MaxQPS
// requests accepted within any rolling second, wherever the second starts.
// A request refused with Throttling.User is not accepted and does not count,
// so a client that keeps knocking gets in as soon as an accepted request is
// a second old.
//
// Below 1 QPS "at most MaxQPS a second" is one request per 1/MaxQPS; above
// it, a fraction cannot be accepted, so the limit is MaxQPS rounded down
// (2.5 accepts 2 in any second).
//
// An earlier token bucket (rate MaxQPS, burst one second's worth) accepted up
// to twice MaxQPS in a rolling second that spans a burst and its refill; a
// client tested against it could overrun the real quota and pass.
type limiters struct {
	size   int           // accepted requests per window
	window time.Duration // one second, or 1/MaxQPS below 1 QPS
	clock  func() time.Time

	mu  sync.Mutex
	per map[string]*acceptedRing
}

// acceptedRing holds the times of a key's last size accepted requests.
type acceptedRing struct {
	at   []time.Time // a ring once it holds size entries
	next int         // the oldest entry once full
}

// newLimiters builds the throttle for qps (<= 0: none), reading the time
// from clock.
func newLimiters(qps float64, clock func() time.Time) *limiters {
	if qps <= 0 {
		return &limiters{}
	}
	l := &limiters{size: int(math.Floor(qps)), window: time.Second, clock: clock, per: make(map[string]*acceptedRing)}
	if qps < 1 {
		l.size, l.window = 1, time.Duration(float64(time.Second)/qps)
	}
	return l
}

// allow reports whether accessKeyID may make one more call now, and counts
// the call as accepted when it may. The clock is read under the lock, so
// the times a key's ring holds are ascending.
func (l *limiters) allow(accessKeyID string) bool {
	if l.size == 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock()
	r := l.per[accessKeyID]
	if r == nil {
		r = &acceptedRing{at: make([]time.Time, 0, min(l.size, 1024))}
		l.per[accessKeyID] = r
	}
	if len(r.at) < l.size {
		r.at = append(r.at, now)
		return true
	}
	// The oldest of the last size accepted requests: the window [t, t+1s)
	// that holds it and now would hold size+1.
	if now.Sub(r.at[r.next]) < l.window {
		return false
	}
	r.at[r.next] = now
	r.next = (r.next + 1) % l.size
	return true
}
