package liveapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

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
	opts := oneDomain("week.example.com", 5000)
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
		t.Errorf("a 10-page read started over (%d restarts, raised for %s)", res.Restarts, res.StartRaisedFor)
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

// A read whose first page takes 10 s, with 29 pages left to read one at a
// time, expects to need 31 x 10 s (the first page's round trip per page
// after it, and the last answer's): more than the 2.5 minutes half of its
// 5-minute margin leaves it. It starts over once, at once, with its start
// raised by that estimate and the margin, and never meets Duration.Exceed.
// The clock jumps instead of the page taking 10 s.
func TestLongReadRaisesTheStart(t *testing.T) {
	var clk *shiftedClock
	c, emu, clk := newShiftedClient(t, oneDomain("long.example.com", 3000), Config{},
		func(page string, n int64) {
			if n == 0 {
				clk.add(10 * time.Second)
			}
		})
	end := clk.now().UTC().Truncate(time.Second)
	asked := end.Add(-MaxLookback)
	q := Query{DomainName: "long.example.com", StartTime: asked, EndTime: end, PageSize: 100}
	res, err := List(context.Background(), c, StreamNotifyRecords, q)
	if err != nil {
		t.Fatal(err)
	}
	// 310 s and 31 times the real round trip of the first page, which no
	// machine stretches by a second.
	if res.Restarts != 1 || res.StartRaisedFor < 310*time.Second || res.StartRaisedFor > 341*time.Second || res.TotalPage != 30 {
		t.Errorf("%d restarts, start raised for %s, %d pages; want one restart for 310s to 341s, 30 pages", res.Restarts, res.StartRaisedFor, res.TotalPage)
	}
	// The second attempt starts 10 s (and the real time) after the first
	// and sends its last request within its estimate, which then ends the
	// margin before the start leaves the 7 days; rounded up to a second.
	if given := res.StartTime.Sub(asked); given < res.StartRaisedFor+WindowMargin+10*time.Second || given > res.StartRaisedFor+WindowMargin+13*time.Second {
		t.Errorf("the start was raised by %s for a read expected to take %s; want that and 5m10s, to 3 s more", given, res.StartRaisedFor)
	}
	if n := emu.Stats().Requests; n != 31 {
		t.Errorf("%d requests; want page 1, then the 30 pages of the second attempt", n)
	}
	sameOrderFrom(t, res.Records, emu.StreamRecords("long.example.com"), asked.Add(320*time.Second+WindowMargin), asked.Add(354*time.Second+WindowMargin), end)
	if n := emu.Stats().ByCode["Duration.Exceed"]; n != 0 {
		t.Errorf("the API answered Duration.Exceed %d times", n)
	}
}

