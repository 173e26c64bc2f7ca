package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// TestAccNotifyRecords_recoverableFaults reads a multi-page domain from an
// emulator that injects each transient fault: the answer is complete and
// correct every time. Throttling is the account's quota as the emulator
// enforces it (8 accepted in any rolling second, below the default max_qps
// of 50), which the provider slows down to; a throttle injected on every
// k-th request whatever the pace would keep its limiter cutting.
func TestAccNotifyRecords_recoverableFaults(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	faults := map[string]emulator.Faults{
		"throttling":          {},
		"internal error":      {InternalErrorEvery: 4},
		"service unavailable": {UnavailableEvery: 4},
		"dropped connection":  {DropConnectionEvery: 4},
		"truncated body":      {TruncateBodyEvery: 4},
		"records arriving":    {InsertDuringRead: emulator.Insertion{AfterPages: 2, Count: 5}},
	}
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			base := time.Now().UTC().Truncate(time.Second)
			const domain = "faults.example.com"
			for name, f := range faults {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					opts := emulator.Options{Seed: 7, Now: func() time.Time { return base },
						Domains: []emulator.DomainSpec{{Name: domain, RecordCallbacks: 1200, StreamRecords: 1200}}, Faults: f}
					if name == "throttling" {
						opts.MaxQPS = 8
					}
					emu := startEmulator(t, opts)
					window := fmt.Sprintf(windowBody, domain, base.Add(-6*24*time.Hour).Format(time.RFC3339), base.Add(time.Hour).Format(time.RFC3339)) +
						"page_size = 100"
					// The expected answer is read after the test, once any
					// inserted records are in the data set.
					var checks []statecheck.StateCheck
					expect := func() []emulator.Notify {
						return inWindow(k.records(emu, domain), base.Add(-6*24*time.Hour), base.Add(time.Hour), nil)
					}
					checks = append(checks, statecheck.ExpectKnownValue(k.addr(), at("total_num"), totalNumMatches(func() int { return len(expect()) })))
					checks = append(checks, statecheck.ExpectKnownValue(k.addr(), at(k.list), listSizeMatches(func() int { return len(expect()) })))
					resource.Test(t, resource.TestCase{
						ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
						Steps: []resource.TestStep{{
							Config:            k.config(emu, window),
							ConfigStateChecks: checks,
						}},
					})
					st := emu.Stats()
					if st.FaultsInjected+st.Throttled == 0 {
						t.Errorf("no fault was injected: %+v", st)
					}
				})
			}
		})
	}
}

// totalNumMatches and listSizeMatches compare with a value computed when the
// check runs, since records may be inserted during the read.
func totalNumMatches(want func() int) knownvalue.Check {
	return lazyCheck{func() knownvalue.Check { return knownvalue.Int64Exact(int64(want())) }}
}

func listSizeMatches(want func() int) knownvalue.Check {
	return lazyCheck{func() knownvalue.Check { return knownvalue.ListSizeExact(want()) }}
}

type lazyCheck struct{ make func() knownvalue.Check }

func (c lazyCheck) CheckValue(v any) error { return c.make().CheckValue(v) }
func (c lazyCheck) String() string         { return c.make().String() }

// TestAccNotifyRecords_persistentFaults: when the API keeps failing, the
// plan fails with the code, the request id and the number of attempts.
func TestAccNotifyRecords_persistentFaults(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			emu := startEmulator(t, emulator.Options{Faults: emulator.Faults{
				PersistentError: &emulator.APIError{Status: 503, Code: "ServiceUnavailable", Message: "The request has failed due to a temporary failure of the server."},
			}})
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      emu.providerConfig("max_retries = 2") + fmt.Sprintf(dataSourceConfig, k.name, fmt.Sprintf(lookbackBody, k.fixtureDomain, "1h")),
					ExpectError: regexp.MustCompile(`(?s)failed: ServiceUnavailable.*HTTP 503.*Request ID: [0-9A-F-]{36}.*Attempts made: 3`),
				}},
			})
			if got := emu.Stats().Requests; got != 3 {
				t.Errorf("max_retries = 2 should make 3 attempts, the emulator saw %d", got)
			}
		})
	}
}

const readTimeoutBlock = `
  timeouts {
    read = "1s"
  }
`

// TestAccNotifyRecords_readTimeout: the timeouts block bounds the read.
func TestAccNotifyRecords_readTimeout(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	k := streamKind
	emu := startEmulator(t, emulator.Options{Latency: 5 * time.Second})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      k.config(emu, fmt.Sprintf(lookbackBody, k.fixtureDomain, "1h")+readTimeoutBlock),
			ExpectError: regexp.MustCompile(`(?s)Reading callback records timed out.*timeouts`),
		}},
	})
}

const (
	endpointOnlyProvider = `
provider "live" {
  endpoint = %q
}
`
	accessKeyOnlyProvider = `
provider "live" {
  endpoint   = %q
  access_key = "x"
}
`
	ftpProvider = `
provider "live" {
  endpoint   = "ftp://example.com"
  access_key = %q
  secret_key = %q
}
`
)

// TestAccNotifyRecords_apiErrors proves the documented API errors surface
// with their code, request id and an actionable detail.
func TestAccNotifyRecords_apiErrors(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			emu := startEmulator(t, emulator.Options{})
			// An API whose clock runs a day ahead sees a 7-day-old start as
			// 8 days old: the window error only the API can detect.
			skewed := startEmulator(t, emulator.Options{Now: func() time.Time { return time.Now().Add(24 * time.Hour) }})
			windowErr := `(?s)DescribeLiveStreamsNotifyRecords failed: Duration.Exceed.*Request ID: [0-9A-F-]{36}.*7\s+days`
			if k.name == recordKind.name {
				windowErr = `(?s)DescribeLiveRecordNotifyRecords failed: MalformedParams.*Request ID: [0-9A-F-]{36}.*page_number\s+1-100000`
			}
			dataBlock := fmt.Sprintf(dataSourceConfig, k.name, fmt.Sprintf(lookbackBody, k.fixtureDomain, "1h"))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:      fmt.Sprintf(badSecretProvider, emu.URL, emulator.DefaultAccessKeyID) + dataBlock,
						ExpectError: regexp.MustCompile(`(?s)failed: SignatureDoesNotMatch.*Request ID: [0-9A-F-]{36}.*secret\s+key`),
					},
					{
						Config:      fmt.Sprintf(unknownKeyProvider, emu.URL) + dataBlock,
						ExpectError: regexp.MustCompile(`(?s)failed: InvalidAccessKeyId.NotFound.*HTTP 404.*Request ID`),
					},
					{
						Config:      skewed.providerConfig() + fmt.Sprintf(dataSourceConfig, k.name, fmt.Sprintf(lookbackBody, k.fixtureDomain, "167h")),
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

// A record page whose Code is not 0 fails the plan with the code, the
// message and the request id, on the first page or a later one; the plan
// stops there, so nothing is written to state.
func TestAccAPIEdges_flaggedCode(t *testing.T) {
	requireAcc(t)
	t.Parallel()
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

// A full read that would need a page beyond the record action's 1..100000
// fails after its first page, before asking for any page out of range.
func TestAccAPIEdges_pageRange(t *testing.T) {
	requireAcc(t)
	t.Parallel()
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
