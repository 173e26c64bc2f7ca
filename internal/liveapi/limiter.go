package liveapi

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/clock"
)

// GuardBand lengthens the limiter's window beyond one second. The limiter
// admits a request just before the HTTP client sends it (see httpDoer), but
// it still reaches the API a little later (a connection from the pool,
// scheduling, the network), and a request delayed more than the one
// admitted a window after it would put one request too many into a rolling
// second as the API counts it. The band absorbs that jitter. Its cost at the
// floor is its share of the window, 2% of a read that spans many windows;
// live-bench -guard-band measures reads with another band (CHANGELOG.md has
// the figures).
const GuardBand = 20 * time.Millisecond

// The adaptive rate (see Limiter). The constants are the AWS SDKs' adaptive
// retry mode's, which takes them from CUBIC (RFC 9438): a throttle cuts the
// rate to cubicBeta of the rate the API was accepting, and the rate then
// climbs back along C*(t-K)^3 + Wmax, flat near the rate that was throttled
// and faster away from it.
const (
	cubicBeta = 0.7
	cubicC    = 0.4
	// minAdaptiveRate is the least rate a throttle cuts to (requests a
	// second), so that a client shut out entirely still probes now and then.
	minAdaptiveRate = 0.5
	// acceptedWindow is the span over which the accepted rate is measured.
	acceptedWindow = time.Second
	// recheckEvery bounds a sleep under the adaptive rate, which climbs
	// while the caller sleeps: a slot computed at 0.5 a second would
	// otherwise keep it asleep for 2 s.
	recheckEvery = 100 * time.Millisecond
)

