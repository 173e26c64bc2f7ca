package liveapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// A page whose Code is present and not 0 fails the read, whichever page it
// is, with the Code, Msg and request id, and is not retried.
func TestFlaggedCodeFailsTheRead(t *testing.T) {
	cases := []struct {
		name     string
		fromPage int
		page     int // 0: full read
	}{
		{"single page", 1, 1},
		{"full read, first page", 1, 0},
		{"full read, a later page", 3, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, emu := newTestClient(t, oneDomain("flagged.example.com", 2000), Config{MaxRetries: 3})
			emu.SetFaults(emulator.Faults{FlaggedAnswer: emulator.Flag{Code: 1001, Msg: "the domain is being migrated", FromPage: tc.fromPage}})
			q := streamQuery("flagged.example.com", emu.Now())
			q.PageSize, q.PageNumber = 100, tc.page
			res, err := List(context.Background(), c, RecordNotifyRecords, q)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || !errors.Is(err, ErrFlaggedAnswer) {
				t.Fatalf("want a flagged APIError, got %v (result %v)", err, res != nil)
			}
			if apiErr.Code != "1001" || apiErr.StatusCode != 200 || apiErr.Message != "the domain is being migrated" ||
				apiErr.RequestID == "" || apiErr.Retryable || apiErr.Action != RecordNotifyRecords.Action {
				t.Errorf("APIError %+v", apiErr)
			}
			for _, part := range []string{"1001", "HTTP 200", "the domain is being migrated", apiErr.RequestID} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("%q does not mention %q", err, part)
				}
			}
			if n := emu.Stats().FaultsByKind[emulator.FaultFlaggedAnswer]; tc.page > 0 && n != 1 {
				t.Errorf("a flagged single page was sent %d times, want once (no retry)", n)
			}
			// The stream action documents no Code: the same fault leaves it alone.
			if _, err := List(context.Background(), c, StreamNotifyRecords, q); err != nil {
				t.Errorf("stream action: %v", err)
			}
		})
	}
	for _, code := range []*int{nil, ptr(0)} {
		if err := flaggedAnswer("A", code, "ok", "id", 1); err != nil {
			t.Errorf("Code %v: %v", code, err)
		}
	}
}

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

// Full reads are exact when the API shuffles ties: for both actions, at a
// page size that splits nearly every second and at the maximum.
func TestTiesExactUnderShuffle(t *testing.T) {
	const n = 3000
	for _, shuffle := range []bool{false, true} {
		c, emu := newTestClient(t, emulator.Options{ShuffleTies: shuffle, Domains: []emulator.DomainSpec{}}, Config{})
		end := emu.Now().Add(time.Second)
		emu.AddStreamRecords(emulator.BurstStreamRecords("ties.example.com", end, n, 60)...)
		emu.AddRecordCallbacks(emulator.BurstRecordCallbacks("ties.example.com", end, n, 60)...)
		for _, size := range []int{7, MaxPageSize} {
			q := Query{DomainName: "ties.example.com", StartTime: end.Add(-time.Hour), EndTime: end, PageSize: size}
			t.Run(fmt.Sprintf("shuffle=%v/size=%d/stream", shuffle, size), func(t *testing.T) {
				res, err := List(context.Background(), c, StreamNotifyRecords, q)
				checkTies(t, res, err, shuffle, func(r StreamNotifyRecord) CallbackCommon { return r.CallbackCommon })
			})
			t.Run(fmt.Sprintf("shuffle=%v/size=%d/record", shuffle, size), func(t *testing.T) {
				res, err := List(context.Background(), c, RecordNotifyRecords, q)
				checkTies(t, res, err, shuffle, func(r RecordCallback) CallbackCommon { return r.CallbackCommon })
			})
		}
	}
}

func checkTies[T any](t *testing.T, res *Result[T], err error, shuffle bool, common func(T) CallbackCommon) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	failed := 0
	for _, r := range res.Records {
		cc := common(r)
		seen[cc.StreamName] = true
		if cc.NotifyResult == "failed" {
			failed++
		}
	}
	if len(res.Records) != res.TotalNum || len(seen) != res.TotalNum || failed != res.TotalNum/10 {
		t.Fatalf("%d records, %d distinct, %d failed; want %d distinct, %d failed", len(res.Records), len(seen), failed, res.TotalNum, res.TotalNum/10)
	}
	pages := (res.TotalNum + res.PageSize - 1) / res.PageSize
	if !shuffle && (res.Rereads != 0 || res.Calls != pages) {
		t.Errorf("stable order: %d seconds re-read, %d calls for %d pages; want none extra", res.Rereads, res.Calls, pages)
	}
	if shuffle && res.Rereads == 0 {
		t.Errorf("shuffled ties but no second was re-read")
	}
	t.Logf("%d records in %d calls for %d pages (%d seconds re-read)", len(res.Records), res.Calls, pages, res.Rereads)
}

