package liveapi

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/errgroup"
)

// maxReadRestarts bounds how often a full read starts over because the data
// changed under it (records arriving while pages are read).
const maxReadRestarts = 3

// progressEvery is how many pages pass between INFO progress lines.
const progressEvery = 20

// Result is the answer of a read (Read or List).
type Result[T any] struct {
	// Records are, for List only, the records in the API's order: every
	// matching record when all pages were read, or the records of the one
	// page asked for. Read hands them to its Sink instead and leaves this nil.
	Records []T
	// PageNum and PageSize are the API's values for a single-page read; for a
	// full read PageNum is 1 and PageSize the page size used.
	PageNum  int
	PageSize int
	// TotalNum and TotalPage are the API's totals for the query.
	TotalNum  int
	TotalPage int
	// RequestID is the request id of the first page.
	RequestID string
	// Code and Msg are DescribeLiveRecordNotifyRecords' status fields.
	Code *int
	Msg  string
	// Calls is the number of HTTP requests made, retries included.
	Calls int
	// Restarts is how often a full read started over because the data changed.
	Restarts int
	// StartTime and EndTime are the window actually sent to the API: whole
	// seconds covering the requested window, the start raised where the
	// 7-day limit requires (see Read). EndTime is always SentEnd(q).
	StartTime time.Time
	EndTime   time.Time
	// StartRaisedFor is, when the read started over with a later start
	// because it would have outlived its window, the time it was expected
	// to take: the window sent is then shorter than asked by more than
	// WindowMargin. Zero otherwise.
	StartRaisedFor time.Duration
	// Rereads is how many seconds a full read re-read because their records
	// straddled a page boundary (see ties.go).
	Rereads int

	// buffers is how many page buffers the read's last attempt made: what
	// it held of the records at most, beside its unsettled ties.
	buffers int
}

// Sink receives the records of a read as they settle, so that a caller can
// summarise a read of any size without holding its records. Read calls it
// from one goroutine at a time:
//
//   - Start(total) before the first record of each attempt, total being the
//     number of records the attempt delivers. A read that starts over (the
//     data changed under it, or its window had to move) calls Start again:
//     the sink forgets everything it was given before.
//   - Add(index, recs) with the records at positions index, index+1, ... of
//     the answer in the API's order, at least one. Every position in [0,
//     total) comes exactly once per attempt, in no particular order of
//     calls. recs is reused once Add returns: keep copies, not the slice.
//     Every record's NotifyTime is in TimeLayout and a valid time (Read
//     fails with ErrMalformedRecord otherwise).
//
// An error from Add fails the read at once, unchanged, without a restart.
type Sink[T any] interface {
	Start(total int)
	Add(index int, recs []T) error
}

// Collector is the Sink that keeps every record in the API's order: List's,
// and the one tests and benchmarks use.
type Collector[T any] struct {
	Records []T
}

// Start makes room for total records, forgetting any earlier attempt's.
func (c *Collector[T]) Start(total int) { c.Records = make([]T, total) }

// Add puts recs in place.
func (c *Collector[T]) Add(index int, recs []T) error {
	if index < 0 || index+len(recs) > len(c.Records) {
		return fmt.Errorf("records %d to %d delivered to a read of %d", index, index+len(recs), len(c.Records))
	}
	copy(c.Records[index:], recs)
	return nil
}

// sinkError is a Sink's own error: it ends the read as it is.
type sinkError struct{ err error }

func (e *sinkError) Error() string { return e.err.Error() }
func (e *sinkError) Unwrap() error { return e.err }

// ErrInconsistent marks a full read whose pages did not add up to one answer.
var ErrInconsistent = errors.New("the records changed while they were being read")

// ErrMalformedRecord marks an answer with a record that breaks the API
// document in a way that makes the read's result unknowable: a NotifyTime
// that is not a yyyy-MM-ddTHH:mm:ssZ time. The read fails rather than give
// a partial answer.
var ErrMalformedRecord = errors.New("the API answered a record that does not follow its document")

// List runs op for q and returns every record in the API's order
// (Result.Records): Read with a Collector.
func List[T any](ctx context.Context, c *Client, op Operation[T], q Query) (*Result[T], error) {
	col := &Collector[T]{}
	res, err := Read(ctx, c, op, q, col)
	if err != nil {
		return nil, err
	}
	res.Records = col.Records
	return res, nil
}

