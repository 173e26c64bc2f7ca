package provider

import (
	"cmp"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/callbackwatch/terraform-provider-live/internal/clitest"
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// Acceptance tests of what both data sources share, run for each of them:
// each kind is described beside its data source's own tests (recordKind,
// streamKind).

// dsKind describes one data source for the shared tests: its name, list
// attribute and action, and where the emulator keeps its records.
type dsKind struct {
	name          string
	list          string
	action        string
	fixtureDomain string
	// records returns the emulator's records of a domain in API order, as
	// the common fields the tests compare.
	records func(e *testEmulator, domain string) []emulator.Notify
	// add stores callbacks of the data source's kind in the emulator.
	add func(e *testEmulator, recs []emulator.Notify)
	// fixtureNewest is the exact state of the newest fixture record.
	fixtureNewest func(base time.Time) map[string]knownvalue.Check
}

var dsKinds = []dsKind{recordKind, streamKind}

func notifies[T any](records []T, common func(T) emulator.Notify) []emulator.Notify {
	out := make([]emulator.Notify, len(records))
	for i, r := range records {
		out[i] = common(r)
	}
	return out
}

const testAddr = "data.%s.test"

func (k dsKind) addr() string { return fmt.Sprintf(testAddr, k.name) }

// dataSourceConfig is one data source block named "test"; %[1]s is the
// kind, %[2]s the body.
const dataSourceConfig = `
data %[1]q "test" {
%[2]s
}
`

// config is a provider block plus one data source with the given body.
func (k dsKind) config(e *testEmulator, body string) string {
	return e.providerConfig() + fmt.Sprintf(dataSourceConfig, k.name, body)
}

func (k dsKind) check(path tfjsonpath.Path, want knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(k.addr(), path, want)
}

// checkOf checks the data source block named name.
func (k dsKind) checkOf(name string, path tfjsonpath.Path, want knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(fmt.Sprintf("data.%s.%s", k.name, name), path, want)
}

// block is one data source block named name with the given body: several
// cases of a test go into one configuration, so that the CLI plans and
// applies them together instead of once a step.
func (k dsKind) block(name, body string) string {
	return fmt.Sprintf("\ndata %q %q {\n%s\n}\n", k.name, name, body)
}

func at(name string) tfjsonpath.Path { return tfjsonpath.New(name) }

func regexpMust(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// inWindow filters records as the API does for the window [start, end).
func inWindow(records []emulator.Notify, start, end time.Time, keep func(emulator.Notify) bool) []emulator.Notify {
	var out []emulator.Notify
	for _, r := range records {
		if !r.NotifyTime.Before(start) && r.NotifyTime.Before(end) && (keep == nil || keep(r)) {
			out = append(out, r)
		}
	}
	return out
}

func isFailed(r emulator.Notify) bool { return r.NotifyResult == "failed" }

// frozenEmulator serves an emulator whose data set is relative to base.
func frozenEmulator(t *testing.T, base time.Time, domains ...emulator.DomainSpec) *testEmulator {
	opts := emulator.Options{Seed: 7, Now: func() time.Time { return base }}
	if domains != nil {
		opts.Domains = domains
	}
	return startEmulator(t, opts)
}

const (
	streamAndAppBody = `stream_name = %q
app_name = %q`
	startEndArgs = `start_time = %q
end_time = %q`
	lookbackAndStartArgs = `lookback = "1h"
start_time = %q`
	keepAllCappedArgs = `keep_records = "all"
max_kept_records = %d`
	lookbackBody = `
  domain_name = %q
  lookback    = %q
`
	windowBody = `
  domain_name = %q
  start_time  = %q
  end_time    = %q
`
)

// TestAccNotifyRecords_fixture proves every response field is mapped, values
// come through exactly (non-ASCII text, escaped JSON), the window resolves,
// and the summary adds up, for both data sources.
func TestAccNotifyRecords_fixture(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			base := time.Now().UTC().Truncate(time.Second)
			emu := frozenEmulator(t, base)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: k.config(emu, fmt.Sprintf(lookbackBody, k.fixtureDomain, "24h")),
					ConfigStateChecks: []statecheck.StateCheck{
						k.check(at(k.list), knownvalue.ListSizeExact(2)),
						k.check(at(k.list).AtSliceIndex(0), knownvalue.ObjectExact(k.fixtureNewest(base))),
						k.check(at(k.list).AtSliceIndex(1).AtMapKey("notify_result"), knownvalue.StringExact("failed")),
						k.check(at("total_num"), knownvalue.Int64Exact(2)),
						k.check(at("total_page"), knownvalue.Int64Exact(1)),
						k.check(at("page_num"), knownvalue.Int64Exact(1)),
						k.check(at("page_size"), knownvalue.Int64Exact(500)),
						k.check(at("request_id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9A-F-]{36}$`))),
						k.check(at("start_time"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
						k.check(at("id"), knownvalue.StringRegexp(regexp.MustCompile(`^`+regexp.QuoteMeta(k.fixtureDomain)+`/`))),
						k.check(at("summary"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"total":                      knownvalue.Int64Exact(2),
							"success":                    knownvalue.Int64Exact(1),
							"failed":                     knownvalue.Int64Exact(1),
							"failure_ratio":              knownvalue.Float64Exact(0.5),
							"latest_notify_time":         knownvalue.StringExact(base.Add(-time.Hour).Format(liveapi.TimeLayout)),
							"latest_failure_time":        knownvalue.StringExact(base.Add(-2 * time.Hour).Format(liveapi.TimeLayout)),
							"consecutive_failures":       knownvalue.Int64Exact(0),
							"latest_failure_description": knownvalue.NotNull(),
						})),
					},
				}},
			})
		})
	}
}

