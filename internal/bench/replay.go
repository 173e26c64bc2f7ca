package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// clientAlloc captures the pages of one full read of src from the emulator,
// then replays them from a bare server and measures the client's allocations.
func clientAlloc(ctx context.Context, cfg Config, now time.Time, size int, src Source, emuURL string, rec *recorder) (ClientAlloc, error) {
	cfg.Progress("size %d: %s read, capturing pages for the client-only allocation figures", size, src)
	capture, err := newClient(emuURL, 1e6, 50, 0)
	if err != nil {
		return ClientAlloc{}, err
	}
	rec.start()
	_, err = measuredRead(ctx, capture, src, query(now))
	pages := rec.stop()
	if err != nil {
		return ClientAlloc{}, fmt.Errorf("size %d, %s read, capturing pages: %w", size, src, err)
	}
	replay := httptest.NewServer(pages)
	defer replay.Close()
	// Whatever still points at the handler once this returns (goroutines of
	// closing connections), the bodies must not outlive the measurement, or
	// the next read's "heap before" would include them.
	defer clear(pages)
	c, err := newClient(replay.URL, 1e6, cfg.Concurrency, 0)
	if err != nil {
		return ClientAlloc{}, err
	}
	// The first read opens the connections; the second is measured.
	if _, err := measuredRead(ctx, c, src, query(now)); err != nil {
		return ClientAlloc{}, fmt.Errorf("size %d, %s read, replay: %w", size, src, err)
	}
	r, err := measuredRead(ctx, c, src, query(now))
	if err != nil {
		return ClientAlloc{}, fmt.Errorf("size %d, %s read, replay: %w", size, src, err)
	}
	if r.Records != size {
		return ClientAlloc{}, fmt.Errorf("size %d, %s read, replay: %d records", size, src, r.Records)
	}
	n := float64(max(size, 1))
	return ClientAlloc{
		Size: size, Source: src, Calls: r.Calls,
		AllocsPerRecord:    r.AllocsPerRecord / n,
		BytesPerRecord:     r.BytesPerRecord / n,
		BodyBytesPerRecord: float64(pages.bodyBytes()) / n,
	}, nil
}

// recorder stores the emulator's successful page bodies while capturing.
type recorder struct {
	on    atomic.Bool
	mu    sync.Mutex
	pages map[pageKey]storedPage
}

type pageKey struct{ action, pageNumber, pageSize string }

type storedPage struct {
	requestID string
	body      []byte
}

func (rec *recorder) start() {
	rec.mu.Lock()
	rec.pages = make(map[pageKey]storedPage)
	rec.mu.Unlock()
	rec.on.Store(true)
}

func (rec *recorder) stop() replayer {
	rec.on.Store(false)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	pages := rec.pages
	rec.pages = make(map[pageKey]storedPage)
	return replayer(pages)
}

func keyOf(r *http.Request) pageKey {
	q := r.URL.Query()
	return pageKey{r.Header.Get("x-acs-action"), q.Get("PageNumber"), q.Get("PageSize")}
}

func (rec *recorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !rec.on.Load() {
			h.ServeHTTP(w, r)
			return
		}
		cw := &captureWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(cw, r)
		if cw.status == http.StatusOK {
			rec.mu.Lock()
			rec.pages[keyOf(r)] = storedPage{requestID: w.Header().Get("X-Acs-Request-Id"), body: cw.body.Bytes()}
			rec.mu.Unlock()
		}
	})
}

type captureWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *captureWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *captureWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *captureWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// replayer answers every request with the stored body of its page, without
// checking the signature: a server that costs next to nothing.
type replayer map[pageKey]storedPage

func (p replayer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	page, ok := p[keyOf(r)]
	if !ok {
		http.Error(w, `{"Code":"InvalidParameter","Message":"page not captured"}`, http.StatusBadRequest)
		return
	}
	h := w.Header()
	h["Content-Type"] = []string{"application/json;charset=utf-8"}
	h["Content-Length"] = []string{strconv.Itoa(len(page.body))}
	h["X-Acs-Request-Id"] = []string{page.requestID}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(page.body)
}

func (p replayer) bodyBytes() int64 {
	var n int64
	for _, page := range p {
		n += int64(len(page.body))
	}
	return n
}
