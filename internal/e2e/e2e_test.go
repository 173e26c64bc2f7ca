// Package e2e runs the configurations in examples/ through a real OpenTofu
// or Terraform binary (TF_ACC_TERRAFORM_PATH) with the provider built from
// this tree, against the emulator: what a user's pipeline does, end to end.
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
	"strings"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/clitest"
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// providerDir holds the provider binary built once for all tests.
var providerDir string

func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") == "" || os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		// Without a CLI there is nothing to run; the tests skip themselves.
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "live-e2e-provider")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	providerDir = dir
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-live"), ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the provider: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// workspace is a copy of one example directory wired to an emulator.
type workspace struct {
	t   *testing.T
	dir string
	env []string
}

func requireCLI(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" || os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Skip("end-to-end test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make testacc)")
	}
}

// newWorkspace copies examples/<example> into a temp dir, with a CLI
// configuration whose dev_overrides run the provider built by TestMain.
func newWorkspace(t *testing.T, example string, emu *httptest.Server) *workspace {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	src := filepath.Join(filepath.Dir(file), "..", "..", "examples", example)
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(t.TempDir(), "cli.tfrc")
	overrides := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/callbackwatch/live" = %q
    "registry.opentofu.org/callbackwatch/live" = %q
  }
  direct {}
}
`, providerDir, providerDir)
	if err := os.WriteFile(rc, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"TF_CLI_CONFIG_FILE=" + rc,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"ALIBABA_CLOUD_ECS_METADATA_DISABLED=true",
		"ALIBABA_CLOUD_LIVE_ENDPOINT=" + emu.URL,
		"ALIBABA_CLOUD_ACCESS_KEY_ID=" + emulator.DefaultAccessKeyID,
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + emulator.DefaultAccessKeySecret,
		"HOME=" + t.TempDir(),
		"PATH=" + os.Getenv("PATH"),
	}
	return &workspace{t: t, dir: dir, env: env}
}

// run runs the CLI and returns its combined output and whether it succeeded.
func (w *workspace) run(args ...string) (string, bool) {
	w.t.Helper()
	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), append([]string{args[0], "-no-color"}, args[1:]...)...)
	cmd.Dir = w.dir
	cmd.Env = w.env
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

// callbackEmulator serves two domains: healthy.example.com, whose callbacks
// of the last hour all succeeded, and unhealthy.example.com, where 6 of 10
// failed, the newest four in a row.
func callbackEmulator(t *testing.T) *httptest.Server {
	t.Helper()
	emu := emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}})
	now := time.Now().UTC().Truncate(time.Second)
	for _, domain := range []string{"healthy.example.com", "unhealthy.example.com"} {
		var streams []emulator.StreamRecord
		var recordings []emulator.RecordCallback
		for i := range 10 {
			result, desc := "success", "success"
			if domain == "unhealthy.example.com" && (i < 3 || i%3 == 0) {
				result, desc = "failed", "callback failed: HTTP 502 Bad Gateway"
			}
			n := emulator.Notify{
				DomainName: domain, AppName: "app", StreamName: fmt.Sprintf("stream%d", i%4),
				NotifyTime: now.Add(-time.Duration(i+1) * 5 * time.Minute), NotifyResult: result, Description: desc,
				NotifyURL: "http://hooks." + domain + "/live", NotifyContent: `{"action":"publish"}`,
			}
			n.NotifyType = "publish"
			streams = append(streams, emulator.StreamRecord{Notify: n})
			n.NotifyType = "record_started"
			recordings = append(recordings, emulator.RecordCallback{Notify: n, StorageType: "oss"})
		}
		emu.AddStreamRecords(streams...)
		emu.AddRecordCallbacks(recordings...)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return srv
}

func mustMatch(t *testing.T, out, pattern string) {
	t.Helper()
	if !regexp.MustCompile(pattern).MatchString(out) {
		t.Errorf("output does not match %q:\n%s", pattern, out)
	}
}

func mustNotMatch(t *testing.T, out, pattern string) {
	t.Helper()
	if regexp.MustCompile(pattern).MatchString(out) {
		t.Errorf("output matches %q but should not:\n%s", pattern, out)
	}
}

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
