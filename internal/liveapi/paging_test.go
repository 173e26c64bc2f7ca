package liveapi

import (
	"context"
	"errors"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// newTestClient serves an emulator and returns a client of it.
func newTestClient(t testing.TB, opts emulator.Options, cfg Config) (*Client, *emulator.Server) {
	t.Helper()
	emu := emulator.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	ep, err := ParseEndpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Credential == nil {
		cfg.Credential, _, err = NewCredential(CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret})
		if err != nil {
			t.Fatal(err)
		}
	}
	cfg.Endpoint = &ep
	if cfg.MaxQPS == 0 {
		cfg.MaxQPS = 1000 // The tests measure behaviour, not politeness.
	}
	if cfg.RetryBaseDelay == 0 {
		cfg.RetryBaseDelay = time.Millisecond
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, emu
}

// streamQuery asks for the whole data set; List raises its start to stay
// within 7 days for the whole read, so compare with inWindow.
func streamQuery(domain string, now time.Time) Query {
	return Query{DomainName: domain, StartTime: now.Add(-MaxLookback), EndTime: now.Add(time.Second)}
}

func oneDomain(name string, n int) emulator.Options {
	return emulator.Options{Seed: 3, Domains: []emulator.DomainSpec{{Name: name, RecordCallbacks: n, StreamRecords: n}}}
}

// inWindow keeps the records of the window a read reported sending.
func inWindow(all []emulator.StreamRecord, res *Result[StreamNotifyRecord]) []emulator.StreamRecord {
	var out []emulator.StreamRecord
	for _, r := range all {
		if !r.NotifyTime.Before(res.StartTime) && r.NotifyTime.Before(res.EndTime) {
			out = append(out, r)
		}
	}
	return out
}

// sameOrder fails unless got is exactly the emulator's records in API order.
func sameOrder(t *testing.T, got []StreamNotifyRecord, want []emulator.StreamRecord) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range want {
		w := want[i]
		g := got[i]
		if g.NotifyTime != w.NotifyTime.Format(TimeLayout) || g.NotifyContent != w.NotifyContent || g.StreamName != w.StreamName || g.NotifyResult != w.NotifyResult {
			t.Fatalf("record %d differs: got %+v, want %+v", i, g, w)
		}
	}
}

func TestListReadsEveryPageInOrderWithTheFewestCalls(t *testing.T) {
	c, emu := newTestClient(t, oneDomain("many.example.com", 3210), Config{Concurrency: 8})
	q := streamQuery("many.example.com", emu.Now())
	for _, size := range []int{0, 100, 7} {
		emu.ResetStats()
		q.PageSize = size
		res, err := List(context.Background(), c, StreamNotifyRecords, q)
		if err != nil {
			t.Fatal(err)
		}
		want := inWindow(emu.StreamRecords("many.example.com"), res)
		sameOrder(t, res.Records, want)
		n := len(want) // the 7-day clamp leaves out the oldest few
		effective := max(size, 0)
		if size == 0 {
			effective = MaxPageSize
		}
		wantCalls := (n + effective - 1) / effective
		if res.Calls != wantCalls || emu.Stats().Requests != int64(wantCalls) {
			t.Errorf("page size %d: %d calls (emulator saw %d), want the minimum %d", size, res.Calls, emu.Stats().Requests, wantCalls)
		}
		if res.TotalNum != n || res.TotalPage != wantCalls || res.PageNum != 1 || res.PageSize != effective {
			t.Errorf("page size %d: TotalNum %d TotalPage %d PageNum %d PageSize %d, want %d %d 1 %d", size,
				res.TotalNum, res.TotalPage, res.PageNum, res.PageSize, n, wantCalls, effective)
		}
		if size == 7 && emu.Stats().PeakInFlight < 2 {
			t.Errorf("pages were not fetched concurrently: peak in flight %d", emu.Stats().PeakInFlight)
		}
	}
}

