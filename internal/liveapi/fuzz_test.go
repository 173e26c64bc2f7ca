package liveapi

import (
	"errors"
	"testing"
)

// FuzzDecodePage feeds arbitrary bodies to both actions' page decoders,
// decoding in place into a window of a larger slice as List does. It must
// never panic, never write outside its window, and report every undecodable
// body as a retryable malformed body.
func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(`{"NotifyRecordsInfo":{"LiveStreamNotifyRecordsInfo":[{"AppName":"app","NotifyContent":"{\\\"action\\\":\\\"publish_done\\\"}","NotifyTime":"2022-10-19T19:09:28Z"}]},"PageNum":1,"PageSize":20,"RequestId":"F675E4B4","TotalNum":1,"TotalPage":1}`))
	f.Add([]byte(`{"CallbackList":[{"AppName":"liveApp****","NotifyContent":"7月26日 16:14{\"domain\":\"al.xxxx.com\"}"}],"Code":0,"Msg":"ok","TotalNum":20}`))
	f.Add([]byte(`{"NotifyRecordsInfo":{"LiveStreamNotifyRecordsInfo":[{"AppName":"a"},{"AppName":"b"},{"AppName":"c"}]}}`))
	f.Add([]byte(`{"NotifyRecordsInfo":{"LiveStreamNotifyRecordsInfo":[{"AppName":"trunc`))
	f.Add([]byte(`<html>502 Bad Gateway</html>`))
	f.Add([]byte(`{"TotalNum":"20"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkDecodeInPlace(t, StreamNotifyRecords, body, StreamNotifyRecord{CallbackCommon: CallbackCommon{AppName: "sentinel"}})
		checkDecodeInPlace(t, RecordNotifyRecords, body, RecordCallback{CallbackCommon: CallbackCommon{AppName: "sentinel"}})
	})
}

// checkDecodeInPlace decodes body into a two-record window of a six-record
// slice whose other slots hold sentinel, as List does with a page.
func checkDecodeInPlace[T comparable](t *testing.T, op Operation[T], body []byte, sentinel T) {
	t.Helper()
	records := make([]T, 6)
	records[0], records[3], records[4], records[5] = sentinel, sentinel, sentinel, sentinel
	window := records[1:1:3]
	env := &pageEnvelope[T]{}
	*op.items(env) = window
	err := decodeBody(body, env)
	if err != nil {
		var malformed *malformedBodyError
		if !errors.As(err, &malformed) || !classify(op.Action, err).Retryable {
			t.Fatalf("%s: decode error %v is not a retryable malformed body", op.Action, err)
		}
	}
	for _, i := range []int{0, 3, 4, 5} {
		if records[i] != sentinel {
			t.Fatalf("%s: decoding wrote outside its window at %d: %+v", op.Action, i, records[i])
		}
	}
	if got := *op.items(env); err == nil && len(got) <= 2 && len(got) > 0 && &got[0] != &records[1] {
		t.Fatalf("%s: a page that fits its window was not decoded in place", op.Action)
	}
}
