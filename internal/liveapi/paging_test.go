package liveapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// newTestClient serves an emulator and returns a client of it.
func newTestClient(t testing.TB, opts emulator.Options, cfg Config) (*Client, *emulator.Server) {
	t.Helper()
	opts.NoCaseDomains = true // None reads them, and they are most of what a server generates.
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

// streamQuery asks for the whole data set: every generated record lies in
// the last 7 days less an hour (emulator.GeneratedSpan), so the start List
// raises to stay within 7 days leaves none out.
func streamQuery(domain string, now time.Time) Query {
	return Query{DomainName: domain, StartTime: now.Add(-MaxLookback), EndTime: now.Add(time.Second)}
}

// sixDays is a literal window of whole seconds, [now-6d, now+1s), well
// inside the 7 days: List sends it unchanged, and the records expected of
// it are between(records, q.StartTime, q.EndTime), whatever the read reports.
func sixDays(domain string, now time.Time) Query {
	now = now.UTC().Truncate(time.Second)
	return Query{DomainName: domain, StartTime: now.Add(-6 * 24 * time.Hour), EndTime: now.Add(time.Second)}
}

func oneDomain(name string, n int) emulator.Options {
	return emulator.Options{Seed: 3, Domains: []emulator.DomainSpec{{Name: name, RecordCallbacks: n, StreamRecords: n}}, NoCaseDomains: true}
}

// between keeps the records with start <= NotifyTime < end, as the API
// documents the window.
func between(all []emulator.StreamRecord, start, end time.Time) []emulator.StreamRecord {
	var out []emulator.StreamRecord
	for _, r := range all {
		if !r.NotifyTime.Before(start) && r.NotifyTime.Before(end) {
			out = append(out, r)
		}
	}
	return out
}

// sentAsAsked fails unless the read reports sending q's window unchanged.
func sentAsAsked[T any](t *testing.T, res *Result[T], q Query) {
	t.Helper()
	if !res.StartTime.Equal(q.StartTime) || !res.EndTime.Equal(q.EndTime) {
		t.Errorf("window sent [%s, %s), want the literal [%s, %s)", res.StartTime, res.EndTime, q.StartTime, q.EndTime)
	}
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

// TestListReadsEveryPageInOrderWithTheFewestCalls reads about 1,050
// records: 3 pages at the default size, the last one short, and 150 at a
// page size of 7. Each request takes 2 ms at the emulator, so that 8
// workers have several in flight at once however busy the machine is.
func TestListReadsEveryPageInOrderWithTheFewestCalls(t *testing.T) {
	opts := oneDomain("many.example.com", 1210)
	opts.Latency = 2 * time.Millisecond
	c, emu := newTestClient(t, opts, Config{Concurrency: 8})
	q := sixDays("many.example.com", emu.Now())
	want := between(emu.StreamRecords("many.example.com"), q.StartTime, q.EndTime)
	if len(want) <= 1000 || len(want) > 1100 {
		t.Fatalf("%d of 1210 records in six days of seven: the data set changed", len(want))
	}
	for _, size := range []int{0, 100, 7} {
		emu.ResetStats()
		q.PageSize = size
		res, err := List(context.Background(), c, StreamNotifyRecords, q)
		if err != nil {
			t.Fatal(err)
		}
		sentAsAsked(t, res, q)
		sameOrder(t, res.Records, want)
		n := len(want)
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
// client went. The client and the emulator run on a shifted clock there,
// one page at a time, so that the second the limiter waits out after the
// throttle passes at once.
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
			cfg := Config{MaxRetries: 6, Concurrency: 4, RetryBaseDelay: 5 * time.Millisecond}
			var (
				client *Client
				emu    *emulator.Server
			)
			if c.maxQPS > 0 {
				client, emu, _ = newShiftedClient(t, opts, cfg, nil)
			} else {
				client, emu = newTestClient(t, opts, cfg)
			}
			q := sixDays("faulty.example.com", emu.Now())
			q.PageSize = 100
			res, err := List(context.Background(), client, StreamNotifyRecords, q)
			if err != nil {
				t.Fatal(err)
			}
			sentAsAsked(t, res, q)
			want := between(emu.StreamRecords("faulty.example.com"), q.StartTime, q.EndTime)
			sameOrder(t, res.Records, want)
			// Every page once, plus at least one retry of a page that met the fault.
			if st, pages := emu.Stats(), (len(want)+99)/100; st.FaultsInjected+st.Throttled == 0 || res.Calls <= pages {
				t.Errorf("no fault was exercised: calls %d for %d pages, stats %+v", res.Calls, pages, st)
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
	q := sixDays("busy.example.com", emu.Now())
	q.PageSize = 100
	before := len(between(emu.StreamRecords("busy.example.com"), q.StartTime, q.EndTime))
	sink := &recordingSink{}
	res, err := Read(context.Background(), c, StreamNotifyRecords, q, sink)
	if err != nil {
		t.Fatal(err)
	}
	if res.Restarts != 1 || res.TotalNum != before+7 || len(sink.Records) != before+7 {
		t.Fatalf("restarts %d, total %d, records %d; want 1, %d, %d", res.Restarts, res.TotalNum, len(sink.Records), before+7, before+7)
	}
	// The sink was told to forget the first attempt, whose pages it had
	// partly received.
	if len(sink.starts) != 2 || sink.starts[0] != before || sink.starts[1] != before+7 || sink.addsBeforeRestart == 0 {
		t.Errorf("Start calls %v after %d Add calls; want [%d %d] after some", sink.starts, sink.addsBeforeRestart, before, before+7)
	}
	sentAsAsked(t, res, q)
	sameOrder(t, sink.Records, between(emu.StreamRecords("busy.example.com"), q.StartTime, q.EndTime))
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

// recordingSink is a Collector that checks the Sink contract as a read
// uses it: each position delivered exactly once per attempt, Start before
// the first record, and no Add without records. It records the Start calls, and fails the Add
// call number failAt (counted from 1, 0: never) with failWith.
type recordingSink struct {
	Collector[StreamNotifyRecord]
	starts            []int
	adds              int
	addsBeforeRestart int
	seen              []bool
	failAt            int
	failWith          error
	violation         error
}

func (s *recordingSink) Start(total int) {
	if len(s.starts) == 1 {
		s.addsBeforeRestart = s.adds
	}
	s.starts = append(s.starts, total)
	s.seen = make([]bool, total)
	s.Collector.Start(total)
}

func (s *recordingSink) Add(index int, recs []StreamNotifyRecord) error {
	s.adds++
	if s.failAt > 0 && s.adds == s.failAt {
		return s.failWith
	}
	if len(s.starts) == 0 && s.violation == nil {
		s.violation = errors.New("Add before Start")
	}
	if len(recs) == 0 && s.violation == nil {
		s.violation = fmt.Errorf("Add(%d) with no records", index)
	}
	for i := range recs {
		switch {
		case index+i >= len(s.seen):
			s.violation = fmt.Errorf("position %d beyond the %d records Start announced", index+i, len(s.seen))
		case s.seen[index+i]:
			s.violation = fmt.Errorf("position %d delivered twice", index+i)
		default:
			s.seen[index+i] = true
		}
	}
	if err := s.Collector.Add(index, recs); err != nil {
		return err
	}
	// recs is the read's to reuse: scribble on it, so that a read that
	// handed out records it still needs would show it.
	for i := range recs {
		recs[i].StreamName = "reused"
	}
	return nil
}

// complete fails unless every position announced was delivered.
func (s *recordingSink) complete(t *testing.T) {
	t.Helper()
	if s.violation != nil {
		t.Fatal(s.violation)
	}
	for i, ok := range s.seen {
		if !ok {
			t.Fatalf("position %d of %d never delivered", i, len(s.seen))
		}
	}
}

// TestReadSinkContract: Read hands every record to its sink exactly once,
// in place, from a few page buffers (at most one a page in flight and
// page 1's), and an error of the sink ends the read at once, as it is,
// without a restart, even one that says ErrInconsistent.
func TestReadSinkContract(t *testing.T) {
	c, emu := newTestClient(t, oneDomain("sink.example.com", 5000), Config{Concurrency: 3})
	q := sixDays("sink.example.com", emu.Now())
	q.PageSize = 50
	want := between(emu.StreamRecords("sink.example.com"), q.StartTime, q.EndTime)
	sink := &recordingSink{}
	res, err := Read(context.Background(), c, StreamNotifyRecords, q, sink)
	if err != nil {
		t.Fatal(err)
	}
	sink.complete(t)
	sameOrder(t, sink.Records, want)
	if res.Records != nil {
		t.Errorf("Read filled Result.Records with %d records; only List does", len(res.Records))
	}
	if pages := (len(want) + 49) / 50; res.buffers > 3+1 || pages < 50 {
		t.Errorf("%d page buffers for %d pages at concurrency 3; want at most 4", res.buffers, pages)
	}

	for _, failWith := range []error{errors.New("the summary is full"), fmt.Errorf("sink: %w", ErrInconsistent)} {
		emu.ResetStats()
		sink = &recordingSink{failAt: 3, failWith: failWith}
		_, err = Read(context.Background(), c, StreamNotifyRecords, q, sink)
		if err != failWith || len(sink.starts) != 1 { //nolint:errorlint // The contract is the sink's own error value, not one wrapping it.
			t.Errorf("sink error %q: Read returned %v after %d Start calls; want the sink's error itself, after one", failWith, err, len(sink.starts))
		}
		if n := emu.Stats().Requests; n > int64(res.Calls) {
			t.Errorf("sink error %q: %d requests, more than the %d a whole read takes", failWith, n, res.Calls)
		}
	}
}

// A single page is Start(n) and Add(0, the page).
func TestReadSinglePageSink(t *testing.T) {
	c, emu := newTestClient(t, oneDomain("one.example.com", 120), Config{})
	q := streamQuery("one.example.com", emu.Now())
	q.PageSize, q.PageNumber = 50, 3
	sink := &recordingSink{}
	if _, err := Read(context.Background(), c, StreamNotifyRecords, q, sink); err != nil {
		t.Fatal(err)
	}
	sink.complete(t)
	if len(sink.starts) != 1 || sink.starts[0] != 20 || sink.adds != 1 {
		t.Errorf("Start calls %v, %d Add calls; want [20] and 1", sink.starts, sink.adds)
	}
	sameOrder(t, sink.Records, emu.StreamRecords("one.example.com")[100:120])

	// A page beyond the records: Start(0) and no Add.
	q.PageNumber = 4
	sink = &recordingSink{}
	if _, err := Read(context.Background(), c, StreamNotifyRecords, q, sink); err != nil {
		t.Fatal(err)
	}
	sink.complete(t)
	if len(sink.starts) != 1 || sink.starts[0] != 0 || sink.adds != 0 {
		t.Errorf("an empty page: Start calls %v, %d Add calls; want [0] and none", sink.starts, sink.adds)
	}
}

// validNotifyTime agrees with time.Parse(TimeLayout, s), which it stands
// in for on every record, but for the fraction of a second time.Parse lets
// through: the document's form has none.
func TestValidNotifyTime(t *testing.T) {
	for _, s := range []string{
		"2024-05-01T10:00:05Z", "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-13-01T00:00:00Z",
		"2024-00-10T00:00:00Z", "2024-05-00T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T10:60:00Z", "2024-05-01T10:00:60Z",
		"2024-05-01 10:00:05Z", "2024-05-01T10:00:05", "2024-05-01T10:00:05+08:00", "2024-05-01T10:00:05.5Z", "2024-5-01T10:00:05Z",
		"+024-05-01T10:00:05Z", "2024-05-01T1a:00:05Z", "", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1900-02-29T00:00:00Z",
		"2000-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2023-02-28T23:59:59Z",
	} {
		_, err := time.Parse(TimeLayout, s)
		if got, want := validNotifyTime(s), err == nil && len(s) == len(TimeLayout); got != want {
			t.Errorf("validNotifyTime(%q) = %v, time.Parse without a fraction says %v", s, got, want)
		}
	}
}

func FuzzValidNotifyTime(f *testing.F) {
	f.Add("2024-05-01T10:00:05Z")
	f.Add("2024-02-30T10:00:05Z")
	f.Add("2024-05-01T10:00:05+08:00")
	f.Fuzz(func(t *testing.T, s string) {
		_, err := time.Parse(TimeLayout, s)
		if got, want := validNotifyTime(s), err == nil && len(s) == len(TimeLayout); got != want {
			t.Errorf("validNotifyTime(%q) = %v, time.Parse without a fraction says %v", s, got, want)
		}
	})
}

// A record whose NotifyTime is not in the documented form fails the read,
// naming the value, whichever page carries it, with no retry and no
// restart: no partial answer reaches the sink's caller.
func TestMalformedNotifyTimeFailsTheRead(t *testing.T) {
	for _, tc := range []struct {
		name       string
		page, only int // the page whose first record is broken; only: a single-page read
	}{{"first page", 1, 0}, {"a later page", 3, 0}, {"single page", 2, 2}} {
		t.Run(tc.name, func(t *testing.T) {
			emu := emulator.New(oneDomain("odd.example.com", 1000))
			var requests atomic.Int64
			ep := serveThrough(t, emu, func(r *http.Request, body []byte) []byte {
				requests.Add(1)
				if r.URL.Query().Get("PageNumber") == fmt.Sprint(tc.page) {
					i := bytes.Index(body, []byte(`"NotifyTime":"`)) + len(`"NotifyTime":"`)
					body = slices.Concat(body[:i], []byte("2024-05-01 10:00:05"), body[i+len(TimeLayout):])
				}
				return body
			})
			c, err := New(Config{Endpoint: &ep, MaxQPS: 1000, MaxRetries: 3,
				Credential: mustCredential(t, CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret})})
			if err != nil {
				t.Fatal(err)
			}
			q := sixDays("odd.example.com", emu.Now())
			q.PageSize, q.PageNumber = 100, tc.only
			sink := &recordingSink{}
			_, err = Read(context.Background(), c, StreamNotifyRecords, q, sink)
			var apiErr *APIError
			if !errors.Is(err, ErrMalformedRecord) || !errors.As(err, &apiErr) || apiErr.RequestID == "" || apiErr.Retryable() {
				t.Fatalf("want a permanent APIError wrapping ErrMalformedRecord with the request id, got %v", err)
			}
			for _, part := range []string{`"2024-05-01 10:00:05"`, fmt.Sprintf("record 1 of page %d", tc.page), "yyyy-MM-ddTHH:mm:ssZ"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("%q does not mention %s", err, part)
				}
			}
			if len(sink.starts) > 1 {
				t.Errorf("the read started over %d times", len(sink.starts)-1)
			}
			if tc.only > 0 && requests.Load() != 1 {
				t.Errorf("%d requests for one page; want one, not retried", requests.Load())
			}
		})
	}
}

// TestPageRangeAtTheLimit runs the page-number rules against an action
// that accepts pages 1 to 3: a single page 3 is sent and page 4 refused
// before any request; a full read of exactly 3 pages reads them, one of 4
// fails after its first page.
func TestPageRangeAtTheLimit(t *testing.T) {
	op := StreamNotifyRecords
	op.MaxPageNumber = 3
	c, emu := newTestClient(t, emulator.Options{Domains: []emulator.DomainSpec{}}, Config{})
	end := emu.Now().Add(time.Second)
	emu.AddStreamRecords(emulator.BurstStreamRecords("three.example.com", end, 300, 1)...)
	emu.AddStreamRecords(emulator.BurstStreamRecords("four.example.com", end, 301, 1)...)
	for _, tc := range []struct {
		domain     string
		page       int
		requests   int64
		records    int
		outOfRange bool
	}{
		{"three.example.com", 3, 1, 100, false},
		{"three.example.com", 4, 0, 0, true},
		{"three.example.com", 0, 3, 300, false},
		{"four.example.com", 0, 1, 0, true},
	} {
		emu.ResetStats()
		q := Query{DomainName: tc.domain, StartTime: end.Add(-6 * time.Hour), EndTime: end, PageSize: 100, PageNumber: tc.page}
		res, err := List(context.Background(), c, op, q)
		if got := emu.Stats().Requests; errors.Is(err, ErrPageRange) != tc.outOfRange || got != tc.requests {
			t.Errorf("%s, page %d: %v after %d requests; want ErrPageRange %v after %d", tc.domain, tc.page, err, got, tc.outOfRange, tc.requests)
		}
		if err == nil && len(res.Records) != tc.records {
			t.Errorf("%s, page %d: %d records, want %d", tc.domain, tc.page, len(res.Records), tc.records)
		}
	}
}

// TestReadGivesUpAfterThreeRestarts: an API whose later pages never agree
// with the first (page 2 without TotalNum) is read four times, the first
// and three restarts, and the read fails saying what disagreed.
func TestReadGivesUpAfterThreeRestarts(t *testing.T) {
	emu := emulator.New(oneDomain("unsettled.example.com", 300))
	var firstPages atomic.Int64
	totalNum := regexp.MustCompile(`"TotalNum":[0-9]+,`)
	ep := serveThrough(t, emu, func(r *http.Request, body []byte) []byte {
		switch r.URL.Query().Get("PageNumber") {
		case "1":
			firstPages.Add(1)
		case "2":
			body = totalNum.ReplaceAll(body, nil)
		}
		return body
	})
	cfg := testKeys(t)
	cfg.Endpoint = &ep
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	q := sixDays("unsettled.example.com", emu.Now())
	q.PageSize = 100
	_, err = List(context.Background(), c, StreamNotifyRecords, q)
	if !errors.Is(err, ErrInconsistent) || !regexp.MustCompile(`TotalNum was [0-9]+ on page 1 and missing on page 2`).MatchString(err.Error()) {
		t.Errorf("got %v, want ErrInconsistent naming the missing TotalNum", err)
	}
	if n := firstPages.Load(); n != 1+maxReadRestarts || maxReadRestarts != 3 {
		t.Errorf("page 1 was read %d times, want 4: the read and its 3 restarts", n)
	}
}

// TestCollectorRefusesPositionsBeyondItsRead: Add fails rather than drop
// records that do not fit the total Start announced.
func TestCollectorRefusesPositionsBeyondItsRead(t *testing.T) {
	c := &Collector[int]{}
	c.Start(3)
	if err := c.Add(1, []int{7, 8}); err != nil || !slices.Equal(c.Records, []int{0, 7, 8}) {
		t.Fatalf("Add(1, [7 8]) to 3: %v, records %v", err, c.Records)
	}
	for _, bad := range []struct {
		index int
		recs  []int
		err   string
	}{{2, []int{1, 2}, "records 2 to 4 delivered to a read of 3"}, {3, []int{1}, "records 3 to 4 delivered to a read of 3"},
		{-1, []int{1}, "records -1 to 0 delivered to a read of 3"}} {
		if err := c.Add(bad.index, bad.recs); err == nil || err.Error() != bad.err {
			t.Errorf("Add(%d, %v) to a read of 3: %v, want %q", bad.index, bad.recs, err, bad.err)
		}
	}
}

// TestPagesInFlightHaveABufferEach: two workers, and page 2 answered only
// once page 3 has been asked for, so that both are in flight at once: the
// read makes one page buffer beside page 1's, which the other reuses, and
// every page after them reuses theirs.
func TestPagesInFlightHaveABufferEach(t *testing.T) {
	emu := emulator.New(oneDomain("buffers.example.com", 1000))
	third := make(chan struct{})
	var once sync.Once
	ep := serveThrough(t, emu, func(r *http.Request, body []byte) []byte {
		switch r.URL.Query().Get("PageNumber") {
		case "2":
			select {
			case <-third:
			case <-time.After(10 * time.Second):
			}
		case "3":
			once.Do(func() { close(third) })
		}
		return body
	})
	cfg := testKeys(t)
	cfg.Endpoint, cfg.Concurrency = &ep, 2
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	q := sixDays("buffers.example.com", emu.Now())
	q.PageSize = 100
	res, err := Read(context.Background(), c, StreamNotifyRecords, q, &Collector[StreamNotifyRecord]{})
	if err != nil {
		t.Fatal(err)
	}
	if res.buffers != 2 || res.TotalPage < 5 {
		t.Errorf("%d page buffers for %d pages two at a time; want 2", res.buffers, res.TotalPage)
	}
}

// TestReadLogsItsProgress: a read of 45 pages logs its progress after 20
// and after 40 of them, page 1 counted, and once that it read them all.
func TestReadLogsItsProgress(t *testing.T) {
	c, emu := newTestClient(t, emulator.Options{Domains: []emulator.DomainSpec{}}, Config{Concurrency: 4})
	end := emu.Now().Add(time.Second)
	emu.AddStreamRecords(emulator.BurstStreamRecords("progress.example.com", end, 450, 1)...)
	var logs bytes.Buffer
	q := Query{DomainName: "progress.example.com", StartTime: end.Add(-time.Hour), EndTime: end, PageSize: 10}
	if _, err := List(tflogtest.RootLogger(context.Background(), &logs), c, StreamNotifyRecords, q); err != nil {
		t.Fatal(err)
	}
	var read []any
	for _, e := range logged(t, &logs, "reading callback records") {
		if e["pages_total"] != 45.0 {
			t.Errorf("pages_total %v, want 45", e["pages_total"])
		}
		read = append(read, e["pages_read"])
	}
	if fmt.Sprint(read) != "[20 40]" {
		t.Errorf("progress logged at pages %v, want [20 40]", read)
	}
	if all := logged(t, &logs, "read all callback records"); len(all) != 1 || all[0]["pages"] != 45.0 || all[0]["records"] != 450.0 {
		t.Errorf("logged %v; want one line: 450 records, 45 pages", all)
	}
}
