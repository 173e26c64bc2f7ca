package liveapi

import (
	"errors"
	"testing"
)

// FuzzDecodePage feeds arbitrary bodies to the page decoder, decoding in
// place into a window of a larger slice as List does. It must never panic,
// never write outside its window, and report every undecodable body as a
// retryable malformed body.
func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(`{"NotifyRecordsInfo":{"LiveStreamNotifyRecordsInfo":[{"AppName":"app","NotifyContent":"{\\\"action\\\":\\\"publish_done\\\"}","NotifyTime":"2022-10-19T19:09:28Z"}]},"PageNum":1,"PageSize":20,"RequestId":"F675E4B4","TotalNum":1,"TotalPage":1}`))
	f.Add([]byte(`{"CallbackList":[{"AppName":"liveApp****","NotifyContent":"7月26日 16:14{\"domain\":\"al.xxxx.com\"}"}],"Code":0,"Msg":"ok","TotalNum":20}`))
	f.Add([]byte(`{"NotifyRecordsInfo":{"LiveStreamNotifyRecordsInfo":[{"AppName":"a"},{"AppName":"b"},{"AppName":"c"}]}}`))
	f.Add([]byte(`{"NotifyRecordsInfo":{"LiveStreamNotifyRecordsInfo":[{"AppName":"trunc`))
	f.Add([]byte(`<html>502 Bad Gateway</html>`))
	f.Add([]byte(`{"TotalNum":"20"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, op := range []Operation[StreamNotifyRecord]{StreamNotifyRecords} {
			records := make([]StreamNotifyRecord, 6)
			sentinel := StreamNotifyRecord{CallbackCommon: CallbackCommon{AppName: "sentinel"}}
			records[0], records[3], records[4], records[5] = sentinel, sentinel, sentinel, sentinel
			window := records[1:1:3]
			env := &pageEnvelope[StreamNotifyRecord]{}
			*op.items(env) = window
			err := decodeBody(body, env)
			if err != nil {
				var malformed *malformedBodyError
				if !errors.As(err, &malformed) || !classify(op.Action, err).Retryable {
					t.Fatalf("decode error %v is not a retryable malformed body", err)
				}
			}
			for _, i := range []int{0, 3, 4, 5} {
				if records[i] != sentinel {
					t.Fatalf("decoding wrote outside its window at %d: %+v", i, records[i])
				}
			}
			if got := *op.items(env); err == nil && len(got) <= 2 && len(got) > 0 && &got[0] != &records[1] {
				t.Fatalf("a page that fits its window was not decoded in place")
			}
		}
	})
}
