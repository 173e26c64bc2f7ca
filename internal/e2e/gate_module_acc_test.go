package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/clitest"
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// TestAccCallbackGateModule plans examples/modules/callback-gate as a root
// module against the emulator: the gate closes for an unhealthy domain,
// naming the event type and the webhook; for a domain where one event type
// is still failing though the newest callback succeeded; and for a window
// without callbacks unless min_callbacks = 0. It reports without failing
// when not enforced, and opens for a healthy domain.
func TestAccCallbackGateModule(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	clitest.SkipBelow(t, "1.5", "1.6") // the module's required_version
	w := newWorkspace(t, "modules/callback-gate", callbackEmulator(t))

	out, ok := w.run("plan", "-input=false", "-var", "domain_name=unhealthy.example.com")
	if ok {
		t.Fatalf("the gate let an unhealthy domain through:\n%s", out)
	}
	mustMatch(t, out, `Resource postcondition failed`)
	mustMatch(t, out, `(?s)Callback\s+gate:\s+stream-ingest\s+callbacks\s+of\s+unhealthy\.example\.com\s+failed\s+too\s+often.*event\s+type\s+publish:\s+6\s+of\s+10\s+failed\s+\(60\.0%\)`)
	mustMatch(t, out, `(?s)are\s+still\s+failing.*webhook\s+http://hooks\.unhealthy\.example\.com/live:\s+the\s+last\s+4\s+failed`)

	// A day of the fixture: publish_done 5 of 150 failed (3.3%, under the
	// ratio), but they are its newest 5.
	out, ok = w.run("plan", "-input=false", "-var", "domain_name="+emulator.FixtureFailingTypeDomain, "-var", "lookback=24h")
	if ok {
		t.Fatalf("the gate let a still-failing event type through:\n%s", out)
	}
	mustMatch(t, out, `(?s)are\s+still\s+failing\s+\(more\s+than\s+max_consecutive_failures\s+2\s+in\s+a\s+row\):\s+event\s+type\s+publish_done:\s+the\s+last\s+5\s+failed`)
	mustNotMatch(t, out, `failed\s+too\s+often`)

	out, ok = w.run("plan", "-input=false", "-var", "domain_name="+silentDomain)
	if ok {
		t.Fatalf("the gate let a window without callbacks through:\n%s", out)
	}
	mustMatch(t, out, `(?s)Callback\s+gate:\s+0\s+stream-ingest\s+callbacks\s+of\s+silent\.example\.com\s+in\s+the\s+last\s+1h,\s+fewer\s+than\s+min_callbacks\s+1`)
	out, ok = w.run("plan", "-input=false", "-var", "domain_name="+silentDomain, "-var", "min_callbacks=0")
	if !ok {
		t.Fatalf("min_callbacks = 0 did not let an idle domain through:\n%s", out)
	}
	mustMatch(t, out, `healthy\s+= true`)

	// Report-only: the plan goes through and the outputs say why the gate is closed.
	out, ok = w.run("plan", "-input=false", "-var", "domain_name=unhealthy.example.com", "-var", "enforce=false")
	if !ok {
		t.Fatalf("plan with enforce=false failed:\n%s", out)
	}
	mustMatch(t, out, `healthy\s+= false`)
	mustMatch(t, out, `"event type publish: 6 of 10 callbacks failed \(60\.0%, more than 5\.0%\)"`)
	mustMatch(t, out, `"webhook http://hooks\.unhealthy\.example\.com/live: the last 4 callbacks failed \(more than 2 in a row\)"`)

	out, ok = w.run("plan", "-input=false", "-var", "domain_name=spotless.example.com")
	if !ok {
		t.Fatalf("the gate stopped a healthy domain:\n%s", out)
	}
	mustMatch(t, out, `healthy\s+= true`)
	mustMatch(t, out, `total\s+= 10`)
	mustNotMatch(t, out, `postcondition failed`)
}

// TestAccCallbackGateModule_tests runs the module's own tests/*.tftest.hcl
// (`tofu test` / `terraform test`), which mock the provider and so must pass
// with no credentials and no reachable endpoint.
func TestAccCallbackGateModule_tests(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	clitest.SkipBelow(t, "1.7", "1.8") // mock_provider, mock_data and override_data
	w := newWorkspace(t, "modules/callback-gate", callbackEmulator(t))
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
	for _, run := range []string{"healthy_passes", "a_recovered_failure_passes", "unhealthy_blocks_the_plan",
		"an_ongoing_failure_blocks_the_plan", "one_event_type_still_failing_blocks_the_plan", "one_event_type_still_failing_is_named",
		"one_webhook_still_failing_blocks_the_plan", "no_callbacks_blocks_the_plan", "no_callbacks_passes_with_min_callbacks_0",
		"report_only_when_not_enforced", "thresholds_are_validated"} {
		mustMatch(t, out, `run "`+run+`"\.*\s*pass`)
	}
	mustMatch(t, out, `Success! 11 passed, 0 failed\.`)
	t.Logf("examples/modules/callback-gate: %s", regexp.MustCompile(`Success! .*`).FindString(out))
}
