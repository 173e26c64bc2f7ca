package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
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

// TestDataSourcesShareTheProviderClient: every data source instance of a
// provider gets the one client (and so the one rate limiter) the provider
// configured, however many are read in parallel.
func TestDataSourcesShareTheProviderClient(t *testing.T) {
	credential, _, err := liveapi.NewCredential(liveapi.CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret})
	if err != nil {
		t.Fatal(err)
	}
	client, err := liveapi.New(liveapi.Config{Credential: credential})
	if err != nil {
		t.Fatal(err)
	}
	p := New("test")()
	var limiters []any
	for i := 0; i < 3; i++ {
		for _, factory := range p.DataSources(context.Background()) {
			ds := factory()
			resp := &datasource.ConfigureResponse{}
			configurable, ok := ds.(datasource.DataSourceWithConfigure)
			if !ok {
				t.Fatalf("%T does not take the provider's client", ds)
			}
			configurable.Configure(context.Background(), datasource.ConfigureRequest{ProviderData: &providerData{client: client, redactSecrets: true}}, resp)
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			switch d := ds.(type) {
			case *RecordNotifyRecordsDataSource:
				limiters = append(limiters, d.client.Limiter())
			case *StreamNotifyRecordsDataSource:
				limiters = append(limiters, d.client.Limiter())
			default:
				t.Fatalf("unexpected data source type %T", ds)
			}
		}
	}
	if len(limiters) != 6 {
		t.Fatalf("got %d data sources", len(limiters))
	}
	for _, l := range limiters {
		if l != client.Limiter() {
			t.Fatal("a data source holds a limiter other than the provider's")
		}
	}
}

// TestEachConfigurationHasItsOwnLimiter: every Configure (Terraform
// configures each provider block, alias or not, on a provider instance of
// its own) builds a client with a limiter of its own at its own max_qps, so
// two aliases at max_qps 40 may send 80 requests a second between them.
func TestEachConfigurationHasItsOwnLimiter(t *testing.T) {
	clearProviderEnv(t)
	first := emulatorKeys()
	first["max_qps"] = num(40)
	second := emulatorKeys()
	second["max_qps"] = num(7)
	a, diags := configure(t, first)
	b, diags2 := configure(t, second)
	if diags.HasError() || diags2.HasError() || a == nil || b == nil {
		t.Fatalf("Configure failed: %v %v", diags, diags2)
	}
	if a.Limiter() == b.Limiter() || a.Limiter().Size() != 40 || b.Limiter().Size() != 7 {
		t.Errorf("limiters shared %v, sizes %d and %d; want two, of 40 and 7", a.Limiter() == b.Limiter(), a.Limiter().Size(), b.Limiter().Size())
	}
}

// TestConfigureDefaults: with nothing set, the client reads at max_qps 50
// and retries a transient failure 5 times, as the docs promise.
func TestConfigureDefaults(t *testing.T) {
	clearProviderEnv(t)
	client, diags := configure(t, emulatorKeys())
	if diags.HasError() || client == nil {
		t.Fatalf("Configure failed: %v", diags)
	}
	if client.MaxQPS() != 50 || client.MaxRetries() != 5 || client.Limiter().Size() != 50 {
		t.Errorf("max_qps %g (limiter %d), max_retries %d; want 50 (50) and 5", client.MaxQPS(), client.Limiter().Size(), client.MaxRetries())
	}
}

// providerEnv lists every environment variable Configure reads; each test
// starts with all of them empty, so the machine's own settings do not leak in.
var providerEnv = [][]string{envRegion, envAccessKey, envSecretKey, envSecurityToken, envProfile, envEndpoint, envMaxQPS, envMaxRetries,
	envHTTPProxy, envHTTPSProxy, envNoProxy, envCABundle}

func clearProviderEnv(t *testing.T) {
	t.Helper()
	for _, names := range providerEnv {
		for _, n := range names {
			t.Setenv(n, "")
		}
	}
}

