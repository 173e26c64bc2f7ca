// Command terraform-provider-live is the Terraform and OpenTofu provider for
// ApsaraVideo Live (Alibaba Cloud) callback records.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/callbackwatch/terraform-provider-live/internal/provider"
	// Must initialise before the SDK: it silences the SDK's header dump.
	_ "github.com/callbackwatch/terraform-provider-live/internal/sdkquiet"
)

// Generate the docs from templates/ and examples/ (see GNUmakefile: make docs).
//go:generate sh scripts/docs.sh

// version is set by the release build (goreleaser: -X main.version=...).
var version = "dev"

// registryAddress is the provider's source address; its type name is "live".
const registryAddress = "registry.terraform.io/callbackwatch/live"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve(registryAddress, provider.NewProtocol6Server(version), opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
