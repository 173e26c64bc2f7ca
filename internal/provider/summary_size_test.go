package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// busyWeek is a busy domain's week: n callbacks of both stream types over
// streams streams and one webhook, one in ten failed.
func busyWeek(n, streams int) []*liveapi.CallbackCommon {
	r := rand.New(rand.NewPCG(1, 2))
	end := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	out := make([]*liveapi.CallbackCommon, n)
	for i := range out {
		result, desc := "success", "success"
		if r.IntN(10) == 0 {
			result, desc = "failed", "callback failed: HTTP 502 Bad Gateway"
		}
		out[i] = &liveapi.CallbackCommon{
			NotifyTime:   end.Add(-time.Duration(r.Int64N(int64(7 * 24 * time.Hour)))).Truncate(time.Second).Format(liveapi.TimeLayout),
			NotifyType:   []string{"publish", "publish_done"}[i%2],
			NotifyResult: result, Description: desc, NotifyURL: "http://203.0.113.7/callbacks",
			AppName: "live", StreamName: fmt.Sprintf("room-%04d", r.IntN(streams)),
		}
	}
	return out
}

// summaryStateJSON is the summary as the state file holds it: the JSON of
// the summary attribute of live_stream_notify_records.
func summaryStateJSON(t testing.TB, records []*liveapi.CallbackCommon) []byte {
	t.Helper()
	ctx := context.Background()
	summary := summarize(records)
	m := streamNotifyRecordsModel{Timeouts: nullTimeouts}
	m.Summary = &summary
	state := emptyState(t, NewStreamNotifyRecordsDataSource())
	if diags := setStateWithRecords(ctx, &state, &m, &m.NotifyRecordsInfo, "notify_records_info",
		[]liveapi.StreamNotifyRecord{}, nil, streamRecordAttributes); diags.HasError() {
		t.Fatal(diags)
	}
	v, _, err := tftypes.WalkAttributePath(state.Raw, tftypes.NewAttributePath().WithAttributeName("summary"))
	if err != nil {
		t.Fatal(err)
	}
	raw, ok := v.(tftypes.Value)
	if !ok {
		t.Fatalf("summary is a %T", v)
	}
	out, err := json.Marshal(jsonOf(t, raw))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// jsonOf is v as Terraform writes it to a state file.
func jsonOf(t testing.TB, v tftypes.Value) any {
	t.Helper()
	if v.IsNull() {
		return nil
	}
	switch typ := v.Type(); {
	case typ.Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case typ.Is(tftypes.Number):
		var n big.Float
		_ = v.As(&n)
		return json.Number(n.Text('g', -1))
	case typ.Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return b
	case typ.Is(tftypes.List{}), typ.Is(tftypes.Set{}), typ.Is(tftypes.Tuple{}):
		var elems []tftypes.Value
		_ = v.As(&elems)
		out := make([]any, len(elems))
		for i, e := range elems {
			out[i] = jsonOf(t, e)
		}
		return out
	default: // objects and maps
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		out := make(map[string]any, len(attrs))
		for k, a := range attrs {
			out[k] = jsonOf(t, a)
		}
		return out
	}
}

// TestSummarySizeInState: a busy domain's week, 40,000 callbacks over 2,000
// streams, makes a summary of a bounded size in state: the per-type and
// per-webhook health is a few objects, and failed_streams one number per
// stream with a failure.
func TestSummarySizeInState(t *testing.T) {
	records := busyWeek(40000, 2000)
	size := len(summaryStateJSON(t, records))
	summary := summarize(records)
	t.Logf("40,000 callbacks over 2,000 streams: summary %d bytes in state, %d streams with a failure", size, len(summary.FailedStreams))
	if perStream := size / len(summary.FailedStreams); perStream > 40 {
		t.Errorf("%d bytes a failing stream: the summary grows with more than the streams' names and counts", perStream)
	}
}
