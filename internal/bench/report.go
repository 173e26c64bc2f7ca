package bench

import "time"

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
	// Wall is the duration of liveapi.List; Floor is the least time the
	// client's limiter, as configured, lets Calls requests span
	// (liveapi.Client.MinDuration). A wall below it means the limiter let
	// requests through faster than max_qps.
	Wall  time.Duration
	Floor time.Duration
	// PeakPerSecond is the most requests the emulator received within any
	// rolling second.
	PeakPerSecond int
	// Stall is the longest time the process went without running a ready
	// goroutine during the run (clock.WatchStalls): a busy machine.
	Stall time.Duration
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
	// Floor is the limiter's least time for MinCalls requests: both reads
	// share one limiter.
	Floor time.Duration
	// PeakPerSecond is the most requests the emulator received within any
	// rolling second.
	PeakPerSecond int
	// Stall is the longest time the process went without running a ready
	// goroutine during the run (clock.WatchStalls): a busy machine.
	Stall        time.Duration
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

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