// A read that stalls between its pages past the instant its start leaves
// the 7 days, less a fifth of its margin, sends no further request: it
// starts over with its start raised by as long as the first attempt took.
// Page 2 of the first attempt "takes" 5.5 minutes: its window, valid for
// the 5-minute margin, has expired, and a request sent now would meet
// Duration.Exceed.
func TestLateReadStartsOver(t *testing.T) {
	var clk *shiftedClock
	c, emu, clk := newShiftedClient(t, oneDomain("late.example.com", 300), Config{},
		func(page string, n int64) {
			if n == 1 {
				clk.add(330 * time.Second)
			}
		})
	end := clk.now().UTC().Truncate(time.Second)
	asked := end.Add(-MaxLookback)
	var logs bytes.Buffer
	res, err := List(tflogtest.RootLogger(context.Background(), &logs), c, StreamNotifyRecords,
		Query{DomainName: "late.example.com", StartTime: asked, EndTime: end, PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if over := logged(t, &logs, "starting the read over"); len(over) != 1 || over[0]["restart"] != 1.0 {
		t.Errorf("logged %v; want one restart, numbered 1", over)
	}
	if res.Restarts != 1 || res.StartRaisedFor < 330*time.Second || res.StartRaisedFor > 331*time.Second || len(res.Records) != 300 {
		t.Errorf("%d restarts, start raised for %s, %d records; want one restart for the 5.5 minutes the first attempt took, 300 records",
			res.Restarts, res.StartRaisedFor, len(res.Records))
	}
	// Raised by 5.5 minutes of stall, as much again for the second attempt
	// and the margin: 16 minutes, rounded up to a second.
	if given := res.StartTime.Sub(asked); given < 16*time.Minute || given > 16*time.Minute+3*time.Second {
		t.Errorf("the start was raised by %s, want 16m to 3 s more", given)
	}
	if st := emu.Stats(); st.Requests != 2+3 || res.Calls != 5 || st.ByCode["Duration.Exceed"] != 0 {
		t.Errorf("%d requests (%d calls counted), %d Duration.Exceed; want pages 1 and 2, then the three pages again, and none refused",
			st.Requests, res.Calls, st.ByCode["Duration.Exceed"])
	}
}

// A request that waits its turn at the limiter past its window's validity
// is not sent once admitted: the read starts over. The limiter runs on the
// shifted clock, and its first wait (page 2, a spacing after page 1 at
// max_qps 1) stalls for 5.5 minutes.
func TestRequestAdmittedLateIsNotSent(t *testing.T) {
	c, emu, clk := newShiftedClient(t, oneDomain("queue.example.com", 300), Config{MaxQPS: 1}, nil)
	stalled := false
	c.limiter.sleep = func(ctx context.Context, d time.Duration) error {
		if !stalled {
			stalled = true
			clk.add(330 * time.Second)
		}
		return clk.sleep(ctx, d)
	}
	end := clk.now().UTC().Truncate(time.Second)
	asked := end.Add(-MaxLookback)
	res, err := List(context.Background(), c, StreamNotifyRecords, Query{DomainName: "queue.example.com", StartTime: asked, EndTime: end, PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if res.Restarts != 1 || res.StartRaisedFor < 330*time.Second || len(res.Records) != 300 {
		t.Errorf("%d restarts, start raised for %s, %d records; want one restart for at least 5.5 minutes, 300 records", res.Restarts, res.StartRaisedFor, len(res.Records))
	}
	if st := emu.Stats(); st.Requests != 1+3 || res.Calls != 4 || st.ByCode["Duration.Exceed"] != 0 {
		t.Errorf("%d requests (%d calls counted), %d Duration.Exceed; want page 1, then the three pages again (the one admitted late is no call), and none refused",
			st.Requests, res.Calls, st.ByCode["Duration.Exceed"])
	}
}

// TestLongReadRaisesTheStartInRealTime is TestLongReadRaisesTheStart with a
// read made long by the rate limit instead of a slow first page. Under
// -short it is left out: 30 pages at 10 per second take 3 seconds, and
// the estimate's floor it relies on is TestPlanRest's.
func TestLongReadRaisesTheStartInRealTime(t *testing.T) {
	if testing.Short() {
		t.Skip("30 pages at max_qps 10 take 3 seconds")
	}
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

// TestPlanRest judges reads after their first page at a fixed now, with
// literal expectations: max_qps 10 (a window of 1.02 s, a spacing of
// 51 ms), 4 workers and the 5-minute margin. The floor of 20 requests is one
// window and nine spacings, 1.479 s; of 21, two windows, 2.04 s. The
// estimate is the larger of the floor and one first-page round trip per
// wave of 4 requests, plus the last answer's; a read whose estimate ends
// after its window's validity less half the margin (2m30s) starts over,
// asking for its first page again on top of the estimate.
func TestPlanRest(t *testing.T) {
	now := mustTime(t, "2025-03-14T12:00:00Z")
	cfg := testKeys(t)
	cfg.MaxQPS, cfg.Concurrency = 10, 4
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ms := time.Millisecond
	// At lookback 168h, read at 12:00:00.4 with the 5-minute margin, the
	// start sent is 2025-03-07T12:05:01Z: valid until 12:05:01 today.
	edge, err := sendWindow("A", Query{StartTime: mustTime(t, "2025-03-07T12:00:00.4Z"), EndTime: mustTime(t, "2025-03-14T12:00:00.4Z")},
		mustTime(t, "2025-03-14T12:00:00.4Z"), 0, WindowMargin)
	if err != nil || !edge.validUntil.Equal(mustTime(t, "2025-03-14T12:05:01Z")) {
		t.Fatalf("the 168h window: %+v, %v", edge, err)
	}
	validFor := func(d time.Duration) window { return window{validUntil: now.Add(d)} }
	for _, tc := range []struct {
		name      string
		deadline  time.Time // zero: none
		w         window
		pages     int
		firstPage time.Duration
		at        time.Time // zero: now
		tooLong   *ReadTooLongError
		restartIn time.Duration // want errStartTooOld with this need; 0: none
	}{
		{name: "one page needs no plan, whatever the deadline and window", deadline: now.Add(-time.Hour), w: validFor(0), pages: 1, firstPage: time.Hour},
		{name: "no pages", deadline: now.Add(-time.Hour), w: validFor(0), pages: 0, firstPage: time.Hour},
		{name: "the floor fits the deadline exactly", deadline: now.Add(1632 * ms), w: validFor(time.Hour), pages: 21, firstPage: ms},
		{name: "the floor misses the deadline by a millisecond", deadline: now.Add(1631 * ms), w: validFor(time.Hour), pages: 21, firstPage: ms,
			tooLong: &ReadTooLongError{Pages: 21, MaxQPS: 10, Need: 1632 * ms, Left: 1631 * ms}},
		{name: "the floor of 21 pages", deadline: now.Add(2039 * ms), w: validFor(time.Hour), pages: 22, firstPage: ms,
			tooLong: &ReadTooLongError{Pages: 22, MaxQPS: 10, Need: 2040 * ms, Left: 2039 * ms}},
		{name: "floor and a round trip end at half the margin", w: validFor(150*time.Second + 1732*ms), pages: 21, firstPage: 100 * ms},
		{name: "floor and a round trip end a millisecond after it", w: validFor(150*time.Second + 1731*ms), pages: 21, firstPage: 100 * ms, restartIn: 1832 * ms},
		{name: "five waves of round trips beat the floor", w: validFor(156 * time.Second), pages: 21, firstPage: time.Second},
		{name: "five waves of round trips, a nanosecond late", w: validFor(156*time.Second - 1), pages: 21, firstPage: time.Second, restartIn: 7 * time.Second},
		{name: "21 requests make six waves", w: validFor(157 * time.Second), pages: 22, firstPage: time.Second},
		{name: "21 requests make six waves, a nanosecond late", w: validFor(157*time.Second - 1), pages: 22, firstPage: time.Second, restartIn: 8 * time.Second},
		{name: "one page left is one wave", w: validFor(150*time.Second + 2*time.Second), pages: 2, firstPage: time.Second},
		{name: "one page left is one wave, a nanosecond late", w: validFor(150*time.Second + 2*time.Second - 1), pages: 2, firstPage: time.Second, restartIn: 3 * time.Second},
		{name: "the 168h window fits 2m30.6s", w: edge, pages: 2, firstPage: 75300 * ms, at: mustTime(t, "2025-03-14T12:00:00.4Z")},
		{name: "the 168h window does not fit 2m30.602s", w: edge, pages: 2, firstPage: 75301 * ms, at: mustTime(t, "2025-03-14T12:00:00.4Z"), restartIn: 225903 * ms},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at := now
			if !tc.at.IsZero() {
				at = tc.at
			}
			err := c.planRest(tc.deadline, !tc.deadline.IsZero(), tc.w, tc.pages, tc.firstPage, at)
			var (
				tooLong *ReadTooLongError
				late    *errStartTooOld
			)
			switch {
			case tc.tooLong != nil:
				if !errors.As(err, &tooLong) || *tooLong != *tc.tooLong {
					t.Errorf("got %v, want %+v", err, *tc.tooLong)
				}
			case tc.restartIn > 0:
				if !errors.As(err, &late) || late.need != tc.restartIn {
					t.Errorf("got %v, want a restart for %s", err, tc.restartIn)
				}
			case err != nil:
				t.Errorf("got %v, want the read to go on", err)
			}
		})
	}
	// A deadline that has passed, but that the read does not have.
	if err := c.planRest(now.Add(-time.Hour), false, validFor(time.Hour), 21, ms, now); err != nil {
		t.Errorf("no deadline: %v", err)
	}
}

// TestSevenDayEdge reads at the 7-day edge through the strict emulator,
// the client's clock and the emulator's frozen at 2025-03-14T12:00:00.4Z:
// at lookback 168h and 168h+1s alike the read gives up the 5-minute margin
// and its own second (its last request may leave up to 12:05:00.4, when
// 2025-03-07T12:05:01Z is the oldest whole second still within 7 days), for
// a full read and a single page, and an INFO line says what was given up;
// a start a second or more after that is sent as asked, to the second,
// with no such line.
func TestSevenDayEdge(t *testing.T) {
	frozen := mustTime(t, "2025-03-14T12:00:00.4Z")
	opts := oneDomain("edge.example.com", 2000)
	opts.Now = func() time.Time { return frozen }
	c, emu := newTestClient(t, opts, Config{})
	c.now = func() time.Time { return frozen }
	end := mustTime(t, "2025-03-14T12:00:01Z")
	for _, tc := range []struct {
		lookback  time.Duration
		wantStart string
		givenUp   string // logged as given up beyond the start asked for ("": not raised, no line)
	}{
		{MaxLookback, "2025-03-07T12:05:01Z", "5m0.6s"},
		{MaxLookback + time.Second, "2025-03-07T12:05:01Z", "5m1.6s"},
		{MaxLookback - WindowMargin - time.Second, "2025-03-07T12:05:01Z", ""}, // 12:05:01.4, to the second
		{MaxLookback - WindowMargin - 2*time.Second, "2025-03-07T12:05:02Z", ""},
		{MaxLookback - WindowMargin - 1600*time.Millisecond, "2025-03-07T12:05:02Z", ""}, // 12:05:02 on the dot
	} {
		for _, page := range []int{0, 1} {
			t.Run(fmt.Sprintf("%s/page=%d", tc.lookback, page), func(t *testing.T) {
				emu.ResetStats()
				var logs bytes.Buffer
				q := Query{DomainName: "edge.example.com", StartTime: frozen.Add(-tc.lookback), EndTime: frozen, PageNumber: page, PageSize: MaxPageSize}
				res, err := List(tflogtest.RootLogger(context.Background(), &logs), c, StreamNotifyRecords, q)
				if err != nil {
					t.Fatal(err)
				}
				raised := logged(t, &logs, "raised StartTime so that every request stays within the API's 7 days")
				switch {
				case tc.givenUp == "" && len(raised) != 0:
					t.Errorf("a start sent as asked was logged as raised: %v", raised)
				case tc.givenUp != "" && (len(raised) != 1 || raised[0]["given_up"] != tc.givenUp || raised[0]["sent_start"] != tc.wantStart):
					t.Errorf("logged %v; want one line, given_up %s, sent_start %s", raised, tc.givenUp, tc.wantStart)
				}
				if got := res.StartTime.Format(TimeLayout); got != tc.wantStart || !res.EndTime.Equal(end) || res.StartRaisedFor != 0 || res.Restarts != 0 {
					t.Errorf("sent [%s, %s), raised for %s, %d restarts; want [%s, 2025-03-14T12:00:01Z), none", got, res.EndTime.Format(TimeLayout),
						res.StartRaisedFor, res.Restarts, tc.wantStart)
				}
				want := between(emu.StreamRecords("edge.example.com"), mustTime(t, tc.wantStart), end)
				if page == 1 {
					want = want[:min(len(want), MaxPageSize)]
				}
				sameOrder(t, res.Records, want)
				if st := emu.Stats(); len(st.ByCode) != 0 {
					t.Errorf("the API refused a request: %v", st.ByCode)
				}
			})
		}
	}
}
