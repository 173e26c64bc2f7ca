package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// dsKind lets one acceptance test cover both data sources: they share their
// implementation, and the tests prove each is wired to the right action,
// list attribute and record fields.
type dsKind struct {
	name          string
	list          string
	action        string
	fixtureDomain string
	// records returns the emulator's records of a domain in API order, as
	// the common fields the tests compare.
	records func(e *testEmulator, domain string) []emulator.Notify
	// fixtureNewest is the exact state of the newest fixture record.
	fixtureNewest func(base time.Time) map[string]knownvalue.Check
}

var dsKinds = []dsKind{
	{
		name:          "live_record_notify_records",
		list:          "callback_list",
		action:        emulator.ActionDescribeLiveRecordNotifyRecords,
		fixtureDomain: emulator.FixtureRecordDomain,
		records: func(e *testEmulator, domain string) []emulator.Notify {
			return notifies(e.RecordCallbacks(domain), func(r emulator.RecordCallback) emulator.Notify { return r.Notify })
		},
		fixtureNewest: func(base time.Time) map[string]knownvalue.Check {
			return map[string]knownvalue.Check{
				"app_name":        knownvalue.StringExact("liveApp****"),
				"description":     knownvalue.StringExact("success"),
				"domain_name":     knownvalue.StringExact("example.com"),
				"notify_content":  knownvalue.StringExact(`7月26日 16:14{"domain":"al.xxxx.com","stream":"livestream01","pull _stream_result":true,"cdn":"al"}`),
				"notify_result":   knownvalue.StringExact("success"),
				"notify_time":     knownvalue.StringExact(base.Add(-time.Hour).Format(liveapi.TimeLayout)),
				"notify_type":     knownvalue.StringExact("record_started"),
				"notify_url":      knownvalue.StringExact("http://learn.aliyundoc.com/examplecallback.action"),
				"notify_header":   knownvalue.StringExact(""),
				"stream_name":     knownvalue.StringExact("liveStream****"),
				"notify_response": knownvalue.StringExact(`{"Code":0,"Msg":"Success"}`),
				"storage_type":    knownvalue.StringExact("oss"),
			}
		},
	},
	{
		name:          "live_stream_notify_records",
		list:          "notify_records_info",
		action:        emulator.ActionDescribeLiveStreamsNotifyRecords,
		fixtureDomain: emulator.FixtureStreamDomain,
		records: func(e *testEmulator, domain string) []emulator.Notify {
			return notifies(e.StreamRecords(domain), func(r emulator.StreamRecord) emulator.Notify { return r.Notify })
		},
		fixtureNewest: func(base time.Time) map[string]knownvalue.Check {
			return map[string]knownvalue.Check{
				"app_name":        knownvalue.StringExact("app"),
				"description":     knownvalue.StringExact("success"),
				"domain_name":     knownvalue.StringExact("push.example1.com"),
				"notify_content":  knownvalue.StringExact(`{\"action\":\"publish_done\",\"app\":\"push.example1.com\"}`),
				"notify_result":   knownvalue.StringExact("success"),
				"notify_time":     knownvalue.StringExact(base.Add(-time.Hour).Format(liveapi.TimeLayout)),
				"notify_type":     knownvalue.StringExact("publish_done"),
				"notify_url":      knownvalue.StringExact("http://xx.xx.xx.xx/callbacks"),
				"notify_header":   knownvalue.StringExact(""),
				"notify_response": knownvalue.StringExact(""),
				"stream_name":     knownvalue.StringExact("stream"),
			}
		},
	},
}

func notifies[T any](records []T, common func(T) emulator.Notify) []emulator.Notify {
	out := make([]emulator.Notify, len(records))
	for i, r := range records {
		out[i] = common(r)
	}
	return out
}

const testAddr = "data.%s.test"

func (k dsKind) addr() string { return fmt.Sprintf(testAddr, k.name) }

