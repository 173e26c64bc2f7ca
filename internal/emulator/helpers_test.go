package emulator_test

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	live "github.com/alibabacloud-go/live-20161101/v3/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// fixedNow is the data-set clock of most tests; the SDK still stamps
// requests with the wall clock, which RequestClock (default time.Now) checks.
var fixedNow = time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)

func clockAt(t time.Time) func() time.Time { return func() time.Time { return t } }

// testDomains keeps most tests fast: one small domain and one that needs
// many pages.
var testDomains = []emulator.DomainSpec{
	{Name: "live1.example.com", RecordCallbacks: 120, StreamRecords: 80},
	{Name: "paging.example.com", RecordCallbacks: 1234, StreamRecords: 567},
}

type testEnv struct {
	emu  *emulator.Server
	ts   *httptest.Server
	host string // host:port, the SDK Endpoint
}

// newEnv starts an emulator behind httptest. Zero Now/Domains default to
// fixedNow/testDomains.
func newEnv(t testing.TB, opts emulator.Options) *testEnv {
	t.Helper()
	if opts.Now == nil {
		opts.Now = clockAt(fixedNow)
	}
	if opts.Domains == nil {
		opts.Domains = testDomains
	}
	emu := emulator.New(opts)
	ts := httptest.NewServer(emu)
	t.Cleanup(ts.Close)
	return &testEnv{emu: emu, ts: ts, host: strings.TrimPrefix(ts.URL, "http://")}
}

// client returns an SDK client for the emulator with the default key pair.
// DisableSDKError makes the SDK return its own typed errors
// (*openapi.ClientError, *openapi.ServerError, *openapi.ThrottlingError)
// instead of wrapping them in *tea.SDKError.
func (e *testEnv) client(t testing.TB, mods ...func(*openapi.Config)) *live.Client {
	t.Helper()
	cfg := &openapi.Config{
		AccessKeyId:     tea.String(emulator.DefaultAccessKeyID),
		AccessKeySecret: tea.String(emulator.DefaultAccessKeySecret),
		Endpoint:        tea.String(e.host),
		Protocol:        tea.String("HTTP"),
		RegionId:        tea.String("cn-shanghai"),
	}
	for _, m := range mods {
		m(cfg)
	}
	c, err := live.NewClient(cfg)
	if err != nil {
		t.Fatalf("live.NewClient: %v", err)
	}
	c.Client.DisableSDKError = tea.Bool(true)
	return c
}

func withKey(id, secret string) func(*openapi.Config) {
	return func(c *openapi.Config) { c.AccessKeyId, c.AccessKeySecret = tea.String(id), tea.String(secret) }
}

// ownHTTPClient gives an SDK client its own *http.Client. Without it, every
// SDK client talking to the same host shares one pooled http.Client whose
// Timeout dara.DoRequestWithCtx rewrites on every call (tea v1.5.3
// dara/core.go:473) while concurrent calls read it — a data race in the SDK
// that -race reports as soon as two goroutines call at once.
func ownHTTPClient() func(*openapi.Config) {
	return func(c *openapi.Config) {
		c.HttpClient = sdkHTTPClient{&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}}
	}
}

// sdkHTTPClient adapts *http.Client to dara.HttpClient.
type sdkHTTPClient struct{ c *http.Client }

func (s sdkHTTPClient) Call(r *http.Request, _ *http.Transport) (*http.Response, error) {
	return s.c.Do(r)
}

// oddText holds characters the signatures percent-encode in their own ways
// (space, *, ~, +, /, &, =, non-ASCII).
const oddText = "a b*c~d+e/f&g=h 直播"

// addOddRecord adds a recording callback of odd.example.com whose AppName
// and StreamName are oddText.
func (e *testEnv) addOddRecord() {
	e.emu.AddRecordCallbacks(emulator.RecordCallback{Notify: emulator.Notify{
		DomainName: "odd.example.com", AppName: oddText, StreamName: oddText,
		NotifyTime: fixedNow.Add(-time.Minute), NotifyType: "record_started", NotifyResult: "success",
	}, StorageType: "oss"})
}

