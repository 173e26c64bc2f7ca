package liveapi

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/clock"
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// maxInWindow is the most of the sorted times that lie within any half-open
// window [t, t+window).
func maxInWindow(times []time.Time, window time.Duration) int {
	most, lo := 0, 0
	for hi := range times {
		for times[hi].Sub(times[lo]) >= window {
			lo++
		}
		most = max(most, hi-lo+1)
	}
	return most
}

func TestNewLimiterShape(t *testing.T) {
	for _, c := range []struct {
		qps    float64
		size   int
		window time.Duration
	}{
		{100, 100, time.Second},
		{50, 50, time.Second},
		{2.5, 2, time.Second}, // at most 2.5 in a second is at most 2
		{1, 1, time.Second},
		{0.5, 1, 2 * time.Second},
		{0.1, 1, 10 * time.Second},
	} {
		l := NewLimiter(c.qps)
		if l.Size() != c.size || l.Window() != c.window+DepartureSlack {
			t.Errorf("NewLimiter(%g): %d per %s, want %d per %s", c.qps, l.Size(), l.Window(), c.size, c.window+DepartureSlack)
		}
	}
}

// TestLimiterAdmitsAtMostSizePerWindow lets many goroutines through one
// limiter at once and checks the admission times they record: never more
// than max_qps within any rolling second, and no slower than the floor.
func TestLimiterAdmitsAtMostSizePerWindow(t *testing.T) {
	for _, qps := range []float64{20, 12.5} {
		t.Run(fmt.Sprint(qps), func(t *testing.T) {
			l := NewLimiter(qps)
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
						if err := l.Wait(context.Background()); err != nil {
							t.Error(err)
							return
						}
						now := time.Now()
						mu.Lock()
						times = append(times, now)
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
			if got := maxInWindow(times, time.Second); got > int(qps) {
				t.Errorf("%d admissions within one rolling second at max_qps %g", got, qps)
			}
			// The window is measured without the slack too: the slack is
			// the margin, not what keeps the count.
			if got := maxInWindow(times, l.Window()-time.Millisecond); got > l.Size() {
				t.Errorf("%d admissions within one window (%s), want at most %d", got, l.Window(), l.Size())
			}
			if floor := l.MinDuration(workers * each); elapsed < floor {
				t.Errorf("%d admissions took %s, less than the floor %s", workers*each, elapsed, floor)
			}
		})
	}
}

// TestLimiterSlotsOpen admits at given times and checks when the next slot
// opens: a spacing after the last admission, a window after the oldest of
// the last Size, whichever is later.
func TestLimiterSlotsOpen(t *testing.T) {
	base := time.Now()
	l := NewLimiter(3)
	w, sp := l.Window(), l.spacing
	if sp != w/6 {
		t.Fatalf("spacing %s, want a sixth of %s", sp, w)
	}
	if !l.opens().IsZero() {
		t.Fatal("the first slot of an empty limiter is not open at once")
	}
	ms := time.Millisecond
	for i, c := range []struct{ admit, opens time.Duration }{
		{0, sp},
		{sp, 2 * sp},
		{2*sp + 5*ms, w},                   // three in the window: the oldest sets it
		{w, w + sp},                        // the spacing after the last
		{w + sp + 40*ms, w + 2*sp + 40*ms}, // a late admission counts as late
		{w + 2*sp + 40*ms, 2 * w},          // the window again
	} {
		l.admit(base.Add(c.admit))
		if got := l.opens().Sub(base); got != c.opens {
			t.Errorf("after admission %d at %s the next slot opens at %s, want %s", i, c.admit, got, c.opens)
		}
	}

	l = NewLimiter(0.1)
	l.admit(base)
	if got := l.opens().Sub(base); got != 10*time.Second+DepartureSlack {
		t.Errorf("at 0.1 QPS the next slot opens after %s, want 10s", got)
	}
}

func TestLimiterMinDuration(t *testing.T) {
	l := NewLimiter(100)
	w, sp := l.Window(), l.spacing
	for _, c := range []struct {
		calls int
		want  time.Duration
	}{{0, 0}, {1, 0}, {2, sp}, {100, 99 * sp}, {101, w}, {102, w + sp}, {201, 2 * w}, {240, 2*w + 39*sp}} {
		if got := l.MinDuration(c.calls); got != c.want {
			t.Errorf("MinDuration(%d) = %s, want %s", c.calls, got, c.want)
		}
	}
	if got := NewLimiter(0.5).MinDuration(3); got != 2*(2*time.Second+DepartureSlack) {
		t.Errorf("MinDuration(3) at 0.5 QPS = %s", got)
	}
}

func TestLimiterWaitEndsWithTheContext(t *testing.T) {
	l := NewLimiter(1)
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := l.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the deadline", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("the wait outlived its context by %s", d)
	}
	done, stop := context.WithCancel(context.Background())
	stop()
	if err := l.Wait(done); !errors.Is(err, context.Canceled) {
		t.Errorf("a done context: got %v", err)
	}
}