// More than a page of records in one second: exact when the API orders
// ties stably; refused rather than wrong when it does not.
func TestTieLargerThanAPage(t *testing.T) {
	for _, shuffle := range []bool{false, true} {
		t.Run(fmt.Sprint("shuffle=", shuffle), func(t *testing.T) {
			c, emu := newTestClient(t, emulator.Options{ShuffleTies: shuffle, Domains: []emulator.DomainSpec{}}, Config{})
			end := emu.Now().Add(time.Second)
			emu.AddStreamRecords(emulator.BurstStreamRecords("huge.example.com", end, 1200, 1200)...)
			q := Query{DomainName: "huge.example.com", StartTime: end.Add(-time.Hour), EndTime: end, PageSize: 100}
			res, err := List(context.Background(), c, StreamNotifyRecords, q)
			if shuffle {
				if !errors.Is(err, ErrUnstableTies) || !errors.Is(err, ErrInconsistent) || !strings.Contains(err.Error(), "1200 records at") {
					t.Fatalf("want a refusal, got %v", err)
				}
				return
			}
			if err != nil || len(res.Records) != 1200 {
				t.Fatalf("%v", err)
			}
		})
	}
}

// PageNumber rules: the client's equal the emulator's, a single page beyond
// them is refused before any call, and a full read that would need pages
// beyond them fails after the first page, naming the numbers.
func TestPageRange(t *testing.T) {
	if RecordNotifyRecords.MaxPageNumber != emulator.MaxRecordPageNumber || StreamNotifyRecords.MaxPageNumber != emulator.MaxStreamPageNumber {
		t.Fatalf("page-number limits differ from the emulator's: record %d/%d, stream %d/%d", RecordNotifyRecords.MaxPageNumber,
			emulator.MaxRecordPageNumber, StreamNotifyRecords.MaxPageNumber, emulator.MaxStreamPageNumber)
	}
	c, emu := newTestClient(t, emulator.Options{Domains: []emulator.DomainSpec{}}, Config{})
	end := emu.Now().Add(time.Second)
	emu.AddRecordCallbacks(emulator.BurstRecordCallbacks("pages.example.com", end, MaxPageNumber+1, 600)...)
	q := Query{DomainName: "pages.example.com", StartTime: end.Add(-6 * time.Hour), EndTime: end, PageSize: 1}

	q.PageNumber = MaxPageNumber + 1
	if _, err := List(context.Background(), c, RecordNotifyRecords, q); !errors.Is(err, ErrPageRange) || emu.Stats().Requests != 0 {
		t.Fatalf("single page %d: %v after %d requests", q.PageNumber, err, emu.Stats().Requests)
	}
	if res, err := List(context.Background(), c, StreamNotifyRecords, q); err != nil || len(res.Records) != 0 {
		t.Fatalf("the stream action has no documented upper bound: %v", err)
	}

	emu.ResetStats()
	q.PageNumber = 0
	_, err := List(context.Background(), c, RecordNotifyRecords, q)
	if !errors.Is(err, ErrPageRange) || emu.Stats().Requests != 1 {
		t.Fatalf("full read: %v after %d requests", err, emu.Stats().Requests)
	}
	for _, part := range []string{"100001 pages", "1 to 100000", "narrower time window"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("%q does not mention %q", err, part)
		}
	}
}

// Two callbacks identical in every field at a page boundary look like a
// repeat: the second is re-read, and both are kept.
func TestIdenticalRecordsAtABoundary(t *testing.T) {
	c, emu := newTestClient(t, emulator.Options{Domains: []emulator.DomainSpec{}}, Config{})
	end := emu.Now().Add(time.Second)
	recs := emulator.BurstStreamRecords("twins.example.com", end, 10, 10)
	recs[9] = recs[8] // two identical callbacks in the one second
	emu.AddStreamRecords(recs...)
	q := Query{DomainName: "twins.example.com", StartTime: end.Add(-time.Hour), EndTime: end, PageSize: 5}
	res, err := List(context.Background(), c, StreamNotifyRecords, q)
	if err != nil {
		t.Fatal(err)
	}
	twins := 0
	for _, r := range res.Records {
		if r.StreamName == recs[8].StreamName {
			twins++
		}
	}
	if len(res.Records) != 10 || twins != 2 || res.Rereads != 1 || res.Calls != 3 {
		t.Fatalf("%d records, %d twins, %d seconds re-read in %d calls; want 10, 2, 1, 3", len(res.Records), twins, res.Rereads, res.Calls)
	}
}
