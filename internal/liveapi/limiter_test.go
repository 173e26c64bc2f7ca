package liveapi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// Expected values here are literals: max_qps rounded down, a window of one
// second plus a 20 ms guard band, and the AWS adaptive mode's constants (a
// cut to 0.7 of the accepted rate, the curve 0.4 x (t-K)^3 + Wmax).

// maxInWindow is the most of the sorted times that lie within any half-open
// second [t, t+1s), as the API counts its quota.
func maxInWindow(times []time.Time) int {
	most, lo := 0, 0
	for hi := range times {
		for times[hi].Sub(times[lo]) >= time.Second {
			lo++
		}
		most = max(most, hi-lo+1)
	}
	return most
}

func TestMaxInWindow(t *testing.T) {
	base := time.Now()
	ms := time.Millisecond
	times := []time.Time{base, base.Add(500 * ms), base.Add(999 * ms), base.Add(1000 * ms), base.Add(1999 * ms)}
	if got := maxInWindow(times); got != 3 {
		t.Errorf("got %d, want 3: [0, 1s) holds 0, 500 and 999 ms, [500 ms, 1.5 s) 500, 999 and 1000 ms", got)
	}
}

func TestNewLimiterShape(t *testing.T) {
	const band = 20 * time.Millisecond
	for _, c := range []struct {
		qps    float64
		size   int
		window time.Duration
	}{
		{100, 100, time.Second + band},
		{50, 50, time.Second + band},
		{12.5, 12, time.Second + band},
		{2.5, 2, time.Second + band}, // at most 2.5 in a second is at most 2
		{1, 1, time.Second + band},
		{0.5, 1, 2*time.Second + band},
		{0.1, 1, 10*time.Second + band},
	} {
		l := NewLimiter(c.qps)
		if l.Size() != c.size || l.Window() != c.window {
			t.Errorf("NewLimiter(%g): %d per %s, want %d per %s", c.qps, l.Size(), l.Window(), c.size, c.window)
		}
	}
}

// TestLimiterSlotsOpen admits at given times and checks when the next slot
// opens: a spacing (two thirds of the window shared by four at 4 QPS: 170
// ms) after the last admission, a window after the oldest of the last four,
// whichever is later.
func TestLimiterSlotsOpen(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(4)
	const w, sp, ms = 1020 * time.Millisecond, 170 * time.Millisecond, time.Millisecond
	if !l.opens(base).IsZero() {
		t.Fatal("the first slot of an empty limiter is not open at once")
	}
	for i, c := range []struct{ admit, opens time.Duration }{
		{0, sp},
		{sp, 2 * sp},
		{2*sp + 5*ms, 3*sp + 5*ms},
		{3*sp + 5*ms, w},                   // four in the window: the oldest sets it
		{w, w + sp},                        // the spacing after the last
		{w + sp + 40*ms, w + 2*sp + 40*ms}, // a late admission counts as late
		{w + 2*sp + 40*ms, w + 3*sp + 40*ms},
		{w + 3*sp + 40*ms, 2 * w}, // the window again
	} {
		l.admit(base.Add(c.admit))
		if got := l.opens(base).Sub(base); got != c.opens {
			t.Errorf("after admission %d at %s the next slot opens at %s, want %s", i, c.admit, got, c.opens)
		}
	}

	l = NewLimiter(0.1)
	l.admit(base)
	if got := l.opens(base).Sub(base); got != 10020*time.Millisecond {
		t.Errorf("at 0.1 QPS the next slot opens after %s, want 10.02s", got)
	}
}

func TestLimiterMinDuration(t *testing.T) {
	l := NewLimiter(100)
	// A window of 1.02 s; the spacing is two thirds of a window over 100: 6.8 ms.
	const w, sp = 1020 * time.Millisecond, 6800 * time.Microsecond
	for _, c := range []struct {
		calls int
		want  time.Duration
	}{{0, 0}, {1, 0}, {2, sp}, {100, 99 * sp}, {101, w}, {102, w + sp}, {201, 2 * w}, {240, 2*w + 39*sp}} {
		if got := l.MinDuration(c.calls); got != c.want {
			t.Errorf("MinDuration(%d) = %s, want %s", c.calls, got, c.want)
		}
	}
	if got := NewLimiter(0.5).MinDuration(3); got != 2*2020*time.Millisecond {
		t.Errorf("MinDuration(3) at 0.5 QPS = %s, want 4.04s", got)
	}
}

