package emulator

import (
	"fmt"
	"time"
)

// Fixture domains hold a few hand-written records that tests can assert
// literally. They are always part of the data set, next to generated ones.
const (
	// FixtureRecordDomain holds the DescribeLiveRecordNotifyRecords document's
	// example record (Now-1h) and a failed callback (Now-2h).
	FixtureRecordDomain = "example.com"
	// FixtureStreamDomain holds the DescribeLiveStreamsNotifyRecords
	// document's example record (Now-1h) and a failed publish (Now-2h).
	FixtureStreamDomain = "push.example1.com"
	// FixtureFailingTypeDomain holds callbacks of both kinds in which one
	// event type is still failing while the others succeed, all sent to one
	// webhook: see FixtureFailingTypeStreamRecords.
	FixtureFailingTypeDomain = "publish-done-down.example.com"
)

// Values from the documents' example responses, verbatim.
const (
	// DocRecordNotifyContent is the record document's NotifyContent: non-ASCII
	// text followed by JSON (note the space in "pull _stream_result").
	DocRecordNotifyContent = `7月26日 16:14{"domain":"al.xxxx.com","stream":"livestream01","pull _stream_result":true,"cdn":"al"}`
	// DocRecordNotifyResponse is the record document's NotifyResponse.
	DocRecordNotifyResponse = `{"Code":0,"Msg":"Success"}`
	// DocRecordNotifyURL is the record document's NotifyUrl.
	DocRecordNotifyURL = "http://learn.aliyundoc.com/examplecallback.action"
	// DocStreamNotifyContent is the stream document's NotifyContent as its
	// example JSON decodes: the backslashes are part of the value.
	DocStreamNotifyContent = `{\"action\":\"publish_done\",\"app\":\"push.example1.com\"}`
	// DocStreamNotifyURL is the stream document's NotifyUrl.
	DocStreamNotifyURL = "http://xx.xx.xx.xx/callbacks"
)

// Offsets of the fixture records before Now (truncated to whole seconds).
const (
	FixtureNewestAge = time.Hour
	FixtureOlderAge  = 2 * time.Hour
)

// FixtureRecordCallbacks returns the FixtureRecordDomain records as they are
// stored for a server whose clock read now at construction (IDs unset):
//
//	[0] the document example: liveApp****/liveStream****, record_started,
//	    success, StorageType "oss", NotifyTime now-1h
//	[1] a failed file_created callback to the same URL, StorageType "vod",
//	    NotifyTime now-2h
func FixtureRecordCallbacks(now time.Time) []RecordCallback {
	base := now.UTC().Truncate(time.Second)
	return []RecordCallback{
		{
			Notify: Notify{
				DomainName:     FixtureRecordDomain,
				AppName:        "liveApp****",
				StreamName:     "liveStream****",
				NotifyTime:     base.Add(-FixtureNewestAge),
				NotifyType:     "record_started",
				NotifyResult:   "success",
				Description:    "success",
				NotifyURL:      DocRecordNotifyURL,
				NotifyContent:  DocRecordNotifyContent,
				NotifyHeader:   "",
				NotifyResponse: DocRecordNotifyResponse,
			},
			StorageType: "oss",
		},
		{
			Notify: Notify{
				DomainName:     FixtureRecordDomain,
				AppName:        "liveApp****",
				StreamName:     "liveStream****",
				NotifyTime:     base.Add(-FixtureOlderAge),
				NotifyType:     "file_created",
				NotifyResult:   "failed",
				Description:    "callback failed: HTTP 502 Bad Gateway",
				NotifyURL:      DocRecordNotifyURL,
				NotifyContent:  `{"domain":"example.com","app":"liveApp****","stream":"liveStream****","uri":"record/liveApp****/liveStream****/2022-10-19-18-09-28_2022-10-19-19-09-28.m3u8","duration":3600.012,"start_time":1666202968,"stop_time":1666206568}`,
				NotifyHeader:   `{"Content-Type":"application/json"}`,
				NotifyResponse: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
			},
			StorageType: "vod",
		},
	}
}

// FixtureStreamRecords returns the FixtureStreamDomain records (IDs unset):
//
//	[0] the document example: app/stream, publish_done, success, now-1h
//	[1] a failed publish callback (read timeout) to the same URL, now-2h
func FixtureStreamRecords(now time.Time) []StreamRecord {
	base := now.UTC().Truncate(time.Second)
	return []StreamRecord{
		{Notify: Notify{
			DomainName:     FixtureStreamDomain,
			AppName:        "app",
			StreamName:     "stream",
			NotifyTime:     base.Add(-FixtureNewestAge),
			NotifyType:     "publish_done",
			NotifyResult:   "success",
			Description:    "success",
			NotifyURL:      DocStreamNotifyURL,
			NotifyContent:  DocStreamNotifyContent,
			NotifyHeader:   "",
			NotifyResponse: "",
		}},
		{Notify: Notify{
			DomainName:     FixtureStreamDomain,
			AppName:        "app",
			StreamName:     "stream",
			NotifyTime:     base.Add(-FixtureOlderAge),
			NotifyType:     "publish",
			NotifyResult:   "failed",
			Description:    "callback failed: read timeout after 5s",
			NotifyURL:      DocStreamNotifyURL,
			NotifyContent:  `{\"action\":\"publish\",\"app\":\"push.example1.com\"}`,
			NotifyHeader:   "",
			NotifyResponse: "",
		}},
	}
}