// configure runs the provider's Configure on a provider block with the given
// attributes (the rest null) and returns the client it built, if any.
func configure(t *testing.T, attrs map[string]tftypes.Value) (*liveapi.Client, diag.Diagnostics) {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	var resp provider.ConfigureResponse
	p.Configure(ctx, configureRequest(t, attrs), &resp)
	if resp.DataSourceData == nil {
		return nil, resp.Diagnostics
	}
	data, ok := resp.DataSourceData.(*providerData)
	if !ok {
		t.Fatalf("Configure handed the data sources a %T", resp.DataSourceData)
	}
	return data.client, resp.Diagnostics
}

// configureRequest is the request Configure gets for a provider block with
// the given attributes (the rest null).
func configureRequest(t *testing.T, attrs map[string]tftypes.Value) provider.ConfigureRequest {
	t.Helper()
	ctx := context.Background()
	var sresp provider.SchemaResponse
	New("test")().Schema(ctx, provider.SchemaRequest{}, &sresp)
	objType, ok := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("the provider schema is a %T, not an object", sresp.Schema.Type().TerraformType(ctx))
	}
	values := make(map[string]tftypes.Value, len(objType.AttributeTypes))
	for name, typ := range objType.AttributeTypes {
		values[name] = tftypes.NewValue(typ, nil)
	}
	for name, v := range attrs {
		if _, known := values[name]; !known {
			t.Fatalf("the provider has no attribute %q", name)
		}
		values[name] = v
	}
	return provider.ConfigureRequest{
		TerraformVersion: "1.12.6",
		Config:           tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(objType, values)},
	}
}

func str(s string) tftypes.Value  { return tftypes.NewValue(tftypes.String, s) }
func num(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, f) }
func emulatorKeys() map[string]tftypes.Value {
	return map[string]tftypes.Value{"access_key": str(emulator.DefaultAccessKeyID), "secret_key": str(emulator.DefaultAccessKeySecret)}
}

// TestConfigureMaxQPS: max_qps reaches the client's limiter from the block
// or from ALIBABA_CLOUD_LIVE_MAX_QPS, the block winning; a bad value in the
// environment is an error on max_qps. The limiter admits max_qps rounded
// down in a window of a second and a 20 ms guard band (below 1, one request
// per 1/max_qps and the band).
func TestConfigureMaxQPS(t *testing.T) {
	const second = time.Second + 20*time.Millisecond
	for _, c := range []struct {
		name   string
		block  float64 // 0: unset
		env    string
		want   float64
		size   int
		window time.Duration
	}{
		{name: "default", want: 50, size: 50, window: second},
		{name: "block", block: 5, want: 5, size: 5, window: second},
		{name: "environment", env: "7", want: 7, size: 7, window: second},
		{name: "fractional environment", env: "0.5", want: 0.5, size: 1, window: 2*time.Second + 20*time.Millisecond},
		{name: "environment at the least", env: "0.1", want: 0.1, size: 1, window: 10*time.Second + 20*time.Millisecond},
		{name: "environment at the most", env: "100", want: 100, size: 100, window: second},
		{name: "block wins", block: 20.9, env: "7", want: 20.9, size: 20, window: second},
	} {
		t.Run(c.name, func(t *testing.T) {
			clearProviderEnv(t)
			t.Setenv("ALIBABA_CLOUD_LIVE_MAX_QPS", c.env)
			attrs := emulatorKeys()
			if c.block != 0 {
				attrs["max_qps"] = num(c.block)
			}
			client, diags := configure(t, attrs)
			if diags.HasError() || client == nil {
				t.Fatalf("Configure failed: %v", diags)
			}
			if l := client.Limiter(); client.MaxQPS() != c.want || l.Size() != c.size || l.Window() != c.window {
				t.Errorf("max_qps %g, %d per %s; want %g, %d per %s", client.MaxQPS(), l.Size(), l.Window(), c.want, c.size, c.window)
			}
		})
	}
	for _, bad := range []string{"fast", "0", "0.05", "101", "-3"} {
		t.Run("invalid "+bad, func(t *testing.T) {
			clearProviderEnv(t)
			t.Setenv("ALIBABA_CLOUD_LIVE_MAX_QPS", bad)
			client, diags := configure(t, emulatorKeys())
			if client != nil || !hasErrorAt(diags, path.Root("max_qps"), "ALIBABA_CLOUD_LIVE_MAX_QPS") {
				t.Errorf("ALIBABA_CLOUD_LIVE_MAX_QPS=%q: client %v, diagnostics %v", bad, client != nil, diags)
			}
		})
	}
}

