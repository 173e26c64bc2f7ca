package liveapi

import (
	"context"
	"math"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/clock"
)

// DepartureSlack lengthens the limiter's window beyond one second. The
// limiter admits requests; they reach the API a little later (signing, a
// connection from the pool, scheduling), and a request delayed more than
// the one admitted a window after it would put one request too many into a
// rolling second as the API counts it. The slack absorbs that jitter at a
// cost of 2% of throughput.
const DepartureSlack = 20 * time.Millisecond

// Limiter is a sliding-window rate limiter: within any window of Window(),
// at most Size() requests are admitted. At max_qps >= 1 the window is one
// second (plus DepartureSlack) and the size is max_qps rounded down, so
// max_qps is a ceiling in every rolling second, burst and retries included.
// Below 1 QPS the size is one and the window 1/max_qps: requests are spaced
// evenly at max_qps.
//
// Within a window, consecutive admissions are also at least Window/(2*Size)
// apart: a window's quota is spent over its first half rather than all at
// once. A burst of max_qps requests that leave together is slowed by its own
// contention (CPU, connections), and its stragglers would reach the API
// inside the next window; half-window pacing keeps them apart and costs no
// throughput, since the window, not the spacing, sets the rate.
//
// It keeps the admission times of the last Size() requests (a ring). Callers
// take turns, first come first served: the one whose turn it is sleeps until
// its slot opens and records the time it actually woke, so a late wake-up (a
// busy machine) delays the requests after it instead of letting them crowd
// into the next window.
type Limiter struct {
	size    int
	window  time.Duration
	spacing time.Duration

	turn chan struct{} // holds a token while a caller is being admitted
	sent []time.Time   // admission times, a ring once it holds size entries
	next int           // the ring's oldest entry once full
}

// NewLimiter builds the limiter of a client configured with qps (> 0).
func NewLimiter(qps float64) *Limiter {
	size := max(1, int(math.Floor(qps)))
	window := time.Second
	if qps < 1 {
		window = time.Duration(float64(time.Second) / qps)
	}
	window += DepartureSlack
	return &Limiter{size: size, window: window, spacing: window / time.Duration(2*size), turn: make(chan struct{}, 1)}
}

// Size is the most requests admitted within any one Window.
func (l *Limiter) Size() int { return l.size }

// Window is the span within which at most Size requests are admitted.
func (l *Limiter) Window() time.Duration { return l.window }

// Wait blocks until the limiter admits one request, or ctx ends.
func (l *Limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case l.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.turn }()
	if err := clock.Sleep(ctx, time.Until(l.opens())); err != nil {
		return err
	}
	l.admit(time.Now())
	return nil
}

// opens is when the next slot opens: a spacing after the last admission,
// and a window after the oldest of the last Size. The caller holds the turn.
func (l *Limiter) opens() time.Time {
	n := len(l.sent)
	switch {
	case n == 0:
		return time.Time{}
	case n < l.size:
		return l.sent[n-1].Add(l.spacing)
	}
	last := l.sent[(l.next+l.size-1)%l.size]
	return laterOf(last.Add(l.spacing), l.sent[l.next].Add(l.window))
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// admit records an admission at t; the caller holds the turn.
func (l *Limiter) admit(t time.Time) {
	if len(l.sent) < l.size {
		// Grown on demand: a client built with a huge max_qps (the tests,
		// the benchmark's page capture) must not allocate a huge ring.
		l.sent = append(l.sent, t)
		return
	}
	l.sent[l.next] = t
	l.next = (l.next + 1) % l.size
}

// MinDuration is the least time the limiter lets calls requests span, from
// the first admission to the last, starting empty: Size requests a spacing
// apart, then the next Size a window after them, and so on.
func (l *Limiter) MinDuration(calls int) time.Duration {
	if calls <= 1 {
		return 0
	}
	k := calls - 1 // the last admission's index
	return time.Duration(k/l.size)*l.window + time.Duration(k%l.size)*l.spacing
}
