package planbench

import (
	"maps"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	// A real stat line whose command name holds a space and a parenthesis.
	stat := "4242 (terraform-pro (x)) S 1 4242 4242 0 -1 4194560 9032 0 0 0 1234 56 0 0 20 0 12 0 123456 1000000 5000 18446744073709551615"
	got, err := parseStatCPU(stat)
	if err != nil {
		t.Fatal(err)
	}
	if want := 12*time.Second + 900*time.Millisecond; got != want {
		t.Errorf("got %v, want %v (utime 1234 + stime 56 ticks)", got, want)
	}
	if _, err := parseStatCPU("4242 (x) S 1"); err == nil {
		t.Error("a short stat line was accepted")
	}
}

func TestParseVmHWM(t *testing.T) {
	status := "Name:\tterraform-provi\nVmPeak:\t 2000000 kB\nVmHWM:\t  187392 kB\nVmRSS:\t   50000 kB\n"
	got, err := parseVmHWM(status)
	if err != nil || got != 187392*1024 {
		t.Errorf("got %d, %v; want %d", got, err, 187392*1024)
	}
	if _, err := parseVmHWM("Name:\tx\n"); err == nil {
		t.Error("a status without VmHWM was accepted")
	}
}

func TestGoals(t *testing.T) {
	rows := []Row{
		{Mode: Mode{Name: "all"}, ProviderCPU: 900 * time.Millisecond, ProviderPeakRSS: 150 << 20},
		{Mode: Mode{Name: "none"}, ProviderCPU: 300 * time.Millisecond, ProviderPeakRSS: 60 << 20},
	}
	for _, g := range Goals(rows) {
		if !g.Pass {
			t.Errorf("goal %s fails on rows that meet it: %s", g.Name, g.Detail)
		}
	}
	rows[0].ProviderCPU = 1000 * time.Millisecond
	rows[0].ProviderPeakRSS = 201 << 20
	failed := 0
	for _, g := range Goals(rows) {
		if !g.Pass {
			failed++
		}
	}
	if failed != 2 {
		t.Errorf("%d goals fail, want 2 (CPU ratio 3.3x and 201 MB)", failed)
	}
	// Without both modes the CPU ratio cannot be judged: SKIP, not PASS.
	if g := Goals(rows[:1])[0]; !g.Skipped || !g.Pass {
		t.Errorf("the CPU goal with the mode \"all\" only: %+v, want skipped", g)
	}
}

func TestFirstError(t *testing.T) {
	out := `data.live_stream_notify_records.week: Reading...

Error: Reading callback records failed

  with data.live_stream_notify_records.week,
  on main.tf line 16, in data "live_stream_notify_records" "week":
  16: data "live_stream_notify_records" "week" {

DescribeLiveStreamsNotifyRecords failed: Throttling.User: The API answered
HTTP 400.

The API throttled the requests.
`
	want := "Reading callback records failed: DescribeLiveStreamsNotifyRecords failed: Throttling.User: The API answered HTTP 400."
	if got := firstError(out); got != want {
		t.Errorf("firstError = %q, want %q", got, want)
	}
	if got := firstError("panic: boom\nexit status 2\n"); got != "exit status 2" {
		t.Errorf("without an Error line: %q", got)
	}
}

// The scale goals: 100 MB and 1.5x the floor for none and max100, each at
// its limit and one step past it; failed is not judged; the emulator's page
// must take at most half of 1/max_qps.
func TestScaleGoals(t *testing.T) {
	f := Floor{CPU: 4 * time.Second, PageServe: 5 * time.Millisecond, Pages: 2000}
	rows := []Row{
		{Mode: Mode{Name: "none"}, ProviderCPU: 6 * time.Second, ProviderPeakRSS: 100 << 20},
		{Mode: Mode{Name: "failed"}, ProviderCPU: 60 * time.Second, ProviderPeakRSS: 900 << 20},
		{Mode: Mode{Name: "max100"}, ProviderCPU: 6 * time.Second, ProviderPeakRSS: 100 << 20},
	}
	verdicts := func(rows []Row, f Floor) map[string]bool {
		out := map[string]bool{}
		for _, g := range ScaleGoals(rows, f, 100) {
			out[g.Name] = g.Pass
		}
		return out
	}
	got := verdicts(rows, f)
	want := map[string]bool{
		"emulator serves a page in <= 5ms (half of 1/max_qps)": true,
		"provider peak RSS <= 100 MB (none)":                   true,
		"provider CPU <= 1.5x the decoding floor (none)":       true,
		"provider peak RSS <= 100 MB (max100)":                 true,
		"provider CPU <= 1.5x the decoding floor (max100)":     true,
	}
	if !maps.Equal(got, want) {
		t.Fatalf("at the limits: %v, want %v", got, want)
	}
	rows[0].ProviderCPU += 10 * time.Millisecond
	rows[2].ProviderPeakRSS++
	f.PageServe += time.Microsecond
	got = verdicts(rows, f)
	want["emulator serves a page in <= 5ms (half of 1/max_qps)"] = false
	want["provider CPU <= 1.5x the decoding floor (none)"] = false
	want["provider peak RSS <= 100 MB (max100)"] = false
	if !maps.Equal(got, want) {
		t.Fatalf("one step past: %v, want %v", got, want)
	}
}
