package emulator

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"time"
	"unicode/utf8"
)

// Documented NotifyType values.
var (
	// RecordNotifyTypes are DescribeLiveRecordNotifyRecords' NotifyTypes.
	RecordNotifyTypes = []string{
		"file_created", "record_error", "record_started", "record_paused",
		"record_resumed", "record_force_transcode_fail", "transformat_error",
	}
	// StreamNotifyTypes are DescribeLiveStreamsNotifyRecords' NotifyTypes.
	StreamNotifyTypes = []string{"publish", "publish_done"}
)

// Relative frequencies of RecordNotifyTypes in generated data: most
// callbacks announce recorded files; lifecycle events and errors are rarer.
var recordTypeWeights = []int{55, 9, 12, 6, 6, 6, 6}

// FailureRate is the share of generated callbacks whose NotifyResult is
// "failed".
const FailureRate = 0.10

// failure is one way a customer's callback endpoint fails, as the callback
// record reports it.
type failure struct{ description, response string }

var failures = []failure{
	{"callback failed: HTTP 502 Bad Gateway", "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"},
	{"callback failed: HTTP 500 Internal Server Error", `{"error":"internal server error"}`},
	{"callback failed: HTTP 404 Not Found", "404 page not found"},
	{"callback failed: read timeout after 5s", ""},
	{"callback failed: connection refused", ""},
}

var successResponses = []string{`{"Code":0,"Msg":"Success"}`, "OK", `{"status":"ok"}`}

var (
	appPool    = []string{"live", "edu", "sports", "news", "game", "music", "mall", "talk"}
	streamPool = []string{"room", "cam", "channel", "stage", "studio"}
)

// generator builds the deterministic data set. Each (domain, kind) pair
// draws from its own random stream derived from the seed and the names, so a
// domain's records do not depend on which other domains are generated.
type generator struct {
	seed int64
	now  time.Time // construction time, UTC whole seconds
}

func newGenerator(seed int64, now time.Time) *generator {
	return &generator{seed: seed, now: now.UTC().Truncate(time.Second)}
}

func (g *generator) rng(parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(uint64(g.seed), h.Sum64()))
}

// profile is the stable shape of one domain: its apps, streams and callback
// URLs.
type profile struct {
	domain    string
	apps      []string
	streams   map[string][]string
	recordURL string
	streamURL string
}

func (g *generator) profile(domain string) *profile {
	r := g.rng(domain, "profile")
	p := &profile{
		domain:    domain,
		streams:   make(map[string][]string),
		recordURL: "https://hooks." + domain + "/live/record-callback",
		streamURL: "http://203.0.113." + strconv.Itoa(1+r.IntN(254)) + "/callbacks",
	}
	apps := 3 + r.IntN(3)
	for _, i := range r.Perm(len(appPool))[:apps] {
		app := appPool[i]
		p.apps = append(p.apps, app)
		prefix := streamPool[r.IntN(len(streamPool))]
		for j := range 3 + r.IntN(4) {
			p.streams[app] = append(p.streams[app], fmt.Sprintf("%s-%03d", prefix, 100+10*j+r.IntN(10)))
		}
	}
	return p
}

func (p *profile) pick(r *rand.Rand) (app, stream string) {
	app = p.apps[r.IntN(len(p.apps))]
	s := p.streams[app]
	return app, s[r.IntN(len(s))]
}

// notifyTime spreads records over GeneratedSpan at whole seconds, never at
// its exact edges: [now-GeneratedSpan+1s, now-1s].
func (g *generator) notifyTime(r *rand.Rand) time.Time {
	span := int64(GeneratedSpan / time.Second)
	return g.now.Add(-time.Duration(1+r.Int64N(span-1)) * time.Second)
}

// callbackOutcome decides success or failure and the matching Description and
// NotifyResponse.
func callbackOutcome(r *rand.Rand, failed bool) (result, description, response string) {
	if failed {
		f := failures[r.IntN(len(failures))]
		return "failed", f.description, f.response
	}
	return "success", "success", successResponses[r.IntN(len(successResponses))]
}