// greedy admits as early as the limiter allows, from start until n
// admissions, on a virtual clock, and returns the admission times.
func greedy(l *Limiter, start time.Time, n int) []time.Time {
	now := start
	var times []time.Time
	for len(times) < n {
		now = laterOf(now, l.opens(now))
		times = append(times, l.admit(now).At)
	}
	return times
}

// TestLimiterCeilingHoldsInEveryRollingSecond admits as fast as the limiter
// allows for several windows on a virtual clock: at most floor(max_qps) in
// any rolling second, and exactly that many in the first.
func TestLimiterCeilingHoldsInEveryRollingSecond(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		qps  float64
		most int
	}{{100, 100}, {50, 50}, {20, 20}, {12.5, 12}, {2.5, 2}, {1, 1}} {
		times := greedy(NewLimiter(c.qps), base, 4*c.most+1)
		if got := maxInWindow(times); got != c.most {
			t.Errorf("max_qps %g: %d admissions within one rolling second, want %d", c.qps, got, c.most)
		}
	}
}

// TestLimiterCeilingHoldsWhileRetrying throttles a third of the admissions
// and accepts the rest, as retries under throttling do: the ceiling still
// holds in every rolling second, and the client pauses after each cut.
func TestLimiterCeilingHoldsWhileRetrying(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(20)
	now := base
	var times []time.Time
	for i := range 200 {
		now = laterOf(now, l.opens(now))
		tk := l.admit(now)
		times = append(times, tk.At)
		answered := now.Add(40 * time.Millisecond)
		if i%3 == 2 {
			l.Throttled(tk, answered)
		} else {
			l.Accepted(tk, answered)
		}
	}
	if got := maxInWindow(times); got > 20 {
		t.Errorf("%d admissions within one rolling second while retrying, want at most 20", got)
	}
	if l.Throttles() != 66 {
		t.Errorf("%d throttles counted, want 66", l.Throttles())
	}
}

// virtualClock is a Limiter's clock that never waits: a sleep moves it on
// at once, by exactly what was asked. Only the caller whose turn it is
// sleeps, so the time it tells is the one the limiter would wake at on an
// idle machine, and a test of Wait takes no time and cannot flake.
type virtualClock struct {
	mu    sync.Mutex
	at    time.Time
	slept []time.Duration
}

// onVirtualClock puts l on a virtual clock that starts at start.
func onVirtualClock(l *Limiter, start time.Time) *virtualClock {
	v := &virtualClock{at: start}
	l.now, l.sleep = v.now, v.sleep
	return v
}

func (v *virtualClock) now() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.at
}

func (v *virtualClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.at = v.at.Add(d)
	v.slept = append(v.slept, d)
	return nil
}

