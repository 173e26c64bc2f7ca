// Package sdkquiet turns off the Alibaba Cloud SDK's debug output before the
// SDK reads its switch. With DEBUG=dara (or tea) in the environment, the SDK
// prints every request header to stdout, the STS security token included;
// a provider's stdout ends up in Terraform's logs, so that output must never
// start.
//
// The SDK reads DEBUG while its packages initialise, before main runs. Go
// initialises packages in dependency order and otherwise by import path, so
// this package (which depends on os alone, and whose path sorts before the
// net/http the SDK needs) runs first; main imports it for that effect alone,
// and a test of the built binary proves it.
package sdkquiet

import (
	"os"
	"strings"
)

// sdkDebugFlags are the DEBUG words the SDK's packages listen to.
var sdkDebugFlags = map[string]bool{"dara": true, "tea": true, "sdk": true}

func init() {
	value, ok := os.LookupEnv("DEBUG")
	if !ok {
		return
	}
	var kept []string
	for _, part := range strings.Split(value, ",") {
		if !sdkDebugFlags[strings.TrimSpace(part)] {
			kept = append(kept, part)
		}
	}
	if len(kept) == 0 {
		_ = os.Unsetenv("DEBUG")
		return
	}
	_ = os.Setenv("DEBUG", strings.Join(kept, ","))
}
