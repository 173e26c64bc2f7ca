package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// TestAccProvider_credentialOrder: a profile in the provider block wins over
// another account's keys in the environment (the emulator knows only the
// profile's keys), and an assume_role block without role_arn fails at plan
// time, before any call.
func TestAccProvider_credentialOrder(t *testing.T) {
	requireAcc(t)
	emu := startEmulator(t, emulator.Options{})
	config := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(config, []byte(fmt.Sprintf(`{"current": "default", "profiles": [
  {"name": "prod", "mode": "AK", "access_key_id": %q, "access_key_secret": %q}
]}`, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret)), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-other-account")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "other-account-secret")
	profileProvider := fmt.Sprintf(`
provider "live" {
  endpoint                = %q
  profile                 = "prod"
  shared_credentials_file = %q
  %%s
}
`, emu.URL, config)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(profileProvider, `assume_role {
    session_name = "ci"
  }`) + streamRead,
				ExpectError: regexp.MustCompile(`(?s)assume_role.role_arn.*must be specified`),
			},
			{Config: fmt.Sprintf(profileProvider, "") + streamRead, ConfigStateChecks: readSucceeded},
		},
	})
	st := emu.Stats()
	if st.ByCode["InvalidAccessKeyId.NotFound"] != 0 || st.Requests == 0 {
		t.Errorf("the environment's keys reached the API, or nothing did: %+v", st)
	}
}

// TestAccProvider_assumeRoleUnknown: an assume_role whose role_arn is known
// only after apply (timestamp() is unknown during plan) fails the plan with
// an error naming assume_role.role_arn, before any call (issue 26 item 5).
func TestAccProvider_assumeRoleUnknown(t *testing.T) {
	requireAcc(t)
	emu := startEmulator(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig(`assume_role {
    role_arn = "acs:ram::1:role/${substr(timestamp(), 0, 0)}reader"
  }`) + streamRead,
			ExpectError: regexp.MustCompile(`(?s)Provider configuration is not known yet.*assume_role.role_arn depends on a\s+value known only after apply`),
		}},
	})
	if n := emu.Stats().Requests; n != 0 {
		t.Errorf("the emulator saw %d requests, want none", n)
	}
}

// plannedExternalID is the external_id TestAccProvider_externalIDNotInPlan
// sets.
const plannedExternalID = "planted-external-id-7c1f9e"

// TestAccProvider_externalIDNotInPlan: a plan that configures the provider
// with a literal assume_role.external_id (sensitive) holds it nowhere but in
// its configuration section, which keeps the configuration's literals as
// written (see "Secrets and plan files" in the docs). The read waits for
// apply, since it would call STS: its domain_name is known only then.
func TestAccProvider_externalIDNotInPlan(t *testing.T) {
	requireAcc(t)
	emu := startEmulator(t, emulator.Options{})
	readAtApply := fmt.Sprintf(dataSourceConfig, streamKind.name,
		fmt.Sprintf(lookbackBody, emulator.FixtureStreamDomain+`${substr(timestamp(), 0, 0)}`, "24h"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig(fmt.Sprintf(`assume_role {
    role_arn    = "acs:ram::1:role/reader"
    external_id = %q
  }`, plannedExternalID)) + readAtApply,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(streamKind.addr(), tfjsonpath.New("summary")),
				secretNotInPlan{plannedExternalID},
			}},
		}},
	})
	if n := emu.Stats().Requests; n != 0 {
		t.Errorf("the emulator saw %d requests, want none (the read is for apply)", n)
	}
}

// secretNotInPlan fails when the plan, apart from its configuration
// section, holds secret.
type secretNotInPlan struct{ secret string }

func (c secretNotInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	plan := *req.Plan
	plan.Config = nil
	b, err := json.Marshal(plan)
	if err != nil {
		resp.Error = err
		return
	}
	if i := strings.Index(string(b), c.secret); i >= 0 {
		resp.Error = fmt.Errorf("the plan holds the secret: ...%s", b[max(0, i-200):i])
	}
}
