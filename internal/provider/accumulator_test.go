package provider

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// summarize is the summary of records, added in their order, with no
// window.
func summarize(records []*liveapi.CallbackCommon) summaryModel {
	a := newAccumulator(nil, time.Time{})
	for _, c := range records {
		a.add(c)
	}
	return a.summary()
}

// summarizeStream is the summary of stream records, over windows ending at
// the newest record's second plus one.
func summarizeStream(records []liveapi.StreamNotifyRecord, windows []summaryWindow) summaryModel {
	var end time.Time
	for i := range records {
		if t, err := time.Parse(liveapi.TimeLayout, records[i].NotifyTime); err == nil && !t.Before(end) {
			end = t.Add(time.Second)
		}
	}
	a := newAccumulator(windows, end)
	for i := range records {
		a.add(&records[i].CallbackCommon)
	}
	return a.summary()
}

func callback(t, result, typ, url, app, stream, desc string) *liveapi.CallbackCommon {
	return &liveapi.CallbackCommon{
		NotifyTime: t, NotifyResult: result, NotifyType: typ, NotifyURL: url, AppName: app, StreamName: stream, Description: desc,
	}
}

// health is a healthModel for the literal expectations below, without
// windows; "" is null.
func health(total, success, failed int64, ratio float64, consecutive int64, latest, latestFailure, desc string) healthModel {
	return healthModel{Total: total, Success: success, Failed: failed, FailureRatio: ratio, ConsecutiveFailures: consecutive,
		LatestNotifyTime: nullIfEmpty(latest), LatestFailureTime: nullIfEmpty(latestFailure), LatestFailureDescription: nullIfEmpty(desc),
		Windows: map[string]windowModel{}}
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
	checkHealth(t, "summary", s.healthModel, health(5, 2, 3, 0.6, 2, "2024-05-01T10:00:05Z", "2024-05-01T10:00:05Z", "timeout"))
	if len(s.ByNotifyType) != 2 || len(s.ByNotifyURL) != 2 {
		t.Fatalf("by_notify_type %v, by_notify_url %v: want two entries each", s.ByNotifyType, s.ByNotifyURL)
	}
	checkHealth(t, "publish", s.ByNotifyType["publish"], health(3, 1, 2, 2.0/3, 1, "2024-05-01T10:00:05Z", "2024-05-01T10:00:05Z", "timeout"))
	checkHealth(t, "publish_done", s.ByNotifyType["publish_done"], health(2, 1, 1, 0.5, 1, "2024-05-01T10:00:04Z", "2024-05-01T10:00:04Z", "502 Bad Gateway"))
	checkHealth(t, "http://a/cb", s.ByNotifyURL["http://a/cb"], health(4, 2, 2, 0.5, 1, "2024-05-01T10:00:04Z", "2024-05-01T10:00:04Z", "502 Bad Gateway"))
	checkHealth(t, "http://b/cb", s.ByNotifyURL["http://b/cb"], health(1, 0, 1, 1, 1, "2024-05-01T10:00:05Z", "2024-05-01T10:00:05Z", "timeout"))
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
	checkHealth(t, "summary", forward.healthModel, health(3, 1, 2, 2.0/3, 2, "2024-05-01T10:00:09Z", "2024-05-01T10:00:09Z", "newest failure"))
}

func TestSummarizeEmpty(t *testing.T) {
	s := summarize(nil)
	checkHealth(t, "summary", s.healthModel, health(0, 0, 0, 0, 0, "", "", ""))
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
	checkHealth(t, "summary", s.healthModel, health(3, 0, 3, 1, 3, "2024-05-01T10:00:03Z", "2024-05-01T10:00:03Z", "timeout"))
	if s.FailureRatio != 1 || s.ByNotifyType["publish"].ConsecutiveFailures != 2 || s.ByNotifyType["publish_done"].ConsecutiveFailures != 1 {
		t.Errorf("per type: %+v", s.ByNotifyType)
	}
}

// permutations calls f with every order of recs.
func permutations(recs []*liveapi.CallbackCommon, f func([]*liveapi.CallbackCommon)) {
	var rec func(k int)
	rec = func(k int) {
		if k == len(recs) {
			f(slices.Clone(recs))
			return
		}
		for i := k; i < len(recs); i++ {
			recs[k], recs[i] = recs[i], recs[k]
			rec(k + 1)
			recs[k], recs[i] = recs[i], recs[k]
		}
	}
	rec(0)
}

