package provider

// The summary, computed as the records arrive (in any order of pages), so
// that a read of any size holds groups, not records: counts, the newest
// times, consecutive failures, the trailing windows, each for every
// callback read, each event type, each webhook and (without windows) each
// stream.

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
	"github.com/callbackwatch/terraform-provider-live/internal/redact"
)

// maxFailedStreams is how many streams summary.failed_streams lists at
// most: the worst, so that a summary stays small however many streams fail.
const maxFailedStreams = 100

// packedTime is a NotifyTime as the number yyyyMMddHHmmss: ordered as the
// times are, 8 bytes, and no string kept alive. 0 is "none".
type packedTime uint64

// packTime packs a NotifyTime the read has checked (liveapi.Sink: always
// yyyy-MM-ddTHH:mm:ssZ).
func packTime(s string) packedTime {
	var v packedTime
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			v = v*10 + packedTime(c-'0')
		}
	}
	return v
}

// String is the NotifyTime again.
func (p packedTime) String() string {
	var d [14]byte
	for i := len(d) - 1; i >= 0; i-- {
		d[i] = byte('0' + p%10)
		p /= 10
	}
	return string(d[0:4]) + "-" + string(d[4:6]) + "-" + string(d[6:8]) + "T" + string(d[8:10]) + ":" + string(d[10:12]) + ":" + string(d[12:14]) + "Z"
}

// windowCount is one trailing window of one group.
type windowCount struct{ total, failed int64 }

// tally is the health of one group of callbacks so far.
type tally struct {
	total, success, failed int64
	latest, latestSuccess  packedTime
	latestFailure          packedTime
	// latestFailureDesc is, of the failures at latestFailure, the
	// description that sorts first: the same whatever the API's order.
	latestFailureDesc string
	// pending holds the times of the failures newer than latestSuccess, a
	// min-heap: a newer success drops those it follows. Its size is the
	// group's consecutive failures. A group whose newest callbacks keep
	// failing holds the times of those failures (all of them, when none
	// succeeded): 8 bytes a failure.
	pending []packedTime
	// windows counts the callbacks of each trailing window (nil: the group
	// has none, as streams).
	windows []windowCount
}

func (t *tally) add(c *liveapi.CallbackCommon, at packedTime, from []packedTime) {
	t.total++
	t.latest = max(t.latest, at)
	failed := false
	switch c.NotifyResult {
	case "failed":
		failed = true
		t.failed++
		if at > t.latestFailure || at == t.latestFailure && c.Description < t.latestFailureDesc {
			t.latestFailure, t.latestFailureDesc = at, c.Description
		}
		if at > t.latestSuccess {
			t.pushPending(at)
		}
	case "success":
		t.success++
		if at > t.latestSuccess {
			t.latestSuccess = at
			for len(t.pending) > 0 && t.pending[0] <= at {
				t.popPending()
			}
		}
	}
	for i, f := range from {
		if at >= f {
			t.windows[i].total++
			if failed {
				t.windows[i].failed++
			}
		}
	}
}

