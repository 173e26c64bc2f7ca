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

// Result is the answer of a List call.
type Result[T any] struct {
	// Records in the API's order: every matching record when all pages were
	// read, or the records of the one page asked for.
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
	// 7-day limit requires (see List).
	StartTime time.Time
	EndTime   time.Time
	// StartRaisedFor is, when the read started over with a later start
	// because it would have outlived its window, the time it was expected
	// to take: the window sent is then shorter than asked by more than
	// WindowMargin. Zero otherwise.
	StartRaisedFor time.Duration
	// Rereads is how many seconds a full read re-read because their records
	// straddled a page boundary (see settleTies).
	Rereads int
}

// ErrInconsistent marks a full read whose pages did not add up to one answer.
var ErrInconsistent = errors.New("the records changed while they were being read")

// List runs op for q: one page when q.PageNumber is set, otherwise every page,
// concurrently after the first, reassembled in the API's order. A full read
// is one consistent answer or an error: if the total changes between pages or
// a page comes back short, the read starts over (at most maxReadRestarts times).
//
// The window sent is whole seconds covering q's (see sendWindow), its start
// no older than 7 days before the read's last request plus WindowMargin, so
// that the API, which checks the 7 days as of each request, accepts every
// page. After the first page a full read knows how many pages it needs: it
// fails at once when the rate limit cannot fit them before ctx's deadline
// (ReadTooLongError), and starts over with a later start when they would
// outlive its window (Result.StartRaisedFor). Result.StartTime and EndTime
// report the window sent.
func List[T any](ctx context.Context, c *Client, op Operation[T], q Query) (*Result[T], error) {
	deadline, hasDeadline := ctx.Deadline()
	var (
		need  time.Duration // what the read is expected to take beyond its first request
		calls int
	)
	for restart := 0; ; restart++ {
		attempt := time.Now()
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
			res, n, err = readPage(ctx, c, op, sent)
		} else {
			res, n, err = readAll(ctx, c, op, sent, func(pages int, firstPage time.Duration) error {
				return c.planRest(deadline, hasDeadline, w, pages, firstPage, time.Now())
			})
		}
		calls += n
		if err == nil {
			res.Calls, res.Restarts = calls, restart
			res.StartTime, res.EndTime = w.start, w.end
			res.StartRaisedFor = need
			return res, nil
		}
		var late *errStartTooOld
		switch {
		case errors.As(err, &late):
			if late.need == 0 { // It ran late: assume the next attempt takes as long.
				late.need = time.Since(attempt)
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

// readPage reads the one page q.PageNumber names.
func readPage[T any](ctx context.Context, c *Client, op Operation[T], q Query) (*Result[T], int, error) {
	if q.PageNumber > op.MaxPageNumber {
		return nil, 0, &APIError{Action: op.Action, Err: fmt.Errorf("%w: PageNumber %d; %s accepts 1 to %d",
			ErrPageRange, q.PageNumber, op.Action, op.MaxPageNumber)}
	}
	env, calls, err := fetchPage(ctx, c, op, q, q.PageNumber, nil)
	if err != nil {
		return nil, calls, err
	}
	res := resultFrom(env)
	res.Records = *op.items(env)
	if res.Records == nil {
		res.Records = []T{}
	}
	return res, calls, nil
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

// readAll reads every page once and settles the ties at page boundaries. It
// returns the number of calls made. afterFirstPage judges the read once the
// number of pages is known (see Client.planRest).
func readAll[T any](ctx context.Context, c *Client, op Operation[T], q Query, afterFirstPage func(pages int, firstPage time.Duration) error) (*Result[T], int, error) {
	started := time.Now()
	res, calls, err := readPages(ctx, c, op, q, afterFirstPage)
	if err != nil {
		return nil, calls, err
	}
	n, err := settleTies(ctx, c, op, q, res)
	calls += n
	if err != nil {
		return nil, calls, err
	}
	tflog.Info(ctx, "read all callback records", map[string]interface{}{
		"action": op.Action, "records": len(res.Records), "pages": res.TotalPage, "calls": calls,
		"tied_seconds_reread": res.Rereads, "duration_ms": time.Since(started).Milliseconds(),
	})
	return res, calls, nil
}

// readPages reads every page of q once, concurrently after the first, into
// one slice in the API's order, checking that the pages add up.
func readPages[T any](ctx context.Context, c *Client, op Operation[T], q Query, afterFirstPage func(pages int, firstPage time.Duration) error) (*Result[T], int, error) {
	size := q.pageSize()
	started := time.Now()
	first, calls, err := fetchPage(ctx, c, op, q, 1, nil)
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
	if err := afterFirstPage(pages, time.Since(started)); err != nil {
		return nil, calls, err
	}
	firstItems := *op.items(first)
	if want := min(size, total); len(firstItems) != want {
		return nil, calls, fmt.Errorf("%w: page 1 has %d records, expected %d of %d", ErrInconsistent, len(firstItems), want, total)
	}
	res := resultFrom(first)
	res.PageNum = 1
	res.PageSize = size
	if pages <= 1 {
		res.Records = firstItems
		if res.Records == nil {
			res.Records = []T{}
		}
		return res, calls, nil
	}

	// Every later page decodes in place into its own window of records.
	records := make([]T, total)
	copy(records, firstItems)
	var (
		mu   sync.Mutex
		done = 1
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.concurrency)
	for page := 2; page <= pages; page++ {
		lo, hi := (page-1)*size, min(page*size, total)
		window := records[lo:lo:hi]
		g.Go(func() error {
			env, n, err := fetchPage(gctx, c, op, q, page, window)
			mu.Lock()
			calls += n
			mu.Unlock()
			if err != nil {
				return err
			}
			got := *op.items(env)
			switch {
			case env.TotalNum == nil || *env.TotalNum != total:
				return fmt.Errorf("%w: TotalNum was %d on page 1 and %s on page %d", ErrInconsistent, total, intOrNone(env.TotalNum), page)
			case len(got) != hi-lo:
				return fmt.Errorf("%w: page %d has %d records, expected %d", ErrInconsistent, page, len(got), hi-lo)
			}
			mu.Lock()
			done++
			if done%progressEvery == 0 {
				tflog.Info(ctx, "reading callback records", map[string]interface{}{
					"action": op.Action, "pages_read": done, "pages_total": pages,
				})
			}
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, calls, err
	}
	res.Records = records
	return res, calls, nil
}

func intOrNone(p *int) string {
	if p == nil {
		return "missing"
	}
	return fmt.Sprint(*p)
}
