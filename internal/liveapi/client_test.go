package liveapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/tlstest"
)

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
	ep := serveThrough(b, emu, func(r *http.Request, body []byte) []byte {
		bodies[r.Header.Get("x-acs-action")] = body
		return body
	})
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

// FuzzDecodePage feeds arbitrary bodies to both actions' page decoders,
// decoding in place into a window of a larger slice as List does. It must
// never panic, never write outside its window, and report every undecodable
// body as a retryable malformed body.
func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(`{"NotifyRecordsInfo":{"LiveStreamNotifyRecordsInfo":[{"AppName":"app","NotifyContent":"{\\\"action\\\":\\\"publish_done\\\"}","NotifyTime":"2022-10-19T19:09:28Z"}]},"PageNum":1,"PageSize":20,"RequestId":"F675E4B4","TotalNum":1,"TotalPage":1}`))
	f.Add([]byte(`{"CallbackList":[{"AppName":"liveApp****","NotifyContent":"7月26日 16:14{\"domain\":\"al.xxxx.com\"}"}],"Code":0,"Msg":"ok","TotalNum":20}`))
	f.Add([]byte(`{"NotifyRecordsInfo":{"LiveStreamNotifyRecordsInfo":[{"AppName":"a"},{"AppName":"b"},{"AppName":"c"}]}}`))
	f.Add([]byte(`{"NotifyRecordsInfo":{"LiveStreamNotifyRecordsInfo":[{"AppName":"trunc`))
	f.Add([]byte(`<html>502 Bad Gateway</html>`))
	f.Add([]byte(`{"TotalNum":"20"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkDecodeInPlace(t, StreamNotifyRecords, body, StreamNotifyRecord{CallbackCommon: CallbackCommon{AppName: "sentinel"}})
		checkDecodeInPlace(t, RecordNotifyRecords, body, RecordCallback{CallbackCommon: CallbackCommon{AppName: "sentinel"}})
	})
}

// checkDecodeInPlace decodes body into a two-record window of a six-record
// slice whose other slots hold sentinel, as List does with a page.
func checkDecodeInPlace[T comparable](t *testing.T, op Operation[T], body []byte, sentinel T) {
	t.Helper()
	records := make([]T, 6)
	records[0], records[3], records[4], records[5] = sentinel, sentinel, sentinel, sentinel
	window := records[1:1:3]
	env := &pageEnvelope[T]{}
	*op.items(env) = window
	err := decodeBody(body, env)
	if err != nil {
		var malformed *malformedBodyError
		if !errors.As(err, &malformed) || !classify(op.Action, err).Retryable() {
			t.Fatalf("%s: decode error %v is not a retryable malformed body", op.Action, err)
		}
	}
	for _, i := range []int{0, 3, 4, 5} {
		if records[i] != sentinel {
			t.Fatalf("%s: decoding wrote outside its window at %d: %+v", op.Action, i, records[i])
		}
	}
	if got := *op.items(env); err == nil && len(got) <= 2 && len(got) > 0 && &got[0] != &records[1] {
		t.Fatalf("%s: a page that fits its window was not decoded in place", op.Action)
	}
}

// TestPermanentFailuresFailOnTheFirstAttempt reads through a client with
// five retries: a certificate this machine does not trust, a host that does
// not exist and missing credentials fail on the first attempt, with their
// class; a refused connection and a temporary DNS failure are retried.
func TestPermanentFailuresFailOnTheFirstAttempt(t *testing.T) {
	isolate(t, "")
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	emu := emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}, NoCaseDomains: true}) // the fixtures only
	ca, err := tlstest.NewCA("untrusted CA")
	if err != nil {
		t.Fatal(err)
	}
	var connections atomic.Int64
	tlsSrv := httptest.NewUnstartedServer(emu)
	if tlsSrv.TLS, err = ca.ServerConfig(tlstest.LocalHosts...); err != nil {
		t.Fatal(err)
	}
	tlsSrv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			connections.Add(1)
		}
	}
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // The refused handshakes are the point.
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	closed := httptest.NewServer(emu)
	closed.Close() // Its port now refuses connections.

	keys, _, err := NewCredential(CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret})
	if err != nil {
		t.Fatal(err)
	}
	chain, _, err := NewCredential(CredentialConfig{}) // Nothing for the default chain to find.
	if err != nil {
		t.Fatal(err)
	}
	var dials atomic.Int64
	dnsSays := func(notFound bool) func(context.Context, string, string) (net.Conn, error) {
		return func(_ context.Context, _, address string) (net.Conn, error) {
			dials.Add(1)
			host, _, _ := net.SplitHostPort(address)
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: notFound, IsTemporary: !notFound}}
		}
	}
	const retries = 5
	for _, c := range []struct {
		name     string
		endpoint string
		cred     credentials.Credential
		dial     func(context.Context, string, string) (net.Conn, error)
		class    Class
		attempts int
		counter  *atomic.Int64 // what saw each attempt
	}{
		{name: "private CA", endpoint: tlsSrv.URL, cred: keys, class: ClassCertificate, attempts: 1, counter: &connections},
		{name: "unknown host", endpoint: "https://live.mars-1.aliyuncs.com", cred: keys, dial: dnsSays(true), class: ClassUnknownHost, attempts: 1, counter: &dials},
		{name: "no credentials", endpoint: tlsSrv.URL, cred: chain, class: ClassCredentials, attempts: 1, counter: &connections},
		{name: "refused", endpoint: closed.URL, cred: keys, class: ClassNetwork, attempts: retries + 1},
		{name: "temporary DNS failure", endpoint: "https://live.aliyuncs.com", cred: keys, dial: dnsSays(false), class: ClassNetwork, attempts: retries + 1, counter: &dials},
	} {
		t.Run(c.name, func(t *testing.T) {
			connections.Store(0)
			dials.Store(0)
			ep, err := ParseEndpoint(c.endpoint)
			if err != nil {
				t.Fatal(err)
			}
			client, err := New(Config{Endpoint: &ep, Credential: c.cred, MaxRetries: retries, RetryBaseDelay: time.Millisecond, DialContext: c.dial})
			if err != nil {
				t.Fatal(err)
			}
			_, err = List(context.Background(), client, StreamNotifyRecords, Query{DomainName: emulator.FixtureStreamDomain, StartTime: time.Now().Add(-time.Hour), EndTime: time.Now()})
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Class != c.class || apiErr.Attempts != c.attempts {
				t.Fatalf("got %v (%+v), want class %s after %d attempts", err, apiErr, c.class, c.attempts)
			}
			if c.counter != nil && c.name != "no credentials" && c.counter.Load() != int64(c.attempts) {
				t.Errorf("%d requests left, want %d", c.counter.Load(), c.attempts)
			}
			if c.name == "no credentials" && c.counter.Load() != 0 {
				t.Errorf("a request left without credentials")
			}
		})
	}
}

// TestBodyRoom: a body's buffer is made once, one byte beyond its
// Content-Length, for any plausible length.
func TestBodyRoom(t *testing.T) {
	for in, want := range map[string]int{"300000": 300001, "1": 2, "67108863": 67108864, "67108864": 0, "0": 0, "-5": 0, "": 0, "3e5": 0} {
		if got := bodyRoom(in); got != want {
			t.Errorf("bodyRoom(%q) = %d, want %d", in, got, want)
		}
	}
}
