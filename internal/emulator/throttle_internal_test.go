package emulator

import (
	"testing"
	"time"
)

// TestLimitersCountAcceptedRequestsInAnyRollingSecond drives the throttle
// with literal times: at most 5 accepted in any window [t, t+1s), refused
// requests not counted, each key on its own.
func TestLimitersCountAcceptedRequestsInAnyRollingSecond(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	var now time.Time
	l := newLimiters(5, func() time.Time { return now })
	ms := time.Millisecond
	for i, c := range []struct {
		at   time.Duration
		key  string
		want bool
	}{
		{0, "a", true}, {0, "a", true}, {100 * ms, "a", true}, {200 * ms, "a", true}, {900 * ms, "a", true}, // 5 in [0, 1s)
		{900 * ms, "a", false}, // a sixth in the same second
		{900 * ms, "b", true},  // another key has its own quota
		{999 * ms, "a", false}, // still within a second of the first
		// A token bucket of rate 5 and burst 5 would accept here: two
		// tokens refilled since 600 ms. The rolling second (0, 1s) holds 5.
		{999 * ms, "a", false},
		{1000 * ms, "a", true},  // the first is a second old: [0, 1s) and [1s, 2s) are different seconds
		{1000 * ms, "a", true},  // so is the second
		{1000 * ms, "a", false}, // the third (100 ms) is not
		{1100 * ms, "a", true},  // the refused requests at 900, 999 and 1000 ms took nothing
		{1199 * ms, "a", false},
		{1200 * ms, "a", true},
		{1899 * ms, "a", false}, // 900, 1000, 1000, 1100, 1200 ms are within a second
		{1900 * ms, "a", true},
	} {
		now = base.Add(c.at)
		if got := l.allow(c.key); got != c.want {
			t.Errorf("request %d (%s at %s): allowed %v, want %v", i, c.key, c.at, got, c.want)
		}
	}
}

func TestLimitersShape(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	var now time.Time
	for _, c := range []struct {
		qps   float64
		first int           // accepted at once
		gap   time.Duration // until the next is accepted
	}{
		{100, 100, time.Second},
		{2.5, 2, time.Second}, // at most 2.5 a second is at most 2
		{1, 1, time.Second},
		{0.5, 1, 2 * time.Second},
	} {
		l := newLimiters(c.qps, func() time.Time { return now })
		now = base
		n := 0
		for l.allow("k") {
			n++
		}
		if n != c.first {
			t.Errorf("MaxQPS %g: %d accepted at once, want %d", c.qps, n, c.first)
		}
		now = base.Add(c.gap - time.Nanosecond)
		if l.allow("k") {
			t.Errorf("MaxQPS %g: accepted %s later", c.qps, c.gap-time.Nanosecond)
		}
		now = base.Add(c.gap)
		if !l.allow("k") {
			t.Errorf("MaxQPS %g: refused %s later", c.qps, c.gap)
		}
	}
	if l := newLimiters(0, nil); !l.allow("k") {
		t.Error("MaxQPS 0 throttles")
	}
}
