package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/clitest"
)

// TestAccCallbackGateModule plans examples/modules/callback-gate as a root
// module against the emulator: the gate closes for an unhealthy domain,
// naming both thresholds, reports without failing when not enforced, and
// opens for a healthy domain.
func TestAccCallbackGateModule(t *testing.T) {
	requireCLI(t)
	clitest.SkipBelow(t, "1.2", "1.6") // data-source postconditions
	w := newWorkspace(t, "modules/callback-gate", callbackEmulator(t))

	out, ok := w.run("plan", "-input=false", "-var", "domain_name=unhealthy.example.com")
	if ok {
		t.Fatalf("the gate let an unhealthy domain through:\n%s", out)
	}
	mustMatch(t, out, `Resource postcondition failed`)
	mustMatch(t, out, `(?s)Callback\s+gate:\s+6\s+of\s+10\s+stream-ingest\s+callbacks\s+of\s+unhealthy\.example\.com\s+failed`)
	mustMatch(t, out, `(?s)Callback\s+gate:\s+the\s+last\s+4\s+stream-ingest\s+callbacks`)
	mustMatch(t, out, `http://hooks\.unhealthy\.example\.com/live`)

	// Report-only: the plan goes through and the outputs say why the gate is closed.
	out, ok = w.run("plan", "-input=false", "-var", "domain_name=unhealthy.example.com", "-var", "enforce=false")
	if !ok {
		t.Fatalf("plan with enforce=false failed:\n%s", out)
	}
	mustMatch(t, out, `healthy\s+= false`)
	mustMatch(t, out, `"6 of 10 callbacks failed \(60\.0%, more than 5\.0%\)"`)

	out, ok = w.run("plan", "-input=false", "-var", "domain_name=healthy.example.com")
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
		"an_ongoing_failure_blocks_the_plan", "report_only_when_not_enforced", "thresholds_are_validated"} {
		mustMatch(t, out, `run "`+run+`"\.*\s*pass`)
	}
	mustMatch(t, out, `Success! 6 passed, 0 failed\.`)
	t.Logf("examples/modules/callback-gate: %s", regexp.MustCompile(`Success! .*`).FindString(out))
}
