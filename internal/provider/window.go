package provider

// The window a read queries: start_time, end_time or lookback, resolved at
// the time of the read, and the window reported after it.

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// resolveWindow turns start_time/end_time/lookback into the window to query.
// Unknown values (at plan time) defer every check to the read, where
// everything is known and "now" is the time of the read.
func resolveWindow(startTime, endTime, lookback types.String) (time.Time, time.Time, diag.Diagnostics) {
	var diags diag.Diagnostics
	if startTime.IsUnknown() || endTime.IsUnknown() || lookback.IsUnknown() {
		return time.Time{}, time.Time{}, diags
	}
	t := now().UTC()
	// The API takes whole seconds; the end of a default window is the time
	// of the read to the second, never rounded further.
	readTime := t.Truncate(time.Second)
	switch {
	case !lookback.IsNull():
		d, err := parseLookback(lookback.ValueString())
		if err != nil {
			return time.Time{}, time.Time{}, diags // The attribute validator has said so.
		}
		return readTime.Add(-d), readTime, diags
	case startTime.IsNull():
		diags.AddAttributeError(path.Root("start_time"), "Missing time window",
			"Set the window of callback records to read, in one of two ways:\n"+
				"  lookback   = \"6h\"                     # relative: the last 6 hours at the time of each plan (at most 168h)\n"+
				"  start_time = \"2024-05-01T08:00:00Z\"   # absolute, within the last 7 days; end_time defaults to now\n"+
				"The API requires a window and keeps 7 days of records; there is no default window.")
		return time.Time{}, time.Time{}, diags
	}
	start, err := parseTime(startTime.ValueString())
	if err != nil {
		return time.Time{}, time.Time{}, diags // The attribute validator has said so.
	}
	end := readTime
	if !endTime.IsNull() {
		if end, err = parseTime(endTime.ValueString()); err != nil {
			return time.Time{}, time.Time{}, diags
		}
	}
	if !end.After(start) {
		diags.AddAttributeError(path.Root("end_time"), "end_time is not after start_time",
			fmt.Sprintf("The API requires the end of the window to be later than its start; start_time is %s and end_time is %s.",
				start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339)))
	}
	if oldest := t.Add(-liveapi.MaxLookback); start.Before(oldest) {
		diags.AddAttributeError(path.Root("start_time"), "start_time is older than 7 days",
			fmt.Sprintf("The API only keeps the callback records of the last 7 days: start_time %s is before %s. "+
				"Use lookback (for example lookback = \"168h\") for a window that moves with time.",
				start.UTC().Format(time.RFC3339), oldest.Format(time.RFC3339)))
	}
	if start.After(t) {
		diags.AddAttributeError(path.Root("start_time"), "start_time is in the future",
			fmt.Sprintf("The API only holds callbacks that were sent, within the last 7 days: start_time %s is after the "+
				"time of the read, %s. Check the date and the UTC offset.", start.UTC().Format(time.RFC3339), t.Format(time.RFC3339)))
	}
	return start, end, diags
}

// reportedWindow is the window start_time and end_time report: the one place
// that decides it. It is the window the client sent (whole seconds covering
// the one asked for, the start raised to stay within 7 days for the whole
// read), in the API's format.
func reportedWindow(start, end time.Time) (types.String, types.String) {
	return types.StringValue(start.UTC().Format(liveapi.TimeLayout)), types.StringValue(end.UTC().Format(liveapi.TimeLayout))
}
