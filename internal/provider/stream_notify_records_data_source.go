package provider

import (
	"context"
	"math"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

var (
	_ datasource.DataSourceWithConfigure      = (*StreamNotifyRecordsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*StreamNotifyRecordsDataSource)(nil)
)

// StreamNotifyRecordsDataSource is live_stream_notify_records
// (DescribeLiveStreamsNotifyRecords): stream-ingest callbacks.
type StreamNotifyRecordsDataSource struct {
	client *liveapi.Client
	// redact is redact_callback_secrets.
	redact bool
}

// NewStreamNotifyRecordsDataSource is the factory the provider registers.
func NewStreamNotifyRecordsDataSource() datasource.DataSource {
	return &StreamNotifyRecordsDataSource{}
}

func (d *StreamNotifyRecordsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_stream_notify_records"
}

func (d *StreamNotifyRecordsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Queries stream-ingest callback records (API `DescribeLiveStreamsNotifyRecords`): the `publish` and " +
			"`publish_done` callbacks ApsaraVideo Live sent to your webhook, with a health `summary`. " +
			"The API keeps the records of the last 7 days and allows 100 requests per second per account.",
		Attributes: map[string]schema.Attribute{
			"id":          idAttribute(),
			"domain_name": domainNameAttribute("The ingest domain. Required by the API."),
			"app_name":    appNameAttribute(),
			"stream_name": streamNameAttribute(),
			"status":      statusAttribute(),
			"start_time":  startTimeAttribute(),
			"end_time":    endTimeAttribute(),
			"lookback":    lookbackAttribute(),
			"page_size":   pageSizeAttribute(),
			"page_number": schema.Int64Attribute{
				CustomType: wholeNumber,
				// The API document gives no upper bound; the SDK's int32 is the only limit.
				MarkdownDescription: "Read only this page (1 or more). When unset, the data source reads every page and " +
					"returns all matching records in the API's order.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, math.MaxInt32)},
			},
			"keep_records":     keepRecordsAttribute(),
			"max_kept_records": maxKeptRecordsAttribute(),
			"windows":          windowsAttribute(),
			"notify_records_info": schema.ListNestedAttribute{
				MarkdownDescription: "The stream-ingest callback records `keep_records` and `max_kept_records` keep, in the " +
					"API's order (`NotifyRecordsInfo.LiveStreamNotifyRecordsInfo`).",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"app_name":        computedString("The name of the application to which the stream belongs."),
					"description":     computedString("The description of the result: `success` when the callback succeeded, otherwise the error message." + redactedNote),
					"domain_name":     computedString("The ingest domain."),
					"notify_content":  computedString("The content of the callback (the body sent to the webhook), as the API returned it." + redactedNote),
					"notify_result":   computedString("The result of the callback: `success` or `failed`."),
					"notify_time":     computedString("The time when the callback was sent, in UTC (`yyyy-MM-ddTHH:mm:ssZ`)."),
					"notify_type":     computedString("The event: `publish` (the stream ingest starts) or `publish_done` (the stream ingest is interrupted)."),
					"notify_url":      computedString("The callback URL, named as the webhook's key in `summary.by_notify_url`." + redactedNote),
					"notify_header":   computedString("The HTTP headers sent with the callback, when the API returns them (a v3 SDK field, not in the API document)." + redactedNote),
					"notify_response": computedString("The response your webhook returned, when the API returns it (a v3 SDK field, not in the API document)." + redactedNote),
					"stream_name":     computedString("The name of the stream."),
				}},
			},
			"page_num":   pageNumAttribute(),
			"total_num":  totalNumAttribute(),
			"total_page": totalPageAttribute(),
			"request_id": requestIDAttribute(),
			"summary":    summaryAttribute(),
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *StreamNotifyRecordsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client, d.redact = clientFrom(req, resp)
}

func (d *StreamNotifyRecordsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m streamNotifyRecordsModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(validateNotifyRecordsConfig(&m.notifyRecordsModel)...)
}

func (d *StreamNotifyRecordsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m streamNotifyRecordsModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	_, kept, diags := readNotifyRecords(ctx, d.client, streamCallbacks, &m.notifyRecordsModel, "", d.redact)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setStateWithRecords(ctx, &resp.State, &m, &m.NotifyRecordsInfo, "notify_records_info", kept, streamRecordAttributes)...)
}

// streamRecordAttributes gives the attributes of one notify_records_info
// element.
func streamRecordAttributes(r *liveapi.StreamNotifyRecord, put func(name, value string)) {
	callbackAttributes(&r.CallbackCommon, put)
}

// streamCallbacks is what the shared read needs of stream-ingest callbacks.
var streamCallbacks = recordType[liveapi.StreamNotifyRecord]{
	op:     liveapi.StreamNotifyRecords,
	common: func(r *liveapi.StreamNotifyRecord) *liveapi.CallbackCommon { return &r.CallbackCommon },
}