// TestLimiterWaitAdmitsAtMostFloorQPS lets many goroutines through one
// limiter at once and judges the admission times it decided on (the
// tickets): at most floor(max_qps) within any rolling second, and the 30
// admissions spread over exactly the floor, since a virtual clock wakes
// each caller when its slot opens. In real time (not under -short: it
// takes 3.5 s) the span is at least the floor, whatever the machine does.
func TestLimiterWaitAdmitsAtMostFloorQPS(t *testing.T) {
	for _, c := range []struct {
		qps  float64
		most int
	}{{20, 20}, {12.5, 12}} {
		for _, virtual := range []bool{true, false} {
			t.Run(fmt.Sprintf("%g/virtual=%v", c.qps, virtual), func(t *testing.T) {
				if !virtual && testing.Short() {
					t.Skip("2 to 3 windows of real time; the virtual clock runs the same admissions")
				}
				l := NewLimiter(c.qps)
				if virtual {
					onVirtualClock(l, time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
				}
				const workers, each = 6, 5 // 30 admissions: 2 or 3 windows
				var (
					mu    sync.Mutex
					times []time.Time
					wg    sync.WaitGroup
				)
				start := time.Now()
				for range workers {
					wg.Go(func() {
						for range each {
							tk, err := l.Wait(context.Background())
							if err != nil {
								t.Error(err)
								return
							}
							mu.Lock()
							times = append(times, tk.At)
							mu.Unlock()
						}
					})
				}
				wg.Wait()
				elapsed := time.Since(start)
				slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
				if got := maxInWindow(times); got != c.most {
					t.Errorf("%d admissions within one rolling second at max_qps %g, want %d", got, c.qps, c.most)
				}
				// 30 admissions at 20 a window take one window and nine
				// spacings, at 12 two windows and five spacings.
				want := map[float64]time.Duration{20: 1020*time.Millisecond + 9*34*time.Millisecond, 12.5: 2*1020*time.Millisecond + 5*56666666*time.Nanosecond}[c.qps]
				span := times[len(times)-1].Sub(times[0])
				switch {
				case virtual && span != want:
					t.Errorf("30 admissions spanned %s on a virtual clock, want exactly the floor %s", span, want)
				case !virtual && (span < want || elapsed < want):
					t.Errorf("30 admissions spanned %s (elapsed %s), less than the floor %s", span, elapsed, want)
				}
			})
		}
	}
}

// TestLimiterWaitRechecksWhileTheRateClimbs: cut to half a request a
// second with nothing accepted (the curve 0.4 (t + 1.077)^3, as in
// TestAReadShutOutFailsNamingTheCause), a caller does not sleep the 2 s
// that 0.5 a second would ask: it looks again every 100 ms and is
// admitted once t x rate(t) reaches one request, about 0.57 s after the
// last admission, so at the 0.6 s check.
func TestLimiterWaitRechecksWhileTheRateClimbs(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(50)
	v := onVirtualClock(l, base)
	tk, err := l.Wait(context.Background())
	if err != nil || !tk.At.Equal(base) || len(v.slept) != 0 {
		t.Fatalf("the first admission: %v at %s after sleeping %v; want at once", err, tk.At, v.slept)
	}
	if got := l.Throttled(tk, base); got != 0.5 {
		t.Fatalf("cut to %g, want 0.5", got)
	}
	tk, err = l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := tk.At.Sub(base); got != 600*time.Millisecond {
		t.Errorf("admitted %s after the cut, want 600ms (the first 100 ms check after 0.57 s)", got)
	}
	if len(v.slept) != 6 || slices.ContainsFunc(v.slept, func(d time.Duration) bool { return d != 100*time.Millisecond }) {
		t.Errorf("slept %v, want six looks of 100 ms", v.slept)
	}
}

func TestLimiterWaitEndsWithTheContext(t *testing.T) {
	l := NewLimiter(1)
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := l.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the deadline", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("the wait outlived its context by %s", d)
	}
	done, stop := context.WithCancel(context.Background())
	stop()
	if _, err := l.Wait(done); !errors.Is(err, context.Canceled) {
		t.Errorf("a done context: got %v", err)
	}
}

// admitAccepted admits n requests from start, spaced gap apart, each
// answered and accepted 40 ms later.
func admitAccepted(l *Limiter, start time.Time, n int, gap time.Duration) {
	for i := range n {
		tk := l.admit(start.Add(time.Duration(i) * gap))
		l.Accepted(tk, tk.At.Add(40*time.Millisecond))
	}
}

