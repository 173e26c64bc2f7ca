package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewProtocol6Server is the provider's protocol server, for main and the
// acceptance tests: the framework's server, wrapped in the record-list shim
// while server.go is there to set withShim.
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		server := providerserver.NewProtocol6(New(version)())()
		if withShim != nil {
			return withShim(server)
		}
		return server
	}
}

// withShim wraps the framework's server in the one shim around the
// framework. server.go sets it in its init, so that the shim's exit is
// deleting that file alone (TestShimExitIsOneFile).
var withShim func(tfprotov6.ProviderServer) tfprotov6.ProviderServer
