package emulator

import (
	"math"
	"sync"

	"golang.org/x/time/rate"
)

// limiters enforces Options.MaxQPS per AccessKeyId, the unit the real API's
// "N queries per second per user" quota applies to.
//
// Burst choice: the gateway counts calls per one-second window, so a client
// may spend a whole second's quota back to back and is refused only after
// that. A token bucket refilling at MaxQPS with burst ceil(MaxQPS) behaves
// the same way (a full second's worth of calls at once, then MaxQPS per
// second). A burst of 1 would refuse bursts the real API accepts.
type limiters struct {
	qps float64
	mu  sync.Mutex
	per map[string]*rate.Limiter
}

func newLimiters(qps float64) *limiters {
	return &limiters{qps: qps, per: make(map[string]*rate.Limiter)}
}

// allow reports whether accessKeyID may make one more call now.
func (l *limiters) allow(accessKeyID string) bool {
	if l.qps <= 0 {
		return true
	}
	l.mu.Lock()
	lim, ok := l.per[accessKeyID]
	if !ok {
		lim = rate.NewLimiter(rate.Limit(l.qps), max(1, int(math.Ceil(l.qps))))
		l.per[accessKeyID] = lim
	}
	l.mu.Unlock()
	return lim.Allow()
}
