package e2e

import (
	"archive/zip"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// Canary credentials: distinctive strings that must appear nowhere.
const (
	canaryKeyID  = "LTAI5tCanaryKeyId"
	canarySecret = "CanarySecret-8c1f0e3a-do-not-log"
	canaryToken  = "CanaryStsToken-5d2b9e77-do-not-log"
)

// TestAccSecretsNeverLeak runs plan and apply with TF_LOG=TRACE and the SDK's
// own debug switch (DEBUG=dara,tea) on, with the secret and the STS token in
// the provider block, and then with a wrong secret: neither the secret nor
// the token may appear in any output, log line, error or the state file.
func TestAccSecretsNeverLeak(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	w, srv := canaryWorkspace(t)
	w.env = append(w.env, "TF_LOG=TRACE", "DEBUG=dara,tea,sdk")

	w.writeCanaryConfig(literalProvider(srv.URL, canarySecret))
	out, ok := w.run("apply", "-input=false", "-auto-approve")
	if !ok {
		t.Fatalf("apply failed:\n%s", out)
	}
	if !strings.Contains(out, "total = 2") || !strings.Contains(out, "ApsaraVideo Live API call succeeded") {
		t.Fatalf("the apply did not read the records with trace logging on:\n%.3000s", out)
	}
	state, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}

	w.writeCanaryConfig(literalProvider(srv.URL, "wrong-"+canarySecret))
	failed, ok := w.run("plan", "-input=false", "-refresh=true")
	if ok || !strings.Contains(failed, "SignatureDoesNotMatch") {
		t.Fatalf("a wrong secret must fail with SignatureDoesNotMatch:\n%.3000s", failed)
	}

	for name, text := range map[string]string{"trace output": out, "state": string(state), "error output": failed} {
		for _, secret := range []string{canarySecret, canaryToken} {
			if strings.Contains(text, secret) {
				i := strings.Index(text, secret)
				t.Errorf("%s contains a secret near: %q", name, text[max(0, i-200):min(len(text), i+len(secret)+50)])
			}
		}
	}
	if len(out) < 10000 {
		t.Errorf("the trace output is suspiciously short (%d bytes): is TF_LOG honoured?", len(out))
	}
}

// TestAccSecretsStayOutOfPlanFiles: with the secret and the STS token in the
// environment, as the docs recommend for pipelines, neither is in the plan
// file, in `show -json` of it (what the policy workflow exports) or in the
// state. A literal in the provider block, by contrast, is configuration,
// which the plan file carries and `show -json` prints even for sensitive
// arguments: the test checks that too, since the docs say so.
func TestAccSecretsStayOutOfPlanFiles(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	w, srv := canaryWorkspace(t)
	planAndShow := func() string {
		t.Helper()
		if out, ok := w.run("plan", "-input=false", "-out=plan.out"); !ok {
			t.Fatalf("plan failed:\n%s", out)
		}
		shown, ok := w.run("show", "-json", "plan.out")
		if !ok {
			t.Fatalf("show -json failed:\n%s", shown)
		}
		return shown + planFileText(t, filepath.Join(w.dir, "plan.out"))
	}

	// The credentials in the environment: nowhere in the plan or the state.
	w.env = append(w.env, "ALIBABA_CLOUD_ACCESS_KEY_ID="+canaryKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET="+canarySecret,
		"ALIBABA_CLOUD_SECURITY_TOKEN="+canaryToken)
	w.writeCanaryConfig(fmt.Sprintf("provider \"live\" {\n  endpoint = %q\n}", srv.URL))
	text := planAndShow()
	if !strings.Contains(text, `"total_num"`) {
		t.Fatalf("the plan JSON has no data source read:\n%.2000s", text)
	}
	if out, ok := w.run("apply", "-input=false", "plan.out"); !ok {
		t.Fatalf("apply failed:\n%s", out)
	}
	state, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{canarySecret, canaryToken} {
		if strings.Contains(text+string(state), secret) {
			t.Errorf("a secret from the environment reached the plan file, its JSON or the state")
		}
	}

	// The same credentials as literals in the block: the plan file carries
	// them, and show -json prints them, sensitive or not.
	w.env = w.env[:len(w.env)-3]
	w.writeCanaryConfig(literalProvider(srv.URL, canarySecret))
	if text := planAndShow(); !strings.Contains(text, canarySecret) || !strings.Contains(text, canaryToken) {
		t.Errorf("this CLI keeps literal sensitive provider arguments out of the plan file and show -json: the docs' warning (README, templates/index.md.tmpl) can be relaxed for it")
	}
}

// literalProvider is a provider block with the canary key id and token and
// the given secret as literals.
func literalProvider(endpoint, secret string) string {
	return fmt.Sprintf("provider \"live\" {\n  endpoint       = %q\n  access_key     = %q\n  secret_key     = %q\n  security_token = %q\n}",
		endpoint, canaryKeyID, secret, canaryToken)
}

// canaryWorkspace is an empty workspace wired to the provider, and an
// emulator that accepts only the canary credentials.
func canaryWorkspace(t *testing.T) (*workspace, *httptest.Server) {
	t.Helper()
	emu := emulator.New(emulator.Options{Credentials: map[string]emulator.Credential{
		canaryKeyID: {Secret: canarySecret, SecurityToken: canaryToken},
	}})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	w := newWorkspace(t, "health-check", srv) // Only for its CLI configuration.
	if err := os.RemoveAll(w.dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(w.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return w, srv
}

// writeCanaryConfig writes main.tf: providerBlock, a stream data source of
// the fixture domain and its total_num as the output total.
func (w *workspace) writeCanaryConfig(providerBlock string) {
	w.t.Helper()
	config := fmt.Sprintf(`
terraform {
  required_providers {
    live = { source = "callbackwatch/live" }
  }
}

%s

data "live_stream_notify_records" "test" {
  domain_name = %q
  lookback    = "24h"
}

output "total" {
  value = data.live_stream_notify_records.test.total_num
}
`, providerBlock, emulator.FixtureStreamDomain)
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(config), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// planFileText is the text of every file in a plan file (a zip archive).
func planFileText(t *testing.T, path string) string {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var b strings.Builder
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}
