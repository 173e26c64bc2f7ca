package liveapi

import (
	"container/heap"
	"math/rand/v2"
	"testing"
	"time"
)

// A discrete-event simulation of issue 28's contention benchmark, on a
// virtual clock: N clients, each with a Limiter of its own, read 80 pages
// with 13 workers (the defaults at max_qps 50) through 40 ms round trips
// against an account that accepts 100 requests in any rolling second. It
// drives the limiter's own state machine (opens, admit, Accepted, Throttled)
// and models fetchPage's throttled retry: a jittered wait of up to the base
// delay, then the limiter again. The account is modelled independently of
// the limiter: the documents' rule, no more. Nothing reads the wall clock,
// so the outcome of a seed never varies, and a change to the limiter's rules
// shows here in milliseconds instead of in a benchmark under load.

type simEvent struct {
	at  time.Time
	seq int
	fn  func()
}

type simQueue []*simEvent

func (q simQueue) Len() int { return len(q) }
func (q simQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q simQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any) {
	if e, ok := x.(*simEvent); ok {
		*q = append(*q, e)
	}
}
func (q *simQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// sim is the virtual clock and its events.
type sim struct {
	now time.Time
	q   simQueue
	seq int
	rng *rand.Rand
}

func (s *sim) after(d time.Duration, fn func()) {
	s.seq++
	heap.Push(&s.q, &simEvent{at: s.now.Add(d), seq: s.seq, fn: fn})
}

func (s *sim) run() {
	for s.q.Len() > 0 {
		e, _ := heap.Pop(&s.q).(*simEvent) // the queue holds nothing else
		s.now = e.at
		e.fn()
	}
}

// simAccount accepts at most perSecond requests in any rolling second; a
// refused request does not count.
type simAccount struct {
	perSecond         int
	accepted          []time.Time
	requests, refused int
}

func (a *simAccount) allow(t time.Time) bool {
	a.requests++
	if n := len(a.accepted); n >= a.perSecond && t.Sub(a.accepted[n-a.perSecond]) < time.Second {
		a.refused++
		return false
	}
	a.accepted = append(a.accepted, t)
	return true
}

// simClient is one provider process reading pages.
type simClient struct {
	s       *sim
	account *simAccount
	l       *Limiter
	pages   int

	next, done int
	waiting    []func(Ticket) // requests waiting for admission, first come first served
	wake       time.Time      // when a wake-up is scheduled (zero: none)
	start, end time.Time
}

const (
	simLatency = 40 * time.Millisecond
	simJitter  = 5 * time.Millisecond
	simWorkers = 13
	simBase    = 200 * time.Millisecond
)

// admit queues fn for admission and admits what the limiter allows now.
func (c *simClient) admit(fn func(Ticket)) {
	c.waiting = append(c.waiting, fn)
	c.pump()
}

func (c *simClient) pump() {
	for len(c.waiting) > 0 {
		at := c.l.opens(c.s.now)
		if at.After(c.s.now) {
			if c.l.adapted { // as Wait: the rate climbs while the caller sleeps
				at = minTime(at, c.s.now.Add(recheckEvery))
			}
			if c.wake.IsZero() || at.Before(c.wake) {
				c.wake = at
				c.s.after(at.Sub(c.s.now), func() { c.wake = time.Time{}; c.pump() })
			}
			return
		}
		fn := c.waiting[0]
		c.waiting = c.waiting[1:]
		fn(c.l.admit(c.s.now))
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// fetch sends a page until the account accepts it, then calls done.
func (c *simClient) fetch(done func()) {
	c.admit(func(t Ticket) {
		c.s.after(simLatency+time.Duration(c.s.rng.Int64N(int64(simJitter))), func() {
			if c.account.allow(c.s.now) {
				c.l.Accepted(t, c.s.now)
				done()
				return
			}
			c.l.Throttled(t, c.s.now)
			c.s.after(time.Duration(c.s.rng.Int64N(int64(simBase))), func() { c.fetch(done) })
		})
	})
}

// worker reads pages until none is left.
func (c *simClient) worker() {
	if c.next >= c.pages {
		return
	}
	c.next++
	c.fetch(func() {
		if c.done++; c.done == c.pages {
			c.end = c.s.now
		}
		c.worker()
	})
}

// begin reads page 1, then the rest with the workers, as readPages does.
func (c *simClient) begin() {
	c.start, c.next = c.s.now, 1
	c.fetch(func() {
		c.done++
		for range simWorkers {
			c.worker()
		}
	})
}

type simResult struct {
	wall              time.Duration
	requests, refused int
}

// simulate runs n clients at max_qps 50, each reading pages, against an
// account of 100 a second; they start within 20 ms of each other.
func simulate(n, pages int, seed uint64) simResult {
	s := &sim{now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC), rng: rand.New(rand.NewPCG(seed, 28))}
	account := &simAccount{perSecond: 100}
	start := s.now
	clients := make([]*simClient, n)
	for i := range clients {
		clients[i] = &simClient{s: s, account: account, l: NewLimiter(50), pages: pages}
		s.after(time.Duration(s.rng.Int64N(int64(20*time.Millisecond))), clients[i].begin)
	}
	s.run()
	res := simResult{requests: account.requests, refused: account.refused}
	for _, c := range clients {
		res.wall = max(res.wall, c.end.Sub(start))
	}
	return res
}

// TestLimiterConvergesInSimulation holds the limiter's rules to issue 28's
// goals in the simulation above: with 5 and 10 clients at once every run
// ends within 1.3x the account's floor (N x 80 pages at 100 a second) with
// at most 10% of the requests throttled; one client is never throttled and
// two (whose max_qps add up to the quota) are not either. The benchmark
// (live-bench -contention) measures the same through real HTTP.
func TestLimiterConvergesInSimulation(t *testing.T) {
	const pages, seeds = 80, 20
	for _, c := range []struct {
		clients    int
		maxRatio   float64
		maxRefused float64
	}{
		{1, 1.9, 0}, // alone at max_qps 50: 80 pages take about 1.5s against a floor of 0.8s
		{2, 1.0, 0},
		{5, 1.3, 0.10},
		{10, 1.3, 0.10},
	} {
		var sum, sumRefused float64
		for seed := range uint64(seeds) {
			r := simulate(c.clients, pages, seed)
			floor := time.Duration(c.clients*pages) * time.Second / 100
			ratio, refused := r.wall.Seconds()/floor.Seconds(), float64(r.refused)/float64(r.requests)
			sum += ratio
			sumRefused += refused
			if ratio > c.maxRatio || refused > c.maxRefused {
				t.Errorf("%d clients, seed %d: %s (%.2fx the floor %s), %d of %d requests throttled (%.1f%%); want at most %.2fx and %.0f%%",
					c.clients, seed, r.wall.Round(time.Millisecond), ratio, floor, r.refused, r.requests, 100*refused, c.maxRatio, 100*c.maxRefused)
			}
		}
		t.Logf("%d clients: %.2fx the account's floor and %.1f%% throttled on average over %d seeds", c.clients, sum/seeds, 100*sumRefused/seeds, seeds)
	}
}