// config is a provider block plus one data source with the given body.
func (k dsKind) config(e *testEmulator, body string) string {
	return e.providerConfig() + fmt.Sprintf("\ndata %q \"test\" {\n%s\n}\n", k.name, body)
}

func (k dsKind) check(path tfjsonpath.Path, want knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(k.addr(), path, want)
}

func at(name string) tfjsonpath.Path { return tfjsonpath.New(name) }

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

// frozenEmulator serves an emulator whose data set is relative to base.
func frozenEmulator(t *testing.T, base time.Time, domains ...emulator.DomainSpec) *testEmulator {
	opts := emulator.Options{Seed: 7, Now: func() time.Time { return base }}
	if domains != nil {
		opts.Domains = domains
	}
	return startEmulator(t, opts)
}

// TestAccNotifyRecords_fixture proves every response field is mapped, values
// come through exactly (non-ASCII text, escaped JSON), the window resolves,
// and the summary adds up, for both data sources.
func TestAccNotifyRecords_fixture(t *testing.T) {
	requireAcc(t)
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			base := time.Now().UTC().Truncate(time.Second)
			emu := frozenEmulator(t, base)
			checks := []statecheck.StateCheck{
				k.check(at(k.list), knownvalue.ListSizeExact(2)),
				k.check(at(k.list).AtSliceIndex(0), knownvalue.ObjectExact(k.fixtureNewest(base))),
				k.check(at(k.list).AtSliceIndex(1).AtMapKey("notify_result"), knownvalue.StringExact("failed")),
				k.check(at("total_num"), knownvalue.Int64Exact(2)),
				k.check(at("total_page"), knownvalue.Int64Exact(1)),
				k.check(at("page_num"), knownvalue.Int64Exact(1)),
				k.check(at("page_size"), knownvalue.Int64Exact(500)),
				k.check(at("request_id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9A-F-]{36}$`))),
				k.check(at("start_time"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
				k.check(at("end_time"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
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
			}
			if k.name == "live_record_notify_records" {
				checks = append(checks,
					k.check(at("code"), knownvalue.Int64Exact(0)),
					k.check(at("msg"), knownvalue.StringExact("ok")),
					k.check(at("summary").AtMapKey("by_notify_type"), knownvalue.MapExact(map[string]knownvalue.Check{
						"record_started": knownvalue.Int64Exact(1), "file_created": knownvalue.Int64Exact(1),
					})),
				)
			} else {
				checks = append(checks, k.check(at("summary").AtMapKey("failed_by_notify_type"), knownvalue.MapExact(map[string]knownvalue.Check{
					"publish": knownvalue.Int64Exact(1),
				})))
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:            k.config(emu, fmt.Sprintf("domain_name = %q\nlookback = \"24h\"", k.fixtureDomain)),
					ConfigStateChecks: checks,
				}},
			})
		})
	}
}