// Read runs op for q and hands the records to sink as they settle: one page
// when q.PageNumber is set, otherwise every page, concurrently after the
// first. A full read is one consistent answer or an error: if the total
// changes between pages or a page comes back short, the read starts over (at
// most maxReadRestarts times), calling sink.Start again.
//
// The window sent is whole seconds covering q's (see sendWindow), its start
// no older than 7 days before the read's last request plus WindowMargin, so
// that the API, which checks the 7 days as of each request, accepts every
// page. After the first page a full read knows how many pages it needs: it
// fails at once when the rate limit cannot fit them before ctx's deadline
// (ReadTooLongError), and starts over with a later start when they would
// outlive its window (Result.StartRaisedFor). Result.StartTime and EndTime
// report the window sent.
func Read[T any](ctx context.Context, c *Client, op Operation[T], q Query, sink Sink[T]) (*Result[T], error) {
	deadline, hasDeadline := ctx.Deadline()
	var (
		need  time.Duration // what the read is expected to take beyond its first request
		calls int
	)
	for restart := 0; ; restart++ {
		attempt := c.now()
		w, err := sendWindow(op.Action, q, attempt, need, c.windowMargin)
		if err != nil {
			return nil, err
		}
		if given := w.start.Sub(q.StartTime); given > 0 {
			tflog.Info(ctx, "raised StartTime so that every request stays within the API's 7 days", map[string]interface{}{
				"action": op.Action, "requested_start": q.StartTime.UTC().Format(time.RFC3339Nano), "sent_start": w.start.Format(TimeLayout),
				"given_up": given.String(), "expected_read_time": need.String(),
			})
		}
		sent := q
		sent.StartTime, sent.EndTime, sent.sendBy = w.start, w.end, w.validUntil.Add(-c.windowMargin/lateSendShare)
		var (
			res *Result[T]
			n   int
		)
		if q.PageNumber > 0 {
			res, n, err = readPage(ctx, c, op, sent, sink)
		} else {
			res, n, err = readAll(ctx, c, op, sent, sink, func(pages int, firstPage time.Duration) error {
				return c.planRest(deadline, hasDeadline, w, pages, firstPage, c.now())
			})
		}
		calls += n
		if err == nil {
			res.Calls, res.Restarts = calls, restart
			res.StartTime, res.EndTime = w.start, w.end
			res.StartRaisedFor = need
			return res, nil
		}
		var (
			late    *errStartTooOld
			ownFail *sinkError
		)
		switch {
		case errors.As(err, &ownFail):
			return nil, ownFail.err
		case errors.As(err, &late):
			if late.need == 0 { // It ran late: assume the next attempt takes as long.
				late.need = c.now().Sub(attempt)
			}
			need = late.need
			err = &APIError{Action: op.Action, Err: fmt.Errorf("%w: %w", ErrWindowExpired, late)}
		case errors.Is(err, ErrInconsistent) && q.PageNumber == 0:
		default:
			return nil, err
		}
		if restart >= maxReadRestarts {
			return nil, err
		}
		tflog.Info(ctx, "starting the read over", map[string]interface{}{
			"action": op.Action, "restart": restart + 1, "reason": err.Error(),
		})
	}
}

// noPlan accepts any number of pages: a read whose window was judged
// already (the re-read of a tied second).
func noPlan(int, time.Duration) error { return nil }

// readPage reads the one page q.PageNumber names into sink.
func readPage[T any](ctx context.Context, c *Client, op Operation[T], q Query, sink Sink[T]) (*Result[T], int, error) {
	if q.PageNumber > op.MaxPageNumber {
		return nil, 0, &APIError{Action: op.Action, Err: fmt.Errorf("%w: PageNumber %d; %s accepts 1 to %d",
			ErrPageRange, q.PageNumber, op.Action, op.MaxPageNumber)}
	}
	env, calls, err := fetchPage(ctx, c, op, q, q.PageNumber, make([]T, 0, q.pageSize()))
	if err != nil {
		return nil, calls, err
	}
	recs := *op.items(env)
	if err := checkNotifyTimes(op, recs, q.PageNumber, env.RequestID); err != nil {
		return nil, calls, err
	}
	sink.Start(len(recs))
	if len(recs) > 0 {
		if err := sink.Add(0, recs); err != nil {
			return nil, calls, &sinkError{err}
		}
	}
	return resultFrom(env), calls, nil
}

func resultFrom[T any](env *pageEnvelope[T]) *Result[T] {
	res := &Result[T]{
		PageNum:   env.PageNum,
		PageSize:  env.PageSize,
		TotalPage: env.TotalPage,
		RequestID: env.RequestID,
		Code:      env.Code,
		Msg:       env.Msg,
	}
	if env.TotalNum != nil {
		res.TotalNum = *env.TotalNum
	}
	return res
}

