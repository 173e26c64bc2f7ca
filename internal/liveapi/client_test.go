package liveapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
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
		if !errors.As(err, &malformed) || !classify(op.Action, err).Retryable {
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
