// Package provider implements the "live" provider and its data sources.
package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

var _ provider.Provider = (*liveProvider)(nil)

type liveProvider struct {
	version string
}

// New returns the provider factory providerserver and the tests use.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &liveProvider{version: version} }
}

type providerModel struct {
	Region                types.String     `tfsdk:"region"`
	AccessKey             types.String     `tfsdk:"access_key"`
	SecretKey             types.String     `tfsdk:"secret_key"`
	SecurityToken         types.String     `tfsdk:"security_token"`
	Profile               types.String     `tfsdk:"profile"`
	SharedCredentialsFile types.String     `tfsdk:"shared_credentials_file"`
	ECSRoleName           types.String     `tfsdk:"ecs_role_name"`
	AssumeRole            *assumeRoleModel `tfsdk:"assume_role"`
	Endpoint              types.String     `tfsdk:"endpoint"`
	MaxQPS                types.Float64    `tfsdk:"max_qps"`
	MaxRetries            types.Int64      `tfsdk:"max_retries"`
	HTTPProxy             types.String     `tfsdk:"http_proxy"`
	HTTPSProxy            types.String     `tfsdk:"https_proxy"`
	NoProxy               types.String     `tfsdk:"no_proxy"`
	CustomCABundle        types.String     `tfsdk:"custom_ca_bundle"`
	RedactCallbackSecrets types.Bool       `tfsdk:"redact_callback_secrets"`
}

type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	Policy            types.String `tfsdk:"policy"`
	ExternalID        types.String `tfsdk:"external_id"`
}

func (p *liveProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "live"
	resp.Version = p.version
}

