package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/clitest"
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// The verdicts every shipped gate must give on the emulator's case domains
// with its defaults (SLO 0.99 over 720h, the pairs 1h/5m at a burn rate of
// 14.4 and 6h/30m at 6, windows of at least 10 callbacks, at most 2 failures
// in a row, at least 1 callback), as the issue states them and as the
// emulator documents each case: which rule fires for which event type or
// webhook. "<dimension>: 1h/5m" is a burn-rate pair, "<dimension>: in a
// row" the still-failing rule, "silence" the read without callbacks; no
// entry is a pass.
const (
	mainHook   = "webhook " + emulator.CaseMainURL
	backupHook = "webhook " + emulator.CaseBackupURL
)

var streamVerdicts = map[string][]string{
	emulator.CaseHealthyDomain: nil,
	emulator.CaseBlipDomain:    nil,
	emulator.CaseOutageDomain: {
		"event type publish: 1h/5m", "event type publish: 6h/30m", "event type publish: in a row",
		"event type publish_done: 1h/5m", "event type publish_done: 6h/30m", "event type publish_done: in a row",
		mainHook + ": 1h/5m", mainHook + ": 6h/30m", mainHook + ": in a row",
	},
	emulator.CaseSlowBurnDomain:       {"event type publish: 6h/30m", "event type publish_done: 6h/30m", mainHook + ": 6h/30m"},
	emulator.CaseLowTrafficDomain:     {mainHook + ": in a row"},
	emulator.CaseIdleDomain:           {"silence"},
	emulator.FixtureFailingTypeDomain: {"event type publish_done: in a row"},
	emulator.CaseWebhookDownDomain:    {backupHook + ": 1h/5m", backupHook + ": 6h/30m", backupHook + ": in a row"},
}

var recordingVerdicts = map[string][]string{
	emulator.CaseHealthyDomain: nil,
	emulator.CaseBlipDomain:    nil, // its one failure is a record_error, 41 minutes ago
	emulator.CaseOutageDomain: {
		"event type file_created: 1h/5m", "event type file_created: 6h/30m", "event type file_created: in a row",
		"event type record_started: 1h/5m", "event type record_started: 6h/30m", "event type record_started: in a row",
		mainHook + ": 1h/5m", mainHook + ": 6h/30m", mainHook + ": in a row",
	},
	emulator.CaseSlowBurnDomain:       {"event type file_created: 6h/30m", "event type record_started: 6h/30m", mainHook + ": 6h/30m"},
	emulator.CaseLowTrafficDomain:     {"event type file_created: in a row", mainHook + ": in a row"},
	emulator.CaseIdleDomain:           {"silence"},
	emulator.FixtureFailingTypeDomain: {"event type file_created: in a row"},
	emulator.CaseWebhookDownDomain:    {backupHook + ": 1h/5m", backupHook + ": 6h/30m", backupHook + ": in a row"},
}

// The lines of the module's problems output and of the policy's messages
// (after the policy's "<address> (domain ...): "), one pattern per rule.
var (
	burnLine  = regexp.MustCompile(`^((?:event type|webhook) \S+): burn rate [0-9]+\.[0-9] over (\w+) \(\d+ of \d+ failed\) and [0-9]+\.[0-9] over (\w+) \(\d+ of \d+ failed\), above [0-9]+\.[0-9], which spends [0-9]+\.[0-9]% of the 720h error budget in (\w+); at [0-9]+\.[0-9] the whole budget lasts [0-9]+\.[0-9] hours$`)
	rowLine   = regexp.MustCompile(`^((?:event type|webhook) \S+): the last (\d+) callbacks failed \(more than 2 in a row\), latest at \S+Z: callback failed: .+$`)
	quietLine = regexp.MustCompile(`^0 callbacks between \S+Z and \S+Z, fewer than min_callbacks 1$`)
)

// ruleOf names the rule a problem line reports, as the verdict tables do.
func ruleOf(t *testing.T, line string) string {
	t.Helper()
	if m := burnLine.FindStringSubmatch(line); m != nil {
		if m[2] != m[4] {
			t.Errorf("the budget share is not of the long window: %q", line)
		}
		return m[1] + ": " + m[2] + "/" + m[3]
	}
	if m := rowLine.FindStringSubmatch(line); m != nil {
		return m[1] + ": in a row"
	}
	if quietLine.MatchString(line) {
		return "silence"
	}
	t.Errorf("a problem line in no known form: %q", line)
	return line
}

