package provider

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// TestResolveWindow runs on a clock that is not on a whole second, minute or
// hour (08:17:43.6), so that a default end_time or a lookback end rounded to
// the minute or the hour shows.
func TestResolveWindow(t *testing.T) {
	fixed := time.Date(2024, 5, 8, 8, 17, 43, 600_000_000, time.UTC)
	now = func() time.Time { return fixed }
	t.Cleanup(func() { now = time.Now })

	null := types.StringNull()
	str := types.StringValue
	for _, tc := range []struct {
		name               string
		start, end, lookbk types.String
		wantStart, wantEnd string
		wantErr            string
	}{
		{name: "lookback ends at the read, to the second", start: null, end: null, lookbk: str("6h"), wantStart: "2024-05-08T02:17:43Z", wantEnd: "2024-05-08T08:17:43Z"},
		{name: "lookback in minutes", start: null, end: null, lookbk: str("90m"), wantStart: "2024-05-08T06:47:43Z", wantEnd: "2024-05-08T08:17:43Z"},
		{name: "start only ends at the read, to the second", start: str("2024-05-08T06:00:00Z"), end: null, lookbk: null, wantStart: "2024-05-08T06:00:00Z", wantEnd: "2024-05-08T08:17:43Z"},
		{name: "start and end in another zone", start: str("2024-05-08T13:00:00+08:00"), end: str("2024-05-08T14:00:00+08:00"), lookbk: null, wantStart: "2024-05-08T05:00:00Z", wantEnd: "2024-05-08T06:00:00Z"},
		{name: "end in the future is allowed", start: str("2024-05-08T08:00:00Z"), end: str("2024-05-09T00:00:00Z"), lookbk: null, wantStart: "2024-05-08T08:00:00Z", wantEnd: "2024-05-09T00:00:00Z"},
		{name: "no window", start: null, end: null, lookbk: null, wantErr: "Missing time window"},
		{name: "end only", start: null, end: str("2024-05-08T06:00:00Z"), lookbk: null, wantErr: "Missing time window"},
		{name: "end before start", start: str("2024-05-08T06:00:00Z"), end: str("2024-05-08T05:00:00Z"), lookbk: null, wantErr: "not after start_time"},
		{name: "end equals start", start: str("2024-05-08T06:00:00Z"), end: str("2024-05-08T06:00:00Z"), lookbk: null, wantErr: "not after start_time"},
		{name: "older than 7 days", start: str("2024-04-30T00:00:00Z"), end: null, lookbk: null, wantErr: "older than 7 days"},
		{name: "start in the future", start: str("2024-05-08T08:17:45Z"), end: str("2024-05-08T09:00:00Z"), lookbk: null, wantErr: "in the future"},
		{name: "start in the far future", start: str("9999-12-31T00:00:00+08:00"), end: str("9999-12-31T23:59:59Z"), lookbk: null, wantErr: "in the future"},
		{name: "unknown defers", start: types.StringUnknown(), end: null, lookbk: null},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start, end, diags := resolveWindow(tc.start, tc.end, tc.lookbk)
			if tc.wantErr != "" {
				if !diags.HasError() || !strings.Contains(diags.Errors()[0].Summary(), tc.wantErr) {
					t.Fatalf("got %v, want an error %q", diags, tc.wantErr)
				}
				return
			}
			if diags.HasError() {
				t.Fatalf("unexpected error: %v", diags)
			}
			if tc.wantStart == "" {
				return
			}
			if got := start.UTC().Format(time.RFC3339Nano); got != tc.wantStart {
				t.Errorf("start: got %s, want %s", got, tc.wantStart)
			}
			if got := end.UTC().Format(time.RFC3339Nano); got != tc.wantEnd {
				t.Errorf("end: got %s, want %s", got, tc.wantEnd)
			}
			gotStart, gotEnd := reportedWindow(start, end)
			if gotStart.ValueString() != tc.wantStart || gotEnd.ValueString() != tc.wantEnd {
				t.Errorf("reported window: got %s .. %s, want %s .. %s", gotStart, gotEnd, tc.wantStart, tc.wantEnd)
			}
		})
	}
}

func TestValidateNotifyRecordsConfig(t *testing.T) {
	null := types.StringNull()
	diags := validateNotifyRecordsConfig(null, null, types.StringValue("1h"), types.StringValue("none"), types.Int64Value(5))
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Summary(), "max_kept_records") {
		t.Errorf("keep_records none with max_kept_records: got %v", diags)
	}
	for _, keep := range []types.String{null, types.StringValue("all"), types.StringValue("failed")} {
		if diags := validateNotifyRecordsConfig(null, null, types.StringValue("1h"), keep, types.Int64Value(5)); diags.HasError() {
			t.Errorf("keep_records %s with max_kept_records: %v", keep, diags)
		}
	}
}

func TestKeptRecords(t *testing.T) {
	// API order is newest first, but not strictly: index 3 is newer than 2.
	records := []*liveapi.CallbackCommon{
		{NotifyTime: "2024-05-01T10:00:09Z", NotifyResult: "success"},
		{NotifyTime: "2024-05-01T10:00:08Z", NotifyResult: "failed"},
		{NotifyTime: "2024-05-01T10:00:05Z", NotifyResult: "failed"},
		{NotifyTime: "2024-05-01T10:00:07Z", NotifyResult: "success"},
		{NotifyTime: "2024-05-01T10:00:06Z", NotifyResult: "failed"},
		{NotifyTime: "2024-05-01T10:00:06Z", NotifyResult: "failed"},
	}
	null, str, n := types.Int64Null(), types.StringValue, types.Int64Value
	for _, tc := range []struct {
		name string
		keep types.String
		max  types.Int64
		want []int
	}{
		{"default keeps all", types.StringNull(), null, []int{0, 1, 2, 3, 4, 5}},
		{"all", str("all"), null, []int{0, 1, 2, 3, 4, 5}},
		{"failed", str("failed"), null, []int{1, 2, 4, 5}},
		{"none", str("none"), null, nil},
		{"newest 3 of all, in API order", str("all"), n(3), []int{0, 1, 3}},
		{"newest 2 failed: a tie at the cap goes to the first listed", str("failed"), n(2), []int{1, 4}},
		{"newest 3 failed", str("failed"), n(3), []int{1, 4, 5}},
		{"cap above the count", str("failed"), n(10), []int{1, 2, 4, 5}},
	} {
		got := keptRecords(records, tc.keep, tc.max)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