// TestTwoReadsAtOnceStayUnderMaxQPS reads two data sets at once through one
// client, as two data sources of one provider do, and asks the emulator for
// the most requests it received within any rolling second: at most max_qps.
//
// The emulator stamps a request when its handler starts, so a process that
// stalls for longer than DepartureSlack between admitting a request and
// serving it (a machine busy with other work) can bunch arrivals that left
// apart. A run that saw such a stall is repeated, up to three times, and the
// test is skipped, saying so, if every run was disturbed.
func TestTwoReadsAtOnceStayUnderMaxQPS(t *testing.T) {
	if testing.Short() {
		t.Skip("two full reads at 100 and 50 QPS take about 7 seconds")
	}
	// Small pages: 240 requests that cost little CPU, so that the arrival
	// times the emulator takes are not skewed by the process's own work.
	const domain, n, pageSize = "peak.example.com", 1_200, 10
	opts := oneDomain(domain, n)
	opts.Latency = 20 * time.Millisecond
	emu := emulator.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	ep, err := ParseEndpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	cred := mustCredential(t, CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret})
	for _, qps := range []float64{100, 50} {
		t.Run(fmt.Sprint(qps), func(t *testing.T) {
			var stalls []time.Duration
			for range 3 {
				c, err := New(Config{Endpoint: &ep, MaxQPS: qps, Credential: cred})
				if err != nil {
					t.Fatal(err)
				}
				emu.ResetStats()
				q := streamQuery(domain, emu.Now())
				q.PageSize = pageSize
				var (
					wg         sync.WaitGroup
					streams    *Result[StreamNotifyRecord]
					records    *Result[RecordCallback]
					errS, errR error
				)
				stopWatch := clock.WatchStalls()
				start := time.Now()
				wg.Go(func() { streams, errS = List(context.Background(), c, StreamNotifyRecords, q) })
				wg.Go(func() { records, errR = List(context.Background(), c, RecordNotifyRecords, q) })
				wg.Wait()
				wall := time.Since(start)
				stall := stopWatch()
				if err := errors.Join(errS, errR); err != nil {
					t.Fatal(err)
				}
				if len(streams.Records) != streams.TotalNum || len(records.Records) != records.TotalNum || streams.TotalNum < n-10 || records.TotalNum < n-10 {
					t.Fatalf("%d of %d and %d of %d records, want about %d each", len(streams.Records), streams.TotalNum, len(records.Records), records.TotalNum, n)
				}
				calls := streams.Calls + records.Calls
				peak := emu.PeakRequestsPerSecond()
				t.Logf("max_qps %g: %d calls in %s (floor %s), peak %d requests in a rolling second, longest stall %s",
					qps, calls, wall, c.MinDuration(calls), peak, stall)
				if wall < c.MinDuration(calls) {
					t.Fatalf("%d calls in %s, faster than the limiter allows (%s)", calls, wall, c.MinDuration(calls))
				}
				if peak <= int(qps) {
					return
				}
				if stall <= DepartureSlack {
					t.Fatalf("peak %d requests within one rolling second, over max_qps %g", peak, qps)
				}
				stalls = append(stalls, stall)
			}
			t.Skipf("every run was disturbed by stalls longer than %s (%v): the machine is too busy to measure the peak", DepartureSlack, stalls)
		})
	}
}

// TestLimiterIsSharedAcrossConcurrentReads runs two reads at once through
// one client (as two data sources of one provider do) against a server that
// enforces the same QPS: nothing is throttled.
func TestLimiterIsSharedAcrossConcurrentReads(t *testing.T) {
	opts := emulator.Options{Seed: 3, MaxQPS: 20, Domains: []emulator.DomainSpec{
		{Name: "a.example.com", StreamRecords: 1500}, {Name: "b.example.com", RecordCallbacks: 1500},
	}}
	c, emu := newTestClient(t, opts, Config{MaxQPS: 20, MaxRetries: -1})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Add(2)
	go func() {
		defer wg.Done()
		q := streamQuery("a.example.com", emu.Now())
		q.PageSize = 50
		_, errs[0] = List(context.Background(), c, StreamNotifyRecords, q)
	}()
	go func() {
		defer wg.Done()
		q := streamQuery("b.example.com", emu.Now())
		q.PageSize = 50
		_, errs[1] = List(context.Background(), c, RecordNotifyRecords, q)
	}()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("a read failed (with retries off, a throttle is fatal): %v", err)
		}
	}
	if st := emu.Stats(); st.Throttled != 0 || st.Requests != 60 {
		t.Errorf("throttled %d of %d requests; want 0 of 60", st.Throttled, st.Requests)
	}
}