// TestLimiterCutsToSevenTenthsOfTheAcceptedRate: 10 requests accepted in the
// last second, then a throttle: the rate is 7 a second, and climbs back
// along 0.4 (t-K)^3 + 10 with K = cbrt(10 x 0.3 / 0.4) = 1.957 s, to max_qps
// and the limiter as it was.
func TestLimiterCutsToSevenTenthsOfTheAcceptedRate(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(50)
	admitAccepted(l, base, 10, 50*time.Millisecond) // accepted at 40..490 ms
	tk := l.admit(base.Add(500 * time.Millisecond))
	cut := base.Add(540 * time.Millisecond)
	if got := l.Throttled(tk, cut); got != 7 {
		t.Fatalf("cut to %g a second, want 7 (0.7 x 10 accepted in the last second)", got)
	}
	const k = 1957 * time.Millisecond // cbrt(7.5) s
	for _, c := range []struct {
		after time.Duration
		want  float64
	}{
		{0, 7},
		{k, 10},                         // back to the rate it was cut from
		{k + time.Second, 10.4},         // 0.4 x 1^3 above it
		{k + 2*time.Second, 13.2},       // 0.4 x 2^3
		{k + 4*time.Second, 35.6},       // 0.4 x 4^3
		{k + 4700*time.Millisecond, 50}, // 0.4 x 4.7^3 + 10 > 50: the ceiling
	} {
		if got := l.Rate(cut.Add(c.after)); math.Abs(got-c.want) > 0.01 {
			t.Errorf("%s after the cut the rate is %.3f, want %g", c.after, got, c.want)
		}
	}
	if l.adapted {
		t.Error("the limiter is still adapted at max_qps")
	}
}

// TestLimiterCutsOncePerGeneration: a throttle of a request admitted before
// the last cut does not cut again; one admitted after it does.
func TestLimiterCutsOncePerGeneration(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(50)
	admitAccepted(l, base, 20, 25*time.Millisecond) // accepted at 40..515 ms
	early := l.admit(base.Add(500 * time.Millisecond))
	inFlight := l.admit(base.Add(510 * time.Millisecond))
	if got := l.Throttled(early, base.Add(540*time.Millisecond)); got != 14 {
		t.Fatalf("first cut to %g, want 14 (0.7 x 20)", got)
	}
	if got := l.Throttled(inFlight, base.Add(550*time.Millisecond)); got != 0 {
		t.Errorf("a request sent before the cut cut again, to %g", got)
	}
	if got := l.Throttles(); got != 2 {
		t.Errorf("%d throttles counted, want 2", got)
	}
	after := l.admit(base.Add(2 * time.Second))
	if got := l.Throttled(after, base.Add(2040*time.Millisecond)); got == 0 {
		t.Error("a request sent after the cut did not cut")
	}
	// A ticket's generation is the number of cuts before it.
	if later := l.admit(base.Add(3 * time.Second)); early.Gen != 0 || after.Gen != 1 || later.Gen != 2 {
		t.Errorf("generations %d, %d, %d; want 0, 1 and 2 (the cuts before each)", early.Gen, after.Gen, later.Gen)
	}
}

// TestLimiterMeasuresTheLastSecond: the accepted rate a cut starts from
// counts the answers of the last second, an answer exactly a second old no
// longer: 10 accepted at 40 to 490 ms and a throttle answered at 1.04 s
// leave 9, a cut to 6.3.
func TestLimiterMeasuresTheLastSecond(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(50)
	admitAccepted(l, base, 10, 50*time.Millisecond)
	if got := l.Throttled(l.admit(base.Add(time.Second)), base.Add(1040*time.Millisecond)); math.Abs(got-6.3) > 1e-9 {
		t.Errorf("cut to %g, want 6.3 (0.7 x the 9 answers of (40 ms, 1.04 s])", got)
	}
}

// TestLimiterBackAtTheCeiling: the curve reaches max_qps exactly at K when
// the rate it was cut from was max_qps itself, and the limiter is then as
// before the first throttle.
func TestLimiterBackAtTheCeiling(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(10)
	admitAccepted(l, base, 10, 50*time.Millisecond)
	if got := l.Throttled(l.admit(base.Add(500*time.Millisecond)), base.Add(540*time.Millisecond)); got != 7 {
		t.Fatalf("cut to %g, want 7", got)
	}
	back := base.Add(540 * time.Millisecond).Add(l.k)
	if got := l.Rate(back); got != 10 || l.adapted {
		t.Errorf("at K the rate is %g (adapted %v), want 10 and the limiter as before the throttle", got, l.adapted)
	}
}

