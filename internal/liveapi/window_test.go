package liveapi

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// sendWindow covers the requested window with whole seconds and raises the
// start to the oldest instant valid until the end of the read.
func TestSendWindow(t *testing.T) {
	now := mustTime(t, "2025-03-14T12:00:00.4Z")
	deadline := now.Add(5 * time.Minute)
	at := func(s string) time.Time { return mustTime(t, s) }
	cases := []struct {
		name        string
		start, end  time.Time
		deadline    time.Time // zero: none
		wantStart   string
		wantEnd     string
		wantClamped bool
		wantErr     error // nil: success; errAny: an error that is not ErrWindowExpired
	}{
		{"whole seconds pass unchanged", at("2025-03-14T08:00:00Z"), at("2025-03-14T09:00:00Z"), deadline,
			"2025-03-14T08:00:00Z", "2025-03-14T09:00:00Z", false, nil},
		{"sub-second window inside one second", at("2025-03-14T08:00:00.2Z"), at("2025-03-14T08:00:00.7Z"), deadline,
			"2025-03-14T08:00:00Z", "2025-03-14T08:00:01Z", false, nil},
		{"sub-second bounds across seconds", at("2025-03-14T08:00:00.9Z"), at("2025-03-14T08:00:02.1Z"), deadline,
			"2025-03-14T08:00:00Z", "2025-03-14T08:00:03Z", false, nil},
		{"168h with a deadline", now.Truncate(time.Second).Add(-MaxLookback), now.Truncate(time.Second), deadline,
			"2025-03-07T12:05:01Z", "2025-03-14T12:00:00Z", true, nil},
		{"168h without a deadline", now.Truncate(time.Second).Add(-MaxLookback), now.Truncate(time.Second), time.Time{},
			"2025-03-07T12:15:01Z", "2025-03-14T12:00:00Z", true, nil},
		{"a deadline on a whole second is kept", at("2025-03-01T00:00:00Z"), now, at("2025-03-14T12:10:00Z"),
			"2025-03-07T12:10:00Z", "2025-03-14T12:00:01Z", true, nil},
		{"sub-second start near the limit", now.Add(-MaxLookback + 4*time.Minute), now, deadline,
			"2025-03-07T12:05:01Z", "2025-03-14T12:00:01Z", true, nil},
		{"window expires during the read", at("2025-03-07T11:00:00Z"), at("2025-03-07T12:05:01Z"), deadline,
			"", "", true, ErrWindowExpired},
		{"empty window", at("2025-03-14T08:00:00.5Z"), at("2025-03-14T08:00:00.5Z"), deadline, "", "", false, errAny},
		{"end before start", at("2025-03-14T09:00:00Z"), at("2025-03-14T08:00:00Z"), deadline, "", "", false, errAny},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, err := sendWindow("A", Query{StartTime: tc.start, EndTime: tc.end}, now, tc.deadline, !tc.deadline.IsZero())
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
			if clamped := !w.clampedFrom.IsZero(); clamped != tc.wantClamped {
				t.Errorf("clamped %v, want %v", clamped, tc.wantClamped)
			}
		})
	}
}

var errAny = errors.New("any error but ErrWindowExpired")

// The documented maximum window against an API strict to the second: a read
// long enough (latency, many pages, a modest rate) that its later pages
// would fall outside 7 days without the clamp.
func TestLookback168hAgainstStrictEmulator(t *testing.T) {
	opts := oneDomain("week.example.com", 30000)
	opts.Latency = 5 * time.Millisecond
	c, emu := newTestClient(t, opts, Config{MaxQPS: 40})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	deadline, _ := ctx.Deadline()
	end := time.Now().UTC().Truncate(time.Second)
	started := time.Now()
	res, err := List(ctx, c, StreamNotifyRecords, Query{DomainName: "week.example.com", StartTime: end.Add(-MaxLookback), EndTime: end})
	if err != nil {
		t.Fatal(err)
	}
	if want := ceilSecond(deadline.UTC().Add(-MaxLookback)); !res.StartTime.Equal(want) || !res.EndTime.Equal(end) {
		t.Errorf("window sent [%s, %s), want [%s, %s)", res.StartTime, res.EndTime, want, end)
	}
	sameOrder(t, res.Records, inWindow(emu.StreamRecords("week.example.com"), res))
	if n := emu.Stats().ByCode["Duration.Exceed"]; n != 0 {
		t.Errorf("the API answered Duration.Exceed %d times", n)
	}
	t.Logf("lookback 168h: %d records, %d calls, %s; start raised by %s", len(res.Records), res.Calls,
		time.Since(started).Round(time.Millisecond), res.StartTime.Sub(end.Add(-MaxLookback)))
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