// ruleKind is the rule of a verdict entry: "silence", "in a row" or "burn
// rate".
func ruleKind(verdict string) string {
	switch {
	case verdict == "silence":
		return "silence"
	case strings.HasSuffix(verdict, ": in a row"):
		return "in a row"
	default:
		return "burn rate"
	}
}

func sameRules(t *testing.T, what string, got, want []string) {
	t.Helper()
	got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// TestAccGateModuleVerdicts plans examples/modules/callback-gate with every
// default against each case domain: with enforce = false its problems
// output names exactly the rules the case must fire, for the right event
// types and webhooks; with enforce = true the plan fails on a closed gate,
// naming the domain and each rule that fired, and passes an open one.
func TestAccGateModuleVerdicts(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	clitest.SkipBelow(t, "1.5", "1.6") // the module's required_version
	for _, domain := range emulator.CaseDomains {
		t.Run(domain, func(t *testing.T) {
			t.Parallel()
			want := streamVerdicts[domain]
			w := newWorkspace(t, "modules/callback-gate", caseEmulator(t))
			if out, ok := w.run("plan", "-input=false", "-out=plan.out", "-var", "domain_name="+domain, "-var", "enforce=false"); !ok {
				t.Fatalf("plan with enforce = false failed:\n%s", out)
			}
			var got []string
			for _, line := range moduleProblems(t, w.showJSON()) {
				got = append(got, ruleOf(t, line))
			}
			sameRules(t, "the rules the module reports", got, want)

			w.at(caseEmulator(t))
			out, ok := w.run("plan", "-input=false", "-var", "domain_name="+domain)
			if ok != (len(want) == 0) {
				t.Fatalf("plan succeeded = %v, want %v:\n%s", ok, len(want) == 0, out)
			}
			flat := oneLine(out)
			for rule, message := range map[string]string{
				"silence":   "Callback gate, domain " + domain + ": 0 callbacks between",
				"burn rate": "Callback gate, domain " + domain + ": callbacks fail fast enough to spend the error budget of slo_target 0.99: ",
				"in a row":  "Callback gate, domain " + domain + ": callbacks are still failing: ",
			} {
				fired := slices.ContainsFunc(want, func(v string) bool { return ruleKind(v) == rule })
				if strings.Contains(flat, message) != fired {
					t.Errorf("the closed gate says %q: %v, want %v:\n%s", message, !fired, fired, out)
				}
			}
		})
	}
}

// moduleProblems is the problems output of a saved plan.
func moduleProblems(t *testing.T, plan map[string]any) []string {
	t.Helper()
	outputs, _ := plan["planned_values"].(map[string]any)["outputs"].(map[string]any)
	problems, ok := outputs["problems"].(map[string]any)["value"].([]any)
	if !ok {
		t.Fatalf("no problems output in the plan: %v", outputs)
	}
	var lines []string
	for _, p := range problems {
		line, ok := p.(string)
		if !ok {
			t.Fatalf("a problem that is not a string: %v", p)
		}
		lines = append(lines, line)
	}
	return lines
}

// TestAccGatePolicyVerdicts: the policy, run by the real OPA on the plan JSON
// each CLI writes, denies each case domain for exactly the rules it must
// fire, in both data sources of examples/policy, with every message naming
// the address and the domain; the same plan under input.plan (HCP Terraform)
// gets the same answer. For the cases whose messages do not depend on the
// second a plan reads (failures in a row), the module's problems and the
// policy's messages are the same lines.
func TestAccGatePolicyVerdicts(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	clitest.SkipBelow(t, "1.5", "1.6") // the example's required_version
	opa := opaPath(t)
	for _, domain := range emulator.CaseDomains {
		t.Run(domain, func(t *testing.T) {
			t.Parallel()
			emu := caseEmulator(t)
			w := newWorkspace(t, "policy", emu)
			denied := policyDeny(t, w, opa, domain, "", "")
			byRead := map[string][]string{}
			for _, msg := range denied {
				address, line, ok := strings.Cut(msg, " (domain "+domain+"): ")
				if !ok {
					t.Errorf("a message does not name the domain after the address: %q", msg)
					continue
				}
				byRead[address] = append(byRead[address], ruleOf(t, line))
			}
			sameRules(t, "the rules denied for the stream read", byRead["data.live_stream_notify_records.ingest"], streamVerdicts[domain])
			sameRules(t, "the rules denied for the recording read", byRead["data.live_record_notify_records.recording"], recordingVerdicts[domain])

			if domain == emulator.CaseLowTrafficDomain || domain == emulator.FixtureFailingTypeDomain {
				m := newWorkspace(t, "modules/callback-gate", emu)
				if out, ok := m.run("plan", "-input=false", "-out=plan.out", "-var", "domain_name="+domain, "-var", "enforce=false"); !ok {
					t.Fatalf("module plan failed:\n%s", out)
				}
				var policyLines []string
				for _, msg := range denied {
					if line, ok := strings.CutPrefix(msg, "data.live_stream_notify_records.ingest (domain "+domain+"): "); ok {
						policyLines = append(policyLines, line)
					}
				}
				sameRules(t, "the module's problems beside the policy's messages", moduleProblems(t, m.showJSON()), policyLines)
			}
		})
	}
}

func opaPath(t *testing.T) string {
	t.Helper()
	opa := os.Getenv("OPA_PATH")
	if opa == "" {
		t.Fatal("OPA_PATH is not set: scripts/test.sh installs OPA and sets it")
	}
	return opa
}

// policyDeny plans the policy workspace for domain, with extra
// configuration, and returns what the policy denies, with data from dataJSON
// when set. It evaluates the plan JSON twice, as conftest and opa eval give
// it and under input.plan as HCP Terraform does, and fails the test when the
// answers differ.
func policyDeny(t *testing.T, w *workspace, opa, domain, extra, dataJSON string) []string {
	t.Helper()
	extraFile := filepath.Join(w.dir, "extra.tf")
	if err := os.WriteFile(extraFile, []byte(extra), 0o600); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(extraFile)
	if out, ok := w.run("plan", "-input=false", "-out=plan.out", "-var", "domain_name="+domain); !ok {
		t.Fatalf("plan failed:\n%s", out)
	}
	plan := w.showJSON()
	var answers [][]string
	for i, input := range []any{plan, map[string]any{"plan": plan, "run": map[string]any{"workspace": map[string]any{"name": "e2e"}}}} {
		inputFile := filepath.Join(w.dir, fmt.Sprintf("input%d.json", i))
		b, err := json.Marshal(input)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(inputFile, b, 0o600); err != nil {
			t.Fatal(err)
		}
		args := []string{"eval", "--format", "json", "-d", filepath.Join(w.dir, "policy"), "-i", inputFile}
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
		answers = append(answers, result.Result[0].Expressions[0].Value)
	}
	if !slices.Equal(answers[0], answers[1]) {
		t.Errorf("the policy answers the plan JSON and the same plan under input.plan differently:\n%q\n%q", answers[0], answers[1])
	}
	return answers[0]
}

// A check or postcondition example, and how to point it at a domain.
type exampleGate struct {
	name    string
	dir     string // under examples/, or "" for the README's check
	verdict map[string][]string
	check   bool     // warns (check block) rather than failing the plan (postcondition)
	vars    []string // -var NAME=%s for the domain; none: the domain is written in the file
	kind    string   // "stream-ingest" or "recording", as the messages say it
}

var exampleGates = []exampleGate{
	{"README check", "", streamVerdicts, true, nil, "stream-ingest"},
	{"docs stream check", "data-sources/live_stream_notify_records/check", streamVerdicts, true, nil, "stream-ingest"},
	{"docs recording check", "data-sources/live_record_notify_records/check", recordingVerdicts, true, nil, "recording"},
	{"health-check", "health-check", streamVerdicts, true, []string{"domain_name=%s"}, "stream-ingest"},
	{"demo", "demo", streamVerdicts, true, []string{"watched_domain_name=%s"}, "stream-ingest"},
	{"postcondition", "postcondition", streamVerdicts, false, []string{"domain_name=%s"}, "stream-ingest"},
	{"docs stream postcondition", "data-sources/live_stream_notify_records/postcondition", streamVerdicts, false, nil, "stream-ingest"},
	{"docs recording postcondition", "data-sources/live_record_notify_records/postcondition", recordingVerdicts, false, nil, "recording"},
}

// TestAccGateExampleVerdicts: the README's check, the docs' check and
// postcondition examples, examples/health-check, examples/postcondition and
// the demo give each case domain its verdict: a check warns (and the plan
// succeeds), a postcondition fails the plan, and each names every event type
// or webhook that crossed a rule with that rule, and no other.
func TestAccGateExampleVerdicts(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	clitest.SkipBelow(t, "1.5", "1.6") // check blocks and the examples' required_version
	for _, gate := range exampleGates {
		for _, domain := range emulator.CaseDomains {
			t.Run(gate.name+"/"+domain, func(t *testing.T) {
				t.Parallel()
				w := gateWorkspace(t, gate, domain)
				args := []string{"plan", "-input=false"}
				for _, v := range gate.vars {
					args = append(args, "-var", fmt.Sprintf(v, domain))
				}
				out, ok := w.run(args...)
				want := gate.verdict[domain]
				switch {
				case gate.check && !ok:
					t.Fatalf("a check must never fail the plan:\n%s", out)
				case !gate.check && ok != (len(want) == 0):
					t.Fatalf("plan succeeded = %v, want %v:\n%s", ok, len(want) == 0, out)
				}
				if warned := strings.Contains(out, "Check block assertion failed"); gate.check && warned != (len(want) > 0) {
					t.Errorf("the check warned = %v, want %v:\n%s", warned, len(want) > 0, out)
				}
				flat := oneLine(out)
				var got []string
				for _, m := range regexp.MustCompile(`((?:event type|webhook) \S+): burn rate [0-9]+\.[0-9] over (\w+) \(\d+ of \d+ failed\) and [0-9]+\.[0-9] over (\w+) \(`).FindAllStringSubmatch(flat, -1) {
					got = append(got, m[1]+": "+m[2]+"/"+m[3])
				}
				for _, m := range regexp.MustCompile(`((?:event type|webhook) \S+): the last \d+ failed, latest at \S+Z: callback failed`).FindAllStringSubmatch(flat, -1) {
					got = append(got, m[1]+": in a row")
				}
				if regexp.MustCompile(`No ` + gate.kind + ` callbacks of ` + regexp.QuoteMeta(domain)).MatchString(flat) {
					got = append(got, "silence")
				}
				sameRules(t, "the rules the example reports", got, want)
			})
		}
	}
}

// gateWorkspace is the example's configuration pointed at domain, against an
// emulator of its own.
func gateWorkspace(t *testing.T, gate exampleGate, domain string) *workspace {
	t.Helper()
	emu := caseEmulator(t)
	if gate.dir == "" {
		w := newWorkspace(t, "data-sources/live_stream_notify_records/check", emu)
		if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(readmeCheck(t)), 0o600); err != nil {
			t.Fatal(err)
		}
		pointAt(t, w, domain)
		return w
	}
	w := newWorkspace(t, gate.dir, emu)
	if gate.vars == nil {
		pointAt(t, w, domain)
	}
	return w
}

// pointAt rewrites a snippet's literal domain and gives it the provider
// declaration the docs leave out.
func pointAt(t *testing.T, w *workspace, domain string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(w.dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	replaced := false
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.NewReplacer(`"push.example.com"`, `"`+domain+`"`, `"live.example.com"`, `"`+domain+`"`,
			"of push.example.com", "of "+domain, "of live.example.com", "of "+domain).Replace(string(b))
		replaced = replaced || text != string(b)
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if !replaced {
		t.Fatalf("%s names no domain to replace", w.dir)
	}
	if !declaresProviders(t, w.dir) {
		if err := os.WriteFile(filepath.Join(w.dir, "snippet_providers.tf"), []byte(snippetProviders+"\nprovider \"live\" {}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// readmeCheck is the check of the README's "Using it", from its comment to
// the end of its code block.
func readmeCheck(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n# Warn while callbacks burn")
	block, _, closed := strings.Cut(rest, "\n```")
	if !ok || !closed || !strings.Contains(block, `check "ingest_callbacks_healthy"`) {
		t.Fatal("README.md has no check block after \"# Warn while callbacks burn\"")
	}
	return "# Warn while callbacks burn" + block + "\n"
}
