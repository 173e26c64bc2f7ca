package provider

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// TestCredentialOrder: which credential source wins for each combination of
// what the provider block and the environment hold. Any source in the block
// beats every source in the environment; a key pair and its token come from
// one place.
func TestCredentialOrder(t *testing.T) {
	type block struct{ key, secret, token, ecsRole, profile, file string }
	envKeys := map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI-env", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-secret"}
	envSTS := map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "STS.env", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-secret", "ALIBABA_CLOUD_SECURITY_TOKEN": "env-token"}
	envProfileOnly := map[string]string{"ALIBABA_CLOUD_PROFILE": "env-profile"}
	envAll := map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI-env", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-secret",
		"ALIBABA_CLOUD_SECURITY_TOKEN": "env-token", "ALIBABA_CLOUD_PROFILE": "env-profile"}
	for _, c := range []struct {
		name   string
		block  block
		env    map[string]string
		want   liveapi.CredentialConfig
		origin credentialOrigin
		err    string
	}{
		// Nothing in the block: the environment, then the default chain.
		{name: "nothing anywhere", origin: fromDefaultChain},
		{name: "environment keys", env: envKeys, want: liveapi.CredentialConfig{AccessKey: "LTAI-env", SecretKey: "env-secret"}, origin: fromEnvironment},
		{name: "environment STS keys", env: envSTS, want: liveapi.CredentialConfig{AccessKey: "STS.env", SecretKey: "env-secret", SecurityToken: "env-token"}, origin: fromEnvironment},
		{name: "alicloud names", env: map[string]string{"ALICLOUD_ACCESS_KEY": "LTAI-ali", "ALICLOUD_SECRET_KEY": "ali-secret", "ALICLOUD_SECURITY_TOKEN": "ali-token"},
			want: liveapi.CredentialConfig{AccessKey: "LTAI-ali", SecretKey: "ali-secret", SecurityToken: "ali-token"}, origin: fromEnvironment},
		{name: "environment profile", env: envProfileOnly, want: liveapi.CredentialConfig{Profile: "env-profile"}, origin: fromEnvironment},
		{name: "environment keys beat the environment profile", env: envAll,
			want: liveapi.CredentialConfig{AccessKey: "LTAI-env", SecretKey: "env-secret", SecurityToken: "env-token"}, origin: fromEnvironment},
		{name: "environment token alone", env: map[string]string{"ALIBABA_CLOUD_SECURITY_TOKEN": "env-token"}, origin: fromDefaultChain},
		{name: "half a pair in the environment", env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI-env"}, err: "ALIBABA_CLOUD_ACCESS_KEY_ID is set but neither ALIBABA_CLOUD_ACCESS_KEY_SECRET nor ALICLOUD_SECRET_KEY"},
		{name: "the other half in the environment", env: map[string]string{"ALICLOUD_SECRET_KEY": "s"}, err: "ALICLOUD_SECRET_KEY is set but neither ALIBABA_CLOUD_ACCESS_KEY_ID"},

		// Keys in the block: the block's pair and token only.
		{name: "block keys", block: block{key: "LTAI-block", secret: "block-secret"}, want: liveapi.CredentialConfig{AccessKey: "LTAI-block", SecretKey: "block-secret"}, origin: fromBlock},
		{name: "block keys beat everything in the environment", block: block{key: "LTAI-block", secret: "block-secret"}, env: envAll,
			want: liveapi.CredentialConfig{AccessKey: "LTAI-block", SecretKey: "block-secret"}, origin: fromBlock},
		{name: "block STS keys", block: block{key: "STS.block", secret: "block-secret", token: "block-token"}, env: envSTS,
			want: liveapi.CredentialConfig{AccessKey: "STS.block", SecretKey: "block-secret", SecurityToken: "block-token"}, origin: fromBlock},
		{name: "block keys ignore half a pair in the environment", block: block{key: "LTAI-block", secret: "block-secret"}, env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "x"},
			want: liveapi.CredentialConfig{AccessKey: "LTAI-block", SecretKey: "block-secret"}, origin: fromBlock},
		{name: "block keys beat the block's other sources", block: block{key: "LTAI-block", secret: "block-secret", ecsRole: "Role", profile: "prod"},
			want: liveapi.CredentialConfig{AccessKey: "LTAI-block", SecretKey: "block-secret"}, origin: fromBlock},

		// An ECS role in the block.
		{name: "block ECS role beats environment keys", block: block{ecsRole: "LiveReader"}, env: envAll,
			want: liveapi.CredentialConfig{ECSRoleName: "LiveReader"}, origin: fromBlock},
		{name: "block ECS role beats the block profile", block: block{ecsRole: "LiveReader", profile: "prod"},
			want: liveapi.CredentialConfig{ECSRoleName: "LiveReader"}, origin: fromBlock},

		// A profile in the block: the case, keys of another account in CI.
		{name: "block profile beats environment keys", block: block{profile: "prod"}, env: envSTS,
			want: liveapi.CredentialConfig{Profile: "prod"}, origin: fromBlock},
		{name: "block profile beats the environment profile", block: block{profile: "prod"}, env: envProfileOnly,
			want: liveapi.CredentialConfig{Profile: "prod"}, origin: fromBlock},
		{name: "block file beats environment keys; the profile name may come from the environment", block: block{file: "/ci/config.json"}, env: envAll,
			want: liveapi.CredentialConfig{Profile: "env-profile", SharedCredentialsFile: "/ci/config.json"}, origin: fromBlock},
		{name: "block file alone: its current profile", block: block{file: "/ci/config.json"},
			want: liveapi.CredentialConfig{SharedCredentialsFile: "/ci/config.json"}, origin: fromBlock},
	} {
		t.Run(c.name, func(t *testing.T) {
			clearProviderEnv(t)
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			s := func(v string) types.String {
				if v == "" {
					return types.StringNull()
				}
				return types.StringValue(v)
			}
			got, origin, err := credentialConfig(providerModel{AccessKey: s(c.block.key), SecretKey: s(c.block.secret), SecurityToken: s(c.block.token),
				ECSRoleName: s(c.block.ecsRole), Profile: s(c.block.profile), SharedCredentialsFile: s(c.block.file)})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("got %+v, %v; want an error saying %q", got, err, c.err)
				}
				return
			}
			if err != nil || got != c.want || origin != c.origin {
				t.Errorf("got %+v from %s (%v), want %+v from %s", got, origin, err, c.want, c.origin)
			}
		})
	}
}

