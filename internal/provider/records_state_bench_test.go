package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

const benchRecords = 40000

// benchStreamRecords is a busy domain's week as the client decodes it.
func benchStreamRecords(b *testing.B) []liveapi.StreamNotifyRecord {
	b.Helper()
	const domain = "bench.example.com"
	emu := emulator.New(emulator.Options{Seed: 1, Domains: []emulator.DomainSpec{{Name: domain, StreamRecords: benchRecords}}})
	src := emu.StreamRecords(domain)
	out := make([]liveapi.StreamNotifyRecord, len(src))
	for i, r := range src {
		out[i] = liveapi.StreamNotifyRecord{CallbackCommon: liveapi.CallbackCommon{
			AppName: r.AppName, Description: r.Description, DomainName: r.DomainName, NotifyContent: r.NotifyContent,
			NotifyResult: r.NotifyResult, NotifyTime: r.NotifyTime.UTC().Format(liveapi.TimeLayout), NotifyType: r.NotifyType,
			NotifyURL: r.NotifyURL, NotifyHeader: r.NotifyHeader, NotifyResponse: r.NotifyResponse, StreamName: r.StreamName,
		}}
	}
	return out
}

// BenchmarkStreamRecordsState_reflection is the old path: the whole model,
// records included, set through the framework's reflection.
func BenchmarkStreamRecordsState_reflection(b *testing.B) {
	ctx := context.Background()
	records := benchStreamRecords(b)
	ds := NewStreamNotifyRecordsDataSource()
	var sresp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sresp)
	var m streamNotifyRecordsModel
	m.NotifyRecordsInfo = records
	s := summarize[liveapi.StreamNotifyRecord](records)
	m.Summary = &s
	m.Timeouts = timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"read": types.StringType})}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		state := tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}
		if diags := state.Set(ctx, &m); diags.HasError() {
			b.Fatal(diags)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRecords, "ns/record")
	_ = time.Second
}