func withToken(token string) func(*openapi.Config) {
	return func(c *openapi.Config) { c.SecurityToken = tea.String(token) }
}

func ts(t time.Time) string { return t.UTC().Format(emulator.TimeLayout) }

// row is one record as the SDK decoded it, whichever the action. Missing
// fields (nil pointers) read as "<missing>" so that comparisons catch them.
type row struct {
	AppName, Description, DomainName, NotifyContent, NotifyResult, NotifyTime,
	NotifyType, NotifyURL, NotifyHeader, StreamName, NotifyResponse, StorageType string
}

type page struct {
	rows                                   []row
	pageNum, pageSize, totalNum, totalPage int32
	requestID                              string
}

// params is a request for either action; zero fields are not sent.
type params struct {
	Domain, App, Stream, Status, StorageType string
	Start, End                               string
	PageSize, PageNumber                     int
}

// api adapts one action so that behaviour shared by both actions is tested
// by one table-driven test.
type api struct {
	name          string
	fixtureDomain string
	fetch         func(ctx context.Context, c *live.Client, p params) (page, error)
	stored        func(emu *emulator.Server, domain string) []row
	// codes of the documented errors, by rule
	missing, notInteger, badPageSize, badStatus, badStart, badEnd, endNotAfter, tooOld string
}

var apis = []api{recordAPI, streamAPI}

func missing(s *string) string {
	if s == nil {
		return "<missing>"
	}
	return *s
}

func i32(p *int32) int32 {
	if p == nil {
		return -1
	}
	return *p
}

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return tea.String(s)
}

func rowOf(n *emulator.Notify, storage string) row {
	return row{
		AppName: n.AppName, Description: n.Description, DomainName: n.DomainName,
		NotifyContent: n.NotifyContent, NotifyResult: n.NotifyResult,
		NotifyTime: ts(n.NotifyTime), NotifyType: n.NotifyType, NotifyURL: n.NotifyURL,
		NotifyHeader: n.NotifyHeader, StreamName: n.StreamName,
		NotifyResponse: n.NotifyResponse, StorageType: storage,
	}
}

var recordAPI = api{
	name:          emulator.ActionDescribeLiveRecordNotifyRecords,
	fixtureDomain: emulator.FixtureRecordDomain,
	fetch: func(ctx context.Context, c *live.Client, p params) (page, error) {
		req := &live.DescribeLiveRecordNotifyRecordsRequest{
			DomainName: optStr(p.Domain), AppName: optStr(p.App), StreamName: optStr(p.Stream),
			Status: optStr(p.Status), StorageType: optStr(p.StorageType),
			StartTime: optStr(p.Start), EndTime: optStr(p.End), RegionId: tea.String("cn-shanghai"),
		}
		// Both are required here: a zero stands for the documented defaults,
		// which this client states (TestRecordPagingRequired sends neither).
		req.PageSize = tea.Int64(int64(cmp.Or(p.PageSize, emulator.DefaultPageSize)))
		req.PageNumber = tea.Int64(int64(cmp.Or(p.PageNumber, emulator.DefaultPageNumber)))
		resp, err := c.DescribeLiveRecordNotifyRecordsWithContext(ctx, req, &dara.RuntimeOptions{})
		if err != nil {
			return page{}, err
		}
		b := resp.Body
		if b.CallbackList == nil {
			return page{}, errors.New("CallbackList missing from the response")
		}
		if i32(b.Code) != 0 || missing(b.Msg) != "ok" {
			return page{}, errors.New("Code/Msg are not 0/ok")
		}
		pg := page{pageNum: i32(b.PageNum), pageSize: i32(b.PageSize), totalNum: i32(b.TotalNum),
			totalPage: i32(b.TotalPage), requestID: missing(b.RequestId), rows: []row{}}
		for _, r := range b.CallbackList {
			pg.rows = append(pg.rows, row{
				AppName: missing(r.AppName), Description: missing(r.Description), DomainName: missing(r.DomainName),
				NotifyContent: missing(r.NotifyContent), NotifyResult: missing(r.NotifyResult),
				NotifyTime: missing(r.NotifyTime), NotifyType: missing(r.NotifyType), NotifyURL: missing(r.NotifyUrl),
				NotifyHeader: missing(r.NotifyHeader), StreamName: missing(r.StreamName),
				NotifyResponse: missing(r.NotifyResponse), StorageType: missing(r.StorageType),
			})
		}
		return pg, nil
	},
	stored: func(emu *emulator.Server, domain string) []row {
		var out []row
		for _, r := range emu.RecordCallbacks(domain) {
			out = append(out, rowOf(&r.Notify, r.StorageType))
		}
		return out
	},
	missing: "MissingParams", notInteger: "InvalidParams", badPageSize: "MalformedParams",
	badStatus: "MalformedParams", badStart: "MalformedParams", badEnd: "MalformedParams",
	endNotAfter: "MalformedParams", tooOld: "MalformedParams",
}

