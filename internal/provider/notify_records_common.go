package provider

// Shared parts of the two data sources: attribute builders, the window, the
// read, what to keep and how records go into state. Each data source writes
// its own schema and Read from these plain helpers.

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// defaultReadTimeout bounds a read when no timeouts block says otherwise:
// 100k records at the default rate take about 4 seconds, so this leaves
// ample room for retries.
const defaultReadTimeout = 5 * time.Minute

// keep_records values.
const (
	keepAll    = "all"
	keepFailed = "failed"
	keepNone   = "none"
)

func computedString(description string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: description, Computed: true}
}

func computedInt64(description string) schema.Int64Attribute {
	return schema.Int64Attribute{MarkdownDescription: description, Computed: true}
}

func idAttribute() schema.StringAttribute {
	return computedString("An identifier of the query: the domain, filters, window and page it read.")
}

func domainNameAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Required:            true,
		Validators: []validator.String{
			stringvalidator.LengthAtLeast(1),
			stringvalidator.RegexMatches(domainPattern, "must be a domain name such as example.com"),
		},
	}
}

func appNameAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Return only the callbacks of this application (the name of the application to which the stream belongs).",
		Optional:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

func streamNameAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Return only the callbacks of this stream.",
		Optional:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

func statusAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Return only the callbacks with this result: `success` (the callback was successful) or `failed` (the callback failed).",
		Optional:            true,
		Validators:          []validator.String{stringvalidator.OneOf("success", "failed")},
	}
}

func startTimeAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "The beginning of the time range to query, as an RFC 3339 time; it is sent to the API in UTC as " +
			"`yyyy-MM-ddTHH:mm:ssZ`. The API only keeps the records of the last 7 days, so it must lie within the last 7 days " +
			"and not in the future. Set either `start_time` or `lookback`. After the read, the start of the window actually sent to " +
			"the API: rounded down to the second, and raised where needed so that it stays within the 7 days until the read's " +
			"deadline (`timeouts.read`), since the API judges the 7 days at each request. With `lookback = \"168h\"` and the " +
			"default 5-minute read timeout, the window sent starts about 167h55m before the read.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{rfc3339Validator{}, stringvalidator.ConflictsWith(path.MatchRoot("lookback"))},
	}
}

func endTimeAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "The end of the time range to query, as an RFC 3339 time; it must be later than `start_time` and " +
			"is sent in UTC. Default: the time of the read, to the second. After the read, the end of the window actually sent " +
			"(rounded up to the second, so that a sub-second window is never empty).",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{rfc3339Validator{}, stringvalidator.ConflictsWith(path.MatchRoot("lookback"))},
	}
}

func lookbackAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "A window relative to the time of the read: a Go duration such as `30m`, `6h` or `48h`, at most " +
			"`168h` (7 days). The data source queries `[now - lookback, now]`, so the configuration never goes stale. " +
			"Conflicts with `start_time` and `end_time`.",
		Optional:   true,
		Validators: []validator.String{lookbackValidator{}},
	}
}

func pageSizeAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: "The number of entries on each page, 1 to 500. Default: 500, the API maximum, so that reading " +
			"every page takes the fewest calls. After the read, the page size the API used.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.Int64{int64validator.Between(1, liveapi.MaxPageSize)},
	}
}

func keepRecordsAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Which of the records read go into state: `all` (default), `failed` (only the failed callbacks, " +
			"what an on-call engineer opens) or `none` (only `summary` and the totals, for gates and checks). `summary` always " +
			"covers every record read. A week of a busy domain is tens of megabytes of state with `all`.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.OneOf(keepAll, keepFailed, keepNone)},
	}
}

func maxKeptRecordsAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: "Keep at most this many of the records `keep_records` selects: the newest by `notify_time`, in " +
			"the API's order. At least 1 (use `keep_records = \"none\"` to keep none). Unset: no cap.",
		Optional:   true,
		Validators: []validator.Int64{int64validator.AtLeast(1)},
	}
}

func pageNumAttribute() schema.Int64Attribute {
	return computedInt64("The page number of the answer (1 when every page was read).")
}

func totalNumAttribute() schema.Int64Attribute {
	return computedInt64("The total number of entries that meet the filter criteria, as the API counts them.")
}

func totalPageAttribute() schema.Int64Attribute {
	return computedInt64("The total number of pages at `page_size`.")
}

func requestIDAttribute() schema.StringAttribute {
	return computedString("The request ID of the (first) API call, for support requests.")
}

// clientFrom is the Configure both data sources share.
func clientFrom(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) *liveapi.Client {
	if req.ProviderData == nil {
		return nil // Not configured yet (validation); Read is never called like this.
	}
	client, ok := req.ProviderData.(*liveapi.Client)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *liveapi.Client, got %T. This is a bug in the provider; please report it.", req.ProviderData))
	}
	return client
}

