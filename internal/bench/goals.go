package bench

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

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

// Goals judges the report against the issues' goals. Every goal can fail:
// a broken limiter fails the floor, peak and throttle goals at the sizes
// they are judged at.
func (r *Report) Goals() []Goal {
	return []Goal{r.callsGoal(), r.wallGoal(), r.peakGoal(), r.throttleGoal(), r.heapGoal()}
}

// floorQPS is max_qps as a count of requests a rolling second may hold: max_qps
// rounded down, and 1 below 1 QPS (one request per 1/max_qps). The goals
// derive their limits from it, not from the limiter they judge.
func floorQPS(qps float64) int { return max(1, int(math.Floor(qps))) }

// MaxJudgedStall is the longest stall of the process under which a run's
// timing is judged. A run that stalled beyond the client's guard band may
// have had requests reach the emulator bunched together however the limiter
// spaced them, and its wall time says more about the machine than the
// client: up to MaxJudgedStall the peak and throttle goals allow what the
// stall can explain (at most a tenth of max_qps), the upper wall bound
// leaves the run out; beyond it the run is not judged on timing at all. A
// goal that leaves a run out says SKIP, not PASS. The floor, which a busy
// machine can only help, judges every run.
const MaxJudgedStall = 100 * time.Millisecond

// disturbed reports whether a run stalled beyond the client's guard band.
func disturbed(stall time.Duration) bool { return stall > liveapi.GuardBand }

// excess is how many requests a stall of at most MaxJudgedStall can bunch
// into a rolling second beyond what the limiter admitted there: those
// max_qps sends within the stall's length. 0 when the run was not disturbed.
func excess(stall time.Duration, qps float64) int {
	if !disturbed(stall) {
		return 0
	}
	return int(math.Ceil(min(stall, MaxJudgedStall).Seconds() * float64(floorQPS(qps))))
}

// stalled names a run left out for its stall.
func stalled(name string, stall time.Duration) string {
	return fmt.Sprintf("%s (stalled %s)", name, stall.Round(time.Millisecond))
}

// judge fills a goal from what it looked at: n items in its scope, the
// failures found, the items it could not judge (leftOut, each with why) and
// a summary for a pass. Any failure fails it; otherwise a goal that could
// not judge everything in its scope, or had nothing to judge, says SKIP,
// never PASS.
func judge(g Goal, n int, failures, leftOut []string, pass string) Goal {
	switch {
	case len(failures) > 0:
		g.Pass, g.Detail = false, strings.Join(failures, "; ")
		if len(leftOut) > 0 {
			g.Detail += " [not judged: " + strings.Join(leftOut, ", ") + "]"
		}
	case n == 0:
		g.Pass, g.Skipped, g.Detail = true, true, "nothing to judge at these settings"
	case len(leftOut) > 0:
		g.Pass, g.Skipped, g.Detail = true, true, fmt.Sprintf("not judged: %s; the rest pass (%s)", strings.Join(leftOut, ", "), pass)
	default:
		g.Pass, g.Detail = true, pass
	}
	return g
}

func (rd Read) name() string {
	return fmt.Sprintf("%d/%s/%s/qps%g", rd.Size, rd.Source, rd.Mode, rd.MaxQPS)
}

func (t Throttle) name() string { return fmt.Sprintf("%d x2/qps%g", t.Size, t.MaxQPS) }

// callsGoal: every read makes exactly ceil(N/500) calls and returns N records.
func (r *Report) callsGoal() Goal {
	var failures []string
	for _, rd := range r.Reads {
		if rd.Calls != rd.MinCalls || rd.ServerRequests != int64(rd.MinCalls) || rd.Records != rd.Size || rd.TotalNum != rd.Size {
			failures = append(failures, fmt.Sprintf("%s: %d calls (server %d), min %d, %d records", rd.name(), rd.Calls, rd.ServerRequests, rd.MinCalls, rd.Records))
		}
	}
	return judge(Goal{Name: "calls == minimum ceil(N/500) for every size (and every read complete)"},
		len(r.Reads), failures, nil, fmt.Sprintf("%d reads, all at the minimum", len(r.Reads)))
}

// wallGoal: no read is faster than the limiter's floor (that would mean the
// limiter let requests through early), and a concurrent read of more calls
// than max_qps (so that its floor spans at least one whole window) takes at
// most MaxWallRatio times it. Below one window the floor is a few spacings,
// and the round trips that cannot overlap (page 1, then the last page)
// dominate the wall time.
func (r *Report) wallGoal() Goal {
	var failures, left []string
	n, upper, worst, worstName := 0, 0, 0.0, ""
	below := func(name string, wall, floor fmt.Stringer) {
		failures = append(failures, fmt.Sprintf("%s: wall %s below the floor %s (the limiter is not working)", name, wall, floor))
	}
	for _, rd := range r.Reads {
		n++
		if rd.Wall < rd.Floor {
			below(rd.name(), rd.Wall, rd.Floor)
		}
		if rd.Mode != Concurrent || rd.Calls <= floorQPS(rd.MaxQPS) {
			continue
		}
		if disturbed(rd.Stall) {
			left = append(left, stalled(rd.name(), rd.Stall))
			continue
		}
		upper++
		if wr := rd.WallRatio(); wr > worst {
			worst, worstName = wr, rd.name()
		}
		if wr := rd.WallRatio(); wr > MaxWallRatio {
			failures = append(failures, fmt.Sprintf("%s: wall %s is %.2fx the floor %s", rd.name(), rd.Wall, wr, rd.Floor))
		}
	}
	for _, t := range r.Throttles {
		n++
		if t.Wall < t.Floor {
			below(t.name(), t.Wall, t.Floor)
		}
	}
	g := Goal{Name: fmt.Sprintf("floor <= wall for every read; wall <= %.2fx floor for concurrent reads longer than one limiter window (latency %s)", MaxWallRatio, r.Config.Latency)}
	pass := fmt.Sprintf("%d runs at or above the floor; %d judged against the upper bound, worst %.2fx (%s)", n, upper, worst, worstName)
	if upper == 0 {
		pass = fmt.Sprintf("%d runs at or above the floor; no read long enough for the upper bound", n)
	}
	g = judge(g, n, failures, left, pass)
	if r.Config.Latency != DefaultLatency {
		g.Detail += fmt.Sprintf(" [the upper bound is stated for %s latency]", DefaultLatency)
	}
	return g
}

