package bench

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/clock"
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// Contention is what many provider processes reading at once on one account
// look like to the API (issue 28): N clients, each a liveapi.Client of its
// own with a limiter of its own (as separate provider processes have: a CI
// matrix, Atlantis, terragrunt run-all), every one with the provider's
// defaults, each reading the same domain in full, against one emulator that
// accepts at most AccountQPS requests in any rolling second for the account.
type ContentionConfig struct {
	// Clients are the numbers of clients run at once, one row each
	// (nil: DefaultContentionClients).
	Clients []int
	// Records is what each client reads (0: ContentionRecords), at the
	// largest page size: Records/500 pages each.
	Records int
	// Latency is the emulator's delay before answering (0: DefaultLatency).
	Latency time.Duration
	// AccountQPS is the account's limit (0: liveapi.MaxAPIQPS, the API's 100).
	AccountQPS float64
	// MaxQPS and MaxRetries are the clients' max_qps and max_retries
	// (0: the provider's defaults; MaxRetries < 0: none).
	MaxQPS     float64
	MaxRetries int
	// GuardBand is the clients' guard band (liveapi.Config.GuardBand).
	GuardBand time.Duration
	// Seed seeds the emulator's data set.
	Seed int64
	// Progress, when set, receives a line before each row.
	Progress func(format string, args ...any)
}

// DefaultContentionClients are the rows of the contention benchmark.
var DefaultContentionClients = []int{1, 2, 3, 5, 10}

// ContentionRecords is what each client reads: the 40,000 records
// (keep_records = "none" in the provider; 80 pages).
const ContentionRecords = 40_000

// ReadTimeout is the deadline of every read of the contention benchmark: the
// provider's default timeouts.read.
const ReadTimeout = 5 * time.Minute

func (c ContentionConfig) withDefaults() ContentionConfig {
	if c.Clients == nil {
		c.Clients = DefaultContentionClients
	}
	if c.Records <= 0 {
		c.Records = ContentionRecords
	}
	if c.Latency == 0 {
		c.Latency = DefaultLatency
	}
	if c.AccountQPS <= 0 {
		c.AccountQPS = liveapi.MaxAPIQPS
	}
	if c.MaxQPS <= 0 {
		c.MaxQPS = liveapi.DefaultMaxQPS
	}
	switch {
	case c.MaxRetries == 0:
		c.MaxRetries = liveapi.DefaultMaxRetries
	case c.MaxRetries < 0:
		c.MaxRetries = 0
	}
	if c.Progress == nil {
		c.Progress = func(string, ...any) {}
	}
	return c
}

// ContentionRow is one run of N clients at once. The CLI harness
// (internal/planbench) fills the same row from N concurrent plans.
type ContentionRow struct {
	// Clients is N; Via says how they ran ("liveapi" or the CLI's name).
	Clients int
	Via     string
	// MaxQPS is every client's max_qps; AccountQPS the account's limit.
	MaxQPS, AccountQPS float64
	// Failed counts reads (or plans) that ended in an error; Err is the
	// first such error.
	Failed int
	Err    string
	// Requests is every request the API received, Throttled those it
	// refused with Throttling.User; MinCalls is what the reads needed at
	// the least (N x pages).
	Requests, Throttled int64
	MinCalls            int
	// Wall is from the start of the first read to the end of the last;
	// FirstDone is when the first one ended.
	Wall, FirstDone time.Duration
	// AccountFloor is MinCalls at AccountQPS: the least time the account's
	// quota lets the work take. ClientFloor is one client's least time at
	// its own max_qps (liveapi.Client.MinDuration of its pages): a lone
	// client's floor.
	AccountFloor, ClientFloor time.Duration
	// Peak is the most requests the API received within any rolling
	// second, refused ones included.
	Peak int
	// Stall is the longest time the measuring process went without running
	// a ready goroutine (clock.WatchStalls): a busy machine.
	Stall time.Duration
}

// ThrottledShare is Throttled over Requests.
func (r ContentionRow) ThrottledShare() float64 {
	return ratio(float64(r.Throttled), float64(r.Requests))
}

// AccountRatio is Wall over AccountFloor.
func (r ContentionRow) AccountRatio() float64 {
	return ratio(r.Wall.Seconds(), r.AccountFloor.Seconds())
}

// ClientRatio is Wall over ClientFloor.
func (r ContentionRow) ClientRatio() float64 { return ratio(r.Wall.Seconds(), r.ClientFloor.Seconds()) }

// AccountFloor is the least time calls requests take on an account that
// accepts qps a second: calls/qps.
func AccountFloor(calls int, qps float64) time.Duration {
	return time.Duration(float64(calls) / qps * float64(time.Second))
}