// TestAccNotifyRecords_filters checks each request filter against the
// emulator's data set filtered independently here.
func TestAccNotifyRecords_filters(t *testing.T) {
	requireAcc(t)
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			base := time.Now().UTC().Truncate(time.Second)
			const domain = "filters.example.com"
			emu := frozenEmulator(t, base, emulator.DomainSpec{Name: domain, RecordCallbacks: 900, StreamRecords: 900})
			start, end := base.Add(-5*24*time.Hour), base.Add(-time.Hour)
			all := k.records(emu, domain)
			sample := all[len(all)/2]
			window := fmt.Sprintf("domain_name = %q\nstart_time = %q\nend_time = %q\n", domain,
				start.Format(time.RFC3339), end.In(time.FixedZone("UTC+8", 8*3600)).Format(time.RFC3339))

			cases := []struct {
				name string
				args string
				keep func(emulator.Notify) bool
			}{
				{"window", "", nil},
				{"status", `status = "failed"`, func(r emulator.Notify) bool { return r.NotifyResult == "failed" }},
				{"app_name", fmt.Sprintf("app_name = %q", sample.AppName), func(r emulator.Notify) bool { return r.AppName == sample.AppName }},
				{"stream_name", fmt.Sprintf("stream_name = %q\napp_name = %q", sample.StreamName, sample.AppName),
					func(r emulator.Notify) bool { return r.StreamName == sample.StreamName && r.AppName == sample.AppName }},
			}
			var steps []resource.TestStep
			for _, c := range cases {
				want := inWindow(all, start, end, c.keep)
				if len(want) == 0 || len(want) == len(all) {
					t.Fatalf("filter %s selects %d of %d records: the data set does not exercise it", c.name, len(want), len(all))
				}
				steps = append(steps, resource.TestStep{
					Config: k.config(emu, window+c.args),
					ConfigStateChecks: []statecheck.StateCheck{
						k.check(at("total_num"), knownvalue.Int64Exact(int64(len(want)))),
						k.check(at(k.list), knownvalue.ListSizeExact(len(want))),
						k.check(at(k.list).AtSliceIndex(0).AtMapKey("notify_time"), knownvalue.StringExact(want[0].NotifyTime.Format(liveapi.TimeLayout))),
						k.check(at(k.list).AtSliceIndex(len(want)-1).AtMapKey("notify_time"), knownvalue.StringExact(want[len(want)-1].NotifyTime.Format(liveapi.TimeLayout))),
						k.check(at("start_time"), knownvalue.StringExact(start.Format(liveapi.TimeLayout))),
						k.check(at("end_time"), knownvalue.StringExact(end.Format(liveapi.TimeLayout))),
						k.check(at("summary").AtMapKey("total"), knownvalue.Int64Exact(int64(len(want)))),
					},
				})
			}
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
		})
	}
}

// TestAccRecordNotifyRecords_storageType covers the record-only filter.
func TestAccRecordNotifyRecords_storageType(t *testing.T) {
	requireAcc(t)
	k := dsKinds[0]
	emu := frozenEmulator(t, time.Now().UTC().Truncate(time.Second))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: k.config(emu, `domain_name = "example.com"
lookback = "24h"
storage_type = "vod"`),
			ConfigStateChecks: []statecheck.StateCheck{
				k.check(at("total_num"), knownvalue.Int64Exact(1)),
				k.check(at(k.list).AtSliceIndex(0).AtMapKey("storage_type"), knownvalue.StringExact("vod")),
				k.check(at(k.list).AtSliceIndex(0).AtMapKey("notify_type"), knownvalue.StringExact("file_created")),
			},
		}},
	})
}