// TestConfigureMaxRetries: max_retries reaches the client from the block or
// from ALIBABA_CLOUD_LIVE_MAX_RETRIES, the block winning. Against an API that
// always answers 503, a client with N retries makes exactly N+1 requests.
func TestConfigureMaxRetries(t *testing.T) {
	for _, c := range []struct {
		name  string
		block int64 // -1: unset
		env   string
		want  int
	}{
		{name: "environment", block: -1, env: "2", want: 2},
		{name: "environment zero", block: -1, env: "0", want: 0},
		{name: "block", block: 1, want: 1},
		{name: "block wins", block: 0, env: "3", want: 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			clearProviderEnv(t)
			t.Setenv("ALIBABA_CLOUD_LIVE_MAX_RETRIES", c.env)
			emu := emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}, NoCaseDomains: true, Faults: emulator.Faults{
				PersistentError: &emulator.APIError{Status: 503, Code: "ServiceUnavailable", Message: "The request has failed due to a temporary failure of the server."},
			}})
			srv := httptest.NewServer(emu)
			defer srv.Close()
			attrs := emulatorKeys()
			attrs["endpoint"] = str(srv.URL)
			if c.block >= 0 {
				attrs["max_retries"] = tftypes.NewValue(tftypes.Number, c.block)
			}
			client, diags := configure(t, attrs)
			if diags.HasError() || client == nil {
				t.Fatalf("Configure failed: %v", diags)
			}
			if got := client.MaxRetries(); got != c.want {
				t.Errorf("the client retries %d times, want %d", got, c.want)
			}
			if testing.Short() {
				// The read below waits out the client's backoff, from 200 ms;
				// that max_retries n makes n+1 attempts is liveapi's
				// TestListFailsClearlyOnPersistentErrors.
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, err := liveapi.List(ctx, client, liveapi.StreamNotifyRecords, liveapi.Query{
				DomainName: emulator.FixtureStreamDomain, StartTime: emu.Now().Add(-time.Hour), EndTime: emu.Now(),
			})
			var apiErr *liveapi.APIError
			if !errors.As(err, &apiErr) || apiErr.Code != "ServiceUnavailable" {
				t.Fatalf("got %v, want the 503", err)
			}
			if got := emu.Stats().Requests; got != int64(c.want+1) {
				t.Errorf("max_retries %d: the emulator saw %d requests, want %d", c.want, got, c.want+1)
			}
		})
	}
	// The bounds themselves are accepted (the read would take a minute of
	// backoff at 20 retries, so only Configure is run).
	for _, ok := range []string{"0", "20"} {
		t.Run("valid "+ok, func(t *testing.T) {
			clearProviderEnv(t)
			t.Setenv("ALIBABA_CLOUD_LIVE_MAX_RETRIES", ok)
			if client, diags := configure(t, emulatorKeys()); client == nil || diags.HasError() {
				t.Errorf("ALIBABA_CLOUD_LIVE_MAX_RETRIES=%q refused: %v", ok, diags)
			}
		})
	}
	for _, bad := range []string{"many", "-1", "21", "2.5"} {
		t.Run("invalid "+bad, func(t *testing.T) {
			clearProviderEnv(t)
			t.Setenv("ALIBABA_CLOUD_LIVE_MAX_RETRIES", bad)
			client, diags := configure(t, emulatorKeys())
			if client != nil || !hasErrorAt(diags, path.Root("max_retries"), "ALIBABA_CLOUD_LIVE_MAX_RETRIES") {
				t.Errorf("ALIBABA_CLOUD_LIVE_MAX_RETRIES=%q: client %v, diagnostics %v", bad, client != nil, diags)
			}
		})
	}
}