func TestListSinglePageAndEmpty(t *testing.T) {
	c, emu := newTestClient(t, oneDomain("one.example.com", 120), Config{})
	q := streamQuery("one.example.com", emu.Now())
	q.PageSize, q.PageNumber = 50, 3
	res, err := List(context.Background(), c, StreamNotifyRecords, q)
	if err != nil {
		t.Fatal(err)
	}
	sameOrder(t, res.Records, emu.StreamRecords("one.example.com")[100:120])
	if res.PageNum != 3 || res.PageSize != 50 || res.TotalNum != 120 || res.TotalPage != 3 || res.Calls != 1 {
		t.Errorf("single page: %+v", res)
	}

	q = streamQuery("nothing.example.com", emu.Now())
	res, err = List(context.Background(), c, StreamNotifyRecords, q)
	if err != nil {
		t.Fatal(err)
	}
	if res.Records == nil || len(res.Records) != 0 || res.TotalNum != 0 || res.Calls != 1 {
		t.Errorf("empty read: %+v", res)
	}
}

func TestListRecordCallbacksKeepsRecordFields(t *testing.T) {
	c, emu := newTestClient(t, emulator.Options{Domains: []emulator.DomainSpec{}}, Config{})
	q := Query{DomainName: emulator.FixtureRecordDomain, StartTime: emu.Now().Add(-3 * time.Hour), EndTime: emu.Now(), StorageType: "oss"}
	res, err := List(context.Background(), c, RecordNotifyRecords, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 {
		t.Fatalf("storage type filter: got %d records", len(res.Records))
	}
	r := res.Records[0]
	if r.NotifyContent != emulator.DocRecordNotifyContent || r.NotifyResponse != emulator.DocRecordNotifyResponse || r.StorageType != "oss" || r.NotifyURL != emulator.DocRecordNotifyURL {
		t.Errorf("record fields: %+v", r)
	}
	if res.Code == nil || *res.Code != 0 || res.Msg != "ok" {
		t.Errorf("Code/Msg: %v %q", res.Code, res.Msg)
	}
}

// TestListRecoversFromTransientFaults injects each recoverable fault and
// expects the complete, correct answer. Throttling is the account's quota
// as the emulator enforces it (15 accepted in any rolling second, below the
// client's max_qps of 50) rather than an injected answer on every k-th
// request, which would keep the adaptive limiter cutting however slowly the
// client went.
func TestListRecoversFromTransientFaults(t *testing.T) {
	for name, c := range map[string]struct {
		faults emulator.Faults
		maxQPS float64
	}{
		"throttling":         {maxQPS: 15},
		"internal error":     {faults: emulator.Faults{InternalErrorEvery: 3}},
		"unavailable":        {faults: emulator.Faults{UnavailableEvery: 3}},
		"dropped connection": {faults: emulator.Faults{DropConnectionEvery: 3}},
		"truncated body":     {faults: emulator.Faults{TruncateBodyEvery: 3}},
	} {
		t.Run(name, func(t *testing.T) {
			opts := oneDomain("faulty.example.com", 2000)
			opts.Faults, opts.MaxQPS = c.faults, c.maxQPS
			// Faults fall on every k-th request of the server, whoever sends
			// it; jittered backoff keeps one page from landing on the faulty
			// slot attempt after attempt.
			client, emu := newTestClient(t, opts, Config{MaxRetries: 6, Concurrency: 4, RetryBaseDelay: 5 * time.Millisecond})
			q := streamQuery("faulty.example.com", emu.Now())
			q.PageSize = 100
			res, err := List(context.Background(), client, StreamNotifyRecords, q)
			if err != nil {
				t.Fatal(err)
			}
			sameOrder(t, res.Records, inWindow(emu.StreamRecords("faulty.example.com"), res))
			if st := emu.Stats(); st.FaultsInjected+st.Throttled == 0 || res.Calls <= 20 {
				t.Errorf("no fault was exercised: calls %d, stats %+v", res.Calls, st)
			}
		})
	}
}

func TestListFailsClearlyOnPersistentErrors(t *testing.T) {
	opts := oneDomain("down.example.com", 10)
	opts.Faults = emulator.Faults{PersistentError: &emulator.APIError{Status: 503, Code: "ServiceUnavailable", Message: "The request has failed due to a temporary failure of the server."}}
	c, emu := newTestClient(t, opts, Config{MaxRetries: 2})
	_, err := List(context.Background(), c, StreamNotifyRecords, streamQuery("down.example.com", emu.Now()))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "ServiceUnavailable" || apiErr.Attempts != 3 || apiErr.RequestID == "" || apiErr.StatusCode != 503 {
		t.Fatalf("got %#v", err)
	}
	if emu.Stats().Requests != 3 {
		t.Errorf("max_retries 2 must mean 3 attempts, the emulator saw %d", emu.Stats().Requests)
	}

	// Permanent errors are not retried.
	opts.Faults = emulator.Faults{}
	c, emu = newTestClient(t, opts, Config{MaxRetries: 5,
		Credential: mustCredential(t, CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: "wrong"})})
	_, err = List(context.Background(), c, StreamNotifyRecords, streamQuery("down.example.com", emu.Now()))
	if !errors.As(err, &apiErr) || apiErr.Code != "SignatureDoesNotMatch" || apiErr.Attempts != 1 || emu.Stats().Requests != 1 {
		t.Fatalf("signature error: %#v, %d requests", err, emu.Stats().Requests)
	}
}

