package emulator

import (
	"maps"
	"sync"
	"time"
)

// peakWindow is the span the peak request rate is measured over: the API
// states its quota in queries per second.
const peakWindow = time.Second

// maxPeakClients bounds the User-Agents measured one by one.
const maxPeakClients = 1000

// peakRate measures the most requests received within any rolling second,
// over all requests and per client (User-Agent).
type peakRate struct {
	mu       sync.Mutex
	all      rollingCount
	byClient map[string]*rollingCount
}

// rollingCount keeps the arrival times of the last second and, on each
// arrival, counts them.
type rollingCount struct {
	arrived []time.Time // ascending; arrived[head:] are within the window
	head    int
	peak    int
}

// arrive records one request from client now. The clock is read under the
// lock, so arrival times are ascending.
func (p *peakRate) arrive(client string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	p.all.add(now)
	if p.byClient == nil {
		p.byClient = make(map[string]*rollingCount)
	}
	c := p.byClient[client]
	if c == nil {
		if len(p.byClient) >= maxPeakClients {
			return // a long-lived emulator fed endless User-Agents
		}
		c = &rollingCount{}
		p.byClient[client] = c
	}
	c.add(now)
}

// add records one arrival at t, no earlier than the last.
func (c *rollingCount) add(t time.Time) {
	// Forget arrivals a whole window or more before t: the window is
	// (t-1s, t]. Compacting only once half the slice is stale keeps this
	// amortised O(1) however many requests a second arrive.
	for c.head < len(c.arrived) && t.Sub(c.arrived[c.head]) >= peakWindow {
		c.head++
	}
	if c.head > len(c.arrived)/2 {
		c.arrived = append(c.arrived[:0], c.arrived[c.head:]...)
		c.head = 0
	}
	c.arrived = append(c.arrived, t)
	c.peak = max(c.peak, len(c.arrived)-c.head)
}

func (p *peakRate) get() (int, map[string]int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	by := make(map[string]int, len(p.byClient))
	for k, c := range p.byClient {
		by[k] = c.peak
	}
	return p.all.peak, by
}

func (p *peakRate) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.all = rollingCount{}
	p.byClient = nil
}

// PeakRequestsPerSecond is the most requests the emulator received within
// any rolling second (any window of one second, wherever it starts) since
// construction or ResetStats. Every request counts, whatever its answer:
// this is what clients sent, as the API's quota counts it.
func (s *Server) PeakRequestsPerSecond() int {
	all, _ := s.stats.peak.get()
	return all
}

// PeakRequestsPerSecondByClient is PeakRequestsPerSecond for each
// User-Agent seen: tests that run several clients one after another (one
// provider instance per CLI command) give each its own User-Agent and judge
// each client's own pace.
func (s *Server) PeakRequestsPerSecondByClient() map[string]int {
	_, by := s.stats.peak.get()
	return maps.Clone(by)
}
