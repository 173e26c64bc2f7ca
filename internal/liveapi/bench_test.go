package liveapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

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

// BenchmarkDecodePage turns one captured 500-record page body into records
// the way callOnce and fetchPage do for a page after the first: io.ReadAll of
// the body, then decodeBody into an envelope whose list is the page's window
// of the final slice. "-decode-only" leaves out the io.ReadAll, to show what
// the body buffer costs.
func BenchmarkDecodePage(b *testing.B) {
	stream, record := capturePages(b)
	b.Run("stream", func(b *testing.B) { benchDecode(b, StreamNotifyRecords, stream, true) })
	b.Run("record", func(b *testing.B) { benchDecode(b, RecordNotifyRecords, record, true) })
	b.Run("stream-decode-only", func(b *testing.B) { benchDecode(b, StreamNotifyRecords, stream, false) })
}

func benchDecode[T any](b *testing.B, op Operation[T], body []byte, readAll bool) {
	window := make([]T, MaxPageSize)
	b.SetBytes(int64(len(body)))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		data := body
		if readAll {
			var err error
			if data, err = io.ReadAll(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
		env := &pageEnvelope[T]{}
		clear(window[:cap(window)])
		*op.items(env) = window[:0]
		if err := decodeBody(data, env); err != nil {
			b.Fatal(err)
		}
		if got := len(*op.items(env)); got != MaxPageSize {
			b.Fatalf("%d records, want %d", got, MaxPageSize)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(MaxPageSize, "records/op")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N*MaxPageSize), "allocs/record")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N*MaxPageSize), "B/record")
}

// capturePages fetches page 2 (500 records) of each action through the
// client and returns the bodies exactly as the emulator sent them.
func capturePages(b *testing.B) (stream, record []byte) {
	b.Helper()
	opts, now := benchOptions("bench.example.com", 2*MaxPageSize)
	emu := emulator.New(opts)
	bodies := make(map[string][]byte)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		emu.ServeHTTP(rec, r)
		bodies[r.Header.Get("x-acs-action")] = rec.Body.Bytes()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	b.Cleanup(srv.Close)
	ep, err := ParseEndpoint(srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	cred, _, err := NewCredential(CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret})
	if err != nil {
		b.Fatal(err)
	}
	c, err := New(Config{Endpoint: &ep, Credential: cred, MaxQPS: 1000, Concurrency: 1})
	if err != nil {
		b.Fatal(err)
	}
	q := streamQuery("bench.example.com", now)
	q.PageNumber, q.PageSize = 2, MaxPageSize
	if res, err := List(context.Background(), c, StreamNotifyRecords, q); err != nil || len(res.Records) != MaxPageSize {
		b.Fatalf("stream page: %v", err)
	}
	if res, err := List(context.Background(), c, RecordNotifyRecords, q); err != nil || len(res.Records) != MaxPageSize {
		b.Fatalf("record page: %v", err)
	}
	return bodies[StreamNotifyRecords.Action], bodies[RecordNotifyRecords.Action]
}

// BenchmarkListTies is a full read of 20,000 records crowded into seconds of
// up to 60 (emulator.BurstStreamRecords), 40 pages of 500, with the API's
// tie order stable or shuffled on every request: what settling the ties at
// page boundaries costs. extra-calls/op are the calls beyond the 40 pages.
func BenchmarkListTies(b *testing.B) {
	const n = 20_000
	for _, shuffle := range []bool{false, true} {
		b.Run(map[bool]string{false: "stable", true: "shuffled"}[shuffle], func(b *testing.B) {
			now := time.Now().UTC().Truncate(time.Second)
			c, emu := newTestClient(b, emulator.Options{Now: func() time.Time { return now }, ShuffleTies: shuffle,
				Domains: []emulator.DomainSpec{}}, Config{MaxQPS: 1e6})
			emu.AddStreamRecords(emulator.BurstStreamRecords("ties.example.com", now, n, 60)...)
			q := Query{DomainName: "ties.example.com", StartTime: now.Add(-time.Hour), EndTime: now}
			var calls, rereads int
			for b.Loop() {
				res, err := List(context.Background(), c, StreamNotifyRecords, q)
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Records) != n {
					b.Fatalf("%d records, want %d", len(res.Records), n)
				}
				calls += res.Calls
				rereads += res.Rereads
			}
			b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
			b.ReportMetric(float64(calls-b.N*n/MaxPageSize)/float64(b.N), "extra-calls/op")
			b.ReportMetric(float64(rereads)/float64(b.N), "seconds-reread/op")
		})
	}
}