// TestLimiterAimsHalfwayWhenProbing: a client throttled while its rate has
// climbed beyond the rate it was cut from (Wmax 10, now 13.2) aims halfway
// between what the API accepted (12 in the last second) and that rate: it
// is cut to 0.7 x 12 = 8.4 and climbs back to 12.6 in cbrt((12.6 - 8.4) /
// 0.4) = 2.19 s.
func TestLimiterAimsHalfwayWhenProbing(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(50)
	admitAccepted(l, base, 10, 50*time.Millisecond)
	l.Throttled(l.admit(base.Add(500*time.Millisecond)), base.Add(540*time.Millisecond)) // 7 a second, Wmax 10
	at := base.Add(540 * time.Millisecond).Add(l.k + 2*time.Second)                      // the curve at 13.2
	admitAccepted(l, at.Add(-1030*time.Millisecond), 12, 80*time.Millisecond)            // answered 0.99 s to 0.11 s before
	if got := l.Throttled(l.admit(at.Add(-40*time.Millisecond)), at); math.Abs(got-8.4) > 1e-9 {
		t.Errorf("cut to %g, want 8.4", got)
	}
	if got := l.Rate(at.Add(2190 * time.Millisecond)); math.Abs(got-12.6) > 0.01 {
		t.Errorf("2.19 s after the cut the rate is %.3f, want 12.6", got)
	}
}

// TestLimiterForgetsTicketsThatLeftTheRing: the throttle of an admission
// that newer ones have pushed out of the ring (3 at max_qps 3) marks none
// of them refused.
func TestLimiterForgetsTicketsThatLeftTheRing(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(3)
	first := l.admit(base)
	for i := 1; i <= 3; i++ {
		l.admit(base.Add(time.Duration(i) * 400 * time.Millisecond))
	}
	l.Throttled(first, base.Add(1300*time.Millisecond))
	if slices.Contains(l.refused, true) {
		t.Errorf("refused %v: a newer admission was marked for the old one's throttle", l.refused)
	}
	l.Throttled(l.admit(base.Add(1600*time.Millisecond)), base.Add(1640*time.Millisecond))
	if got := l.refused[l.index(1)]; !got {
		t.Error("the throttled admission in the ring is not marked refused")
	}
}

// TestLimiterKeepsAimingWhileClimbingBack: throttled again while still below
// the rate it was cut from, a client is cut from its current rate, not from
// an accepted rate the last cut's pause lowered, and keeps climbing back to
// the same rate.
func TestLimiterKeepsAimingWhileClimbingBack(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(50)
	admitAccepted(l, base, 10, 50*time.Millisecond)
	l.Throttled(l.admit(base.Add(500*time.Millisecond)), base.Add(540*time.Millisecond)) // 7 a second, Wmax 10
	// 0.5 s later the curve is at 0.4 (0.5-1.957)^3 + 10 = 8.762; nothing
	// was accepted since the cut.
	second := l.admit(base.Add(time.Second))
	at := base.Add(1040 * time.Millisecond)
	if got, want := l.Throttled(second, at), 0.7*(0.4*math.Pow(0.5-math.Cbrt(7.5), 3)+10); math.Abs(got-want) > 0.01 {
		t.Errorf("cut to %.3f, want %.3f (0.7 x the current rate)", got, want)
	}
	// Back at 10 after K' = cbrt((10 - 6.133) / 0.4) = 2.130 s.
	if got := l.Rate(at.Add(2130 * time.Millisecond)); math.Abs(got-10) > 0.01 {
		t.Errorf("the rate climbs back to %.3f, want 10", got)
	}
}

