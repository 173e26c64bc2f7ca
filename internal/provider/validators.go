package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

var (
	roleARNPattern = regexp.MustCompile(`^acs:ram::\d+:role/.+$`)
	// domainPattern is a DNS name: labels of letters, digits and hyphens, at
	// least two of them. Live domains may be wildcards ("*.example.com").
	domainPattern = regexp.MustCompile(`^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
)

// now is the clock plan-time checks and relative windows use; tests pin it.
var now = time.Now

// parseTime parses an RFC 3339 time as the arguments accept it.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time such as 2024-05-01T08:00:00Z or 2024-05-01T16:00:00+08:00", s)
	}
	// The API takes UTC: an offset can push a year-9999 time into 10000.
	if u := t.UTC(); u.Year() < 1970 || u.Year() > 9999 {
		return time.Time{}, fmt.Errorf("%q is out of range: in UTC it is %s, before 1970 or after the year 9999", s, u.Format(time.RFC3339))
	}
	return t, nil
}

// parseLookback parses a lookback: a Go duration, positive, at most 7 days.
func parseLookback(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		// No closing period: the validator ends every message with one.
		hint := ""
		if strings.HasSuffix(s, "d") {
			hint = ". Days are not a duration unit: write 48h for two days, 168h for seven"
		}
		return 0, fmt.Errorf("%q is not a duration such as 30m, 6h or 48h%s", s, hint)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q must be longer than zero", s)
	}
	if d > liveapi.MaxLookback {
		return 0, fmt.Errorf("%q is longer than 7 days (168h): the API only keeps the callback records of the last 7 days", s)
	}
	return d, nil
}

// rfc3339Validator checks a time argument at plan time.
type rfc3339Validator struct{}

func (rfc3339Validator) Description(context.Context) string {
	return "value must be an RFC 3339 time"
}

func (v rfc3339Validator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (rfc3339Validator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseTime(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid time", err.Error()+".")
	}
}

// lookbackValidator checks the lookback argument at plan time.
type lookbackValidator struct{}

func (lookbackValidator) Description(context.Context) string {
	return "value must be a Go duration greater than zero and at most 168h"
}

func (v lookbackValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (lookbackValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseLookback(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid lookback", err.Error()+".")
	}
}

// endpointValidator checks the provider's endpoint argument and warns when
// plain HTTP would carry signed requests over a network.
type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "value must be host[:port] or an http:// or https:// URL without a path"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	ep, err := liveapi.ParseEndpoint(req.ConfigValue.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint", err.Error()+".")
		return
	}
	if ep.Protocol == "HTTP" && !ep.IsLoopback() {
		resp.Diagnostics.AddAttributeWarning(req.Path, "Endpoint uses plain HTTP",
			fmt.Sprintf("Requests to %s travel unencrypted: the callback records (webhook URLs, headers, payloads) can be read on the network. "+
				"Use https:// unless this is a test endpoint on a trusted network.", ep.Host))
	}
}

// validateNotifyRecordsConfig is the ValidateConfig both data sources
// share: the plan-time check of the arguments that depend on each other
// (the window, the summary windows inside it, and what to keep), as far as
// their values are known.
func validateNotifyRecordsConfig(m *notifyRecordsModel) diag.Diagnostics {
	_, _, diags := resolveWindow(m.StartTime, m.EndTime, m.Lookback)
	switch {
	case m.Lookback.IsUnknown() || m.StartTime.IsUnknown() || m.EndTime.IsUnknown():
	case !m.Lookback.IsNull():
		if d, err := parseLookback(m.Lookback.ValueString()); err == nil {
			diags.Append(checkWindowsFit(m.Windows, d, fmt.Sprintf("lookback %q", m.Lookback.ValueString()))...)
		}
	case !m.StartTime.IsNull() && !m.EndTime.IsNull():
		start, err1 := parseTime(m.StartTime.ValueString())
		end, err2 := parseTime(m.EndTime.ValueString())
		if err1 == nil && err2 == nil && end.After(start) {
			diags.Append(checkWindowsFit(m.Windows, end.Sub(start), windowReadName(m.Lookback, start, end))...)
		}
	}
	keep, maxKept := m.KeepRecords, m.MaxKeptRecords
	if keep.ValueString() == keepNone && !maxKept.IsNull() && !maxKept.IsUnknown() {
		diags.AddAttributeError(path.Root("max_kept_records"), "max_kept_records without records to keep",
			"keep_records = \"none\" keeps no record, so max_kept_records has nothing to cap. Remove max_kept_records, "+
				"or keep \"all\" or \"failed\" records.")
	}
	return diags
}

// positiveDurationValidator refuses a duration of zero or less; a value that
// does not parse is left to the attribute's own validator.
type positiveDurationValidator struct{}

func (positiveDurationValidator) Description(context.Context) string {
	return "value must be a duration longer than zero"
}

func (v positiveDurationValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (positiveDurationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d, err := time.ParseDuration(req.ConfigValue.ValueString()); err == nil && d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid timeout",
			fmt.Sprintf("%q leaves the read no time: give a duration longer than zero, such as \"10m\".", req.ConfigValue.ValueString()))
	}
}