// validateNotifyRecordsConfig is the plan-time check of the arguments that
// depend on each other: the window, and what to keep.
func validateNotifyRecordsConfig(start, end, lookback, keep types.String, maxKept types.Int64) diag.Diagnostics {
	_, _, diags := resolveWindow(start, end, lookback)
	if keep.ValueString() == keepNone && !maxKept.IsNull() && !maxKept.IsUnknown() {
		diags.AddAttributeError(path.Root("max_kept_records"), "max_kept_records without records to keep",
			"keep_records = \"none\" keeps no record, so max_kept_records has nothing to cap. Remove max_kept_records, "+
				"or keep \"all\" or \"failed\" records.")
	}
	return diags
}

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

// notifyRead is a finished read: the API's answer, and the window the state
// reports.
type notifyRead[T any] struct {
	*liveapi.Result[T]
	StartTime, EndTime types.String
}

// listRecords runs the read of q within the read timeout. Failures become one
// diagnostic with the API's code, message and request id and what to do.
func listRecords[T any](ctx context.Context, client *liveapi.Client, op liveapi.Operation[T], q liveapi.Query, readTimeout time.Duration) (*notifyRead[T], diag.Diagnostics) {
	var diags diag.Diagnostics
	if client == nil {
		diags.AddError("Provider not configured", "The live provider was not configured. This is a bug in the provider; please report it.")
		return nil, diags
	}
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	ctx = tflog.SetField(ctx, "domain_name", q.DomainName)
	res, err := liveapi.List(ctx, client, op, q)
	if err != nil {
		addAPIError(&diags, op.Action, err, readTimeout)
		return nil, diags
	}
	tflog.Debug(ctx, "read callback records", map[string]interface{}{
		"action": op.Action, "records": len(res.Records), "total_num": res.TotalNum, "calls": res.Calls, "restarts": res.Restarts,
	})
	start, end := reportedWindow(res.StartTime, res.EndTime)
	return &notifyRead[T]{Result: res, StartTime: start, EndTime: end}, diags
}

// fillAnswer sets what a read reports beside its records: the summary of
// every callback read, the window sent, the API's paging totals and the id.
func fillAnswer[T any](a *readAnswerModel, q liveapi.Query, res *notifyRead[T], callbacks []*liveapi.CallbackCommon) {
	summary := summarize(callbacks)
	a.Summary = &summary
	a.ID = types.StringValue(queryID(q, res.StartTime, res.EndTime))
	a.StartTime, a.EndTime = res.StartTime, res.EndTime
	a.PageSize = types.Int64Value(int64(res.PageSize))
	a.PageNum = types.Int64Value(int64(res.PageNum))
	a.TotalNum = types.Int64Value(int64(res.TotalNum))
	a.TotalPage = types.Int64Value(int64(res.TotalPage))
	a.RequestID = types.StringValue(res.RequestID)
}

// reportedWindow is the window start_time and end_time report: the one place
// that decides it. It is the window the client sent (whole seconds covering
// the one asked for, the start raised to stay within 7 days for the whole
// read), in the API's format.
func reportedWindow(start, end time.Time) (types.String, types.String) {
	return types.StringValue(start.UTC().Format(liveapi.TimeLayout)), types.StringValue(end.UTC().Format(liveapi.TimeLayout))
}

func queryID(q liveapi.Query, start, end types.String) string {
	parts := []string{q.DomainName, q.AppName, q.StreamName, q.Status, q.StorageType, start.ValueString(), end.ValueString()}
	if q.PageNumber > 0 {
		parts = append(parts, fmt.Sprintf("page-%d-of-%d", q.PageNumber, q.PageSize))
	}
	return strings.Join(parts, "/")
}

// keptRecords picks the records that go into state, as indexes into records
// in the API's order: those keep_records selects (null means "all"), then the
// newest maxKept of them by notify_time (null means no cap). Ties at the cap
// go to the record the API listed first.
func keptRecords(records []*liveapi.CallbackCommon, keep types.String, maxKept types.Int64) []int {
	mode := keep.ValueString()
	if mode == keepNone {
		return nil
	}
	kept := make([]int, 0, len(records))
	for i, r := range records {
		if mode != keepFailed || r.NotifyResult == "failed" {
			kept = append(kept, i)
		}
	}
	if maxKept.IsNull() || int64(len(kept)) <= maxKept.ValueInt64() {
		return kept
	}
	newest := slices.Clone(kept)
	slices.SortStableFunc(newest, func(a, b int) int { return strings.Compare(records[b].NotifyTime, records[a].NotifyTime) })
	newest = newest[:maxKept.ValueInt64()]
	slices.Sort(newest)
	return newest
}

