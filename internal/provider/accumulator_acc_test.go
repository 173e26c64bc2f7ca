package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// Acceptance tests of the summary as the accumulator computes it, for both
// data sources: the trailing windows, the cap on failed_streams, and
// same-second ties in an API that orders them anew on every request.

// windowCheck is the state of one window of callbacks: their total, the
// failed ones, and failed/total.
func windowCheck(recs []emulator.Notify) knownvalue.Check {
	failed := 0
	for _, r := range recs {
		if r.NotifyResult == "failed" {
			failed++
		}
	}
	ratio := 0.0
	if len(recs) > 0 {
		ratio = float64(failed) / float64(len(recs))
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"total":         knownvalue.Int64Exact(int64(len(recs))),
		"failed":        knownvalue.Int64Exact(int64(failed)),
		"failure_ratio": knownvalue.Float64Exact(ratio),
	})
}

// windowsCheck is the state of summary windows over recs for a read ending
// at end: the callbacks of [end - w, end) for each window w.
func windowsCheck(recs []emulator.Notify, end time.Time, windows map[string]time.Duration) knownvalue.Check {
	checks := map[string]knownvalue.Check{}
	for name, d := range windows {
		checks[name] = windowCheck(inWindow(recs, end.Add(-d), end, nil))
	}
	return knownvalue.MapExact(checks)
}

// TestAccNotifyRecords_windows: summary windows count the callbacks of the
// last 5 minutes, hour, 6 hours and day before end_time, domain-wide, for
// each event type and each webhook, keyed as written; with no windows each
// of those is an empty map.
func TestAccNotifyRecords_windows(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			base := time.Now().UTC().Truncate(time.Second)
			const domain = "windows.example.com"
			emu := frozenEmulator(t, base, emulator.DomainSpec{Name: domain, RecordCallbacks: 30000, StreamRecords: 30000})
			start, end := base.Add(-24*time.Hour), base
			read := inWindow(k.records(emu, domain), start, end, nil)
			windows := map[string]time.Duration{"5m": 5 * time.Minute, "1h": time.Hour, "6h": 6 * time.Hour, "24h": 24 * time.Hour}
			if n := len(inWindow(read, end.Add(-5*time.Minute), end, nil)); n < 3 {
				t.Fatalf("%d callbacks in the last 5 minutes: the data set does not exercise the windows", n)
			}
			body := fmt.Sprintf(windowBody, domain, start.Format(time.RFC3339), end.Format(time.RFC3339))
			config := emu.providerConfig() + k.block("windows", body+`  keep_records = "none"
  windows      = ["5m", "1h", "6h", "24h"]`) + k.block("no_windows", body+`  keep_records = "none"`)

			byType, byURL := map[string][]emulator.Notify{}, map[string][]emulator.Notify{}
			for _, r := range read {
				byType[r.NotifyType] = append(byType[r.NotifyType], r)
				byURL[r.NotifyURL] = append(byURL[r.NotifyURL], r)
			}
			typeChecks, urlChecks, emptyTypes := map[string]knownvalue.Check{}, map[string]knownvalue.Check{}, map[string]knownvalue.Check{}
			for typ, recs := range byType {
				typeChecks[typ] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"windows": windowsCheck(recs, end, windows)})
				emptyTypes[typ] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"windows": knownvalue.MapSizeExact(0)})
			}
			for url, recs := range byURL {
				urlChecks[url] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"windows": windowsCheck(recs, end, windows)})
			}
			summary := func(block string) func(string, knownvalue.Check) statecheck.StateCheck {
				return func(attr string, c knownvalue.Check) statecheck.StateCheck {
					return k.checkOf(block, at("summary").AtMapKey(attr), c)
				}
			}
			with, without := summary("windows"), summary("no_windows")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						with("total", knownvalue.Int64Exact(int64(len(read)))),
						with("windows", windowsCheck(read, end, windows)),
						with("by_notify_type", knownvalue.MapExact(typeChecks)),
						with("by_notify_url", knownvalue.MapExact(urlChecks)),
						without("windows", knownvalue.MapSizeExact(0)),
						without("by_notify_type", knownvalue.MapExact(emptyTypes)),
					},
				}},
			})
		})
	}
}

