package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// reflectedRecord is a record as the framework's reflection reads it: the
// path setStateWithRecords replaces, kept here to prove both give the same
// state and to compare their cost.
type reflectedRecord struct {
	AppName        string  `tfsdk:"app_name"`
	Description    string  `tfsdk:"description"`
	DomainName     string  `tfsdk:"domain_name"`
	NotifyContent  string  `tfsdk:"notify_content"`
	NotifyResult   string  `tfsdk:"notify_result"`
	NotifyTime     string  `tfsdk:"notify_time"`
	NotifyType     string  `tfsdk:"notify_type"`
	NotifyURL      string  `tfsdk:"notify_url"`
	NotifyHeader   string  `tfsdk:"notify_header"`
	NotifyResponse string  `tfsdk:"notify_response"`
	StreamName     string  `tfsdk:"stream_name"`
	StorageType    *string `tfsdk:"storage_type"`
}

type reflectedStreamRecord struct {
	AppName        string `tfsdk:"app_name"`
	Description    string `tfsdk:"description"`
	DomainName     string `tfsdk:"domain_name"`
	NotifyContent  string `tfsdk:"notify_content"`
	NotifyResult   string `tfsdk:"notify_result"`
	NotifyTime     string `tfsdk:"notify_time"`
	NotifyType     string `tfsdk:"notify_type"`
	NotifyURL      string `tfsdk:"notify_url"`
	NotifyHeader   string `tfsdk:"notify_header"`
	NotifyResponse string `tfsdk:"notify_response"`
	StreamName     string `tfsdk:"stream_name"`
}

func reflectedStream(records []liveapi.StreamNotifyRecord) []reflectedStreamRecord {
	out := make([]reflectedStreamRecord, len(records))
	for i, r := range records {
		c := r.CallbackCommon
		out[i] = reflectedStreamRecord{c.AppName, c.Description, c.DomainName, c.NotifyContent, c.NotifyResult, c.NotifyTime,
			c.NotifyType, c.NotifyURL, c.NotifyHeader, c.NotifyResponse, c.StreamName}
	}
	return out
}

func emptyState(t testing.TB, ds datasource.DataSource) tfsdk.State {
	t.Helper()
	ctx := context.Background()
	var resp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(ctx), nil)}
}

var nullTimeouts = timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"read": types.StringType})}

// streamRecords is a domain's records as the client decodes them, from the
// emulator's generator (realistic sizes, non-ASCII, escaped JSON).
func streamRecords(t testing.TB, n int) []liveapi.StreamNotifyRecord {
	t.Helper()
	const domain = "state.example.com"
	emu := emulator.New(emulator.Options{Seed: 1, Domains: []emulator.DomainSpec{{Name: domain, StreamRecords: n}}, NoCaseDomains: true})
	src := emu.StreamRecords(domain)
	out := make([]liveapi.StreamNotifyRecord, len(src))
	for i, r := range src {
		out[i] = liveapi.StreamNotifyRecord{CallbackCommon: common(r.Notify)}
	}
	return out
}

func common(n emulator.Notify) liveapi.CallbackCommon {
	return liveapi.CallbackCommon{
		AppName: n.AppName, Description: n.Description, DomainName: n.DomainName, NotifyContent: n.NotifyContent,
		NotifyResult: n.NotifyResult, NotifyTime: n.NotifyTime.UTC().Format(liveapi.TimeLayout), NotifyType: n.NotifyType,
		NotifyURL: n.NotifyURL, NotifyHeader: n.NotifyHeader, NotifyResponse: n.NotifyResponse, StreamName: n.StreamName,
	}
}

// testArgs is the model both data sources share as a configuration that
// sets nothing leaves it (typed nulls), with summary.
func testArgs(summary *summaryModel) notifyRecordsModel {
	return notifyRecordsModel{Timeouts: nullTimeouts, Windows: types.ListNull(types.StringType), readAnswerModel: readAnswerModel{Summary: summary}}
}