func (p *liveProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the callback records of ApsaraVideo Live (Alibaba Cloud): the stream-ingest and " +
			"recording callbacks that Alibaba Cloud sent to your webhooks, so that a plan can assert on their health. " +
			"Every argument is optional. Environment variables fill what the block leaves unset, and the block wins; for " +
			"credentials, a source set in the block wins over every source in the environment (see *Authentication*).",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				MarkdownDescription: "The region ID the API is called in, for example `cn-shanghai`. Default `cn-shanghai`. " +
					"Environment: `ALIBABA_CLOUD_REGION_ID`, `ALIBABA_CLOUD_REGION`, `ALICLOUD_REGION`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"access_key": schema.StringAttribute{
				MarkdownDescription: "The AccessKey ID, with `secret_key`. It identifies the key rather than proving it, like " +
					"the AWS provider's `access_key`, so it is not marked sensitive. Environment: `ALIBABA_CLOUD_ACCESS_KEY_ID`, " +
					"`ALICLOUD_ACCESS_KEY`, used only when the block names no credential source: a key pair comes whole from the " +
					"block or whole from the environment. See *Authentication* for the order of the credential sources.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), stringvalidator.AlsoRequires(path.MatchRoot("secret_key"))},
			},
			"secret_key": schema.StringAttribute{
				MarkdownDescription: "The AccessKey secret. Sensitive: the provider never logs it or puts it in state, and the " +
					"CLI hides it; but a literal value is written into the plan file, and `show -json` prints it (see *Secrets " +
					"and plan files*). Prefer the environment in pipelines: `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALICLOUD_SECRET_KEY`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), stringvalidator.AlsoRequires(path.MatchRoot("access_key"))},
			},
			"security_token": schema.StringAttribute{
				MarkdownDescription: "The STS security token that goes with the temporary key pair of `access_key` and `secret_key`. " +
					"Sensitive, like `secret_key`. Environment: `ALIBABA_CLOUD_SECURITY_TOKEN`, `ALICLOUD_SECURITY_TOKEN`, used " +
					"only with the key pair of the environment.",
				Optional:  true,
				Sensitive: true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1),
					stringvalidator.AlsoRequires(path.MatchRoot("access_key"), path.MatchRoot("secret_key"))},
			},
			"profile": schema.StringAttribute{
				MarkdownDescription: "The profile of the aliyun CLI configuration file to take credentials from. " +
					"Environment: `ALIBABA_CLOUD_PROFILE`, `ALICLOUD_PROFILE`: the profile name for `shared_credentials_file`, " +
					"or a credential source of its own when the block names none.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"shared_credentials_file": schema.StringAttribute{
				MarkdownDescription: "Path of the aliyun CLI configuration file (default: `ALIBABA_CLOUD_CONFIG_FILE`, else " +
					"`~/.aliyun/config.json`); without `profile`, its current profile is used.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"ecs_role_name": schema.StringAttribute{
				MarkdownDescription: "The RAM role attached to the ECS instance the provider runs on; credentials come from the instance metadata service.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "The API endpoint: `host[:port]` (HTTPS) or a URL with `http://` or `https://` and no path. " +
					"Default: the SDK's regional endpoint over HTTPS. Use it for a private endpoint or the built-in emulator. " +
					"Plain `http://` to a host other than this machine draws a warning. Environment: `ALIBABA_CLOUD_LIVE_ENDPOINT`.",
				Optional:   true,
				Validators: []validator.String{endpointValidator{}},
			},
			"max_qps": schema.Float64Attribute{
				MarkdownDescription: fmt.Sprintf("The most API requests this provider configuration sends in any rolling second, "+
					"retries included, shared by every data source that uses it: a ceiling. Below it the provider adapts: the API "+
					"allows %d requests per second per account, shared by every client on the account, and when it throttles, "+
					"the provider slows down to the share it is given and climbs back when throttling stops, so plans run in "+
					"parallel on one account share the quota without configuration. Each provider configuration (each `alias`) "+
					"has a limiter of its own. Set it lower to leave a guaranteed share to another tool on the account. "+
					"Default `%d`. Environment: `ALIBABA_CLOUD_LIVE_MAX_QPS`.", liveapi.MaxAPIQPS, liveapi.DefaultMaxQPS),
				Optional:   true,
				Validators: []validator.Float64{float64validator.Between(minMaxQPS, maxMaxQPS)},
			},
			"max_retries": schema.Int64Attribute{
				CustomType: wholeNumber,
				MarkdownDescription: fmt.Sprintf("How many times a transient failure (5xx, network, an answer that does not parse) "+
					"is retried, with exponential backoff and jitter (200 ms, doubling, at most 5 s). A throttled request is "+
					"retried without counting as long as some request of this configuration gets through, at the slower pace; "+
					"it counts only when none does, so a read fails with a throttling error only when the account's quota is "+
					"taken entirely for this many attempts in a row. Default `%d`. Environment: `ALIBABA_CLOUD_LIVE_MAX_RETRIES`.",
					liveapi.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(minMaxRetries, maxMaxRetries)},
			},
			"http_proxy": schema.StringAttribute{
				MarkdownDescription: "The proxy for requests to an `http://` endpoint: a URL such as `http://proxy.example.com:3128` " +
					"(`https://`, `socks5://` and `socks5h://` proxies work too). Environment: `HTTP_PROXY`, `http_proxy`. " +
					"An empty string means no proxy, whatever the environment says.",
				Optional:   true,
				Validators: []validator.String{proxyURLValidator{}},
			},
			"https_proxy": schema.StringAttribute{
				MarkdownDescription: "The proxy for requests to an `https://` endpoint, which is every request unless `endpoint` " +
					"says `http://`: a URL such as `http://proxy.example.com:3128`. Environment: `HTTPS_PROXY`, `https_proxy`. " +
					"An empty string means no proxy, whatever the environment says. " + proxyScope,
				Optional:   true,
				Validators: []validator.String{proxyURLValidator{}},
			},
			"no_proxy": schema.StringAttribute{
				MarkdownDescription: "The hosts reached directly rather than through `http_proxy` or `https_proxy`: a comma-separated " +
					"list of host names (`example.com` matches it and its subdomains, `.example.com` only its subdomains), IP " +
					"addresses and CIDR ranges (`10.0.0.0/8`), each optionally with a `:port`, or `*` for every host. `localhost` " +
					"and loopback addresses are always reached directly. Environment: `NO_PROXY`, `no_proxy`.",
				Optional: true,
			},
			"custom_ca_bundle": schema.StringAttribute{
				MarkdownDescription: "Path of a PEM file of certificate authorities to trust, besides the system's, for the " +
					"endpoint and an HTTPS proxy: the CA of a private endpoint, or of a proxy that inspects TLS. A file that " +
					"cannot be read or holds no certificate is an error at plan time. Environment: `ALIBABA_CLOUD_CA_BUNDLE`. " + proxyScope,
				Optional:   true,
				Validators: []validator.String{caBundleValidator{}},
			},
			"redact_callback_secrets": schema.BoolAttribute{
				MarkdownDescription: "Whether the credentials that travel with callbacks are replaced with `REDACTED` before " +
					"anything leaves the provider: tokens and passwords in webhook URLs, credential headers in `notify_header`, " +
					"credentials in `notify_content`, `description` and `notify_response`, in the records, in the summary's " +
					"`by_notify_url` keys, `failed_notify_urls` and `latest_failure_description`. Messages are redacted either way. Default " +
					"`true`. Set `false` only to see the raw values, where plans, state and CI logs are as well protected as the " +
					"webhooks' credentials: the data sources' attributes are not sensitive, so the CLI prints them. No " +
					"environment variable: turning it off is a decision of the configuration, visible in review. See " +
					"*Secrets in callbacks*.",
				Optional: true,
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "Assume a RAM role through STS on top of the credentials found otherwise. `role_arn` is required in the block.",
				// role_arn cannot be Required: the framework would then demand it
				// of a configuration without the block, which it sees as a null
				// object. This requires it only when the block is there.
				Validators: []validator.Object{objectvalidator.AlsoRequires(path.MatchRelative().AtName("role_arn"))},
				Attributes: map[string]schema.Attribute{
					"role_arn": schema.StringAttribute{
						MarkdownDescription: "ARN of the RAM role to assume, `acs:ram::<account>:role/<name>`. Required in an `assume_role` block.",
						Optional:            true,
						Validators:          []validator.String{stringvalidator.RegexMatches(roleARNPattern, "must look like acs:ram::<account id>:role/<role name>")},
					},
					"session_name": schema.StringAttribute{
						MarkdownDescription: "The role session name, shown in ActionTrail. Default: generated.",
						Optional:            true,
						Validators:          []validator.String{stringvalidator.LengthBetween(2, 64)},
					},
					"session_expiration": schema.Int64Attribute{
						CustomType:          wholeNumber,
						MarkdownDescription: "Session duration in seconds, 900 to 43200. Default 3600.",
						Optional:            true,
						Validators:          []validator.Int64{int64validator.Between(900, 43200)},
					},
					"policy": schema.StringAttribute{
						MarkdownDescription: "A RAM policy (JSON) that further restricts the assumed role.",
						Optional:            true,
					},
					"external_id": schema.StringAttribute{
						MarkdownDescription: "The external ID the role's trust policy requires. Sensitive, like `secret_key`.",
						Optional:            true,
						Sensitive:           true,
					},
				},
			},
		},
	}
}

