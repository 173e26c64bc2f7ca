package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// defaultReadTimeout bounds a read when no timeouts block says otherwise:
// 100k records at the default rate take about 4 seconds, so this leaves
// ample room for retries.
const defaultReadTimeout = 5 * time.Minute

// notifyRecordsModel holds the arguments and attributes both data sources
// share; each data source embeds it and adds its own record list.
type notifyRecordsModel struct {
	ID             types.String   `tfsdk:"id"`
	DomainName     types.String   `tfsdk:"domain_name"`
	AppName        types.String   `tfsdk:"app_name"`
	StreamName     types.String   `tfsdk:"stream_name"`
	Status         types.String   `tfsdk:"status"`
	StartTime      types.String   `tfsdk:"start_time"`
	EndTime        types.String   `tfsdk:"end_time"`
	Lookback       types.String   `tfsdk:"lookback"`
	PageSize       types.Int64    `tfsdk:"page_size"`
	PageNumber     types.Int64    `tfsdk:"page_number"`
	IncludeRecords types.Bool     `tfsdk:"include_records"`
	PageNum        types.Int64    `tfsdk:"page_num"`
	TotalNum       types.Int64    `tfsdk:"total_num"`
	TotalPage      types.Int64    `tfsdk:"total_page"`
	RequestID      types.String   `tfsdk:"request_id"`
	Summary        *summaryModel  `tfsdk:"summary"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

// kindModel is what the shared implementation needs from a data source's
// own model: the shared part, its extra request arguments and where its
// records and extra response fields go.
type kindModel[T any] interface {
	shared() *notifyRecordsModel
	applyArguments(q *liveapi.Query)
	setResult(res *liveapi.Result[T], records []T)
}

// notifyRecordsKind describes one of the two data sources.
type notifyRecordsKind[T any] struct {
	typeName          string
	op                liveapi.Operation[T]
	description       string
	domainDescription string
	listAttribute     string
	listDescription   string
	notifyTypeValues  string
	extraRecordFields map[string]schema.Attribute
	extraArguments    map[string]schema.Attribute
	extraComputed     map[string]schema.Attribute
}

// notifyRecordsDataSource is the implementation both data sources share;
// M is the data source's own state model and PM its pointer type.
type notifyRecordsDataSource[T any, PT interface {
	*T
	Common() *liveapi.CallbackCommon
}, M any, PM interface {
	*M
	kindModel[T]
}] struct {
	kind   notifyRecordsKind[T]
	client *liveapi.Client
}

func (d *notifyRecordsDataSource[T, PT, M, PM]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.kind.typeName
}

func (d *notifyRecordsDataSource[T, PT, M, PM]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return // Not configured yet (validation); Read is never called like this.
	}
	client, ok := req.ProviderData.(*liveapi.Client)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *liveapi.Client, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	d.client = client
}

func (d *notifyRecordsDataSource[T, PT, M, PM]) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	k := d.kind
	recordAttrs := map[string]schema.Attribute{
		"app_name":        computedString("The name of the application to which the stream belongs."),
		"description":     computedString("The description of the result: `success` when the callback succeeded, otherwise the error message."),
		"domain_name":     computedString(k.domainDescription),
		"notify_content":  computedString("The content of the callback (the body sent to the webhook), exactly as the API returned it."),
		"notify_result":   computedString("The result of the callback: `success` or `failed`."),
		"notify_time":     computedString("The time when the callback was sent, in UTC (`yyyy-MM-ddTHH:mm:ssZ`)."),
		"notify_type":     computedString("The type of callback. " + k.notifyTypeValues),
		"notify_url":      computedString("The webhook address the callback was sent to."),
		"notify_header":   computedString("The HTTP headers sent with the callback, when the API returns them."),
		"notify_response": computedString("The response your webhook returned after it received the callback, when the API returns it."),
		"stream_name":     computedString("The name of the stream."),
	}
	for name, attr := range k.extraRecordFields {
		recordAttrs[name] = attr
	}
	attrs := map[string]schema.Attribute{
		"id": computedString("An identifier of the query: the domain, filters, window and page it read."),
		"domain_name": schema.StringAttribute{
			MarkdownDescription: k.domainDescription + " Required by the API.",
			Required:            true,
			Validators: []validator.String{
				stringvalidator.LengthAtLeast(1),
				stringvalidator.RegexMatches(domainPattern, "must be a domain name such as example.com"),
			},
		},
		"app_name": schema.StringAttribute{
			MarkdownDescription: "Return only the callbacks of this application (the name of the application to which the stream belongs).",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"stream_name": schema.StringAttribute{
			MarkdownDescription: "Return only the callbacks of this stream.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"status": schema.StringAttribute{
			MarkdownDescription: "Return only the callbacks with this result: `success` (the callback was successful) or `failed` (the callback failed).",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.OneOf("success", "failed")},
		},
		"start_time": schema.StringAttribute{
			MarkdownDescription: "The beginning of the time range to query, as an RFC 3339 time; it is sent to the API in UTC as " +
				"`yyyy-MM-ddTHH:mm:ssZ`. The API only keeps the records of the last 7 days, so it must lie within the last 7 days. " +
				"Set either `start_time` or `lookback`. With `lookback`, this holds the resolved start of the window that was queried.",
			Optional:   true,
			Computed:   true,
			Validators: []validator.String{rfc3339Validator{}, stringvalidator.ConflictsWith(path.MatchRoot("lookback"))},
		},
		"end_time": schema.StringAttribute{
			MarkdownDescription: "The end of the time range to query, as an RFC 3339 time; it must be later than `start_time` and " +
				"is sent in UTC. Default: the time of the read. With `lookback`, this holds the resolved end of the window.",
			Optional:   true,
			Computed:   true,
			Validators: []validator.String{rfc3339Validator{}, stringvalidator.ConflictsWith(path.MatchRoot("lookback"))},
		},
		"lookback": schema.StringAttribute{
			MarkdownDescription: "A window relative to the time of the read: a Go duration such as `30m`, `6h` or `48h`, at most " +
				"`168h` (7 days). The data source queries `[now - lookback, now]`, so the configuration never goes stale. " +
				"Conflicts with `start_time` and `end_time`.",
			Optional:   true,
			Validators: []validator.String{lookbackValidator{}},
		},
		"page_size": schema.Int64Attribute{
			MarkdownDescription: "The number of entries on each page, 1 to 500. Default: 500, the API maximum, so that reading " +
				"every page takes the fewest calls. After the read, the page size the API used.",
			Optional:   true,
			Computed:   true,
			Validators: []validator.Int64{int64validator.Between(1, liveapi.MaxPageSize)},
		},
		"page_number": schema.Int64Attribute{
			MarkdownDescription: "Read only this page (1 to 100000). When unset, the data source reads every page and " +
				"returns all matching records in the API's order.",
			Optional:   true,
			Validators: []validator.Int64{int64validator.Between(1, liveapi.MaxPageNumber)},
		},
		"include_records": schema.BoolAttribute{
			MarkdownDescription: "Whether to keep the records in state. Default `true`. With `false` the record list is empty " +
				"and `summary` is still computed over every record read: a busy domain's week of callbacks stays out of state.",
			Optional: true,
		},
		k.listAttribute: schema.ListNestedAttribute{
			MarkdownDescription: k.listDescription,
			Computed:            true,
			NestedObject:        schema.NestedAttributeObject{Attributes: recordAttrs},
		},
		"page_num":   computedInt64("The page number of the answer (1 when every page was read)."),
		"total_num":  computedInt64("The total number of entries that meet the filter criteria, as the API counts them."),
		"total_page": computedInt64("The total number of pages at `page_size`."),
		"request_id": computedString("The request ID of the (first) API call, for support requests."),
		"summary":    summarySchema(),
	}
	for name, attr := range k.extraArguments {
		attrs[name] = attr
	}
	for name, attr := range k.extraComputed {
		attrs[name] = attr
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: k.description,
		Attributes:          attrs,
		Blocks:              map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
	}
}

func (d *notifyRecordsDataSource[T, PT, M, PM]) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m M
	resp.Diagnostics.Append(req.Config.Get(ctx, PM(&m))...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, _, diags := resolveWindow(PM(&m).shared(), false)
	resp.Diagnostics.Append(diags...)
}

func (d *notifyRecordsDataSource[T, PT, M, PM]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m M
	pm := PM(&m)
	resp.Diagnostics.Append(req.Config.Get(ctx, pm)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.client == nil {
		resp.Diagnostics.AddError("Provider not configured", "The live provider was not configured. This is a bug in the provider; please report it.")
		return
	}
	s := pm.shared()
	start, end, diags := resolveWindow(s, true)
	resp.Diagnostics.Append(diags...)
	readTimeout, diags := s.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()

	q := liveapi.Query{
		DomainName: s.DomainName.ValueString(),
		AppName:    s.AppName.ValueString(),
		StreamName: s.StreamName.ValueString(),
		Status:     s.Status.ValueString(),
		StartTime:  start,
		EndTime:    end,
		PageSize:   int(s.PageSize.ValueInt64()),
		PageNumber: int(s.PageNumber.ValueInt64()),
	}
	pm.applyArguments(&q)
	ctx = tflog.SetField(ctx, "domain_name", q.DomainName)
	res, err := liveapi.List(ctx, d.client, d.kind.op, q)
	if err != nil {
		addAPIError(&resp.Diagnostics, d.kind.op.Action, err, readTimeout)
		return
	}

	sum := summarize[T, PT](res.Records)
	s.Summary = &sum
	s.StartTime = types.StringValue(res.StartTime.UTC().Format(liveapi.TimeLayout))
	s.EndTime = types.StringValue(res.EndTime.UTC().Format(liveapi.TimeLayout))
	s.PageSize = types.Int64Value(int64(res.PageSize))
	s.PageNum = types.Int64Value(int64(res.PageNum))
	s.TotalNum = types.Int64Value(int64(res.TotalNum))
	s.TotalPage = types.Int64Value(int64(res.TotalPage))
	s.RequestID = types.StringValue(res.RequestID)
	s.ID = types.StringValue(queryID(q))
	records := res.Records
	if !s.IncludeRecords.IsNull() && !s.IncludeRecords.ValueBool() {
		records = []T{}
	}
	pm.setResult(res, records)
	tflog.Debug(ctx, "read callback records", map[string]interface{}{
		"action": d.kind.op.Action, "records": len(res.Records), "total_num": res.TotalNum, "calls": res.Calls, "restarts": res.Restarts,
	})
	resp.Diagnostics.Append(resp.State.Set(ctx, pm)...)
}

// resolveWindow turns start_time/end_time/lookback into the window to query.
// At validation time (atRead false) unknown values defer their checks to the
// read, where everything is known and "now" is the time of the read.
func resolveWindow(m *notifyRecordsModel, atRead bool) (time.Time, time.Time, diag.Diagnostics) {
	var diags diag.Diagnostics
	if m.StartTime.IsUnknown() || m.EndTime.IsUnknown() || m.Lookback.IsUnknown() {
		return time.Time{}, time.Time{}, diags
	}
	t := now().UTC()
	switch {
	case !m.Lookback.IsNull():
		d, err := parseLookback(m.Lookback.ValueString())
		if err != nil {
			return time.Time{}, time.Time{}, diags // The attribute validator has said so.
		}
		end := t.Truncate(time.Second)
		return end.Add(-d), end, diags
	case m.StartTime.IsNull():
		diags.AddAttributeError(path.Root("start_time"), "Missing time window",
			"Set the window of callback records to read, in one of two ways:\n"+
				"  lookback   = \"6h\"                     # relative: the last 6 hours at the time of each plan (at most 168h)\n"+
				"  start_time = \"2024-05-01T08:00:00Z\"   # absolute, within the last 7 days; end_time defaults to now\n"+
				"The API requires a window and keeps 7 days of records; there is no default window.")
		return time.Time{}, time.Time{}, diags
	}
	start, err := parseTime(m.StartTime.ValueString())
	if err != nil {
		return time.Time{}, time.Time{}, diags // The attribute validator has said so.
	}
	end := t.Truncate(time.Second)
	if !m.EndTime.IsNull() {
		if end, err = parseTime(m.EndTime.ValueString()); err != nil {
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
	return start, end, diags
}

func queryID(q liveapi.Query) string {
	parts := []string{q.DomainName, q.AppName, q.StreamName, q.Status, q.StorageType,
		q.StartTime.UTC().Format(liveapi.TimeLayout), q.EndTime.UTC().Format(liveapi.TimeLayout)}
	if q.PageNumber > 0 {
		parts = append(parts, fmt.Sprintf("page-%d-of-%d", q.PageNumber, q.PageSize))
	}
	return strings.Join(parts, "/")
}

// addAPIError turns a failed read into one diagnostic: what the API said
// (code, message, request id, attempts) and what to do about it.
func addAPIError(diags *diag.Diagnostics, action string, err error, readTimeout time.Duration) {
	var apiErr *liveapi.APIError
	switch {
	case errors.Is(err, liveapi.ErrNoCredentials):
		diags.AddError("No usable Alibaba Cloud credentials",
			fmt.Sprintf("%s could not be called: %v\n\n%s", action, err, credentialOptions))
	case errors.Is(err, context.DeadlineExceeded):
		diags.AddError("Reading callback records timed out",
			fmt.Sprintf("%v\n\nThe read did not finish within %s. Raise timeouts { read = \"...\" }, narrow the window or the filters, or raise max_qps.", err, readTimeout))
	case errors.Is(err, context.Canceled):
		diags.AddError("Reading callback records was interrupted", err.Error())
	case errors.Is(err, liveapi.ErrInconsistent):
		diags.AddError("Callback records changed during the read",
			fmt.Sprintf("%s: %v\n\nNew callbacks kept arriving while the pages were read, so no consistent answer could be assembled. "+
				"Retry the plan, or query a window that has closed (set end_time in the past) for a stable result.", action, err))
	case errors.As(err, &apiErr) && apiErr.Code != "":
		summary := fmt.Sprintf("%s failed: %s", action, apiErr.Code)
		detail := fmt.Sprintf("The API answered HTTP %d, code %s: %s\nRequest ID: %s", apiErr.StatusCode, apiErr.Code, apiErr.Message, orNone(apiErr.RequestID))
		if apiErr.Attempts > 1 {
			detail += fmt.Sprintf("\nAttempts made: %d", apiErr.Attempts)
		}
		if hint := liveapi.Hint(apiErr.Code); hint != "" {
			detail += "\n\n" + hint
		}
		diags.AddError(summary, detail)
	default:
		detail := err.Error()
		if errors.As(err, &apiErr) && apiErr.Retryable {
			detail += "\n\nThe API could not be reached or answered with something unreadable. Check endpoint and network access; raise max_retries to ride out flaky networks."
		}
		diags.AddError(fmt.Sprintf("%s failed", action), detail)
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func computedString(description string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: description, Computed: true}
}

func computedInt64(description string) schema.Int64Attribute {
	return schema.Int64Attribute{MarkdownDescription: description, Computed: true}
}