// TestAccNotifyRecords_filters checks each request filter against the
// emulator's data set filtered independently here.
func TestAccNotifyRecords_filters(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			base := time.Now().UTC().Truncate(time.Second)
			const domain = "filters.example.com"
			emu := frozenEmulator(t, base, emulator.DomainSpec{Name: domain, RecordCallbacks: 900, StreamRecords: 900})
			start, end := base.Add(-5*24*time.Hour), base.Add(-time.Hour)
			all := k.records(emu, domain)
			sample := all[len(all)/2]
			window := fmt.Sprintf(windowBody, domain, start.Format(time.RFC3339), end.In(time.FixedZone("UTC+8", 8*3600)).Format(time.RFC3339))

			cases := []struct {
				name string
				args string
				keep func(emulator.Notify) bool
			}{
				{"window", "", nil},
				{"status", `status = "failed"`, isFailed},
				{"app_name", fmt.Sprintf("app_name = %q", sample.AppName), func(r emulator.Notify) bool { return r.AppName == sample.AppName }},
				{"stream_name", fmt.Sprintf(streamAndAppBody, sample.StreamName, sample.AppName),
					func(r emulator.Notify) bool { return r.StreamName == sample.StreamName && r.AppName == sample.AppName }},
			}
			config := emu.providerConfig()
			var checks []statecheck.StateCheck
			for _, c := range cases {
				want := inWindow(all, start, end, c.keep)
				if len(want) == 0 || len(want) == len(all) {
					t.Fatalf("filter %s selects %d of %d records: the data set does not exercise it", c.name, len(want), len(all))
				}
				config += k.block(c.name, window+c.args)
				checks = append(checks,
					k.checkOf(c.name, at("total_num"), knownvalue.Int64Exact(int64(len(want)))),
					k.checkOf(c.name, at(k.list), knownvalue.ListSizeExact(len(want))),
					k.checkOf(c.name, at(k.list).AtSliceIndex(0).AtMapKey("notify_time"), knownvalue.StringExact(want[0].NotifyTime.Format(liveapi.TimeLayout))),
					k.checkOf(c.name, at(k.list).AtSliceIndex(len(want)-1).AtMapKey("notify_time"), knownvalue.StringExact(want[len(want)-1].NotifyTime.Format(liveapi.TimeLayout))),
					k.checkOf(c.name, at("start_time"), knownvalue.StringExact(start.Format(liveapi.TimeLayout))),
					k.checkOf(c.name, at("end_time"), knownvalue.StringExact(end.Format(liveapi.TimeLayout))),
					k.checkOf(c.name, at("summary").AtMapKey("total"), knownvalue.Int64Exact(int64(len(want)))),
				)
				if c.name == "status" {
					// Nothing succeeded in this answer: every failure is consecutive.
					checks = append(checks, k.checkOf(c.name, at("summary").AtMapKey("consecutive_failures"), knownvalue.Int64Exact(int64(len(want)))))
				}
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: checks}},
			})
		})
	}
}

