package e2e

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/clitest"
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// The places a callback's credential could leak to, in the order the
// report lists them.
var secretPlaces = []string{"plan text", "apply text", "show -json", "state", "policy messages", "TRACE logs"}

// secretsRun is what one pass of callbackSecretsWorkspace through the CLI
// produced, place by place, and the policy's messages.
type secretsRun struct {
	text   map[string]string
	denied []string
	state  []byte
}

// count is how often s occurs in each place.
func (r secretsRun) count(s string) map[string]int {
	out := map[string]int{}
	for place, text := range r.text {
		out[place] = strings.Count(text, s)
	}
	return out
}

// TestAccCallbackSecrets plans and applies, with TF_LOG=TRACE, a
// configuration that reads emulator.FixtureSecretsDomain the ways the docs
// show: the check examples of both data sources, the callback-gate module
// (its outputs, and its postconditions in a second, enforcing plan), the
// policy example's reads, judged by the real OPA, and a read of each kind
// that keeps its records. Neither of the fixture's credentials appears in
// the plan text, the apply's, `show -json`, the state, the policy's messages
// or the logs; the webhooks stay distinct keys, those that differ only in
// their tokens numbered.
func TestAccCallbackSecrets(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	clitest.SkipBelow(t, "1.5", "1.6") // check blocks, and the examples' required_version
	r := runCallbackSecrets(t, "")
	counts, rotated := r.count(emulator.FixtureSecret), r.count(emulator.FixtureRotatedSecret)
	t.Logf("occurrences of %s (and of the rotated %s) under %s:\n%s", emulator.FixtureSecret, emulator.FixtureRotatedSecret,
		os.Getenv("TF_ACC_TERRAFORM_PATH"), countTable(counts, rotated))
	for _, place := range secretPlaces {
		if counts[place] != 0 || rotated[place] != 0 {
			t.Errorf("%s holds the credential %d times (the rotated one %d times)", place, counts[place], rotated[place])
		}
	}
	stream := []string{
		"https://hooks.example.com/live/publish_done?env=prod&token=REDACTED-1",
		"https://hooks.example.com/live/publish_done?env=prod&token=REDACTED-2",
		"https://hooks.example.com/live/publish_done?env=staging&token=REDACTED",
		"https://live-hooks:REDACTED@hooks.example.com/live/publish",
	}
	recording := []string{
		"https://hooks.example.com/live/record?env=prod&token=REDACTED",
		"https://hooks.slack.com/services/T0001/B0001/REDACTED",
	}
	// Every read of each kind names the same webhooks: the policy's, the
	// check example's (in a module), the gate module's and the one that
	// keeps its records.
	keys := urlKeys(t, r.state)
	for read, got := range keys {
		want := recording
		if strings.Contains(read, "live_stream_notify_records.") {
			want = stream
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: summary.by_notify_url keys %q, want %q", read, got, want)
		}
	}
	if len(keys) != 7 {
		t.Errorf("the state holds %d reads with a summary, want 7: %v", len(keys), keys)
	}
}

// TestAccCallbackSecrets_optOut: with redact_callback_secrets = false the
// raw values are everywhere TestAccCallbackSecrets finds none, except the
// logs: the provider logs no callback content either way.
func TestAccCallbackSecrets_optOut(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	clitest.SkipBelow(t, "1.5", "1.6")
	r := runCallbackSecrets(t, "  redact_callback_secrets = false")
	counts, rotated := r.count(emulator.FixtureSecret), r.count(emulator.FixtureRotatedSecret)
	t.Logf("occurrences with redact_callback_secrets = false under %s:\n%s", os.Getenv("TF_ACC_TERRAFORM_PATH"), countTable(counts, rotated))
	for _, place := range secretPlaces {
		if place == "TRACE logs" {
			if counts[place] != 0 || rotated[place] != 0 {
				t.Errorf("the logs hold the credential %d times (the rotated one %d times)", counts[place], rotated[place])
			}
		} else if counts[place] == 0 || rotated[place] == 0 {
			t.Errorf("with the opt-out, %s holds the credential %d times and the rotated one %d times: the raw values are missing",
				place, counts[place], rotated[place])
		}
	}
}

