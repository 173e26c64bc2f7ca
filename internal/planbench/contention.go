package planbench

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/bench"
	"github.com/callbackwatch/terraform-provider-live/internal/clock"
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// ContentionConfig is the contention benchmark through the CLI (issue 28):
// for each N, N plans at once, each with a provider process of its own (so
// a limiter of its own) at the provider's defaults unless MaxQPS is set,
// each reading the same domain's week with keep_records = "none", against
// one emulator that accepts AccountQPS requests in any rolling second for
// the account. The rows are bench.ContentionRows, printed and judged as the
// in-process benchmark's are.
type ContentionConfig struct {
	// CLI is the tofu or terraform binary; Provider the provider binary.
	CLI, Provider string
	// Clients are the numbers of plans at once (nil: bench.DefaultContentionClients).
	Clients []int
	// Records is the domain's week (0: bench.ContentionRecords).
	Records int
	// Latency is the emulator's latency (0: bench.DefaultLatency).
	Latency time.Duration
	// AccountQPS is the account's limit (0: the API's 100).
	AccountQPS float64
	// MaxQPS is every provider's max_qps (0: not set, the default).
	MaxQPS float64
	// Log receives progress lines.
	Log func(format string, args ...any)
}

// RunContention measures one row per cfg.Clients.
func RunContention(ctx context.Context, cfg ContentionConfig) ([]bench.ContentionRow, error) {
	if cfg.Clients == nil {
		cfg.Clients = bench.DefaultContentionClients
	}
	if cfg.Records <= 0 {
		cfg.Records = bench.ContentionRecords
	}
	if cfg.Latency == 0 {
		cfg.Latency = bench.DefaultLatency
	}
	if cfg.AccountQPS <= 0 {
		cfg.AccountQPS = liveapi.MaxAPIQPS
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	const domain = "busy.example.com"
	emu := emulator.New(emulator.Options{Seed: 1, Latency: cfg.Latency, MaxQPS: cfg.AccountQPS,
		Domains: []emulator.DomainSpec{{Name: domain, StreamRecords: cfg.Records}}})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	plan := Config{CLI: cfg.CLI, Provider: cfg.Provider, DataSource: DataSourceStream, MaxQPS: cfg.MaxQPS}
	maxQPS := cfg.MaxQPS
	if maxQPS == 0 {
		maxQPS = liveapi.DefaultMaxQPS
	}
	pages := (cfg.Records + liveapi.MaxPageSize - 1) / liveapi.MaxPageSize
	var rows []bench.ContentionRow
	for _, n := range cfg.Clients {
		if n < 1 {
			return rows, fmt.Errorf("%d plans", n)
		}
		cfg.Log("contention: %d plans at once through %s", n, cfg.CLI)
		row := bench.ContentionRow{Clients: n, Via: filepath.Base(cfg.CLI), MaxQPS: maxQPS, AccountQPS: cfg.AccountQPS,
			MinCalls: n * pages, ClientFloor: liveapi.NewLimiter(maxQPS).MinDuration(pages)}
		row.AccountFloor = bench.AccountFloor(row.MinCalls, cfg.AccountQPS)
		if err := contend(ctx, plan, srv.URL, domain, emu, &row); err != nil {
			return rows, fmt.Errorf("%d plans: %w", n, err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// contend prepares row.Clients workspaces (init included), then plans them
// all at once and fills row.
func contend(ctx context.Context, cfg Config, endpoint, domain string, emu *emulator.Server, row *bench.ContentionRow) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wss []*workspace
	defer func() {
		cancel()
		for _, ws := range wss {
			ws.close()
		}
	}()
	for range row.Clients {
		ws, err := newWorkspace(ctx, cfg, endpoint, domain, `  keep_records = "none"`)
		if err != nil {
			return err
		}
		wss = append(wss, ws)
	}
	// Every row starts with the account's quota unspent: a second after
	// init, none of the requests before counts any more.
	if err := clock.Sleep(ctx, time.Second); err != nil {
		return err
	}
	plans := make([]func() error, len(wss))
	for i, ws := range wss {
		plans[i] = func() error {
			if out, _, _, err := ws.run("plan", "-no-color", "-input=false"); err != nil {
				return errors.New(firstError(out))
			}
			return nil
		}
	}
	return bench.Contend(ctx, emu, row, plans)
}

// firstError is a failed plan's first diagnostic: its "Error: " summary and
// the first line of its detail (after the lines that point at the
// configuration), or the output's last line.
func firstError(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for i, l := range lines {
		rest, ok := strings.CutPrefix(strings.TrimSpace(l), "Error: ")
		if !ok {
			continue
		}
		// The detail is the first paragraph after the configuration lines,
		// wrapped by the CLI.
		var detail []string
		for _, next := range lines[i+1:] {
			next = strings.TrimSpace(next)
			switch {
			case next == "" && len(detail) > 0:
				return rest + ": " + strings.Join(detail, " ")
			case next != "" && !configLine.MatchString(next):
				detail = append(detail, next)
			}
		}
		if len(detail) > 0 {
			return rest + ": " + strings.Join(detail, " ")
		}
		return rest
	}
	return lines[len(lines)-1]
}

// configLine is a line of a diagnostic that points at the configuration.
var configLine = regexp.MustCompile(`^(with |on |\d+:|│)`)
