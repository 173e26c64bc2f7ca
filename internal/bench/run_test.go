package bench

import (
	"context"
	"testing"
	"time"
)

// TestRunSmall runs the whole harness small, so that CI exercises it: 3,000
// stream records (6 pages) at max_qps 3 with 5 ms latency, each read twice
// the limiter's window, and two reads at once at max_qps 6 against a server
// of 6 a second. Every read is complete and at the minimum number of calls,
// the figures make sense, and the goals that judge the limiter hold: a
// client without one would send the 6 pages at once, over the peak of 3.
func TestRunSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("runs reads against an emulator for about 7 seconds")
	}
	const n = 3000
	rep, err := Run(context.Background(), Config{Sizes: []int{n}, Latency: 5 * time.Millisecond, Sources: []Source{Stream},
		QPS: []float64{3}, ThrottleQPS: []float64{6}, ServerQPS: 6})
	if err != nil {
		t.Fatal(err)
	}
	// One source x one max_qps x (concurrent, sequential).
	if len(rep.Reads) != 2 || len(rep.ClientAllocs) != 1 || len(rep.Throttles) != 1 {
		t.Fatalf("%d reads, %d client-alloc rows, %d throttling runs; want 2, 1, 1", len(rep.Reads), len(rep.ClientAllocs), len(rep.Throttles))
	}
	const calls = 6
	// 6 calls at 3 per window of 1.02 s: 3 a sixth of a window apart, then
	// 3 more a window after the first.
	const floor = 1020*time.Millisecond + 2*226666666*time.Nanosecond
	for _, r := range rep.Reads {
		name := string(r.Source) + "/" + string(r.Mode)
		if r.Records != n || r.TotalNum != n {
			t.Errorf("%s: %d records (TotalNum %d), want %d", name, r.Records, r.TotalNum, n)
		}
		if r.Calls != calls || r.ServerRequests != calls || r.MinCalls != calls {
			t.Errorf("%s: %d calls (emulator saw %d), want the minimum %d", name, r.Calls, r.ServerRequests, calls)
		}
		if r.Throttled != 0 {
			t.Errorf("%s: %d throttled", name, r.Throttled)
		}
		if r.Floor != floor || r.Wall < floor {
			t.Errorf("%s: wall %s, floor %s; want a floor of %s, and no less", name, r.Wall, r.Floor, floor)
		}
		if r.Mode == Sequential && r.PeakInFlight != 1 {
			t.Errorf("%s: %d requests in flight at once, want 1", name, r.PeakInFlight)
		}
		if r.StringBytesPerRecord <= 0 || r.HeapPerRecord <= 0 || r.AllocsPerRecord <= 0 || r.BytesPerRecord <= 0 {
			t.Errorf("%s: memory figures missing: %+v", name, r)
		}
		// The records hold at least their string bytes, and (loosely, so as
		// not to be flaky) not wildly more.
		if hr := r.HeapRatio(); hr < 1 || hr > 2*MaxHeapRatio {
			t.Errorf("%s: retained heap %.0f B/record for %.0f string bytes (%.2fx)", name, r.HeapPerRecord, r.StringBytesPerRecord, hr)
		}
	}
	if c := rep.ClientAllocs[0]; c.Calls != calls || c.AllocsPerRecord <= 0 || c.BodyBytesPerRecord <= 0 {
		t.Errorf("client-only %s: %+v", c.Source, c)
	}
	th := rep.Throttles[0]
	if th.Err != "" || th.Records != [2]int{n, n} || th.Calls != 2*calls {
		t.Errorf("two reads at max_qps 6: records %v, %d calls, error %q", th.Records, th.Calls, th.Err)
	}
	goals := rep.Goals()
	if len(goals) != 5 {
		t.Fatalf("%d goals, want 5", len(goals))
	}
	// Calls, floor, peak and throttling must not fail; a goal the machine
	// kept from judging says SKIP. The heap goal is left to the full
	// benchmark.
	for _, i := range []int{0, 1, 2, 3} {
		if !goals[i].Pass {
			t.Errorf("goal %q failed: %s", goals[i].Name, goals[i].Detail)
		}
	}
	if goals[0].Skipped {
		t.Errorf("the calls goal was not judged: %s", goals[0].Detail)
	}
}

func TestMinCalls(t *testing.T) {
	for _, c := range []struct{ size, calls int }{{0, 1}, {1, 1}, {500, 1}, {501, 2}, {1000, 2}, {100_000, 200}} {
		if got := minCalls(c.size); got != c.calls {
			t.Errorf("minCalls(%d) = %d, want %d", c.size, got, c.calls)
		}
	}
}