// TestAccNotifyRecords_paging reads many pages (every page, in order) and a
// single page.
func TestAccNotifyRecords_paging(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			base := time.Now().UTC().Truncate(time.Second)
			const domain = "paging.example.com"
			emu := frozenEmulator(t, base, emulator.DomainSpec{Name: domain, RecordCallbacks: 2345, StreamRecords: 2345})
			start := base.Add(-6 * 24 * time.Hour)
			want := inWindow(k.records(emu, domain), start, base.Add(time.Second), nil)
			if len(want) < 1500 {
				t.Fatalf("only %d records in the window; the test needs many pages", len(want))
			}
			window := fmt.Sprintf(windowBody, domain, start.Format(time.RFC3339), base.Add(time.Second).Format(time.RFC3339))
			notifyTime := func(i int) knownvalue.Check {
				return knownvalue.StringExact(want[i].NotifyTime.Format(liveapi.TimeLayout))
			}
			failed := len(inWindow(want, start, base.Add(time.Second), isFailed))
			pages := (len(want) + 99) / 100
			all, one := func(p tfjsonpath.Path, c knownvalue.Check) statecheck.StateCheck {
				return k.checkOf("every_page", p, c)
			},
				func(p tfjsonpath.Path, c knownvalue.Check) statecheck.StateCheck { return k.checkOf("page_3", p, c) }
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: emu.providerConfig() + k.block("every_page", window+"page_size = 100") + k.block("page_3", window+`page_size = 50
page_number = 3`),
					ConfigStateChecks: []statecheck.StateCheck{
						all(at("total_num"), knownvalue.Int64Exact(int64(len(want)))),
						all(at("total_page"), knownvalue.Int64Exact(int64(pages))),
						all(at(k.list), knownvalue.ListSizeExact(len(want))),
						all(at(k.list).AtSliceIndex(0).AtMapKey("notify_time"), notifyTime(0)),
						all(at(k.list).AtSliceIndex(99).AtMapKey("notify_time"), notifyTime(99)),
						all(at(k.list).AtSliceIndex(100).AtMapKey("notify_time"), notifyTime(100)),
						all(at(k.list).AtSliceIndex(len(want)/2).AtMapKey("notify_content"), knownvalue.StringExact(want[len(want)/2].NotifyContent)),
						all(at(k.list).AtSliceIndex(len(want)-1).AtMapKey("notify_time"), notifyTime(len(want)-1)),
						all(at("summary").AtMapKey("failed"), knownvalue.Int64Exact(int64(failed))),

						one(at(k.list), knownvalue.ListSizeExact(50)),
						one(at(k.list).AtSliceIndex(0).AtMapKey("notify_time"), notifyTime(100)),
						one(at(k.list).AtSliceIndex(49).AtMapKey("notify_time"), notifyTime(149)),
						one(at("page_num"), knownvalue.Int64Exact(3)),
						one(at("page_size"), knownvalue.Int64Exact(50)),
						one(at("total_num"), knownvalue.Int64Exact(int64(len(want)))),
						one(at("total_page"), knownvalue.Int64Exact(int64((len(want)+49)/50))),
						one(at("summary").AtMapKey("total"), knownvalue.Int64Exact(50)),
					},
				}},
			})
		})
	}
}

