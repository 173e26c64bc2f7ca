// Package bench is the "fast and polite at scale" benchmark: it runs the real
// liveapi client against the in-process emulator and measures what a large
// read costs in API calls, wall time, concurrency and memory, and whether two
// data sources reading at once stay under the API's rate limit.
//
// Run is the harness; cmd/live-bench prints its Report as a table and
// Report.Goals judges it. Everything runs in one process, so the allocation
// figures taken around a read against the emulator include the emulator's
// own work (signature checks, JSON encoding); Run therefore also replays the
// captured page bodies from a server that does almost nothing, which gives
// the client's share alone (ClientAlloc).
package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/clock"
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// Source is one of the provider's two data sources.
type Source string

const (
	// Stream is DescribeLiveStreamsNotifyRecords (live_stream_notify_records).
	Stream Source = "stream"
	// Record is DescribeLiveRecordNotifyRecords (live_record_notify_records).
	Record Source = "record"
)

// Mode is how the pages after the first are fetched.
type Mode string

const (
	// Concurrent is the client's normal full read: Config.Concurrency workers.
	Concurrent Mode = "concurrent"
	// Sequential is the same read with Concurrency 1 (the limiter still applies).
	Sequential Mode = "sequential"
)

// Domain is the one generated domain every emulator of the harness serves.
const Domain = "bench.example.com"

// Config says what to measure. DefaultConfig is the full benchmark; tests
// shrink Sizes and Latency.
type Config struct {
	// Sizes are the records per data source (the domain holds this many
	// stream records and as many record callbacks). Nil: DefaultSizes.
	Sizes []int
	// Latency is the emulator's delay before answering each request (0: none).
	Latency time.Duration
	// QPS are the client max_qps values of the full reads. Nil: 50 and 100.
	QPS []float64
	// Sources are the data sources whose full reads are measured. Nil: both.
	Sources []Source
	// Concurrency is the client's worker count for concurrent reads
	// (0: liveapi.DefaultConcurrency).
	Concurrency int
	// ServerQPS is the emulator's per-key limit in the throttling runs
	// (0: liveapi.MaxAPIQPS, the real API's 100).
	ServerQPS float64
	// ThrottleQPS are the client max_qps values of the throttling runs, each
	// two reads at once through one client. Nil: 100 and 50.
	ThrottleQPS []float64
	// Runs is how often each read and throttling run is repeated (0: once);
	// a row then shows the run of median wall time, and the throttled count
	// of every run added up.
	Runs int
	// SkipClientAlloc skips the replay that isolates the client's allocations.
	SkipClientAlloc bool
	// Seed seeds the emulator's data set.
	Seed int64
	// Progress, when set, receives a line before each measurement.
	Progress func(format string, args ...any)
}

// DefaultSizes are the sizes of the full benchmark.
var DefaultSizes = []int{1_000, 10_000, 100_000}

// DefaultLatency is the emulated round trip of the full benchmark.
const DefaultLatency = 40 * time.Millisecond

// DefaultConfig is the full benchmark: 1k, 10k and 100k records, 40 ms.
func DefaultConfig() Config {
	return Config{Sizes: DefaultSizes, Latency: DefaultLatency}
}

func (c Config) withDefaults() Config {
	if c.Sizes == nil {
		c.Sizes = DefaultSizes
	}
	if c.QPS == nil {
		c.QPS = []float64{liveapi.DefaultMaxQPS, liveapi.MaxAPIQPS}
	}
	if c.Sources == nil {
		c.Sources = []Source{Stream, Record}
	}
	if c.Concurrency <= 0 {
		c.Concurrency = liveapi.DefaultConcurrency
	}
	if c.ServerQPS <= 0 {
		c.ServerQPS = liveapi.MaxAPIQPS
	}
	if c.ThrottleQPS == nil {
		c.ThrottleQPS = []float64{liveapi.MaxAPIQPS, liveapi.DefaultMaxQPS}
	}
	if c.Runs <= 0 {
		c.Runs = 1
	}
	if c.Progress == nil {
		c.Progress = func(string, ...any) {}
	}
	return c
}

