package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

func callback(t, result, typ, url, app, stream, desc string) *liveapi.CallbackCommon {
	return &liveapi.CallbackCommon{
		NotifyTime: t, NotifyResult: result, NotifyType: typ, NotifyURL: url, AppName: app, StreamName: stream, Description: desc,
	}
}

// health is a healthModel for the literal expectations below; "" is null.
func health(total, success, failed, consecutive int64, latest, latestFailure, desc string) healthModel {
	h := healthModel{Total: total, Success: success, Failed: failed, ConsecutiveFailures: consecutive,
		LatestNotifyTime: nullIfEmpty(latest), LatestFailureTime: nullIfEmpty(latestFailure), LatestFailureDescription: nullIfEmpty(desc)}
	if total > 0 {
		h.FailureRatio = float64(failed) / float64(total)
	}
	return h
}

func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func checkHealth(t *testing.T, what string, got, want healthModel) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

func TestSummarize(t *testing.T) {
	records := []*liveapi.CallbackCommon{
		callback("2024-05-01T10:00:05Z", "failed", "publish", "http://b/cb", "app", "s2", "timeout"),
		callback("2024-05-01T10:00:04Z", "failed", "publish_done", "http://a/cb", "app", "s1", "502 Bad Gateway"),
		callback("2024-05-01T10:00:03Z", "success", "publish", "http://a/cb", "app", "s1", "success"),
		callback("2024-05-01T10:00:02Z", "failed", "publish", "http://a/cb", "app", "s1", "old failure"),
		callback("2024-05-01T10:00:01Z", "success", "publish_done", "http://a/cb", "app", "s1", "success"),
	}
	s := summarize(records)
	checkHealth(t, "summary", s.healthModel, health(5, 2, 3, 2, "2024-05-01T10:00:05Z", "2024-05-01T10:00:05Z", "timeout"))
	if len(s.ByNotifyType) != 2 || len(s.ByNotifyURL) != 2 {
		t.Fatalf("by_notify_type %v, by_notify_url %v: want two entries each", s.ByNotifyType, s.ByNotifyURL)
	}
	checkHealth(t, "publish", s.ByNotifyType["publish"], health(3, 1, 2, 1, "2024-05-01T10:00:05Z", "2024-05-01T10:00:05Z", "timeout"))
	checkHealth(t, "publish_done", s.ByNotifyType["publish_done"], health(2, 1, 1, 1, "2024-05-01T10:00:04Z", "2024-05-01T10:00:04Z", "502 Bad Gateway"))
	checkHealth(t, "http://a/cb", s.ByNotifyURL["http://a/cb"], health(4, 2, 2, 1, "2024-05-01T10:00:04Z", "2024-05-01T10:00:04Z", "502 Bad Gateway"))
	checkHealth(t, "http://b/cb", s.ByNotifyURL["http://b/cb"], health(1, 0, 1, 1, "2024-05-01T10:00:05Z", "2024-05-01T10:00:05Z", "timeout"))
	if got := s.FailedNotifyURLs; len(got) != 2 || got[0] != "http://a/cb" || got[1] != "http://b/cb" {
		t.Errorf("failed_notify_urls: got %v", got)
	}
	want := map[string]int64{"app/s1": 1, "app/s2": 1}
	if fmt.Sprint(s.FailedStreams) != fmt.Sprint(want) {
		t.Errorf("failed_streams: got %v, want %v", s.FailedStreams, want)
	}
}

// TestSummarizeOneTypeStillFailing is issue 17's first case: every publish
// succeeds and the newest publish_done callbacks fail. The newest callback of
// all is a success, so the summary's own consecutive_failures is 0; the
// type's health says publish_done is still failing.
func TestSummarizeOneTypeStillFailing(t *testing.T) {
	base := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	var records []*liveapi.CallbackCommon
	at := func(i int) string { return base.Add(-time.Duration(i) * time.Minute).Format(liveapi.TimeLayout) }
	for i := range 150 {
		records = append(records, callback(at(2*i), "success", "publish", "http://hooks/cb", "app", fmt.Sprint("s", i%7), "success"))
		result, desc := "success", "success"
		if i < 5 {
			result, desc = "failed", "callback failed: HTTP 502 Bad Gateway"
		}
		records = append(records, callback(at(2*i+1), result, "publish_done", "http://hooks/cb", "app", fmt.Sprint("s", i%7), desc))
	}
	s := summarize(records)
	if s.ConsecutiveFailures != 0 || s.Failed != 5 {
		t.Fatalf("the summary: consecutive_failures %d, failed %d; want 0 and 5", s.ConsecutiveFailures, s.Failed)
	}
	if got := s.ByNotifyType["publish_done"].ConsecutiveFailures; got != 5 {
		t.Errorf("publish_done consecutive_failures: got %d, want 5", got)
	}
	if got := s.ByNotifyType["publish"].ConsecutiveFailures; got != 0 {
		t.Errorf("publish consecutive_failures: got %d, want 0", got)
	}
	// The webhook receives both types: its newest callback succeeded.
	if got := s.ByNotifyURL["http://hooks/cb"].ConsecutiveFailures; got != 0 {
		t.Errorf("the webhook's consecutive_failures: got %d, want 0", got)
	}
	if len(s.FailedStreams) != 5 {
		t.Errorf("failed_streams: got %v, want the 5 streams of the failures", s.FailedStreams)
	}
}

