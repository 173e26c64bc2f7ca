package bench

import (
	"context"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// TestRunSmall runs the whole harness small (1,000 records, 5 ms latency), so
// that CI exercises it: every read complete and at the minimum number of
// calls, nothing throttled, and figures that make sense.
func TestRunSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("runs reads against an emulator for about two seconds")
	}
	const n = 1000
	rep, err := Run(context.Background(), Config{Sizes: []int{n}, Latency: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	// Two sources x two max_qps values x (concurrent, sequential).
	if len(rep.Reads) != 8 || len(rep.ClientAllocs) != 2 || len(rep.Throttles) != 2 {
		t.Fatalf("%d reads, %d client-alloc rows, %d throttling runs; want 8, 2, 2", len(rep.Reads), len(rep.ClientAllocs), len(rep.Throttles))
	}
	want := minCalls(n)
	for _, r := range rep.Reads {
		name := string(r.Source) + "/" + string(r.Mode)
		if r.Records != n || r.TotalNum != n {
			t.Errorf("%s at %g QPS: %d records (TotalNum %d), want %d", name, r.MaxQPS, r.Records, r.TotalNum, n)
		}
		if r.Calls != want || r.ServerRequests != int64(want) || r.MinCalls != want {
			t.Errorf("%s at %g QPS: %d calls (emulator saw %d), want the minimum %d", name, r.MaxQPS, r.Calls, r.ServerRequests, want)
		}
		if r.Throttled != 0 {
			t.Errorf("%s at %g QPS: %d throttled", name, r.MaxQPS, r.Throttled)
		}
		if floor := liveapi.NewLimiter(r.MaxQPS).MinDuration(want); r.Wall < floor || r.Floor != floor {
			t.Errorf("%s at %g QPS: wall %s, floor %s, want a floor of %s", name, r.MaxQPS, r.Wall, r.Floor, floor)
		}
		if r.PeakPerSecond < 1 || r.PeakPerSecond > want {
			t.Errorf("%s at %g QPS: peak %d requests a second for %d calls", name, r.MaxQPS, r.PeakPerSecond, want)
		}
		if r.Mode == Sequential && r.PeakInFlight != 1 {
			t.Errorf("%s: %d requests in flight at once, want 1", name, r.PeakInFlight)
		}
		if r.StringBytesPerRecord <= 0 || r.HeapPerRecord <= 0 || r.AllocsPerRecord <= 0 || r.BytesPerRecord <= 0 {
			t.Errorf("%s at %g QPS: memory figures missing: %+v", name, r.MaxQPS, r)
		}
		// The records hold at least their string bytes, and (loosely, so as
		// not to be flaky) not wildly more.
		if hr := r.HeapRatio(); hr < 1 || hr > 2*MaxHeapRatio {
			t.Errorf("%s at %g QPS: retained heap %.0f B/record for %.0f string bytes (%.2fx)", name, r.MaxQPS, r.HeapPerRecord, r.StringBytesPerRecord, hr)
		}
	}
	for _, c := range rep.ClientAllocs {
		if c.Calls != want || c.AllocsPerRecord <= 0 || c.BodyBytesPerRecord <= 0 {
			t.Errorf("client-only %s: %+v", c.Source, c)
		}
	}
	for _, th := range rep.Throttles {
		if th.Err != "" || th.Records != [2]int{n, n} {
			t.Errorf("two reads at %g QPS: records %v, error %q", th.MaxQPS, th.Records, th.Err)
		}
		if th.Throttled != 0 || th.ServerRequests != int64(2*want) || th.Calls != 2*want {
			t.Errorf("two reads at %g QPS against a %g-QPS server: %d throttled, %d calls (emulator saw %d), want 0 and %d",
				th.MaxQPS, th.ServerQPS, th.Throttled, th.Calls, th.ServerRequests, 2*want)
		}
	}
	goals := rep.Goals()
	if len(goals) != 5 {
		t.Fatalf("%d goals, want 5", len(goals))
	}
	// Calls, floor (no read this small is judged against the upper bound,
	// which depends on the machine) and peak must hold; throttling cannot
	// happen with 4 calls against a server that takes 100 at once, so it is
	// not judged. The heap goal is left to the full benchmark.
	for _, i := range []int{0, 1, 2} {
		if !goals[i].Pass || goals[i].Skipped {
			t.Errorf("goal %q: pass %v, skipped %v: %s", goals[i].Name, goals[i].Pass, goals[i].Skipped, goals[i].Detail)
		}
	}
	if !goals[3].Skipped {
		t.Errorf("the throttle goal was judged at a size where throttling cannot happen: %s", goals[3].Detail)
	}
}

func TestStringBytesCountsEveryStringField(t *testing.T) {
	type inner struct {
		A, B string
		N    int
	}
	type rec struct {
		inner
		C string
		P *string
	}
	got := stringBytes([]rec{{inner: inner{A: "ab", B: "c", N: 7}, C: "defg"}, {C: "h"}})
	if got != 8 {
		t.Errorf("stringBytes = %d, want 8", got)
	}
}

func TestMinCalls(t *testing.T) {
	for _, c := range []struct{ size, calls int }{{0, 1}, {1, 1}, {500, 1}, {501, 2}, {1000, 2}, {100_000, 200}} {
		if got := minCalls(c.size); got != c.calls {
			t.Errorf("minCalls(%d) = %d, want %d", c.size, got, c.calls)
		}
	}
}

// TestGoalsCanFail judges made-up reports: each goal fails on what it is
// there to catch, and the throttle goal is judged only where throttling can
// happen.
func TestGoalsCanFail(t *testing.T) {
	s := time.Second
	good := Read{Size: 60_000, Source: Stream, Mode: Concurrent, MaxQPS: 50, Calls: 120, MinCalls: 120, ServerRequests: 120,
		Records: 60_000, TotalNum: 60_000, Wall: 2300 * time.Millisecond, Floor: 2 * s, LimiterSize: 50, PeakPerSecond: 50,
		HeapPerRecord: 300, StringBytesPerRecord: 200}
	throttle := Throttle{Size: 60_000, MaxQPS: 50, ServerQPS: 100, MinCalls: 240, Calls: 240, Records: [2]int{60_000, 60_000},
		Wall: 5 * s, Floor: 4 * s, LimiterSize: 50, PeakPerSecond: 50}
	judge := func(reads []Read, throttles []Throttle) []Goal {
		return (&Report{Config: Config{Latency: DefaultLatency}, Reads: reads, Throttles: throttles}).Goals()
	}
	for i, g := range judge([]Read{good}, []Throttle{throttle}) {
		if !g.Pass || g.Skipped {
			t.Errorf("goal %d on a good report: %+v", i, g)
		}
	}
	fast := good
	fast.Wall = 600 * time.Millisecond // the limiter let requests through
	slow := good
	slow.Wall = 2600 * time.Millisecond // 1.3x
	bursty := good
	bursty.PeakPerSecond = 55
	short := good
	short.Calls, short.MinCalls, short.ServerRequests, short.Wall, short.Floor = 20, 20, 20, time.Second, 200*time.Millisecond
	short.Size, short.Records, short.TotalNum = 10_000, 10_000, 10_000
	stalled := func(r Read) Read { r.Stall = 100 * time.Millisecond; return r } // 5 more allowed at 50 QPS
	burstier := good
	burstier.PeakPerSecond = 56
	throttled := throttle
	throttled.Throttled = 3
	small := throttled
	small.MinCalls = 100 // fits the server's burst
	for _, c := range []struct {
		name      string
		reads     []Read
		throttles []Throttle
		goal      int
		pass      bool
		skipped   bool
	}{
		{"below the floor", []Read{fast}, nil, 1, false, false},
		{"over 1.25x the floor", []Read{slow}, nil, 1, false, false},
		{"over 1.25x within one window", []Read{short}, nil, 1, true, false},
		{"peak over max_qps", []Read{bursty}, nil, 2, false, false},
		{"throttled", nil, []Throttle{throttled}, 3, false, false},
		{"throttles that cannot happen", nil, []Throttle{small}, 3, true, true},
		{"peak over max_qps by what a stall explains", []Read{stalled(bursty)}, nil, 2, true, false},
		{"peak far over max_qps on a stalled machine", []Read{stalled(burstier)}, nil, 2, false, false},
		{"below the floor on a stalled machine", []Read{stalled(fast)}, nil, 1, false, false},
	} {
		g := judge(c.reads, c.throttles)[c.goal]
		if g.Pass != c.pass || g.Skipped != c.skipped {
			t.Errorf("%s: goal %q pass %v skipped %v, want %v %v (%s)", c.name, g.Name, g.Pass, g.Skipped, c.pass, c.skipped, g.Detail)
		}
	}
}
