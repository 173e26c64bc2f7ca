// Package clock holds the one context-aware sleep that the API client and
// the benchmark share.
package clock

import (
	"context"
	"time"
)

// Sleep waits for d, or until ctx ends, whichever comes first, and returns
// ctx's error in the second case. A d of zero or less returns at once.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// WatchStalls measures, until the returned stop is called, how late a
// goroutine that sleeps 1 ms at a time wakes up: the longest time the
// process went without running a goroutine that was ready. Timing figures
// taken during a stall longer than their tolerance say more about the
// machine than about the code, and the tests and benchmarks that judge
// such figures say so instead of failing.
func WatchStalls() (stop func() time.Duration) {
	done := make(chan struct{})
	longest := make(chan time.Duration)
	go func() {
		var worst time.Duration
		for {
			select {
			case <-done:
				longest <- worst
				return
			default:
			}
			t0 := time.Now()
			time.Sleep(time.Millisecond)
			worst = max(worst, time.Since(t0)-time.Millisecond)
		}
	}()
	return func() time.Duration {
		close(done)
		return <-longest
	}
}
