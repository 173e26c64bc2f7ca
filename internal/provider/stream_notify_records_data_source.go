package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

type streamNotifyRecordsModel struct {
	notifyRecordsModel
	NotifyRecordsInfo []liveapi.StreamNotifyRecord `tfsdk:"notify_records_info"`
}

func (m *streamNotifyRecordsModel) shared() *notifyRecordsModel { return &m.notifyRecordsModel }

func (m *streamNotifyRecordsModel) applyArguments(*liveapi.Query) {}

func (m *streamNotifyRecordsModel) setResult(_ *liveapi.Result[liveapi.StreamNotifyRecord], records []liveapi.StreamNotifyRecord) {
	m.NotifyRecordsInfo = records
}

// NewStreamNotifyRecordsDataSource is live_stream_notify_records
// (DescribeLiveStreamsNotifyRecords).
func NewStreamNotifyRecordsDataSource() datasource.DataSource {
	return &notifyRecordsDataSource[liveapi.StreamNotifyRecord, *liveapi.StreamNotifyRecord, streamNotifyRecordsModel, *streamNotifyRecordsModel]{
		kind: notifyRecordsKind[liveapi.StreamNotifyRecord]{
			typeName: "_stream_notify_records",
			op:       liveapi.StreamNotifyRecords,
			description: "Queries stream-ingest callback records (API `DescribeLiveStreamsNotifyRecords`): the `publish` and " +
				"`publish_done` callbacks ApsaraVideo Live sent to your webhook, with a health `summary`. " +
				"The API keeps the records of the last 7 days and allows 100 requests per second per account.",
			domainDescription: "The ingest domain.",
			listAttribute:     "notify_records_info",
			listDescription:   "The stream-ingest callback records, in the API's order (`NotifyRecordsInfo.LiveStreamNotifyRecordsInfo`).",
			notifyTypeValues:  "`publish` (the stream ingest starts) or `publish_done` (the stream ingest is interrupted).",
		},
	}
}
