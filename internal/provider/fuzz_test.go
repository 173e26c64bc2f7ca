package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// FuzzParseLookback: accepted lookbacks are always in (0, 7 days].
func FuzzParseLookback(f *testing.F) {
	for _, s := range []string{"6h", "168h", "168h0m1s", "0", "-1h", "2d", "1.5h", "9223372036854775807ns", "1e3h", "", "h", "+5m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseLookback(s)
		if err == nil && (d <= 0 || d > liveapi.MaxLookback) {
			t.Fatalf("parseLookback(%q) accepted %v", s, d)
		}
	})
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