// TestSummarizeSameSecond: a failure in the same second as the newest
// success is not counted as still failing (the API's whole seconds cannot
// order them); one a second later is.
func TestSummarizeSameSecond(t *testing.T) {
	s := summarize([]*liveapi.CallbackCommon{
		callback("2024-05-01T10:00:05Z", "failed", "publish", "u", "a", "s", "timeout"),
		callback("2024-05-01T10:00:05Z", "success", "publish", "u", "a", "s", "success"),
		callback("2024-05-01T10:00:04Z", "failed", "publish", "u", "a", "s", "timeout"),
	})
	if s.ConsecutiveFailures != 0 {
		t.Errorf("consecutive_failures: got %d, want 0", s.ConsecutiveFailures)
	}
	s = summarize([]*liveapi.CallbackCommon{
		callback("2024-05-01T10:00:06Z", "failed", "publish", "u", "a", "s", "timeout"),
		callback("2024-05-01T10:00:05Z", "success", "publish", "u", "a", "s", "success"),
	})
	if s.ConsecutiveFailures != 1 {
		t.Errorf("consecutive_failures: got %d, want 1", s.ConsecutiveFailures)
	}
}

func TestSummarizeIsOrderIndependent(t *testing.T) {
	records := []*liveapi.CallbackCommon{
		callback("2024-05-01T10:00:01Z", "success", "publish", "u", "a", "s", "success"),
		callback("2024-05-01T10:00:09Z", "failed", "publish", "u", "a", "s", "newest failure"),
		callback("2024-05-01T10:00:03Z", "failed", "publish", "u", "a", "s", "older failure"),
	}
	forward := summarize(records)
	backward := summarize([]*liveapi.CallbackCommon{records[2], records[1], records[0]})
	if fmt.Sprint(forward) != fmt.Sprint(backward) {
		t.Errorf("the summary depends on the order of the records:\n%+v\n%+v", forward, backward)
	}
	checkHealth(t, "summary", forward.healthModel, health(3, 1, 2, 2, "2024-05-01T10:00:09Z", "2024-05-01T10:00:09Z", "newest failure"))
}

func TestSummarizeEmpty(t *testing.T) {
	s := summarize(nil)
	checkHealth(t, "summary", s.healthModel, health(0, 0, 0, 0, "", "", ""))
	if s.ByNotifyType == nil || s.ByNotifyURL == nil || s.FailedNotifyURLs == nil || s.FailedStreams == nil {
		t.Errorf("maps and lists must be empty, not null: %+v", s)
	}
}

// TestSummarizeAllFailed: with no success in the window, every failure is
// consecutive; a gate must not read "recovered". This is also what a query
// with status = "failed" returns.
func TestSummarizeAllFailed(t *testing.T) {
	records := []*liveapi.CallbackCommon{
		callback("2024-05-01T10:00:03Z", "failed", "publish", "u", "a", "s", "timeout"),
		callback("2024-05-01T10:00:01Z", "failed", "publish", "u", "a", "s", "timeout"),
		callback("2024-05-01T10:00:02Z", "failed", "publish_done", "u", "a", "s", "502"),
	}
	s := summarize(records)
	checkHealth(t, "summary", s.healthModel, health(3, 0, 3, 3, "2024-05-01T10:00:03Z", "2024-05-01T10:00:03Z", "timeout"))
	if s.FailureRatio != 1 || s.ByNotifyType["publish"].ConsecutiveFailures != 2 || s.ByNotifyType["publish_done"].ConsecutiveFailures != 1 {
		t.Errorf("per type: %+v", s.ByNotifyType)
	}
}
