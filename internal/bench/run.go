package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/clock"
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// Run measures every size of cfg. It fails on the first read that errors:
// with default retries no read of a healthy emulator should.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg = cfg.withDefaults()
	started := time.Now()
	rep := &Report{
		Config:     cfg,
		GoVersion:  runtime.Version(),
		GOOS:       runtime.GOOS,
		GOARCH:     runtime.GOARCH,
		NumCPU:     runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		LoadStart:  loadAvg(),
	}
	// One fixed clock for every emulator: the same seed then generates the
	// same records, and a long run cannot age records out of the window.
	now := time.Now().UTC().Truncate(time.Second)
	for _, size := range cfg.Sizes {
		if size < 0 {
			return nil, fmt.Errorf("size %d is negative", size)
		}
		if err := runSize(ctx, cfg, now, size, rep); err != nil {
			return nil, err
		}
		if err := runThrottle(ctx, cfg, now, size, rep); err != nil {
			return nil, err
		}
	}
	rep.Elapsed = time.Since(started)
	rep.LoadEnd = loadAvg()
	return rep, nil
}

// median returns the element of median wall time of runs (the lower middle
// for an even count), with the span of all walls.
func median[T any](runs []T, wall func(*T) time.Duration) (T, time.Duration, time.Duration) {
	sort.SliceStable(runs, func(i, j int) bool { return wall(&runs[i]) < wall(&runs[j]) })
	return runs[(len(runs)-1)/2], wall(&runs[0]), wall(&runs[len(runs)-1])
}

func emulatorOptions(cfg Config, now time.Time, size int) emulator.Options {
	return emulator.Options{
		Seed:    cfg.Seed,
		Now:     func() time.Time { return now },
		Domains: []emulator.DomainSpec{{Name: Domain, RecordCallbacks: size, StreamRecords: size}},
		Latency: cfg.Latency,
	}
}

// query covers the whole generated data set (NotifyTimes lie in the last 7
// days before now, at whole seconds).
func query(now time.Time) liveapi.Query {
	return liveapi.Query{DomainName: Domain, StartTime: now.Add(-liveapi.MaxLookback), EndTime: now.Add(time.Second)}
}

func newClient(srvURL string, qps float64, concurrency int, band time.Duration) (*liveapi.Client, error) {
	cfg, err := clientConfig(srvURL, "terraform-provider-live/bench")
	if err != nil {
		return nil, err
	}
	// As the provider configures it, but for the knobs measured.
	cfg.MaxQPS, cfg.Concurrency, cfg.GuardBand = qps, concurrency, band
	return liveapi.New(cfg)
}

// clientConfig is the client configuration the provider builds by default,
// pointed at the emulator at srvURL with its default key.
func clientConfig(srvURL, userAgent string) (liveapi.Config, error) {
	ep, err := liveapi.ParseEndpoint(srvURL)
	if err != nil {
		return liveapi.Config{}, err
	}
	cred, _, err := liveapi.NewCredential(liveapi.CredentialConfig{
		AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret,
	})
	if err != nil {
		return liveapi.Config{}, err
	}
	return liveapi.Config{
		RegionID:   liveapi.DefaultRegion,
		Endpoint:   &ep,
		Credential: cred,
		UserAgent:  userAgent,
		MaxQPS:     liveapi.DefaultMaxQPS,
		MaxRetries: liveapi.DefaultMaxRetries,
	}, nil
}

// counted serves h and counts the TCP connections clients open to it.
func counted(h http.Handler, conns *atomic.Int64) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	return srv
}

func minCalls(size int) int {
	if size == 0 {
		return 1 // an empty answer is still one call
	}
	return (size + liveapi.MaxPageSize - 1) / liveapi.MaxPageSize
}

// runSize measures the full reads of one size against one emulator.
func runSize(ctx context.Context, cfg Config, now time.Time, size int, rep *Report) error {
	cfg.Progress("size %d: generating %d stream records and %d record callbacks", size, size, size)
	emu := emulator.New(emulatorOptions(cfg, now, size))
	rec := &recorder{pages: make(map[pageKey]storedPage)}
	var conns atomic.Int64
	srv := counted(rec.wrap(emu), &conns)
	defer srv.Close()

	for _, src := range cfg.Sources {
		if !cfg.SkipClientAlloc {
			ca, err := clientAlloc(ctx, cfg, now, size, src, srv.URL, rec)
			if err != nil {
				return err
			}
			rep.ClientAllocs = append(rep.ClientAllocs, ca)
		}
		for _, qps := range cfg.QPS {
			var conc, seq Read
			for _, mode := range []Mode{Concurrent, Sequential} {
				workers := cfg.Concurrency
				if mode == Sequential {
					workers = 1
				}
				runs := make([]Read, 0, cfg.Runs)
				for run := range cfg.Runs {
					cfg.Progress("size %d: %s read, %s, max_qps %g, %d workers%s", size, src, mode, qps, workers, runLabel(run, cfg.Runs))
					r, err := oneRead(ctx, cfg, emu, srv.URL, &conns, now, size, src, workers, qps)
					if err != nil {
						return fmt.Errorf("size %d, %s read, %s, max_qps %g: %w", size, src, mode, qps, err)
					}
					r.Mode = mode
					runs = append(runs, r)
				}
				r, lo, hi := median(runs, func(r *Read) time.Duration { return r.Wall })
				r.WallMin, r.WallMax = lo, hi
				if mode == Concurrent {
					conc = r
				} else {
					seq = r
				}
			}
			conc.Speedup = ratio(seq.Wall.Seconds(), conc.Wall.Seconds())
			rep.Reads = append(rep.Reads, conc, seq)
		}
	}
	return nil
}

