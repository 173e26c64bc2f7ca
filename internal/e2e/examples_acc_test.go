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
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// TestAccExampleHealthCheck: the check block warns when callbacks fail, when
// one event type is still failing though the newest callback succeeded, and
// when the hour holds none; it stays quiet for a healthy domain. Either way
// the plan succeeds.
func TestAccExampleHealthCheck(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	clitest.SkipBelow(t, "1.5", "1.6") // check blocks, and the example's required_version
	emu := callbackEmulator(t)
	w := newWorkspace(t, "health-check", emu)

	out, ok := w.run("plan", "-input=false", "-var", "domain_name=unhealthy.example.com")
	if !ok {
		t.Fatalf("plan failed:\n%s", out)
	}
	mustMatch(t, out, `Warning: Check block assertion failed`)
	mustMatch(t, out, `(?s)unhealthy\.example\.com\s+fail\s+too\s+often.*event\s+type\s+publish:\s+6\s+of\s+10\s+failed\s+\(60\.0%\)`)
	mustMatch(t, out, `(?s)webhook\s+http://hooks\.unhealthy\.example\.com/live:\s+the\s+last\s+4\s+failed`)

	out, ok = w.run("plan", "-input=false", "-var", "domain_name="+emulator.FixtureFailingTypeDomain)
	if !ok {
		t.Fatalf("plan failed:\n%s", out)
	}
	mustMatch(t, out, `(?s)are\s+still\s+failing:\s+event\s+type\s+publish_done:\s+the\s+last\s+5\s+failed`)

	out, ok = w.run("plan", "-input=false", "-var", "domain_name="+silentDomain)
	if !ok {
		t.Fatalf("plan failed:\n%s", out)
	}
	mustMatch(t, out, `(?s)No\s+stream-ingest\s+callbacks\s+of\s+silent\.example\.com\s+in\s+the\s+last\s+hour`)

	out, ok = w.run("plan", "-input=false", "-var", "domain_name=spotless.example.com")
	if !ok {
		t.Fatalf("plan failed:\n%s", out)
	}
	mustNotMatch(t, out, `Check block assertion failed`)
}

// TestAccExamplePostcondition: the postcondition stops the plan when a
// stream-ingest callback failed or when the day holds none, and lets a
// healthy plan through.
func TestAccExamplePostcondition(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	// postcondition needs Terraform 1.2; the example's required_version asks 1.5.
	clitest.SkipBelow(t, "1.5", "1.6")
	emu := callbackEmulator(t)
	w := newWorkspace(t, "postcondition", emu)

	out, ok := w.run("plan", "-input=false", "-var", "domain_name=unhealthy.example.com")
	if ok {
		t.Fatalf("plan succeeded although callbacks failed:\n%s", out)
	}
	mustMatch(t, out, `Resource postcondition failed`)
	mustMatch(t, out, `(?s)Stream-ingest\s+callbacks\s+failed\s+since\s+\S+:\s+6\s+of\s+10\s+publish\s+callbacks,\s+to\s+http://hooks\.unhealthy\.example\.com/live`)

	out, ok = w.run("plan", "-input=false", "-var", "domain_name="+silentDomain)
	if ok {
		t.Fatalf("plan succeeded although the day held no callbacks:\n%s", out)
	}
	mustMatch(t, out, `(?s)No\s+stream-ingest\s+callbacks\s+since`)

	out, ok = w.run("plan", "-input=false", "-var", "domain_name=spotless.example.com")
	if !ok {
		t.Fatalf("a healthy plan failed:\n%s", out)
	}
	mustNotMatch(t, out, `postcondition failed`)
}

// policyExtras are configurations the policy test adds to the example: a
// read that fails inside a check block (the plan succeeds with a warning)
// and a read deferred to apply (its domain known only after apply).
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
)