// TestPlainHTTPEndpointWarning: an http:// endpoint to a host other than
// this machine draws a warning on endpoint, whether it comes from
// ALIBABA_CLOUD_LIVE_ENDPOINT (Configure warns) or from the block (the
// attribute's validator warns, at validation, so Configure does not repeat
// it); a loopback endpoint and HTTPS do not.
func TestPlainHTTPEndpointWarning(t *testing.T) {
	const remote = "http://live.example.internal:8080"
	for _, c := range []struct {
		name, env, block string
		warn             bool
	}{
		{name: "environment, remote", env: remote, warn: true},
		{name: "environment, loopback", env: "http://127.0.0.1:8080"},
		{name: "environment, https", env: "https://live.example.internal"},
		{name: "block, remote", block: remote},
	} {
		t.Run(c.name, func(t *testing.T) {
			clearProviderEnv(t)
			t.Setenv("ALIBABA_CLOUD_LIVE_ENDPOINT", c.env)
			attrs := emulatorKeys()
			if c.block != "" {
				attrs["endpoint"] = str(c.block)
			}
			client, diags := configure(t, attrs)
			if diags.HasError() || client == nil {
				t.Fatalf("Configure failed: %v", diags)
			}
			if got := hasWarningAt(diags, path.Root("endpoint"), "plain HTTP"); got != c.warn {
				t.Errorf("warning %v, want %v: %v", got, c.warn, diags)
			}
			if c.warn && !strings.Contains(diagText(diags), "live.example.internal:8080") {
				t.Errorf("the warning does not name the host: %v", diags)
			}
		})
	}

	// The block's endpoint is judged by the attribute's validators.
	for _, c := range []struct {
		endpoint string
		warn     bool
	}{{remote, true}, {"http://localhost:9000", false}, {"https://live.example.internal", false}} {
		t.Run("validator "+c.endpoint, func(t *testing.T) {
			diags := validateEndpoint(t, c.endpoint)
			if diags.HasError() {
				t.Fatalf("%s refused: %v", c.endpoint, diags)
			}
			if got := hasWarningAt(diags, path.Root("endpoint"), "plain HTTP"); got != c.warn {
				t.Errorf("%s: warning %v, want %v: %v", c.endpoint, got, c.warn, diags)
			}
		})
	}
}

// validateEndpoint runs the endpoint attribute's validators on v.
func validateEndpoint(t *testing.T, v string) diag.Diagnostics {
	t.Helper()
	var sresp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &sresp)
	attr, ok := sresp.Schema.Attributes["endpoint"].(schema.StringAttribute)
	if !ok || len(attr.Validators) == 0 {
		t.Fatalf("the endpoint attribute has no string validators: %T", sresp.Schema.Attributes["endpoint"])
	}
	var diags diag.Diagnostics
	for _, vd := range attr.Validators {
		resp := &validator.StringResponse{}
		vd.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("endpoint"), ConfigValue: types.StringValue(v)}, resp)
		diags.Append(resp.Diagnostics...)
	}
	return diags
}

func hasErrorAt(diags diag.Diagnostics, p path.Path, text string) bool {
	for _, d := range diags.Errors() {
		if wp, ok := d.(diag.DiagnosticWithPath); ok && wp.Path().Equal(p) && strings.Contains(d.Summary()+d.Detail(), text) {
			return true
		}
	}
	return false
}

func hasWarningAt(diags diag.Diagnostics, p path.Path, text string) bool {
	for _, d := range diags.Warnings() {
		if wp, ok := d.(diag.DiagnosticWithPath); ok && wp.Path().Equal(p) && strings.Contains(d.Summary()+d.Detail(), text) {
			return true
		}
	}
	return false
}

func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

// assumeRole is an assume_role block value with the given attributes.
func assumeRole(t *testing.T, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	var sresp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &sresp)
	objType, ok := sresp.Schema.Type().TerraformType(context.Background()).(tftypes.Object).AttributeTypes["assume_role"].(tftypes.Object)
	if !ok {
		t.Fatal("assume_role is not an object")
	}
	values := make(map[string]tftypes.Value, len(objType.AttributeTypes))
	for name, typ := range objType.AttributeTypes {
		values[name] = tftypes.NewValue(typ, nil)
	}
	for name, v := range attrs {
		values[name] = v
	}
	return tftypes.NewValue(objType, values)
}