// TestAccNotifyRecords_failedStreamsCap: of 120 failing streams,
// failed_streams lists the 100 worst (most consecutive failures, then most
// failures, then by name) and failed_streams_omitted counts the other 20.
func TestAccNotifyRecords_failedStreamsCap(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			base := time.Now().UTC().Truncate(time.Second)
			const domain = "streams.example.com"
			emu := frozenEmulator(t, base, emulator.DomainSpec{Name: domain})
			var recs []emulator.Notify
			callback := func(stream, result string, ago time.Duration) {
				recs = append(recs, emulator.Notify{DomainName: domain, AppName: "live", StreamName: stream, NotifyType: "publish",
					NotifyTime: base.Add(-ago), NotifyResult: result, Description: result, NotifyURL: "http://hooks.example.com/cb"})
			}
			want := map[string]knownvalue.Check{}
			for i := range 30 { // 3 failures in a row: listed, at 3.
				s := fmt.Sprintf("a-%03d", i)
				callback(s, "failed", 3*time.Minute)
				callback(s, "failed", 2*time.Minute)
				callback(s, "failed", time.Minute)
				want["live/"+s] = knownvalue.Int64Exact(3)
			}
			for i := range 50 { // 2 failures after a success: listed, at 2.
				s := fmt.Sprintf("b-%03d", i)
				callback(s, "success", 5*time.Minute)
				callback(s, "failed", 2*time.Minute)
				callback(s, "failed", time.Minute)
				want["live/"+s] = knownvalue.Int64Exact(2)
			}
			for i := range 40 { // recovered: the first 20 by name fill the 100.
				s := fmt.Sprintf("c-%03d", i)
				callback(s, "failed", 5*time.Minute)
				callback(s, "success", time.Minute)
				if i < 20 {
					want["live/"+s] = knownvalue.Int64Exact(0)
				}
			}
			k.add(emu, recs)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: k.config(emu, fmt.Sprintf(lookbackBody, domain, "1h")+`  keep_records = "none"`),
					ConfigStateChecks: []statecheck.StateCheck{
						k.check(at("summary").AtMapKey("total"), knownvalue.Int64Exact(320)),
						k.check(at("summary").AtMapKey("failed"), knownvalue.Int64Exact(230)),
						k.check(at("summary").AtMapKey("failed_streams"), knownvalue.MapExact(want)),
						k.check(at("summary").AtMapKey("failed_streams_omitted"), knownvalue.Int64Exact(20)),
					},
				}},
			})
		})
	}
}

// TestAccNotifyRecords_sameSecondTies (issue 27, point 4): an API that lists
// the callbacks of one second in a new order on every request, read three
// times at two callbacks a page, gives the same summary every time, per
// type, per webhook and per stream, and max_kept_records keeps the same
// callbacks.
func TestAccNotifyRecords_sameSecondTies(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			emu := startEmulator(t, emulator.Options{ShuffleTies: true, Domains: []emulator.DomainSpec{}})
			const domain = "ties.example.com"
			second := time.Now().UTC().Truncate(time.Second).Add(-time.Minute)
			newest := second.Format(liveapi.TimeLayout)
			callback := func(ago time.Duration, typ, url, stream, result, desc string) emulator.Notify {
				return emulator.Notify{DomainName: domain, AppName: "app", StreamName: stream, NotifyType: typ, NotifyTime: second.Add(-ago),
					NotifyResult: result, Description: desc, NotifyURL: url}
			}
			const hookA, hookB = "http://a.example.com/cb", "http://b.example.com/cb"
			k.add(emu, []emulator.Notify{
				callback(0, "publish", hookA, "s1", "failed", "timeout"),
				callback(0, "publish", hookA, "s1", "failed", "HTTP 502"),
				callback(0, "publish_done", hookB, "s2", "failed", "connection refused"),
				callback(0, "publish_done", hookB, "s2", "success", "success"),
				callback(time.Second, "publish_done", hookB, "s2", "failed", "HTTP 500"),
			})
			health := func(consecutive int64, desc string) knownvalue.Check {
				return knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"consecutive_failures":       knownvalue.Int64Exact(consecutive),
					"latest_failure_time":        knownvalue.StringExact(newest),
					"latest_failure_description": knownvalue.StringExact(desc),
				})
			}
			kept := knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"notify_type": knownvalue.StringExact("publish"), "stream_name": knownvalue.StringExact("s1"), "notify_time": knownvalue.StringExact(newest),
			})
			step := resource.TestStep{
				Config: k.config(emu, fmt.Sprintf(lookbackBody, domain, "1h")+`  page_size        = 2
  keep_records     = "failed"
  max_kept_records = 2`),
				ConfigStateChecks: []statecheck.StateCheck{
					k.check(at("summary"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"total":                      knownvalue.Int64Exact(5),
						"consecutive_failures":       knownvalue.Int64Exact(0),
						"latest_failure_description": knownvalue.StringExact("HTTP 502"),
						"by_notify_type": knownvalue.MapExact(map[string]knownvalue.Check{
							"publish": health(2, "HTTP 502"), "publish_done": health(0, "connection refused"),
						}),
						"by_notify_url": knownvalue.MapExact(map[string]knownvalue.Check{
							hookA: health(2, "HTTP 502"), hookB: health(0, "connection refused"),
						}),
						"failed_streams": knownvalue.MapExact(map[string]knownvalue.Check{
							"app/s1": knownvalue.Int64Exact(2), "app/s2": knownvalue.Int64Exact(0),
						}),
					})),
					k.check(at(k.list), knownvalue.ListExact([]knownvalue.Check{kept, kept})),
				},
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{step, step, step},
			})
			t.Logf("%s: %d requests over the reads", k.name, emu.Stats().Requests)
		})
	}
}
