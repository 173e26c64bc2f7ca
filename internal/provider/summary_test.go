package provider

import (
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

func callback(t, result, typ, url, app, stream, desc string) *liveapi.CallbackCommon {
	return &liveapi.CallbackCommon{
		NotifyTime: t, NotifyResult: result, NotifyType: typ, NotifyURL: url, AppName: app, StreamName: stream, Description: desc,
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
	if s.Total != 5 || s.Success != 2 || s.Failed != 3 {
		t.Fatalf("counts: got total=%d success=%d failed=%d, want 5/2/3", s.Total, s.Success, s.Failed)
	}
	if s.FailureRatio != 0.6 {
		t.Errorf("failure_ratio: got %v, want 0.6", s.FailureRatio)
	}
	if s.ByNotifyType["publish"] != 3 || s.ByNotifyType["publish_done"] != 2 || len(s.ByNotifyType) != 2 {
		t.Errorf("by_notify_type: got %v", s.ByNotifyType)
	}
	if s.FailedByNotifyType["publish"] != 2 || s.FailedByNotifyType["publish_done"] != 1 {
		t.Errorf("failed_by_notify_type: got %v", s.FailedByNotifyType)
	}
	if got := s.LatestNotifyTime.ValueString(); got != "2024-05-01T10:00:05Z" {
		t.Errorf("latest_notify_time: got %s", got)
	}
	if got := s.LatestFailureTime.ValueString(); got != "2024-05-01T10:00:05Z" {
		t.Errorf("latest_failure_time: got %s", got)
	}
	if got := s.LatestFailureDescription.ValueString(); got != "timeout" {
		t.Errorf("latest_failure_description: got %s", got)
	}
	if s.ConsecutiveFailures != 2 {
		t.Errorf("consecutive_failures: got %d, want 2 (the failures after the newest success)", s.ConsecutiveFailures)
	}
	if got := s.FailedNotifyURLs; len(got) != 2 || got[0] != "http://a/cb" || got[1] != "http://b/cb" {
		t.Errorf("failed_notify_urls: got %v", got)
	}
	if got := s.FailedStreams; len(got) != 2 || got[0] != "app/s1" || got[1] != "app/s2" {
		t.Errorf("failed_streams: got %v", got)
	}
}

func TestSummarizeIsOrderIndependent(t *testing.T) {
	records := []*liveapi.CallbackCommon{
		callback("2024-05-01T10:00:01Z", "success", "publish", "u", "a", "s", "success"),
		callback("2024-05-01T10:00:09Z", "failed", "publish", "u", "a", "s", "newest failure"),
		callback("2024-05-01T10:00:03Z", "failed", "publish", "u", "a", "s", "older failure"),
	}
	s := summarize(records)
	if s.LatestFailureDescription.ValueString() != "newest failure" || s.LatestNotifyTime.ValueString() != "2024-05-01T10:00:09Z" {
		t.Errorf("latest values depend on order: %+v", s)
	}
	if s.ConsecutiveFailures != 2 {
		t.Errorf("consecutive_failures: got %d, want 2", s.ConsecutiveFailures)
	}
}

func TestSummarizeEmpty(t *testing.T) {
	s := summarize(nil)
	if s.Total != 0 || s.FailureRatio != 0 || s.ConsecutiveFailures != 0 {
		t.Errorf("empty summary not zero: %+v", s)
	}
	if !s.LatestNotifyTime.IsNull() || !s.LatestFailureTime.IsNull() || !s.LatestFailureDescription.IsNull() {
		t.Errorf("latest times must be null without records: %+v", s)
	}
	if s.ByNotifyType == nil || s.FailedNotifyURLs == nil {
		t.Errorf("maps and lists must be empty, not null")
	}
}

// TestSummarizeAllFailed: with no success in the window, every failure is
// consecutive; a gate must not read "recovered".
func TestSummarizeAllFailed(t *testing.T) {
	records := []*liveapi.CallbackCommon{
		callback("2024-05-01T10:00:03Z", "failed", "publish", "u", "a", "s", "timeout"),
		callback("2024-05-01T10:00:01Z", "failed", "publish", "u", "a", "s", "timeout"),
		callback("2024-05-01T10:00:02Z", "failed", "publish_done", "u", "a", "s", "502"),
	}
	s := summarize(records)
	if s.ConsecutiveFailures != 3 || s.Failed != 3 || s.Success != 0 {
		t.Errorf("consecutive_failures %d, failed %d, success %d; want 3, 3, 0", s.ConsecutiveFailures, s.Failed, s.Success)
	}
}