func runLabel(run, runs int) string {
	if runs <= 1 {
		return ""
	}
	return fmt.Sprintf(" (run %d of %d)", run+1, runs)
}

// oneRead measures one full read through a new client.
func oneRead(ctx context.Context, cfg Config, emu *emulator.Server, srvURL string, conns *atomic.Int64, now time.Time, size int, src Source, workers int, qps float64) (Read, error) {
	c, err := newClient(srvURL, qps, workers, cfg.GuardBand)
	if err != nil {
		return Read{}, err
	}
	emu.ResetStats()
	conns0 := conns.Load()
	r, err := measuredRead(ctx, c, src, query(now))
	if err != nil {
		return Read{}, err
	}
	r.Conns = conns.Load() - conns0
	st := emu.Stats()
	r.Size, r.Source, r.MaxQPS, r.Concurrency = size, src, qps, workers
	r.ServerRequests, r.Throttled, r.PeakInFlight = st.Requests, st.Throttled, st.PeakInFlight
	r.MinCalls = minCalls(size)
	r.Floor = c.MinDuration(r.Calls)
	r.PeakPerSecond = emu.PeakRequestsPerSecond()
	n := float64(max(size, 1))
	r.AllocsPerRecord /= n
	r.BytesPerRecord /= n
	r.HeapPerRecord /= n
	r.StringBytesPerRecord /= n
	return r, nil
}

// runThrottle reads both data sources at once through one client against an
// emulator that enforces cfg.ServerQPS, once per cfg.ThrottleQPS (times
// cfg.Runs).
func runThrottle(ctx context.Context, cfg Config, now time.Time, size int, rep *Report) error {
	opts := emulatorOptions(cfg, now, size)
	opts.MaxQPS = cfg.ServerQPS
	emu := emulator.New(opts)
	var conns atomic.Int64
	srv := counted(emu, &conns)
	defer srv.Close()
	first := true
	for _, qps := range cfg.ThrottleQPS {
		runs := make([]Throttle, 0, cfg.Runs)
		var throttled int64
		var errText string
		for run := range cfg.Runs {
			cfg.Progress("size %d: stream and record reads at once, max_qps %g, server limit %g%s", size, qps, cfg.ServerQPS, runLabel(run, cfg.Runs))
			// Every run starts with the server's quota unspent: a second
			// after the last run, none of its requests counts any more.
			if !first {
				if err := clock.Sleep(ctx, time.Second); err != nil {
					return err
				}
			}
			first = false
			t, err := oneThrottle(ctx, cfg, emu, srv.URL, &conns, now, size, qps)
			if err != nil {
				return err
			}
			throttled += t.Throttled
			if errText == "" {
				errText = t.Err
			}
			runs = append(runs, t)
		}
		t, lo, hi := median(runs, func(t *Throttle) time.Duration { return t.Wall })
		t.WallMin, t.WallMax = lo, hi
		t.Throttled, t.Err = throttled, errText
		rep.Throttles = append(rep.Throttles, t)
	}
	return nil
}

// oneThrottle runs a stream read and a record read at once through one new
// client.
func oneThrottle(ctx context.Context, cfg Config, emu *emulator.Server, srvURL string, conns *atomic.Int64, now time.Time, size int, qps float64) (Throttle, error) {
	c, err := newClient(srvURL, qps, cfg.Concurrency, cfg.GuardBand)
	if err != nil {
		return Throttle{}, err
	}
	emu.ResetStats()
	conns0 := conns.Load()
	var (
		wg    sync.WaitGroup
		calls [2]int
		recs  [2]int
		errs  [2]error
	)
	q := query(now)
	cpu0 := processCPU()
	stopWatch := clock.WatchStalls()
	start := time.Now()
	wg.Add(2)
	go func() {
		defer wg.Done()
		res, err := liveapi.List(ctx, c, liveapi.StreamNotifyRecords, q)
		if err == nil {
			calls[0], recs[0] = res.Calls, len(res.Records)
		}
		errs[0] = err
	}()
	go func() {
		defer wg.Done()
		res, err := liveapi.List(ctx, c, liveapi.RecordNotifyRecords, q)
		if err == nil {
			calls[1], recs[1] = res.Calls, len(res.Records)
		}
		errs[1] = err
	}()
	wg.Wait()
	wall := time.Since(start)
	stall := stopWatch()
	cpu := processCPU() - cpu0
	st := emu.Stats()
	t := Throttle{
		Size: size, MaxQPS: qps, ServerQPS: cfg.ServerQPS,
		Calls: calls[0] + calls[1], ServerRequests: st.Requests, MinCalls: 2 * minCalls(size),
		Throttled: st.Throttled, Records: recs, Wall: wall, Stall: stall, PeakInFlight: st.PeakInFlight, CPU: cpu,
		Conns: conns.Load() - conns0,
	}
	t.Floor = c.MinDuration(t.MinCalls)
	t.PeakPerSecond = emu.PeakRequestsPerSecond()
	if err := errors.Join(errs[0], errs[1]); err != nil {
		t.Err = err.Error()
	}
	return t, nil
}