// Read is one measured full read of one data source.
type Read struct {
	Size        int
	Source      Source
	Mode        Mode
	MaxQPS      float64 // client max_qps
	Concurrency int     // client workers
	// Records is len(Result.Records); TotalNum is the API's total.
	Records  int
	TotalNum int
	// Calls is Result.Calls; ServerRequests what the emulator counted;
	// MinCalls is ceil(Size/500).
	Calls          int
	ServerRequests int64
	MinCalls       int
	Throttled      int64
	// Wall is the duration of liveapi.List; Floor is (Calls-1)/MaxQPS, the
	// least time the client's limiter (burst 1) allows for that many calls.
	Wall  time.Duration
	Floor time.Duration
	// WallMin and WallMax span the walls of Config.Runs repetitions.
	WallMin, WallMax time.Duration
	// PeakInFlight is the emulator's peak of concurrent requests.
	PeakInFlight int64
	// Conns is the number of TCP connections the client opened to the
	// emulator during the read (each row uses a new client).
	Conns int64
	// CPU is the process's user+system CPU time during the read (client and
	// emulator), 0 where /proc/self/stat is unavailable.
	CPU time.Duration
	// Speedup is the sequential read's wall time over this one's, at the
	// same size, source and max_qps (concurrent rows only).
	Speedup float64
	// AllocsPerRecord and BytesPerRecord are the process's Mallocs and
	// TotalAlloc deltas around the read over Size: client and in-process
	// emulator together.
	AllocsPerRecord float64
	BytesPerRecord  float64
	// HeapPerRecord is the live heap the result holds (after a GC, with the
	// result alive, minus the heap before) over Size; StringBytesPerRecord
	// is the summed length of every string field of every record over Size.
	HeapPerRecord        float64
	StringBytesPerRecord float64
}

// WallRatio is Wall/Floor (0 when the floor is 0, a one-page read).
func (r Read) WallRatio() float64 { return ratio(r.Wall.Seconds(), r.Floor.Seconds()) }

// HeapRatio is HeapPerRecord/StringBytesPerRecord.
func (r Read) HeapRatio() float64 { return ratio(r.HeapPerRecord, r.StringBytesPerRecord) }

// ClientAlloc is the client's own allocation cost of a full read: the pages
// the emulator served are replayed from a server that writes stored bytes, so
// what is left is signing, HTTP and decoding. The server's share (net/http's
// per-request work, a few dozen allocations a page) is still in, spread over
// 500 records a page.
type ClientAlloc struct {
	Size            int
	Source          Source
	Calls           int
	AllocsPerRecord float64
	BytesPerRecord  float64
	// BodyBytesPerRecord is the size of the JSON bodies over Size, for scale.
	BodyBytesPerRecord float64
}

// Throttle is one run of two reads at once (the stream and the record data
// source) through one client against an emulator that enforces ServerQPS.
type Throttle struct {
	Size      int
	MaxQPS    float64 // client max_qps, shared by both reads
	ServerQPS float64
	// Calls is the sum of both reads' Result.Calls; ServerRequests what the
	// emulator counted; MinCalls is 2*ceil(Size/500).
	Calls          int
	ServerRequests int64
	MinCalls       int
	// Throttled counts requests the emulator refused with Throttling.User.
	Throttled int64
	// Records are both reads' record counts (Size each when complete).
	Records [2]int
	Wall    time.Duration
	// WallMin and WallMax span the walls of Config.Runs repetitions.
	WallMin, WallMax time.Duration
	// Floor is (MinCalls-1)/MaxQPS: both reads share one limiter.
	Floor        time.Duration
	PeakInFlight int64
	Conns        int64
	// CPU is the process's CPU time during the run (see Read.CPU).
	CPU time.Duration
	// Err is the first read error, if any.
	Err string
}

// WallRatio is Wall/Floor.
func (t Throttle) WallRatio() float64 { return ratio(t.Wall.Seconds(), t.Floor.Seconds()) }

// Report is what Run measured.
type Report struct {
	Config       Config
	GoVersion    string
	GOOS, GOARCH string
	NumCPU       int
	GOMAXPROCS   int
	// LoadStart and LoadEnd are /proc/loadavg before and after (empty where
	// missing): wall times mean little on a machine busy with other work.
	LoadStart, LoadEnd string
	Reads              []Read
	ClientAllocs       []ClientAlloc
	Throttles          []Throttle
	Elapsed            time.Duration
}

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

// loadAvg is the 1, 5 and 15 minute load averages from /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
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

