package planbench

// The floor a plan's provider CPU is judged against at scale: decoding the
// pages alone, as the client decodes them, without the HTTP, the signing,
// the summary or the framework. And whether the emulator serves the run's
// pages fast enough not to be what the plan waits for.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// Floor is the decoding floor of a run's records, and what the emulator
// costs to serve them.
type Floor struct {
	Records, Pages int
	// Generate is how long the emulator took to generate the domain's week.
	Generate time.Duration
	// PageServe is the emulator's mean time to serve one page (500
	// records), one request at a time: a plan at max_qps asks for a page
	// every 1/max_qps.
	PageServe time.Duration
	// CPU and Wall are decoding every page, one after the other, with
	// encoding/json into the client's page envelope and one reused page
	// buffer (liveapi.DecodePage): the process's user+system time, GC
	// included, and the elapsed time.
	CPU, Wall time.Duration
}

// MeasureFloor measures the decoding floor of cfg's records: it captures
// every page of the week a plan of cfg reads (the same emulator data set,
// the same window and page size) into a file, lets the emulator go, and
// decodes the pages one by one in a process whose heap is then as small as
// the provider's.
func MeasureFloor(ctx context.Context, cfg Config) (Floor, error) {
	pages, err := os.CreateTemp("", "planbench-pages")
	if err != nil {
		return Floor{}, err
	}
	defer os.Remove(pages.Name())
	defer pages.Close()
	f, offsets, err := capturePages(ctx, &cfg, pages)
	if err != nil {
		return f, err
	}
	runtime.GC()
	runtime.GC()
	switch cfg.DataSource {
	case DataSourceRecord:
		f.Records, f.CPU, f.Wall, err = decodeAll(liveapi.RecordNotifyRecords, pages, offsets)
	default:
		f.Records, f.CPU, f.Wall, err = decodeAll(liveapi.StreamNotifyRecords, pages, offsets)
	}
	return f, err
}

// capturePages reads the week of cfg's domain from a new emulator and
// writes each page's body to out, in page order; offsets[p-1] and
// offsets[p] bound page p.
func capturePages(ctx context.Context, cfg *Config, out *os.File) (Floor, []int64, error) {
	var f Floor
	started := time.Now()
	emu, err := newEmulator(cfg, 0)
	if err != nil {
		return f, nil, err
	}
	f.Generate = time.Since(started)
	var (
		mu     sync.Mutex
		bodies = map[int][]byte{}
		served time.Duration
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		start := time.Now()
		emu.ServeHTTP(rec, r)
		took := time.Since(start)
		page, _ := strconv.Atoi(r.URL.Query().Get("PageNumber"))
		mu.Lock()
		bodies[page], served = rec.Body.Bytes(), served+took
		mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	defer srv.Close()
	ep, err := liveapi.ParseEndpoint(srv.URL)
	if err != nil {
		return f, nil, err
	}
	credential, _, err := liveapi.NewCredential(liveapi.CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret})
	if err != nil {
		return f, nil, err
	}
	client, err := liveapi.New(liveapi.Config{Endpoint: &ep, Credential: credential, MaxQPS: 1e6, Concurrency: 1})
	if err != nil {
		return f, nil, err
	}
	end := time.Now().UTC().Truncate(time.Second)
	q := liveapi.Query{DomainName: domain, StartTime: end.Add(-liveapi.MaxLookback), EndTime: end}
	var total int
	switch cfg.DataSource {
	case DataSourceRecord:
		total, err = readPages(ctx, client, liveapi.RecordNotifyRecords, q)
	default:
		total, err = readPages(ctx, client, liveapi.StreamNotifyRecords, q)
	}
	if err != nil {
		return f, nil, fmt.Errorf("capturing the pages: %w", err)
	}
	if len(bodies) != total {
		return f, nil, fmt.Errorf("captured %d pages of %d", len(bodies), total)
	}
	f.Pages = total
	if total > 0 {
		f.PageServe = served / time.Duration(total)
	}
	offsets := []int64{0}
	for page := 1; page <= total; page++ {
		if _, err := out.Write(bodies[page]); err != nil {
			return f, nil, err
		}
		offsets = append(offsets, offsets[page-1]+int64(len(bodies[page])))
		delete(bodies, page)
	}
	return f, offsets, nil
}

