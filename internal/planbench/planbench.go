// Package planbench measures what a read of many callback records costs the
// provider end to end: a real `tofu plan` (or `terraform plan`) of one data
// source over a busy domain, against the emulator, with the provider run as
// its own process (-debug, TF_REATTACH_PROVIDERS) so that its CPU time and
// peak memory can be read from /proc. One fresh provider process per mode,
// so that each peak is that mode's own.
package planbench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// Config is one benchmark run.
type Config struct {
	// CLI is the tofu or terraform binary; Provider the provider binary.
	CLI, Provider string
	// DataSource is the data source planned: DataSourceStream (the
	// default) or DataSourceRecord.
	DataSource string
	// Records is the number of callback records in the domain's week.
	Records int
	// Latency is the emulator's latency per request; MaxQPS the provider's max_qps.
	Latency time.Duration
	MaxQPS  float64
	// Modes are the data source arguments to compare, by name; the first is
	// the one whose records are kept, the last the one that keeps none.
	Modes []Mode
	// Log receives progress lines.
	Log io.Writer
}

// The data sources a run can plan, each over a domain of its own records.
const (
	DataSourceStream = "live_stream_notify_records"
	DataSourceRecord = "live_record_notify_records"
)

// Mode is a named set of extra data source arguments (HCL lines).
type Mode struct {
	Name string
	Args string
}

// Row is the measurement of one mode.
type Row struct {
	Mode Mode
	// KeptRecords is the length of the record list in the plan.
	KeptRecords int
	// ProviderCPU is the provider process's user+system time for the plan.
	ProviderCPU time.Duration
	// ProviderPeakRSS is the provider process's VmHWM, in bytes.
	ProviderPeakRSS int64
	// CLIPeakRSS is the CLI's peak RSS during the plan, in bytes.
	CLIPeakRSS int64
	// PlanWall is the wall time of the plan command.
	PlanWall time.Duration
	// StateBytes is the size of terraform.tfstate after applying the saved plan.
	StateBytes int64
}

// domain is the busy domain every run plans.
const domain = "busy.example.com"

// newEmulator is the emulator of a run: domain's week of cfg.Records
// callbacks of the data source's kind, always the same for a count.
func newEmulator(cfg *Config, latency time.Duration) (*emulator.Server, error) {
	spec := emulator.DomainSpec{Name: domain}
	switch cfg.DataSource {
	case "", DataSourceStream:
		cfg.DataSource, spec.StreamRecords = DataSourceStream, cfg.Records
	case DataSourceRecord:
		spec.RecordCallbacks = cfg.Records
	default:
		return nil, fmt.Errorf("no data source %q: %s or %s", cfg.DataSource, DataSourceStream, DataSourceRecord)
	}
	return emulator.New(emulator.Options{Seed: 1, Latency: latency, Domains: []emulator.DomainSpec{spec}}), nil
}

