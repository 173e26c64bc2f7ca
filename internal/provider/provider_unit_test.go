package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

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
			configurable.Configure(context.Background(), datasource.ConfigureRequest{ProviderData: client}, resp)
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
