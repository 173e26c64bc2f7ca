package liveapi

import "math"

// CallbackCommon holds the fields both actions return for a callback. JSON
// keys are the API's own names.
type CallbackCommon struct {
	AppName        string `json:"AppName"`
	Description    string `json:"Description"`
	DomainName     string `json:"DomainName"`
	NotifyContent  string `json:"NotifyContent"`
	NotifyResult   string `json:"NotifyResult"`
	NotifyTime     string `json:"NotifyTime"`
	NotifyType     string `json:"NotifyType"`
	NotifyURL      string `json:"NotifyUrl"`
	NotifyHeader   string `json:"NotifyHeader"`
	NotifyResponse string `json:"NotifyResponse"`
	StreamName     string `json:"StreamName"`
}

// RecordCallback is one entry of CallbackList in a DescribeLiveRecordNotifyRecords
// answer: a recording callback ApsaraVideo Live sent to the user's webhook.
// StorageType is not in the API document; the v3 SDK model carries it.
type RecordCallback struct {
	CallbackCommon
	StorageType string `json:"StorageType"`
}

// StreamNotifyRecord is one LiveStreamNotifyRecordsInfo entry of a
// DescribeLiveStreamsNotifyRecords answer: a stream-ingest callback.
// NotifyHeader and NotifyResponse are not in this API's document but the v3
// SDK model carries them, so they are kept when the API sends them.
type StreamNotifyRecord struct {
	CallbackCommon
}

// pageEnvelope is the JSON body of one page of either action. Each action
// fills one of the two list fields; decoding straight into it (rather than
// through the SDK's map[string]interface{} round trip) keeps allocations to
// the records themselves.
type pageEnvelope[T any] struct {
	CallbackList      []T `json:"CallbackList"`
	NotifyRecordsInfo *struct {
		LiveStreamNotifyRecordsInfo []T `json:"LiveStreamNotifyRecordsInfo"`
	} `json:"NotifyRecordsInfo"`
	Code      *int   `json:"Code"`
	Msg       string `json:"Msg"`
	PageNum   int    `json:"PageNum"`
	PageSize  int    `json:"PageSize"`
	RequestID string `json:"RequestId"`
	TotalNum  *int   `json:"TotalNum"`
	TotalPage int    `json:"TotalPage"`
}

// Operation describes one of the two list actions: its name and where its
// records sit in a page. Everything else (signing, paging, retries, errors)
// is shared.
type Operation[T any] struct {
	Action string
	// MaxPageNumber is the largest PageNumber the action accepts (the
	// smallest is 1).
	MaxPageNumber int
	// sendsStorageType tells whether the action accepts the StorageType filter.
	sendsStorageType bool
	// items points the decoder at the action's record list, so that a page is
	// decoded in place into the caller's slice.
	items func(*pageEnvelope[T]) *[]T
	// notifyTime reads a record's NotifyTime as sent (yyyy-MM-ddTHH:mm:ssZ).
	notifyTime func(*T) string
}

// RecordNotifyRecords is DescribeLiveRecordNotifyRecords.
var RecordNotifyRecords = Operation[RecordCallback]{
	Action:           "DescribeLiveRecordNotifyRecords",
	MaxPageNumber:    MaxPageNumber,
	sendsStorageType: true,
	items:            func(p *pageEnvelope[RecordCallback]) *[]RecordCallback { return &p.CallbackList },
	notifyTime:       func(r *RecordCallback) string { return r.NotifyTime },
}

// StreamNotifyRecords is DescribeLiveStreamsNotifyRecords.
var StreamNotifyRecords = Operation[StreamNotifyRecord]{
	Action: "DescribeLiveStreamsNotifyRecords",
	// The document gives no upper bound; the SDK's PageNumber is an int32.
	MaxPageNumber: math.MaxInt32,
	notifyTime:    func(r *StreamNotifyRecord) string { return r.NotifyTime },
	items: func(p *pageEnvelope[StreamNotifyRecord]) *[]StreamNotifyRecord {
		if p.NotifyRecordsInfo == nil {
			p.NotifyRecordsInfo = &struct {
				LiveStreamNotifyRecordsInfo []StreamNotifyRecord `json:"LiveStreamNotifyRecordsInfo"`
			}{}
		}
		return &p.NotifyRecordsInfo.LiveStreamNotifyRecordsInfo
	},
}

// DecodePage decodes one page body of op as a read does, into dst's backing
// array (cleared first), and returns the records: what a benchmark measures
// as the floor of a read's CPU, decoding alone.
func DecodePage[T any](op Operation[T], body []byte, dst []T) ([]T, error) {
	clear(dst[:cap(dst)])
	env := &pageEnvelope[T]{}
	*op.items(env) = dst[:0]
	if err := decodeBody(body, env); err != nil {
		return nil, err
	}
	return *op.items(env), nil
}