// runCallbackSecrets runs callbackSecretsWorkspace through the CLI with
// providerBody inside the provider block.
func runCallbackSecrets(t *testing.T, providerBody string) secretsRun {
	t.Helper()
	opa := opaPath(t)
	srv := httptest.NewServer(emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}}))
	t.Cleanup(srv.Close)
	w := callbackSecretsWorkspace(t, srv, providerBody)
	domain := "domain_name=" + emulator.FixtureSecretsDomain
	base := slices.Clip(w.env)
	logs := func(name string) { // each command's TRACE log in a file of its own
		w.env = append(base, "TF_LOG=TRACE", "TF_LOG_PATH="+filepath.Join(w.dir, name+".log"))
	}

	r := secretsRun{text: map[string]string{}}
	// `get` installs the local module only: init would look the provider
	// up, which dev_overrides serves.
	if out, ok := w.run("get"); !ok {
		t.Fatalf("get failed:\n%s", out)
	}
	logs("policy")
	r.denied = policyDeny(t, w, opa, emulator.FixtureSecretsDomain, "", "")
	// Every webhook of both reads fails half its callbacks: the policy denies
	// each of them.
	if len(r.denied) < 6 {
		t.Errorf("the policy denied %d things, want at least the 6 webhooks:\n%s", len(r.denied), strings.Join(r.denied, "\n"))
	}
	logs("plan")
	plan, ok := w.run("plan", "-input=false", "-out=plan.out", "-var", domain)
	if !ok {
		t.Fatalf("plan failed:\n%s", plan)
	}
	// The configuration read the domain and judged it: the check warned and
	// the module reports the failing webhooks.
	mustMatch(t, plan, `Check block assertion failed`)
	mustMatch(t, plan, `healthy\s+=\s+false`)

	logs("show")
	show := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "show", "-json", "plan.out")
	show.Dir, show.Env = w.dir, w.env
	planJSON, err := show.Output()
	if err != nil {
		t.Fatalf("show -json: %v", err)
	}
	if !strings.Contains(string(planJSON), emulator.FixtureSecretsDomain) {
		t.Fatalf("the plan JSON holds no read of %s:\n%.2000s", emulator.FixtureSecretsDomain, planJSON)
	}

	logs("apply")
	apply, ok := w.run("apply", "-input=false", "plan.out")
	if !ok {
		t.Fatalf("apply failed:\n%s", apply)
	}
	if r.state, err = os.ReadFile(filepath.Join(w.dir, "terraform.tfstate")); err != nil {
		t.Fatal(err)
	}

	logs("gate")
	gate, ok := w.run("plan", "-input=false", "-var", domain, "-var", "gate_enforce=true")
	if ok {
		t.Fatalf("the enforcing gate let failing webhooks through:\n%s", gate)
	}
	mustMatch(t, gate, `(postcondition|precondition) failed`)

	var logText strings.Builder
	for _, name := range []string{"policy", "plan", "show", "apply", "gate"} {
		b, err := os.ReadFile(filepath.Join(w.dir, name+".log"))
		if err != nil {
			t.Fatal(err)
		}
		logText.Write(b)
	}
	if logText.Len() < 100000 || !strings.Contains(logText.String(), "read callback records") {
		t.Errorf("the TRACE logs are suspiciously short (%d bytes) or lack the provider's lines: is TF_LOG honoured?", logText.Len())
	}
	r.text["plan text"] = plan + gate
	r.text["apply text"] = apply
	r.text["show -json"] = string(planJSON)
	r.text["state"] = string(r.state)
	r.text["policy messages"] = strings.Join(r.denied, "\n")
	r.text["TRACE logs"] = logText.String()
	return r
}