// peakGoal: within any rolling second the emulator received at most max_qps
// requests (rounded down), reads and two-at-once runs alike; a run that
// stalled may exceed that by excess(stall), and one that stalled beyond
// MaxJudgedStall is not judged.
func (r *Report) peakGoal() Goal {
	var failures, allowed, left []string
	n, worst := 0, ""
	check := func(name string, peak int, qps float64, stall time.Duration) {
		n++
		if stall > MaxJudgedStall {
			left = append(left, stalled(name, stall))
			return
		}
		most := floorQPS(qps)
		limit := most + excess(stall, qps)
		if limit > most {
			allowed = append(allowed, fmt.Sprintf("%s: %d allowed after a %s stall, peak %d", name, limit, stall.Round(time.Millisecond), peak))
		}
		if peak > limit {
			failures = append(failures, fmt.Sprintf("%s: %d requests within one rolling second, over %d", name, peak, limit))
		}
		worst = fmt.Sprintf("last %s: %d of %d", name, peak, most)
	}
	for _, rd := range r.Reads {
		check(rd.name(), rd.PeakPerSecond, rd.MaxQPS, rd.Stall)
	}
	for _, t := range r.Throttles {
		check(t.name(), t.PeakPerSecond, t.MaxQPS, t.Stall)
	}
	g := judge(Goal{Name: "peak requests per rolling second <= max_qps (every read, and two reads at once)"},
		n, failures, left, fmt.Sprintf("%d runs within max_qps (%s)", n, worst))
	if len(allowed) > 0 {
		g.Detail += fmt.Sprintf(" [the machine stalled the process beyond %s: %s]", liveapi.GuardBand, strings.Join(allowed, ", "))
	}
	return g
}

// throttleGoal: two reads at once through one client never trip the
// server's limit. It is judged only where it could fail: when the two reads
// make more calls than the server accepts in one second (ServerQPS), which a
// client without a working limiter would send at once; a run that stalled
// beyond MaxJudgedStall is not judged.
func (r *Report) throttleGoal() Goal {
	var failures, judged, left []string
	n := 0
	for _, t := range r.Throttles {
		if float64(t.MinCalls) <= math.Ceil(t.ServerQPS) {
			continue // a client without a limiter would pass too: nothing to judge
		}
		n++
		if t.Stall > MaxJudgedStall {
			left = append(left, stalled(t.name(), t.Stall))
			continue
		}
		allowed := int64(excess(t.Stall, t.MaxQPS))
		line := fmt.Sprintf("%s/server%g: %d throttled", t.name(), t.ServerQPS, t.Throttled)
		if allowed > 0 {
			line += fmt.Sprintf(" (%d allowed after a %s stall)", allowed, t.Stall.Round(time.Millisecond))
		}
		judged = append(judged, line)
		if t.Throttled > allowed || t.Err != "" || t.Records != [2]int{t.Size, t.Size} {
			if t.Err != "" {
				line += " (error: " + t.Err + ")"
			}
			failures = append(failures, line)
		}
	}
	return judge(Goal{Name: "zero throttled calls, two reads at once through one client (where they outnumber the server's one second)"},
		n, failures, left, strings.Join(judged, "; "))
}

// heapGoal: the records take at most MaxHeapRatio times their string bytes.
// A read without string bytes (no records) cannot be judged.
func (r *Report) heapGoal() Goal {
	var failures, left []string
	worst, worstName := 0.0, ""
	for _, rd := range r.Reads {
		if rd.StringBytesPerRecord <= 0 {
			left = append(left, rd.name()+" (no records to weigh)")
			continue
		}
		hr := rd.HeapRatio()
		if hr > worst {
			worst, worstName = hr, rd.name()
		}
		if hr > MaxHeapRatio {
			failures = append(failures, fmt.Sprintf("%s %.2fx", rd.name(), hr))
		}
	}
	return judge(Goal{Name: fmt.Sprintf("retained heap per record <= %.0fx string bytes", MaxHeapRatio)},
		len(r.Reads), failures, left, fmt.Sprintf("%d reads, worst %.2fx (%s)", len(r.Reads), worst, worstName))
}

// Failed is the number of goals that failed.
func Failed(goals []Goal) int {
	n := 0
	for _, g := range goals {
		if !g.Pass {
			n++
		}
	}
	return n
}
