package provider

import (
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

// TestResolveWindowAtTheSevenDayEdge, on a clock at a whole second: a
// start_time exactly 168h before the read is accepted, one a second older
// is not; lookback = "168h" starts exactly 168h before, to the second.
func TestResolveWindowAtTheSevenDayEdge(t *testing.T) {
	fixed := time.Date(2024, 5, 8, 8, 17, 43, 0, time.UTC)
	now = func() time.Time { return fixed }
	t.Cleanup(func() { now = time.Now })
	null, str := types.StringNull(), types.StringValue
	start, end, diags := resolveWindow(str("2024-05-01T08:17:43Z"), null, null)
	if diags.HasError() || !start.Equal(fixed.Add(-168*time.Hour)) || !end.Equal(fixed) {
		t.Errorf("start_time 168h before: [%s, %s), %v; want [2024-05-01T08:17:43Z, 2024-05-08T08:17:43Z)", start, end, diags)
	}
	if _, _, diags := resolveWindow(str("2024-05-01T08:17:42Z"), null, null); !diags.HasError() || !strings.Contains(diags.Errors()[0].Summary(), "older than 7 days") {
		t.Errorf("start_time 168h1s before: %v, want an error", diags)
	}
	start, end, diags = resolveWindow(null, null, str("168h"))
	if diags.HasError() || start.Format(time.RFC3339) != "2024-05-01T08:17:43Z" || !end.Equal(fixed) {
		t.Errorf("lookback 168h: [%s, %s), %v; want [2024-05-01T08:17:43Z, 2024-05-08T08:17:43Z)", start, end, diags)
	}
}

// FuzzResolveWindow: whatever the arguments, an accepted window is sent in
// the API's format, ends after it starts and starts within the last 7 days,
// not in the future.
func FuzzResolveWindow(f *testing.F) {
	f.Add("2024-05-08T10:00:00Z", "", "")
	f.Add("2024-05-08T17:00:00+08:00", "2024-05-08T18:00:00+08:00", "")
	f.Add("", "", "6h")
	f.Add("2024-05-01T00:00:00Z", "2024-05-01T00:00:00Z", "")
	f.Add("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "")
	f.Add("2024-05-08T10:00:00.999999999-23:59", "", "")
	f.Add("9999-12-31T23:00:00-23:59", "9999-12-31T23:59:59Z", "")
	f.Fuzz(func(t *testing.T, start, end, lookback string) {
		fixed := time.Date(2024, 5, 8, 12, 0, 0, 0, time.UTC)
		now = func() time.Time { return fixed }
		defer func() { now = time.Now }()
		s, e, diags := resolveWindow(optional(start), optional(end), optional(lookback))
		if diags.HasError() || s.IsZero() {
			return
		}
		if !e.After(s) && lookback == "" {
			t.Fatalf("accepted a window that does not end after it starts: %v .. %v", s, e)
		}
		if s.Before(fixed.Add(-liveapi.MaxLookback)) {
			t.Fatalf("accepted a start older than 7 days: %v", s)
		}
		if s.After(fixed) {
			t.Fatalf("accepted a start in the future: %v", s)
		}
		if _, err := time.Parse(liveapi.TimeLayout, s.UTC().Format(liveapi.TimeLayout)); err != nil {
			t.Fatalf("the start does not render in the API's format: %v", err)
		}
	})
}

func optional(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