var streamAPI = api{
	name:          emulator.ActionDescribeLiveStreamsNotifyRecords,
	fixtureDomain: emulator.FixtureStreamDomain,
	fetch: func(ctx context.Context, c *live.Client, p params) (page, error) {
		req := &live.DescribeLiveStreamsNotifyRecordsRequest{
			DomainName: optStr(p.Domain), AppName: optStr(p.App), StreamName: optStr(p.Stream),
			Status: optStr(p.Status), StartTime: optStr(p.Start), EndTime: optStr(p.End),
			RegionId: tea.String("cn-shanghai"),
		}
		if p.PageSize != 0 {
			req.PageSize = tea.Int32(int32(p.PageSize))
		}
		if p.PageNumber != 0 {
			req.PageNumber = tea.Int32(int32(p.PageNumber))
		}
		resp, err := c.DescribeLiveStreamsNotifyRecordsWithContext(ctx, req, &dara.RuntimeOptions{})
		if err != nil {
			return page{}, err
		}
		b := resp.Body
		if b.NotifyRecordsInfo == nil || b.NotifyRecordsInfo.LiveStreamNotifyRecordsInfo == nil {
			return page{}, errors.New("NotifyRecordsInfo.LiveStreamNotifyRecordsInfo missing from the response")
		}
		pg := page{pageNum: i32(b.PageNum), pageSize: i32(b.PageSize), totalNum: i32(b.TotalNum),
			totalPage: i32(b.TotalPage), requestID: missing(b.RequestId), rows: []row{}}
		for _, r := range b.NotifyRecordsInfo.LiveStreamNotifyRecordsInfo {
			pg.rows = append(pg.rows, row{
				AppName: missing(r.AppName), Description: missing(r.Description), DomainName: missing(r.DomainName),
				NotifyContent: missing(r.NotifyContent), NotifyResult: missing(r.NotifyResult),
				NotifyTime: missing(r.NotifyTime), NotifyType: missing(r.NotifyType), NotifyURL: missing(r.NotifyUrl),
				NotifyHeader: missing(r.NotifyHeader), StreamName: missing(r.StreamName),
				NotifyResponse: missing(r.NotifyResponse),
			})
		}
		return pg, nil
	},
	stored: func(emu *emulator.Server, domain string) []row {
		var out []row
		for _, r := range emu.StreamRecords(domain) {
			out = append(out, rowOf(&r.Notify, ""))
		}
		return out
	},
	missing: "InvalidParam", notInteger: "InvalidParam", badPageSize: "InvalidParam",
	badStatus: "InvalidParam", badStart: "InvalidStartTime.Malformed", badEnd: "InvalidEndTime.Malformed",
	endNotAfter: "InvalidEndTime.Mismatch", tooOld: "Duration.Exceed",
}

// fullWindow covers the whole generated data set for a server built at now.
func fullWindow(now time.Time, p params) params {
	p.Start, p.End = ts(now.Add(-emulator.QueryWindow)), ts(now.Add(time.Second))
	return p
}