func (p *liveProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	// Before the configuration is read into the model: an unknown
	// assume_role block (a dynamic block over an unknown for_each) has no
	// place in it.
	if unknown := unknownArguments(req.Config.Raw); len(unknown) > 0 {
		if req.ClientCapabilities.DeferralAllowed {
			// The framework then defers every read of this provider.
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			return
		}
		for _, p := range unknown {
			resp.Diagnostics.AddAttributeError(p, "Provider configuration is not known yet",
				fmt.Sprintf("%s depends on a value known only after apply. The live provider reads data during plan, "+
					"so set its arguments from values known at plan time (literals, variables, environment variables).", p))
		}
		return
	}
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	creds, origin, err := credentialConfig(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid credentials configuration", err.Error()+".\n\n"+credentialOptions)
		return
	}
	if ar := cfg.AssumeRole; ar != nil {
		// role_arn is there: the block's validator requires it.
		creds.AssumeRole = &liveapi.AssumeRoleConfig{
			RoleARN:           ar.RoleARN.ValueString(),
			SessionName:       ar.SessionName.ValueString(),
			SessionExpiration: int(ar.SessionExpiration.ValueInt64()),
			Policy:            ar.Policy.ValueString(),
			ExternalID:        ar.ExternalID.ValueString(),
		}
	}
	credential, source, err := liveapi.NewCredential(creds)
	if err != nil {
		resp.Diagnostics.AddError("Invalid credentials configuration", err.Error()+"\n\n"+credentialOptions)
		return
	}

	apiCfg := liveapi.Config{
		RegionID:   stringOrEnv(cfg.Region, envRegion),
		Credential: credential,
		UserAgent:  fmt.Sprintf("terraform-provider-live/%s terraform-cli/%s", p.version, req.TerraformVersion),
		MaxQPS:     liveapi.DefaultMaxQPS,
		MaxRetries: liveapi.DefaultMaxRetries,
	}
	if endpoint := stringOrEnv(cfg.Endpoint, envEndpoint); endpoint != "" {
		ep, err := liveapi.ParseEndpoint(endpoint)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid endpoint", err.Error())
			return
		}
		apiCfg.Endpoint = &ep
		if cfg.Endpoint.IsNull() && ep.Protocol == "HTTP" && !ep.IsLoopback() {
			// The attribute validator warns for the block; this covers the environment.
			resp.Diagnostics.AddAttributeWarning(path.Root("endpoint"), "Endpoint uses plain HTTP",
				fmt.Sprintf("ALIBABA_CLOUD_LIVE_ENDPOINT sends requests to %s unencrypted: the callback records can be read on the network. "+
					"Use https:// unless this is a test endpoint on a trusted network.", ep.Host))
		}
	}
	proxy, diags := proxySettings(cfg)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	apiCfg.Proxy = proxy.ProxyFunc()
	roots, caBundle, caCertificates, diags := caBundleSettings(cfg)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	apiCfg.RootCAs = roots
	apiCfg.MaxQPS, apiCfg.MaxRetries, diags = clientTuning(cfg)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}

	client, err := liveapi.New(apiCfg)
	if err != nil {
		resp.Diagnostics.AddError("Unable to create the ApsaraVideo Live client", err.Error())
		return
	}
	redactSecrets := cfg.RedactCallbackSecrets.IsNull() || cfg.RedactCallbackSecrets.ValueBool()
	tflog.Info(ctx, "configured the live provider", map[string]interface{}{
		"region": apiCfg.RegionID, "credential_source": source, "credential_origin": string(origin), "custom_endpoint": apiCfg.Endpoint != nil,
		"max_qps": apiCfg.MaxQPS, "max_retries": apiCfg.MaxRetries,
		// Whether proxies are set, not their URLs, which may hold a password.
		"http_proxy_set": proxy.HTTPProxy != "", "https_proxy_set": proxy.HTTPSProxy != "", "no_proxy": proxy.NoProxy,
		"custom_ca_bundle": caBundle, "custom_ca_certificates": caCertificates,
		"redact_callback_secrets": redactSecrets,
	})
	resp.DataSourceData = &providerData{client: client, redactSecrets: redactSecrets}
}

func (p *liveProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (p *liveProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewRecordNotifyRecordsDataSource,
		NewStreamNotifyRecordsDataSource,
	}
}

// unknownArguments is the path of each argument whose value is not known
// yet: a provider argument, an attribute of assume_role, or the whole
// block. It walks the configuration itself, so that no argument added later
// can be forgotten by a list of them.
func unknownArguments(config tftypes.Value) []path.Path {
	var unknown []path.Path
	_ = tftypes.Walk(config, func(at *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		if v.IsKnown() {
			return true, nil
		}
		p := path.Empty()
		for _, step := range at.Steps() {
			if name, ok := step.(tftypes.AttributeName); ok {
				p = p.AtName(string(name))
			}
		}
		unknown = append(unknown, p)
		return false, nil
	})
	return unknown
}
