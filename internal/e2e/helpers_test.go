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

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// providerDir holds the provider binary built once for all tests.
var providerDir string

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

// caseEmulator serves the emulator's fixture and case domains
// (emulator.CaseDomains), generated at the moment it starts: a case's
// shortest windows are judged as stated only by a plan made within a minute
// or so, so each verdict gets an emulator of its own. Any domain that is not
// a case (and emulator.CaseIdleDomain) holds no callbacks.
func caseEmulator(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}}))
	t.Cleanup(srv.Close)
	return srv
}

// at points the workspace's provider at another emulator.
func (w *workspace) at(emu *httptest.Server) {
	for i, kv := range w.env {
		if strings.HasPrefix(kv, "ALIBABA_CLOUD_LIVE_ENDPOINT=") {
			w.env[i] = "ALIBABA_CLOUD_LIVE_ENDPOINT=" + emu.URL
		}
	}
}

// showJSON is `show -json` of the plan saved as plan.out, decoded.
func (w *workspace) showJSON() map[string]any {
	const planFile = "plan.out"
	w.t.Helper()
	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "show", "-json", planFile)
	cmd.Dir, cmd.Env = w.dir, w.env
	out, err := cmd.Output()
	if err != nil {
		w.t.Fatalf("show -json %s: %v", planFile, err)
	}
	var plan map[string]any
	if err := json.Unmarshal(out, &plan); err != nil {
		w.t.Fatalf("show -json %s: %v", planFile, err)
	}
	return plan
}

// oneLine collapses the CLI's wrapping of diagnostics (it breaks long
// messages at spaces) so that a message can be matched whole.
func oneLine(out string) string { return strings.Join(strings.Fields(out), " ") }

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
