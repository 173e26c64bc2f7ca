package provider

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

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
	domain := os.Getenv("LIVE_REAL_DOMAIN")
	if domain == "" || os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID") == "" || os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET") == "" {
		t.Skip("real-API test: set LIVE_REAL_DOMAIN, ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET to run it")
	}
	for _, k := range dsKinds {
		t.Run(k.name, func(t *testing.T) {
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