// Run measures every mode in turn.
func Run(ctx context.Context, cfg Config) ([]Row, error) {
	emu, err := newEmulator(&cfg, cfg.Latency)
	if err != nil {
		return nil, err
	}
	srv := httptest.NewServer(emu)
	defer srv.Close()

	var rows []Row
	for _, m := range cfg.Modes {
		fmt.Fprintf(cfg.Log, "planbench: %s, %d records\n", m.Name, cfg.Records)
		row, err := runMode(ctx, cfg, srv.URL, domain, m)
		if err != nil {
			return rows, fmt.Errorf("mode %s: %w", m.Name, err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

const configTemplate = `terraform {
  required_providers {
    live = {
      source = "registry.terraform.io/callbackwatch/live"
    }
  }
}

provider "live" {
  endpoint   = %q
  access_key = %q
  secret_key = %q
%s}

data %[5]q "week" {
  domain_name = %[6]q
  lookback    = "168h"
%[7]s
}

output "kept" {
  value = length(data.%[5]s.week.%[8]s)
}

output "total" {
  value = data.%[5]s.week.summary.total
}
`

func runMode(ctx context.Context, cfg Config, endpoint, domain string, m Mode) (Row, error) {
	row := Row{Mode: m}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ws, err := newWorkspace(ctx, cfg, endpoint, domain, m.Args)
	if err != nil {
		return row, err
	}
	defer ws.close()
	cpuBefore, err := processCPU(ws.pid)
	if err != nil {
		return row, err
	}
	_, ps, wall, err := ws.run("plan", "-no-color", "-input=false", "-out=plan.bin")
	if err != nil {
		return row, err
	}
	row.PlanWall = wall
	cpuAfter, err := processCPU(ws.pid)
	if err != nil {
		return row, err
	}
	row.ProviderCPU = cpuAfter - cpuBefore
	if row.ProviderPeakRSS, err = peakRSS(ws.pid); err != nil {
		return row, err
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		row.CLIPeakRSS = ru.Maxrss * 1024
	}
	if _, _, _, err := ws.run("apply", "-no-color", "-input=false", "plan.bin"); err != nil {
		return row, err
	}
	st, err := os.Stat(filepath.Join(ws.dir, "terraform.tfstate"))
	if err != nil {
		return row, err
	}
	row.StateBytes = st.Size()
	out, _, _, err := ws.run("output", "-no-color", "-raw", "kept")
	if err != nil {
		return row, err
	}
	if row.KeptRecords, err = strconv.Atoi(strings.TrimSpace(out)); err != nil {
		return row, fmt.Errorf("output kept: %q", out)
	}
	return row, nil
}

// workspace is a configuration of one data source in a directory of its
// own, initialised, with a provider process of its own that the CLI
// reattaches to.
type workspace struct {
	ctx  context.Context
	cli  string
	dir  string
	env  []string
	prov *exec.Cmd
	pid  int
}

// newWorkspace writes the configuration (args are the data source's extra
// arguments), starts the provider and runs init. The provider runs until ctx
// ends; close waits for it.
func newWorkspace(ctx context.Context, cfg Config, endpoint, domain, args string) (*workspace, error) {
	dir, err := os.MkdirTemp("", "planbench")
	if err != nil {
		return nil, err
	}
	list := "notify_records_info"
	if cfg.DataSource == DataSourceRecord {
		list = "callback_list"
	}
	tuning := "" // every default
	if cfg.MaxQPS > 0 {
		tuning = fmt.Sprintf("  max_qps    = %g\n", cfg.MaxQPS)
	}
	main := fmt.Sprintf(configTemplate, endpoint, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, tuning,
		cfg.DataSource, domain, args, list)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(main), 0o600); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	prov, reattach, err := startProvider(ctx, cfg.Provider)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	// An empty CLI configuration: no plugin cache, no overrides, no mirrors.
	rc := filepath.Join(dir, "cli.tfrc")
	ws := &workspace{ctx: ctx, cli: cfg.CLI, dir: dir, prov: prov, pid: prov.Process.Pid,
		env: append(cleanEnv(), "TF_REATTACH_PROVIDERS="+reattach, "TF_CLI_CONFIG_FILE="+rc,
			"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "HOME="+dir)}
	if err := os.WriteFile(rc, nil, 0o600); err != nil {
		ws.close()
		return nil, err
	}
	if _, _, _, err := ws.run("init", "-no-color", "-input=false"); err != nil {
		ws.close()
		return nil, err
	}
	return ws, nil
}

// run runs the CLI in the workspace: its output, process state and wall time.
func (ws *workspace) run(args ...string) (string, *os.ProcessState, time.Duration, error) {
	cmd := exec.CommandContext(ws.ctx, ws.cli, args...)
	cmd.Dir, cmd.Env = ws.dir, ws.env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), cmd.ProcessState, 0, fmt.Errorf("%s %s: %w\n%s", filepath.Base(ws.cli), args[0], err, out)
	}
	return string(out), cmd.ProcessState, time.Since(start), nil
}

// close stops the provider (which ends with ws.ctx, canceled by the caller
// first) and removes the directory.
func (ws *workspace) close() {
	if ws.prov.Process != nil {
		_ = ws.prov.Process.Kill()
	}
	_ = ws.prov.Wait()
	_ = os.RemoveAll(ws.dir)
}

var reattachLine = regexp.MustCompile(`TF_REATTACH_PROVIDERS='(.*)'`)

// startProvider runs the provider with -debug and returns the reattach
// configuration it prints.
func startProvider(ctx context.Context, binary string) (*exec.Cmd, string, error) {
	cmd := exec.CommandContext(ctx, binary, "-debug")
	cmd.Env = cleanEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		sent := false
		for sc.Scan() {
			if m := reattachLine.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case r, ok := <-found:
		if !ok {
			_ = cmd.Wait()
			return nil, "", errors.New("the provider exited without printing TF_REATTACH_PROVIDERS")
		}
		return cmd, r, nil
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, "", errors.New("the provider printed no TF_REATTACH_PROVIDERS within 30s")
	}
}

// cleanEnv is the environment without anything that would point the CLI or
// the provider elsewhere (credentials, endpoints, CLI configuration).
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "ALIBABA_CLOUD_") || strings.HasPrefix(kv, "ALICLOUD_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat;
// it is 100 on every Linux platform Go supports.
const clockTicks = 100

// processCPU is utime+stime of a process, from /proc/<pid>/stat.
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads fields 14 (utime) and 15 (stime) of a stat line. The
// command name (field 2) may hold spaces, so fields count from its ")".
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed stat line %q", stat)
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("malformed stat line %q", stat)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// peakRSS is VmHWM of a process, from /proc/<pid>/status, in bytes.
func peakRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return parseVmHWM(string(b))
}

func parseVmHWM(status string) (int64, error) {
	for _, line := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("malformed VmHWM line %q", line)
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("no VmHWM in /proc/<pid>/status")
}

// Goal is one of the targets, judged on a run. Skipped marks a goal
// the run could not judge (Pass is then true): it prints SKIP, not PASS.
type Goal struct {
	Name    string
	Pass    bool
	Skipped bool
	Detail  string
}

// Goal thresholds at 40,000 records: keeping every record may cost the
// provider at most 3 times the CPU of keeping none, and never more than
// 200 MB of memory.
const (
	MaxKeepAllCPURatio = 3.0
	MaxPeakRSS         = 200 << 20
)

// Goals judges the rows: the CPU ratio needs a mode named "all" and one
// named "none"; the memory goal applies to every mode.
func Goals(rows []Row) []Goal {
	var goals []Goal
	byName := map[string]Row{}
	for _, r := range rows {
		byName[r.Mode.Name] = r
	}
	all, okAll := byName["all"]
	none, okNone := byName["none"]
	cpu := Goal{Name: fmt.Sprintf("provider CPU keeping every record <= %.0fx keeping none", MaxKeepAllCPURatio)}
	switch {
	case !okAll || !okNone:
		cpu.Pass, cpu.Skipped, cpu.Detail = true, true, `not judged: it needs the modes "all" and "none"`
	case none.ProviderCPU <= 0:
		cpu.Pass, cpu.Skipped, cpu.Detail = true, true, "not judged: keeping none measured no CPU time (/proc too coarse for the run)"
	default:
		ratio := all.ProviderCPU.Seconds() / none.ProviderCPU.Seconds()
		cpu.Pass = ratio <= MaxKeepAllCPURatio
		cpu.Detail = fmt.Sprintf("%.2fs / %.2fs = %.1fx", all.ProviderCPU.Seconds(), none.ProviderCPU.Seconds(), ratio)
	}
	goals = append(goals, cpu)
	for _, r := range rows {
		goals = append(goals, Goal{
			Name:   fmt.Sprintf("provider peak RSS <= %d MB (%s)", MaxPeakRSS>>20, r.Mode.Name),
			Pass:   r.ProviderPeakRSS <= MaxPeakRSS,
			Detail: fmt.Sprintf("%.0f MB", float64(r.ProviderPeakRSS)/(1<<20)),
		})
	}
	return goals
}
