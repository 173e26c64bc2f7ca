package provider

// The network arguments: http_proxy, https_proxy, no_proxy and
// custom_ca_bundle, each with its environment variables.

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/net/http/httpproxy"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// proxyScope says what the network arguments reach, in their descriptions:
// credentials-go makes its own requests, with its own transport.
const proxyScope = "It covers the ApsaraVideo Live API requests; the STS and ECS metadata requests of `assume_role`, " +
	"`ecs_role_name` and the default credential chain follow only the environment variables and the system's " +
	"certificate authorities (see *Behind a proxy or a private CA*)."

// proxySettings is the proxy configuration of the client: each of
// http_proxy, https_proxy and no_proxy from the block, else from its
// environment variables. A proxy URL from the environment that httpproxy
// would silently ignore is an error on the argument it stands for (the
// attribute validators judge the block's).
func proxySettings(cfg providerModel) (httpproxy.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	settings := httpproxy.Config{
		NoProxy: stringOrEnv(cfg.NoProxy, envNoProxy),
		// As httpproxy.FromEnvironment: under CGI, HTTP_PROXY may come from
		// a request header, so it is refused.
		CGI: os.Getenv("REQUEST_METHOD") != "",
	}
	for _, p := range []struct {
		attr  string
		block types.String
		env   []string
		dst   *string
	}{
		{"http_proxy", cfg.HTTPProxy, envHTTPProxy, &settings.HTTPProxy},
		{"https_proxy", cfg.HTTPSProxy, envHTTPSProxy, &settings.HTTPSProxy},
	} {
		if !p.block.IsNull() {
			*p.dst = p.block.ValueString()
			continue
		}
		name, value := firstEnvNamed(p.env)
		if value == "" {
			continue
		}
		if _, err := liveapi.ParseProxyURL(value); err != nil {
			diags.AddAttributeError(path.Root(p.attr), "Invalid "+name,
				fmt.Sprintf("The environment variable %s is not a proxy URL: %v. Fix or unset it, or set %s in the provider block.", name, err, p.attr))
			continue
		}
		*p.dst = value
	}
	return settings, diags
}

// caBundleSettings loads custom_ca_bundle, else ALIBABA_CLOUD_CA_BUNDLE: the
// pool to trust (nil: the system's alone), the path and how many
// certificates it added.
func caBundleSettings(cfg providerModel) (*x509.CertPool, string, int, diag.Diagnostics) {
	var diags diag.Diagnostics
	caBundle := stringOrEnv(cfg.CustomCABundle, envCABundle)
	if caBundle == "" {
		return nil, "", 0, diags
	}
	roots, n, err := liveapi.LoadCABundle(caBundle)
	if err != nil {
		// The validator judged the block's path at validation; the file may
		// have changed since, and the environment's is judged only here.
		summary := "Invalid CA bundle"
		if cfg.CustomCABundle.IsNull() {
			summary = "Invalid ALIBABA_CLOUD_CA_BUNDLE"
		}
		diags.AddAttributeError(path.Root("custom_ca_bundle"), summary, caBundleProblem(err))
		return nil, caBundle, 0, diags
	}
	return roots, caBundle, n, diags
}

// caBundleProblem says what is wrong with a CA bundle, and what it should be.
func caBundleProblem(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Sprintf("The CA bundle cannot be read: %v. Give the path of a PEM file of certificate authorities.", err)
	case errors.Is(err, liveapi.ErrNoCertificates):
		return fmt.Sprintf("%v. The CA bundle must be a PEM file holding at least one certificate authority, such as "+
			"the ca.pem of a private endpoint or of a TLS-inspecting proxy.", err)
	default:
		return fmt.Sprintf("The CA bundle cannot be used: %v.", err)
	}
}

// proxyURLValidator checks http_proxy and https_proxy at plan time: "" (no
// proxy) or a URL net/http can use as a proxy.
type proxyURLValidator struct{}

func (proxyURLValidator) Description(context.Context) string {
	return "value must be empty or a proxy URL such as http://proxy.example.com:3128"
}

func (v proxyURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (proxyURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueString() == "" {
		return
	}
	if _, err := liveapi.ParseProxyURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid proxy URL", err.Error()+".")
	}
}

// caBundleValidator checks custom_ca_bundle at plan time: a readable PEM
// file with at least one certificate, so that a wrong path fails the plan
// instead of leaving the endpoint untrusted.
type caBundleValidator struct{}

func (caBundleValidator) Description(context.Context) string {
	return "value must be the path of a readable PEM file holding at least one certificate"
}

func (v caBundleValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (caBundleValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if req.ConfigValue.ValueString() == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid CA bundle", "custom_ca_bundle is empty: give the path of a PEM file, or leave it unset.")
		return
	}
	if _, _, err := liveapi.LoadCABundle(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid CA bundle", caBundleProblem(err))
	}
}