// Same-second ties (issue 27, point 4): whatever order the API lists the
// callbacks of one second in, every output is the same, per type, per
// webhook and per stream: latest_failure_description is the description of
// the newest second's failures that sorts first, and a failure in the
// second of the newest success is not "still failing".
func TestSummarizeSameSecondTies(t *testing.T) {
	const newest, older = "2024-05-01T10:00:05Z", "2024-05-01T10:00:04Z"
	records := []*liveapi.CallbackCommon{
		// publish to hook a, stream s1: two failures in the newest second.
		callback(newest, "failed", "publish", "http://a/cb", "app", "s1", "timeout"),
		callback(newest, "failed", "publish", "http://a/cb", "app", "s1", "HTTP 502"),
		// publish_done to hook b, stream s2: a failure and a success in the
		// newest second, a failure before.
		callback(newest, "failed", "publish_done", "http://b/cb", "app", "s2", "connection refused"),
		callback(newest, "success", "publish_done", "http://b/cb", "app", "s2", "success"),
		callback(older, "failed", "publish_done", "http://b/cb", "app", "s2", "HTTP 500"),
	}
	var first string
	permutations(records, func(order []*liveapi.CallbackCommon) {
		s := summarize(order)
		checkHealth(t, "summary", s.healthModel, health(5, 1, 4, 0.8, 0, newest, newest, "HTTP 502"))
		checkHealth(t, "publish", s.ByNotifyType["publish"], health(2, 0, 2, 1, 2, newest, newest, "HTTP 502"))
		checkHealth(t, "publish_done", s.ByNotifyType["publish_done"], health(3, 1, 2, 2.0/3, 0, newest, newest, "connection refused"))
		checkHealth(t, "hook a", s.ByNotifyURL["http://a/cb"], health(2, 0, 2, 1, 2, newest, newest, "HTTP 502"))
		checkHealth(t, "hook b", s.ByNotifyURL["http://b/cb"], health(3, 1, 2, 2.0/3, 0, newest, newest, "connection refused"))
		if want := map[string]int64{"app/s1": 2, "app/s2": 0}; !maps.Equal(s.FailedStreams, want) {
			t.Errorf("failed_streams %v, want %v", s.FailedStreams, want)
		}
		if got := fmt.Sprint(s); first == "" {
			first = got
		} else if got != first {
			t.Errorf("the summary depends on the order of one second's callbacks:\n%s\n%s", first, got)
		}
	})
}

// windowsFor is windows parsed for a test.
func windowsFor(t *testing.T, names ...string) []summaryWindow {
	t.Helper()
	var out []summaryWindow
	for _, n := range names {
		d, err := parseWindow(n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, summaryWindow{n, d})
	}
	return out
}

// Trailing windows cover NotifyTime in [end - w, end): a callback exactly w
// before the end is in, one a second older is out. Literal counts per
// window, domain-wide, per type and per webhook.
func TestAccumulatorWindows(t *testing.T) {
	end := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	records := []*liveapi.CallbackCommon{
		callback("2024-05-01T11:59:59Z", "failed", "publish", "http://a/cb", "app", "s1", "timeout"),
		callback("2024-05-01T11:55:00Z", "success", "publish", "http://a/cb", "app", "s1", "success"),      // 5m: in
		callback("2024-05-01T11:54:59Z", "failed", "publish_done", "http://b/cb", "app", "s1", "HTTP 502"), // 5m: out
		callback("2024-05-01T11:00:00Z", "failed", "publish", "http://b/cb", "app", "s2", "HTTP 502"),      // 1h: in
		callback("2024-05-01T10:59:59Z", "success", "publish", "http://a/cb", "app", "s2", "success"),      // 1h: out
		callback("2024-04-30T12:00:00Z", "failed", "publish", "http://a/cb", "app", "s2", "timeout"),       // 24h: in
	}
	a := newAccumulator(windowsFor(t, "5m", "1h", "24h"), end)
	for _, c := range records {
		a.add(c)
	}
	s := a.summary()
	w := func(total, failed int64, ratio float64) windowModel { return windowModel{total, failed, ratio} }
	for _, tc := range []struct {
		name string
		got  map[string]windowModel
		want map[string]windowModel
	}{
		{"summary", s.Windows, map[string]windowModel{"5m": w(2, 1, 0.5), "1h": w(4, 3, 0.75), "24h": w(6, 4, 4.0/6)}},
		{"publish", s.ByNotifyType["publish"].Windows, map[string]windowModel{"5m": w(2, 1, 0.5), "1h": w(3, 2, 2.0/3), "24h": w(5, 3, 0.6)}},
		{"publish_done", s.ByNotifyType["publish_done"].Windows, map[string]windowModel{"5m": w(0, 0, 0), "1h": w(1, 1, 1), "24h": w(1, 1, 1)}},
		{"hook a", s.ByNotifyURL["http://a/cb"].Windows, map[string]windowModel{"5m": w(2, 1, 0.5), "1h": w(2, 1, 0.5), "24h": w(4, 2, 0.5)}},
		{"hook b", s.ByNotifyURL["http://b/cb"].Windows, map[string]windowModel{"5m": w(0, 0, 0), "1h": w(2, 2, 1), "24h": w(2, 2, 1)}},
	} {
		if !maps.Equal(tc.got, tc.want) {
			t.Errorf("%s windows:\n got  %v\n want %v", tc.name, tc.got, tc.want)
		}
	}
}