// TestAccNotifyRecords_paging reads many pages (every page, in order) and a
// single page, and checks include_records = false keeps state small.
func TestAccNotifyRecords_paging(t *testing.T) {
	requireAcc(t)
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			base := time.Now().UTC().Truncate(time.Second)
			const domain = "paging.example.com"
			emu := frozenEmulator(t, base, emulator.DomainSpec{Name: domain, RecordCallbacks: 2345, StreamRecords: 2345})
			start := base.Add(-6 * 24 * time.Hour)
			want := inWindow(k.records(emu, domain), start, base.Add(time.Second), nil)
			if len(want) < 1500 {
				t.Fatalf("only %d records in the window; the test needs many pages", len(want))
			}
			window := fmt.Sprintf("domain_name = %q\nstart_time = %q\nend_time = %q\n", domain, start.Format(time.RFC3339), base.Add(time.Second).Format(time.RFC3339))
			notifyTime := func(i int) knownvalue.Check {
				return knownvalue.StringExact(want[i].NotifyTime.Format(liveapi.TimeLayout))
			}
			failed := 0
			for _, r := range want {
				if r.NotifyResult == "failed" {
					failed++
				}
			}
			pages := (len(want) + 99) / 100
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: k.config(emu, window+"page_size = 100"),
						ConfigStateChecks: []statecheck.StateCheck{
							k.check(at("total_num"), knownvalue.Int64Exact(int64(len(want)))),
							k.check(at("total_page"), knownvalue.Int64Exact(int64(pages))),
							k.check(at(k.list), knownvalue.ListSizeExact(len(want))),
							k.check(at(k.list).AtSliceIndex(0).AtMapKey("notify_time"), notifyTime(0)),
							k.check(at(k.list).AtSliceIndex(99).AtMapKey("notify_time"), notifyTime(99)),
							k.check(at(k.list).AtSliceIndex(100).AtMapKey("notify_time"), notifyTime(100)),
							k.check(at(k.list).AtSliceIndex(len(want)/2).AtMapKey("notify_content"), knownvalue.StringExact(want[len(want)/2].NotifyContent)),
							k.check(at(k.list).AtSliceIndex(len(want)-1).AtMapKey("notify_time"), notifyTime(len(want)-1)),
							k.check(at("summary").AtMapKey("failed"), knownvalue.Int64Exact(int64(failed))),
						},
					},
					{
						Config: k.config(emu, window+"page_size = 50\npage_number = 3"),
						ConfigStateChecks: []statecheck.StateCheck{
							k.check(at(k.list), knownvalue.ListSizeExact(50)),
							k.check(at(k.list).AtSliceIndex(0).AtMapKey("notify_time"), notifyTime(100)),
							k.check(at(k.list).AtSliceIndex(49).AtMapKey("notify_time"), notifyTime(149)),
							k.check(at("page_num"), knownvalue.Int64Exact(3)),
							k.check(at("page_size"), knownvalue.Int64Exact(50)),
							k.check(at("total_num"), knownvalue.Int64Exact(int64(len(want)))),
							k.check(at("total_page"), knownvalue.Int64Exact(int64((len(want)+49)/50))),
							k.check(at("summary").AtMapKey("total"), knownvalue.Int64Exact(50)),
						},
					},
					{
						Config: k.config(emu, window+"include_records = false"),
						ConfigStateChecks: []statecheck.StateCheck{
							k.check(at(k.list), knownvalue.ListSizeExact(0)),
							k.check(at("total_num"), knownvalue.Int64Exact(int64(len(want)))),
							k.check(at("summary").AtMapKey("total"), knownvalue.Int64Exact(int64(len(want)))),
							k.check(at("summary").AtMapKey("failed"), knownvalue.Int64Exact(int64(failed))),
						},
					},
				},
			})
		})
	}
}