func newClient(srvURL string, qps float64, concurrency int) (*liveapi.Client, error) {
	ep, err := liveapi.ParseEndpoint(srvURL)
	if err != nil {
		return nil, err
	}
	cred, _, err := liveapi.NewCredential(liveapi.CredentialConfig{
		AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret,
	})
	if err != nil {
		return nil, err
	}
	// As the provider configures it, but for the endpoint and the knobs measured.
	c, err := liveapi.New(liveapi.Config{
		RegionID:    liveapi.DefaultRegion,
		Endpoint:    &ep,
		Credential:  cred,
		UserAgent:   "terraform-provider-live/bench",
		MaxQPS:      qps,
		MaxRetries:  liveapi.DefaultMaxRetries,
		Concurrency: concurrency,
	})
	return c, err
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

func floor(calls int, qps float64) time.Duration {
	if calls <= 1 {
		return 0
	}
	return time.Duration(float64(calls-1) / qps * float64(time.Second))
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
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
	c, err := newClient(srvURL, qps, workers)
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
	r.Floor = floor(r.Calls, qps)
	n := float64(max(size, 1))
	r.AllocsPerRecord /= n
	r.BytesPerRecord /= n
	r.HeapPerRecord /= n
	r.StringBytesPerRecord /= n
	return r, nil
}

// measuredRead runs one full read of src with memory accounting around it.
// The per-record fields of the answer hold totals; the caller divides.
func measuredRead(ctx context.Context, c *liveapi.Client, src Source, q liveapi.Query) (Read, error) {
	switch src {
	case Stream:
		return measure(ctx, c, liveapi.StreamNotifyRecords, q)
	case Record:
		return measure(ctx, c, liveapi.RecordNotifyRecords, q)
	}
	return Read{}, fmt.Errorf("unknown source %q", src)
}

func measure[T any](ctx context.Context, c *liveapi.Client, op liveapi.Operation[T], q liveapi.Query) (Read, error) {
	var before, after, kept runtime.MemStats
	settle()
	runtime.ReadMemStats(&before)
	cpu0 := processCPU()
	start := time.Now()
	res, err := liveapi.List(ctx, c, op, q)
	wall := time.Since(start)
	cpu := processCPU() - cpu0
	runtime.ReadMemStats(&after)
	if err != nil {
		return Read{}, err
	}
	settle()
	runtime.ReadMemStats(&kept)
	r := Read{
		Records:              len(res.Records),
		TotalNum:             res.TotalNum,
		Calls:                res.Calls,
		Wall:                 wall,
		CPU:                  cpu,
		AllocsPerRecord:      float64(after.Mallocs - before.Mallocs),
		BytesPerRecord:       float64(after.TotalAlloc - before.TotalAlloc),
		HeapPerRecord:        float64(int64(kept.HeapAlloc) - int64(before.HeapAlloc)),
		StringBytesPerRecord: float64(stringBytes(res.Records)),
	}
	runtime.KeepAlive(res)
	return r, nil
}

// processCPU is the user+system CPU time of the process so far, read from
// /proc/self/stat (Linux; clock ticks of 10ms), or 0 where that is missing.
func processCPU() time.Duration {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; fields after its closing
	// parenthesis start at field 3 (state); utime and stime are 14 and 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	const tick = 10 * time.Millisecond // USER_HZ is 100 on every Linux Go supports
	return time.Duration(utime+stime) * tick
}

// settle collects garbage twice: sync.Pool contents (the SDK clients the
// client pools, encoding/json's and net/http's buffers) survive one GC in the
// victim cache, so a single GC would count them on one side of a difference
// and not the other.
func settle() {
	runtime.GC()
	runtime.GC()
}

// stringBytes sums len of every string field (embedded structs included) of
// every record: the payload the records must hold, whatever their layout.
func stringBytes[T any](records []T) int64 {
	var paths [][]int
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			p := append(append([]int(nil), prefix...), i)
			switch f.Type.Kind() {
			case reflect.String:
				paths = append(paths, p)
			case reflect.Struct:
				walk(f.Type, p)
			}
		}
	}
	walk(reflect.TypeFor[T](), nil)
	var n int64
	for i := range records {
		v := reflect.ValueOf(&records[i]).Elem()
		for _, p := range paths {
			n += int64(v.FieldByIndex(p).Len())
		}
	}
	return n
}

