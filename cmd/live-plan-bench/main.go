// Command live-plan-bench measures the provider end to end through a real
// CLI plan (internal/planbench): one data source (stream by default, or
// -data-source live_record_notify_records) over a busy domain's week (40,000
// records by default), emulator at 40 ms latency, max_qps 100,
// once per keep_records mode. It prints the provider's CPU time and peak RSS,
// the plan's wall time, the CLI's peak RSS and the state size, then one
// PASS/FAIL line per goal, and exits 1 when a goal fails.
//
// With -floor (issue 25's scale run, e.g. -records 1000000 -floor) it first
// measures the decoding floor of the same pages (planbench.MeasureFloor:
// encoding/json into the client's page envelope, nothing else) and the
// emulator's cost per page, compares each mode's provider CPU with the floor,
// and judges the scale goals (planbench.ScaleGoals) for the modes none,
// failed and max100 (max_kept_records = 100) unless -mode says otherwise.
//
// Usage:
//
//	live-plan-bench [-cli tofu] [-provider path] [-data-source live_stream_notify_records] [-records 40000]
//	                [-latency 40ms] [-max-qps 100] [-floor]
//	                [-mode 'name=HCL arguments' ...]
//	live-plan-bench -contention 1,2,3,5,10 [-cli tofu] [-provider path] [-records 40000] [-latency 40ms]
//	                [-account-qps 100] [-max-qps N]
//
// -contention runs the contention benchmark instead (issue 28): for each N,
// N plans at once, each with a provider process of its own at the provider's
// defaults (max_qps only when -max-qps is given), reading the same domain's
// week with keep_records = "none" against one emulator that accepts
// -account-qps requests in any rolling second; one row per N, then its
// goals (internal/bench's, the same as live-bench -contention's).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/bench"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
	"github.com/callbackwatch/terraform-provider-live/internal/planbench"
)

var defaultModes = []planbench.Mode{
	{Name: "all", Args: `  keep_records = "all"`},
	{Name: "failed", Args: `  keep_records = "failed"`},
	{Name: "none", Args: `  keep_records = "none"`},
}

// floorModes are the modes of a scale run: those the scale goals judge
// (none and max100) and failed, which holds the failed records.
var floorModes = []planbench.Mode{
	{Name: "none", Args: `  keep_records = "none"`},
	{Name: "failed", Args: `  keep_records = "failed"`},
	{Name: "max100", Args: `  max_kept_records = 100`},
}

type modeFlags []planbench.Mode

func (m *modeFlags) String() string { return fmt.Sprint(*m) }

func (m *modeFlags) Set(s string) error {
	name, args, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return errors.New(`want name=HCL, e.g. 'none=keep_records = "none"'`)
	}
	*m = append(*m, planbench.Mode{Name: name, Args: "  " + args})
	return nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := run(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "live-plan-bench:", err)
		code = 2
	}
	stop()
	os.Exit(code)
}

