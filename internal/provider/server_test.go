package provider

import (
	"context"
	"encoding/json"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// configured is a protocol server configured against the emulator at url.
func configured(t testing.TB, server tfprotov6.ProviderServer, url string) *tfprotov6.GetProviderSchemaResponse {
	t.Helper()
	return configuredWith(t, server, url, nil)
}

// configuredWith is configured with more arguments in the provider block.
func configuredWith(t testing.TB, server tfprotov6.ProviderServer, url string, extra map[string]tftypes.Value) *tfprotov6.GetProviderSchemaResponse {
	t.Helper()
	ctx := context.Background()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	providerType, ok := schemas.Provider.ValueType().(tftypes.Object)
	if !ok {
		t.Fatal("the provider schema is not an object")
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	args := map[string]tftypes.Value{
		"endpoint": str(url), "access_key": str(emulator.DefaultAccessKeyID), "secret_key": str(emulator.DefaultAccessKeySecret),
	}
	maps.Copy(args, extra)
	cfg, err := tfprotov6.NewDynamicValue(providerType, objectWith(providerType, args))
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg}); err != nil || len(resp.Diagnostics) > 0 {
		t.Fatal(err, resp.Diagnostics)
	}
	return schemas
}

// readState reads a data source through a protocol server and decodes the
// state it answers.
func readState(t testing.TB, server tfprotov6.ProviderServer, schemas *tfprotov6.GetProviderSchemaResponse, typeName string, args map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	dsType, ok := schemas.DataSourceSchemas[typeName].ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("no object schema for %s", typeName)
	}
	config, err := tfprotov6.NewDynamicValue(dsType, objectWith(dsType, args))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: &config})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatal(err, resp.Diagnostics)
	}
	state, err := resp.State.Unmarshal(dsType)
	if err != nil {
		t.Fatal(err)
	}
	return state
}

// TestRecordListServer: the provider's protocol server answers exactly the
// state the framework's own server answers, for both data sources and each
// keep_records mode.
func TestRecordListServer(t *testing.T) {
	requireShim(t)
	base := time.Now().UTC().Truncate(time.Second)
	const domain = "server.example.com"
	emu := emulator.New(emulator.Options{Seed: 3, Now: func() time.Time { return base }, NoCaseDomains: true,
		Domains: []emulator.DomainSpec{{Name: domain, RecordCallbacks: 700, StreamRecords: 700}}})
	srv := httptest.NewServer(emu)
	defer srv.Close()

	ours := NewProtocol6Server("test")()
	framework := providerserver.NewProtocol6(New("test")())()
	oursSchemas := configured(t, ours, srv.URL)
	frameworkSchemas := configured(t, framework, srv.URL)
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	for _, typeName := range []string{"live_record_notify_records", "live_stream_notify_records"} {
		for _, keep := range []string{"all", "failed", "none"} {
			args := map[string]tftypes.Value{
				"domain_name":  str(domain),
				"start_time":   str(base.Add(-6 * 24 * time.Hour).Format(liveapi.TimeLayout)),
				"end_time":     str(base.Add(time.Second).Format(liveapi.TimeLayout)),
				"keep_records": str(keep),
			}
			// Request ids are fresh on every call.
			got := withoutRequestID(t, readState(t, ours, oursSchemas, typeName, args))
			want := withoutRequestID(t, readState(t, framework, frameworkSchemas, typeName, args))
			if !got.Equal(want) {
				diffs, _ := got.Diff(want)
				t.Errorf("%s keep_records=%s: the states differ in %d places, first %v", typeName, keep, len(diffs), diffs[0])
			}
			var attrs map[string]tftypes.Value
			if err := got.As(&attrs); err != nil {
				t.Fatal(err)
			}
			var list []tftypes.Value
			for _, name := range []string{"callback_list", "notify_records_info"} {
				if v, ok := attrs[name]; ok {
					if err := v.As(&list); err != nil {
						t.Fatal(err)
					}
				}
			}
			if (keep == "none") != (len(list) == 0) {
				t.Errorf("%s keep_records=%s: %d records in state", typeName, keep, len(list))
			}
		}
	}
}

