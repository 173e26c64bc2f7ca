package provider

// The arguments that tune the client: max_qps and max_retries, each with
// its environment variable.

import (
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// Bounds of the arguments that tune the client, shared by the schema's
// validators and the parsing of their environment variables.
const (
	minMaxQPS     = 0.1
	maxMaxQPS     = liveapi.MaxAPIQPS
	minMaxRetries = 0
	maxMaxRetries = 20
)

// clientTuning is max_qps and max_retries: the block's, else their
// environment variables' within the same bounds, else the defaults.
func clientTuning(cfg providerModel) (float64, int, diag.Diagnostics) {
	var diags diag.Diagnostics
	qps, retries := float64(liveapi.DefaultMaxQPS), liveapi.DefaultMaxRetries
	if !cfg.MaxQPS.IsNull() {
		qps = cfg.MaxQPS.ValueFloat64()
	} else if v := firstEnv(envMaxQPS); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < minMaxQPS || n > maxMaxQPS {
			diags.AddAttributeError(path.Root("max_qps"), "Invalid ALIBABA_CLOUD_LIVE_MAX_QPS",
				fmt.Sprintf("ALIBABA_CLOUD_LIVE_MAX_QPS is %q; it must be a number from %g to %d.", v, minMaxQPS, maxMaxQPS))
		}
		qps = n
	}
	if !cfg.MaxRetries.IsNull() {
		retries = int(cfg.MaxRetries.ValueInt64())
	} else if v := firstEnv(envMaxRetries); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < minMaxRetries || n > maxMaxRetries {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid ALIBABA_CLOUD_LIVE_MAX_RETRIES",
				fmt.Sprintf("ALIBABA_CLOUD_LIVE_MAX_RETRIES is %q; it must be a whole number from %d to %d.", v, minMaxRetries, maxMaxRetries))
		}
		retries = n
	}
	return qps, retries, diags
}
