// Command live-bench runs the "fast and polite at scale" benchmark
// (internal/bench) and prints its figures as tables, then a goals section
// with one PASS/FAIL line per goal. It exits 1 when a goal fails (after the
// whole report is printed), and when the harness itself fails.
//
// Usage:
//
//	live-bench [-sizes 1000,10000,100000] [-latency 40ms] [-qps 50,100]
//	           [-sources stream,record] [-server-qps 100] [-throttle-qps 100,50]
//	           [-concurrency 0] [-runs 1] [-client-alloc=true] [-seed 1] [-guard-band 0] [-q]
//	live-bench -contention 1,2,3,5,10 [-contention-records 40000] [-latency 40ms] [-server-qps 100]
//
// -contention runs the contention benchmark instead (issue 28): for each N,
// N clients with limiters of their own and the provider's defaults read the
// same domain at once against one emulator that accepts -server-qps requests
// in any rolling second for the account; one row per N, then its goals.
//
// Progress goes to stderr, the report to stdout.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "live-bench:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, ccfg, quiet, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if !quiet {
		cfg.Progress = func(format string, args ...any) {
			fmt.Fprintf(stderr, "live-bench: "+format+"\n", args...)
		}
		ccfg.Progress = cfg.Progress
	}
	if ccfg.Clients != nil {
		rows, err := bench.RunContention(ctx, ccfg)
		if err != nil {
			return err
		}
		if failed := bench.WriteContention(stdout, rows); failed > 0 {
			return fmt.Errorf("%d goal(s) failed", failed)
		}
		return nil
	}
	rep, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if failed := printReport(stdout, rep); failed > 0 {
		return fmt.Errorf("%d goal(s) failed", failed)
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (bench.Config, bench.ContentionConfig, bool, error) {
	cfg := bench.DefaultConfig()
	var (
		sizes, qps, sources, throttleQPS, contention string
		clientAlloc, quiet                           bool
		ccfg                                         bench.ContentionConfig
	)
	fs := flag.NewFlagSet("live-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&sizes, "sizes", "1000,10000,100000", "records per data source, comma-separated")
	fs.DurationVar(&cfg.Latency, "latency", bench.DefaultLatency, "emulated latency of every request")
	fs.StringVar(&qps, "qps", "50,100", "client max_qps values of the full reads")
	fs.StringVar(&sources, "sources", "stream,record", "data sources whose full reads are measured")
	fs.Float64Var(&cfg.ServerQPS, "server-qps", 100, "the emulator's QPS limit in the throttling runs")
	fs.StringVar(&throttleQPS, "throttle-qps", "100,50", "client max_qps values of the throttling runs")
	fs.IntVar(&cfg.Concurrency, "concurrency", 0, "client workers of the concurrent reads (0: the client's default)")
	fs.BoolVar(&clientAlloc, "client-alloc", true, "also replay captured pages to measure the client's allocations alone")
	fs.IntVar(&cfg.Runs, "runs", 1, "repeat every read this often and show the run of median wall time")
	fs.Int64Var(&cfg.Seed, "seed", 1, "seed of the generated records")
	fs.BoolVar(&quiet, "q", false, "no progress lines on stderr")
	fs.DurationVar(&cfg.GuardBand, "guard-band", 0, "the clients' guard band beyond a second (0: the client's own, 20ms; negative: none)")
	fs.StringVar(&contention, "contention", "", "run the contention benchmark instead: numbers of clients at once, comma-separated (e.g. 1,2,3,5,10)")
	fs.IntVar(&ccfg.Records, "contention-records", bench.ContentionRecords, "records each client of the contention benchmark reads")
	if err := fs.Parse(args); err != nil {
		return cfg, ccfg, false, err
	}
	if fs.NArg() > 0 {
		return cfg, ccfg, false, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if cfg.Sizes, err = parseList(sizes, "-sizes", strconv.Atoi, func(n int) bool { return n >= 0 }); err != nil {
		return cfg, ccfg, false, err
	}
	positive := func(f float64) bool { return f > 0 }
	parseFloat := func(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
	if cfg.QPS, err = parseList(qps, "-qps", parseFloat, positive); err != nil {
		return cfg, ccfg, false, err
	}
	if cfg.ThrottleQPS, err = parseList(throttleQPS, "-throttle-qps", parseFloat, positive); err != nil {
		return cfg, ccfg, false, err
	}
	if cfg.Sources, err = parseList(sources, "-sources", func(s string) (bench.Source, error) {
		switch src := bench.Source(s); src {
		case bench.Stream, bench.Record:
			return src, nil
		}
		return "", fmt.Errorf("unknown source %q (stream or record)", s)
	}, func(bench.Source) bool { return true }); err != nil {
		return cfg, ccfg, false, err
	}
	switch {
	case cfg.Latency < 0:
		return cfg, ccfg, false, errors.New("-latency must not be negative")
	case cfg.ServerQPS <= 0:
		return cfg, ccfg, false, errors.New("-server-qps must be positive")
	case cfg.Runs < 1:
		return cfg, ccfg, false, errors.New("-runs must be at least 1")
	case cfg.Concurrency < 0:
		return cfg, ccfg, false, errors.New("-concurrency must not be negative")
	}
	cfg.SkipClientAlloc = !clientAlloc
	if contention != "" {
		if ccfg.Clients, err = parseList(contention, "-contention", strconv.Atoi, func(n int) bool { return n >= 1 }); err != nil {
			return cfg, ccfg, false, err
		}
		if ccfg.Records < 1 {
			return cfg, ccfg, false, errors.New("-contention-records must be positive")
		}
		ccfg.Latency, ccfg.AccountQPS, ccfg.Seed, ccfg.GuardBand = cfg.Latency, cfg.ServerQPS, cfg.Seed, cfg.GuardBand
	}
	return cfg, ccfg, quiet, nil
}

func parseList[T any](s, name string, parse func(string) (T, error), valid func(T) bool) ([]T, error) {
	var out []T
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(strings.ReplaceAll(f, "_", ""))
		if f == "" {
			continue
		}
		v, err := parse(f)
		if err != nil || !valid(v) {
			return nil, fmt.Errorf("%s: bad value %q", name, f)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no values", name)
	}
	return out, nil
}

// printReport prints the tables and the goals and returns how many goals
// failed.
func printReport(w io.Writer, rep *bench.Report) int {
	cfg := rep.Config
	fmt.Fprintf(w, "live-bench: %s %s/%s, %d CPUs (GOMAXPROCS %d); emulator latency %s, page size 500, seed %d\n",
		rep.GoVersion, rep.GOOS, rep.GOARCH, rep.NumCPU, rep.GOMAXPROCS, cfg.Latency, cfg.Seed)
	if rep.LoadStart != "" {
		fmt.Fprintf(w, "load average %s at the start, %s at the end (wall times assume an otherwise idle machine)\n", rep.LoadStart, rep.LoadEnd)
	}
	if cfg.Runs > 1 {
		fmt.Fprintf(w, "every row is the median of %d runs by wall time; \"range\" spans all of them\n", cfg.Runs)
	}

	fmt.Fprintln(w, "\nFull reads (one client per row; floor = the least time the client's limiter, as configured, lets that many calls span;")
	fmt.Fprintln(w, "peak/s = most requests the emulator received within any rolling second; stall = longest the process went without running a ready goroutine")
	fmt.Fprintln(w, "(a busy machine: a run that stalled beyond the client's 20ms guard band is left out of the upper wall bound, allowed what a stall of up to 100ms explains in the peak")
	fmt.Fprintln(w, "and throttle goals, and not judged on them beyond; a goal that left a run out says SKIP); speedup = sequential wall / concurrent wall;")
	fmt.Fprintln(w, "cpu = process CPU time / wall (2 CPUs busy = 2.00); allocs and B are process-wide, in-process emulator included; heap = retained by the result; str = string bytes)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "size\tsource\tmode\tqps\tworkers\tcalls\tmin\twall\tfloor\twall/floor\tpeak/s\tstall\tspeedup\tin flight\tconns\tcpu\tallocs/rec\tB/rec\theap B/rec\tstr B/rec\theap/str\t")
	for _, r := range rep.Reads {
		speedup := "-"
		if r.Mode == bench.Concurrent {
			speedup = fmt.Sprintf("%.2fx", r.Speedup)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%g\t%d\t%d\t%d\t%s\t%s\t%s\t%d\t%s\t%s\t%d\t%d\t%s\t%.2f\t%.0f\t%.0f\t%.0f\t%.2fx\t\n",
			r.Size, r.Source, r.Mode, r.MaxQPS, r.Concurrency, r.Calls, r.MinCalls,
			wallText(r.Wall, r.WallMin, r.WallMax, cfg.Runs), dur(r.Floor), ratioOrDash(r.WallRatio()), r.PeakPerSecond, dur(r.Stall), speedup, r.PeakInFlight, r.Conns, cpuText(r.CPU, r.Wall),
			r.AllocsPerRecord, r.BytesPerRecord, r.HeapPerRecord, r.StringBytesPerRecord, r.HeapRatio())
	}
	tw.Flush()

	if len(rep.ClientAllocs) > 0 {
		fmt.Fprintln(w, "\nClient-only allocations (the same pages replayed from a server that writes stored bytes; no emulator work)")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "size\tsource\tcalls\tallocs/rec\tB/rec\tbody B/rec\t")
		for _, c := range rep.ClientAllocs {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%.2f\t%.0f\t%.0f\t\n", c.Size, c.Source, c.Calls, c.AllocsPerRecord, c.BytesPerRecord, c.BodyBytesPerRecord)
		}
		tw.Flush()
	}

	fmt.Fprintf(w, "\nThrottling (stream and record read at once through one client; emulator limit %g accepted in any rolling second; default retries)\n", cfg.ServerQPS)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "size\tqps\tserver qps\tcalls\tmin\tthrottled\trecords\twall\tfloor\twall/floor\tpeak/s\tstall\tin flight\tconns\tcpu\terror\t")
	for _, t := range rep.Throttles {
		errText := "-"
		if t.Err != "" {
			errText = t.Err
		}
		fmt.Fprintf(tw, "%d\t%g\t%g\t%d\t%d\t%d\t%d+%d\t%s\t%s\t%s\t%d\t%s\t%d\t%d\t%s\t%s\t\n",
			t.Size, t.MaxQPS, t.ServerQPS, t.ServerRequests, t.MinCalls, t.Throttled, t.Records[0], t.Records[1],
			wallText(t.Wall, t.WallMin, t.WallMax, cfg.Runs), dur(t.Floor), ratioOrDash(t.WallRatio()), t.PeakPerSecond, dur(t.Stall), t.PeakInFlight, t.Conns, cpuText(t.CPU, t.Wall), errText)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nGoals")
	goals := rep.Goals()
	failed, skipped := 0, 0
	for _, g := range goals {
		verdict := "PASS"
		switch {
		case g.Skipped:
			verdict = "SKIP"
			skipped++
		case !g.Pass:
			verdict = "FAIL"
			failed++
		}
		fmt.Fprintf(w, "  %s  %s\n        %s\n", verdict, g.Name, g.Detail)
	}
	switch {
	case failed == 0 && skipped == 0:
		fmt.Fprintf(w, "\nAll %d goals pass. (%s)\n", len(goals), dur(rep.Elapsed))
	case failed == 0:
		fmt.Fprintf(w, "\nNo goal fails; %d of %d not measured at these settings. (%s)\n", skipped, len(goals), dur(rep.Elapsed))
	default:
		fmt.Fprintf(w, "\n%d of %d goals FAIL. (%s)\n", failed, len(goals), dur(rep.Elapsed))
	}
	return failed
}

func dur(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d < time.Second:
		return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
}

// wallText is the wall time, with the range of all runs when there were several.
func wallText(wall, lo, hi time.Duration, runs int) string {
	if runs <= 1 {
		return dur(wall)
	}
	return fmt.Sprintf("%s (%s-%s)", dur(wall), dur(lo), dur(hi))
}

// cpuText is the CPU time over the wall time: 1.00 is one core busy.
func cpuText(cpu, wall time.Duration) string {
	if cpu == 0 || wall == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", cpu.Seconds()/wall.Seconds())
}

func ratioOrDash(r float64) string {
	if r == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", r)
}
