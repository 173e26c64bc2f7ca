package liveapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// The retry rules of fetchPage and the client's defaults, as the provider's
// documentation states them; expected values are literals.

func testKeys(t *testing.T) Config {
	t.Helper()
	return Config{Credential: mustCredential(t, CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret})}
}

// TestClientDefaults: region cn-shanghai, max_qps 50, backoff from 200 ms
// to 5 s, a 30 s HTTP timeout, and workers for a quarter second of max_qps
// but at least 10; the provider's max_retries default is 5.
func TestClientDefaults(t *testing.T) {
	if DefaultMaxRetries != 5 || DefaultMaxQPS != 50 || DefaultRegion != "cn-shanghai" || DefaultConcurrency != 10 {
		t.Errorf("defaults: max_retries %d, max_qps %d, region %q, concurrency %d; the docs promise 5, 50, cn-shanghai, 10",
			DefaultMaxRetries, DefaultMaxQPS, DefaultRegion, DefaultConcurrency)
	}
	c, err := New(testKeys(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.regionID != "cn-shanghai" || c.MaxQPS() != 50 || c.Limiter().Size() != 50 || c.maxRetries != 0 ||
		c.baseDelay != 200*time.Millisecond || c.maxDelay != 5*time.Second || c.http.Timeout != 30*time.Second || c.concurrency != 13 {
		t.Errorf("New with nothing set: region %q, max_qps %g (limiter %d), retries %d, backoff %s to %s, timeout %s, %d workers; "+
			"want cn-shanghai, 50 (50), 0, 200ms to 5s, 30s, 13", c.regionID, c.MaxQPS(), c.Limiter().Size(), c.maxRetries,
			c.baseDelay, c.maxDelay, c.http.Timeout, c.concurrency)
	}
	for _, w := range []struct {
		qps         float64
		concurrency int
		want        int
	}{{100, 0, 25}, {10, 0, 10}, {0.5, 0, 10}, {50, 3, 3}} {
		cfg := testKeys(t)
		cfg.MaxQPS, cfg.Concurrency = w.qps, w.concurrency
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if c.concurrency != w.want {
			t.Errorf("max_qps %g, Concurrency %d: %d workers, want %d", w.qps, w.concurrency, c.concurrency, w.want)
		}
	}
	// The limiter's window: a second and the 20 ms guard band, another band
	// when asked, none when negative.
	for _, w := range []struct {
		band, window time.Duration
	}{{0, 1020 * time.Millisecond}, {50 * time.Millisecond, 1050 * time.Millisecond}, {-1, time.Second}} {
		cfg := testKeys(t)
		cfg.GuardBand = w.band
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Limiter().Window(); got != w.window {
			t.Errorf("GuardBand %s: a window of %s, want %s", w.band, got, w.window)
		}
	}
	cfg := testKeys(t)
	cfg.RegionID, cfg.MaxRetries, cfg.ReadTimeout = "cn-beijing", -3, 7*time.Second
	if c, err = New(cfg); err != nil || c.regionID != "cn-beijing" || c.maxRetries != 0 || c.http.Timeout != 7*time.Second {
		t.Errorf("region %q, retries %d, timeout %s, err %v; want cn-beijing, 0, 7s", c.regionID, c.maxRetries, c.http.Timeout, err)
	}
}

// TestClientSendsTheUserAgent: a configured user agent goes with every
// request, after the SDK's own; without one, only the SDK's.
func TestClientSendsTheUserAgent(t *testing.T) {
	emu := emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}, NoCaseDomains: true})
	var (
		mu     sync.Mutex
		agents []string
	)
	ep := serveThrough(t, emu, func(r *http.Request, body []byte) []byte {
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		return body
	})
	for _, ua := range []string{"terraform-provider-live/1.2.3 terraform-cli/1.12.6", ""} {
		cfg := testKeys(t)
		cfg.Endpoint, cfg.UserAgent = &ep, ua
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := List(context.Background(), c, StreamNotifyRecords, Query{DomainName: emulator.FixtureStreamDomain,
			StartTime: emu.Now().Add(-time.Hour), EndTime: emu.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(agents) != 2 || !strings.HasPrefix(agents[0], "AlibabaCloud") || !strings.HasSuffix(agents[0], " terraform-provider-live/1.2.3 terraform-cli/1.12.6") ||
		!strings.HasPrefix(agents[1], "AlibabaCloud") || strings.Contains(agents[1], "terraform") {
		t.Errorf("user agents %q; want the SDK's, then ours after it, then the SDK's alone", agents)
	}
}

// TestInterruptedReadNamesTheCause: a read whose context was cancelled with
// a cause fails with that cause, not only context.Canceled.
func TestInterruptedReadNamesTheCause(t *testing.T) {
	c, emu := newTestClient(t, oneDomain("cause.example.com", 10), Config{})
	ctx, cancel := context.WithCancelCause(context.Background())
	stop := errors.New("the plan was interrupted")
	cancel(stop)
	_, err := List(ctx, c, StreamNotifyRecords, streamQuery("cause.example.com", emu.Now()))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Class != ClassInterrupted || !errors.Is(err, stop) || emu.Stats().Requests != 0 {
		t.Errorf("got %v after %d requests, want an interrupted read wrapping its cause, before any request", err, emu.Stats().Requests)
	}
}

// TestBackoffIsExponentialJitteredAndCapped: attempt n waits between half
// and all of 200 ms x 2^(n-1), capped at 5 s, with full jitter in between.
func TestBackoffIsExponentialJitteredAndCapped(t *testing.T) {
	c, err := New(testKeys(t))
	if err != nil {
		t.Fatal(err)
	}
	ms := time.Millisecond
	for _, w := range []struct {
		attempt int
		lo, hi  time.Duration
	}{{1, 100 * ms, 200 * ms}, {2, 200 * ms, 400 * ms}, {3, 400 * ms, 800 * ms}, {4, 800 * ms, 1600 * ms},
		{5, 1600 * ms, 3200 * ms}, {6, 2500 * ms, 5000 * ms}, {40, 2500 * ms, 5000 * ms}} {
		least, most := time.Duration(1<<62), time.Duration(0)
		for range 200 {
			d := c.backoff(w.attempt)
			least, most = min(least, d), max(most, d)
		}
		if least < w.lo || most > w.hi {
			t.Errorf("attempt %d waits %s to %s, want within %s to %s", w.attempt, least, most, w.lo, w.hi)
		}
		if mid := (w.lo + w.hi) / 2; least > mid || most < mid {
			t.Errorf("attempt %d: 200 waits from %s to %s, all on one side of %s: no jitter", w.attempt, least, most, mid)
		}
	}
	// A base delay so large that doubling it overflows to zero is capped
	// too: 2^48 ns shifted by 16 is 2^64, 0 in an int64.
	c.baseDelay = 1 << 48
	if d := c.backoff(17); d < 2500*ms || d > 5000*ms {
		t.Errorf("a backoff that overflows waits %s, want 2.5s to 5s", d)
	}
}

// TestRetriesBackOffExponentiallyWithTheDefaultFiveRetries: a page that
// keeps failing with 503 is sent 6 times (1 + max_retries 5), retry n after
// a wait of half to all of 10 ms x 2^(n-1). The client runs on a shifted
// clock: the waits it chooses are recorded exactly and take no time, and
// the limiter's admissions lie at least that far apart.
func TestRetriesBackOffExponentiallyWithTheDefaultFiveRetries(t *testing.T) {
	opts := oneDomain("down.example.com", 10)
	opts.Faults = emulator.Faults{UnavailableEvery: 1}
	c, emu, clk := newShiftedClient(t, opts, Config{MaxRetries: DefaultMaxRetries, RetryBaseDelay: 10 * time.Millisecond}, nil)
	var (
		mu    sync.Mutex
		times []time.Time
		waits []time.Duration
	)
	c.limiter.admitted = func(tk Ticket) { mu.Lock(); times = append(times, tk.At); mu.Unlock() }
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return clk.sleep(ctx, d)
	}
	_, err := List(context.Background(), c, StreamNotifyRecords, streamQuery("down.example.com", emu.Now()))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "ServiceUnavailable" || apiErr.Attempts != 6 || apiErr.Starved != 0 {
		t.Fatalf("got %v, want ServiceUnavailable after 6 attempts", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(times) != 6 || emu.Stats().Requests != 6 || len(waits) != 5 {
		t.Fatalf("%d admissions, %d requests, %d waits; want 6, 6 and 5", len(times), emu.Stats().Requests, len(waits))
	}
	ms := time.Millisecond
	for i, least := range []time.Duration{5 * ms, 10 * ms, 20 * ms, 40 * ms, 80 * ms} {
		if waits[i] < least || waits[i] > 2*least {
			t.Errorf("retry %d waited %s, want %s to %s", i+1, waits[i], least, 2*least)
		}
		if gap := times[i+1].Sub(times[i]); gap < waits[i] {
			t.Errorf("retry %d was sent %s after the attempt before, less than its wait %s", i+1, gap, waits[i])
		}
	}
}

// quotaClient is a client at the defaults but max_retries 0 and a 10 ms
// backoff, against an account that accepts accountQPS requests in any
// rolling second, and a query of 200-record pages over its domain of n.
// With shifted, both run on a shifted clock (one page at a time): the
// waits take no time.
func quotaClient(t *testing.T, domain string, n int, accountQPS float64, shifted bool) (*Client, *emulator.Server, Query) {
	t.Helper()
	opts := oneDomain(domain, n)
	opts.MaxQPS = accountQPS
	cfg := Config{MaxRetries: 0, RetryBaseDelay: 10 * time.Millisecond, MaxQPS: DefaultMaxQPS}
	var (
		c   *Client
		emu *emulator.Server
	)
	if shifted {
		c, emu, _ = newShiftedClient(t, opts, cfg, nil)
	} else {
		c, emu = newTestClient(t, opts, cfg)
	}
	q := streamQuery(domain, emu.Now())
	q.PageSize = 200
	return c, emu, q
}

// TestThrottlingSlowsAReadInsteadOfFailingIt: an account that accepts 5
// requests a second and a client at max_qps 50 with max_retries 0: the read
// of 10 pages completes, slower, because throttled attempts cost no retry
// while some request of the client gets through. It takes about 2 seconds:
// in real time, with the default 13 workers, only without -short; under
// -short one page at a time, on a shifted clock.
func TestThrottlingSlowsAReadInsteadOfFailingIt(t *testing.T) {
	c, emu, q := quotaClient(t, "busy.example.com", 2000, 5, testing.Short())
	res, err := List(context.Background(), c, StreamNotifyRecords, q)
	if err != nil {
		t.Fatalf("the read failed under throttling: %v", err)
	}
	st := emu.Stats()
	if len(res.Records) != 2000 || st.Throttled == 0 || st.Requests != int64(10)+st.Throttled || c.Limiter().Throttles() != st.Throttled {
		t.Errorf("%d records, %d requests, %d throttled (the limiter counted %d); want 2000 records, 10 accepted requests and some throttled",
			len(res.Records), st.Requests, st.Throttled, c.Limiter().Throttles())
	}
}

// TestAReadShutOutFailsNamingTheCause: an account whose quota others take
// entirely (every request throttled): the read fails after max_retries+1
// attempts without progress, with Throttling.User and how long nothing of
// this client was accepted.
func TestAReadShutOutFailsNamingTheCause(t *testing.T) {
	opts := oneDomain("taken.example.com", 10)
	opts.Faults = emulator.Faults{ThrottleEvery: 1}
	// The second attempt waits about 0.6 s at the limiter's least rate:
	// on a shifted clock, at once.
	c, emu, _ := newShiftedClient(t, opts, Config{MaxRetries: 1, RetryBaseDelay: time.Millisecond}, nil)
	_, err := List(context.Background(), c, StreamNotifyRecords, streamQuery("taken.example.com", emu.Now()))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Class != ClassThrottled || apiErr.Code != "Throttling.User" || apiErr.Attempts != 2 || emu.Stats().Requests != 2 {
		t.Fatalf("got %v after %d requests, want Throttling.User after 2 attempts", err, emu.Stats().Requests)
	}
	// Cut to half a request a second, climbing as 0.4 (t + 1.077)^3, the
	// second attempt left about 0.57 s after the first (when t >= 1/rate):
	// nothing accepted for at least that long.
	if apiErr.Starved < 500*time.Millisecond || !strings.Contains(err.Error(), "the API accepted no request of this client for") {
		t.Errorf("starved %s, message %q", apiErr.Starved, err)
	}
}

// TestAReadOutOfTimeCountsTheThrottles: a read whose deadline ends while
// the account throttles it says how many of the client's requests were
// throttled, so that the advice can name the shared quota.
func TestAReadOutOfTimeCountsTheThrottles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs into a 1.5-second deadline")
	}
	c, emu, q := quotaClient(t, "slow.example.com", 4000, 2, false)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	_, err := List(ctx, c, StreamNotifyRecords, q)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Class != ClassInterrupted || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want an interrupted read", err)
	}
	if apiErr.Throttles == 0 || apiErr.Throttles != emu.Stats().Throttled {
		t.Errorf("the error counts %d throttles, the emulator %d", apiErr.Throttles, emu.Stats().Throttled)
	}
}