// Shape of the FixtureFailingTypeDomain records.
const (
	// FailingTypePairs is how many callbacks of each of its two event types
	// the domain holds, one a minute, alternating, the newest a minute
	// before Now.
	FailingTypePairs = 150
	// FailingTypeRun is how many of the failing type's newest callbacks
	// failed: its only failures.
	FailingTypeRun = 5
	// FailingTypeURL is the webhook of every FixtureFailingTypeDomain
	// callback.
	FailingTypeURL = "https://hooks.publish-done-down.example.com/live"
)

// FixtureFailingTypeStreamRecords returns the FixtureFailingTypeDomain
// stream-ingest callbacks (IDs unset): FailingTypePairs publish callbacks,
// all successful, at Now-1m, Now-3m, ..., and as many publish_done
// callbacks at Now-2m, Now-4m, ..., of which the newest FailingTypeRun
// failed. The newest callback of all is a success and so is the webhook's
// newest: only publish_done, judged on its own, is still failing.
func FixtureFailingTypeStreamRecords(now time.Time) []StreamRecord {
	out := make([]StreamRecord, 0, 2*FailingTypePairs)
	for _, n := range failingTypeRun(now, "publish", "publish_done") {
		n.NotifyContent = `{"action":"` + n.NotifyType + `","app":"` + FixtureFailingTypeDomain + `","appname":"` + n.AppName + `","id":"` + n.StreamName + `"}`
		out = append(out, StreamRecord{Notify: n})
	}
	return out
}

// FixtureFailingTypeRecordCallbacks returns the FixtureFailingTypeDomain
// recording callbacks, shaped as FixtureFailingTypeStreamRecords: every
// record_started succeeded, and the newest FailingTypeRun file_created
// callbacks failed.
func FixtureFailingTypeRecordCallbacks(now time.Time) []RecordCallback {
	out := make([]RecordCallback, 0, 2*FailingTypePairs)
	for _, n := range failingTypeRun(now, "record_started", "file_created") {
		n.NotifyContent = `{"domain":"` + FixtureFailingTypeDomain + `","app":"` + n.AppName + `","stream":"` + n.StreamName + `","event":"` + n.NotifyType + `"}`
		out = append(out, RecordCallback{Notify: n, StorageType: "oss"})
	}
	return out
}

// failingTypeRun is the shared shape of the FixtureFailingTypeDomain
// records: healthy and failing alternate, one a minute back from now.
func failingTypeRun(now time.Time, healthy, failing string) []Notify {
	base := now.UTC().Truncate(time.Second)
	out := make([]Notify, 0, 2*FailingTypePairs)
	for i := range 2 * FailingTypePairs {
		n := Notify{
			DomainName: FixtureFailingTypeDomain, AppName: "live", StreamName: fmt.Sprintf("room-%d", i/2%7),
			NotifyTime: base.Add(-time.Duration(i+1) * time.Minute), NotifyType: healthy,
			NotifyResult: "success", Description: "success", NotifyURL: FailingTypeURL, NotifyResponse: "OK",
		}
		if i%2 == 1 {
			n.NotifyType = failing
			if i/2 < FailingTypeRun {
				n.NotifyResult, n.Description, n.NotifyResponse = "failed", "callback failed: HTTP 502 Bad Gateway", failures[0].response
			}
		}
		out = append(out, n)
	}
	return out
}

// BurstRecordCallbacks returns n file_created recording callbacks of domain
// crowded into few seconds before end; see burst.
func BurstRecordCallbacks(domain string, end time.Time, n, perSecond int) []RecordCallback {
	out := make([]RecordCallback, 0, n)
	for _, b := range burst(domain, end, n, perSecond) {
		b.NotifyType = "file_created"
		out = append(out, RecordCallback{Notify: b, StorageType: "oss"})
	}
	return out
}

// BurstStreamRecords returns n publish callbacks of domain crowded into few
// seconds before end; see burst.
func BurstStreamRecords(domain string, end time.Time, n, perSecond int) []StreamRecord {
	out := make([]StreamRecord, 0, n)
	for _, b := range burst(domain, end, n, perSecond) {
		b.NotifyType = "publish"
		out = append(out, StreamRecord{Notify: b})
	}
	return out
}

// burst returns n callbacks of domain crowded into few seconds, the newest
// one second before end: second k (counting back from end, from 0) holds
// perSecond − (k·37 mod perSecond) records, so that ties of varied sizes
// straddle page boundaries wherever they fall, as on a busy domain where
// many streams start on the hour. StreamNames are unique ("burst-00000", …),
// so a reader can tell a repeated record from a distinct one; every 10th
// callback failed.
func burst(domain string, end time.Time, n, perSecond int) []Notify {
	out := make([]Notify, 0, n)
	at := end.UTC().Truncate(time.Second)
	for k := 0; len(out) < n; k++ {
		at = at.Add(-time.Second)
		for range min(perSecond-(k*37)%perSecond, n-len(out)) {
			result, description := "success", "success"
			if len(out)%10 == 9 {
				result, description = "failed", "callback failed: HTTP 502 Bad Gateway"
			}
			out = append(out, Notify{
				DomainName: domain, AppName: "live", StreamName: fmt.Sprintf("burst-%05d", len(out)),
				NotifyTime: at, NotifyResult: result, Description: description,
				NotifyURL: "http://callbacks.example.com/live",
			})
		}
	}
	return out
}
