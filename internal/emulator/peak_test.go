package emulator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestPeakRateCountsTheBusiestRollingSecond(t *testing.T) {
	var p peakRate
	base := time.Now()
	ms := time.Millisecond
	// 3 in the first 900 ms; then 4 within (500ms, 1.5s]; the arrival at
	// exactly 1 s after another does not share its window.
	for _, at := range []time.Duration{0, 100 * ms, 900 * ms, 1000 * ms, 1400 * ms, 1500 * ms, 3000 * ms} {
		p.add(base.Add(at))
	}
	if got := p.get(); got != 4 {
		t.Errorf("peak %d, want 4 (900ms, 1s, 1.4s and 1.5s)", got)
	}
	p.reset()
	if got := p.get(); got != 0 {
		t.Errorf("peak %d after reset, want 0", got)
	}
	// Many arrivals: the stale ones are dropped and the peak is the window's.
	for i := range 5000 {
		p.add(base.Add(time.Duration(i) * ms)) // 1000 per second
	}
	if got := p.get(); got != 1000 {
		t.Errorf("peak %d at one request a millisecond, want 1000", got)
	}
	if len(p.arrived)-p.head > 1000 || cap(p.arrived) > 4000 {
		t.Errorf("kept %d arrivals (capacity %d), want one window's", len(p.arrived)-p.head, cap(p.arrived))
	}
}

func TestServerPeakRequestsPerSecond(t *testing.T) {
	s := New(Options{Domains: []DomainSpec{}})
	srv := httptest.NewServer(s)
	defer srv.Close()
	for range 5 {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	// Every request counts, answered with an error or not.
	if got := s.PeakRequestsPerSecond(); got != 5 {
		t.Errorf("peak %d, want 5", got)
	}
	s.ResetStats()
	if got := s.PeakRequestsPerSecond(); got != 0 {
		t.Errorf("peak %d after ResetStats, want 0", got)
	}
}