// RunContention measures one row per cfg.Clients against one emulator.
func RunContention(ctx context.Context, cfg ContentionConfig) ([]ContentionRow, error) {
	cfg = cfg.withDefaults()
	now := time.Now().UTC().Truncate(time.Second)
	cfg.Progress("contention: generating %d stream records", cfg.Records)
	emu := emulator.New(emulator.Options{
		Seed:    cfg.Seed,
		Now:     func() time.Time { return now },
		Domains: []emulator.DomainSpec{{Name: Domain, StreamRecords: cfg.Records}},
		Latency: cfg.Latency,
		MaxQPS:  cfg.AccountQPS,
	})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	var rows []ContentionRow
	for i, n := range cfg.Clients {
		if n < 1 {
			return nil, fmt.Errorf("%d clients", n)
		}
		// Every row starts with the account's quota unspent: a second after
		// the last row, none of its requests counts any more.
		if i > 0 {
			if err := clock.Sleep(ctx, time.Second); err != nil {
				return nil, err
			}
		}
		cfg.Progress("contention: %d clients at once, max_qps %g each, account limit %g", n, cfg.MaxQPS, cfg.AccountQPS)
		row, err := contend(ctx, cfg, emu, srv.URL, now, n)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// contend runs n clients at once, each reading the domain in full.
func contend(ctx context.Context, cfg ContentionConfig, emu *emulator.Server, srvURL string, now time.Time, n int) (ContentionRow, error) {
	clients := make([]*liveapi.Client, n)
	for i := range clients {
		ccfg, err := clientConfig(srvURL, fmt.Sprintf("terraform-provider-live/contention-%d", i+1))
		if err != nil {
			return ContentionRow{}, err
		}
		ccfg.MaxQPS, ccfg.MaxRetries, ccfg.GuardBand = cfg.MaxQPS, cfg.MaxRetries, cfg.GuardBand
		if clients[i], err = liveapi.New(ccfg); err != nil {
			return ContentionRow{}, err
		}
	}
	pages := minCalls(cfg.Records)
	row := ContentionRow{
		Clients: n, Via: "liveapi", MaxQPS: cfg.MaxQPS, AccountQPS: cfg.AccountQPS,
		MinCalls: n * pages, ClientFloor: clients[0].MinDuration(pages),
	}
	row.AccountFloor = AccountFloor(row.MinCalls, cfg.AccountQPS)
	reads := make([]func() error, n)
	for i, c := range clients {
		reads[i] = func() error {
			rctx, cancel := context.WithTimeout(ctx, ReadTimeout)
			defer cancel()
			res, err := liveapi.List(rctx, c, liveapi.StreamNotifyRecords, query(now))
			if err == nil && len(res.Records) != cfg.Records {
				err = fmt.Errorf("%d records of %d", len(res.Records), cfg.Records)
			}
			return err
		}
	}
	err := Contend(ctx, emu, &row, reads)
	return row, err
}

// Contend runs the reads at once against emu and fills row's measurements:
// wall time, when the first read ended, failures, the emulator's counts and
// peak, and the measuring process's longest stall. Both harnesses (liveapi
// clients here, CLI plans in internal/planbench) measure through it.
func Contend(ctx context.Context, emu *emulator.Server, row *ContentionRow, reads []func() error) error {
	emu.ResetStats()
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	stopWatch := clock.WatchStalls()
	start := time.Now()
	for _, read := range reads {
		wg.Go(func() {
			err := read()
			mu.Lock()
			defer mu.Unlock()
			if row.FirstDone == 0 {
				row.FirstDone = time.Since(start)
			}
			if err != nil {
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	row.Wall = time.Since(start)
	row.Stall = stopWatch()
	if err := ctx.Err(); err != nil {
		return err
	}
	st := emu.Stats()
	row.Requests, row.Throttled, row.Peak = st.Requests, st.Throttled, emu.PeakRequestsPerSecond()
	row.Failed = len(errs)
	if len(errs) > 0 {
		row.Err = errs[0].Error()
	}
	return nil
}

// The contention goals of issue 28, judged on the rows with at least
// ContentionJudgedFrom clients (5 and 10 in the default rows): every read
// completes, at most MaxThrottledShare of the requests are refused, and the
// work takes at most MaxAccountRatio times the account's floor. A lone
// client is judged on its own: nothing throttled, and at its floor.
const (
	ContentionJudgedFrom = 5
	MaxThrottledShare    = 0.10
	MaxAccountRatio      = 1.3
)

func (r ContentionRow) name() string { return fmt.Sprintf("%s N=%d", r.Via, r.Clients) }

// ContentionGoals judges the rows (see the constants above).
func ContentionGoals(rows []ContentionRow) []Goal {
	var (
		failed, throttled, wall, alone []string
		nThrottled, nWall, nAlone      int
		wallLeft, aloneLeft            []string
	)
	for _, r := range rows {
		if r.Failed > 0 {
			failed = append(failed, fmt.Sprintf("%s: %d of %d failed (%s)", r.name(), r.Failed, r.Clients, r.Err))
		}
		disturbed := r.Stall > MaxJudgedStall // the wall says more about the machine: SKIP
		stalled := fmt.Sprintf("%s (stalled %s)", r.name(), r.Stall.Round(time.Millisecond))
		switch {
		case r.Clients == 1:
			nAlone++
			if r.Throttled > 0 {
				alone = append(alone, fmt.Sprintf("%s: %d throttled", r.name(), r.Throttled))
			}
			switch {
			case disturbed:
				aloneLeft = append(aloneLeft, stalled)
			case r.ClientRatio() > MaxWallRatio:
				alone = append(alone, fmt.Sprintf("%s: wall %s is %.2fx its floor %s", r.name(), r.Wall.Round(time.Millisecond), r.ClientRatio(), r.ClientFloor.Round(time.Millisecond)))
			}
		case r.Clients >= ContentionJudgedFrom:
			nThrottled++
			if r.ThrottledShare() > MaxThrottledShare {
				throttled = append(throttled, fmt.Sprintf("%s: %d of %d throttled (%.0f%%)", r.name(), r.Throttled, r.Requests, 100*r.ThrottledShare()))
			}
			nWall++
			switch {
			case r.Failed > 0:
				wall = append(wall, fmt.Sprintf("%s: %d reads failed, so the work was not done", r.name(), r.Failed))
			case disturbed:
				wallLeft = append(wallLeft, stalled)
			case r.AccountRatio() > MaxAccountRatio:
				wall = append(wall, fmt.Sprintf("%s: wall %s is %.2fx the account floor %s", r.name(), r.Wall.Round(time.Millisecond), r.AccountRatio(), r.AccountFloor.Round(time.Millisecond)))
			}
		}
	}
	return []Goal{
		judge(Goal{Name: "no read fails under contention (every N)"}, len(rows), failed, nil,
			fmt.Sprintf("%d rows, every read complete", len(rows))),
		judge(Goal{Name: fmt.Sprintf("throttled share <= %.0f%% with %d or more clients at once", 100*MaxThrottledShare, ContentionJudgedFrom)},
			nThrottled, throttled, nil, fmt.Sprintf("%d rows judged", nThrottled)),
		judge(Goal{Name: fmt.Sprintf("wall <= %.1fx the account floor with %d or more clients at once", MaxAccountRatio, ContentionJudgedFrom)},
			nWall, wall, wallLeft, fmt.Sprintf("%d rows judged", nWall)),
		judge(Goal{Name: fmt.Sprintf("a lone client: nothing throttled, wall <= %.2fx its floor", MaxWallRatio)},
			nAlone, alone, aloneLeft, fmt.Sprintf("%d rows judged", nAlone)),
	}
}

// WriteContention prints the rows as the table, then the goals with
// a PASS, FAIL or SKIP line each, and returns how many goals failed.
func WriteContention(w io.Writer, rows []ContentionRow) int {
	if len(rows) > 0 {
		r := rows[0]
		fmt.Fprintf(w, "Contention: N clients at once through %s, each with max_qps %g and a limiter of its own, reading the same %d-page domain in full;\n",
			r.Via, r.MaxQPS, r.MinCalls/max(r.Clients, 1))
		fmt.Fprintf(w, "the account accepts %g requests in any rolling second. account floor = N x pages / %g per second; client floor = one client's least time at its max_qps;\n", r.AccountQPS, r.AccountQPS)
		fmt.Fprintln(w, "peak/s = most requests the API received within any rolling second, refused ones included; stall = longest the measuring process went without running a ready goroutine")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "N\tfailed\trequests\tthrottled\tshare\twall\tfirst done\taccount floor\twall/account\tclient floor\twall/client\tpeak/s\tstall\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%d of %d\t%d\t%d\t%.0f%%\t%.2fs\t%.2fs\t%.2fs\t%.2fx\t%.2fs\t%.2fx\t%d\t%s\t\n",
			r.Clients, r.Failed, r.Clients, r.Requests, r.Throttled, 100*r.ThrottledShare(), r.Wall.Seconds(), r.FirstDone.Seconds(),
			r.AccountFloor.Seconds(), r.AccountRatio(), r.ClientFloor.Seconds(), r.ClientRatio(), r.Peak, r.Stall.Round(time.Millisecond))
	}
	_ = tw.Flush()
	for _, r := range rows {
		if r.Err != "" {
			fmt.Fprintf(w, "N=%d, first error: %s\n", r.Clients, r.Err)
		}
	}
	fmt.Fprintln(w, "\nContention goals")
	return WriteGoals(w, ContentionGoals(rows))
}

// WriteGoals prints one PASS, FAIL or SKIP line per goal, with its detail,
// and returns how many failed.
func WriteGoals(w io.Writer, goals []Goal) int {
	for _, g := range goals {
		verdict := "PASS"
		switch {
		case !g.Pass:
			verdict = "FAIL"
		case g.Skipped:
			verdict = "SKIP"
		}
		fmt.Fprintf(w, "  %s  %s\n        %s\n", verdict, g.Name, g.Detail)
	}
	return Failed(goals)
}
