package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/clitest"
)

// TestAccCallbackGateModule_tests runs the module's own tests/*.tftest.hcl
// (`tofu test` / `terraform test`), which mock the provider and so must pass
// with no credentials and no reachable endpoint.
func TestAccCallbackGateModule_tests(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	clitest.SkipBelow(t, "1.7", "1.8") // mock_provider, mock_data and override_data
	w := newWorkspace(t, "modules/callback-gate", caseEmulator(t))
	// No credentials, and an endpoint nothing listens on: the suite must
	// not need either.
	env := w.env[:0:0]
	for _, kv := range w.env {
		if !strings.HasPrefix(kv, "ALIBABA_CLOUD_ACCESS_KEY") && !strings.HasPrefix(kv, "ALIBABA_CLOUD_LIVE_ENDPOINT=") {
			env = append(env, kv)
		}
	}
	w.env = append(env, "ALIBABA_CLOUD_LIVE_ENDPOINT=http://127.0.0.1:1")

	out, ok := w.run("test")
	if !ok {
		t.Fatalf("the module's tests failed:\n%s", out)
	}
	// Every run, by name: each says which rule it expects to fire (or none).
	runs := []string{
		"healthy_passes_and_every_output_evaluates", "a_recovered_blip_passes", "fast_burn_is_named",
		"a_closed_gate_fails_the_plan", "slow_burn_is_named_by_the_second_pair",
		"burn_rate_exactly_at_the_threshold_passes", "a_long_window_past_the_threshold_alone_passes",
		"a_short_window_past_the_threshold_alone_passes", "both_windows_one_failure_past_the_threshold_close",
		"second_pair_exactly_at_its_threshold_passes", "second_pair_one_failure_past_its_threshold_closes",
		"min_window_callbacks_judges_a_window_of_10", "min_window_callbacks_leaves_a_window_of_9_unjudged",
		"min_window_callbacks_leaves_a_long_window_of_9_unjudged", "min_window_callbacks_9_judges_a_window_of_9",
		"only_a_webhook_over_the_burn_rate_is_named", "only_an_event_type_over_the_burn_rate_is_named",
		"one_event_type_still_failing_is_named", "one_webhook_still_failing_is_named",
		"max_consecutive_failures_lets_2_through", "max_consecutive_failures_closes_at_3",
		"low_traffic_outage_is_named_by_its_webhook", "one_callback_meets_min_callbacks", "no_callbacks_is_named",
		"no_callbacks_closes_the_plan", "no_callbacks_passes_with_min_callbacks_0", "five_callbacks_meet_min_callbacks_5",
		"four_callbacks_miss_min_callbacks_5", "slo_target_scales_the_burn_rates",
		"the_same_callbacks_pass_at_slo_target_0_99", "the_ticket_pair_over_3_days", "report_only_when_not_enforced",
		"lookback_must_cover_the_longest_window", "max_failure_ratio_is_retired", "slo_target_1_is_rejected",
		"windows_are_written_as_the_summary_keys_them", "the_short_window_is_the_shorter",
	}
	for _, run := range runs {
		mustMatch(t, out, `run "`+run+`"\.*\s*pass`)
	}
	mustMatch(t, out, fmt.Sprintf(`Success! %d passed, 0 failed\.`, len(runs)))
	t.Logf("examples/modules/callback-gate: %s", regexp.MustCompile(`Success! .*`).FindString(out))
}