// readAll reads every page once into sink, settling the ties at page
// boundaries as the pages arrive. It returns the number of calls made.
// afterFirstPage judges the read once the number of pages is known (see
// Client.planRest).
func readAll[T any](ctx context.Context, c *Client, op Operation[T], q Query, sink Sink[T], afterFirstPage func(pages int, firstPage time.Duration) error) (*Result[T], int, error) {
	started := time.Now()
	res, calls, err := readPages(ctx, c, op, q, sink, true, afterFirstPage)
	if err != nil {
		return nil, calls, err
	}
	tflog.Info(ctx, "read all callback records", map[string]interface{}{
		"action": op.Action, "records": res.TotalNum, "pages": res.TotalPage, "calls": calls,
		"tied_seconds_reread": res.Rereads, "duration_ms": time.Since(started).Milliseconds(),
	})
	return res, calls, nil
}

// readPages reads every page of q once, concurrently after the first,
// checking that the pages add up, and hands the records to sink: with
// settle, through a tieBook that holds the records of seconds at page
// boundaries until they are known to be exact (see ties.go); without, each
// page whole as it arrives (the re-read of one second, which settles
// itself). Pages decode into a few reused buffers: the read holds the pages
// in flight and the records of unsettled seconds, never the whole answer.
func readPages[T any](ctx context.Context, c *Client, op Operation[T], q Query, sink Sink[T], settle bool,
	afterFirstPage func(pages int, firstPage time.Duration) error,
) (*Result[T], int, error) {
	size := q.pageSize()
	started := c.now()
	firstBuf := make([]T, 0, size)
	first, calls, err := fetchPage(ctx, c, op, q, 1, firstBuf)
	if err != nil {
		return nil, calls, err
	}
	if first.TotalNum == nil {
		return nil, calls, &APIError{Action: op.Action, RequestID: first.RequestID, Attempts: calls,
			Err: errors.New("the answer has no TotalNum, so the read cannot be proven complete")}
	}
	total := *first.TotalNum
	pages := (total + size - 1) / size
	if first.TotalPage != pages {
		return nil, calls, fmt.Errorf("%w: TotalPage is %d but TotalNum %d at page size %d makes %d pages",
			ErrInconsistent, first.TotalPage, total, size, pages)
	}
	if pages > op.MaxPageNumber {
		return nil, calls, &APIError{Action: op.Action, RequestID: first.RequestID, Attempts: calls,
			Err: fmt.Errorf("%w: TotalNum %d at PageSize %d makes %d pages, but %s accepts PageNumber 1 to %d; a narrower time window or more filters make fewer pages",
				ErrPageRange, total, size, pages, op.Action, op.MaxPageNumber)}
	}
	if err := afterFirstPage(pages, c.now().Sub(started)); err != nil {
		return nil, calls, err
	}
	firstItems := *op.items(first)
	if want := min(size, total); len(firstItems) != want {
		return nil, calls, fmt.Errorf("%w: page 1 has %d records, expected %d of %d", ErrInconsistent, len(firstItems), want, total)
	}
	res := resultFrom(first)
	res.PageNum = 1
	res.PageSize = size

	r := &pageReader[T]{c: c, op: op, q: q, sink: sink, size: size, total: total, calls: calls, made: 1}
	if settle {
		r.ties = newTieBook[T](pages)
	}
	sink.Start(total)
	if err := r.arrive(ctx, 1, firstItems, first.RequestID); err != nil {
		return nil, r.calls, err
	}
	r.release(firstBuf)
	if pages > 1 {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(c.concurrency)
		for page := 2; page <= pages; page++ {
			want := min(page*size, total) - (page-1)*size
			g.Go(func() error {
				buf := r.buffer()
				defer r.release(buf)
				env, n, err := fetchPage(gctx, c, op, q, page, buf)
				r.count(n)
				if err != nil {
					return err
				}
				got := *op.items(env)
				switch {
				case env.TotalNum == nil || *env.TotalNum != total:
					return fmt.Errorf("%w: TotalNum was %d on page 1 and %s on page %d", ErrInconsistent, total, intOrNone(env.TotalNum), page)
				case len(got) != want:
					return fmt.Errorf("%w: page %d has %d records, expected %d", ErrInconsistent, page, len(got), want)
				}
				if err := r.arrive(gctx, page, got, env.RequestID); err != nil {
					return err
				}
				if done := r.pageDone(); done%progressEvery == 0 {
					tflog.Info(ctx, "reading callback records", map[string]interface{}{
						"action": op.Action, "pages_read": done, "pages_total": pages,
					})
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return nil, r.calls, err
		}
	}
	if r.ties != nil {
		res.Rereads = r.ties.rereads
	}
	res.buffers = r.made
	return res, r.calls, nil
}

// pageReader is one attempt of readPages: the pages' buffers and the
// records' way to the sink.
type pageReader[T any] struct {
	c           *Client
	op          Operation[T]
	q           Query
	sink        Sink[T]
	size, total int
	// ties settles the seconds at page boundaries; nil: pages go to the
	// sink whole.
	ties *tieBook[T]

	// mu guards what follows and serialises the sink's calls.
	mu    sync.Mutex
	calls int
	done  int
	// free holds the page buffers not in use, of the made so far: at most
	// one a page in flight.
	free [][]T
	made int
}

// buffer is an empty page buffer with room for a page.
func (r *pageReader[T]) buffer() []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := len(r.free); n > 0 {
		buf := r.free[n-1]
		r.free = r.free[:n-1]
		return buf[:0]
	}
	r.made++
	return make([]T, 0, r.size)
}

// release takes a page buffer back. Its records stay until fetchPage
// clears it for the next page.
func (r *pageReader[T]) release(buf []T) {
	r.mu.Lock()
	r.free = append(r.free, buf[:0])
	r.mu.Unlock()
}

func (r *pageReader[T]) count(calls int) {
	r.mu.Lock()
	r.calls += calls
	r.mu.Unlock()
}

func (r *pageReader[T]) pageDone() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done++
	return r.done + 1 // with page 1
}

// arrive hands page's records to the sink: at once without tie settling,
// otherwise what the tieBook settles, re-reading the seconds it cannot.
func (r *pageReader[T]) arrive(ctx context.Context, page int, recs []T, requestID string) error {
	if err := checkNotifyTimes(r.op, recs, page, requestID); err != nil {
		return err
	}
	lo := (page - 1) * r.size
	if r.ties == nil {
		return r.add(lo, recs)
	}
	rereads, err := r.settle(page, lo, recs)
	if err != nil {
		return err
	}
	for _, g := range rereads {
		got, calls, err := rereadSecond(ctx, r.c, r.op, r.q, g.second, g.n)
		r.count(calls)
		if err != nil {
			return err
		}
		if err := r.add(g.pos, got); err != nil {
			return err
		}
	}
	return nil
}

// settle gives the tieBook page's records, which stand at positions lo..,
// and returns the seconds to re-read.
func (r *pageReader[T]) settle(page, lo int, recs []T) ([]reread, error) {
	r.mu.Lock()
	defer r.mu.Unlock() // A panic must not leave the reader locked: its buffers go back on the way out.
	return r.ties.arrive(r.op, page, lo, recs, r.sink)
}

// add hands recs, at positions index.., to the sink.
func (r *pageReader[T]) add(index int, recs []T) error {
	if len(recs) == 0 {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.sink.Add(index, recs); err != nil {
		return &sinkError{err}
	}
	return nil
}

// checkNotifyTimes fails a page with a record whose NotifyTime is not a
// TimeLayout time: the read's order, its ties and every time a caller
// derives from it rest on that form.
func checkNotifyTimes[T any](op Operation[T], recs []T, page int, requestID string) error {
	for i := range recs {
		if s := op.notifyTime(&recs[i]); !validNotifyTime(s) {
			return &APIError{Action: op.Action, RequestID: requestID, Err: fmt.Errorf(
				"%w: record %d of page %d has the NotifyTime %q, not a time in the documented form yyyy-MM-ddTHH:mm:ssZ",
				ErrMalformedRecord, i+1, page, s)}
		}
	}
	return nil
}

// validNotifyTime reports whether s is a time in TimeLayout, as
// time.Parse(TimeLayout, s) accepts it without the fraction of a second
// time.Parse lets through, at a fraction of its cost.
func validNotifyTime(s string) bool {
	if len(s) != len(TimeLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' {
		return false
	}
	year, month, day := digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2)
	hour, minute, second := digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 {
		return false
	}
	days := daysIn[month]
	if month == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		days = 29
	}
	return day <= days
}

// daysIn is the length of each month of a common year.
var daysIn = [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// digits is the number s[i:i+n] writes in decimal digits, -1 when another
// character is among them.
func digits(s string, i, n int) int {
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		if c < '0' || c > '9' {
			return -1
		}
		v = v*10 + int(c-'0')
	}
	return v
}

func intOrNone(p *int) string {
	if p == nil {
		return "missing"
	}
	return fmt.Sprint(*p)
}