// TestConfigureRefuses: what Configure refuses before building a client,
// each with an error on the argument at fault.
func TestConfigureRefuses(t *testing.T) {
	for _, c := range []struct {
		name  string
		attrs map[string]tftypes.Value
		at    path.Path
		text  string
	}{
		{"half a key pair", map[string]tftypes.Value{"access_key": str("LTAI-only")}, path.Empty(), "access_key and secret_key must be set together"},
		{"bad endpoint", map[string]tftypes.Value{"endpoint": str("ftp://live.example.com")}, path.Root("endpoint"), "Invalid endpoint"},
		{"unknown argument", map[string]tftypes.Value{"region": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}, path.Empty(), "not known yet"},
	} {
		t.Run(c.name, func(t *testing.T) {
			clearProviderEnv(t)
			attrs := emulatorKeys()
			for k, v := range c.attrs {
				attrs[k] = v
			}
			if c.name == "half a key pair" {
				delete(attrs, "secret_key")
			}
			client, diags := configure(t, attrs)
			if client != nil || !diags.HasError() {
				t.Fatalf("Configure accepted it: %v", diags)
			}
			found := false
			for _, d := range diags.Errors() {
				wp, hasPath := d.(diag.DiagnosticWithPath)
				if strings.Contains(d.Summary()+d.Detail(), c.text) && (c.at.Equal(path.Empty()) || hasPath && wp.Path().Equal(c.at)) {
					found = true
				}
			}
			if !found {
				t.Errorf("no error saying %q at %s: %v", c.text, c.at, diagText(diags))
			}
		})
	}
}

// TestConfigureCredentialsFromTheEnvironment: keys and region come from the
// environment when the block leaves them out, and an assume_role block is
// taken on top (resolved on first use, so Configure itself calls nothing).
func TestConfigureCredentialsFromTheEnvironment(t *testing.T) {
	clearProviderEnv(t)
	emu := emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}, NoCaseDomains: true}) // the fixtures only
	srv := httptest.NewServer(emu)
	defer srv.Close()
	t.Setenv("ALICLOUD_ACCESS_KEY", emulator.DefaultAccessKeyID)
	t.Setenv("ALICLOUD_SECRET_KEY", emulator.DefaultAccessKeySecret)
	t.Setenv("ALIBABA_CLOUD_REGION_ID", "cn-beijing")
	t.Setenv("ALIBABA_CLOUD_LIVE_ENDPOINT", srv.URL)
	client, diags := configure(t, nil)
	if diags.HasError() || client == nil {
		t.Fatalf("Configure failed: %v", diags)
	}
	res, err := liveapi.List(context.Background(), client, liveapi.StreamNotifyRecords, liveapi.Query{
		DomainName: emulator.FixtureStreamDomain, StartTime: emu.Now().Add(-24 * time.Hour), EndTime: emu.Now(),
	})
	if err != nil || res.TotalNum == 0 {
		t.Fatalf("a read with the environment's keys: %v", err)
	}

	client, diags = configure(t, map[string]tftypes.Value{"assume_role": assumeRole(t, map[string]tftypes.Value{
		"role_arn": str("acs:ram::1:role/r"), "session_expiration": tftypes.NewValue(tftypes.Number, 900),
	})})
	if diags.HasError() || client == nil {
		t.Fatalf("Configure with assume_role failed: %v", diags)
	}
}