// keptExactly checks that the list holds exactly these records, in order.
func keptExactly(records []emulator.Notify) knownvalue.Check {
	elems := make([]knownvalue.Check, len(records))
	for i, r := range records {
		elems[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"notify_time":    knownvalue.StringExact(r.NotifyTime.Format(liveapi.TimeLayout)),
			"notify_result":  knownvalue.StringExact(r.NotifyResult),
			"notify_content": knownvalue.StringExact(r.NotifyContent),
		})
	}
	return knownvalue.ListExact(elems)
}

// newest is the newest n records by notify_time, in the given (API) order;
// a tie at the cap goes by content, in the documented order of fields.
func newest(records []emulator.Notify, n int) []emulator.Notify {
	idx := make([]int, len(records))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		a, b := records[i], records[j]
		return cmp.Or(b.NotifyTime.Compare(a.NotifyTime), cmp.Compare(a.NotifyType, b.NotifyType), cmp.Compare(a.AppName, b.AppName),
			cmp.Compare(a.StreamName, b.StreamName), cmp.Compare(a.NotifyURL, b.NotifyURL), cmp.Compare(a.NotifyResult, b.NotifyResult),
			cmp.Compare(a.Description, b.Description), cmp.Compare(a.NotifyContent, b.NotifyContent),
			cmp.Compare(a.NotifyHeader, b.NotifyHeader), cmp.Compare(a.NotifyResponse, b.NotifyResponse))
	})
	idx = idx[:min(n, len(idx))]
	slices.Sort(idx)
	out := make([]emulator.Notify, len(idx))
	for i, j := range idx {
		out[i] = records[j]
	}
	return out
}

// TestAccNotifyRecords_keepRecords: keep_records and max_kept_records choose
// exactly which records go into state, while summary and total_num cover
// every record read.
func TestAccNotifyRecords_keepRecords(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			base := time.Now().UTC().Truncate(time.Second)
			const domain = "keep.example.com"
			emu := frozenEmulator(t, base, emulator.DomainSpec{Name: domain, RecordCallbacks: 1200, StreamRecords: 1200})
			start, end := base.Add(-6*24*time.Hour), base.Add(time.Second)
			read := inWindow(k.records(emu, domain), start, end, nil)
			failed := inWindow(read, start, end, isFailed)
			if len(failed) < 10 || len(failed) == len(read) || len(read) <= 500 {
				t.Fatalf("%d records, %d failed: the data set does not exercise keep_records over several pages", len(read), len(failed))
			}
			window := fmt.Sprintf(windowBody, domain, start.Format(time.RFC3339), end.Format(time.RFC3339))
			// Each mode keeps its own records; every mode's summary and totals
			// cover every record read.
			config := emu.providerConfig()
			var checks []statecheck.StateCheck
			for _, m := range []struct {
				name, args string
				kept       []emulator.Notify
			}{
				{"failed", `keep_records = "failed"`, failed},
				{"newest_7", "max_kept_records = 7", newest(read, 7)},
				{"failed_newest_3", `keep_records = "failed"
max_kept_records = 3`, newest(failed, 3)},
				{"none", `keep_records = "none"`, nil},
				{"all_under_the_cap", fmt.Sprintf(keepAllCappedArgs, len(read)+1), read},
			} {
				config += k.block(m.name, window+m.args)
				checks = append(checks,
					k.checkOf(m.name, at("total_num"), knownvalue.Int64Exact(int64(len(read)))),
					k.checkOf(m.name, at("summary").AtMapKey("total"), knownvalue.Int64Exact(int64(len(read)))),
					k.checkOf(m.name, at("summary").AtMapKey("failed"), knownvalue.Int64Exact(int64(len(failed)))),
					k.checkOf(m.name, at("summary").AtMapKey("latest_notify_time"), knownvalue.StringExact(newest(read, 1)[0].NotifyTime.Format(liveapi.TimeLayout))),
					k.checkOf(m.name, at(k.list), keptExactly(m.kept)),
				)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: checks}},
			})
		})
	}
}

// nearReadTime checks that a time attribute lies between the start of the
// step and the check, to the second: the time of the read, not rounded.
type nearReadTime struct{ stepStart time.Time }