func run(ctx context.Context) (int, error) {
	cacheDir := os.Getenv("CLI_CACHE_DIR")
	if cacheDir == "" {
		home, _ := os.UserHomeDir()
		cacheDir = filepath.Join(home, ".cache", "terraform-provider-live", "clis")
	}
	cfg := planbench.Config{Log: os.Stderr}
	var modes modeFlags
	cli := flag.String("cli", "tofu", "CLI to plan with: tofu, terraform, or a path")
	flag.StringVar(&cfg.Provider, "provider", "", "provider binary (default: built from this tree)")
	flag.StringVar(&cfg.DataSource, "data-source", planbench.DataSourceStream, "the data source planned: "+planbench.DataSourceStream+" or "+planbench.DataSourceRecord)
	flag.IntVar(&cfg.Records, "records", 40000, "callback records in the domain's week")
	flag.DurationVar(&cfg.Latency, "latency", 40*time.Millisecond, "emulator latency per request")
	flag.Float64Var(&cfg.MaxQPS, "max-qps", 100, "the provider's max_qps")
	flag.Var(&modes, "mode", "a mode as name=HCL arguments (repeatable; default all, failed and none of keep_records)")
	floor := flag.Bool("floor", false, "measure the decoding floor of the same pages and judge the scale goals (modes none, failed, max100 by default)")
	contention := flag.String("contention", "", "run the contention benchmark instead: numbers of plans at once, comma-separated (e.g. 1,2,3,5,10)")
	accountQPS := flag.Float64("account-qps", liveapi.MaxAPIQPS, "with -contention: the emulator's limit for the account, in any rolling second")
	flag.Parse()
	maxQPSSet := false
	flag.Visit(func(f *flag.Flag) { maxQPSSet = maxQPSSet || f.Name == "max-qps" })
	var clients []int
	if *contention != "" {
		for _, f := range strings.Split(*contention, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				return 0, fmt.Errorf("-contention: bad value %q", f)
			}
			clients = append(clients, n)
		}
	}

	cfg.CLI = *cli
	if !strings.ContainsRune(cfg.CLI, os.PathSeparator) {
		cfg.CLI = filepath.Join(cacheDir, cfg.CLI)
	}
	cfg.Modes = modes
	switch {
	case len(cfg.Modes) > 0:
	case *floor:
		cfg.Modes = floorModes
	default:
		cfg.Modes = defaultModes
	}
	if cfg.Provider == "" {
		dir, err := os.MkdirTemp("", "live-plan-bench")
		if err != nil {
			return 0, err
		}
		defer os.RemoveAll(dir)
		cfg.Provider = filepath.Join(dir, "terraform-provider-live")
		build := exec.CommandContext(ctx, "go", "build", "-o", cfg.Provider, ".")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return 0, fmt.Errorf("building the provider: %w", err)
		}
	}

	if clients != nil {
		ccfg := planbench.ContentionConfig{CLI: cfg.CLI, Provider: cfg.Provider, Clients: clients, Records: cfg.Records,
			Latency: cfg.Latency, AccountQPS: *accountQPS,
			Log: func(format string, args ...any) { fmt.Fprintf(os.Stderr, "live-plan-bench: "+format+"\n", args...) }}
		if maxQPSSet {
			ccfg.MaxQPS = cfg.MaxQPS
		}
		rows, err := planbench.RunContention(ctx, ccfg)
		if err != nil {
			return 0, err
		}
		if bench.WriteContention(os.Stdout, rows) > 0 {
			return 1, nil
		}
		return 0, nil
	}

	var f planbench.Floor
	if *floor {
		fmt.Fprintf(os.Stderr, "planbench: the decoding floor of %d records\n", cfg.Records)
		var err error
		if f, err = planbench.MeasureFloor(ctx, cfg); err != nil {
			return 0, fmt.Errorf("measuring the decoding floor: %w", err)
		}
	}
	rows, err := planbench.Run(ctx, cfg)
	if err != nil {
		return 0, err
	}
	fmt.Printf("End-to-end plan: %s, %s, %d records over 7 days, emulator latency %s, max_qps %g\n\n",
		filepath.Base(cfg.CLI), cfg.DataSource, cfg.Records, cfg.Latency, cfg.MaxQPS)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	floorColumn := ""
	if *floor {
		floorColumn = "CPU / floor\t"
	}
	fmt.Fprintln(w, "mode\tkept\tprovider CPU s\t"+floorColumn+"provider peak RSS MB\tplan wall s\tCLI peak RSS MB\tstate bytes\t")
	for _, r := range rows {
		ratio := ""
		if *floor {
			ratio = fmt.Sprintf("%.2fx\t", r.ProviderCPU.Seconds()/f.CPU.Seconds())
		}
		fmt.Fprintf(w, "%s\t%d\t%.2f\t%s%.0f\t%.2f\t%.0f\t%d\t\n", r.Mode.Name, r.KeptRecords, r.ProviderCPU.Seconds(), ratio,
			float64(r.ProviderPeakRSS)/(1<<20), r.PlanWall.Seconds(), float64(r.CLIPeakRSS)/(1<<20), r.StateBytes)
	}
	_ = w.Flush()
	fmt.Println()
	goals := planbench.Goals(rows)
	if *floor {
		fmt.Printf("Decoding floor: %d records in %d pages, encoding/json into the client's page envelope alone: %.2f s CPU (%.2f s wall), %.2f µs a record\n",
			f.Records, f.Pages, f.CPU.Seconds(), f.Wall.Seconds(), f.CPU.Seconds()*1e6/float64(max(f.Records, 1)))
		fmt.Printf("Emulator: the week generated in %.2f s; %.2f ms to serve a page of 500\n\n", f.Generate.Seconds(), float64(f.PageServe.Microseconds())/1000)
		goals = planbench.ScaleGoals(rows, f, cfg.MaxQPS)
	}
	code := 0
	for _, g := range goals {
		verdict := "PASS"
		switch {
		case !g.Pass:
			verdict, code = "FAIL", 1
		case g.Skipped:
			verdict = "SKIP"
		}
		fmt.Printf("%s  %s: %s\n", verdict, g.Name, g.Detail)
	}
	return code, nil
}
