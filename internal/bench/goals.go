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

// disturbed reports whether a run saw the process stall for longer than the
// client's departure slack: its requests may then have reached the emulator
// bunched together however the limiter spaced them, and its wall time says
// more about the machine than the client. The upper wall bound leaves such
// runs out and says so; the floor, which a busy machine can only help,
// judges them; the peak and throttle goals allow them excess.
func disturbed(stall time.Duration) bool { return stall > liveapi.GuardBand }

// excess is how many requests a stall can bunch into a rolling second
// beyond what the limiter admitted there: those the limiter of max_qps
// admits within the stall's length. 0 when the run was not disturbed.
func excess(stall time.Duration, qps float64) int {
	if !disturbed(stall) {
		return 0
	}
	l := liveapi.NewLimiter(qps)
	return int(math.Ceil(float64(stall) / float64(l.Window()) * float64(l.Size())))
}

// noteDisturbed appends the runs left out as disturbed to a goal's detail.
func noteDisturbed(g Goal, left []string) Goal {
	if len(left) > 0 {
		g.Detail += fmt.Sprintf(" [not judged, the machine stalled the process beyond %s: %s]", liveapi.GuardBand, strings.Join(left, ", "))
	}
	return g
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
		g.Pass, g.Skipped, g.Detail = true, true, fmt.Sprintf("not judged, the machine stalled the process: %s (%s)", strings.Join(leftOut, ", "), pass)
	default:
		g.Pass, g.Detail = true, pass
	}
	return g
}

// verdict fills a goal from what it judged: n items looked at, the failures
// found, and a summary for a pass.
func verdict(g Goal, n int, failures []string, pass string) Goal {
	switch {
	case n == 0:
		g.Pass, g.Skipped, g.Detail = true, true, pass
	case len(failures) > 0:
		g.Pass, g.Detail = false, strings.Join(failures, "; ")
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
	return verdict(Goal{Name: "calls == minimum ceil(N/500) for every size (and every read complete)"},
		len(r.Reads), failures, fmt.Sprintf("%d reads, all at the minimum", len(r.Reads)))
}

// wallGoal: no read is faster than the limiter's floor (that would mean the
// limiter let requests through early), and a concurrent read whose floor
// spans at least one whole limiter window takes at most MaxWallRatio times
// it. Below one window the floor is a few spacings, and the round trips that
// cannot overlap (page 1, then the last page) dominate the wall time.
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
		if rd.Mode != Concurrent || rd.Calls <= rd.LimiterSize {
			continue
		}
		if disturbed(rd.Stall) {
			left = append(left, fmt.Sprintf("%s (%s)", rd.name(), rd.Stall.Round(time.Millisecond)))
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
	g = noteDisturbed(verdict(g, n, failures, pass), left)
	if r.Config.Latency != DefaultLatency {
		g.Detail += fmt.Sprintf(" [the upper bound is stated for %s latency]", DefaultLatency)
	}
	return g
}

// peakGoal: within any rolling second the emulator received at most max_qps
// requests (rounded down: the limiter's size), reads and two-at-once runs
// alike; a run that stalled may exceed that by excess(stall).
func (r *Report) peakGoal() Goal {
	var failures, allowed []string
	n, worst := 0, ""
	judge := func(name string, peak, size int, qps float64, stall time.Duration) {
		n++
		limit := size + excess(stall, qps)
		if limit > size {
			allowed = append(allowed, fmt.Sprintf("%s: %d allowed after a %s stall, peak %d", name, limit, stall.Round(time.Millisecond), peak))
		}
		if peak > limit {
			failures = append(failures, fmt.Sprintf("%s: %d requests within one rolling second, over %d", name, peak, limit))
		}
		worst = fmt.Sprintf("last %s: %d of %d", name, peak, size)
	}
	for _, rd := range r.Reads {
		judge(rd.name(), rd.PeakPerSecond, rd.LimiterSize, rd.MaxQPS, rd.Stall)
	}
	for _, t := range r.Throttles {
		judge(t.name(), t.PeakPerSecond, t.LimiterSize, t.MaxQPS, t.Stall)
	}
	g := verdict(Goal{Name: "peak requests per rolling second <= max_qps (every read, and two reads at once)"},
		n, failures, fmt.Sprintf("%d runs within max_qps (%s)", n, worst))
	if len(allowed) > 0 {
		g.Detail += fmt.Sprintf(" [the machine stalled the process beyond %s: %s]", liveapi.GuardBand, strings.Join(allowed, ", "))
	}
	return g
}

// throttleGoal: two reads at once through one client never trip the
// server's limit. It is judged only where it could fail: when the two reads
// make more calls than the server accepts in one second (ServerQPS), which a
// client without a working limiter would send at once.
func (r *Report) throttleGoal() Goal {
	var failures, judged, skipped []string
	for _, t := range r.Throttles {
		if float64(t.MinCalls) <= math.Ceil(t.ServerQPS) {
			skipped = append(skipped, fmt.Sprintf("%s: %d calls fit in the server's one second of %g", t.name(), t.MinCalls, t.ServerQPS))
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
	pass := strings.Join(judged, "; ")
	if len(judged) == 0 {
		pass = "not judged: " + strings.Join(skipped, "; ")
		if len(skipped) == 0 {
			pass = "not judged"
		}
	}
	return verdict(Goal{Name: "zero throttled calls, two reads at once through one client (where they outnumber the server's one second)"},
		len(judged), failures, pass)
}

// heapGoal: the records take at most MaxHeapRatio times their string bytes.
func (r *Report) heapGoal() Goal {
	var failures []string
	worst, worstName := 0.0, ""
	for _, rd := range r.Reads {
		hr := rd.HeapRatio()
		if hr > worst {
			worst, worstName = hr, rd.name()
		}
		if hr > MaxHeapRatio || math.IsNaN(hr) {
			failures = append(failures, fmt.Sprintf("%s %.2fx", rd.name(), hr))
		}
	}
	return verdict(Goal{Name: fmt.Sprintf("retained heap per record <= %.0fx string bytes", MaxHeapRatio)},
		len(r.Reads), failures, fmt.Sprintf("%d reads, worst %.2fx (%s)", len(r.Reads), worst, worstName))
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
