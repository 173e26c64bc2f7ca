package emulator

import (
	"fmt"
	"time"
)

// Case domains: one situation each that a callback gate must judge, with
// callbacks of both kinds (stream ingest and recording) at fixed offsets
// before Now. They are always part of the data set, like the fixtures, so
// the demo and the end-to-end tests can point a gate at them by name.
//
// Each case holds the same shape for both kinds: the stream callbacks
// alternate publish and publish_done, the recording callbacks file_created
// and record_started (unless a case says otherwise), newest first from the
// case's newest offset. A busy case spans CaseSpan, longer than the longest
// window a default gate reads (6h), so that a plan made a little after Now
// still finds every window full.
//
// The windows a gate judges end when the plan reads, not at Now: a plan made
// long after the emulator started sees fewer of the newest callbacks, and the
// shorter windows of a busy case fall below a gate's minimum volume after
// about a minute and a half (the outage's 5-minute window holds 15 callbacks
// of each type at Now, 10 at Now+100s).
const (
	// CaseHealthyDomain: one callback every 10 s for CaseSpan, the newest
	// 5 s before Now; 1 in 151 failed (k = 75, 226, ... counting from the
	// newest, k = 0), never two in a row.
	CaseHealthyDomain = "healthy.example.com"
	// CaseBlipDomain: a recovered blip. One callback every 8 minutes for
	// CaseSpan, the newest 1 minute before Now. Its only failure is the 6th
	// newest (k = 5, 41 minutes before Now): a publish_done, and among the
	// recording callbacks a record_error; the 5 callbacks after it
	// succeeded.
	CaseBlipDomain = "blip.example.com"
	// CaseOutageDomain: an ongoing outage. One callback every 10 s for
	// CaseSpan, the newest 5 s before Now; every callback of the last 30
	// minutes (the newest 180) failed with "connection refused", every older
	// one succeeded.
	CaseOutageDomain = "outage.example.com"
	// CaseSlowBurnDomain: a slow burn. One callback a minute for CaseSpan,
	// the newest a minute before Now; a quarter failed, spread so that no
	// two failures are neighbours (k mod 8 = 2, a publish or file_created,
	// and k mod 8 = 5, a publish_done or record_started): every type and the
	// webhook lose 25% and none fails more than once in a row.
	CaseSlowBurnDomain = "slow-burn.example.com"
	// CaseLowTrafficDomain: a low-traffic outage. One callback an hour for
	// CaseSpan, the newest 20 minutes before Now; the newest 3 failed. The
	// stream callbacks alternate publish_done (the newest) and publish, so
	// neither type has 3 failures in a row: only the webhook, which gets
	// them all, has. Every recording callback is a file_created.
	CaseLowTrafficDomain = "low-traffic-down.example.com"
	// CaseIdleDomain holds no callbacks at all: a domain that is not live,
	// or whose callbacks are not configured.
	CaseIdleDomain = "idle.example.com"
	// CaseWebhookDownDomain: one webhook down. One callback every 4 s for
	// CaseSpan, the newest 2 s before Now, a quarter of them (k mod 8 = 3
	// and 6, both types alike) to CaseBackupURL and the rest to CaseMainURL.
	// Every callback to CaseBackupURL of the last 30 minutes failed (a read
	// timeout); every other callback succeeded. The newest callback of
	// each type went to CaseMainURL, so no type is still failing, and no
	// type's failures reach the burn rate of the gates' shortest pair over
	// its long window (1h): the webhook does.
	CaseWebhookDownDomain = "webhook-down.example.com"
)

// CaseDomains lists the case domains, FixtureFailingTypeDomain (one event
// type down) among them, in the order the docs' table of verdicts uses.
var CaseDomains = []string{
	CaseHealthyDomain, CaseBlipDomain, CaseOutageDomain, CaseSlowBurnDomain,
	CaseLowTrafficDomain, CaseIdleDomain, FixtureFailingTypeDomain, CaseWebhookDownDomain,
}

// CaseSpan is how far back the busy case domains reach.
const CaseSpan = 7 * time.Hour

// Webhooks of the case domains: each case sends to CaseMainURL, and
// CaseWebhookDownDomain to CaseBackupURL too.
const (
	CaseMainURL   = "https://hooks.example.com/live"
	CaseBackupURL = "https://backup-hooks.example.com/live"
)

// caseShape is one case domain's callbacks: n of them, every apart, the
// newest (k = 0) newest before Now. The functions say, for the k-th newest,
// its event types (the stream's and the recording's), its webhook and
// whether it failed (and how).
type caseShape struct {
	n             int
	every, newest time.Duration
	streamType    func(k int) string
	recordType    func(k int) string
	url           func(k int) string
	failure       func(k int) *failure // nil: succeeded
}

// alternate gives even k the type a and odd k the type b.
func alternate(a, b string) func(int) string {
	return func(k int) string {
		if k%2 == 0 {
			return a
		}
		return b
	}
}

func mainURL(int) string { return CaseMainURL }

