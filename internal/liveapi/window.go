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

// window is the whole-second window List sends for a query.
type window struct {
	start, end time.Time
	// clampedFrom is the start before the 7-day clamp raised it (zero when
	// the clamp did not apply).
	clampedFrom time.Time
	// validUntil is the instant the clamp keeps the start valid until: the
	// read's deadline, or now + ReadBoundWithoutDeadline.
	validUntil time.Time
}

// sendWindow turns the requested window into the one the API is sent:
//   - whole seconds that cover the request: start rounded down, end rounded
//     up, so that a sub-second window never reaches the API as an empty one
//     and no record of the request is left out;
//   - a start no older than MaxLookback before validUntil, rounded up to the
//     second, so that every page of the read, up to its last possible
//     request, carries a StartTime the API still accepts. The records of the
//     seconds given up are the ones the API would stop returning during the
//     read anyway.
//
// It fails when the window is empty, or when the clamp leaves nothing of it.
func sendWindow(action string, q Query, now time.Time, deadline time.Time, hasDeadline bool) (window, error) {
	w := window{start: q.StartTime.UTC().Truncate(time.Second), end: ceilSecond(q.EndTime.UTC()), validUntil: deadline}
	if !hasDeadline {
		w.validUntil = now.Add(ReadBoundWithoutDeadline)
	}
	if !q.EndTime.After(q.StartTime) {
		return w, &APIError{Action: action, Err: fmt.Errorf("the window is empty: EndTime %s is not after StartTime %s",
			q.EndTime.UTC().Format(time.RFC3339Nano), q.StartTime.UTC().Format(time.RFC3339Nano))}
	}
	if oldest := ceilSecond(w.validUntil.UTC().Add(-MaxLookback)); w.start.Before(oldest) {
		w.clampedFrom, w.start = w.start, oldest
	}
	if !w.end.After(w.start) {
		return w, &APIError{Action: action, Err: fmt.Errorf("%w: the window ends at %s, but the oldest StartTime the API accepts until %s (the end of the read) is %s",
			ErrWindowExpired, w.end.Format(TimeLayout), w.validUntil.UTC().Format(time.RFC3339), w.start.Format(TimeLayout))}
	}
	return w, nil
}

// ceilSecond rounds t up to the next whole second (t itself if whole).
func ceilSecond(t time.Time) time.Time {
	if tt := t.Truncate(time.Second); tt.Before(t) {
		return tt.Add(time.Second)
	}
	return t
}