// readPages reads q through client, keeping nothing, and returns its
// number of pages.
func readPages[T any](ctx context.Context, client *liveapi.Client, op liveapi.Operation[T], q liveapi.Query) (int, error) {
	res, err := liveapi.Read(ctx, client, op, q, discard[T]{})
	if err != nil {
		return 0, err
	}
	return res.TotalPage, nil
}

// decodeAll decodes every page of in (bounded by offsets) into one reused
// page buffer and returns the records decoded and the CPU and time the
// decoding alone took (reading the file is left out).
func decodeAll[T any](op liveapi.Operation[T], in *os.File, offsets []int64) (int, time.Duration, time.Duration, error) {
	buf := make([]T, 0, liveapi.MaxPageSize)
	var (
		body      []byte
		records   int
		cpu, wall time.Duration
	)
	for page := 1; page < len(offsets); page++ {
		n := int(offsets[page] - offsets[page-1])
		body = slices.Grow(body[:0], n)[:n]
		if _, err := in.ReadAt(body, offsets[page-1]); err != nil {
			return 0, 0, 0, err
		}
		cpu0, start := processCPUSelf(), time.Now()
		recs, err := liveapi.DecodePage(op, body, buf)
		wall += time.Since(start)
		cpu += processCPUSelf() - cpu0
		if err != nil {
			return 0, 0, 0, fmt.Errorf("page %d: %w", page, err)
		}
		records += len(recs)
	}
	return records, cpu, wall, nil
}

// discard is a liveapi.Sink that keeps nothing.
type discard[T any] struct{}

func (discard[T]) Start(int)          {}
func (discard[T]) Add(int, []T) error { return nil }

// processCPUSelf is this process's user+system time so far.
func processCPUSelf() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Goals at scale (issue 25), for a run measured against its floor: at
// 1,000,000 records, keeping none or the newest 100 costs the provider at
// most 100 MB and 1.5 times the CPU of decoding the pages alone.
const (
	MaxScalePeakRSS = 100 << 20
	MaxFloorRatio   = 1.5
)

// scaleModes are the modes the scale goals judge: those whose memory does
// not grow with the records kept.
var scaleModes = []string{"none", "max100"}

// ScaleGoals judges a run against its floor: the provider's peak RSS and
// its CPU over the floor for each of scaleModes, and the emulator's cost
// per page against the plan's rate (at most half of the time a page has at
// max_qps, so that the emulator is never what the plan waits for).
func ScaleGoals(rows []Row, f Floor, maxQPS float64) []Goal {
	var goals []Goal
	budget := time.Duration(float64(time.Second) / maxQPS / 2)
	goals = append(goals, Goal{
		Name:   fmt.Sprintf("emulator serves a page in <= %s (half of 1/max_qps)", budget),
		Pass:   f.PageServe <= budget,
		Detail: fmt.Sprintf("%s a page over %d pages; the week generated in %s", f.PageServe.Round(10*time.Microsecond), f.Pages, f.Generate.Round(time.Millisecond)),
	})
	byName := map[string]Row{}
	for _, r := range rows {
		byName[r.Mode.Name] = r
	}
	for _, name := range scaleModes {
		r, ok := byName[name]
		if !ok {
			continue
		}
		goals = append(goals, Goal{
			Name:   fmt.Sprintf("provider peak RSS <= %d MB (%s)", MaxScalePeakRSS>>20, name),
			Pass:   r.ProviderPeakRSS <= MaxScalePeakRSS,
			Detail: fmt.Sprintf("%.0f MB", float64(r.ProviderPeakRSS)/(1<<20)),
		}, Goal{
			Name:   fmt.Sprintf("provider CPU <= %.1fx the decoding floor (%s)", MaxFloorRatio, name),
			Pass:   f.CPU > 0 && r.ProviderCPU.Seconds() <= MaxFloorRatio*f.CPU.Seconds(),
			Detail: fmt.Sprintf("%.2fs / %.2fs = %.2fx", r.ProviderCPU.Seconds(), f.CPU.Seconds(), r.ProviderCPU.Seconds()/f.CPU.Seconds()),
		})
	}
	return goals
}