// TestSetStateWithRecords_matchesReflection: the raw value built from the
// records is exactly the state the framework's reflection builds, for both
// record types.
func TestSetStateWithRecords_matchesReflection(t *testing.T) {
	ctx := context.Background()
	t.Run("stream", func(t *testing.T) {
		records := streamRecords(t, 300)
		m := streamNotifyRecordsModel{notifyRecordsModel: testArgs(nil)}
		m.DomainName = types.StringValue("state.example.com")
		direct := emptyState(t, NewStreamNotifyRecordsDataSource())
		if diags := setStateWithRecords(ctx, &direct, &m, &m.NotifyRecordsInfo, "notify_records_info", records, streamRecordAttributes); diags.HasError() {
			t.Fatal(diags)
		}
		reflected := emptyState(t, NewStreamNotifyRecordsDataSource())
		if diags := reflected.Set(ctx, &m); diags.HasError() {
			t.Fatal(diags)
		}
		if diags := reflected.SetAttribute(ctx, path.Root("notify_records_info"), reflectedStream(records)); diags.HasError() {
			t.Fatal(diags)
		}
		if !direct.Raw.Equal(reflected.Raw) {
			diffs, _ := direct.Raw.Diff(reflected.Raw)
			t.Fatalf("the direct state differs from the reflected one in %d places, first %v", len(diffs), diffs[0])
		}
	})
	t.Run("record", func(t *testing.T) {
		records := []liveapi.RecordCallback{
			{CallbackCommon: common(emulator.Notify{AppName: "liveApp****", NotifyContent: `7月26日 16:14{"domain":"al.xxxx.com"}`, NotifyResult: "success"}), StorageType: "oss"},
			{CallbackCommon: common(emulator.Notify{AppName: "app", NotifyResult: "failed", Description: "timeout"}), StorageType: ""},
		}
		m := recordNotifyRecordsModel{notifyRecordsModel: testArgs(nil), Code: types.Int64Value(0)}
		direct := emptyState(t, NewRecordNotifyRecordsDataSource())
		if diags := setStateWithRecords(ctx, &direct, &m, &m.CallbackList, "callback_list", records[1:], recordCallbackAttributes); diags.HasError() {
			t.Fatal(diags)
		}
		reflected := emptyState(t, NewRecordNotifyRecordsDataSource())
		if diags := reflected.Set(ctx, &m); diags.HasError() {
			t.Fatal(diags)
		}
		c, empty := records[1].CallbackCommon, ""
		want := []reflectedRecord{{c.AppName, c.Description, c.DomainName, c.NotifyContent, c.NotifyResult, c.NotifyTime,
			c.NotifyType, c.NotifyURL, c.NotifyHeader, c.NotifyResponse, c.StreamName, &empty}}
		if diags := reflected.SetAttribute(ctx, path.Root("callback_list"), want); diags.HasError() {
			t.Fatal(diags)
		}
		if !direct.Raw.Equal(reflected.Raw) {
			t.Fatalf("the direct state differs from the reflected one:\n%v\n%v", direct.Raw, reflected.Raw)
		}
	})
}

// benchRecords is a busy domain's week (issue 11).
const benchRecords = 40000

// BenchmarkStreamRecordsState compares the ways of putting a week of a busy
// domain into state: "msgpack" (the list encoded straight from the records,
// what the data sources do under NewProtocol6Server), "direct" (tftypes
// values built from the records, their fallback) and "reflection" (the
// framework walking tagged structs, what they did before).
func BenchmarkStreamRecordsState(b *testing.B) {
	ctx := context.Background()
	records := streamRecords(b, benchRecords)
	summary := summarizeStream(records, nil)
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			m := streamNotifyRecordsModel{notifyRecordsModel: testArgs(&summary)}
			state := emptyState(b, NewStreamNotifyRecordsDataSource())
			if diags := setStateWithRecords(ctx, &state, &m, &m.NotifyRecordsInfo, "notify_records_info", records, streamRecordAttributes); diags.HasError() {
				b.Fatal(diags)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRecords, "ns/record")
	})
	b.Run("msgpack", func(b *testing.B) {
		// What NewProtocol6Server's reads do: the list encoded once, as msgpack.
		b.ReportAllocs()
		objType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}
		for _, name := range []string{"app_name", "description", "domain_name", "notify_content", "notify_result", "notify_time",
			"notify_type", "notify_url", "notify_header", "notify_response", "stream_name"} {
			objType.AttributeTypes[name] = tftypes.String
		}
		for range b.N {
			if _, err := encodeRecordList(objType, records, streamRecordAttributes); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRecords, "ns/record")
	})
	b.Run("reflection", func(b *testing.B) {
		b.ReportAllocs()
		reflected := reflectedStream(records)
		for range b.N {
			m := streamNotifyRecordsModel{notifyRecordsModel: testArgs(&summary)}
			state := emptyState(b, NewStreamNotifyRecordsDataSource())
			if diags := setStateWithRecords(ctx, &state, &m, &m.NotifyRecordsInfo, "notify_records_info", nil, streamRecordAttributes); diags.HasError() {
				b.Fatal(diags)
			}
			if diags := state.SetAttribute(ctx, path.Root("notify_records_info"), reflected); diags.HasError() {
				b.Fatal(diags)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRecords, "ns/record")
	})
}

// TestSetStateWithRecords_failsAsADiagnostic: a record that does not fit the
// schema is the same diagnostic whether the shim's server or the framework's
// own takes the list, never a panic.
func TestSetStateWithRecords_failsAsADiagnostic(t *testing.T) {
	records := streamRecords(t, 2)
	for _, bad := range []struct {
		name  string
		attrs func(*liveapi.StreamNotifyRecord, func(name, value string))
		want  string
	}{
		{"an attribute the schema lacks", func(r *liveapi.StreamNotifyRecord, put func(name, value string)) {
			streamRecordAttributes(r, put)
			put("storage_type", "oss")
		}, "attribute storage_type is not in the schema"},
		{"an attribute left out", func(r *liveapi.StreamNotifyRecord, put func(name, value string)) {
			put("app_name", r.AppName)
		}, "has no value"},
	} {
		for _, withSink := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/sink=%v", bad.name, withSink), func(t *testing.T) {
				ctx := context.Background()
				if withSink {
					ctx = context.WithValue(ctx, recordListSinkKey{}, &recordListSink{})
				}
				m := streamNotifyRecordsModel{notifyRecordsModel: testArgs(nil)}
				state := emptyState(t, NewStreamNotifyRecordsDataSource())
				diags := setStateWithRecords(ctx, &state, &m, &m.NotifyRecordsInfo, "notify_records_info", records, bad.attrs)
				if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), bad.want) {
					t.Fatalf("got %v, want a diagnostic saying %q", diags, bad.want)
				}
			})
		}
	}
}
