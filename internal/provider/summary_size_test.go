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
func summaryStateJSON(t testing.TB, summary summaryModel) []byte {
	t.Helper()
	ctx := context.Background()
	m := streamNotifyRecordsModel{notifyRecordsModel: testArgs(&summary)}
	state := emptyState(t, NewStreamNotifyRecordsDataSource())
	if diags := setStateWithRecords(ctx, &state, &m, &m.NotifyRecordsInfo, "notify_records_info",
		[]liveapi.StreamNotifyRecord{}, streamRecordAttributes); diags.HasError() {
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
// streams with the four windows of the burn-rate gates, makes a summary of
// a bounded size in state: the per-type and per-webhook health is a few
// objects, each with its four windows, and failed_streams at most 100
// numbers, whatever the number of failing streams.
func TestSummarySizeInState(t *testing.T) {
	var windows []summaryWindow
	for _, w := range []string{"5m", "30m", "1h", "6h"} {
		d, err := parseWindow(w)
		if err != nil {
			t.Fatal(err)
		}
		windows = append(windows, summaryWindow{w, d})
	}
	end := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) // busyWeek's
	for _, streams := range []int{2000, 20000} {
		records := busyWeek(40000, streams)
		a := newAccumulator(windows, end)
		for _, c := range records {
			a.add(c)
		}
		summary := a.summary()
		size := len(summaryStateJSON(t, summary))
		t.Logf("40,000 callbacks over %d streams, four windows: summary %d bytes in state; failed_streams lists %d, leaves out %d",
			streams, size, len(summary.FailedStreams), summary.FailedStreamsOmitted)
		if len(summary.FailedStreams) != maxFailedStreams || summary.FailedStreamsOmitted < 1000 {
			t.Errorf("failed_streams lists %d and leaves out %d; want %d and the rest of the 1,000 or more failing", len(summary.FailedStreams),
				summary.FailedStreamsOmitted, maxFailedStreams)
		}
		// Two types and one webhook with four windows each, and 100 streams
		// of about 25 bytes each: about 5 kB.
		if size > 8000 {
			t.Errorf("%d bytes: the summary grows with more than its groups and the 100 worst streams", size)
		}
	}
}