func mustCredential(t *testing.T, cfg CredentialConfig) credentials.Credential {
	t.Helper()
	c, _, err := NewCredential(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestListRestartsWhenRecordsArrive inserts records while a read is under
// way: the read starts over and returns one consistent answer, with no
// duplicates, whose length equals TotalNum.
func TestListRestartsWhenRecordsArrive(t *testing.T) {
	opts := oneDomain("busy.example.com", 1000)
	opts.Faults = emulator.Faults{InsertDuringRead: emulator.Insertion{AfterPages: 2, Count: 7}}
	c, emu := newTestClient(t, opts, Config{Concurrency: 1})
	q := streamQuery("busy.example.com", emu.Now())
	q.PageSize = 100
	res, err := List(context.Background(), c, StreamNotifyRecords, q)
	if err != nil {
		t.Fatal(err)
	}
	if res.Restarts != 1 || res.TotalNum != 1007 || len(res.Records) != 1007 {
		t.Fatalf("restarts %d, total %d, records %d; want 1, 1007, 1007", res.Restarts, res.TotalNum, len(res.Records))
	}
	sameOrder(t, res.Records, inWindow(emu.StreamRecords("busy.example.com"), res))
}

func TestListCancelsAtOnce(t *testing.T) {
	opts := oneDomain("slow.example.com", 5000)
	opts.Latency = 2 * time.Second
	c, emu := newTestClient(t, opts, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err := List(ctx, c, StreamNotifyRecords, streamQuery("slow.example.com", emu.Now()))
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a deadline error", err)
	}
	if elapsed := time.Since(started); elapsed > time.Second {
		t.Errorf("cancellation took %s", elapsed)
	}
	if !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("error does not say the read was interrupted: %v", err)
	}
}

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
				apiErr.RequestID == "" || apiErr.Retryable() || apiErr.Action != RecordNotifyRecords.Action {
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

// benchOptions is one domain of n records of each kind on a frozen clock, so
// that a long benchmark never ages records out of the query window.
func benchOptions(domain string, n int) (emulator.Options, time.Time) {
	now := time.Now().UTC().Truncate(time.Second)
	opts := oneDomain(domain, n)
	opts.Now = func() time.Time { return now }
	return opts, now
}

// BenchmarkListStream10k is a full read of 10,000 stream records (20 pages)
// with no latency and no effective rate limit: the client's CPU and memory
// cost of a large read. The emulator runs in the same process, so allocs/op,
// B/op and allocs/record include its work (see BenchmarkDecodePage for the
// client's decoding alone, and internal/bench for a replayed measurement).
func BenchmarkListStream10k(b *testing.B) {
	const n = 10_000
	opts, now := benchOptions("bench.example.com", n)
	c, _ := newTestClient(b, opts, Config{MaxQPS: 1e6})
	q := streamQuery("bench.example.com", now)
	ctx := context.Background()
	var calls, records int
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		res, err := List(ctx, c, StreamNotifyRecords, q)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Records) != n {
			b.Fatalf("%d records, want %d", len(res.Records), n)
		}
		calls += res.Calls
		records += len(res.Records)
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
	b.ReportMetric(float64(records)/float64(b.N), "records/op")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(records), "allocs/record")
}
