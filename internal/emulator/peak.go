package emulator

import (
	"sync"
	"time"
)

// peakWindow is the span the peak request rate is measured over: the API
// states its quota in queries per second.
const peakWindow = time.Second

// peakRate measures the most requests received within any rolling second:
// it keeps the arrival times of the last second and, on each arrival,
// counts them. Only the arrival times within one window are kept.
type peakRate struct {
	mu      sync.Mutex
	arrived []time.Time // ascending; arrived[head:] are within the window
	head    int
	peak    int
}

// arrive records one arrival now. The clock is read under the lock, so
// arrival times are ascending.
func (p *peakRate) arrive() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.add(time.Now())
}

// add records one arrival at t, no earlier than the last; p.mu is held.
func (p *peakRate) add(t time.Time) {
	// Forget arrivals a whole window or more before t: the window is
	// (t-1s, t]. Compacting only once half the slice is stale keeps this
	// amortised O(1) however many requests a second arrive.
	for p.head < len(p.arrived) && t.Sub(p.arrived[p.head]) >= peakWindow {
		p.head++
	}
	if p.head > len(p.arrived)/2 {
		p.arrived = append(p.arrived[:0], p.arrived[p.head:]...)
		p.head = 0
	}
	p.arrived = append(p.arrived, t)
	p.peak = max(p.peak, len(p.arrived)-p.head)
}

func (p *peakRate) get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}

func (p *peakRate) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.arrived, p.head, p.peak = p.arrived[:0], 0, 0
}

// PeakRequestsPerSecond is the most requests the emulator received within
// any rolling second (any window of one second, wherever it starts) since
// construction or ResetStats. Every request counts, whatever its answer:
// this is what a client sent, as the API's quota counts it.
func (s *Server) PeakRequestsPerSecond() int { return s.stats.peak.get() }
