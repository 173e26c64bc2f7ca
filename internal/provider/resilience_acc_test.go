package provider

import (
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/callbackwatch/terraform-provider-live/internal/clitest"
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// TestAccNotifyRecords_recoverableFaults reads a multi-page domain from an
// emulator that injects each transient fault: the answer is complete and
// correct every time.
func TestAccNotifyRecords_recoverableFaults(t *testing.T) {
	requireAcc(t)
	faults := map[string]emulator.Faults{
		"throttling":          {ThrottleEvery: 4},
		"internal error":      {InternalErrorEvery: 4},
		"service unavailable": {UnavailableEvery: 4},
		"dropped connection":  {DropConnectionEvery: 4},
		"truncated body":      {TruncateBodyEvery: 4},
		"records arriving":    {InsertDuringRead: emulator.Insertion{AfterPages: 2, Count: 5}},
	}
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
			base := time.Now().UTC().Truncate(time.Second)
			const domain = "faults.example.com"
			for name, f := range faults {
				t.Run(name, func(t *testing.T) {
					emu := frozenEmulator(t, base, emulator.DomainSpec{Name: domain, RecordCallbacks: 1200, StreamRecords: 1200})
					emu.SetFaults(f)
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
					if st.FaultsInjected == 0 {
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
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
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

// TestAccProvider_configuration covers provider arguments that are refused
// before any call, and a missing credential.
func TestAccProvider_configuration(t *testing.T) {
	requireAcc(t)
	k := streamKind
	emu := startEmulator(t, emulator.Options{})
	data := fmt.Sprintf(dataSourceConfig, k.name, fmt.Sprintf(lookbackBody, k.fixtureDomain, "1h"))
	// No credential anywhere: the default chain finds nothing.
	for _, env := range []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_ACCESS_KEY",
		"ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_CREDENTIALS_FILE",
		"ALIBABA_CLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_ECS_METADATA"} {
		t.Setenv(env, "")
		os.Unsetenv(env)
	}
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	t.Setenv("HOME", t.TempDir())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      fmt.Sprintf(endpointOnlyProvider, emu.URL) + data,
				ExpectError: regexp.MustCompile(`(?s)No usable Alibaba Cloud credentials.*access_key\s+and\s+secret_key`),
			},
			{
				Config:      emu.providerConfig("max_qps = 500") + data,
				ExpectError: regexp.MustCompile(`(?s)max_qps.*between 0.1\d* and 100`),
			},
			{
				Config:      fmt.Sprintf(accessKeyOnlyProvider, emu.URL) + data,
				ExpectError: regexp.MustCompile(`(?s)secret_key.*must be specified when.*access_key`),
			},
			{
				Config:      fmt.Sprintf(ftpProvider, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret) + data,
				ExpectError: regexp.MustCompile(`(?s)Invalid endpoint.*http://\s+or\s+https://`),
			},
		},
	})
	if n := emu.Stats().Requests; n != 0 {
		t.Errorf("refused configurations made %d API calls", n)
	}
}

// TestAccNotifyRecords_unknownArguments: arguments known only at apply time
// (here from terraform_data) defer validation and the read instead of failing
// the plan; the read then happens during apply.
func TestAccNotifyRecords_unknownArguments(t *testing.T) {
	requireAcc(t)
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
