package liveapi

import (
	"errors"
	"fmt"
	"time"
)

// ErrWindowExpired marks a read whose whole window lies, or would lie before
// the read can end, more than MaxLookback in the past: nothing of it can be
// queried.
var ErrWindowExpired = errors.New("the time window is older than the API's 7-day limit")

// ErrPageRange marks a page the action does not accept: a PageNumber asked
// for, or a full read that would need pages beyond Operation.MaxPageNumber.
var ErrPageRange = errors.New("page number outside the range the action accepts")

// The API judges "StartTime within the last 7 days" at each request, to the
// second, so a read near the 7-day edge gives up the oldest moments of its
// window: as much as it needs to send its last request in time, plus these.
const (
	// WindowMargin is the part of the window a read gives up beyond what it
	// needs: room for the API's clock to run ahead of this machine's and for
	// the read to run late. A read that stays within half of it keeps the
	// start it first chose (lookback = "168h" reads 167h55m); a window made
	// shorter than asked by more than WindowMargin is reported
	// (Result.StartRaisedFor).
	WindowMargin = 5 * time.Minute
	// lateSendShare is the share of the margin kept free at the last
	// request: a read that runs later than that (a minute, at the default
	// margin) starts over with a later start instead of meeting the API's
	// refusal.
	lateSendShare = 5
)

// window is the whole-second window a read sends.
type window struct {
	start, end time.Time
	// validUntil is when start stops lying within MaxLookback.
	validUntil time.Time
}

// sendWindow turns the requested window into the one the API is sent, at
// now, for a read expected to take need:
//   - whole seconds that cover the request: start rounded down, end rounded
//     up, so that a sub-second window never reaches the API as an empty one
//     and no record of the request is left out;
//   - a start no older than MaxLookback before now + need + margin (the
//     client's WindowMargin), rounded up to the second, so that the read's
//     last request still carries a StartTime the API accepts.
//
// It fails when the window is empty, or when the clamp leaves nothing of it.
func sendWindow(action string, q Query, now time.Time, need, margin time.Duration) (window, error) {
	w := window{start: q.StartTime.UTC().Truncate(time.Second), end: SentEnd(q)}
	if !q.EndTime.After(q.StartTime) {
		return w, &APIError{Action: action, Err: fmt.Errorf("the window is empty: EndTime %s is not after StartTime %s",
			q.EndTime.UTC().Format(time.RFC3339Nano), q.StartTime.UTC().Format(time.RFC3339Nano))}
	}
	lastRequest := now.Add(need + margin)
	if oldest := ceilSecond(lastRequest.UTC().Add(-MaxLookback)); w.start.Before(oldest) {
		w.start = oldest
	}
	w.validUntil = w.start.Add(MaxLookback)
	if !w.end.After(w.start) {
		return w, &APIError{Action: action, Err: fmt.Errorf("%w: the window ends at %s, but a read that sends its last request "+
			"at %s can only start at %s or later", ErrWindowExpired, w.end.Format(TimeLayout),
			lastRequest.UTC().Format(time.RFC3339), w.start.Format(TimeLayout))}
	}
	return w, nil
}

// SentEnd is the EndTime a read of q sends, and reports in Result.EndTime:
// q's rounded up to the second. Unlike the start, it never moves, so a
// caller can place trailing windows before the read.
func SentEnd(q Query) time.Time { return ceilSecond(q.EndTime.UTC()) }

// ceilSecond rounds t up to the next whole second (t itself if whole).
func ceilSecond(t time.Time) time.Time {
	if tt := t.Truncate(time.Second); tt.Before(t) {
		return tt.Add(time.Second)
	}
	return t
}

// errStartTooOld is a full read that must start over with a later start: its
// estimate, after the first page, says it would outlive its window's
// validity, or it already runs too late to send another request.
type errStartTooOld struct {
	// need is how long the rest of the read, and the first page again, are
	// expected to take.
	need time.Duration
}

func (e *errStartTooOld) Error() string {
	return fmt.Sprintf("the read needs about %s more, past the instant its StartTime leaves the API's 7 days", e.need.Round(time.Millisecond))
}

// ReadTooLongError is a full read that cannot finish before its deadline at
// the client's request rate: after the first page it knows how many pages
// there are, and the rate limit alone makes the rest take longer than the
// time left.
type ReadTooLongError struct {
	Pages  int
	MaxQPS float64
	// Need is the least time the pages after the first take at MaxQPS;
	// Left is what remained of the deadline after the first page.
	Need, Left time.Duration
}

func (e *ReadTooLongError) Error() string {
	return fmt.Sprintf("the read needs %d pages, which take at least %s at max_qps %g, but only %s is left before its deadline",
		e.Pages, e.Need.Round(100*time.Millisecond), e.MaxQPS, e.Left.Round(100*time.Millisecond))
}

// planRest judges a full read after its first page, now, with firstPage the
// first page's round trip: it fails at once when the rate limit alone cannot
// fit the rest before ctx's deadline, and asks for a restart with a later
// start when the read would keep less than half of its margin before its
// window stops being valid. The restart takes the whole margin again, so an
// estimate that wobbles a little does not restart it twice.
func (c *Client) planRest(deadline time.Time, hasDeadline bool, w window, pages int, firstPage time.Duration, now time.Time) error {
	rest := pages - 1
	if rest <= 0 {
		return nil
	}
	floor := c.limiter.MinDuration(rest)
	if hasDeadline && now.Add(floor).After(deadline) {
		return &ReadTooLongError{Pages: pages, MaxQPS: c.maxQPS, Need: floor, Left: deadline.Sub(now)}
	}
	// The workers send the rest in waves of c.concurrency requests, no
	// faster than the limiter allows; the last answer takes a round trip.
	waves := (rest + c.concurrency - 1) / c.concurrency
	estimate := max(floor, time.Duration(waves)*firstPage) + firstPage
	if now.Add(estimate).After(w.validUntil.Add(-c.windowMargin / 2)) {
		return &errStartTooOld{need: firstPage + estimate}
	}
	return nil
}