func notifyHeader(r *rand.Rand, t time.Time) string {
	if r.IntN(10) >= 7 {
		return ""
	}
	return jsonObject(
		"Content-Type", "application/json",
		"ALI-LIVE-TIMESTAMP", strconv.FormatInt(t.Unix(), 10),
		"ALI-LIVE-SIGNATURE", randomHex(r, 16),
	)
}

func weightedPick(r *rand.Rand, items []string, weights []int) string {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return items[i]
		}
		n -= w
	}
	return items[len(items)-1]
}

// recordCallbacks generates n records for domain. The first records cycle
// through every documented NotifyType so that each type occurs in every
// domain with at least len(RecordNotifyTypes) records.
func (g *generator) recordCallbacks(domain string, n int) []RecordCallback {
	p := g.profile(domain)
	r := g.rng(domain, "record")
	out := make([]RecordCallback, max(n, 0))
	for i := range out {
		typ := weightedPick(r, RecordNotifyTypes, recordTypeWeights)
		if i < len(RecordNotifyTypes) {
			typ = RecordNotifyTypes[i]
		}
		app, stream := p.pick(r)
		out[i] = g.recordCallback(r, p, app, stream, typ, g.notifyTime(r), r.Float64() < FailureRate, "")
	}
	return out
}

// recordCallback builds one realistic recording callback. storage "" picks
// oss (80%) or vod (20%).
func (g *generator) recordCallback(r *rand.Rand, p *profile, app, stream, typ string, t time.Time, failed bool, storage string) RecordCallback {
	if storage == "" {
		storage = "oss"
		if r.IntN(5) == 0 {
			storage = "vod"
		}
	}
	result, desc, resp := callbackOutcome(r, failed)
	return RecordCallback{
		Notify: Notify{
			DomainName:     p.domain,
			AppName:        app,
			StreamName:     stream,
			NotifyTime:     t,
			NotifyType:     typ,
			NotifyResult:   result,
			Description:    desc,
			NotifyURL:      p.recordURL,
			NotifyContent:  recordContent(r, p.domain, app, stream, typ, storage, t),
			NotifyHeader:   notifyHeader(r, t),
			NotifyResponse: resp,
		},
		StorageType: storage,
	}
}

var recordErrors = map[string][]string{
	"record_error":                {"write to OSS bucket failed: AccessDenied", "stream interrupted before the first segment"},
	"record_force_transcode_fail": {"transcoding template not found", "transcoding stream is not available"},
	"transformat_error":           {"invalid h264 sps", "unsupported audio codec"},
}

// recordContent renders the callback body the way Live posts it: file
// events carry the object (or VOD video) and the segment times, lifecycle
// and error events carry an event name.
func recordContent(r *rand.Rand, domain, app, stream, typ, storage string, t time.Time) string {
	switch typ {
	case "file_created":
		dur := 60 + r.IntN(3540)
		stop := t.Add(-time.Duration(r.IntN(5)) * time.Second)
		start := stop.Add(-time.Duration(dur) * time.Second)
		duration := json.Number(fmt.Sprintf("%d.%03d", dur, r.IntN(1000)))
		if storage == "vod" {
			return jsonObject("domain", domain, "app", app, "stream", stream,
				"video_id", randomHex(r, 16), "duration", duration,
				"start_time", start.Unix(), "stop_time", stop.Unix())
		}
		const segment = "2006-01-02-15-04-05"
		uri := fmt.Sprintf("record/%s/%s/%s_%s.m3u8", app, stream, start.Format(segment), stop.Format(segment))
		return jsonObject("domain", domain, "app", app, "stream", stream, "uri", uri,
			"duration", duration, "start_time", start.Unix(), "stop_time", stop.Unix())
	case "record_error", "record_force_transcode_fail", "transformat_error":
		msgs := recordErrors[typ]
		return jsonObject("domain", domain, "app", app, "stream", stream, "event", typ,
			"error_msg", msgs[r.IntN(len(msgs))])
	default:
		return jsonObject("domain", domain, "app", app, "stream", stream, "event", typ)
	}
}

