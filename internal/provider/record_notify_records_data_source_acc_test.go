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
// share (notify_records_acc_test.go).
var recordKind = dsKind{
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
// fields and its notify types.
func TestAccRecordNotifyRecords_codeAndMsg(t *testing.T) {
	requireAcc(t)
	k := recordKind
	emu := frozenEmulator(t, time.Now().UTC().Truncate(time.Second))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + recordFixtureConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				k.check(at("code"), knownvalue.Int64Exact(0)),
				k.check(at("msg"), knownvalue.StringExact("ok")),
				k.check(at("summary").AtMapKey("by_notify_type"), knownvalue.MapExact(map[string]knownvalue.Check{
					"record_started": knownvalue.Int64Exact(1), "file_created": knownvalue.Int64Exact(1),
				})),
			},
		}},
	})
}

// TestAccRecordNotifyRecords_pageNumberRange: the record document bounds
// page_number at 100000.
func TestAccRecordNotifyRecords_pageNumberRange(t *testing.T) {
	requireAcc(t)
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
