package emulator

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestRollingCountFindsTheBusiestSecond(t *testing.T) {
	var c rollingCount
	base := time.Now()
	ms := time.Millisecond
	// 3 in the first 900 ms; then 4 within (500ms, 1.5s]; an arrival exactly
	// one second after another does not share its window.
	for _, at := range []time.Duration{0, 100 * ms, 900 * ms, 1000 * ms, 1400 * ms, 1500 * ms, 3000 * ms} {
		c.add(base.Add(at))
	}
	if c.peak != 4 {
		t.Errorf("peak %d, want 4 (900ms, 1s, 1.4s and 1.5s)", c.peak)
	}
	// Many arrivals: the stale ones are dropped and the peak is a window's.
	c = rollingCount{}
	for i := range 5000 {
		c.add(base.Add(time.Duration(i) * ms)) // 1000 per second
	}
	if c.peak != 1000 {
		t.Errorf("peak %d at one request a millisecond, want 1000", c.peak)
	}
	if len(c.arrived)-c.head > 1000 || cap(c.arrived) > 4000 {
		t.Errorf("kept %d arrivals (capacity %d), want one window's", len(c.arrived)-c.head, cap(c.arrived))
	}
}

func TestServerPeakRequestsPerSecond(t *testing.T) {
	s := New(Options{Domains: []DomainSpec{}})
	srv := httptest.NewServer(s)
	defer srv.Close()
	send := func(userAgent string) {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("User-Agent", userAgent)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for i := range 5 {
		send(fmt.Sprintf("client-%d", i%2))
	}
	// Every request counts, answered with an error or not.
	if got := s.PeakRequestsPerSecond(); got != 5 {
		t.Errorf("peak %d, want 5", got)
	}
	if got := s.PeakRequestsPerSecondByClient(); len(got) != 2 || got["client-0"] != 3 || got["client-1"] != 2 {
		t.Errorf("peaks by client %v, want client-0: 3, client-1: 2", got)
	}
	s.ResetStats()
	if got, by := s.PeakRequestsPerSecond(), s.PeakRequestsPerSecondByClient(); got != 0 || len(by) != 0 {
		t.Errorf("peak %d, by client %v after ResetStats, want none", got, by)
	}
}
