package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// recordKind is live_record_notify_records for the tests both data sources
// share (read_acc_test.go).
var recordKind = dsKind{
	name:          "live_record_notify_records",
	list:          "callback_list",
	action:        emulator.ActionDescribeLiveRecordNotifyRecords,
	fixtureDomain: emulator.FixtureRecordDomain,
	records: func(e *testEmulator, domain string) []emulator.Notify {
		return notifies(e.RecordCallbacks(domain), func(r emulator.RecordCallback) emulator.Notify { return r.Notify })
	},
	add: func(e *testEmulator, recs []emulator.Notify) {
		for _, n := range recs {
			e.AddRecordCallbacks(emulator.RecordCallback{Notify: n, StorageType: "oss"})
		}
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
}

const recordStorageTypeConfig = `
data "live_record_notify_records" "test" {
  domain_name  = "example.com"
  lookback     = "24h"
  storage_type = "vod"
}
`

// TestAccRecordNotifyRecords_storageType covers the record-only filter.
func TestAccRecordNotifyRecords_storageType(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	k := recordKind
	emu := frozenEmulator(t, time.Now().UTC().Truncate(time.Second))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + recordStorageTypeConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				k.check(at("total_num"), knownvalue.Int64Exact(1)),
				k.check(at(k.list).AtSliceIndex(0).AtMapKey("storage_type"), knownvalue.StringExact("vod")),
				k.check(at(k.list).AtSliceIndex(0).AtMapKey("notify_type"), knownvalue.StringExact("file_created")),
			},
		}},
	})
}

const recordFixtureConfig = `
data "live_record_notify_records" "test" {
  domain_name = "example.com"
  lookback    = "24h"
}
`

// TestAccRecordNotifyRecords_codeAndMsg: the record action's own response
// fields, and the health of each of its notify types and webhooks.
func TestAccRecordNotifyRecords_codeAndMsg(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	k := recordKind
	emu := frozenEmulator(t, time.Now().UTC().Truncate(time.Second))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + recordFixtureConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				k.check(at("code"), knownvalue.Int64Exact(0)),
				k.check(at("msg"), knownvalue.StringExact("ok")),
				// The newest callback succeeded, but it is a record_started:
				// file_created's only callback failed, so that type is still failing.
				k.check(at("summary").AtMapKey("consecutive_failures"), knownvalue.Int64Exact(0)),
				k.check(at("summary").AtMapKey("by_notify_type"), knownvalue.MapExact(map[string]knownvalue.Check{
					"record_started": knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"total": knownvalue.Int64Exact(1), "failed": knownvalue.Int64Exact(0), "consecutive_failures": knownvalue.Int64Exact(0),
						"latest_failure_time": knownvalue.Null(),
					}),
					"file_created": knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"total": knownvalue.Int64Exact(1), "failed": knownvalue.Int64Exact(1), "consecutive_failures": knownvalue.Int64Exact(1),
						"failure_ratio": knownvalue.Float64Exact(1), "latest_failure_description": knownvalue.StringExact("callback failed: HTTP 502 Bad Gateway"),
					}),
				})),
				k.check(at("summary").AtMapKey("by_notify_url"), knownvalue.MapExact(map[string]knownvalue.Check{
					emulator.DocRecordNotifyURL: knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"total": knownvalue.Int64Exact(2), "failed": knownvalue.Int64Exact(1), "consecutive_failures": knownvalue.Int64Exact(0),
					}),
				})),
				k.check(at("summary").AtMapKey("failed_streams"), knownvalue.MapExact(map[string]knownvalue.Check{
					"liveApp****/liveStream****": knownvalue.Int64Exact(0),
				})),
			},
		}},
	})
}

// TestAccRecordNotifyRecords_pageNumberRange: the record document bounds
// page_number at 100000.
func TestAccRecordNotifyRecords_pageNumberRange(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	emu := startEmulator(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + `
data "live_record_notify_records" "test" {
  domain_name = "example.com"
  lookback    = "1h"
  page_number = 100001
}
`,
			PlanOnly:    true,
			ExpectError: regexpMust(`(?s)page_number.*between 1 and\s+100000`),
		}},
	})
	if n := emu.Stats().Requests; n != 0 {
		t.Errorf("plan-time validation let %d requests reach the API", n)
	}
}