// Limiter paces one client's requests: max_qps is a ceiling it never
// exceeds, and below it an adaptive rate follows what the API accepts, so
// that several clients sharing one account's quota (separate provider
// processes: a CI matrix, Atlantis, terragrunt run-all) converge on it
// without knowing of each other.
//
// The ceiling is a sliding window: within any window of Window(), at most
// Size() requests are admitted. At max_qps >= 1 the window is one second
// plus GuardBand and the size is max_qps rounded down, so max_qps holds in
// every rolling second, burst and retries included. Below 1 QPS the size is
// one and the window 1/max_qps (plus the band). Within a window, consecutive
// admissions are also at least 2*Window/(3*Size) apart: a window's quota is
// spent over its first two thirds rather than all at once, since a burst
// that leaves together is slowed by its own contention and its stragglers
// would reach the API inside the next window. The spacing costs no
// throughput in a long read (the window, not the spacing, sets the rate),
// only in the last, partial window. Two thirds rather than half: when many
// clients start at once, each sends at 1/spacing until the first throttle
// reaches it, so the burst rate sets how many requests the account refuses
// before they all slow down. Measured with live-bench -contention (10
// clients at max_qps 50, 40 ms latency): half a window, 9.6-11% of requests
// throttled at 1.23-1.32x the account's floor; two thirds, 7.5-8.2% at
// 1.18-1.25x; a lone client's 80 pages take 1.52 s instead of 1.42 s.
//
// The adaptive rate, engaged by the first throttle, is a second, lower
// limit. Why CUBIC, as the AWS SDKs' adaptive mode does it:
//   - AIMD (add a constant a second) climbs back at the same pace however
//     far below the quota it is, so N clients either crawl back after a cut
//     or overshoot together; CUBIC's curve is fast far from the rate that was
//     throttled and flat near it, so clients linger just under the quota,
//     where throttles are rare, and probe beyond it only slowly.
//   - A retry budget (gRPC's retry throttling, the SRE book's client-side
//     throttling) limits retries, not the pace of first attempts: it would
//     fail reads sooner rather than spread N readers over the quota, and a
//     read here must finish, not shed load.
//
// The rules, as measured by the contention benchmark (live-bench
// -contention) and a simulation of it (TestLimiterConvergesInSimulation):
//   - A throttle (Throttled) cuts the rate to cubicBeta times the rate the
//     API accepted from this client over the last second (Accepted counts
//     it), or times the current rate if that is lower: the client's share as
//     the API measured it, not what it was trying to send. At most once per
//     generation: a throttle of a request admitted before the last cut says
//     nothing new, since the cut had not taken effect when it was sent.
//   - The curve climbs back in K seconds to Wmax and beyond it ever faster;
//     when it reaches max_qps the limiter is as before the first throttle.
//     Wmax is the accepted rate at the first throttle. A client throttled
//     while probing beyond its Wmax aims halfway between its accepted rate
//     and the rate it had reached (CUBIC aims at its rate at the loss; all
//     the way back, 10 clients throttled 9.1% of their requests in the
//     simulation, halfway 8.5%, and only to the accepted rate 8.1% but up
//     to 1.30x the account's floor).
//   - A client throttled again while still climbing back (its rate below
//     Wmax) was not the one overrunning the quota: those are the clients
//     beyond their Wmax. It is cut from its current rate (its accepted rate
//     still shows the pause the last cut caused) and keeps aiming at Wmax.
//     Without this, the unlucky clients of a crowd spiral down while the
//     lucky ones grow, and the crowd's reads end long after each other (in
//     the simulation over 60 seeds, 10 clients took 1.31x the account's
//     floor on average and up to 1.51x; with this rule 1.19x and at most
//     1.3x).
//   - At an adaptive rate r, admissions are at least 1/r apart, and at most
//     r (rounded down) of the requests the API did not refuse fall within
//     any window: so after a cut the client pauses until enough of its
//     accepted requests, the ones that fill the account's second, leave the
//     window. Refused ones do not count, as the API does not count them.
//
// Callers take turns, first come first served: the one whose turn it is
// sleeps until its slot opens and records the time it actually woke, so a
// late wake-up (a busy machine) delays the requests after it instead of
// letting them crowd into the next window.
type Limiter struct {
	size    int
	window  time.Duration
	spacing time.Duration
	ceiling float64 // max_qps
	// counted is the window of the adaptive rate's count: a second and the
	// guard band, as the ceiling's at max_qps >= 1.
	counted time.Duration

	turn chan struct{} // holds a token while a caller is being admitted

	mu      sync.Mutex
	sent    []time.Time // admission times, a ring once it holds size entries
	refused []bool      // beside sent: the API throttled that admission
	seq     uint64      // admissions so far; admission i sits at sent[i%size]

	// The adaptive rate: engaged by the first throttle, rate(t) follows
	// the cubic curve through (cutAt, the rate cut to) and (cutAt+k, wmax).
	adapted bool
	wmax    float64
	k       time.Duration
	cutAt   time.Time
	gen     uint64 // cuts so far

	accepted     []time.Time // answer times of the accepted requests of the last acceptedWindow, ascending
	lastAccepted time.Time
	throttles    int64

	// admitted, when set (tests), sees every admission, under mu.
	admitted func(Ticket)
	// now and sleep are Wait's clock: time.Now and clock.Sleep, or a
	// virtual clock in tests, which then judge the admissions without
	// waiting for them. Only the caller whose turn it is sleeps.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// Ticket is one admission: when, and in which generation (the number of
// cuts before it).
type Ticket struct {
	At  time.Time
	Gen uint64
	seq uint64
}

// NewLimiter builds the limiter of a client configured with qps (> 0).
func NewLimiter(qps float64) *Limiter { return newLimiter(qps, GuardBand) }

// newLimiter is NewLimiter with another guard band (Config.GuardBand).
func newLimiter(qps float64, band time.Duration) *Limiter {
	size := max(1, int(math.Floor(qps)))
	window := time.Second
	if qps < 1 {
		window = time.Duration(float64(time.Second) / qps)
	}
	window += band
	return &Limiter{size: size, window: window, spacing: window * 2 / time.Duration(3*size), ceiling: qps,
		counted: time.Second + band, turn: make(chan struct{}, 1), now: time.Now, sleep: clock.Sleep}
}

// Size is the most requests admitted within any one Window.
func (l *Limiter) Size() int { return l.size }

// Window is the span within which at most Size requests are admitted.
func (l *Limiter) Window() time.Duration { return l.window }

// Wait blocks until the limiter admits one request, or ctx ends.
func (l *Limiter) Wait(ctx context.Context) (Ticket, error) {
	if err := ctx.Err(); err != nil {
		return Ticket{}, err
	}
	select {
	case l.turn <- struct{}{}:
	case <-ctx.Done():
		return Ticket{}, ctx.Err()
	}
	defer func() { <-l.turn }()
	for {
		// A cut while this caller sleeps moves its slot later, and the
		// climb after it earlier: check again on waking.
		l.mu.Lock()
		now := l.now()
		at := l.opens(now)
		if !at.After(now) {
			t := l.admit(now)
			l.mu.Unlock()
			return t, nil
		}
		wait := at.Sub(now)
		if l.adapted {
			// The rate climbs while this caller sleeps: look again soon.
			wait = min(wait, recheckEvery)
		}
		l.mu.Unlock()
		if err := l.sleep(ctx, wait); err != nil {
			return Ticket{}, err
		}
	}
}

// opens is when the next slot opens, as of now: under the ceiling a spacing
// after the last admission and a window after the oldest of the last Size;
// under an adaptive rate r also 1/r after the last admission and a window
// after the floor(r)-th most recent one the API did not refuse. The caller
// holds mu.
func (l *Limiter) opens(now time.Time) time.Time {
	n := len(l.sent)
	if n == 0 {
		return time.Time{}
	}
	at := l.recent(1).Add(l.spacing)
	if n == l.size {
		at = laterOf(at, l.recent(l.size).Add(l.window))
	}
	r, adapted := l.rate(now)
	if !adapted {
		return at
	}
	at = laterOf(at, l.recent(1).Add(time.Duration(float64(time.Second)/r)))
	k, counted := min(l.size, max(1, int(r*l.counted.Seconds()))), 0
	for i := 1; i <= n; i++ {
		if l.refused[l.index(i)] {
			continue
		}
		if counted++; counted == k {
			return laterOf(at, l.recent(i).Add(l.counted))
		}
	}
	return at
}

// index is where the i-th most recent admission sits in the ring.
func (l *Limiter) index(i int) int { return int((l.seq - uint64(i)) % uint64(l.size)) }

// recent is the i-th most recent admission (1: the last); i <= len(l.sent).
func (l *Limiter) recent(i int) time.Time { return l.sent[l.index(i)] }

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// rate is the adaptive rate at t and whether it is engaged; once the curve
// reaches the ceiling it disengages. The caller holds mu.
func (l *Limiter) rate(t time.Time) (float64, bool) {
	if !l.adapted {
		return l.ceiling, false
	}
	x := t.Sub(l.cutAt).Seconds() - l.k.Seconds()
	r := cubicC*x*x*x + l.wmax
	if r >= l.ceiling {
		l.adapted = false
		return l.ceiling, false
	}
	return max(r, min(minAdaptiveRate, l.ceiling)), true
}

// admit records an admission at t; the caller holds mu.
func (l *Limiter) admit(t time.Time) Ticket {
	if len(l.sent) < l.size {
		// Grown on demand: a client built with a huge max_qps (the tests,
		// the benchmark's page capture) must not allocate a huge ring.
		l.sent = append(l.sent, t)
		l.refused = append(l.refused, false)
	} else {
		i := l.seq % uint64(l.size)
		l.sent[i], l.refused[i] = t, false
	}
	l.seq++
	tk := Ticket{At: t, Gen: l.gen, seq: l.seq}
	if l.admitted != nil {
		l.admitted(tk)
	}
	return tk
}

// Accepted records that the API answered the request of ticket t at now
// without throttling it (success or any other answer: it counted against
// the quota).
func (l *Limiter) Accepted(_ Ticket, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.forgetAccepted(now)
	l.accepted = append(l.accepted, now)
	l.lastAccepted = laterOf(l.lastAccepted, now)
}

// forgetAccepted drops the acceptances older than acceptedWindow before now.
func (l *Limiter) forgetAccepted(now time.Time) {
	i := 0
	for i < len(l.accepted) && now.Sub(l.accepted[i]) >= acceptedWindow {
		i++
	}
	if i > 0 {
		l.accepted = append(l.accepted[:0], l.accepted[i:]...)
	}
}

// Throttled records that the API throttled the request of ticket t,
// answered at now, and cuts the rate unless a cut since t's admission
// already answered the overload t met. It returns the rate it cut to, or 0
// when it did not cut.
func (l *Limiter) Throttled(t Ticket, now time.Time) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.throttles++
	if t.seq > 0 && l.seq-t.seq < uint64(len(l.sent)) {
		l.refused[(t.seq-1)%uint64(l.size)] = true
	}
	if t.Gen != l.gen {
		return 0
	}
	l.forgetAccepted(now)
	measured := float64(len(l.accepted)) / acceptedWindow.Seconds()
	current, adapted := l.rate(now)
	base, wmax := min(measured, current), min(measured, current)
	switch {
	case adapted && current <= l.wmax:
		base, wmax = current, l.wmax // still climbing back: not the one overrunning
	case adapted:
		wmax = max(l.wmax, (base+current)/2) // probing beyond Wmax: aim halfway back
	}
	rate := max(cubicBeta*base, min(minAdaptiveRate, l.ceiling))
	// K: the time the curve takes from rate back to wmax.
	l.wmax, l.k = wmax, time.Duration(math.Cbrt((wmax-rate)/cubicC)*float64(time.Second))
	l.cutAt, l.adapted = now, true
	l.gen++
	return rate
}

// AcceptedSince reports whether the API accepted a request of this limiter's
// client answered after t: whether the client made progress.
func (l *Limiter) AcceptedSince(t time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastAccepted.After(t)
}

// LastAccepted is the answer time of the client's last accepted request
// (zero before the first).
func (l *Limiter) LastAccepted() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastAccepted
}

// Throttles is how many of the client's requests the API has throttled.
func (l *Limiter) Throttles() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.throttles
}

// Rate is the rate the limiter admits at t: max_qps, or the adaptive rate
// below it after a throttle.
func (l *Limiter) Rate(t time.Time) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	r, _ := l.rate(t)
	return r
}

// MinDuration is the least time the limiter lets calls requests span, from
// the first admission to the last, starting empty and never throttled: Size
// requests a spacing apart, then the next Size a window after them, and so
// on.
func (l *Limiter) MinDuration(calls int) time.Duration {
	if calls <= 1 {
		return 0
	}
	k := calls - 1 // the last admission's index
	return time.Duration(k/l.size)*l.window + time.Duration(k%l.size)*l.spacing
}
