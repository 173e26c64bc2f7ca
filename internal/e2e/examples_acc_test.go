// Package e2e runs the configurations in examples/ through a real OpenTofu
// or Terraform binary (TF_ACC_TERRAFORM_PATH) with the provider built from
// this tree, against the emulator: what a user's pipeline does, end to end.
package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/clitest"
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// policyExtras are configurations the policy test adds to the example: a
// read that fails inside a check block (the plan succeeds with a warning),
// a read deferred to apply (its domain known only after apply) and a read
// that counts no windows.
const (
	failedReadExtra = `
provider "live" {
  alias       = "down"
  endpoint    = "http://127.0.0.1:1"
  max_retries = 0
}

check "unreadable" {
  data "live_stream_notify_records" "unreadable" {
    provider     = live.down
    domain_name  = var.domain_name
    lookback     = "1h"
    keep_records = "none"
  }

  assert {
    condition     = data.live_stream_notify_records.unreadable.summary != null
    error_message = "the read failed"
  }
}
`
	deferredReadExtra = `
resource "terraform_data" "domain" {
  input = var.domain_name
}

data "live_stream_notify_records" "later" {
  domain_name  = terraform_data.domain.output
  lookback     = "1h"
  keep_records = "none"
}
`
	noWindowsExtra = `
data "live_stream_notify_records" "unwindowed" {
  domain_name  = var.domain_name
  lookback     = "6h"
  keep_records = "none"
}
`
)

// TestAccExamplePolicy: the policy's own tests pass under the real OPA, and
// on the plan JSON each CLI writes it denies a read that failed, a read
// deferred to apply and a read that did not count the windows it judges,
// and lets an idle domain through with data.live.min_callbacks = 0.
// TestAccGatePolicyVerdicts judges the case domains.
func TestAccExamplePolicy(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	clitest.SkipBelow(t, "1.5", "1.6") // the example's required_version
	opa := opaPath(t)
	w := newWorkspace(t, "policy", caseEmulator(t))

	if out, err := exec.Command(opa, "test", filepath.Join(w.dir, "policy"), "-v").CombinedOutput(); err != nil {
		t.Fatalf("opa test failed: %v\n%s", err, out)
	}

	expect := func(what string, denied []string, want ...string) {
		t.Helper()
		joined := strings.Join(denied, "\n")
		if len(denied) != len(want) {
			t.Errorf("%s: %d denials, want %d:\n%s", what, len(denied), len(want), joined)
		}
		for _, w := range want {
			if !strings.Contains(joined, w) {
				t.Errorf("%s: no denial says %q:\n%s", what, w, joined)
			}
		}
	}
	healthy := emulator.CaseHealthyDomain
	expect("a failed read", policyDeny(t, w, opa, healthy, failedReadExtra, ""),
		"data.live_stream_notify_records.unreadable (domain healthy.example.com): the read failed",
	)
	expect("a deferred read", policyDeny(t, w, opa, healthy, deferredReadExtra, ""),
		"data.live_stream_notify_records.later: not read during plan (read_because_config_unknown)",
	)
	expect("a read without windows", policyDeny(t, w, opa, healthy, noWindowsExtra, ""),
		`data.live_stream_notify_records.unwindowed (domain healthy.example.com): the summary counts no window 1h, 30m, 5m, 6h, so the burn rates cannot be judged: add windows = ["1h", "30m", "5m", "6h"] to the data source`,
	)
	expect("no callbacks, allowed", policyDeny(t, w, opa, emulator.CaseIdleDomain, "", `{"live": {"min_callbacks": 0}}`))
	expect("healthy", policyDeny(t, w, opa, healthy, "", ""))
}

// TestAccExampleOutputsEvaluate plans every example that reads callbacks
// (all of examples/ but the provider blocks) against a healthy domain: each
// plan succeeds without a check warning, and every output it declares
// evaluates to a known value. A gate that closes hides a broken output until
// the day it opens (examples/postcondition read an attribute of a number).
func TestAccExampleOutputsEvaluate(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	root, all := exampleDirs(t)
	var dirs []string // but the provider blocks: credentials, proxies, roles
	for _, dir := range all {
		if !strings.HasPrefix(filepath.ToSlash(dir), "provider") {
			dirs = append(dirs, dir)
		}
	}
	if len(dirs) < 12 {
		t.Fatalf("found only %d example directories under %s: %v", len(dirs), root, dirs)
	}
	for _, dir := range dirs {
		t.Run(filepath.ToSlash(dir), func(t *testing.T) {
			t.Parallel()
			terraformMin, tofuMin := cliFloor(t, filepath.Join(root, dir))
			clitest.SkipBelow(t, terraformMin, tofuMin)
			w := newWorkspace(t, dir, caseEmulator(t))
			args := []string{"plan", "-input=false", "-out=plan.out"}
			if vars := declaredVariables(t, w.dir); len(vars) > 0 {
				for _, v := range vars {
					args = append(args, "-var", v+"="+emulator.CaseHealthyDomain)
				}
			} else {
				pointAt(t, w, emulator.CaseHealthyDomain)
			}
			out, ok := w.run(args...)
			if !ok {
				t.Fatalf("plan failed on a healthy domain:\n%s", out)
			}
			mustNotMatch(t, out, `Check block assertion failed`)
			plan := w.showJSON()
			declared, _ := plan["configuration"].(map[string]any)["root_module"].(map[string]any)["outputs"].(map[string]any)
			planned, _ := plan["planned_values"].(map[string]any)["outputs"].(map[string]any)
			for name := range declared {
				value, ok := planned[name].(map[string]any)
				if !ok {
					t.Errorf("output %s has no planned value (unknown until apply?)", name)
					continue
				}
				if _, ok := value["value"]; !ok {
					t.Errorf("output %s is not known at plan time: %v", name, value)
				}
			}
			t.Logf("%s: %d outputs evaluated", dir, len(declared))
		})
	}
}

// declaredVariables are the domain variables an example declares, which the
// test sets.
func declaredVariables(t *testing.T, dir string) []string {
	t.Helper()
	var vars []string
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{"domain_name", "watched_domain_name"} {
			if strings.Contains(string(b), `variable "`+v+`"`) {
				vars = append(vars, v)
			}
		}
	}
	return vars
}
