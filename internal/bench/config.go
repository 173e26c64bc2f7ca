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
	"time"

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
	// GuardBand is the clients' guard band (liveapi.Config.GuardBand: 0 the
	// default, negative none), to measure what the band costs at the floor.
	GuardBand time.Duration
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
