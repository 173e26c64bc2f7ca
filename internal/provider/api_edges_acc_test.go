package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

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

// A record page whose Code is not 0 fails the plan with the code, the
// message and the request id, on the first page or a later one; the plan
// stops there, so nothing is written to state.
func TestAccAPIEdges_flaggedCode(t *testing.T) {
	requireAcc(t)
	const kind, domain = "live_record_notify_records", "flagged.example.com"
	emu := startEmulator(t, emulator.Options{Domains: []emulator.DomainSpec{{Name: domain, RecordCallbacks: 600}}})
	flag := func(fromPage int) func() {
		return func() {
			emu.SetFaults(emulator.Faults{FlaggedAnswer: emulator.Flag{Code: 1001, Msg: "the domain is being migrated", FromPage: fromPage}})
		}
	}
	wantErr := regexp.MustCompile(`(?s)DescribeLiveRecordNotifyRecords failed: 1001.*HTTP\s+200,\s+code\s+1001:\s+the\s+domain\s+is\s+being\s+migrated.*Request\s+ID:\s+[0-9A-F-]{36}`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{PreConfig: flag(1), Config: edgeConfig(emu, kind, domain, `lookback = "168h"`), ExpectError: wantErr},
			{PreConfig: flag(3), Config: edgeConfig(emu, kind, domain, `lookback = "168h"
page_size = 100`), ExpectError: wantErr},
		},
	})
	if n := emu.Stats().FaultsByKind[emulator.FaultFlaggedAnswer]; n < 2 {
		t.Errorf("the emulator flagged %d answers, want at least 2", n)
	}
}

// lookback = "168h", the documented maximum, succeeds against an API strict
// to the second, for a read of many pages at a modest rate; start_time
// reports the start actually sent: the oldest instant still within 7 days at
// the read's deadline (timeouts.read), rounded up to the second.
func TestAccAPIEdges_lookback168h(t *testing.T) {
	requireAcc(t)
	const domain, readTimeout = "week.example.com", 10 * time.Minute
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			emu := startEmulator(t, emulator.Options{Seed: 5, Latency: 2 * time.Millisecond,
				Domains: []emulator.DomainSpec{{Name: domain, RecordCallbacks: 20000, StreamRecords: 20000}}})
			var began time.Time
			config := emu.providerConfig("max_qps = 50") + fmt.Sprintf(edgeData, k.name, domain, `lookback = "168h"
page_size = 100
keep_records = "none"
timeouts {
  read = "10m"
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
						lo := began.Add(readTimeout - liveapi.MaxLookback).Truncate(time.Second)
						hi := done.Add(readTimeout - liveapi.MaxLookback).Truncate(time.Second).Add(time.Second)
						if start.Before(lo) || start.After(hi) {
							return fmt.Errorf("start_time %s is not the clamped start in [%s, %s]", start, lo, hi)
						}
						if want := end.Add(-liveapi.MaxLookback); !start.After(want) {
							return fmt.Errorf("start_time %s was not raised above end_time - 168h %s", start, want)
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
	const domain = "subsecond.example.com"
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
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

// With ties shuffled on every request, a full read of a busy domain (up to
// 60 callbacks per second, page boundaries inside ties) holds exactly the
// data set: its size, no record twice, and summary totals that add up.
func TestAccAPIEdges_tieShuffle(t *testing.T) {
	requireAcc(t)
	const domain, n = "busy.example.com", 3000
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
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

// A full read that would need a page beyond the record action's 1..100000
// fails after its first page, before asking for any page out of range.
func TestAccAPIEdges_pageRange(t *testing.T) {
	requireAcc(t)
	const kind, domain = "live_record_notify_records", "pages.example.com"
	emu := startEmulator(t, emulator.Options{Domains: []emulator.DomainSpec{}})
	end := time.Now().UTC().Truncate(time.Second)
	emu.AddRecordCallbacks(emulator.BurstRecordCallbacks(domain, end, liveapi.MaxPageNumber+1, 600)...)
	args := fmt.Sprintf(`start_time = %q
end_time = %q
page_size = 1`, end.Add(-6*time.Hour).Format(time.RFC3339), end.Format(time.RFC3339))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      edgeConfig(emu, kind, domain, args),
			ExpectError: regexp.MustCompile(`(?s)100001\s+pages.*PageNumber\s+1\s+to\s+100000.*narrower\s+time\s+window`),
		}},
	})
	st := emu.Stats()
	if st.Requests == 0 || st.ByCode["MalformedParams"] != 0 || st.Requests > 3 {
		t.Errorf("want only first-page requests (one per plan), none refused by the API; stats %+v", st)
	}
}