// TestConfigureBlockProfileBeatsEnvironmentKeys is the case end to
// end: profile = "prod" in the block and another account's keys in the
// environment. The read signs with the profile's keys (the emulator accepts
// only those), where it used to sign with the environment's.
func TestConfigureBlockProfileBeatsEnvironmentKeys(t *testing.T) {
	clearProviderEnv(t)
	emu := emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}, NoCaseDomains: true}) // the fixtures only
	srv := httptest.NewServer(emu)
	defer srv.Close()
	config := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(config, []byte(`{"current": "default", "profiles": [
  {"name": "default", "mode": "AK", "access_key_id": "LTAI-default", "access_key_secret": "default-secret"},
  {"name": "prod", "mode": "AK", "access_key_id": "`+emulator.DefaultAccessKeyID+`", "access_key_secret": "`+emulator.DefaultAccessKeySecret+`"}
]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-other-account")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "other-account-secret")
	client, diags := configure(t, map[string]tftypes.Value{"endpoint": str(srv.URL), "profile": str("prod"), "shared_credentials_file": str(config)})
	if client == nil || diags.HasError() {
		t.Fatalf("Configure: %v", diags)
	}
	if _, err := liveapi.List(context.Background(), client, liveapi.StreamNotifyRecords, liveapi.Query{
		DomainName: emulator.FixtureStreamDomain, StartTime: emu.Now().Add(-time.Hour), EndTime: emu.Now(),
	}); err != nil {
		t.Fatalf("the read did not sign with the block's profile: %v", err)
	}
	if got := emu.Stats().ByCode["InvalidAccessKeyId.NotFound"]; got != 0 {
		t.Errorf("the environment's keys reached the API %d times", got)
	}
}

// TestAssumeRoleRequiresRoleARN: role_arn is required inside an assume_role
// block, at validation (plan time), while a configuration without the block
// needs nothing.
func TestAssumeRoleRequiresRoleARN(t *testing.T) {
	for _, c := range []struct {
		name string
		args map[string]tftypes.Value
		want string // "" for no error
	}{
		{name: "no block"},
		{name: "role_arn", args: map[string]tftypes.Value{"assume_role": assumeRoleBlock(t, map[string]tftypes.Value{"role_arn": str("acs:ram::1:role/r")})}},
		{name: "empty block", args: map[string]tftypes.Value{"assume_role": assumeRoleBlock(t, nil)}, want: `"assume_role.role_arn" must be specified`},
		{name: "block without role_arn", args: map[string]tftypes.Value{"assume_role": assumeRoleBlock(t, map[string]tftypes.Value{"session_name": str("ci")})},
			want: `"assume_role.role_arn" must be specified`},
	} {
		t.Run(c.name, func(t *testing.T) {
			diags := validate(t, "", c.args)
			text := protoDiagText(diags)
			if c.want == "" && len(diags) != 0 || c.want != "" && (len(diags) != 1 || !strings.Contains(text, c.want)) {
				t.Errorf("got %s, want %q", text, c.want)
			}
		})
	}
}

// TestSecurityTokenNeedsTheBlockKeys: security_token in the block belongs to
// the block's key pair; without it, it is a validation error rather than a
// token silently paired with the environment's keys.
func TestSecurityTokenNeedsTheBlockKeys(t *testing.T) {
	diags := validate(t, "", map[string]tftypes.Value{"security_token": str("token")})
	if text := protoDiagText(diags); len(diags) == 0 || !strings.Contains(text, "access_key") {
		t.Errorf("security_token alone: %s", text)
	}
	if diags := validate(t, "", map[string]tftypes.Value{"security_token": str("token"), "access_key": str("STS.k"), "secret_key": str("s")}); len(diags) != 0 {
		t.Errorf("a whole STS key pair: %s", protoDiagText(diags))
	}
}