// fetchAll pages through a query and returns every row in order.
func fetchAll(t *testing.T, a api, c *live.Client, p params) []row {
	t.Helper()
	var all []row
	for n := 1; ; n++ {
		p.PageNumber = n
		pg, err := a.fetch(context.Background(), c, p)
		if err != nil {
			t.Fatalf("page %d: %v", n, err)
		}
		all = append(all, pg.rows...)
		if n >= int(pg.totalPage) {
			return all
		}
	}
}

var requestIDPattern = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)

// sdkError is what the three SDK error types have in common.
type sdkError interface {
	error
	GetStatusCode() *int
	GetCode() *string
	GetRequestId() *string
}

// wantError asserts that err is the SDK error type T with the given status
// and code and a UUID-shaped request id, and returns its message.
func wantError[T sdkError](t *testing.T, err error, status int, code string) string {
	t.Helper()
	var target T
	if !errors.As(err, &target) {
		t.Fatalf("error %T (%v), want %T", err, err, target)
	}
	if got := tea.IntValue(target.GetStatusCode()); got != status {
		t.Errorf("status %d, want %d (%v)", got, status, err)
	}
	if got := tea.StringValue(target.GetCode()); got != code {
		t.Errorf("code %q, want %q (%v)", got, code, err)
	}
	if id := tea.StringValue(target.GetRequestId()); !requestIDPattern.MatchString(id) {
		t.Errorf("request id %q is not UUID-shaped", id)
	}
	return target.Error()
}

// rawCall is a request signed by the SDK's own signer
// (openapiutil.GetAuthorization) but sent by hand, so tests can forge,
// replay and tamper with what the SDK would never send.
type rawCall struct {
	method      string            // default POST
	action      string            // default DescribeLiveRecordNotifyRecords
	version     string            // default APIVersion
	query       map[string]string // API parameters
	headers     map[string]string // added before signing
	accessKeyID string            // default DefaultAccessKeyID
	secret      string            // default DefaultAccessKeySecret
	date        string            // x-acs-date, default the wall clock
	nonce       string            // default random
	body        []byte
	contentType string
	// tamper edits the signed request before it is sent.
	tamper func(r *http.Request)
}

type rawResult struct {
	status int
	header http.Header
	body   []byte
	fields map[string]any // decoded JSON body, nil if it does not decode
}