// clientAlloc captures the pages of one full read of src from the emulator,
// then replays them from a bare server and measures the client's allocations.
func clientAlloc(ctx context.Context, cfg Config, now time.Time, size int, src Source, emuURL string, rec *recorder) (ClientAlloc, error) {
	cfg.Progress("size %d: %s read, capturing pages for the client-only allocation figures", size, src)
	capture, err := newClient(emuURL, 1e6, 50)
	if err != nil {
		return ClientAlloc{}, err
	}
	rec.start()
	_, err = measuredRead(ctx, capture, src, query(now))
	pages := rec.stop()
	if err != nil {
		return ClientAlloc{}, fmt.Errorf("size %d, %s read, capturing pages: %w", size, src, err)
	}
	replay := httptest.NewServer(pages)
	defer replay.Close()
	// Whatever still points at the handler once this returns (goroutines of
	// closing connections), the bodies must not outlive the measurement, or
	// the next read's "heap before" would include them.
	defer clear(pages)
	c, err := newClient(replay.URL, 1e6, cfg.Concurrency)
	if err != nil {
		return ClientAlloc{}, err
	}
	// The first read opens the connections; the second is measured.
	if _, err := measuredRead(ctx, c, src, query(now)); err != nil {
		return ClientAlloc{}, fmt.Errorf("size %d, %s read, replay: %w", size, src, err)
	}
	r, err := measuredRead(ctx, c, src, query(now))
	if err != nil {
		return ClientAlloc{}, fmt.Errorf("size %d, %s read, replay: %w", size, src, err)
	}
	if r.Records != size {
		return ClientAlloc{}, fmt.Errorf("size %d, %s read, replay: %d records", size, src, r.Records)
	}
	n := float64(max(size, 1))
	return ClientAlloc{
		Size: size, Source: src, Calls: r.Calls,
		AllocsPerRecord:    r.AllocsPerRecord / n,
		BytesPerRecord:     r.BytesPerRecord / n,
		BodyBytesPerRecord: float64(pages.bodyBytes()) / n,
	}, nil
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
			// Every run starts from a full server-side bucket: the
			// emulator's burst is one second's worth, so a second refills it.
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
	c, err := newClient(srvURL, qps, cfg.Concurrency)
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
	cpu := processCPU() - cpu0
	st := emu.Stats()
	t := Throttle{
		Size: size, MaxQPS: qps, ServerQPS: cfg.ServerQPS,
		Calls: calls[0] + calls[1], ServerRequests: st.Requests, MinCalls: 2 * minCalls(size),
		Throttled: st.Throttled, Records: recs, Wall: wall, PeakInFlight: st.PeakInFlight, CPU: cpu,
		Conns: conns.Load() - conns0,
	}
	t.Floor = floor(t.MinCalls, qps)
	if err := errors.Join(errs[0], errs[1]); err != nil {
		t.Err = err.Error()
	}
	return t, nil
}

// recorder stores the emulator's successful page bodies while capturing.
type recorder struct {
	on    atomic.Bool
	mu    sync.Mutex
	pages map[pageKey]storedPage
}

type pageKey struct{ action, pageNumber, pageSize string }

type storedPage struct {
	requestID string
	body      []byte
}

func (rec *recorder) start() {
	rec.mu.Lock()
	rec.pages = make(map[pageKey]storedPage)
	rec.mu.Unlock()
	rec.on.Store(true)
}

func (rec *recorder) stop() replayer {
	rec.on.Store(false)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	pages := rec.pages
	rec.pages = make(map[pageKey]storedPage)
	return replayer(pages)
}

func keyOf(r *http.Request) pageKey {
	q := r.URL.Query()
	return pageKey{r.Header.Get("x-acs-action"), q.Get("PageNumber"), q.Get("PageSize")}
}

func (rec *recorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !rec.on.Load() {
			h.ServeHTTP(w, r)
			return
		}
		cw := &captureWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(cw, r)
		if cw.status == http.StatusOK {
			rec.mu.Lock()
			rec.pages[keyOf(r)] = storedPage{requestID: w.Header().Get("X-Acs-Request-Id"), body: cw.body.Bytes()}
			rec.mu.Unlock()
		}
	})
}

type captureWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *captureWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *captureWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *captureWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// replayer answers every request with the stored body of its page, without
// checking the signature: a server that costs next to nothing.
type replayer map[pageKey]storedPage

func (p replayer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	page, ok := p[keyOf(r)]
	if !ok {
		http.Error(w, `{"Code":"InvalidParameter","Message":"page not captured"}`, http.StatusBadRequest)
		return
	}
	h := w.Header()
	h["Content-Type"] = []string{"application/json;charset=utf-8"}
	h["Content-Length"] = []string{strconv.Itoa(len(page.body))}
	h["X-Acs-Request-Id"] = []string{page.requestID}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(page.body)
}

func (p replayer) bodyBytes() int64 {
	var n int64
	for _, page := range p {
		n += int64(len(page.body))
	}
	return n
}

// Goal is one pass/fail line of the report.
type Goal struct {
	Name string
	Pass bool
	// Skipped marks a goal nothing measured applies to (Pass is then true).
	Skipped bool
	Detail  string
}

// MaxWallRatio is the wall-time goal: at most this multiple of the floor.
const MaxWallRatio = 1.25

// MaxHeapRatio is the memory goal: retained heap at most this multiple of
// the records' string bytes.
const MaxHeapRatio = 2.0