// caseShapes describes every case domain that holds callbacks, except
// FixtureFailingTypeDomain, which has its own functions.
var caseShapes = map[string]caseShape{
	CaseHealthyDomain: {
		n: int(CaseSpan / (10 * time.Second)), every: 10 * time.Second, newest: 5 * time.Second,
		streamType: alternate("publish", "publish_done"), recordType: alternate("file_created", "record_started"), url: mainURL,
		failure: func(k int) *failure { return when(k%151 == 75, &failures[0]) },
	},
	CaseBlipDomain: {
		n: int(CaseSpan/(8*time.Minute)) + 1, every: 8 * time.Minute, newest: time.Minute,
		streamType: alternate("publish", "publish_done"),
		recordType: func(k int) string {
			if k == 5 {
				return "record_error"
			}
			return alternate("file_created", "record_started")(k)
		},
		url:     mainURL,
		failure: func(k int) *failure { return when(k == 5, &failures[1]) },
	},
	CaseOutageDomain: {
		n: int(CaseSpan / (10 * time.Second)), every: 10 * time.Second, newest: 5 * time.Second,
		streamType: alternate("publish", "publish_done"), recordType: alternate("file_created", "record_started"), url: mainURL,
		failure: func(k int) *failure { return when(k < 180, &failures[4]) },
	},
	CaseSlowBurnDomain: {
		n: int(CaseSpan / time.Minute), every: time.Minute, newest: time.Minute,
		streamType: alternate("publish", "publish_done"), recordType: alternate("file_created", "record_started"), url: mainURL,
		failure: func(k int) *failure { return when(k%8 == 2 || k%8 == 5, &failures[0]) },
	},
	CaseLowTrafficDomain: {
		n: int(CaseSpan / time.Hour), every: time.Hour, newest: 20 * time.Minute,
		streamType: alternate("publish_done", "publish"),
		recordType: func(int) string { return "file_created" },
		url:        mainURL,
		failure:    func(k int) *failure { return when(k < 3, &failures[4]) },
	},
	CaseWebhookDownDomain: {
		n: int(CaseSpan / (4 * time.Second)), every: 4 * time.Second, newest: 2 * time.Second,
		streamType: alternate("publish", "publish_done"), recordType: alternate("file_created", "record_started"),
		url: func(k int) string {
			if k%8 == 3 || k%8 == 6 {
				return CaseBackupURL
			}
			return CaseMainURL
		},
		// The last 30 minutes hold k = 0..449 (2 s + 4 s·k <= 30 min).
		failure: func(k int) *failure { return when((k%8 == 3 || k%8 == 6) && k < 450, &failures[3]) },
	},
}

func when(cond bool, f *failure) *failure {
	if cond {
		return f
	}
	return nil
}

// caseNotifies builds a case domain's callbacks of one kind (recording or
// stream ingest), newest first.
func caseNotifies(domain string, now time.Time, recording bool) []Notify {
	shape, ok := caseShapes[domain]
	if !ok {
		return nil
	}
	typeOf := shape.streamType
	if recording {
		typeOf = shape.recordType
	}
	base := now.UTC().Truncate(time.Second)
	out := make([]Notify, shape.n)
	for k := range out {
		n := Notify{
			DomainName: domain, AppName: "live", StreamName: fmt.Sprintf("room-%d", k/2%7),
			NotifyTime: base.Add(-shape.newest - time.Duration(k)*shape.every), NotifyType: typeOf(k),
			NotifyResult: "success", Description: "success", NotifyURL: shape.url(k), NotifyResponse: "OK",
		}
		if f := shape.failure(k); f != nil {
			n.NotifyResult, n.Description, n.NotifyResponse = "failed", f.description, f.response
		}
		out[k] = n
	}
	return out
}

// CaseStreamRecords returns the stream-ingest callbacks of a case domain
// (IDs unset), newest first; none for a domain that is not a case or holds
// none (CaseIdleDomain).
func CaseStreamRecords(domain string, now time.Time) []StreamRecord {
	if domain == FixtureFailingTypeDomain {
		return FixtureFailingTypeStreamRecords(now)
	}
	var out []StreamRecord
	for _, n := range caseNotifies(domain, now, false) {
		n.NotifyContent = `{"action":"` + n.NotifyType + `","app":"` + domain + `","appname":"` + n.AppName + `","id":"` + n.StreamName + `"}`
		out = append(out, StreamRecord{Notify: n})
	}
	return out
}

// CaseRecordCallbacks returns the recording callbacks of a case domain (IDs
// unset), newest first, shaped as its stream callbacks.
func CaseRecordCallbacks(domain string, now time.Time) []RecordCallback {
	if domain == FixtureFailingTypeDomain {
		return FixtureFailingTypeRecordCallbacks(now)
	}
	var out []RecordCallback
	for _, n := range caseNotifies(domain, now, true) {
		n.NotifyContent = `{"domain":"` + domain + `","app":"` + n.AppName + `","stream":"` + n.StreamName + `","event":"` + n.NotifyType + `"}`
		out = append(out, RecordCallback{Notify: n, StorageType: "oss"})
	}
	return out
}
