package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

var (
	_ datasource.DataSourceWithConfigure      = (*RecordNotifyRecordsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*RecordNotifyRecordsDataSource)(nil)
)

// RecordNotifyRecordsDataSource is live_record_notify_records
// (DescribeLiveRecordNotifyRecords): callbacks of recordings stored in OSS.
type RecordNotifyRecordsDataSource struct {
	client *liveapi.Client
	// redact is redact_callback_secrets.
	redact bool
}

// NewRecordNotifyRecordsDataSource is the factory the provider registers.
func NewRecordNotifyRecordsDataSource() datasource.DataSource {
	return &RecordNotifyRecordsDataSource{}
}

func (d *RecordNotifyRecordsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_record_notify_records"
}

func (d *RecordNotifyRecordsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Queries the callback records of live recordings stored in OSS (API `DescribeLiveRecordNotifyRecords`): " +
			"the recording callbacks ApsaraVideo Live sent to your webhook, with a health `summary`. " +
			"The API keeps the records of the last 7 days and allows 100 requests per second per account.",
		Attributes: map[string]schema.Attribute{
			"id":          idAttribute(),
			"domain_name": domainNameAttribute("The streaming domain. Required by the API."),
			"app_name":    appNameAttribute(),
			"stream_name": streamNameAttribute(),
			"status":      statusAttribute(),
			"storage_type": schema.StringAttribute{
				MarkdownDescription: "Return only the callbacks of recordings with this storage type (request field `StorageType`, " +
					"offered by the v3 SDK but not described in the API document; for example `oss`).",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"start_time": startTimeAttribute(),
			"end_time":   endTimeAttribute(),
			"lookback":   lookbackAttribute(),
			"page_size":  pageSizeAttribute(),
			"page_number": schema.Int64Attribute{
				CustomType: wholeNumber,
				MarkdownDescription: "Read only this page (1 to 100000). When unset, the data source reads every page and " +
					"returns all matching records in the API's order.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, liveapi.MaxPageNumber)},
			},
			"keep_records":     keepRecordsAttribute(),
			"max_kept_records": maxKeptRecordsAttribute(),
			"windows":          windowsAttribute(),
			"callback_list": schema.ListNestedAttribute{
				MarkdownDescription: "The callback records `keep_records` and `max_kept_records` keep, in the API's order (`CallbackList`).",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"app_name":       computedString("The name of the application to which the stream belongs."),
					"description":    computedString("The description of the result: `success` when the callback succeeded, otherwise the error message." + redactedNote),
					"domain_name":    computedString("The streaming domain."),
					"notify_content": computedString("The content of the callback (the body sent to the webhook), as the API returned it." + redactedNote),
					"notify_result":  computedString("The result of the callback: `success` or `failed`."),
					"notify_time":    computedString("The time when the callback was sent, in UTC (`yyyy-MM-ddTHH:mm:ssZ`)."),
					"notify_type": computedString("The type of callback: `file_created` (the recording file was created), " +
						"`record_error` (a recording error occurred), `record_started`, `record_paused`, `record_resumed`, " +
						"`record_force_transcode_fail` (the recording task failed to trigger transcoding), `transformat_error` " +
						"(an error occurred when parsing the live stream)."),
					"notify_url":      computedString("The webhook address for recording callbacks, named as the webhook's key in `summary.by_notify_url`." + redactedNote),
					"notify_header":   computedString("The HTTP headers sent with the callback, when the API returns them." + redactedNote),
					"notify_response": computedString("The response your webhook returned after it received the callback." + redactedNote),
					"stream_name":     computedString("The name of the stream."),
					"storage_type":    computedString("The storage type of the recording, when the API returns it (a v3 SDK field, not in the API document)."),
				}},
			},
			"page_num":   pageNumAttribute(),
			"total_num":  totalNumAttribute(),
			"total_page": totalPageAttribute(),
			"request_id": requestIDAttribute(),
			"code":       computedInt64("The response code (`Code`); 0 on success."),
			"msg":        computedString("The message returned (`Msg`)."),
			"summary":    summaryAttribute(),
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *RecordNotifyRecordsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client, d.redact = clientFrom(req, resp)
}

func (d *RecordNotifyRecordsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m recordNotifyRecordsModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(validateNotifyRecordsConfig(&m.notifyRecordsModel)...)
}

func (d *RecordNotifyRecordsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m recordNotifyRecordsModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	res, kept, diags := readNotifyRecords(ctx, d.client, recordCallbacks, &m.notifyRecordsModel, m.StorageType.ValueString(), d.redact)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	m.Code = types.Int64Null()
	if res.Code != nil {
		m.Code = types.Int64Value(int64(*res.Code))
	}
	m.Msg = types.StringValue(res.Msg)
	resp.Diagnostics.Append(setStateWithRecords(ctx, &resp.State, &m, &m.CallbackList, "callback_list", kept, recordCallbackAttributes)...)
}

// recordCallbackAttributes gives the attributes of one callback_list
// element.
func recordCallbackAttributes(r *liveapi.RecordCallback, put func(name, value string)) {
	callbackAttributes(&r.CallbackCommon, put)
	put("storage_type", r.StorageType)
}

// recordCallbacks is what the shared read needs of recording callbacks.
var recordCallbacks = recordType[liveapi.RecordCallback]{
	op:         liveapi.RecordNotifyRecords,
	common:     func(r *liveapi.RecordCallback) *liveapi.CallbackCommon { return &r.CallbackCommon },
	compareOwn: func(a, b *liveapi.RecordCallback) int { return strings.Compare(a.StorageType, b.StorageType) },
}