// TestLimiterCutToTheFloorWhenNothingIsAccepted: a client the API accepted
// nothing from goes down to half a request a second, and no lower.
func TestLimiterCutToTheFloorWhenNothingIsAccepted(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(50)
	if got := l.Throttled(l.admit(base), base.Add(40*time.Millisecond)); got != 0.5 {
		t.Errorf("cut to %g, want 0.5", got)
	}
	if got := NewLimiter(0.2).Throttled(Ticket{}, base); got != 0.2 {
		t.Errorf("at max_qps 0.2, cut to %g, want 0.2 (the floor never exceeds the ceiling)", got)
	}
}

// TestLimiterPausesAfterACut: cut to 7 a second, the client admits nothing
// until only 6 of its accepted requests lie within the last 1.02 s; the
// requests the API refused do not count.
func TestLimiterPausesAfterACut(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(50)
	admitAccepted(l, base, 10, 10*time.Millisecond) // admitted 0..90 ms
	var refused []Ticket
	for i := range 4 {
		refused = append(refused, l.admit(base.Add(time.Duration(100+10*i)*time.Millisecond)))
	}
	for _, tk := range refused {
		l.Throttled(tk, tk.At.Add(40*time.Millisecond))
	}
	// The 7th most recent accepted admission was at 30 ms, as the cut
	// happens (7 a second: 7.14 in the 1.02 s window, so 7) and 60 ms later
	// (7.27 a second).
	for _, now := range []time.Duration{140 * time.Millisecond, 200 * time.Millisecond} {
		if got := l.opens(base.Add(now)).Sub(base); got != 1050*time.Millisecond {
			t.Errorf("at %s the next slot opens at %s, want 1.05s (30 ms + 1.02 s)", now, got)
		}
	}
}

// TestLimiterCountsBackToTheOldestAdmission: cut to 1.4 a second from the 2
// answers of the last second (Wmax 2, K = cbrt(1.5) = 1.145 s), 0.7 s later
// the rate is 1.965: 2 in the 1.02 s window. The 2nd most recent accepted
// admission is the oldest the limiter holds, at 0 ms, so the next slot
// opens at 1.02 s, not 1/1.965 s after the last admission (0.709 s).
func TestLimiterCountsBackToTheOldestAdmission(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(50)
	admitAccepted(l, base, 2, 100*time.Millisecond)
	if got := l.Throttled(l.admit(base.Add(200*time.Millisecond)), base.Add(240*time.Millisecond)); math.Abs(got-1.4) > 1e-9 {
		t.Fatalf("cut to %g, want 1.4", got)
	}
	if got := l.opens(base.Add(940 * time.Millisecond)).Sub(base); got != 1020*time.Millisecond {
		t.Errorf("the next slot opens at %s, want 1.02s", got)
	}
}

// TestLimiterProgress: AcceptedSince and LastAccepted follow the answers.
func TestLimiterProgress(t *testing.T) {
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(10)
	if l.AcceptedSince(base) || !l.LastAccepted().IsZero() {
		t.Fatal("progress before any answer")
	}
	tk := l.admit(base)
	l.Throttled(tk, base.Add(40*time.Millisecond))
	if l.AcceptedSince(base) {
		t.Error("a throttle counted as progress")
	}
	l.Accepted(l.admit(base.Add(time.Second)), base.Add(1040*time.Millisecond))
	if !l.AcceptedSince(base.Add(time.Second)) || l.AcceptedSince(base.Add(1040*time.Millisecond)) {
		t.Error("AcceptedSince does not follow the answer at 1.04 s")
	}
	if got := l.LastAccepted(); !got.Equal(base.Add(1040 * time.Millisecond)) {
		t.Errorf("LastAccepted %s", got)
	}
}

