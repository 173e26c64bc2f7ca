package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// readDirect runs ds's Read on a configuration of the given arguments (the
// rest null), configured with client and redactSecrets, with a TRACE logger
// writing to logs; it returns the state as its JSON.
func readDirect(t *testing.T, ds datasource.DataSource, client *liveapi.Client, redactSecrets bool, args map[string]tftypes.Value, logs *bytes.Buffer) map[string]any {
	t.Helper()
	ctx := tflogtest.RootLogger(context.Background(), logs)
	var sresp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sresp)
	objType, ok := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("the schema is a %T", sresp.Schema.Type().TerraformType(ctx))
	}
	values := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		values[name] = tftypes.NewValue(typ, nil)
	}
	for name, v := range args {
		values[name] = v
	}
	configurable, ok := ds.(datasource.DataSourceWithConfigure)
	if !ok {
		t.Fatalf("%T takes no provider data", ds)
	}
	var cresp datasource.ConfigureResponse
	configurable.Configure(ctx, datasource.ConfigureRequest{ProviderData: &providerData{client: client, redactSecrets: redactSecrets}}, &cresp)
	if cresp.Diagnostics.HasError() {
		t.Fatal(cresp.Diagnostics)
	}
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(objType, nil)}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(objType, values)}}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	state, ok := jsonOf(t, resp.State.Raw).(map[string]any)
	if !ok {
		t.Fatal("the state is not an object")
	}
	return state
}

// TestReadRedactsCallbackSecrets reads emulator.FixtureSecretsDomain with
// both data sources: by default no credential of its callbacks reaches the
// state, the webhooks stay distinct keys (numbered where only their tokens
// differ, the newest first), and a record names its webhook as the summary
// does; with redact_callback_secrets = false the raw values are there. The
// expected keys are written out from the fixture's documented URLs.
func TestReadRedactsCallbackSecrets(t *testing.T) {
	client := emulatorClient(t, emulator.Options{Domains: []emulator.DomainSpec{}})(liveapi.Config{})
	args := map[string]tftypes.Value{"domain_name": str(emulator.FixtureSecretsDomain), "lookback": str("1h")}
	for _, c := range []struct {
		ds   datasource.DataSource
		list string
		keys []string // by_notify_url, sorted
		desc string   // latest_failure_description
	}{
		{NewStreamNotifyRecordsDataSource(), "notify_records_info", []string{
			// The query URL's newest callback (Now-2m) is newer than the rotated one's (Now-10m).
			"https://hooks.example.com/live/publish_done?env=prod&token=REDACTED-1",
			"https://hooks.example.com/live/publish_done?env=prod&token=REDACTED-2",
			"https://hooks.example.com/live/publish_done?env=staging&token=REDACTED",
			"https://live-hooks:REDACTED@hooks.example.com/live/publish",
		}, `callback failed: Post "https://hooks.example.com/live/publish_done?env=prod&token=REDACTED": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`},
		{NewRecordNotifyRecordsDataSource(), "callback_list", []string{
			"https://hooks.example.com/live/record?env=prod&token=REDACTED",
			"https://hooks.slack.com/services/T0001/B0001/REDACTED",
		}, `callback failed: Post "https://hooks.example.com/live/record?env=prod&token=REDACTED": HTTP 401 Unauthorized`},
	} {
		var logs bytes.Buffer
		state := readDirect(t, c.ds, client, true, args, &logs)
		text := jsonText(t, state)
		for _, secret := range []string{emulator.FixtureSecret, emulator.FixtureRotatedSecret} {
			if n := strings.Count(text, secret); n > 0 {
				t.Errorf("%s: %s is %d times in the state:\n%s", c.list, secret, n, text)
			}
		}
		summary, _ := state["summary"].(map[string]any)
		byURL, _ := summary["by_notify_url"].(map[string]any)
		var keys []string
		for k := range byURL {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, c.keys) {
			t.Errorf("%s: by_notify_url keys\n %q\nwant\n %q", c.list, keys, c.keys)
		}
		if failed := jsonText(t, summary["failed_notify_urls"]); failed != jsonText(t, c.keys) {
			t.Errorf("%s: failed_notify_urls %s, want every webhook", c.list, failed)
		}
		if got := summary["latest_failure_description"]; got != c.desc {
			t.Errorf("%s: latest_failure_description %q, want %q", c.list, got, c.desc)
		}
		records, _ := state[c.list].([]any)
		for _, r := range records {
			if u, _ := r.(map[string]any)["notify_url"].(string); !slices.Contains(c.keys, u) {
				t.Errorf("%s: a record's notify_url %q is not a key of by_notify_url", c.list, u)
			}
		}
		if len(records) == 0 || !strings.Contains(text, `"notify_header":"{\"Authorization\":\"REDACTED\"`) && c.list == "callback_list" {
			t.Errorf("%s: the records' headers are not as redacted:\n%s", c.list, text)
		}
		checkLogs(t, c.list, logs.String())

		logs.Reset()
		state = readDirect(t, c.ds, client, false, args, &logs)
		if text := jsonText(t, state); !strings.Contains(text, emulator.FixtureSecret) || strings.Contains(text, "REDACTED") {
			t.Errorf("%s: with redact_callback_secrets = false the state does not hold the raw values:\n%s", c.list, text)
		}
		checkLogs(t, c.list+" (not redacted)", logs.String())
	}
}

