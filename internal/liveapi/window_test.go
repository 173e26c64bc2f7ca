package liveapi

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// sendWindow covers the requested window with whole seconds and raises the
// start to the oldest instant still within 7 days at the read's last
// request: now, plus what the read needs, plus the margin.
func TestSendWindow(t *testing.T) {
	now := mustTime(t, "2025-03-14T12:00:00.4Z")
	at := func(s string) time.Time { return mustTime(t, s) }
	cases := []struct {
		name       string
		start, end time.Time
		need       time.Duration
		wantStart  string
		wantEnd    string
		wantErr    error // nil: success; errAny: an error that is not ErrWindowExpired
	}{
		{"whole seconds pass unchanged", at("2025-03-14T08:00:00Z"), at("2025-03-14T09:00:00Z"), 0,
			"2025-03-14T08:00:00Z", "2025-03-14T09:00:00Z", nil},
		{"sub-second window inside one second", at("2025-03-14T08:00:00.2Z"), at("2025-03-14T08:00:00.7Z"), 0,
			"2025-03-14T08:00:00Z", "2025-03-14T08:00:01Z", nil},
		{"sub-second bounds across seconds", at("2025-03-14T08:00:00.9Z"), at("2025-03-14T08:00:02.1Z"), 0,
			"2025-03-14T08:00:00Z", "2025-03-14T08:00:03Z", nil},
		{"168h gives up the margin", now.Truncate(time.Second).Add(-MaxLookback), now.Truncate(time.Second), 0,
			"2025-03-07T12:05:01Z", "2025-03-14T12:00:00Z", nil},
		{"168h gives up what the read needs too", now.Truncate(time.Second).Add(-MaxLookback), now.Truncate(time.Second), 10 * time.Minute,
			"2025-03-07T12:15:01Z", "2025-03-14T12:00:00Z", nil},
		{"a start within the margin's reach is raised", now.Add(-MaxLookback + 4*time.Minute), now, 0,
			"2025-03-07T12:05:01Z", "2025-03-14T12:00:01Z", nil},
		{"a start beyond it is kept", now.Add(-MaxLookback + 6*time.Minute), now, 0,
			"2025-03-07T12:06:00Z", "2025-03-14T12:00:01Z", nil},
		{"window expires before the read can end", at("2025-03-07T11:00:00Z"), at("2025-03-07T12:05:01Z"), 0,
			"", "", ErrWindowExpired},
		{"empty window", at("2025-03-14T08:00:00.5Z"), at("2025-03-14T08:00:00.5Z"), 0, "", "", errAny},
		{"end before start", at("2025-03-14T09:00:00Z"), at("2025-03-14T08:00:00Z"), 0, "", "", errAny},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, err := sendWindow("A", Query{StartTime: tc.start, EndTime: tc.end}, now, tc.need, WindowMargin)
			if tc.wantErr != nil {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.Action != "A" {
					t.Fatalf("want an APIError, got %v", err)
				}
				if expired := errors.Is(err, ErrWindowExpired); expired != errors.Is(tc.wantErr, ErrWindowExpired) {
					t.Fatalf("ErrWindowExpired %v for %v", expired, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := w.start.Format(TimeLayout); got != tc.wantStart {
				t.Errorf("start %s, want %s", got, tc.wantStart)
			}
			if got := w.end.Format(TimeLayout); got != tc.wantEnd {
				t.Errorf("end %s, want %s", got, tc.wantEnd)
			}
			if !w.validUntil.Equal(w.start.Add(MaxLookback)) {
				t.Errorf("valid until %s, want start + 7 days", w.validUntil)
			}
		})
	}
}

var errAny = errors.New("any error but ErrWindowExpired")

// sameOrderFrom fails unless got is exactly the records of all (in API
// order) with NotifyTime in [from, end), for some from between lo and hi:
// for a read whose start the test knows only to a band, the expectation
// still comes from the literal band, never from the start the read reports.
func sameOrderFrom(t *testing.T, got []StreamNotifyRecord, all []emulator.StreamRecord, lo, hi, end time.Time) {
	t.Helper()
	candidates := between(all, lo, end)
	must := len(between(all, hi, end))
	if len(got) < must || len(got) > len(candidates) {
		t.Fatalf("%d records; want those from a start between %s and %s: %d to %d", len(got), lo.Format(TimeLayout), hi.Format(TimeLayout), must, len(candidates))
	}
	sameOrder(t, got, candidates[:len(got)])
}

// The documented maximum window against an API strict to the second, with
// a read timeout of a day: the window gives up the margin, not the timeout
// (issue 17: it gave up 24 hours, reading 1,846 of 2,000 records).
func TestLookback168hAgainstStrictEmulator(t *testing.T) {
	opts := oneDomain("week.example.com", 30000)
	opts.Latency = 5 * time.Millisecond
	c, emu := newTestClient(t, opts, Config{MaxQPS: 40})
	ctx, cancel := context.WithTimeout(context.Background(), 24*time.Hour)
	defer cancel()
	end := time.Now().UTC().Truncate(time.Second)
	asked := end.Add(-MaxLookback)
	started := time.Now()
	res, err := List(ctx, c, StreamNotifyRecords, Query{DomainName: "week.example.com", StartTime: asked, EndTime: end})
	if err != nil {
		t.Fatal(err)
	}
	given := res.StartTime.Sub(asked)
	if given < WindowMargin || given > WindowMargin+2*time.Second || !res.EndTime.Equal(end) {
		t.Errorf("window sent [%s, %s): it gives up %s of [%s, %s); want the margin, %s", res.StartTime, res.EndTime, given, asked, end, WindowMargin)
	}
	if res.StartRaisedFor != 0 || res.Restarts != 0 {
		t.Errorf("a 60-page read started over (%d restarts, raised for %s)", res.Restarts, res.StartRaisedFor)
	}
	// The records of [asked + margin + s, end) for some s of 0 to 2 seconds
	// (the read's own time, rounded up to the second): never a record older
	// than the margin allows, none lost after it.
	sameOrderFrom(t, res.Records, emu.StreamRecords("week.example.com"), asked.Add(WindowMargin), asked.Add(WindowMargin+2*time.Second), end)
	if n := emu.Stats().ByCode["Duration.Exceed"]; n != 0 {
		t.Errorf("the API answered Duration.Exceed %d times", n)
	}
	t.Logf("lookback 168h, read timeout 24h: %d records, %d calls, %s; window %s (gave up %s)", len(res.Records), res.Calls,
		time.Since(started).Round(time.Millisecond), res.EndTime.Sub(res.StartTime), given)
}

// A read that would outlive its window starts over with a later start, as
// late as its estimate says, and never meets Duration.Exceed. The margin is
// shortened to a second so that a read of a few seconds is "long".
func TestLongReadRaisesTheStart(t *testing.T) {
	opts := oneDomain("long.example.com", 3000)
	opts.Latency = 5 * time.Millisecond
	c, emu := newTestClient(t, opts, Config{MaxQPS: 10, WindowMargin: time.Second})
	end := time.Now().UTC().Truncate(time.Second)
	asked := end.Add(-MaxLookback)
	q := Query{DomainName: "long.example.com", StartTime: asked, EndTime: end, PageSize: 100}
	res, err := List(context.Background(), c, StreamNotifyRecords, q)
	if err != nil {
		t.Fatal(err)
	}
	// 30 pages at 10 per second: about 3 seconds, more than half the margin.
	if res.Restarts != 1 || res.StartRaisedFor < 2*time.Second || res.StartRaisedFor > 6*time.Second {
		t.Errorf("%d restarts, start raised for %s; want one restart for about 3s", res.Restarts, res.StartRaisedFor)
	}
	if given := res.StartTime.Sub(asked); given < res.StartRaisedFor+time.Second || given > res.StartRaisedFor+4*time.Second {
		t.Errorf("the start was raised by %s for a read expected to take %s", given, res.StartRaisedFor)
	}
	// The read needs about 3 s and the margin is 1 s: its start lies 3 to
	// 10 seconds after the one asked for (2 s of estimate at least, 6 at
	// most, as checked above, plus the margin and the rounding).
	sameOrderFrom(t, res.Records, emu.StreamRecords("long.example.com"), asked.Add(3*time.Second), asked.Add(10*time.Second), end)
	if n := emu.Stats().ByCode["Duration.Exceed"]; n != 0 {
		t.Errorf("the API answered Duration.Exceed %d times", n)
	}
}

// A full read that the rate limit cannot fit in its deadline fails after its
// first page, naming the pages, max_qps and the time it needs (issue 18: 120
// pages at max_qps 2 under a 20s timeout waited the whole 20s).
func TestReadTooLongFailsAfterTheFirstPage(t *testing.T) {
	c, emu := newTestClient(t, oneDomain("slow.example.com", 1200), Config{MaxQPS: 2})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	end := time.Now().UTC().Truncate(time.Second)
	started := time.Now()
	_, err := List(ctx, c, StreamNotifyRecords, Query{DomainName: "slow.example.com", StartTime: end.Add(-MaxLookback), EndTime: end, PageSize: 10})
	elapsed := time.Since(started)
	var tooLong *ReadTooLongError
	if !errors.As(err, &tooLong) {
		t.Fatalf("want a ReadTooLongError, got %v", err)
	}
	if tooLong.Pages != 120 || tooLong.MaxQPS != 2 || tooLong.Need < 59*time.Second || tooLong.Left > 20*time.Second {
		t.Errorf("got %+v; want 120 pages at max_qps 2 needing about 60s, with under 20s left", tooLong)
	}
	if n := emu.Stats().Requests; n != 1 || elapsed > 2*time.Second {
		t.Errorf("%d requests in %s; want the first page only, at once", n, elapsed)
	}
	t.Logf("failed after %s and %d request: %v", elapsed.Round(time.Millisecond), emu.Stats().Requests, err)
}

// A request that would leave later than its window's validity allows is not
// sent: the read starts over instead of meeting the API's refusal.
func TestLateRequestIsNotSent(t *testing.T) {
	c, emu := newTestClient(t, oneDomain("late.example.com", 10), Config{})
	end := time.Now().UTC().Truncate(time.Second)
	q := Query{DomainName: "late.example.com", StartTime: end.Add(-time.Hour), EndTime: end, sendBy: time.Now().Add(-time.Second)}
	_, calls, err := fetchPage(context.Background(), c, StreamNotifyRecords, q, 1, nil)
	var late *errStartTooOld
	if !errors.As(err, &late) || calls != 0 || emu.Stats().Requests != 0 {
		t.Fatalf("got %v after %d calls; want errStartTooOld before any request", err, calls)
	}
}

// A sub-second window reaches the API as the whole second covering it.
func TestSubSecondWindow(t *testing.T) {
	c, emu := newTestClient(t, emulator.Options{Domains: []emulator.DomainSpec{}}, Config{})
	base := emu.Now().UTC().Truncate(time.Second).Add(-time.Hour)
	emu.AddStreamRecords(emulator.BurstStreamRecords("sub.example.com", base.Add(time.Second), 3, 3)...)
	q := Query{DomainName: "sub.example.com", StartTime: base.Add(200 * time.Millisecond), EndTime: base.Add(700 * time.Millisecond)}
	res, err := List(context.Background(), c, StreamNotifyRecords, q)
	if err != nil {
		t.Fatal(err)
	}
	if !res.StartTime.Equal(base) || !res.EndTime.Equal(base.Add(time.Second)) || len(res.Records) != 3 {
		t.Fatalf("window [%s, %s), %d records; want [%s, +1s) and the 3 records of that second", res.StartTime, res.EndTime, len(res.Records), base)
	}
	if st := emu.Stats(); st.Requests != 1 || len(st.ByCode) != 0 {
		t.Errorf("want one successful call, stats %+v", st)
	}
}
