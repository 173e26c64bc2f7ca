package liveapi

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// shiftedClock is the real clock moved on by what a test adds, and by every
// sleep on it, which returns at once. The client, its limiter and the
// emulator (its data set, its 7 days and its quota) all read it, so that a
// page can "take" ten seconds, a read stall for minutes or wait out a
// throttle, as the API would see it, without the test waiting. It is exact
// while one goroutine at a time sleeps on it: two that would wait side by
// side would add their waits up, so its clients send one request at a time.
type shiftedClock struct{ by atomic.Int64 }

func (s *shiftedClock) now() time.Time      { return time.Now().Add(time.Duration(s.by.Load())) }
func (s *shiftedClock) add(d time.Duration) { s.by.Add(int64(max(d, 0))) }

func (s *shiftedClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.add(d)
	return nil
}

// newShiftedClient is newTestClient on a shifted clock, with one request in
// flight at a time: the emulator's clocks, the client's and its limiter's
// are clk's, and served (nil: none)
// is called after the emulator answered each request, before the client
// has the answer, with the request's PageNumber and how many requests came
// before it.
func newShiftedClient(t *testing.T, opts emulator.Options, cfg Config, served func(page string, n int64)) (*Client, *emulator.Server, *shiftedClock) {
	t.Helper()
	clk := &shiftedClock{}
	opts.Now, opts.RequestClock, opts.NoCaseDomains = clk.now, clk.now, true
	emu := emulator.New(opts)
	var requests atomic.Int64
	ep := serveThrough(t, emu, func(r *http.Request, body []byte) []byte {
		if n := requests.Add(1) - 1; served != nil {
			served(r.URL.Query().Get("PageNumber"), n)
		}
		return body
	})
	cfg.Endpoint, cfg.Concurrency = &ep, 1
	if cfg.MaxQPS == 0 {
		cfg.MaxQPS = 1000
	}
	if cfg.RetryBaseDelay == 0 {
		cfg.RetryBaseDelay = time.Millisecond
	}
	cfg.Credential = mustCredential(t, CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret})
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.now, c.sleep, c.limiter.now, c.limiter.sleep = clk.now, clk.sleep, clk.now, clk.sleep
	return c, emu, clk
}

// serveThrough serves emu on a test server and returns its endpoint: each
// answer of the emulator goes to answer with its request, and the body
// answer returns is what the client receives, under the emulator's status
// and headers.
func serveThrough(tb testing.TB, emu http.Handler, answer func(r *http.Request, body []byte) []byte) Endpoint {
	tb.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		emu.ServeHTTP(rec, r)
		body := answer(r, rec.Body.Bytes())
		for k, v := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}))
	tb.Cleanup(srv.Close)
	ep, err := ParseEndpoint(srv.URL)
	if err != nil {
		tb.Fatal(err)
	}
	return ep
}

// logged is the lines a logger of tflogtest wrote to logs with the message
// msg, as decoded JSON.
func logged(t *testing.T, logs *bytes.Buffer, msg string) []map[string]any {
	t.Helper()
	entries, err := tflogtest.MultilineJSONDecode(bytes.NewReader(logs.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, e := range entries {
		if e["@message"] == msg {
			out = append(out, e)
		}
	}
	return out
}
