package liveapi

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// ErrUnstableTies marks a read that cannot be proven complete: more records
// share one NotifyTime than a page holds, and the API answered them in a
// different order from one request to the next. It wraps ErrInconsistent, so
// the read starts over before it fails with it.
var ErrUnstableTies = fmt.Errorf("%w: more records share one NotifyTime than a page holds, and the API orders them differently from request to request", ErrInconsistent)

// Ties at page boundaries.
//
// A full read must be exact when the API does not order records that share
// a NotifyTime the same way on every request (neither document defines the
// order of ties). Pages read separately can then repeat a record of a tie
// that straddles a page boundary and lose another, while every count still
// matches.
//
// Only the records of a second that straddles a boundary can be affected,
// and they are the right number (TotalNum and every page add up). So when
// they are pairwise different they are exactly that second's records, at no
// cost. When two are equal in every field, either the API repeated one (and
// lost another) or the data holds two identical callbacks: the second is
// then re-read alone, [s, s+1), and the answer stands for the records of
// that second. A second of at most MaxPageSize records is one page: exact
// whatever the order. A larger one takes several pages again, and is
// accepted only without repeats, by the same argument; otherwise the read
// fails rather than risk a wrong answer.
//
// The tieBook applies this as pages arrive, in any order. Records are
// sorted by time, so only a page's first run of one second (its head) and
// its last (its tail) can belong to a second that straddles a boundary; a
// page of one second is one piece, both head and tail. Everything between
// goes to the sink at once. A piece is held until the boundaries on both
// its sides are known: a boundary is "joined" when the records on its two
// sides share their second. A chain of pieces linked by joined boundaries
// is one straddling second (it crosses whole pages when the second is
// longer than a page); once both its ends are known it is settled, as
// above. A piece alone in its chain is exact and goes to the sink as it is.

// boundary states: the boundary before page p is known once pages p-1 and
// p have both arrived.
const (
	boundaryUnknown int8 = iota
	boundaryClean        // the records on its two sides differ in second
	boundaryJoined       // they share their second
)

// tiePiece is the head or tail run of one page, held until its chain is
// settled.
type tiePiece[T any] struct {
	page   int
	pos    int    // position of its first record in the answer
	second string // the NotifyTime its records share
	recs   []T    // a copy: the page's buffer is reused
	// left and right are the boundaries on its sides (see tieBook.bound);
	// -1 where its side lies inside its page, against another second.
	left, right int
	settled     bool
}

// tieBook is the state of tie settling for one attempt of a full read. Its
// methods run under the pageReader's mutex.
type tieBook[T any] struct {
	// bound[p] is the boundary before page p, for p in 1..pages+1; the
	// read's start and end are clean.
	bound []int8
	// heads and tails hold the unsettled pieces by page; a page of one
	// second has a head only.
	heads, tails map[int]*tiePiece[T]
	rereads      int
}

// reread is a straddling second with repeats, to be read again alone: its
// n records stand at positions pos.. of the answer.
type reread struct {
	second string
	pos, n int
}

func newTieBook[T any](pages int) *tieBook[T] {
	b := &tieBook[T]{bound: make([]int8, pages+2), heads: map[int]*tiePiece[T]{}, tails: map[int]*tiePiece[T]{}}
	b.bound[1], b.bound[pages+1] = boundaryClean, boundaryClean
	return b
}

// arrive takes page's records, which stand at positions lo.. of the
// answer: what it can settle goes to sink, and the seconds that must be
// re-read are returned.
func (b *tieBook[T]) arrive(op Operation[T], page, lo int, recs []T, sink Sink[T]) ([]reread, error) {
	n := len(recs)
	if n == 0 {
		return nil, nil // Only an empty answer has an empty page.
	}
	first, last := op.notifyTime(&recs[0]), op.notifyTime(&recs[n-1])
	if first == last {
		b.heads[page] = &tiePiece[T]{page: page, pos: lo, second: first, recs: slices.Clone(recs), left: page, right: page + 1}
	} else {
		h := 1
		for op.notifyTime(&recs[h]) == first {
			h++
		}
		t := n - 1
		for op.notifyTime(&recs[t-1]) == last {
			t--
		}
		b.heads[page] = &tiePiece[T]{page: page, pos: lo, second: first, recs: slices.Clone(recs[:h]), left: page, right: -1}
		b.tails[page] = &tiePiece[T]{page: page, pos: lo + t, second: last, recs: slices.Clone(recs[t:]), left: -1, right: page + 1}
		if h < t {
			if err := sink.Add(lo+h, recs[h:t]); err != nil {
				return nil, &sinkError{err}
			}
		}
	}
	// The boundaries this page completes.
	if prev := b.lastPiece(page - 1); prev != nil {
		b.bound[page] = joinedIf(prev.second == first)
	}
	if next := b.heads[page+1]; next != nil {
		b.bound[page+1] = joinedIf(last == next.second)
	}
	// The chains that may have completed: through this page's pieces and
	// its neighbours' facing ones.
	var out []reread
	for _, p := range []*tiePiece[T]{b.lastPiece(page - 1), b.heads[page], b.tails[page], b.heads[page+1]} {
		if p == nil || p.settled {
			continue
		}
		chain := b.chain(p)
		if chain == nil {
			continue
		}
		r, err := b.settle(chain, sink)
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, *r)
		}
	}
	return out, nil
}

