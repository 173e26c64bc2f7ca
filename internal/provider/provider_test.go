package provider

import (
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// testAccProtoV6ProviderFactories runs the provider in the test process, so
// that the CLI under test (OpenTofu or Terraform, TF_ACC_TERRAFORM_PATH)
// talks to the same code the test inspects, through the same protocol server
// as the released binary.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"live": func() (tfprotov6.ProviderServer, error) { return NewProtocol6Server("test")(), nil },
}

// testEmulator is an emulator served over HTTP for one test.
type testEmulator struct {
	*emulator.Server
	URL string
}

// startEmulator serves a fresh emulator for the test and stops it after.
func startEmulator(t *testing.T, opts emulator.Options) *testEmulator {
	t.Helper()
	emu := emulator.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &testEmulator{Server: emu, URL: srv.URL}
}

// providerConfig is a provider block pointing at the emulator with its
// default key pair; extra lines are added inside the block.
func (e *testEmulator) providerConfig(extra ...string) string {
	return fmt.Sprintf(`
provider "live" {
  endpoint   = %q
  access_key = %q
  secret_key = %q
  %s
}
`, e.URL, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, strings.Join(extra, "\n  "))
}

// requireAcc skips unit-test runs quickly; resource.Test would skip too, but
// without TF_ACC the emulator would be started for nothing.
func requireAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc) to run it through a real CLI")
	}
}
