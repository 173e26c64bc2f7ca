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

	"strconv"

	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccNotifyRecords_defaultEndIsTheReadTime: the end of a window given by
// start_time alone, or by lookback, is the time of the read to the second.
func TestAccNotifyRecords_defaultEndIsTheReadTime(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			emu := startEmulator(t, emulator.Options{})
			awayFromMinuteBoundary(t)
			stepStart := time.Now()
			startTime := stepStart.UTC().Add(-3 * time.Hour).Truncate(time.Second)
			check := func(name, attr string, want knownvalue.Check) statecheck.StateCheck {
				return statecheck.ExpectKnownValue(fmt.Sprintf("data.%s.%s", k.name, name), at(attr), want)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: emu.providerConfig() + fmt.Sprintf(defaultEndConfig, k.name, k.fixtureDomain, startTime.Format(time.RFC3339)),
					ConfigStateChecks: []statecheck.StateCheck{
						check("start_only", "start_time", knownvalue.StringExact(startTime.Format(liveapi.TimeLayout))),
						check("start_only", "end_time", nearReadTime{stepStart}),
						check("lookback", "end_time", nearReadTime{stepStart}),
						check("lookback", "start_time", lookbackStart{2 * time.Hour, stepStart}),
					},
				}},
			})
		})
	}
}

// lookback = "168h", the documented maximum, succeeds against an API strict
// to the second, for a read of many pages at a modest rate, and with a read
// timeout of a day gives up only the margin (issue 17: it gave up 24 hours);
// start_time reports the start actually sent.
func TestAccAPIEdges_lookback168h(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	const domain = "week.example.com"
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			emu := startEmulator(t, emulator.Options{Seed: 5, Latency: 2 * time.Millisecond,
				Domains: []emulator.DomainSpec{{Name: domain, RecordCallbacks: 20000, StreamRecords: 20000}}})
			var began time.Time
			config := emu.providerConfig("max_qps = 50") + fmt.Sprintf(edgeData, k.name, domain, `lookback = "168h"
page_size = 100
keep_records = "none"
timeouts {
  read = "24h"
}`)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					PreConfig: func() { began = time.Now() },
					Config:    config,
					Check: func(s *terraform.State) error {
						done := time.Now()
						attrs, err := stateOf(s, k.name)
						if err != nil {
							return err
						}
						start, err1 := time.Parse(liveapi.TimeLayout, attrs["start_time"])
						end, err2 := time.Parse(liveapi.TimeLayout, attrs["end_time"])
						if err1 != nil || err2 != nil {
							return fmt.Errorf("start_time %q, end_time %q", attrs["start_time"], attrs["end_time"])
						}
						lo := began.Add(liveapi.WindowMargin - liveapi.MaxLookback).Truncate(time.Second)
						hi := done.Add(liveapi.WindowMargin - liveapi.MaxLookback).Truncate(time.Second).Add(time.Second)
						if start.Before(lo) || start.After(hi) {
							return fmt.Errorf("start_time %s is not the start the margin leaves, in [%s, %s]", start, lo, hi)
						}
						if read := end.Sub(start); read < liveapi.MaxLookback-liveapi.WindowMargin-2*time.Second || read > liveapi.MaxLookback-liveapi.WindowMargin {
							return fmt.Errorf("the window read is %s; want 168h less the %s margin", read, liveapi.WindowMargin)
						}
						want := len(inWindow(k.records(emu, domain), start, end, nil))
						if attrs["total_num"] != strconv.Itoa(want) || attrs["summary.total"] != strconv.Itoa(want) {
							return fmt.Errorf("total_num %s, summary.total %s; the window holds %d", attrs["total_num"], attrs["summary.total"], want)
						}
						t.Logf("%s lookback 168h: %d records in %s pages; the step (plan and apply) took %s; start_time %s is end_time - %s",
							k.name, want, attrs["total_page"], done.Sub(began).Round(time.Millisecond), attrs["start_time"], end.Sub(start))
						return nil
					},
				}},
			})
			if st := emu.Stats(); st.ByCode["Duration.Exceed"]+st.ByCode["MalformedParams"] != 0 {
				t.Errorf("the API refused a window: %v", st.ByCode)
			}
		})
	}
}

// A window inside one second passes the plan and reaches the API as that
// whole second, never as an empty window.
func TestAccAPIEdges_subSecondWindow(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	const domain = "subsecond.example.com"
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			emu := startEmulator(t, emulator.Options{Domains: []emulator.DomainSpec{}})
			second := time.Now().UTC().Truncate(time.Second).Add(-time.Hour)
			emu.AddRecordCallbacks(emulator.BurstRecordCallbacks(domain, second.Add(time.Second), 3, 3)...)
			emu.AddStreamRecords(emulator.BurstStreamRecords(domain, second.Add(time.Second), 3, 3)...)
			args := fmt.Sprintf(`start_time = %q
end_time = %q`, second.Add(200*time.Millisecond).Format(time.RFC3339Nano), second.Add(700*time.Millisecond).Format(time.RFC3339Nano))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: edgeConfig(emu, k.name, domain, args),
					Check: resource.ComposeTestCheckFunc(
						resource.TestCheckResourceAttr("data."+k.name+".test", "start_time", second.Format(liveapi.TimeLayout)),
						resource.TestCheckResourceAttr("data."+k.name+".test", "end_time", second.Add(time.Second).Format(liveapi.TimeLayout)),
						resource.TestCheckResourceAttr("data."+k.name+".test", k.list+".#", "3"),
						resource.TestCheckResourceAttr("data."+k.name+".test", "summary.total", "3"),
					),
				}},
			})
			if st := emu.Stats(); len(st.ByCode) != 0 {
				t.Errorf("the API answered errors: %v", st.ByCode)
			}
		})
	}
}