// failed_streams keeps the 100 worst failing streams: most consecutive
// failures, then most failures, then by name; failed_streams_omitted counts
// the others.
func TestFailedStreamsCap(t *testing.T) {
	const at = "2024-05-01T10:00:0%dZ"
	var records []*liveapi.CallbackCommon
	fail := func(stream string, n int) {
		for i := range n {
			records = append(records, callback(fmt.Sprintf(at, i+1), "failed", "publish", "u", "app", stream, "timeout"))
		}
	}
	// 98 streams failing 3 in a row: all kept.
	for i := range 98 {
		fail(fmt.Sprintf("bad-%03d", i), 3)
	}
	// Five streams whose newest failures follow a success: 2 in a row
	// each, over 3 or 2 failures in all.
	for i, stream := range []string{"e", "d", "c", "b", "a"} {
		records = append(records, callback(fmt.Sprintf(at, 5), "success", "publish", "u", "app", stream, "success"))
		fail(stream, 0)
		records = append(records, callback(fmt.Sprintf(at, 6), "failed", "publish", "u", "app", stream, "timeout"),
			callback(fmt.Sprintf(at, 7), "failed", "publish", "u", "app", stream, "timeout"))
		if i < 2 { // e and d failed once more, before the success.
			records = append(records, callback(fmt.Sprintf(at, 1), "failed", "publish", "u", "app", stream, "timeout"))
		}
	}
	// A stream that recovered and one that never failed.
	records = append(records, callback(fmt.Sprintf(at, 1), "failed", "publish", "u", "app", "recovered", "timeout"),
		callback(fmt.Sprintf(at, 2), "success", "publish", "u", "app", "recovered", "success"),
		callback(fmt.Sprintf(at, 2), "success", "publish", "u", "app", "fine", "success"))
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(records), func(i, j int) { records[i], records[j] = records[j], records[i] })

	s := summarize(records)
	if len(s.FailedStreams) != 100 || s.FailedStreamsOmitted != 4 {
		t.Fatalf("failed_streams has %d, omitted %d; want 100 and 4", len(s.FailedStreams), s.FailedStreamsOmitted)
	}
	for i := range 98 {
		if got := s.FailedStreams[fmt.Sprintf("app/bad-%03d", i)]; got != 3 {
			t.Errorf("app/bad-%03d: %d, want 3", i, got)
		}
	}
	// Of the five at 2, d and e failed 3 times: they come before a, b and
	// c, which failed twice; of those the names decide, and none is left
	// for them; "recovered" (0) comes last.
	if want := map[string]int64{"app/d": 2, "app/e": 2}; s.FailedStreams["app/d"] != 2 || s.FailedStreams["app/e"] != 2 {
		t.Errorf("want %v among failed_streams: %v", want, s.FailedStreams)
	}
	for _, out := range []string{"app/a", "app/b", "app/c", "app/recovered", "app/fine"} {
		if _, ok := s.FailedStreams[out]; ok {
			t.Errorf("%s is listed; the 100 worst leave it out", out)
		}
	}

	// With room for 101, the first of the three at 2 by name comes in.
	a := newAccumulator(nil, time.Time{})
	for _, c := range records {
		a.add(c)
	}
	got, omitted := worstStreams(a.byStream, 101)
	if _, ok := got["app/a"]; !ok || omitted != 3 || got["app/a"] != 2 {
		t.Errorf("at 101: app/a %d (listed %v), omitted %d; want app/a 2 and 3 omitted", got["app/a"], ok, omitted)
	}
}