func (c nearReadTime) CheckValue(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("expected a string, got %T", v)
	}
	got, err := time.Parse(liveapi.TimeLayout, s)
	if err != nil {
		return err
	}
	if lo, hi := c.stepStart.Truncate(time.Second), time.Now().Add(time.Second); got.Before(lo) || got.After(hi) {
		return fmt.Errorf("%s is not the time of the read: the step ran from %s to %s", s, lo.Format(time.RFC3339), hi.Format(time.RFC3339))
	}
	return nil
}

func (c nearReadTime) String() string { return "the time of the read" }

// awayFromMinuteBoundary waits until the clock is between seconds 5 and 40
// of a minute, so that a time rounded to the minute (or the hour) falls
// before a read that takes less than 20 seconds.
func awayFromMinuteBoundary(t *testing.T) {
	t.Helper()
	if s := time.Now().Second(); s < 5 || s > 40 {
		wait := time.Until(time.Now().Truncate(time.Minute).Add(time.Minute + 5*time.Second))
		if s < 5 {
			wait = time.Duration(5-s) * time.Second
		}
		t.Logf("waiting %s to start away from a minute boundary", wait.Round(time.Second))
		time.Sleep(wait)
	}
}

const defaultEndConfig = `
data %[1]q "start_only" {
  domain_name = %[2]q
  start_time  = %[3]q
}

data %[1]q "lookback" {
  domain_name = %[2]q
  lookback    = "2h"
}
`

// lookbackStart checks a lookback window's start: the time of the read minus
// the lookback.
type lookbackStart struct {
	lookback  time.Duration
	stepStart time.Time
}

func (c lookbackStart) CheckValue(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("expected a string, got %T", v)
	}
	got, err := time.Parse(liveapi.TimeLayout, s)
	if err != nil {
		return err
	}
	return nearReadTime{c.stepStart}.CheckValue(got.Add(c.lookback).Format(liveapi.TimeLayout))
}

func (c lookbackStart) String() string { return "the time of the read minus the lookback" }