func (t *tally) pushPending(at packedTime) {
	h := append(t.pending, at)
	for i := len(h) - 1; i > 0; {
		parent := (i - 1) / 2
		if h[parent] <= h[i] {
			break
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
	t.pending = h
}

func (t *tally) popPending() {
	h := t.pending
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		least, l, r := i, 2*i+1, 2*i+2
		if l < n && h[l] < h[least] {
			least = l
		}
		if r < n && h[r] < h[least] {
			least = r
		}
		if least == i {
			break
		}
		h[i], h[least] = h[least], h[i]
		i = least
	}
	t.pending = h
}

// consecutive is how many of the group's newest callbacks failed after its
// newest success (every failure when none succeeded). Callbacks carry whole
// seconds: a failure in the second of the newest success is not counted.
func (t *tally) consecutive() int64 { return int64(len(t.pending)) }

func (t *tally) health(windows []summaryWindow) healthModel {
	h := healthModel{
		Total:                    t.total,
		Success:                  t.success,
		Failed:                   t.failed,
		FailureRatio:             ratio(t.failed, t.total),
		ConsecutiveFailures:      t.consecutive(),
		LatestNotifyTime:         types.StringNull(),
		LatestFailureTime:        types.StringNull(),
		LatestFailureDescription: types.StringNull(),
		Windows:                  make(map[string]windowModel, len(windows)),
	}
	if t.total > 0 {
		h.LatestNotifyTime = types.StringValue(t.latest.String())
	}
	if t.failed > 0 {
		h.LatestFailureTime = types.StringValue(t.latestFailure.String())
		h.LatestFailureDescription = types.StringValue(t.latestFailureDesc)
	}
	for i, w := range windows {
		h.Windows[w.name] = windowModel{Total: t.windows[i].total, Failed: t.windows[i].failed, FailureRatio: ratio(t.windows[i].failed, t.windows[i].total)}
	}
	return h
}

func ratio(failed, total int64) float64 {
	if total == 0 {
		return 0
	}
	return float64(failed) / float64(total)
}

// streamID names a stream as failed_streams keys it, "app/stream", without
// building the string for every record. A name with a slash of its own is
// kept joined, so that two pairs that join to one key are one stream, as
// the key says.
type streamID struct{ app, stream string }

func streamIDOf(c *liveapi.CallbackCommon) streamID {
	if strings.IndexByte(c.AppName, '/') >= 0 || strings.IndexByte(c.StreamName, '/') >= 0 {
		return streamID{app: c.AppName + "/" + c.StreamName, stream: "\x00"}
	}
	return streamID{app: c.AppName, stream: c.StreamName}
}

func (s streamID) String() string {
	if s.stream == "\x00" {
		return s.app
	}
	return s.app + "/" + s.stream
}

// accumulator computes a read's summary from its records, in whatever order
// they come (a liveapi.Sink delivers pages as they settle).
type accumulator struct {
	windows []summaryWindow
	// from is where each window starts: it covers NotifyTime >= from[i].
	from     []packedTime
	all      tally
	byType   map[string]*tally
	byURL    map[string]*tally // by the raw URL: webhookKeys names them
	byStream map[streamID]*tally
	// redactSecrets is redact_callback_secrets: the summary names the
	// webhooks by their redacted URLs and redacts failure descriptions.
	redactSecrets bool
}

// newAccumulator counts windows ending at end, the end of the window read.
func newAccumulator(windows []summaryWindow, end time.Time) *accumulator {
	a := &accumulator{windows: windows}
	for _, w := range windows {
		a.from = append(a.from, packTime(end.Add(-w.d).UTC().Format(liveapi.TimeLayout)))
	}
	a.start()
	return a
}

// start forgets every record: a read that starts over delivers them again.
func (a *accumulator) start() {
	a.all = a.newTally(true)
	a.byType, a.byURL, a.byStream = map[string]*tally{}, map[string]*tally{}, map[streamID]*tally{}
}

func (a *accumulator) newTally(windows bool) tally {
	if windows {
		return tally{windows: make([]windowCount, len(a.windows))}
	}
	return tally{}
}

func (a *accumulator) add(c *liveapi.CallbackCommon) {
	at := packTime(c.NotifyTime)
	a.all.add(c, at, a.from)
	groupOf(a, a.byType, c.NotifyType, true).add(c, at, a.from)
	groupOf(a, a.byURL, c.NotifyURL, true).add(c, at, a.from)
	groupOf(a, a.byStream, streamIDOf(c), false).add(c, at, nil)
}

// groupOf is the tally of key in m, made on first use.
func groupOf[K comparable](a *accumulator, m map[K]*tally, key K, windows bool) *tally {
	t, ok := m[key]
	if !ok {
		t = new(tally)
		*t = a.newTally(windows)
		m[key] = t
	}
	return t
}

// summary is the summary of every record added since start.
func (a *accumulator) summary() summaryModel {
	s := summaryModel{
		healthModel:      a.health(&a.all),
		ByNotifyType:     make(map[string]healthModel, len(a.byType)),
		ByNotifyURL:      make(map[string]healthModel, len(a.byURL)),
		FailedNotifyURLs: []string{},
		FailedStreams:    map[string]int64{},
	}
	for k, t := range a.byType {
		s.ByNotifyType[k] = a.health(t)
	}
	keys := a.webhookKeys()
	for raw, t := range a.byURL {
		s.ByNotifyURL[keys[raw]] = a.health(t)
		if t.failed > 0 {
			s.FailedNotifyURLs = append(s.FailedNotifyURLs, keys[raw])
		}
	}
	slices.Sort(s.FailedNotifyURLs)
	s.FailedStreams, s.FailedStreamsOmitted = worstStreams(a.byStream, maxFailedStreams)
	return s
}

// health is t's health, its failure description redacted when the summary
// is.
func (a *accumulator) health(t *tally) healthModel {
	h := t.health(a.windows)
	if a.redactSecrets && !h.LatestFailureDescription.IsNull() {
		h.LatestFailureDescription = types.StringValue(redact.Text(h.LatestFailureDescription.ValueString()))
	}
	return h
}

// webhookKeys is the one place that names the webhooks in the summary
// (by_notify_url, failed_notify_urls) and in the records kept (notify_url):
// the key of each raw NotifyUrl read. A URL is its own key, unless the
// summary redacts: then its key is redact.Keys', numbered by the webhook's
// newest callback where URLs differ only in their credentials.
func (a *accumulator) webhookKeys() map[string]string {
	if a.redactSecrets {
		latest := make(map[string]string, len(a.byURL))
		for raw, t := range a.byURL {
			latest[raw] = t.latest.String()
		}
		return redact.Keys(latest)
	}
	keys := make(map[string]string, len(a.byURL))
	for raw := range a.byURL {
		keys[raw] = raw
	}
	return keys
}

// worstStreams is failed_streams: of the streams with a failure, the limit
// worst (most consecutive failures, then most failures, then by name), each
// with its consecutive failures, and how many failing streams it leaves out.
func worstStreams(byStream map[streamID]*tally, limit int) (map[string]int64, int64) {
	type failing struct {
		name string
		t    *tally
	}
	var all []failing
	for id, t := range byStream {
		if t.failed > 0 {
			all = append(all, failing{id.String(), t})
		}
	}
	slices.SortFunc(all, func(a, b failing) int {
		return cmp.Or(cmp.Compare(b.t.consecutive(), a.t.consecutive()), cmp.Compare(b.t.failed, a.t.failed), strings.Compare(a.name, b.name))
	})
	out := make(map[string]int64, min(len(all), limit))
	for _, f := range all[:min(len(all), limit)] {
		out[f.name] = f.t.consecutive()
	}
	return out, int64(len(all) - len(out))
}