// TestAccExamplePolicy: the Rego policy, run by the real OPA on the plan
// JSON each CLI writes, denies an unhealthy plan, one event type still
// failing, a read that failed, a read deferred to apply and a window
// without callbacks (unless allowed), and allows a healthy plan.
func TestAccExamplePolicy(t *testing.T) {
	requireCLI(t)
	t.Parallel()
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

	// deny plans the workspace for domain, with extra configuration, and
	// returns what the policy denies, with data from dataJSON when set.
	deny := func(domain, extra, dataJSON string) []string {
		t.Helper()
		extraFile := filepath.Join(w.dir, "extra.tf")
		if err := os.WriteFile(extraFile, []byte(extra), 0o600); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(extraFile)
		if out, ok := w.run("plan", "-input=false", "-out=plan.out", "-var", "domain_name="+domain); !ok {
			t.Fatalf("plan failed:\n%s", out)
		}
		show := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "show", "-json", "plan.out")
		show.Dir, show.Env = w.dir, w.env
		planJSON, err := show.Output()
		if err != nil {
			t.Fatalf("show -json: %v", err)
		}
		input := filepath.Join(w.dir, "plan.json")
		if err := os.WriteFile(input, planJSON, 0o600); err != nil {
			t.Fatal(err)
		}
		args := []string{"eval", "--format", "json", "-d", filepath.Join(w.dir, "policy"), "-i", input}
		if dataJSON != "" {
			dataFile := filepath.Join(w.dir, "data.json")
			if err := os.WriteFile(dataFile, []byte(dataJSON), 0o600); err != nil {
				t.Fatal(err)
			}
			args = append(args, "-d", dataFile)
		}
		out, err := exec.Command(opa, append(args, "data.main.deny")...).Output()
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

	// Both data sources read the unhealthy domain: the one event type and
	// the one webhook of each are denied for their failure ratio and for
	// their ongoing failures.
	expect("unhealthy", deny("unhealthy.example.com", "", ""),
		"data.live_stream_notify_records.ingest: event type publish: 6 of 10 callbacks failed",
		"data.live_stream_notify_records.ingest: webhook http://hooks.unhealthy.example.com/live: 6 of 10 callbacks failed",
		"data.live_stream_notify_records.ingest: event type publish: the last 4 callbacks failed (allowed 2 in a row)",
		"data.live_stream_notify_records.ingest: webhook http://hooks.unhealthy.example.com/live: the last 4 callbacks failed",
		"data.live_record_notify_records.recording: event type record_started: 6 of 10 callbacks failed between",
		"data.live_record_notify_records.recording: webhook http://hooks.unhealthy.example.com/live: 6 of 10",
		"data.live_record_notify_records.recording: event type record_started: the last 4 callbacks failed",
		"data.live_record_notify_records.recording: webhook http://hooks.unhealthy.example.com/live: the last 4",
	)
	// 6 hours of the fixture: publish_done 5 of 150 failed, the newest 5;
	// file_created likewise. Only the still-failing types are denied.
	expect("one event type still failing", deny(emulator.FixtureFailingTypeDomain, "", ""),
		"data.live_stream_notify_records.ingest: event type publish_done: the last 5 callbacks failed (allowed 2 in a row)",
		"data.live_record_notify_records.recording: event type file_created: the last 5 callbacks failed (allowed 2 in a row)",
	)
	expect("a failed read", deny("spotless.example.com", failedReadExtra, ""),
		"data.live_stream_notify_records.unreadable: the read failed",
	)
	expect("a deferred read", deny("spotless.example.com", deferredReadExtra, ""),
		"data.live_stream_notify_records.later: not read during plan (read_because_config_unknown)",
	)
	expect("no callbacks", deny(silentDomain, "", ""),
		"data.live_stream_notify_records.ingest: no callbacks between",
		"data.live_record_notify_records.recording: no callbacks between",
	)
	expect("no callbacks, allowed", deny(silentDomain, "", `{"live": {"allow_no_callbacks": true}}`))
	expect("healthy", deny("spotless.example.com", "", ""))
}