// streamRecords generates n stream ingest callbacks for domain; the first
// two are one of each NotifyType.
func (g *generator) streamRecords(domain string, n int) []StreamRecord {
	p := g.profile(domain)
	r := g.rng(domain, "stream")
	out := make([]StreamRecord, max(n, 0))
	for i := range out {
		typ := StreamNotifyTypes[r.IntN(len(StreamNotifyTypes))]
		if i < len(StreamNotifyTypes) {
			typ = StreamNotifyTypes[i]
		}
		app, stream := p.pick(r)
		out[i] = g.streamRecord(r, p, app, stream, typ, g.notifyTime(r), r.Float64() < FailureRate)
	}
	return out
}

func (g *generator) streamRecord(r *rand.Rand, p *profile, app, stream, typ string, t time.Time, failed bool) StreamRecord {
	result, desc, resp := callbackOutcome(r, failed)
	content := jsonObject("action", typ, "ip", fmt.Sprintf("198.51.100.%d", 1+r.IntN(254)),
		"id", stream, "app", p.domain, "appname", app,
		"time", strconv.FormatInt(t.Unix(), 10), "usrargs", "", "node", fmt.Sprintf("cdn-edge-%02d", r.IntN(40)))
	return StreamRecord{Notify: Notify{
		DomainName:     p.domain,
		AppName:        app,
		StreamName:     stream,
		NotifyTime:     t,
		NotifyType:     typ,
		NotifyResult:   result,
		Description:    desc,
		NotifyURL:      p.streamURL,
		NotifyContent:  content,
		NotifyHeader:   notifyHeader(r, t),
		NotifyResponse: resp,
	}}
}

// synthApp picks the app and stream for a record that must match a query:
// the query's own values when it filters on them, the domain's otherwise.
func (g *generator) synthApp(r *rand.Rand, p *profile, q *query) (app, stream string) {
	app, stream = p.pick(r)
	if q.App != "" {
		app = q.App
	}
	if q.Stream != "" {
		stream = q.Stream
	}
	return app, stream
}

// jsonObject renders key/value pairs as a JSON object with keys in the given
// order (encoding/json would sort map keys, unlike the real payloads).
// Values are strings, integers or json.Number. It is hand-rolled because it
// runs a dozen times per generated record and encoding/json's reflection
// dominated the generation of 100k-record domains.
func jsonObject(kv ...any) string {
	b := make([]byte, 0, 256)
	b = append(b, '{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b = append(b, ',')
		}
		key, _ := kv[i].(string) // Keys are the callers' string literals.
		b = appendJSONString(b, key)
		b = append(b, ':')
		switch v := kv[i+1].(type) {
		case string:
			b = appendJSONString(b, v)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		case json.Number:
			b = append(b, v...)
		default:
			panic(fmt.Sprintf("jsonObject: unsupported value %T", v))
		}
	}
	return string(append(b, '}'))
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, other text (including non-ASCII) verbatim,
// invalid UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

func randomHex(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return hex.EncodeToString(b)
}

// populate fills ds with the generated domains, the fixtures and the case
// domains.
func (g *generator) populate(ds *dataset, specs []DomainSpec, cases bool) {
	fixedRecs := append(FixtureRecordCallbacks(g.now), FixtureSecretsRecordCallbacks(g.now)...)
	fixedStreams := append(FixtureStreamRecords(g.now), FixtureSecretsStreamRecords(g.now)...)
	for _, domain := range CaseDomains {
		if !cases && domain != FixtureFailingTypeDomain {
			continue
		}
		fixedRecs = append(fixedRecs, CaseRecordCallbacks(domain, g.now)...)
		fixedStreams = append(fixedStreams, CaseStreamRecords(domain, g.now)...)
	}
	nrec, nstream := len(fixedRecs), len(fixedStreams)
	for _, spec := range specs {
		nrec += max(spec.RecordCallbacks, 0)
		nstream += max(spec.StreamRecords, 0)
	}
	recs := make([]RecordCallback, 0, nrec)
	streams := make([]StreamRecord, 0, nstream)
	for _, spec := range specs {
		recs = append(recs, g.recordCallbacks(spec.Name, spec.RecordCallbacks)...)
		streams = append(streams, g.streamRecords(spec.Name, spec.StreamRecords)...)
	}
	insert(ds, &ds.records, append(recs, fixedRecs...))
	insert(ds, &ds.streams, append(streams, fixedStreams...))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
