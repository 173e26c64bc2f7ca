package provider

import (
	"context"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// emulatorClient serves an emulator of opts and returns a maker of
// clients of it with the emulator's key pair (cfg's Endpoint and
// Credential are set).
func emulatorClient(t *testing.T, opts emulator.Options) func(cfg liveapi.Config) *liveapi.Client {
	t.Helper()
	return emulatorClientThrough(t, opts, nil)
}

// emulatorClientThrough is emulatorClient with the emulator served through
// wrap (nil: as it is).
func emulatorClientThrough(t *testing.T, opts emulator.Options, wrap func(http.Handler) http.Handler) func(cfg liveapi.Config) *liveapi.Client {
	t.Helper()
	opts.NoCaseDomains = true // No test here reads them, and they are most of what a server generates.
	var h http.Handler = emulator.New(opts)
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ep, err := liveapi.ParseEndpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	credential, _, err := liveapi.NewCredential(liveapi.CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret})
	if err != nil {
		t.Fatal(err)
	}
	return func(cfg liveapi.Config) *liveapi.Client {
		cfg.Endpoint, cfg.Credential = &ep, credential
		client, err := liveapi.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return client
	}
}

// TestReadWarnsWhenTheWindowIsShortened: a read raised beyond the margin,
// for its own length, warns and names both windows; one that gives up only
// the margin does not. The margin is shortened to a second so that a read
// of a few seconds is "long": 30 pages at 10 per second without -short
// (3 s of real paging); under -short the first page of each read takes
// 100 ms and the rest go one at a time, so that the read expects 30 x 100
// ms, starts over at once with a later start, and takes a fifth of a
// second. With the 5-minute margin the same estimate fits.
func TestReadWarnsWhenTheWindowIsShortened(t *testing.T) {
	const domain = "long.example.com"
	var slowFirst atomic.Bool
	delay := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if slowFirst.CompareAndSwap(true, false) {
				time.Sleep(100 * time.Millisecond)
			}
			h.ServeHTTP(w, r)
		})
	}
	opts := emulator.Options{Domains: []emulator.DomainSpec{{Name: domain, StreamRecords: 3000}}}
	cfg := liveapi.Config{MaxQPS: 1000, Concurrency: 1}
	if !testing.Short() {
		opts.Latency, cfg = 5*time.Millisecond, liveapi.Config{MaxQPS: 10}
	}
	newClient := emulatorClientThrough(t, opts, delay)
	end := time.Now().UTC().Truncate(time.Second)
	for _, tc := range []struct {
		margin time.Duration
		warns  bool
	}{{time.Second, true}, {liveapi.WindowMargin, false}} {
		cfg.WindowMargin = tc.margin
		slowFirst.Store(testing.Short())
		client := newClient(cfg)
		q := liveapi.Query{DomainName: domain, StartTime: end.Add(-liveapi.MaxLookback), EndTime: end, PageSize: 100}
		res, diags := readRecords(context.Background(), client, liveapi.StreamNotifyRecords, q, time.Minute, &liveapi.Collector[liveapi.StreamNotifyRecord]{})
		if diags.HasError() {
			t.Fatal(diags)
		}
		if warned := diags.WarningsCount() == 1; warned != tc.warns {
			t.Fatalf("margin %s: warnings %v, want one: %v", tc.margin, diags, tc.warns)
		}
		if !tc.warns {
			continue
		}
		detail := diags.Warnings()[0].Detail()
		for _, want := range []string{
			"asked for " + q.StartTime.Format(time.RFC3339) + " to " + end.Format(time.RFC3339),
			"read " + res.StartTime.Format(time.RFC3339) + " to " + res.EndTime.Format(time.RFC3339),
			fmt.Sprintf("30 pages at max_qps %g", cfg.MaxQPS),
			fmt.Sprintf("was expected to take %s, so its start was raised by %s (", res.StartRaisedFor.Round(time.Second), res.StartTime.Sub(q.StartTime)),
		} {
			if !strings.Contains(detail, want) {
				t.Errorf("the warning lacks %q:\n%s", want, detail)
			}
		}
		// The part beyond the margin every read near the edge gives up is
		// the whole raise less 5 minutes.
		m := regexp.MustCompile(`raised by (\S+) \((\S+) more than the 5m0s any read near the 7-day edge gives up\)`).FindStringSubmatch(detail)
		if m == nil {
			t.Fatalf("the warning does not say how much more than the margin it gave up:\n%s", detail)
		}
		raised, err1 := time.ParseDuration(m[1])
		beyond, err2 := time.ParseDuration(m[2])
		if err1 != nil || err2 != nil || beyond != raised-liveapi.WindowMargin {
			t.Errorf("raised by %s, %s beyond the margin; want the raise less 5m0s", m[1], m[2])
		}
	}
}

