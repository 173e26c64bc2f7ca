package emulator

import (
	"maps"
	"sync"
)

// Stats are the emulator's counters since construction or ResetStats.
// Benchmarks and fault tests read them to check what the client really did
// (how many calls, how many retries, how much concurrency).
type Stats struct {
	// Requests counts every request received, answered or not.
	Requests int64
	// ByAction counts requests by action (x-acs-action, or the RPC Action
	// parameter); unknown or missing actions are counted under "other".
	ByAction map[string]int64
	// ByStatus counts answers by HTTP status. Dropped connections and
	// requests abandoned by the client are not answers.
	ByStatus map[int]int64
	// ByCode counts error answers by Code (successes are not counted).
	ByCode map[string]int64
	// Throttled counts requests refused by the MaxQPS limiter (injected
	// throttling is counted under FaultsByKind instead; both appear in
	// ByCode["Throttling.User"]).
	Throttled int64
	// FaultsInjected counts injected faults of any kind; FaultsByKind splits
	// them by kind (the Fault* constants).
	FaultsInjected int64
	FaultsByKind   map[string]int64
	// InsertedRecords counts records added by InsertDuringRead.
	InsertedRecords int64
	// Canceled counts requests whose client went away during Latency.
	Canceled int64
	// InFlight is the number of requests being handled now; PeakInFlight is
	// its maximum.
	InFlight     int64
	PeakInFlight int64
}

type statsCollector struct {
	mu   sync.Mutex
	s    Stats
	peak peakRate // PeakRequestsPerSecond, kept apart from the mutex above
}

func newStatsCollector() *statsCollector {
	c := &statsCollector{}
	c.reset()
	return c
}

func (c *statsCollector) reset() {
	c.peak.reset()
	c.mu.Lock()
	defer c.mu.Unlock()
	inFlight := c.s.InFlight
	c.s = Stats{
		ByAction:     make(map[string]int64),
		ByStatus:     make(map[int]int64),
		ByCode:       make(map[string]int64),
		FaultsByKind: make(map[string]int64),
		InFlight:     inFlight,
		PeakInFlight: inFlight,
	}
}

func (c *statsCollector) begin(action string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Requests++
	c.s.ByAction[action]++
	c.s.InFlight++
	c.s.PeakInFlight = max(c.s.PeakInFlight, c.s.InFlight)
}

func (c *statsCollector) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.InFlight--
}

func (c *statsCollector) answered(status int, code string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.ByStatus[status]++
	if code != "" {
		c.s.ByCode[code]++
	}
}

func (c *statsCollector) throttled() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Throttled++
}

func (c *statsCollector) fault(kind string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.FaultsInjected++
	c.s.FaultsByKind[kind]++
}

func (c *statsCollector) inserted(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.FaultsInjected++
	c.s.FaultsByKind[FaultInsertDuringRead]++
	c.s.InsertedRecords += int64(n)
}

func (c *statsCollector) canceled() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Canceled++
}

func (c *statsCollector) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.s
	out.ByAction = maps.Clone(c.s.ByAction)
	out.ByStatus = maps.Clone(c.s.ByStatus)
	out.ByCode = maps.Clone(c.s.ByCode)
	out.FaultsByKind = maps.Clone(c.s.FaultsByKind)
	return out
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// ResetStats zeroes the counters. InFlight keeps counting requests already
// being handled, and PeakInFlight restarts from it.
func (s *Server) ResetStats() { s.stats.reset() }
