package liveapi

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// ErrUnstableTies marks a read that cannot be proven complete: more records
// share one NotifyTime than a page holds, and the API answered them in a
// different order from one request to the next. It wraps ErrInconsistent, so
// the read starts over before it fails with it.
var ErrUnstableTies = fmt.Errorf("%w: more records share one NotifyTime than a page holds, and the API orders them differently from request to request", ErrInconsistent)

// settleTies makes a full read exact when the API does not order records
// that share a NotifyTime the same way on every request (neither document
// defines the order of ties). Pages read separately can then repeat a record
// of a tie that straddles a page boundary and lose another, while every
// count still matches.
//
// Only the records of a second that straddles a boundary can be affected,
// and they are the right number (TotalNum and every page add up). So when
// they are pairwise different they are exactly that second's records, at no
// cost. When two are equal in every field, either the API repeated one (and
// lost another) or the data holds two identical callbacks: settleTies then
// re-reads that second alone, [s, s+1), and puts the answer in place of the
// records of that second. A second of at most MaxPageSize records is one
// page: exact whatever the order. A larger one takes several pages again,
// and is accepted only without repeats, by the same argument; otherwise the
// read fails rather than risk a wrong answer.
//
// It returns the number of calls made and sets res.Rereads.
func settleTies[T any](ctx context.Context, c *Client, op Operation[T], q Query, res *Result[T]) (int, error) {
	type tie struct {
		second string
		lo, hi int // the records of the second in res.Records
		got    []T
	}
	recs := res.Records
	size := q.pageSize()
	var ties []*tie
	last := ""
	for b := size; b < len(recs); b += size {
		sec := op.notifyTime(&recs[b])
		if op.notifyTime(&recs[b-1]) != sec || sec == last {
			continue
		}
		last = sec
		lo, hi := b, b
		for lo > 0 && op.notifyTime(&recs[lo-1]) == sec {
			lo--
		}
		for hi < len(recs) && op.notifyTime(&recs[hi]) == sec {
			hi++
		}
		if hasRepeats(recs[lo:hi]) {
			ties = append(ties, &tie{second: sec, lo: lo, hi: hi})
		}
	}
	if len(ties) == 0 {
		return 0, nil
	}

	var (
		mu    sync.Mutex
		calls int
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.concurrency)
	for _, t := range ties {
		g.Go(func() error {
			at, err := time.Parse(TimeLayout, t.second)
			if err != nil {
				return &APIError{Action: op.Action, Err: fmt.Errorf("records at a page boundary have the NotifyTime %q, which does not parse, so their second cannot be re-read: %w", t.second, err)}
			}
			sub := q
			sub.StartTime, sub.EndTime, sub.PageSize, sub.PageNumber = at, at.Add(time.Second), MaxPageSize, 0
			got, n, err := readPages(gctx, c, op, sub, noPlan)
			mu.Lock()
			calls += n
			mu.Unlock()
			if err != nil {
				return err
			}
			// Keep the second itself only: nothing else under the half-open
			// window the emulator implements, and still right should the API
			// include EndTime.
			kept := got.Records[:0]
			for i := range got.Records {
				if op.notifyTime(&got.Records[i]) == t.second {
					kept = append(kept, got.Records[i])
				}
			}
			switch {
			case len(kept) != t.hi-t.lo:
				return fmt.Errorf("%w: %d records have NotifyTime %s when that second is read alone, %d in the pages",
					ErrInconsistent, len(kept), t.second, t.hi-t.lo)
			case got.TotalPage > 1 && hasRepeats(kept):
				return fmt.Errorf("%w: %d records at %s, a page holds %d", ErrUnstableTies, len(kept), t.second, MaxPageSize)
			}
			t.got = kept
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return calls, err
	}
	for _, t := range ties {
		copy(recs[t.lo:t.hi], t.got)
	}
	res.Rereads = len(ties)
	return calls, nil
}

// hasRepeats reports whether two records are equal in every field.
func hasRepeats[T any](recs []T) bool {
	seen := make(map[string]bool, len(recs))
	for i := range recs {
		b, err := json.Marshal(&recs[i])
		if err != nil || seen[string(b)] {
			return true
		}
		seen[string(b)] = true
	}
	return false
}
