package bench

import (
	"testing"
	"time"
)

// TestGoalsCanFail judges made-up reports: each goal fails on what it is
// there to catch, and the throttle goal is judged only where throttling can
// happen.
func TestGoalsCanFail(t *testing.T) {
	s := time.Second
	good := Read{Size: 60_000, Source: Stream, Mode: Concurrent, MaxQPS: 50, Calls: 120, MinCalls: 120, ServerRequests: 120,
		Records: 60_000, TotalNum: 60_000, Wall: 2300 * time.Millisecond, Floor: 2 * s, PeakPerSecond: 50,
		HeapPerRecord: 300, StringBytesPerRecord: 200}
	throttle := Throttle{Size: 60_000, MaxQPS: 50, ServerQPS: 100, MinCalls: 240, Calls: 240, Records: [2]int{60_000, 60_000},
		Wall: 5 * s, Floor: 4 * s, PeakPerSecond: 50}
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
	longStall := func(r Read) Read { r.Stall = 300 * time.Millisecond; return r }
	empty := good
	empty.StringBytesPerRecord, empty.HeapPerRecord = 0, 0
	throttled := throttle
	throttled.Throttled = 3
	small := throttled
	small.MinCalls = 100 // fits in the server's one second
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
		// Not judged: SKIP, never PASS.
		{"the upper wall bound of a stalled read", []Read{stalled(good)}, nil, 1, true, true},
		{"the peak of a read that stalled 300 ms", []Read{longStall(burstier)}, nil, 2, true, true},
		{"the peak of a read that stalled 300 ms beside one that fails", []Read{longStall(good), bursty}, nil, 2, false, false},
		{"the heap of a read without records", []Read{empty}, nil, 4, true, true},
		{"no throttling run", []Read{good}, nil, 3, true, true},
	} {
		g := judge(c.reads, c.throttles)[c.goal]
		if g.Pass != c.pass || g.Skipped != c.skipped {
			t.Errorf("%s: goal %q pass %v skipped %v, want %v %v (%s)", c.name, g.Name, g.Pass, g.Skipped, c.pass, c.skipped, g.Detail)
		}
	}
}