func joinedIf(joined bool) int8 {
	if joined {
		return boundaryJoined
	}
	return boundaryClean
}

// lastPiece is page's unsettled tail, or its one piece when it is a page of
// one second; nil when it has none (not arrived, or settled).
func (b *tieBook[T]) lastPiece(page int) *tiePiece[T] {
	if t := b.tails[page]; t != nil {
		return t
	}
	if h := b.heads[page]; h != nil && h.right >= 0 {
		return h
	}
	return nil
}

// chain is the chain of pieces through p, in the answer's order, when both
// its ends are known; nil while one is not.
func (b *tieBook[T]) chain(p *tiePiece[T]) []*tiePiece[T] {
	chain := []*tiePiece[T]{p}
	for cur := p; cur.left >= 0 && b.bound[cur.left] != boundaryClean; {
		if b.bound[cur.left] == boundaryUnknown {
			return nil
		}
		if cur = b.lastPiece(cur.left - 1); cur == nil {
			return nil // Cannot be: a joined boundary's sides are unsettled.
		}
		chain = append(chain, cur)
	}
	slices.Reverse(chain)
	for cur := p; cur.right >= 0 && b.bound[cur.right] != boundaryClean; {
		if b.bound[cur.right] == boundaryUnknown {
			return nil
		}
		if cur = b.heads[cur.right]; cur == nil {
			return nil // Cannot be, as above.
		}
		chain = append(chain, cur)
	}
	return chain
}

// settle forgets a complete chain's pieces and hands its records to sink:
// a piece alone as it is, a straddling second when it has no repeats. A
// second with repeats is returned, to be re-read.
func (b *tieBook[T]) settle(chain []*tiePiece[T], sink Sink[T]) (*reread, error) {
	for _, p := range chain {
		p.settled = true
		if b.heads[p.page] == p {
			delete(b.heads, p.page)
		} else {
			delete(b.tails, p.page)
		}
	}
	var group []T
	if len(chain) == 1 {
		group = chain[0].recs
	} else {
		for _, p := range chain {
			group = append(group, p.recs...)
		}
		if hasRepeats(group) {
			b.rereads++
			return &reread{second: chain[0].second, pos: chain[0].pos, n: len(group)}, nil
		}
	}
	if err := sink.Add(chain[0].pos, group); err != nil {
		return nil, &sinkError{err}
	}
	return nil, nil //nolint:nilnil // No re-read needed and no error: the chain went to the sink.
}

// rereadSecond reads the n records of second alone, [second, second+1s),
// for a straddling second with repeats. It returns them and the calls made.
func rereadSecond[T any](ctx context.Context, c *Client, op Operation[T], q Query, second string, n int) ([]T, int, error) {
	at, err := time.Parse(TimeLayout, second)
	if err != nil {
		return nil, 0, &APIError{Action: op.Action, Err: fmt.Errorf("records at a page boundary have the NotifyTime %q, which does not parse, so their second cannot be re-read: %w", second, err)}
	}
	sub := q
	sub.StartTime, sub.EndTime, sub.PageSize, sub.PageNumber = at, at.Add(time.Second), MaxPageSize, 0
	col := &Collector[T]{}
	got, calls, err := readPages(ctx, c, op, sub, col, false, noPlan)
	if err != nil {
		return nil, calls, err
	}
	// Keep the second itself only: nothing else under the half-open window
	// the emulator implements, and still right should the API include
	// EndTime.
	kept := col.Records[:0]
	for i := range col.Records {
		if op.notifyTime(&col.Records[i]) == second {
			kept = append(kept, col.Records[i])
		}
	}
	switch {
	case len(kept) != n:
		return nil, calls, fmt.Errorf("%w: %d records have NotifyTime %s when that second is read alone, %d in the pages",
			ErrInconsistent, len(kept), second, n)
	case got.TotalPage > 1 && hasRepeats(kept):
		return nil, calls, fmt.Errorf("%w: %d records at %s, a page holds %d", ErrUnstableTies, len(kept), second, MaxPageSize)
	}
	return kept, calls, nil
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