// A stream is keyed app/stream: two pairs that join to one key are one
// stream, as the key says, and a plain name is unchanged.
func TestStreamKeys(t *testing.T) {
	s := summarize([]*liveapi.CallbackCommon{
		callback("2024-05-01T10:00:02Z", "failed", "publish", "u", "live/a", "b", "timeout"),
		callback("2024-05-01T10:00:01Z", "failed", "publish", "u", "live", "a/b", "timeout"),
		callback("2024-05-01T10:00:01Z", "failed", "publish", "u", "live", "a", "timeout"),
	})
	if want := map[string]int64{"live/a/b": 2, "live/a": 1}; !maps.Equal(s.FailedStreams, want) {
		t.Errorf("failed_streams %v, want %v", s.FailedStreams, want)
	}
}

func TestPackedTime(t *testing.T) {
	for _, s := range []string{"2024-05-01T10:00:05Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2024-02-29T00:00:01Z"} {
		if got := packTime(s).String(); got != s {
			t.Errorf("packTime(%q).String() = %q", s, got)
		}
	}
	if packTime("2024-05-01T10:00:05Z") != 20240501100005 || packTime("2024-05-01T10:00:05Z") <= packTime("2024-04-30T23:59:59Z") {
		t.Errorf("packTime does not order times")
	}
}

// modelSummary is the summary computed the plain way, from every record at
// once: the independent model the accumulator is checked against.
func modelSummary(records []*liveapi.CallbackCommon, windows []summaryWindow, end time.Time) summaryModel {
	healthOf := func(recs []*liveapi.CallbackCommon) healthModel {
		h := healthModel{LatestNotifyTime: types.StringNull(), LatestFailureTime: types.StringNull(),
			LatestFailureDescription: types.StringNull(), Windows: map[string]windowModel{}}
		var latest, latestSuccess, latestFailure time.Time
		for _, r := range recs {
			at, _ := time.Parse(time.RFC3339, r.NotifyTime)
			h.Total++
			if at.After(latest) {
				latest = at
			}
			switch r.NotifyResult {
			case "success":
				h.Success++
				if at.After(latestSuccess) {
					latestSuccess = at
				}
			case "failed":
				h.Failed++
				if at.After(latestFailure) {
					latestFailure = at
				}
			}
		}
		var descs []string
		for _, r := range recs {
			at, _ := time.Parse(time.RFC3339, r.NotifyTime)
			if r.NotifyResult == "failed" && at.After(latestSuccess) {
				h.ConsecutiveFailures++
			}
			if r.NotifyResult == "failed" && at.Equal(latestFailure) {
				descs = append(descs, r.Description)
			}
		}
		if h.Total > 0 {
			h.FailureRatio = float64(h.Failed) / float64(h.Total)
			h.LatestNotifyTime = types.StringValue(latest.Format(time.RFC3339))
		}
		if h.Failed > 0 {
			slices.Sort(descs)
			h.LatestFailureTime = types.StringValue(latestFailure.Format(time.RFC3339))
			h.LatestFailureDescription = types.StringValue(descs[0])
		}
		for _, w := range windows {
			var wm windowModel
			for _, r := range recs {
				at, _ := time.Parse(time.RFC3339, r.NotifyTime)
				if !at.Before(end.Add(-w.d)) && at.Before(end) {
					wm.Total++
					if r.NotifyResult == "failed" {
						wm.Failed++
					}
				}
			}
			if wm.Total > 0 {
				wm.FailureRatio = float64(wm.Failed) / float64(wm.Total)
			}
			h.Windows[w.name] = wm
		}
		return h
	}
	groups := func(key func(*liveapi.CallbackCommon) string) map[string][]*liveapi.CallbackCommon {
		out := map[string][]*liveapi.CallbackCommon{}
		for _, r := range records {
			out[key(r)] = append(out[key(r)], r)
		}
		return out
	}
	s := summaryModel{healthModel: healthOf(records), ByNotifyType: map[string]healthModel{}, ByNotifyURL: map[string]healthModel{},
		FailedNotifyURLs: []string{}, FailedStreams: map[string]int64{}}
	for k, recs := range groups(func(c *liveapi.CallbackCommon) string { return c.NotifyType }) {
		s.ByNotifyType[k] = healthOf(recs)
	}
	for k, recs := range groups(func(c *liveapi.CallbackCommon) string { return c.NotifyURL }) {
		s.ByNotifyURL[k] = healthOf(recs)
		if s.ByNotifyURL[k].Failed > 0 {
			s.FailedNotifyURLs = append(s.FailedNotifyURLs, k)
		}
	}
	slices.Sort(s.FailedNotifyURLs)
	type failing struct {
		name string
		h    healthModel
	}
	var streams []failing
	for k, recs := range groups(func(c *liveapi.CallbackCommon) string { return c.AppName + "/" + c.StreamName }) {
		if h := healthOf(recs); h.Failed > 0 {
			streams = append(streams, failing{k, h})
		}
	}
	sort.Slice(streams, func(i, j int) bool {
		a, b := streams[i], streams[j]
		if a.h.ConsecutiveFailures != b.h.ConsecutiveFailures {
			return a.h.ConsecutiveFailures > b.h.ConsecutiveFailures
		}
		if a.h.Failed != b.h.Failed {
			return a.h.Failed > b.h.Failed
		}
		return a.name < b.name
	})
	for i, f := range streams {
		if i < 100 {
			s.FailedStreams[f.name] = f.h.ConsecutiveFailures
		} else {
			s.FailedStreamsOmitted++
		}
	}
	return s
}