// TestReadWarnsOfShortenedSummaryWindows: with lookback = "168h" the read's
// start is raised by the 5-minute margin (and the read's own second), so
// the summary window "168h" reaches before it and draws a warning at its
// index, naming what it covers; "167h50m" and "6h" lie inside the read and
// do not. The windows still count what was read.
func TestReadWarnsOfShortenedSummaryWindows(t *testing.T) {
	const domain = "week.example.com"
	opts := emulator.Options{Domains: []emulator.DomainSpec{{Name: domain, StreamRecords: 2000}}}
	client := emulatorClient(t, opts)(liveapi.Config{MaxQPS: 1000})
	m := &notifyRecordsModel{DomainName: types.StringValue(domain), Lookback: types.StringValue("168h"),
		Windows: windowList("6h", "168h", "167h50m"), Timeouts: nullTimeouts}
	_, _, diags := readNotifyRecords(context.Background(), client, streamCallbacks, m, "", true)
	if diags.HasError() || diags.WarningsCount() != 1 {
		t.Fatalf("want one warning, got %v", diags)
	}
	w := diags.Warnings()[0]
	withPath, ok := w.(diag.DiagnosticWithPath)
	if !ok || !withPath.Path().Equal(path.Root("windows").AtListIndex(1)) {
		t.Fatalf("the warning is not at windows[1]: %v", w)
	}
	end, err := time.Parse(time.RFC3339, m.EndTime.ValueString())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`The summary window "168h" covers ` + m.StartTime.ValueString() + " to " + m.EndTime.ValueString(),
		"not " + end.Add(-168*time.Hour).Format(time.RFC3339) + " to " + m.EndTime.ValueString(),
	} {
		if !strings.Contains(w.Detail(), want) {
			t.Errorf("the warning lacks %q:\n%s", want, w.Detail())
		}
	}
	if !regexp.MustCompile(`raised by 5m[0-2]?s?, to `).MatchString(w.Detail()) {
		t.Errorf("the warning does not say the start was raised by the 5-minute margin and the read's second:\n%s", w.Detail())
	}
	// Every record generated lies within the week less an hour: all are
	// read, and every window but the 6h one counts them all.
	all := int64(2000)
	if s := m.Summary; s.Total != all || s.Windows["168h"].Total != all || s.Windows["167h50m"].Total != all || s.Windows["6h"].Total >= all {
		t.Errorf("total %d, windows %v; want %d in all but 6h", s.Total, s.Windows, all)
	}
}

// TestQueryID: the id joins every filter and the window read, and names the
// page of a single-page read.
func TestQueryID(t *testing.T) {
	q := liveapi.Query{DomainName: "push.example.com", AppName: "app", StreamName: "s1", Status: "failed", StorageType: "oss"}
	start, end := types.StringValue("2024-05-01T08:00:00Z"), types.StringValue("2024-05-01T09:00:00Z")
	if got, want := queryID(q, start, end), "push.example.com/app/s1/failed/oss/2024-05-01T08:00:00Z/2024-05-01T09:00:00Z"; got != want {
		t.Errorf("full read: %q, want %q", got, want)
	}
	q.PageNumber, q.PageSize = 2, 50
	if got, want := queryID(q, start, end), "push.example.com/app/s1/failed/oss/2024-05-01T08:00:00Z/2024-05-01T09:00:00Z/page-2-of-50"; got != want {
		t.Errorf("single page: %q, want %q", got, want)
	}
}

// TestRecordDataSourceCodeAndMsg: the record action's Code and Msg reach
// the state as the API sent them (0 and "ok", the emulator's answer); the
// stream action has none.
func TestRecordDataSourceCodeAndMsg(t *testing.T) {
	emu := emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}, NoCaseDomains: true})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	server := NewProtocol6Server("test")()
	schemas := configured(t, server, srv.URL)
	state := readState(t, server, schemas, recordKind.name, map[string]tftypes.Value{
		"domain_name": tftypes.NewValue(tftypes.String, emulator.FixtureRecordDomain), "lookback": tftypes.NewValue(tftypes.String, "24h"),
	})
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var code big.Float
	var msg string
	if err := attrs["code"].As(&code); err != nil {
		t.Fatal(err)
	}
	if err := attrs["msg"].As(&msg); err != nil {
		t.Fatal(err)
	}
	if !attrs["code"].IsKnown() || attrs["code"].IsNull() || code.Sign() != 0 || msg != "ok" {
		t.Errorf("code %v (null %v), msg %q; want 0 and \"ok\"", code.String(), attrs["code"].IsNull(), msg)
	}
}
