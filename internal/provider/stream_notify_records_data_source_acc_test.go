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

// streamKind is live_stream_notify_records for the tests both data sources
// share (read_acc_test.go).
var streamKind = dsKind{
	name:          "live_stream_notify_records",
	list:          "notify_records_info",
	action:        emulator.ActionDescribeLiveStreamsNotifyRecords,
	fixtureDomain: emulator.FixtureStreamDomain,
	records: func(e *testEmulator, domain string) []emulator.Notify {
		return notifies(e.StreamRecords(domain), func(r emulator.StreamRecord) emulator.Notify { return r.Notify })
	},
	add: func(e *testEmulator, recs []emulator.Notify) {
		for _, n := range recs {
			e.AddStreamRecords(emulator.StreamRecord{Notify: n})
		}
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
}

// TestAccStreamNotifyRecords_oneTypeStillFailing is issue 17's first case
// through the CLI, on the emulator's FixtureFailingTypeDomain: every publish
// callback succeeded and the newest 5 publish_done callbacks failed, all to
// one webhook, so the newest callback of all and the webhook's newest are
// successes. The summary's and the webhook's consecutive_failures are 0;
// publish_done's own health says it is still failing.
func TestAccStreamNotifyRecords_oneTypeStillFailing(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	k := streamKind
	base := time.Now().UTC().Truncate(time.Second)
	emu := frozenEmulator(t, base, []emulator.DomainSpec{}...)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: k.config(emu, fmt.Sprintf(lookbackBody, emulator.FixtureFailingTypeDomain, "24h")),
			ConfigStateChecks: []statecheck.StateCheck{
				k.check(at("summary"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"total": knownvalue.Int64Exact(300), "failed": knownvalue.Int64Exact(5),
					"consecutive_failures": knownvalue.Int64Exact(0),
				})),
				k.check(at("summary").AtMapKey("by_notify_type"), knownvalue.MapExact(map[string]knownvalue.Check{
					"publish": knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"total": knownvalue.Int64Exact(150), "failed": knownvalue.Int64Exact(0), "consecutive_failures": knownvalue.Int64Exact(0),
					}),
					"publish_done": knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"total": knownvalue.Int64Exact(150), "failed": knownvalue.Int64Exact(5), "consecutive_failures": knownvalue.Int64Exact(5),
						"latest_failure_time": knownvalue.StringExact(base.Add(-2 * time.Minute).Format(liveapi.TimeLayout)),
					}),
				})),
				k.check(at("summary").AtMapKey("by_notify_url"), knownvalue.MapExact(map[string]knownvalue.Check{
					emulator.FailingTypeURL: knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"total": knownvalue.Int64Exact(300), "consecutive_failures": knownvalue.Int64Exact(0),
					}),
				})),
			},
		}},
	})
}

// TestAccStreamNotifyRecords_pageNumberRange: the stream document gives no
// upper bound, so a page beyond the record action's 100000 is valid (and
// empty); only the SDK's int32 bounds it.
func TestAccStreamNotifyRecords_pageNumberRange(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	k := streamKind
	emu := frozenEmulator(t, time.Now().UTC().Truncate(time.Second))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: emu.providerConfig() + `
data "live_stream_notify_records" "test" {
  domain_name = "push.example1.com"
  lookback    = "24h"
  page_number = 100001
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					k.check(at(k.list), knownvalue.ListSizeExact(0)),
					k.check(at("page_num"), knownvalue.Int64Exact(100001)),
					k.check(at("total_num"), knownvalue.Int64Exact(2)),
				},
			},
		},
	})
	// Beyond the SDK's int32, refused at plan (in its own test case: the
	// post-test destroy runs the last configuration).
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + `
data "live_stream_notify_records" "test" {
  domain_name = "push.example1.com"
  lookback    = "24h"
  page_number = 2147483648
}
`,
			PlanOnly:    true,
			ExpectError: regexpMust(`(?s)page_number.*between 1 and\s+2147483647`),
		}},
	})
}