// wallGoalMinSize is the smallest size the wall-time goal applies to: below
// it the two round trips that cannot overlap (page 1, then the last page)
// dominate a floor of a few tens of milliseconds.
const wallGoalMinSize = 10_000

// Goals judges the report against the goals.
func (r *Report) Goals() []Goal {
	var goals []Goal

	// Every read makes exactly ceil(N/500) calls and returns N records.
	g := Goal{Name: "calls == minimum ceil(N/500) for every size (and every read complete)", Pass: true}
	worst := ""
	for _, rd := range r.Reads {
		if rd.Calls != rd.MinCalls || rd.ServerRequests != int64(rd.MinCalls) || rd.Records != rd.Size || rd.TotalNum != rd.Size {
			g.Pass = false
			worst += fmt.Sprintf(" %d/%s/%s/qps%g: %d calls (server %d), min %d, %d records;", rd.Size, rd.Source, rd.Mode, rd.MaxQPS, rd.Calls, rd.ServerRequests, rd.MinCalls, rd.Records)
		}
	}
	if g.Pass {
		g.Detail = fmt.Sprintf("%d reads, all at the minimum", len(r.Reads))
	} else {
		g.Detail = worst
	}
	goals = append(goals, g)

	// Concurrent reads of 10k and 100k stay within 1.25x the limiter floor.
	g = Goal{Name: fmt.Sprintf("wall <= %.2fx floor for N >= %d (concurrent, latency %s)", MaxWallRatio, wallGoalMinSize, r.Config.Latency), Pass: true}
	n, worstRatio, worstName := 0, 0.0, ""
	failed := ""
	for _, rd := range r.Reads {
		if rd.Mode != Concurrent || rd.Size < wallGoalMinSize {
			continue
		}
		n++
		wr := rd.WallRatio()
		if wr > worstRatio {
			worstRatio, worstName = wr, fmt.Sprintf("%d/%s/qps%g", rd.Size, rd.Source, rd.MaxQPS)
		}
		if wr > MaxWallRatio {
			g.Pass = false
			failed += fmt.Sprintf(" %d/%s/qps%g %.2fx;", rd.Size, rd.Source, rd.MaxQPS, wr)
		}
	}
	switch {
	case n == 0:
		g.Skipped = true
		g.Detail = "no read of that size was measured"
	case g.Pass:
		g.Detail = fmt.Sprintf("%d reads, worst %.2fx (%s)", n, worstRatio, worstName)
	default:
		g.Detail = "over:" + failed
	}
	if r.Config.Latency != DefaultLatency {
		g.Detail += fmt.Sprintf(" [the goal is stated for %s latency]", DefaultLatency)
	}
	goals = append(goals, g)

	// Two reads at once through one client never trip the server's limit.
	g = Goal{Name: "zero throttled calls, two reads at once through one client", Pass: true, Skipped: len(r.Throttles) == 0}
	var details string
	for _, t := range r.Throttles {
		ok := t.Throttled == 0 && t.Err == "" && t.Records == [2]int{t.Size, t.Size}
		if !ok {
			g.Pass = false
		}
		details += fmt.Sprintf(" %d@qps%g/server%g: %d throttled", t.Size, t.MaxQPS, t.ServerQPS, t.Throttled)
		if t.Err != "" {
			details += " (error: " + t.Err + ")"
		}
		details += ";"
	}
	if details == "" {
		details = " not measured"
	}
	g.Detail = details[1:]
	goals = append(goals, g)

	// The records take at most twice their string bytes of heap.
	g = Goal{Name: fmt.Sprintf("retained heap per record <= %.0fx string bytes", MaxHeapRatio), Pass: true}
	worstRatio, worstName, failed = 0, "", ""
	for _, rd := range r.Reads {
		hr := rd.HeapRatio()
		if hr > worstRatio {
			worstRatio, worstName = hr, fmt.Sprintf("%d/%s/%s/qps%g", rd.Size, rd.Source, rd.Mode, rd.MaxQPS)
		}
		if hr > MaxHeapRatio || math.IsNaN(hr) {
			g.Pass = false
			failed += fmt.Sprintf(" %d/%s/%s/qps%g %.2fx;", rd.Size, rd.Source, rd.Mode, rd.MaxQPS, hr)
		}
	}
	if g.Pass {
		g.Detail = fmt.Sprintf("%d reads, worst %.2fx (%s)", len(r.Reads), worstRatio, worstName)
	} else {
		g.Detail = "over:" + failed
	}
	goals = append(goals, g)
	return goals
}
