package provider

// The environment variables the provider reads when its block leaves an
// argument unset, and the helpers that read them. Configure (provider.go),
// the credential order (credentials.go), the network arguments (network.go)
// and the client tuning (tuning.go) all take their variables from here.

import (
	"os"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Each argument's variables, in the order they are looked at: the first one
// set and not empty wins (firstEnvNamed).
var (
	envRegion        = []string{"ALIBABA_CLOUD_REGION_ID", "ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"}
	envAccessKey     = []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"}
	envSecretKey     = []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"}
	envSecurityToken = []string{"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"}
	envProfile       = []string{"ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE"}
	envEndpoint      = []string{"ALIBABA_CLOUD_LIVE_ENDPOINT"}
	envMaxQPS        = []string{"ALIBABA_CLOUD_LIVE_MAX_QPS"}
	envMaxRetries    = []string{"ALIBABA_CLOUD_LIVE_MAX_RETRIES"}
	envHTTPProxy     = []string{"HTTP_PROXY", "http_proxy"}
	envHTTPSProxy    = []string{"HTTPS_PROXY", "https_proxy"}
	envNoProxy       = []string{"NO_PROXY", "no_proxy"}
	envCABundle      = []string{"ALIBABA_CLOUD_CA_BUNDLE"}
)

// stringOrEnv is the block's value when it sets one, else the first of its
// environment variables that is set and not empty, else "".
func stringOrEnv(v types.String, env []string) string {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	return firstEnv(env)
}

func firstEnv(names []string) string {
	_, v := firstEnvNamed(names)
	return v
}

// firstEnvNamed is the first of the environment variables names that is set
// and not empty, and its value.
func firstEnvNamed(names []string) (name, value string) {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return n, v
		}
	}
	return "", ""
}