// callbackSecretsWorkspace is examples/policy (both reads, lookback 6h)
// with providerBody in its provider block, plus the docs' check examples of
// both data sources, the callback-gate module and a read of each kind that
// keeps its records (an output lists them), all reading var.domain_name;
// var.gate_enforce (default false) turns the module's postconditions on.
func callbackSecretsWorkspace(t *testing.T, srv *httptest.Server, providerBody string) *workspace {
	t.Helper()
	w := newWorkspace(t, "policy", srv)
	_, file, _, _ := runtime.Caller(0)
	examples := filepath.Join(filepath.Dir(file), "..", "..", "examples")
	mainTF := filepath.Join(w.dir, "main.tf")
	main, err := os.ReadFile(mainTF)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(main), "provider \"live\" {}") {
		t.Fatal("examples/policy/main.tf has no `provider \"live\" {}` to configure")
	}
	main = []byte(strings.Replace(string(main), "provider \"live\" {}", "provider \"live\" {\n"+providerBody+"\n}", 1))
	files := map[string][]byte{"main.tf": main, "gate.tf": []byte(`
variable "gate_enforce" {
  type    = bool
  default = false
}

module "gate" {
  source      = "./callback-gate"
  domain_name = var.domain_name
  enforce     = var.gate_enforce
}

output "gate" {
  value = module.gate
}

# Reads that keep their records, which carry every field.
data "live_stream_notify_records" "kept" {
  domain_name = var.domain_name
  lookback    = "1h"
}

data "live_record_notify_records" "kept" {
  domain_name = var.domain_name
  lookback    = "1h"
}

output "kept_records" {
  value = {
    stream = data.live_stream_notify_records.kept.notify_records_info
    record = data.live_record_notify_records.kept.callback_list
  }
}
`)}
	// Each check example in a module of its own: they share local names.
	domainArg := regexp.MustCompile(`domain_name\s*=\s*"[^"]*"`)
	for _, kind := range []string{"live_stream_notify_records", "live_record_notify_records"} {
		check, err := os.ReadFile(filepath.Join(examples, "data-sources", kind, "check", "main.tf"))
		if err != nil {
			t.Fatal(err)
		}
		if len(domainArg.FindAll(check, -1)) != 1 {
			t.Fatalf("the %s check example does not set domain_name once", kind)
		}
		files["check_"+kind+"/main.tf"] = domainArg.ReplaceAll(check, []byte("domain_name = var.domain_name"))
		files["check_"+kind+"/variables.tf"] = []byte(`
terraform {
  required_providers {
    live = { source = "callbackwatch/live" }
  }
}

variable "domain_name" {
  type = string
}
`)
		files["gate.tf"] = append(files["gate.tf"], fmt.Sprintf(`
module %q {
  source      = "./check_%s"
  domain_name = var.domain_name
}
`, "check_"+kind, kind)...)
	}
	for name, data := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(w.dir, name)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(w.dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.CopyFS(filepath.Join(w.dir, "callback-gate"), os.DirFS(filepath.Join(examples, "modules", "callback-gate"))); err != nil {
		t.Fatal(err)
	}
	return w
}

// countTable lists counts and rotated by place, as the closing note gives
// them.
func countTable(counts, rotated map[string]int) string {
	var b strings.Builder
	for _, place := range secretPlaces {
		fmt.Fprintf(&b, "  %-16s %6d  (rotated: %d)\n", place, counts[place], rotated[place])
	}
	return b.String()
}

// urlKeys are the keys of summary.by_notify_url of every read in the state.
func urlKeys(t *testing.T, state []byte) map[string][]string {
	t.Helper()
	var s struct {
		Resources []struct {
			Module    string `json:"module"`
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				Attributes struct {
					Summary *struct {
						ByNotifyURL map[string]json.RawMessage `json:"by_notify_url"`
					} `json:"summary"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(state, &s); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, r := range s.Resources {
		if r.Mode != "data" || len(r.Instances) != 1 || r.Instances[0].Attributes.Summary == nil {
			continue
		}
		var keys []string
		for k := range r.Instances[0].Attributes.Summary.ByNotifyURL {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out[strings.TrimPrefix(r.Module+".", ".")+r.Type+"."+r.Name] = keys
	}
	return out
}