// setStateWithRecords sets the state: the model through the framework, and
// the kept records' list straight from the decoded records, whose string
// attributes recordAttributes gives. The framework's reflection walks a value
// at a time and costs about 1,200 allocations a record. Under
// NewProtocol6Server the list is encoded once, as the protocol's msgpack, and
// reaches the answer after the framework's checks; otherwise it is set here
// as tftypes values (about 50 allocations a record).
// listField is the model's field for listName; it is set to a typed null
// for the framework's part.
func setStateWithRecords[T any](ctx context.Context, state *tfsdk.State, model any, listField *types.List, listName string,
	records []T, kept []int, recordAttributes func(*T, func(name, value string)),
) diag.Diagnostics {
	var diags diag.Diagnostics
	nested, ok := state.Schema.GetAttributes()[listName].(schema.ListNestedAttribute)
	if !ok {
		diags.AddError("Provider bug", fmt.Sprintf("The schema has no nested list %q; please report this.", listName))
		return diags
	}
	elemType := nested.NestedObject.Type()
	objType, ok := elemType.TerraformType(ctx).(tftypes.Object)
	if !ok {
		diags.AddError("Provider bug", fmt.Sprintf("The records of %q are not objects; please report this.", listName))
		return diags
	}
	*listField = types.ListNull(elemType)
	if diags.Append(state.Set(ctx, model)...); diags.HasError() {
		return diags
	}
	listType := tftypes.List{ElementType: objType}
	var list tftypes.Value
	if sink := recordListSinkFrom(ctx); sink != nil {
		encoded, err := encodeRecordList(objType, records, kept, recordAttributes)
		if err != nil {
			diags.AddError("Provider bug", fmt.Sprintf("Encoding %s: %v. Please report this.", listName, err))
			return diags
		}
		sink.list = &recordList{name: listName, msgpack: encoded, stateType: state.Raw.Type()}
		list = tftypes.NewValue(listType, []tftypes.Value{}) // The server puts the records in.
	} else {
		values := make([]tftypes.Value, len(kept))
		for j, i := range kept {
			attrs := make(map[string]tftypes.Value, len(objType.AttributeTypes))
			recordAttributes(&records[i], func(name, value string) { attrs[name] = tftypes.NewValue(tftypes.String, value) })
			values[j] = tftypes.NewValue(objType, attrs)
		}
		list = tftypes.NewValue(listType, values)
	}
	var attrs map[string]tftypes.Value
	if err := state.Raw.As(&attrs); err != nil {
		diags.AddError("Provider bug", "Reading back the state: "+err.Error())
		return diags
	}
	attrs[listName] = list
	state.Raw = tftypes.NewValue(state.Raw.Type(), attrs)
	return diags
}

// encodeRecordList writes the kept records as the msgpack of a list of
// objType, the layout tftypes gives it: an array of maps whose keys are the
// attribute names in sorted order. Every attribute must be a string, and
// recordAttributes must give each exactly once.
func encodeRecordList[T any](objType tftypes.Object, records []T, kept []int, recordAttributes func(*T, func(name, value string))) ([]byte, error) {
	names := make([]string, 0, len(objType.AttributeTypes))
	for name, typ := range objType.AttributeTypes {
		if !typ.Is(tftypes.String) {
			return nil, fmt.Errorf("attribute %s is %s, not a string", name, typ)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	pos := make(map[string]int, len(names))
	for i, name := range names {
		pos[name] = i
	}
	var buf bytes.Buffer
	buf.Grow(len(kept) * 1024)
	enc := msgpack.NewEncoder(&buf)
	if err := enc.EncodeArrayLen(len(kept)); err != nil {
		return nil, err
	}
	values, set := make([]string, len(names)), make([]bool, len(names))
	var unknown string
	put := func(name, value string) {
		i, ok := pos[name]
		if !ok {
			unknown = name
			return
		}
		values[i], set[i] = value, true
	}
	for _, i := range kept {
		clear(set)
		recordAttributes(&records[i], put)
		if unknown != "" {
			return nil, fmt.Errorf("attribute %s is not in the schema", unknown)
		}
		if err := enc.EncodeMapLen(len(names)); err != nil {
			return nil, err
		}
		for j, name := range names {
			if !set[j] {
				return nil, fmt.Errorf("attribute %s has no value", name)
			}
			if err := enc.EncodeString(name); err != nil {
				return nil, err
			}
			if err := enc.EncodeString(values[j]); err != nil {
				return nil, err
			}
		}
	}
	return buf.Bytes(), nil
}

// callbackAttributes gives the attributes both record types share.
func callbackAttributes(c *liveapi.CallbackCommon, put func(name, value string)) {
	put("app_name", c.AppName)
	put("description", c.Description)
	put("domain_name", c.DomainName)
	put("notify_content", c.NotifyContent)
	put("notify_result", c.NotifyResult)
	put("notify_time", c.NotifyTime)
	put("notify_type", c.NotifyType)
	put("notify_url", c.NotifyURL)
	put("notify_header", c.NotifyHeader)
	put("notify_response", c.NotifyResponse)
	put("stream_name", c.StreamName)
}
