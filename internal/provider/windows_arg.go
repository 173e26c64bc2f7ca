package provider

// The windows argument: trailing windows, each ending where the read ends,
// for which the summary also counts callbacks (summary windows). Checked at
// plan time, each on its own (the form, 1s to 168h) and against the window
// read (no longer than it).

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// maxWindows bounds the windows argument, so that the summary stays small:
// each window adds an object to the summary, each event type and each
// webhook.
const maxWindows = 8

func windowsAttribute() schema.ListAttribute {
	return schema.ListAttribute{
		MarkdownDescription: fmt.Sprintf("Trailing windows for which `summary` also counts callbacks, for burn-rate gates: "+
			"for example `[\"5m\", \"30m\", \"1h\", \"6h\"]`. Each ends where the window read ends (`end_time`) and covers the "+
			"callbacks sent in the last that long, `[end_time - w, end_time)`; `summary.windows`, and the `windows` of each "+
			"event type and webhook, give `total`, `failed` and `failure_ratio` for it, keyed exactly as written. No extra API "+
			"call: the windows are counted from the records read. At most %d windows, no duplicates, each a Go duration in "+
			"canonical form (hours, minutes and seconds, largest unit first, no zero parts and no days: `30s`, `5m`, `1m30s`, "+
			"`1h30m`, `72h`), from `1s` to `168h`, and no longer than the window read (`lookback`, or `end_time - start_time`). "+
			"Near the 7-day edge the read's start may be raised (see `start_time`): a window reaching before it covers less, "+
			"and the read warns.", maxWindows),
		ElementType: types.StringType,
		Optional:    true,
		Validators: []validator.List{
			listvalidator.SizeAtMost(maxWindows),
			listvalidator.UniqueValues(),
			listvalidator.ValueStringsAre(windowValidator{}),
		},
	}
}

// parseWindow parses one entry of windows: a Go duration of whole seconds,
// 1s to 168h, written the one way its key in summary windows is written.
func parseWindow(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		// No closing period: the validator ends every message with one.
		hint := ""
		if strings.HasSuffix(s, "d") {
			hint = ". Days are not a duration unit: write 24h for a day"
		}
		return 0, fmt.Errorf("%q is not a duration such as 5m, 1h or 1h30m%s", s, hint)
	}
	switch {
	case d < time.Second:
		return 0, fmt.Errorf("%q is shorter than 1s: callbacks carry whole seconds", s)
	case d%time.Second != 0:
		return 0, fmt.Errorf("%q is not a whole number of seconds: callbacks carry whole seconds", s)
	case d > liveapi.MaxLookback:
		return 0, fmt.Errorf("%q is longer than 168h (7 days), the callback records the API keeps", s)
	}
	if c := canonicalWindow(d); c != s {
		return 0, fmt.Errorf("%q is not in canonical form: write it as %s, the form the keys of summary windows use", s, c)
	}
	return d, nil
}

// canonicalWindow writes a whole-second duration as hours, minutes and
// seconds, largest first, leaving out the zero parts: one spelling a
// duration, so that no two entries of windows are the same window.
func canonicalWindow(d time.Duration) string {
	h, m, s := d/time.Hour, d%time.Hour/time.Minute, d%time.Minute/time.Second
	var b strings.Builder
	for _, part := range []struct {
		n    time.Duration
		unit string
	}{{h, "h"}, {m, "m"}, {s, "s"}} {
		if part.n > 0 {
			fmt.Fprintf(&b, "%d%s", part.n, part.unit)
		}
	}
	return b.String()
}

// windowValidator checks one entry of windows at plan time.
type windowValidator struct{}

func (windowValidator) Description(context.Context) string {
	return "value must be a Go duration in canonical form (such as 5m, 1h or 1h30m), from 1s to 168h"
}

func (v windowValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (windowValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseWindow(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid window", err.Error()+".")
	}
}

// summaryWindow is a configured window: its key and its length.
type summaryWindow struct {
	name string
	d    time.Duration
}

// windowsOf reads the windows argument: its known, valid entries (a bad one
// is the validators' to report), and whether every entry was known.
func windowsOf(list types.List) ([]summaryWindow, bool) {
	if list.IsNull() {
		return nil, true
	}
	if list.IsUnknown() {
		return nil, false
	}
	var out []summaryWindow
	known := true
	for _, e := range list.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() {
			known = false
			continue
		}
		if d, err := parseWindow(s.ValueString()); err == nil {
			out = append(out, summaryWindow{name: s.ValueString(), d: d})
		}
	}
	return out, known
}

// checkWindowsFit fails each window longer than the window read, span: it
// would reach before the first callback the read can see. what names the
// span as the configuration gives it.
func checkWindowsFit(list types.List, span time.Duration, what string) diag.Diagnostics {
	var diags diag.Diagnostics
	for i, e := range list.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if d, err := parseWindow(s.ValueString()); err == nil && d > span {
			diags.AddAttributeError(path.Root("windows").AtListIndex(i), "Window longer than the window read",
				fmt.Sprintf("The window %q is longer than %s, so it would count callbacks the read never sees. Shorten the window, "+
					"or read a longer window: each summary window ends where the read ends and lies inside it.", s.ValueString(), what))
		}
	}
	return diags
}
