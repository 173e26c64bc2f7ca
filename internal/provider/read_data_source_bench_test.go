package provider

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// objectWith is a value of an object type with the given attributes set and
// every other attribute null.
func objectWith(t tftypes.Object, set map[string]tftypes.Value) tftypes.Value {
	vals := make(map[string]tftypes.Value, len(t.AttributeTypes))
	for name, typ := range t.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(typ, nil)
		}
	}
	return tftypes.NewValue(t, vals)
}

// BenchmarkReadDataSource is the provider's whole part of a plan that reads
// a busy domain's week, through the protocol server as a CLI calls it:
// configure, read (every page from an in-process emulator without latency),
// the framework's checks of the new state, and the state's msgpack encoding.
func BenchmarkReadDataSource(b *testing.B) {
	ctx := context.Background()
	const domain = "bench.example.com"
	emu := emulator.New(emulator.Options{Seed: 1, Domains: []emulator.DomainSpec{{Name: domain, StreamRecords: benchRecords}}})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	server := NewProtocol6Server("bench")()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	providerType, ok := schemas.Provider.ValueType().(tftypes.Object)
	if !ok {
		b.Fatal("the provider schema is not an object")
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	cfg, err := tfprotov6.NewDynamicValue(providerType, objectWith(providerType, map[string]tftypes.Value{
		"endpoint": str(srv.URL), "access_key": str(emulator.DefaultAccessKeyID), "secret_key": str(emulator.DefaultAccessKeySecret),
	}))
	if err != nil {
		b.Fatal(err)
	}
	if resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg}); err != nil || len(resp.Diagnostics) > 0 {
		b.Fatal(err, resp.Diagnostics)
	}
	const typeName = "live_stream_notify_records"
	dsType, ok := schemas.DataSourceSchemas[typeName].ValueType().(tftypes.Object)
	if !ok {
		b.Fatal("the data source schema is not an object")
	}
	for _, keep := range []string{"all", "none"} {
		b.Run("keep_records="+keep, func(b *testing.B) {
			config, err := tfprotov6.NewDynamicValue(dsType, objectWith(dsType, map[string]tftypes.Value{
				"domain_name": str(domain), "lookback": str("168h"), "keep_records": str(keep),
			}))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for range b.N {
				resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: &config})
				if err != nil || len(resp.Diagnostics) > 0 {
					b.Fatal(err, resp.Diagnostics)
				}
				if len(resp.State.MsgPack) == 0 {
					b.Fatal("no state")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRecords, "ns/record")
		})
	}
}