// TestAccNotifyRecords_planTimeValidation proves bad input is refused with
// an attribute-level error before any API call.
func TestAccNotifyRecords_planTimeValidation(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	old := time.Now().UTC().Add(-8 * 24 * time.Hour).Format(time.RFC3339)
	recent := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	earlier := time.Now().UTC().Add(-2 * time.Hour).Format(time.RFC3339)
	soon := time.Now().UTC().Add(time.Hour).Format(time.RFC3339)
	later := time.Now().UTC().Add(2 * time.Hour).Format(time.RFC3339)
	const domain = `domain_name = "example.com"
`
	const lookback = domain + `lookback = "1h"
`
	cases := []struct {
		name, body string
		want       string
	}{
		{"no window", domain, `(?s)Missing time window.*lookback.*start_time`},
		{"malformed start_time", domain + `start_time = "2024-05-01 08:00"`, `(?s)Invalid time.*RFC 3339`},
		{"malformed end_time", domain + fmt.Sprintf(startEndArgs, recent, "tomorrow"), `(?s)Invalid time`},
		{"end before start", domain + fmt.Sprintf(startEndArgs, recent, earlier), `end_time is not after start_time`},
		{"start older than 7 days", domain + fmt.Sprintf("start_time = %q", old), `(?s)start_time is older than 7\s+days`},
		{"start in the future", domain + fmt.Sprintf(startEndArgs, soon, later), `(?s)start_time is in the future`},
		{"start in the year 10000 UTC", domain + fmt.Sprintf(startEndArgs, "9999-12-31T23:00:00-23:59", "9999-12-31T23:59:00-23:59"),
			`(?s)Invalid time.*start_time.*in UTC it is\s+10000-01-01T22:59:00Z`},
		{"lookback too long", domain + `lookback = "200h"`, `(?s)Invalid lookback.*longer than 7 days`},
		{"lookback zero", domain + `lookback = "0s"`, `(?s)Invalid lookback.*longer than zero`},
		{"lookback in days", domain + `lookback = "2d"`, `(?s)Invalid lookback.*Days are not a duration unit`},
		{"lookback and start_time", domain + fmt.Sprintf(lookbackAndStartArgs, recent), `(?s)Invalid Attribute Combination`},
		{"page_size too large", lookback + "page_size = 501", `(?s)page_size.*between 1 and 500`},
		{"page_size zero", lookback + "page_size = 0", `(?s)page_size.*between 1 and 500`},
		{"page_number zero", lookback + "page_number = 0", `(?s)page_number.*between 1 and`},
		{"status", lookback + `status = "ok"`, `(?s)status.*\["success"\s+"failed"\]`},
		{"keep_records", lookback + `keep_records = "some"`, `(?s)keep_records.*\["all"\s+"failed"\s+"none"\]`},
		{"max_kept_records zero", lookback + "max_kept_records = 0", `(?s)max_kept_records.*at least 1`},
		{"max_kept_records with none", lookback + `keep_records = "none"
max_kept_records = 5`, `(?s)max_kept_records without records to keep`},
		{"nine windows", lookback + `windows = ["1s", "2s", "3s", "4s", "5s", "6s", "7s", "8s", "9s"]`, `(?s)windows.*at\s+most\s+8`},
		{"a duplicate window", lookback + `windows = ["5m", "1h", "5m"]`, `(?s)windows.*duplicate`},
		{"a window not in canonical form", lookback + `windows = ["5m", "60m"]`,
			`(?s)Invalid window.*"60m"\s+is\s+not\s+in\s+canonical\s+form:\s+write\s+it\s+as\s+1h,\s+the\s+form\s+the\s+keys`},
		{"a window in days", lookback + `windows = ["1d"]`, `(?s)Invalid window.*Days\s+are\s+not\s+a\s+duration\s+unit`},
		{"a window longer than lookback", lookback + `windows = ["5m", "6h"]`,
			`(?s)Window longer than the window read.*"6h"\s+is\s+longer\s+than\s+lookback\s+"1h"`},
		{"a window longer than start to end", domain + fmt.Sprintf(startEndArgs, earlier, recent) + "\nwindows = [\"1h1s\"]",
			`(?s)Window longer than the window read.*"1h1s"\s+is\s+longer\s+than\s+the\s+window\s+read`},
		{"empty domain", `domain_name = ""
lookback = "1h"`, `(?s)domain_name.*length`},
		{"malformed domain", `domain_name = "not a domain"
lookback = "1h"`, `(?s)domain_name.*domain name`},
	}
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			emu := startEmulator(t, emulator.Options{})
			var steps []resource.TestStep
			for _, c := range cases {
				steps = append(steps, resource.TestStep{
					Config:      k.config(emu, c.body),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(c.want),
				})
			}
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
			if n := emu.Stats().Requests; n != 0 {
				t.Errorf("plan-time validation let %d requests reach the API", n)
			}
		})
	}
}

const badSecretProvider = `
provider "live" {
  endpoint   = %q
  access_key = %q
  secret_key = "not-the-secret"
}
`

const unknownKeyProvider = `
provider "live" {
  endpoint   = %q
  access_key = "LTAI5tNoSuchKey"
  secret_key = "x"
}
`

// TestAccNotifyRecords_unknownArguments: arguments known only at apply time
// (here from terraform_data) defer validation and the read instead of failing
// the plan; the read then happens during apply.
func TestAccNotifyRecords_unknownArguments(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	clitest.SkipBelow(t, "1.4", "1.6") // terraform_data
	k := streamKind
	emu := startEmulator(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + fmt.Sprintf(`
resource "terraform_data" "window" {
  input = {
    lookback = "24h"
    domain   = %q
  }
}

data %q "test" {
  domain_name = terraform_data.window.output.domain
  lookback    = terraform_data.window.output.lookback
}
`, k.fixtureDomain, k.name),
			ConfigStateChecks: []statecheck.StateCheck{
				k.check(at("total_num"), knownvalue.Int64Exact(2)),
				k.check(at("summary").AtMapKey("failed"), knownvalue.Int64Exact(1)),
			},
		}},
	})
}

// Acceptance tests of the API edges of issue 10, each against the emulator
// in its strict (default) mode: no grace on the 7-day rule.