// TestReadsAndRetriesStayUnderMaxQPS reads two data sets at once through one
// client, as two data sources of one provider do, from an emulator that
// fails every third request with 503 so that retries happen. Every request
// the emulator received was admitted by the limiter, and the admissions,
// retries included, never exceed max_qps in a rolling second. The times
// judged are those the limiter decided on, just before the HTTP client sent
// each request, so a busy machine cannot bunch them; how the emulator saw
// them arrive is logged.
func TestReadsAndRetriesStayUnderMaxQPS(t *testing.T) {
	if testing.Short() {
		t.Skip("two reads of 24 pages at 30 QPS take about 2 seconds")
	}
	const domain, n, pageSize = "peak.example.com", 1_200, 50
	opts := oneDomain(domain, n)
	opts.Latency = 20 * time.Millisecond
	opts.Faults = emulator.Faults{UnavailableEvery: 3}
	c, emu := newTestClient(t, opts, Config{MaxQPS: 30, MaxRetries: DefaultMaxRetries, RetryBaseDelay: 10 * time.Millisecond})
	var (
		mu    sync.Mutex
		times []time.Time
	)
	c.limiter.admitted = func(tk Ticket) { mu.Lock(); times = append(times, tk.At); mu.Unlock() }
	q := streamQuery(domain, emu.Now())
	q.PageSize = pageSize
	var (
		wg         sync.WaitGroup
		errS, errR error
	)
	wg.Go(func() { _, errS = List(context.Background(), c, StreamNotifyRecords, q) })
	wg.Go(func() { _, errR = List(context.Background(), c, RecordNotifyRecords, q) })
	wg.Wait()
	if err := errors.Join(errS, errR); err != nil {
		t.Fatal(err)
	}
	st := emu.Stats()
	mu.Lock()
	defer mu.Unlock()
	if st.FaultsInjected == 0 || int64(len(times)) != st.Requests {
		t.Fatalf("%d admissions, %d requests at the emulator, %d of them failed on purpose; want as many admissions as requests, and retries",
			len(times), st.Requests, st.FaultsInjected)
	}
	if got := maxInWindow(times); got > 30 {
		t.Errorf("%d requests admitted within one rolling second at max_qps 30, retries included", got)
	}
	t.Logf("%d requests (%d retried), at most %d admitted and %d received in a rolling second",
		st.Requests, st.FaultsInjected, maxInWindow(times), emu.PeakRequestsPerSecond())
}

// TestLimiterIsSharedAcrossConcurrentReads runs two reads at once through
// one client (as two data sources of one provider do): one limiter admits
// the requests of both, at most max_qps in any rolling second between them.
// The limiter runs on a virtual clock, so the three windows its 60
// admissions need take no time: the requests leave as soon as it admits
// them, and its tickets say when it would have let them go.
func TestLimiterIsSharedAcrossConcurrentReads(t *testing.T) {
	opts := emulator.Options{Seed: 3, Domains: []emulator.DomainSpec{
		{Name: "a.example.com", StreamRecords: 1500}, {Name: "b.example.com", RecordCallbacks: 1500},
	}}
	c, emu := newTestClient(t, opts, Config{MaxQPS: 20})
	onVirtualClock(c.limiter, time.Now())
	var (
		mu    sync.Mutex
		times []time.Time
	)
	c.limiter.admitted = func(tk Ticket) { mu.Lock(); times = append(times, tk.At); mu.Unlock() }
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() {
		q := streamQuery("a.example.com", emu.Now())
		q.PageSize = 50
		_, errs[0] = List(context.Background(), c, StreamNotifyRecords, q)
	})
	wg.Go(func() {
		q := streamQuery("b.example.com", emu.Now())
		q.PageSize = 50
		_, errs[1] = List(context.Background(), c, RecordNotifyRecords, q)
	})
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if len(times) != 60 || emu.Stats().Requests != 60 {
		t.Fatalf("%d admissions, %d requests; want 60 each (30 pages a read)", len(times), emu.Stats().Requests)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	if got := maxInWindow(times); got != 20 {
		t.Errorf("%d admissions of the two reads within one rolling second, want 20: one limiter at max_qps 20", got)
	}
	// Two limiters would admit 60 requests in one window and 19 spacings.
	if span, want := times[59].Sub(times[0]), 2*1020*time.Millisecond+19*34*time.Millisecond; span != want {
		t.Errorf("60 admissions spanned %s, want the floor of one limiter at max_qps 20, %s", span, want)
	}
}
