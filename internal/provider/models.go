package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// recordNotifyRecordsModel is the state of live_record_notify_records. The
// record list is set as a raw value (setStateWithRecords), so the model only
// holds its typed null.
type recordNotifyRecordsModel struct {
	notifyRecordsModel
	StorageType  types.String `tfsdk:"storage_type"`
	CallbackList types.List   `tfsdk:"callback_list"`
	Code         types.Int64  `tfsdk:"code"`
	Msg          types.String `tfsdk:"msg"`
}

// streamNotifyRecordsModel is the state of live_stream_notify_records.
type streamNotifyRecordsModel struct {
	notifyRecordsModel
	NotifyRecordsInfo types.List `tfsdk:"notify_records_info"`
}

// notifyRecordsModel is what both data sources share: their common
// arguments, and what a read reports beside its records.
type notifyRecordsModel struct {
	readAnswerModel
	DomainName     types.String   `tfsdk:"domain_name"`
	AppName        types.String   `tfsdk:"app_name"`
	StreamName     types.String   `tfsdk:"stream_name"`
	Status         types.String   `tfsdk:"status"`
	Lookback       types.String   `tfsdk:"lookback"`
	PageNumber     types.Int64    `tfsdk:"page_number"`
	KeepRecords    types.String   `tfsdk:"keep_records"`
	MaxKeptRecords types.Int64    `tfsdk:"max_kept_records"`
	Windows        types.List     `tfsdk:"windows"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

// readAnswerModel is what both data sources report of a read beside their
// records (readNotifyRecords sets it). start_time, end_time and page_size are also
// arguments: the read replaces them with the values it used.
type readAnswerModel struct {
	ID        types.String  `tfsdk:"id"`
	StartTime types.String  `tfsdk:"start_time"`
	EndTime   types.String  `tfsdk:"end_time"`
	PageSize  types.Int64   `tfsdk:"page_size"`
	PageNum   types.Int64   `tfsdk:"page_num"`
	TotalNum  types.Int64   `tfsdk:"total_num"`
	TotalPage types.Int64   `tfsdk:"total_page"`
	RequestID types.String  `tfsdk:"request_id"`
	Summary   *summaryModel `tfsdk:"summary"`
}

// summaryModel is the health summary of the callbacks a query returned.
type summaryModel struct {
	healthModel
	ByNotifyType         map[string]healthModel `tfsdk:"by_notify_type"`
	ByNotifyURL          map[string]healthModel `tfsdk:"by_notify_url"`
	FailedNotifyURLs     []string               `tfsdk:"failed_notify_urls"`
	FailedStreams        map[string]int64       `tfsdk:"failed_streams"`
	FailedStreamsOmitted int64                  `tfsdk:"failed_streams_omitted"`
}

// healthModel is the health of one group of callbacks: all of them, one
// event type or one webhook.
type healthModel struct {
	Total                    int64        `tfsdk:"total"`
	Success                  int64        `tfsdk:"success"`
	Failed                   int64        `tfsdk:"failed"`
	FailureRatio             float64      `tfsdk:"failure_ratio"`
	ConsecutiveFailures      int64        `tfsdk:"consecutive_failures"`
	LatestNotifyTime         types.String `tfsdk:"latest_notify_time"`
	LatestFailureTime        types.String `tfsdk:"latest_failure_time"`
	LatestFailureDescription types.String `tfsdk:"latest_failure_description"`
	// Windows are the trailing windows asked for, by their keys.
	Windows map[string]windowModel `tfsdk:"windows"`
}

// windowModel is one trailing window of a group of callbacks.
type windowModel struct {
	Total        int64   `tfsdk:"total"`
	Failed       int64   `tfsdk:"failed"`
	FailureRatio float64 `tfsdk:"failure_ratio"`
}
