package emulator

import (
	"sync"
)

// Faults is a fault-injection plan. Every "…Every k" field fires on each
// k-th request (k, 2k, 3k, …) counted from the moment the plan was set;
// 0 turns it off. Only requests that pass authentication and the MaxQPS
// limit are counted: faults model the backend and the network, not the
// gateway's own checks, so a client that signs correctly sees them at
// exactly the configured positions.
//
// When several fire on the same request the most disruptive wins:
// PersistentError, DropConnection, Unavailable, InternalError, Throttle,
// TruncateBody.
type Faults struct {
	// ThrottleEvery answers 400 Throttling.User (*openapi.ThrottlingError
	// in the SDK), as if the account's QPS quota were exhausted.
	ThrottleEvery int
	// InternalErrorEvery answers 500 InternalError.
	InternalErrorEvery int
	// UnavailableEvery answers 503 ServiceUnavailable.
	UnavailableEvery int
	// DropConnectionEvery closes the connection without answering.
	DropConnectionEvery int
	// TruncateBodyEvery processes the request normally but sends only the
	// first half of the body (with the status of the real answer: 200 for a
	// valid request), with a Content-Length that matches the cut body: the
	// HTTP exchange is well formed, the JSON is not.
	TruncateBodyEvery int

	// InsertDuringRead, when AfterPages > 0, waits for that many successful
	// page answers and then, once, inserts Count records that match the
	// query of the last page served and are newer than every record in its
	// domain. Pages requested afterwards shift by Count, as they would on a
	// live system receiving callbacks while a client reads.
	InsertDuringRead Insertion

	// PersistentError, when non-nil, is the answer to every request.
	PersistentError *APIError

	// FlaggedAnswer, when its Code is not 0, makes DescribeLiveRecordNotifyRecords
	// answer valid requests with HTTP 200, an empty CallbackList, TotalNum 0
	// and the given Code and Msg: the answer the record document allows (it
	// returns Code and Msg beside the list) and that reads as "no callbacks"
	// to a client that ignores Code. DescribeLiveStreamsNotifyRecords
	// documents no Code or Msg, so it keeps answering normally.
	FlaggedAnswer Flag
}

// Flag configures Faults.FlaggedAnswer.
type Flag struct {
	// Code and Msg are the answer's Code and Msg fields (0: off).
	Code int
	Msg  string
	// FromPage flags only requests whose PageNumber is at least FromPage
	// (0 or 1: every page), so that a full read can fail on a later page.
	FromPage int
}

// Insertion configures Faults.InsertDuringRead.
type Insertion struct {
	AfterPages int
	Count      int
}

// Fault kinds, as counted in Stats.FaultsByKind.
const (
	FaultThrottle         = "throttle"
	FaultInternalError    = "internal_error"
	FaultUnavailable      = "unavailable"
	FaultDropConnection   = "drop_connection"
	FaultTruncateBody     = "truncate_body"
	FaultInsertDuringRead = "insert_during_read"
	FaultPersistentError  = "persistent_error"
	FaultFlaggedAnswer    = "flagged_answer"
)

// faultPlan is what the fault stage decided for one request.
type faultPlan struct {
	kind     string    // "" when no fault fires
	err      *APIError // answer instead of processing
	drop     bool      // close the connection
	truncate bool      // process, then cut the body
}

// faultState holds the plan and its counters.
type faultState struct {
	mu        sync.Mutex
	plan      Faults
	requests  int64 // authenticated requests since the plan was set
	pages     int64 // successful pages since the plan was set
	inserted  bool  // InsertDuringRead already fired
	insertSeq int64 // distinguishes synthesized records
}

func (f *faultState) set(plan Faults) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.plan = plan
	f.requests = 0
	f.pages = 0
	f.inserted = false
}

func (f *faultState) get() Faults {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.plan
}

func every(k int, n int64) bool { return k > 0 && n%int64(k) == 0 }

// next counts one authenticated request and decides its fault.
func (f *faultState) next() faultPlan {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	n, p := f.requests, &f.plan
	switch {
	case p.PersistentError != nil:
		e := *p.PersistentError
		return faultPlan{kind: FaultPersistentError, err: &e}
	case every(p.DropConnectionEvery, n):
		return faultPlan{kind: FaultDropConnection, drop: true}
	case every(p.UnavailableEvery, n):
		return faultPlan{kind: FaultUnavailable, err: errServiceUnavailable()}
	case every(p.InternalErrorEvery, n):
		return faultPlan{kind: FaultInternalError, err: errInternal()}
	case every(p.ThrottleEvery, n):
		return faultPlan{kind: FaultThrottle, err: errThrottlingUser()}
	case every(p.TruncateBodyEvery, n):
		return faultPlan{kind: FaultTruncateBody, truncate: true}
	}
	return faultPlan{}
}

// flagged returns the Code and Msg to answer a valid record-action request
// for page with, or ok false when FlaggedAnswer does not apply.
func (f *faultState) flagged(page int) (Flag, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fl := f.plan.FlaggedAnswer
	return fl, fl.Code != 0 && page >= fl.FromPage
}

// pageServed counts one successful page and returns how many records to
// insert now (0 almost always).
func (f *faultState) pageServed() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pages++
	ins := f.plan.InsertDuringRead
	if f.inserted || ins.AfterPages <= 0 || ins.Count <= 0 || f.pages < int64(ins.AfterPages) {
		return 0
	}
	f.inserted = true
	return ins.Count
}

func (f *faultState) nextInsertSeq() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.insertSeq++
	return f.insertSeq
}

// SetFaults replaces the fault plan and restarts its counters, so "every
// k-th request" and InsertDuringRead.AfterPages count from this call. Safe
// to call while requests are in flight.
func (s *Server) SetFaults(f Faults) { s.faults.set(f) }

// Faults returns the current fault plan.
func (s *Server) Faults() Faults { return s.faults.get() }
