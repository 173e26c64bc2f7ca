// Package e2e runs the configurations in examples/ through a real OpenTofu
// or Terraform binary (TF_ACC_TERRAFORM_PATH) with the provider built from
// this tree, against the emulator: what a user's pipeline does, end to end.
package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/clitest"
)

// TestAccExampleHealthCheck: the check block warns when callbacks fail and
// stays quiet when they do not; either way the plan succeeds.
func TestAccExampleHealthCheck(t *testing.T) {
	requireCLI(t)
	clitest.SkipBelow(t, "1.5", "1.6") // check blocks, and the example's required_version
	emu := callbackEmulator(t)
	w := newWorkspace(t, "health-check", emu)

	out, ok := w.run("plan", "-input=false", "-var", "domain_name=unhealthy.example.com")
	if !ok {
		t.Fatalf("plan failed:\n%s", out)
	}
	mustMatch(t, out, `Warning: Check block assertion failed`)
	mustMatch(t, out, `(?s)unhealthy\.example\.com\s+are\s+unhealthy:\s+6\s+of\s+10\s+failed`)
	mustMatch(t, out, `(?s)Failing\s+webhooks:\s+http://hooks\.unhealthy\.example\.com/live`)

	out, ok = w.run("plan", "-input=false", "-var", "domain_name=healthy.example.com")
	if !ok {
		t.Fatalf("plan failed:\n%s", out)
	}
	mustNotMatch(t, out, `Check block assertion failed`)
}

// TestAccExamplePostcondition: the postcondition stops the plan when a
// stream-ingest callback failed, and lets a healthy plan through.
func TestAccExamplePostcondition(t *testing.T) {
	requireCLI(t)
	// postcondition needs Terraform 1.2; the example's required_version asks 1.5.
	clitest.SkipBelow(t, "1.5", "1.6")
	emu := callbackEmulator(t)
	w := newWorkspace(t, "postcondition", emu)

	out, ok := w.run("plan", "-input=false", "-var", "domain_name=unhealthy.example.com")
	if ok {
		t.Fatalf("plan succeeded although callbacks failed:\n%s", out)
	}
	mustMatch(t, out, `Resource postcondition failed`)
	mustMatch(t, out, `(?s)Stream-ingest\s+callbacks\s+failed:\s+6\s+failed\s+callbacks\s+to\s+http://hooks\.unhealthy\.example\.com/live`)

	out, ok = w.run("plan", "-input=false", "-var", "domain_name=healthy.example.com")
	if !ok {
		t.Fatalf("a healthy plan failed:\n%s", out)
	}
	mustNotMatch(t, out, `postcondition failed`)
}

// TestAccExamplePolicy: the Rego policy, run by the real OPA on the plan
// JSON, denies an unhealthy plan and allows a healthy one.
func TestAccExamplePolicy(t *testing.T) {
	requireCLI(t)
	clitest.SkipBelow(t, "1.5", "1.6") // the example's required_version
	opa := os.Getenv("OPA_PATH")
	if opa == "" {
		t.Fatal("OPA_PATH is not set: scripts/test.sh installs OPA and sets it")
	}
	emu := callbackEmulator(t)
	w := newWorkspace(t, "policy", emu)

	if out, err := exec.Command(opa, "test", filepath.Join(w.dir, "policy"), "-v").CombinedOutput(); err != nil {
		t.Fatalf("opa test failed: %v\n%s", err, out)
	}

	deny := func(domain string) []string {
		t.Helper()
		if out, ok := w.run("plan", "-input=false", "-out=plan.out", "-var", "domain_name="+domain); !ok {
			t.Fatalf("plan failed:\n%s", out)
		}
		show := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "show", "-json", "plan.out")
		show.Dir, show.Env = w.dir, w.env
		planJSON, err := show.Output()
		if err != nil {
			t.Fatalf("show -json: %v", err)
		}
		if !strings.Contains(string(planJSON), `"prior_state"`) {
			t.Fatalf("the plan JSON has no prior_state:\n%.2000s", planJSON)
		}
		input := filepath.Join(w.dir, "plan.json")
		if err := os.WriteFile(input, planJSON, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(opa, "eval", "--format", "json", "-d", filepath.Join(w.dir, "policy"), "-i", input, "data.main.deny").Output()
		if err != nil {
			t.Fatalf("opa eval: %v", err)
		}
		var result struct {
			Result []struct {
				Expressions []struct {
					Value []string `json:"value"`
				} `json:"expressions"`
			} `json:"result"`
		}
		if err := json.Unmarshal(out, &result); err != nil || len(result.Result) != 1 || len(result.Result[0].Expressions) != 1 {
			t.Fatalf("unexpected opa output (%v): %s", err, out)
		}
		return result.Result[0].Expressions[0].Value
	}

	denied := deny("unhealthy.example.com")
	joined := strings.Join(denied, "\n")
	// Both data sources read the unhealthy domain: each is denied for its
	// failure ratio and for its ongoing failures.
	if len(denied) != 4 || !strings.Contains(joined, "data.live_stream_notify_records.ingest: 6 of 10 callbacks failed") ||
		!strings.Contains(joined, "data.live_record_notify_records.recording: the last 4 callbacks failed") {
		t.Errorf("the policy did not deny the unhealthy plan as expected: %q", denied)
	}
	if allowed := deny("healthy.example.com"); len(allowed) != 0 {
		t.Errorf("the policy denied a healthy plan: %q", allowed)
	}
}