// TestAccumulatorAgainstAModel: random answers crowded into a few seconds,
// added in random orders, give the summary the plain model gives.
func TestAccumulatorAgainstAModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 25))
	end := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	windows := windowsFor(t, "5s", "30s", "1m")
	for run := range 300 {
		n := rng.IntN(400)
		records := make([]*liveapi.CallbackCommon, n)
		for i := range records {
			result := []string{"success", "failed", "failed", "unknown"}[rng.IntN(4)]
			records[i] = callback(end.Add(-time.Duration(1+rng.IntN(90))*time.Second).Format(liveapi.TimeLayout), result,
				[]string{"publish", "publish_done"}[rng.IntN(2)], fmt.Sprintf("http://h%d/cb", rng.IntN(3)), "app",
				fmt.Sprintf("s%d", rng.IntN(150)), []string{"timeout", "HTTP 502", "refused", "success"}[rng.IntN(4)])
		}
		want := modelSummary(records, windows, end)
		rng.Shuffle(n, func(i, j int) { records[i], records[j] = records[j], records[i] })
		a := newAccumulator(windows, end)
		a.add(callback(end.Format(liveapi.TimeLayout), "failed", "x", "y", "a", "b", "forgotten at start"))
		a.start()
		for _, c := range records {
			a.add(c)
		}
		if got := a.summary(); !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d, %d records:\n got  %+v\n want %+v", run, n, got, want)
		}
	}
}

// TestStreamKeysWithSlashes: failed_streams keys a stream "app/stream", so
// two pairs that join to one key are one stream, wherever their slashes
// are, even first: ("/a", "b") and ("", "a/b") are "/a/b", ("a", "/b")
// and ("a/", "b") are "a//b", each failing twice in a row.
func TestStreamKeysWithSlashes(t *testing.T) {
	s := summarize([]*liveapi.CallbackCommon{
		callback("2024-05-01T10:00:02Z", "failed", "publish", "u", "/a", "b", "timeout"),
		callback("2024-05-01T10:00:01Z", "failed", "publish", "u", "", "a/b", "timeout"),
		callback("2024-05-01T10:00:02Z", "failed", "publish", "u", "a", "/b", "timeout"),
		callback("2024-05-01T10:00:01Z", "failed", "publish", "u", "a/", "b", "timeout"),
	})
	if want := map[string]int64{"/a/b": 2, "a//b": 2}; !maps.Equal(s.FailedStreams, want) || s.FailedStreamsOmitted != 0 {
		t.Errorf("failed_streams %v (omitted %d), want %v", s.FailedStreams, s.FailedStreamsOmitted, want)
	}
}