const edgeData = `
data %q "test" {
  domain_name = %q
  %s
}
`

// edgeConfig is the provider block plus one data source of kind k with the
// given extra arguments.
func edgeConfig(e *testEmulator, kind, domain, args string) string {
	return e.providerConfig() + fmt.Sprintf(edgeData, kind, domain, args)
}

// stateOf returns the flat attributes of data.<kind>.test.
func stateOf(s *terraform.State, kind string) (map[string]string, error) {
	rs, ok := s.RootModule().Resources["data."+kind+".test"]
	if !ok || rs.Primary == nil {
		return nil, fmt.Errorf("data.%s.test is not in state", kind)
	}
	return rs.Primary.Attributes, nil
}

func listAttr(kind string) string {
	for _, k := range dsKinds {
		if k.name == kind {
			return k.list
		}
	}
	panic("unknown data source " + kind)
}

// With ties shuffled on every request, a full read of a busy domain (up to
// 60 callbacks per second, page boundaries inside ties) holds exactly the
// data set: its size, no record twice, and summary totals that add up.
func TestAccAPIEdges_tieShuffle(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	const domain, n = "busy.example.com", 3000
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			emu := startEmulator(t, emulator.Options{ShuffleTies: true, Domains: []emulator.DomainSpec{}})
			end := time.Now().UTC().Truncate(time.Second)
			emu.AddRecordCallbacks(emulator.BurstRecordCallbacks(domain, end, n, 60)...)
			emu.AddStreamRecords(emulator.BurstStreamRecords(domain, end, n, 60)...)
			args := fmt.Sprintf(`start_time = %q
end_time = %q
page_size = 100`, end.Add(-time.Hour).Format(time.RFC3339), end.Format(time.RFC3339))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: edgeConfig(emu, k.name, domain, args),
					Check: func(s *terraform.State) error {
						attrs, err := stateOf(s, k.name)
						if err != nil {
							return err
						}
						list := listAttr(k.name)
						if attrs[list+".#"] != strconv.Itoa(n) {
							return fmt.Errorf("%s holds %s records, want %d", list, attrs[list+".#"], n)
						}
						seen := map[string]bool{}
						for i := range n {
							name := attrs[fmt.Sprintf("%s.%d.stream_name", list, i)]
							if seen[name] {
								return fmt.Errorf("record %s appears twice (%d distinct before it)", name, len(seen))
							}
							seen[name] = true
						}
						for attr, want := range map[string]int{"total_num": n, "summary.total": n, "summary.failed": n / 10, "summary.success": n - n/10} {
							if attrs[attr] != strconv.Itoa(want) {
								return fmt.Errorf("%s = %s, want %d", attr, attrs[attr], want)
							}
						}
						return nil
					},
				}},
			})
			st := emu.Stats()
			t.Logf("%s: %d records; %d requests over the step's reads, each of %d pages", k.name, n, st.Requests, (n+99)/100)
		})
	}
}

const realConfig = `
provider "live" {
  max_qps = 5
}

data %q "test" {
  domain_name  = %q
  lookback     = "24h"
  keep_records = "none"
}
`

// TestAccReal_notifyRecords reads both data sources from the real API. It
// runs only with a real account: LIVE_REAL_DOMAIN names a domain of the
// account, credentials come from ALIBABA_CLOUD_ACCESS_KEY_ID and
// ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_REGION_ID). Read-only.
func TestAccReal_notifyRecords(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	domain := os.Getenv("LIVE_REAL_DOMAIN")
	if domain == "" || os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID") == "" || os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET") == "" {
		t.Skip("real-API test: set LIVE_REAL_DOMAIN, ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET to run it")
	}
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(realConfig, k.name, domain),
					ConfigStateChecks: []statecheck.StateCheck{
						k.check(at("total_num"), knownvalue.NotNull()),
						k.check(at("request_id"), knownvalue.NotNull()),
						k.check(at("summary").AtMapKey("total"), knownvalue.NotNull()),
						k.check(at(k.list), knownvalue.ListSizeExact(0)),
					},
				}},
			})
		})
	}
}