// TestConfigureUnknownArguments: an argument known only after apply stops
// Configure with an error on that argument, whether it is a top-level
// argument, an attribute of assume_role (role_arn, issue 26 item 5: it was
// not counted, so Configure went on with an empty ARN) or the whole block.
// Under a CLI that allows deferral, the reads are deferred instead.
func TestConfigureUnknownArguments(t *testing.T) {
	unknownString := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	roleARN := str("acs:ram::1:role/r")
	for _, c := range []struct {
		name  string
		attrs map[string]tftypes.Value
		at    path.Path
	}{
		{"region", map[string]tftypes.Value{"region": unknownString}, path.Root("region")},
		{"assume_role.role_arn", map[string]tftypes.Value{"assume_role": assumeRole(t, map[string]tftypes.Value{"role_arn": unknownString})},
			path.Root("assume_role").AtName("role_arn")},
		{"assume_role.external_id", map[string]tftypes.Value{"assume_role": assumeRole(t, map[string]tftypes.Value{
			"role_arn": roleARN, "external_id": unknownString})}, path.Root("assume_role").AtName("external_id")},
		{"assume_role.session_expiration", map[string]tftypes.Value{"assume_role": assumeRole(t, map[string]tftypes.Value{
			"role_arn": roleARN, "session_expiration": tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)})},
			path.Root("assume_role").AtName("session_expiration")},
		{"assume_role", map[string]tftypes.Value{"assume_role": tftypes.NewValue(assumeRole(t, nil).Type(), tftypes.UnknownValue)},
			path.Root("assume_role")},
	} {
		t.Run(c.name, func(t *testing.T) {
			clearProviderEnv(t)
			attrs := emulatorKeys()
			for k, v := range c.attrs {
				attrs[k] = v
			}
			ctx := context.Background()
			req := configureRequest(t, attrs)
			var resp provider.ConfigureResponse
			New("test")().Configure(ctx, req, &resp)
			if resp.DataSourceData != nil || len(resp.Diagnostics.Errors()) != 1 || !hasErrorAt(resp.Diagnostics, c.at, c.name+" depends on a value known only after apply") {
				t.Errorf("client %v, want one error at %s: %s", resp.DataSourceData != nil, c.at, diagText(resp.Diagnostics))
			}

			req.ClientCapabilities.DeferralAllowed = true
			resp = provider.ConfigureResponse{}
			New("test")().Configure(ctx, req, &resp)
			if resp.Deferred == nil || resp.Deferred.Reason != provider.DeferredReasonProviderConfigUnknown ||
				resp.DataSourceData != nil || resp.Diagnostics.HasError() {
				t.Errorf("with deferral allowed: deferred %+v, client %v, %s", resp.Deferred, resp.DataSourceData != nil, diagText(resp.Diagnostics))
			}
		})
	}

	// Every argument, by the schema: none is left out (the list anyUnknown
	// kept did leave out the block).
	var sresp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &sresp)
	objType, ok := sresp.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatal("the provider schema is not an object")
	}
	for name, typ := range objType.AttributeTypes {
		clearProviderEnv(t)
		attrs := emulatorKeys()
		attrs[name] = tftypes.NewValue(typ, tftypes.UnknownValue)
		if client, diags := configure(t, attrs); client != nil || !hasErrorAt(diags, path.Root(name), "not known yet") {
			t.Errorf("%s unknown: client %v, %s", name, client != nil, diagText(diags))
		}
	}
}

// TestSensitiveArguments: the provider schema the CLI receives marks
// exactly the secrets sensitive (so that the CLI hides them): secret_key,
// security_token and assume_role.external_id. access_key and role_arn
// identify rather than prove, and stay readable.
func TestSensitiveArguments(t *testing.T) {
	schemas, err := NewProtocol6Server("test")().GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || schemas.Provider == nil {
		t.Fatal(err, schemas)
	}
	var sensitive []string
	var walk func(prefix string, b *tfprotov6.SchemaBlock)
	walk = func(prefix string, b *tfprotov6.SchemaBlock) {
		for _, a := range b.Attributes {
			if a.Sensitive {
				sensitive = append(sensitive, prefix+a.Name)
			}
		}
		for _, nb := range b.BlockTypes {
			walk(prefix+nb.TypeName+".", nb.Block)
		}
	}
	walk("", schemas.Provider.Block)
	slices.Sort(sensitive)
	if want := []string{"assume_role.external_id", "secret_key", "security_token"}; !slices.Equal(sensitive, want) {
		t.Errorf("sensitive arguments %q, want %q", sensitive, want)
	}
}