func (e *testEnv) newRawRequest(t testing.TB, c rawCall) *http.Request {
	t.Helper()
	c.method = cmp.Or(c.method, http.MethodPost)
	defaultRouteAndKey(&c.action, &c.version, &c.accessKeyID, &c.secret)
	if c.date == "" {
		c.date = ts(time.Now())
	}
	if c.nonce == "" {
		var b [16]byte
		_, _ = rand.Read(b[:])
		c.nonce = hex.EncodeToString(b[:])
	}
	sum := sha256.Sum256(c.body)
	payloadHash := hex.EncodeToString(sum[:])

	req := dara.NewRequest()
	req.Method = tea.String(c.method)
	req.Pathname = tea.String("/")
	values := url.Values{}
	for k, v := range c.query {
		req.Query[k] = tea.String(v)
		values.Set(k, v)
	}
	req.Headers = map[string]*string{
		"host":                  tea.String(e.host),
		"x-acs-action":          tea.String(c.action),
		"x-acs-version":         tea.String(c.version),
		"x-acs-date":            tea.String(c.date),
		"x-acs-signature-nonce": tea.String(c.nonce),
		"x-acs-content-sha256":  tea.String(payloadHash),
	}
	if c.contentType != "" {
		req.Headers["content-type"] = tea.String(c.contentType)
	}
	for k, v := range c.headers {
		req.Headers[k] = tea.String(v)
	}
	auth := openapiutil.GetAuthorization(req, tea.String("ACS3-HMAC-SHA256"), tea.String(payloadHash),
		tea.String(c.accessKeyID), tea.String(c.secret))

	hr, err := http.NewRequest(c.method, "http://"+e.host+"/?"+values.Encode(), bytes.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range req.Headers {
		if k != "host" {
			hr.Header.Set(k, *v) // canonical keys, so the request also works when handed to ServeHTTP directly
		}
	}
	hr.Header.Set("Authorization", *auth)
	if c.tamper != nil {
		c.tamper(hr)
	}
	return hr
}

// defaultRouteAndKey fills in what a hand-built request of either style
// leaves unset: the record action, APIVersion and the default key pair.
func defaultRouteAndKey(action, version, accessKeyID, secret *string) {
	*action = cmp.Or(*action, emulator.ActionDescribeLiveRecordNotifyRecords)
	*version = cmp.Or(*version, emulator.APIVersion)
	if *accessKeyID == "" {
		*accessKeyID, *secret = emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret
	}
}

func (e *testEnv) raw(t testing.TB, c rawCall) rawResult {
	t.Helper()
	return send(t, e.newRawRequest(t, c))
}

// send sends a hand-built request and reads the answer.
func send(t testing.TB, r *http.Request) rawResult {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatalf("raw call: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("raw call body: %v", err)
	}
	res := rawResult{status: resp.StatusCode, header: resp.Header, body: body}
	if json.Unmarshal(body, &res.fields) != nil {
		res.fields = nil
	}
	return res
}

// wantRawError asserts that a raw answer is a 400 with this Code and an
// error document of the gateway's shape.
func wantRawError(t *testing.T, res rawResult, code string) {
	t.Helper()
	wantRawAnswer(t, res, http.StatusBadRequest, code)
}

// wantRawAnswer asserts that a raw answer has this status and Code and an
// error document of the gateway's shape.
func wantRawAnswer(t *testing.T, res rawResult, status int, code string) {
	t.Helper()
	if res.status != status || res.fields["Code"] != code {
		t.Fatalf("got %d %v, want %d %s: %s", res.status, res.fields["Code"], status, code, res.body)
	}
	for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
		if s, _ := res.fields[k].(string); s == "" {
			t.Errorf("error body lacks %s: %s", k, res.body)
		}
	}
	if id, _ := res.fields["RequestId"].(string); !requestIDPattern.MatchString(id) || res.header.Get("X-Acs-Request-Id") != id {
		t.Errorf("request id %q (header %q) is not a matching UUID", id, res.header.Get("X-Acs-Request-Id"))
	}
}

// validQuery is a query either action accepts for a server built at now.
func validQuery(now time.Time, domain string) map[string]string {
	return map[string]string{
		"DomainName": domain,
		"StartTime":  ts(now.Add(-24 * time.Hour)),
		"EndTime":    ts(now),
		"PageSize":   "20",
		"PageNumber": "1",
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func statsEqual(a, b emulator.Stats) bool {
	eq := func(x, y map[string]int64) bool { return len(x) == len(y) && mapsEqual(x, y) }
	return a.Requests == b.Requests && eq(a.ByAction, b.ByAction) && eq(a.ByCode, b.ByCode) &&
		eq(a.FaultsByKind, b.FaultsByKind) && len(a.ByStatus) == len(b.ByStatus) && mapsEqual(a.ByStatus, b.ByStatus) &&
		a.Throttled == b.Throttled && a.FaultsInjected == b.FaultsInjected && a.InFlight == b.InFlight &&
		a.PeakInFlight == b.PeakInFlight && a.Canceled == b.Canceled && a.InsertedRecords == b.InsertedRecords
}

func mapsEqual[K comparable](x, y map[K]int64) bool {
	for k, v := range x {
		if y[k] != v {
			return false
		}
	}
	return len(x) == len(y)
}

func filterRows(rows []row, keep func(row) bool) []row {
	out := []row{}
	for _, r := range rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func benchHandler(b *testing.B, e *testEnv, action string, query map[string]string) {
	// Signing is not what is measured: prepare requests outside the timer,
	// in batches (each needs its own nonce).
	const batch = 256
	var reqs []*http.Request
	i := 0
	for b.Loop() {
		if i == len(reqs) {
			b.StopTimer()
			reqs = reqs[:0]
			for range batch {
				reqs = append(reqs, e.newRawRequest(b, rawCall{action: action, query: query}))
			}
			i = 0
			b.StartTimer()
		}
		w := httptest.NewRecorder()
		e.emu.ServeHTTP(w, reqs[i])
		i++
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}