// checkLogs: the provider's TRACE logs of a read hold no callback content
// at all, redacted or not: neither the credential nor the webhook, the
// content or the headers around it.
func checkLogs(t *testing.T, what, logs string) {
	t.Helper()
	if !strings.Contains(logs, "read callback records") || !strings.Contains(logs, "ApsaraVideo Live API call succeeded") {
		t.Fatalf("%s: the logs lack the read's lines:\n%s", what, logs)
	}
	for _, content := range []string{emulator.FixtureSecret, emulator.FixtureRotatedSecret, "://hooks.example.com", "hooks.slack.com",
		"usrargs", "Bearer", "Authorization", "context deadline exceeded", "REDACTED"} {
		if strings.Contains(logs, content) {
			t.Errorf("%s: the logs hold callback content %q:\n%s", what, content, logs)
		}
	}
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRedactDiagnostics: a diagnostic that quotes a credential is redacted,
// keeping its severity and attribute path; the others are left as they are.
func TestRedactDiagnostics(t *testing.T) {
	var diags diag.Diagnostics
	diags.AddAttributeError(path.Root("domain_name"), "Read failed", `the API echoed "https://h/cb?token=abc"`)
	diags.AddWarning("Odd answer", "Authorization: Bearer abc")
	diags.AddError("Clean", "nothing to hide")
	diags.AddError(`Reading "https://h/cb?token=abc" failed`, "nothing in the detail")
	got := redactDiagnostics(diags)
	var want diag.Diagnostics
	want.AddAttributeError(path.Root("domain_name"), "Read failed", `the API echoed "https://h/cb?token=REDACTED"`)
	want.AddWarning("Odd answer", "Authorization: REDACTED")
	want.AddError("Clean", "nothing to hide")
	want.AddError(`Reading "https://h/cb?token=REDACTED" failed`, "nothing in the detail")
	if !got.Equal(want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

// TestAdviceSurvivesRedaction: the provider's own advice, which every
// failed read's message carries, is not mistaken for a credential.
func TestAdviceSurvivesRedaction(t *testing.T) {
	advice := []string{certificateHint, unknownHostHint, schemeHint, networkHint, credentialNetworkHint, paramsHintRecord,
		paramsHintStream, credentialHint, signingHint, clientBugHint, permissionHint, accessKeyHint, throttlingHint,
		serviceHint, flaggedHint, credentialOptions}
	for _, h := range errorHints {
		advice = append(advice, h)
	}
	for _, a := range advice {
		if got := redactDiagnostics(diag.Diagnostics{diag.NewErrorDiagnostic("s", a)}); got[0].Detail() != a {
			t.Errorf("redaction changes the advice\n %q\nto\n %q", a, got[0].Detail())
		}
	}
}

// TestConfigureRedactCallbackSecrets: redaction is on unless the block says
// redact_callback_secrets = false.
func TestConfigureRedactCallbackSecrets(t *testing.T) {
	clearProviderEnv(t)
	for _, c := range []struct {
		value tftypes.Value
		want  bool
	}{
		{tftypes.NewValue(tftypes.Bool, nil), true},
		{tftypes.NewValue(tftypes.Bool, true), true},
		{tftypes.NewValue(tftypes.Bool, false), false},
	} {
		attrs := emulatorKeys()
		attrs["redact_callback_secrets"] = c.value
		var resp provider.ConfigureResponse
		New("test")().Configure(context.Background(), configureRequest(t, attrs), &resp)
		data, ok := resp.DataSourceData.(*providerData)
		if !ok || resp.Diagnostics.HasError() {
			t.Fatalf("%v: %T %v", c.value, resp.DataSourceData, resp.Diagnostics)
		}
		if data.redactSecrets != c.want {
			t.Errorf("redact_callback_secrets = %v: redacting %v, want %v", c.value, data.redactSecrets, c.want)
		}
	}
}

// BenchmarkRedactKeptRecords is what redaction costs each record kept in
// state: the emulator's generated stream records (70% with a signed JSON
// header, JSON content, responses), redacted as a read redacts them.
func BenchmarkRedactKeptRecords(b *testing.B) {
	recs := streamRecords(b, 10000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := recs[i%len(recs)].CallbackCommon
		redactCallback(&c, nil)
	}
}

// failingSTS stands in for a credentials-go source whose STS request failed
// as credentials-go reports it: a *url.Error quoting the request URL, with
// the base credential's SecurityToken and the request's Signature, wrapped
// by liveapi's lockedProvider in ErrNoCredentials.
type failingSTS struct{}

const stsToken = "CAIS-sts-token-of-the-base-credential"

func (failingSTS) GetCredentials() (*providers.Credentials, error) {
	return nil, fmt.Errorf("%w: refresh RoleArn sts token err: %w", liveapi.ErrNoCredentials, &url.Error{
		Op:  "Post",
		URL: "https://sts.aliyuncs.com/?AccessKeyId=LTAI5tBase&Action=AssumeRole&SecurityToken=" + stsToken + "&Signature=Zm9vYmFy%3D&SignatureNonce=1",
		Err: errors.New("dial tcp 127.0.0.1:1: connect: connection refused"),
	})
}

func (failingSTS) GetProviderName() string { return "ram_role_arn" }

// TestReadMessagesNeverCarryCredentials: a read whose credential cannot be
// had fails with a message that names the cause but not the base
// credential's STS token, also with redact_callback_secrets = false.
func TestReadMessagesNeverCarryCredentials(t *testing.T) {
	srv := httptest.NewServer(emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}, NoCaseDomains: true}))
	t.Cleanup(srv.Close)
	ep, err := liveapi.ParseEndpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	client, err := liveapi.New(liveapi.Config{Endpoint: &ep, Credential: credentials.FromCredentialsProvider("ram_role_arn", failingSTS{}), MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	for _, redactSecrets := range []bool{true, false} {
		ds := NewStreamNotifyRecordsDataSource()
		ctx := context.Background()
		var sresp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &sresp)
		objType, _ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
		values := map[string]tftypes.Value{}
		for name, typ := range objType.AttributeTypes {
			values[name] = tftypes.NewValue(typ, nil)
		}
		values["domain_name"], values["lookback"] = str(emulator.FixtureStreamDomain), str("1h")
		configurable, ok := ds.(datasource.DataSourceWithConfigure)
		if !ok {
			t.Fatal("the stream data source does not take provider data")
		}
		var cresp datasource.ConfigureResponse
		configurable.Configure(ctx, datasource.ConfigureRequest{ProviderData: &providerData{client: client, redactSecrets: redactSecrets}}, &cresp)
		resp := datasource.ReadResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(objType, nil)}}
		ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(objType, values)}}, &resp)
		if !resp.Diagnostics.HasError() {
			t.Fatalf("redact_callback_secrets = %v: the read succeeded without a credential", redactSecrets)
		}
		for _, d := range resp.Diagnostics {
			text := d.Summary() + "\n" + d.Detail()
			if strings.Contains(text, stsToken) {
				t.Errorf("redact_callback_secrets = %v: the message carries the STS token:\n%s", redactSecrets, text)
			}
			if !strings.Contains(text, "connection refused") {
				t.Errorf("redact_callback_secrets = %v: the message lost its cause:\n%s", redactSecrets, text)
			}
		}
	}
}
