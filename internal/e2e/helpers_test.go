package e2e

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"
	"time"

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

// callbackEmulator serves spotless.example.com, whose callbacks of the last
// hour all succeeded, unhealthy.example.com, where 6 of 10 failed, the
// newest four in a row, and the fixture and case domains every emulator
// holds (emulator.CaseDomains), among them emulator.FixtureFailingTypeDomain,
// where one event type of each kind is still failing while the newest
// callback succeeded. Any other domain (silentDomain) holds no callbacks.
func callbackEmulator(t *testing.T) *httptest.Server {
	t.Helper()
	emu := emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}})
	now := time.Now().UTC().Truncate(time.Second)
	for _, domain := range []string{"spotless.example.com", "unhealthy.example.com"} {
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

// silentDomain is a domain without callbacks.
const silentDomain = "silent.example.com"

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