// TestAccNotifyRecords_planTimeValidation proves bad input is refused with
// an attribute-level error before any API call.
func TestAccNotifyRecords_planTimeValidation(t *testing.T) {
	requireAcc(t)
	old := time.Now().UTC().Add(-8 * 24 * time.Hour).Format(time.RFC3339)
	recent := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	earlier := time.Now().UTC().Add(-2 * time.Hour).Format(time.RFC3339)
	cases := []struct {
		name, body string
		want       string
	}{
		{"no window", `domain_name = "example.com"`, `(?s)Missing time window.*lookback.*start_time`},
		{"malformed start_time", `domain_name = "example.com"` + "\n" + `start_time = "2024-05-01 08:00"`, `(?s)Invalid time.*RFC 3339`},
		{"malformed end_time", `domain_name = "example.com"` + "\n" + fmt.Sprintf("start_time = %q\nend_time = \"tomorrow\"", recent), `(?s)Invalid time`},
		{"end before start", `domain_name = "example.com"` + "\n" + fmt.Sprintf("start_time = %q\nend_time = %q", recent, earlier), `end_time is not after start_time`},
		{"start older than 7 days", `domain_name = "example.com"` + "\n" + fmt.Sprintf("start_time = %q", old), `(?s)start_time is older than 7\s+days`},
		{"lookback too long", `domain_name = "example.com"` + "\n" + `lookback = "200h"`, `(?s)Invalid lookback.*longer than 7 days`},
		{"lookback zero", `domain_name = "example.com"` + "\n" + `lookback = "0s"`, `(?s)Invalid lookback.*longer than zero`},
		{"lookback in days", `domain_name = "example.com"` + "\n" + `lookback = "2d"`, `(?s)Invalid lookback.*Days are not a duration unit`},
		{"lookback and start_time", `domain_name = "example.com"` + "\n" + fmt.Sprintf("lookback = \"1h\"\nstart_time = %q", recent), `(?s)Invalid Attribute Combination`},
		{"page_size too large", `domain_name = "example.com"` + "\nlookback = \"1h\"\npage_size = 501", `(?s)page_size.*between 1 and 500`},
		{"page_size zero", `domain_name = "example.com"` + "\nlookback = \"1h\"\npage_size = 0", `(?s)page_size.*between 1 and 500`},
		{"page_number zero", `domain_name = "example.com"` + "\nlookback = \"1h\"\npage_number = 0", `(?s)page_number.*between 1 and\s+100000`},
		{"status", `domain_name = "example.com"` + "\nlookback = \"1h\"\nstatus = \"ok\"", `(?s)status.*\["success"\s+"failed"\]`},
		{"empty domain", `domain_name = ""` + "\nlookback = \"1h\"", `(?s)domain_name.*length`},
		{"malformed domain", `domain_name = "not a domain"` + "\nlookback = \"1h\"", `(?s)domain_name.*domain name`},
	}
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
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

// TestAccNotifyRecords_apiErrors proves the documented API errors surface
// with their code, request id and an actionable detail.
func TestAccNotifyRecords_apiErrors(t *testing.T) {
	requireAcc(t)
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			emu := startEmulator(t, emulator.Options{})
			// An API whose clock runs a day ahead sees a 7-day-old start as
			// 8 days old: the window error only the API can detect.
			skewed := startEmulator(t, emulator.Options{Now: func() time.Time { return time.Now().Add(24 * time.Hour) }})
			windowErr := `(?s)DescribeLiveStreamsNotifyRecords failed: Duration.Exceed.*Request ID: [0-9A-F-]{36}.*7\s+days`
			if k.name == "live_record_notify_records" {
				windowErr = `(?s)DescribeLiveRecordNotifyRecords failed: MalformedParams.*Request ID: [0-9A-F-]{36}`
			}
			body := fmt.Sprintf("domain_name = %q\nlookback = \"1h\"", k.fixtureDomain)
			dataBlock := fmt.Sprintf("\ndata %q \"test\" {\n%s\n}\n", k.name, body)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:      fmt.Sprintf("provider \"live\" {\n endpoint = %q\n access_key = %q\n secret_key = \"not-the-secret\"\n}\n", emu.URL, emulator.DefaultAccessKeyID) + dataBlock,
						ExpectError: regexp.MustCompile(`(?s)failed: SignatureDoesNotMatch.*Request ID: [0-9A-F-]{36}.*secret\s+key`),
					},
					{
						Config:      fmt.Sprintf("provider \"live\" {\n endpoint = %q\n access_key = \"LTAI5tNoSuchKey\"\n secret_key = \"x\"\n}\n", emu.URL) + dataBlock,
						ExpectError: regexp.MustCompile(`(?s)failed: InvalidAccessKeyId.NotFound.*HTTP 404.*Request ID`),
					},
					{
						Config:      skewed.providerConfig() + fmt.Sprintf("\ndata %q \"test\" {\ndomain_name = %q\nlookback = \"167h\"\n}\n", k.name, k.fixtureDomain),
						ExpectError: regexp.MustCompile(windowErr),
					},
				},
			})
			if n := emu.Stats().ByCode["SignatureDoesNotMatch"]; n == 0 {
				t.Errorf("the emulator never answered SignatureDoesNotMatch; stats %+v", emu.Stats())
			}
		})
	}
}