func withoutRequestID(t *testing.T, state tftypes.Value) tftypes.Value {
	t.Helper()
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		t.Fatal(err)
	}
	attrs["request_id"] = tftypes.NewValue(tftypes.String, "")
	return tftypes.NewValue(state.Type(), attrs)
}

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
// a busy domain's week, through a protocol server as a CLI calls it:
// configure, read (every page from an in-process emulator without latency),
// the framework's checks of the new state, and the state's msgpack encoding.
// It runs through the provider's server (the shim) and through the
// framework's own: the shim's exit criterion (server.go) compares the two,
// and make bench prints their ratio (scripts/shim-bench.sh).
func BenchmarkReadDataSource(b *testing.B) {
	ctx := context.Background()
	const domain = "bench.example.com"
	emu := emulator.New(emulator.Options{Seed: 1, Domains: []emulator.DomainSpec{{Name: domain, StreamRecords: benchRecords}}, NoCaseDomains: true})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	const typeName = "live_stream_notify_records"
	servers := []struct {
		name   string
		server tfprotov6.ProviderServer
	}{
		{"server=shim", NewProtocol6Server("bench")()},
		{"server=framework", providerserver.NewProtocol6(New("bench")())()},
	}
	if withShim == nil {
		servers = servers[1:] // NewProtocol6Server is the framework's.
	}
	for _, s := range servers {
		schemas := configured(b, s.server, srv.URL)
		dsType, ok := schemas.DataSourceSchemas[typeName].ValueType().(tftypes.Object)
		if !ok {
			b.Fatal("the data source schema is not an object")
		}
		for _, keep := range []string{"all", "none"} {
			b.Run(s.name+"/keep_records="+keep, func(b *testing.B) {
				config, err := tfprotov6.NewDynamicValue(dsType, objectWith(dsType, map[string]tftypes.Value{
					"domain_name": str(domain), "lookback": str("168h"), "keep_records": str(keep),
				}))
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for range b.N {
					resp, err := s.server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: &config})
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
}

// TestRecordListServerForwards: the shim offers every method the
// framework's server has, so no optional interface terraform-plugin-go looks
// for (list resources, actions, state stores, and any later one) is hidden
// by it.
func TestRecordListServerForwards(t *testing.T) {
	framework := providerserver.NewProtocol6(New("test")())()
	requireShim(t)
	ours := NewProtocol6Server("test")()
	fwType, ourType := reflect.TypeOf(framework), reflect.TypeOf(ours)
	if ourType == fwType {
		t.Fatalf("NewProtocol6Server fell back to the framework's server (%T): it implements less than frameworkServer", ours)
	}
	for i := range fwType.NumMethod() {
		if name := fwType.Method(i).Name; fwType.Method(i).IsExported() {
			if _, ok := ourType.MethodByName(name); !ok {
				t.Errorf("the framework's server (%s) has %s, which the shim hides: add its interface to frameworkServer", fwType, name)
			}
		}
	}
	for _, iface := range []reflect.Type{
		reflect.TypeFor[tfprotov6.ProviderServerWithListResource](), //nolint:staticcheck // tf6server still asserts it.
		reflect.TypeFor[tfprotov6.ProviderServerWithActions](),      //nolint:staticcheck // tf6server still asserts it.
		reflect.TypeFor[tfprotov6.ProviderServerWithStateStores](),  //nolint:staticcheck // tf6server still asserts it.
	} {
		if fwType.Implements(iface) && !ourType.Implements(iface) {
			t.Errorf("the shim does not implement %s", iface)
		}
	}
}

// requireShim skips a test of the shim once server.go, and with it the
// shim, is gone.
func requireShim(t *testing.T) {
	t.Helper()
	if withShim == nil {
		t.Skip("no shim: server.go is gone, and NewProtocol6Server serves the framework's server")
	}
}

// TestShimExitIsOneFile: without server.go the module still builds and
// vets, tests included, so the shim's exit is deleting that one file. It
// runs go vet ./... with server.go overlaid as deleted (go vet -overlay):
// only the provider package and its importers are checked anew, the rest
// comes from the build cache.
func TestShimExitIsOneFile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command: not in -short runs")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	server, err := filepath.Abs("server.go")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(server); err != nil {
		t.Skipf("server.go is gone already: %v", err)
	}
	overlay := filepath.Join(t.TempDir(), "overlay.json")
	b, err := json.Marshal(map[string]map[string]string{"Replace": {server: ""}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(overlay, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goCmd, "vet", "-overlay", overlay, "./...")
	cmd.Dir = filepath.Join("..", "..") // The module's root.
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("without server.go, go vet fails (%v): something outside server.go uses what it defines:\n%s", err, out)
	}
}
