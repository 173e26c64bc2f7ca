package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

type recordNotifyRecordsModel struct {
	notifyRecordsModel
	StorageType  types.String             `tfsdk:"storage_type"`
	CallbackList []liveapi.RecordCallback `tfsdk:"callback_list"`
	Code         types.Int64              `tfsdk:"code"`
	Msg          types.String             `tfsdk:"msg"`
}

func (m *recordNotifyRecordsModel) shared() *notifyRecordsModel { return &m.notifyRecordsModel }

func (m *recordNotifyRecordsModel) applyArguments(q *liveapi.Query) {
	q.StorageType = m.StorageType.ValueString()
}

func (m *recordNotifyRecordsModel) setResult(res *liveapi.Result[liveapi.RecordCallback], records []liveapi.RecordCallback) {
	m.CallbackList = records
	m.Code = types.Int64Null()
	if res.Code != nil {
		m.Code = types.Int64Value(int64(*res.Code))
	}
	m.Msg = types.StringValue(res.Msg)
}

// NewRecordNotifyRecordsDataSource is live_record_notify_records
// (DescribeLiveRecordNotifyRecords).
func NewRecordNotifyRecordsDataSource() datasource.DataSource {
	return &notifyRecordsDataSource[liveapi.RecordCallback, *liveapi.RecordCallback, recordNotifyRecordsModel, *recordNotifyRecordsModel]{
		kind: notifyRecordsKind[liveapi.RecordCallback]{
			typeName: "_record_notify_records",
			op:       liveapi.RecordNotifyRecords,
			description: "Queries the callback records of live recordings stored in OSS (API `DescribeLiveRecordNotifyRecords`): " +
				"the recording callbacks ApsaraVideo Live sent to your webhook, with a health `summary`. " +
				"The API keeps the records of the last 7 days and allows 100 requests per second per account.",
			domainDescription: "The streaming domain.",
			listAttribute:     "callback_list",
			listDescription:   "The callback records, in the API's order (`CallbackList`).",
			notifyTypeValues: "`file_created` (the recording file was created), `record_error` (a recording error occurred), " +
				"`record_started`, `record_paused`, `record_resumed`, `record_force_transcode_fail` (the recording task failed " +
				"to trigger transcoding), `transformat_error` (an error occurred when parsing the live stream).",
			extraRecordFields: map[string]schema.Attribute{
				"storage_type": computedString("The storage type of the recording, when the API returns it (a v3 SDK field, not in the API document)."),
			},
			extraArguments: map[string]schema.Attribute{
				"storage_type": schema.StringAttribute{
					MarkdownDescription: "Return only the callbacks of recordings with this storage type (request field `StorageType`, " +
						"offered by the v3 SDK but not described in the API document; for example `oss`).",
					Optional:   true,
					Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
				},
			},
			extraComputed: map[string]schema.Attribute{
				"code": computedInt64("The response code (`Code`); 0 on success."),
				"msg":  computedString("The message returned (`Msg`)."),
			},
		},
	}
}
