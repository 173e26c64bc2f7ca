// Package liveapi is the provider's client of the two ApsaraVideo Live list
// actions. It owns everything between a data source and the wire: signing
// (through the official SDK), the provider-wide rate limit, retries, paging
// and error mapping, with one implementation serving both actions.
package liveapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	live "github.com/alibabacloud-go/live-20161101/v3/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/net/http/httpproxy"

	"github.com/callbackwatch/terraform-provider-live/internal/clock"
)

// Defaults of the provider arguments that tune the client.
const (
	// DefaultMaxQPS leaves half of the account's 100 QPS quota to the other
	// tools that share it.
	DefaultMaxQPS = 50
	// DefaultMaxRetries rides out a few seconds of throttling or 5xx answers.
	DefaultMaxRetries = 5
	// DefaultConcurrency is the least number of pages in flight. The rate
	// limiter, not this, sets the pace, so the workers only have to cover
	// max_qps x round trip: New raises it to a quarter second of quota.
	DefaultConcurrency = 10
	// DefaultRegion is where the provider points when nothing says otherwise.
	DefaultRegion = "cn-shanghai"
)

// Config configures a Client.
type Config struct {
	RegionID string
	// Endpoint overrides the SDK's regional endpoint (nil: HTTPS to the
	// regional endpoint of RegionID).
	Endpoint   *Endpoint
	Credential credentials.Credential
	UserAgent  string
	// MaxQPS is the provider-wide request rate (0: DefaultMaxQPS).
	MaxQPS float64
	// MaxRetries is how many times a transient failure is retried (0 or
	// negative: none; the provider passes DefaultMaxRetries unless told).
	MaxRetries int
	// Concurrency bounds the pages fetched at once (0: enough workers for a
	// quarter second of MaxQPS, at least DefaultConcurrency).
	Concurrency int
	// RetryBaseDelay and RetryMaxDelay shape the exponential backoff
	// (0: 200ms and 5s).
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	// ReadTimeout bounds one HTTP exchange (0: 30s).
	ReadTimeout time.Duration
	// WindowMargin is what a read near the 7-day edge gives up beyond what
	// it needs (0: WindowMargin); tests shorten it to exercise long reads.
	WindowMargin time.Duration
	// GuardBand lengthens the limiter's window beyond a second (0: the
	// constant GuardBand; negative: none). The benchmark sets it to measure
	// what the band costs and what it prevents.
	GuardBand time.Duration
	// DialContext opens the connections (nil: a net.Dialer with a 10s
	// timeout). Tests use it to stand in for DNS.
	DialContext func(ctx context.Context, network, address string) (net.Conn, error)
	// Proxy picks the proxy of a request URL, nil for none, as
	// httpproxy.Config.ProxyFunc does (nil: the proxy environment variables
	// as they are when New runs; net/http's ProxyFromEnvironment would read
	// them once per process).
	Proxy func(*url.URL) (*url.URL, error)
	// RootCAs are the certificate authorities trusted for the endpoint and
	// an HTTPS proxy (nil: the system's). See LoadCABundle.
	RootCAs *x509.CertPool
}

// Client calls the API. It is safe for concurrent use, and every call made
// through one Client shares one rate limiter: a provider configures one
// Client and hands it to all its data sources.
type Client struct {
	// sdks holds SDK clients for the requests in flight: an SDK client is not
	// safe for concurrent use (it resets its own fields on every call), so
	// each request borrows one. They share one HTTP client and connection pool.
	sdks         sync.Pool
	regionID     string
	protocol     string
	maxQPS       float64
	windowMargin time.Duration
	limiter      *Limiter
	maxRetries   int
	concurrency  int
	baseDelay    time.Duration
	maxDelay     time.Duration
	http         *http.Client // what the SDK sends through, after the limiter
	// now and sleep are the client's clock: the 7-day window's (when a read
	// starts, how long its first page took, whether a request may still
	// leave), the times the limiter is told, and the waits between
	// attempts. They are time.Now and clock.Sleep; tests put the client,
	// its limiter and the emulator on a clock they move on, to make a read
	// long, late or throttled without waiting.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// New builds a Client. It does not call the network.
func New(cfg Config) (*Client, error) {
	if cfg.Credential == nil {
		return nil, ErrNoCredentials
	}
	if cfg.RegionID == "" {
		cfg.RegionID = DefaultRegion
	}
	qps := cfg.MaxQPS
	if qps <= 0 {
		qps = DefaultMaxQPS
	}
	c := &Client{
		regionID:    cfg.RegionID,
		protocol:    "HTTPS",
		maxQPS:      qps,
		maxRetries:  max(cfg.MaxRetries, 0),
		concurrency: cfg.Concurrency,
		baseDelay:   cfg.RetryBaseDelay,
		maxDelay:    cfg.RetryMaxDelay,
		now:         time.Now,
		sleep:       clock.Sleep,
	}
	if c.concurrency <= 0 {
		// Enough workers to keep max_qps busy at a 250 ms round trip.
		c.concurrency = max(DefaultConcurrency, int(math.Ceil(qps/4)))
	}
	band := cfg.GuardBand
	switch {
	case band == 0:
		band = GuardBand
	case band < 0:
		band = 0
	}
	c.limiter = newLimiter(qps, band)
	c.windowMargin = cfg.WindowMargin
	if c.windowMargin <= 0 {
		c.windowMargin = WindowMargin
	}
	if c.baseDelay <= 0 {
		c.baseDelay = 200 * time.Millisecond
	}
	if c.maxDelay <= 0 {
		c.maxDelay = 5 * time.Second
	}
	readTimeout := cfg.ReadTimeout
	if readTimeout <= 0 {
		readTimeout = 30 * time.Second
	}
	// No timeouts or pool size for the SDK: they would only shape the
	// transport it builds for a client of its own, and every request goes
	// through c.http (httpDoer), which has them.
	sdkCfg := &openapiutil.Config{
		RegionId:   dara.String(cfg.RegionID),
		Credential: cfg.Credential,
	}
	if cfg.UserAgent != "" {
		sdkCfg.UserAgent = dara.String(cfg.UserAgent)
	}
	if cfg.Endpoint != nil {
		sdkCfg.Endpoint = dara.String(cfg.Endpoint.Host)
		sdkCfg.Protocol = dara.String(cfg.Endpoint.Protocol)
		c.protocol = cfg.Endpoint.Protocol
	}
	proxy := cfg.Proxy
	if proxy == nil {
		proxy = httpproxy.FromEnvironment().ProxyFunc()
	}
	dial := cfg.DialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	// Our own HTTP client: the SDK's default one is a process-wide object it
	// reconfigures on every request, which races under concurrent paging.
	c.http = &http.Client{
		Timeout: readTimeout,
		Transport: &http.Transport{
			Proxy:               func(req *http.Request) (*url.URL, error) { return proxy(req.URL) },
			DialContext:         dial,
			TLSClientConfig:     &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: cfg.RootCAs},
			TLSHandshakeTimeout: 10 * time.Second,
			MaxIdleConns:        c.concurrency * 2,
			MaxIdleConnsPerHost: c.concurrency * 2,
			IdleConnTimeout:     90 * time.Second,
			ForceAttemptHTTP2:   true,
		},
	}
	sdkCfg.HttpClient = &httpDoer{limiter: c.limiter, client: c.http}
	newSDK := func() (*live.Client, error) {
		sdk, err := live.NewClient(sdkCfg)
		if err != nil {
			return nil, fmt.Errorf("creating the ApsaraVideo Live SDK client: %w", err)
		}
		// Keep the SDK's typed errors (ClientError, ServerError,
		// ThrottlingError) rather than its flattened SDKError, so classify can
		// read code and request id without parsing strings. (The live client
		// declares its own DisableSDKError that shadows the one its embedded
		// OpenAPI client reads.)
		sdk.Client.DisableSDKError = dara.Bool(true)
		return sdk, nil
	}
	first, err := newSDK()
	if err != nil {
		return nil, err
	}
	c.sdks.New = func() any {
		sdk, _ := newSDK() // The same configuration succeeded above.
		return sdk
	}
	c.sdks.Put(first)
	return c, nil
}

// httpDoer sends the SDK's requests through one shared http.Client, each
// once the limiter admits it. Admission happens here, after the SDK has
// signed the request and just before the HTTP client sends it, so that what
// the limiter spaces is what the API receives; and before Do, so that a wait
// in the limiter's queue does not count against the HTTP timeout.
type httpDoer struct {
	limiter *Limiter
	client  *http.Client
}

func (d *httpDoer) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	ctx := req.Context()
	a, _ := ctx.Value(admissionKey{}).(*admission)
	t, err := d.limiter.Wait(ctx)
	if err != nil {
		return nil, err
	}
	if a != nil {
		a.ticket, a.admitted = t, true
		if !a.sendBy.IsZero() && a.now().After(a.sendBy) {
			a.late = true
			return nil, errSentTooLate
		}
	}
	return d.client.Do(req)
}

// admission carries what fetchPage and httpDoer tell each other about one
// attempt, through the request's context: the SDK stands between them.
type admission struct {
	// sendBy is when the request must have left (zero: no limit), by the
	// client's clock now.
	sendBy time.Time
	now    func() time.Time
	// ticket is the limiter's admission; admitted tells that there was one.
	ticket   Ticket
	admitted bool
	// late: the request was admitted after sendBy and not sent.
	late bool
}

type admissionKey struct{}

// errSentTooLate is httpDoer's error for a request admitted after its
// sendBy; fetchPage reads admission.late rather than this error, which the
// SDK may wrap beyond recognition.
var errSentTooLate = errors.New("admitted after the window's StartTime left the API's 7 days")

// MaxQPS is the client's request rate, as configured.
func (c *Client) MaxQPS() float64 { return c.maxQPS }

// MaxRetries is how many times the client retries a transient failure, as
// configured (see fetchPage for throttling).
func (c *Client) MaxRetries() int { return c.maxRetries }

// Limiter is the rate limiter every request of this client waits on.
func (c *Client) Limiter() *Limiter { return c.limiter }

// MinDuration is the least time calls requests of this client can span
// under its rate limit (see Limiter.MinDuration): the floor a benchmark
// judges a full read's wall time against.
func (c *Client) MinDuration(calls int) time.Duration { return c.limiter.MinDuration(calls) }

// fetchPage sends one page request, retrying transient failures, and decodes
// the page into env. When dst has capacity the records are decoded into its
// backing array, so that pages land in the final slice without a copy.
//
// Retries: a transient failure is retried up to c.maxRetries times with
// exponential backoff and jitter. Throttling is the exception that makes
// reads under contention slow down rather than fail: a throttled attempt
// does not count against max_retries while the client is making progress,
// that is, while the API accepted some request of this client (any page)
// since this page's previous throttled answer, or within the last second
// for its first. Such a retry waits a jittered base delay and then on the
// limiter, whose rate the throttle has just lowered; the read's deadline
// still bounds it. A throttled attempt without progress counts like any
// other failure, so a client the API shuts out entirely fails after
// max_retries+1 such attempts, with the time nothing was accepted
// (APIError.Starved).
func fetchPage[T any](ctx context.Context, c *Client, op Operation[T], q Query, page int, dst []T) (*pageEnvelope[T], int, error) {
	params := q.params(c.regionID, page, op.sendsStorageType)
	firstTry := c.now()
	var lastThrottle time.Time // the page's last throttled answer
	charged := 0               // attempts counted against max_retries
	for attempt := 1; ; attempt++ {
		if !q.sendBy.IsZero() && c.now().After(q.sendBy) {
			return nil, attempt - 1, &errStartTooOld{}
		}
		a := &admission{sendBy: q.sendBy, now: c.now}
		start := time.Now()
		env := &pageEnvelope[T]{}
		// A failed attempt may have decoded part of a page; encoding/json keeps
		// fields absent from the next body, so start every attempt from zero.
		clear(dst[:cap(dst)])
		*op.items(env) = dst[:0]
		err := c.callOnce(context.WithValue(ctx, admissionKey{}, a), op.Action, params, env)
		answered := c.now()
		switch {
		case a.late:
			return nil, attempt - 1, &errStartTooOld{}
		case !a.admitted && ctx.Err() != nil:
			return nil, attempt - 1, c.interrupted(op.Action, ctx, ctx.Err())
		}
		fields := map[string]interface{}{
			"action":      op.Action,
			"page":        page,
			"attempt":     attempt,
			"duration_ms": time.Since(start).Milliseconds(),
		}
		if err == nil {
			err = flaggedAnswer(op.Action, env.Code, env.Msg, env.RequestID, attempt)
		}
		if err == nil {
			c.limiter.Accepted(a.ticket, answered)
			fields["request_id"] = env.RequestID
			fields["records"] = len(*op.items(env))
			tflog.Debug(ctx, "ApsaraVideo Live API call succeeded", fields)
			return env, attempt, nil
		}
		apiErr := classify(op.Action, err)
		apiErr.Attempts = attempt
		throttled := apiErr.Class == ClassThrottled
		switch {
		case !a.admitted:
		case throttled:
			if rate := c.limiter.Throttled(a.ticket, answered); rate > 0 {
				fields["rate_cut_to"] = rate
			}
		case apiErr.StatusCode != 0:
			c.limiter.Accepted(a.ticket, answered) // an answer the quota counted
		}
		fields["request_id"] = apiErr.RequestID
		fields["error_code"] = apiErr.Code
		fields["http_status"] = apiErr.StatusCode
		fields["error_class"] = apiErr.Class.String()
		fields["retryable"] = apiErr.Retryable()
		tflog.Debug(ctx, "ApsaraVideo Live API call failed", fields)
		if ctx.Err() != nil {
			return nil, attempt, c.interrupted(op.Action, ctx, ctx.Err())
		}
		// A permanent failure (a certificate, a host that does not exist,
		// missing credentials, a rejected key) fails at once: retrying would
		// only delay the advice.
		if !apiErr.Retryable() {
			return nil, attempt, apiErr
		}
		progress := false
		if throttled {
			since := lastThrottle
			if since.IsZero() {
				since = answered.Add(-acceptedWindow)
			}
			progress, lastThrottle = c.limiter.AcceptedSince(since), answered
		}
		if !progress {
			charged++
		}
		if charged > c.maxRetries {
			if throttled {
				apiErr.Starved = answered.Sub(laterOf(firstTry, c.limiter.LastAccepted()))
			}
			return nil, attempt, apiErr
		}
		var wait time.Duration
		if progress {
			wait = rand.N(c.baseDelay) // jitter only: the limiter sets the pace
		} else {
			wait = c.backoff(charged)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, attempt, c.interrupted(op.Action, ctx, err)
		}
	}
}

// callOnce is one signed HTTP exchange through the SDK. BodyType "binary"
// makes the SDK hand over the raw body, which is decoded straight into env.
func (c *Client) callOnce(ctx context.Context, action string, query map[string]*string, env any) error {
	params := &openapiutil.Params{
		Action:      dara.String(action),
		Version:     dara.String(APIVersion),
		Protocol:    dara.String(c.protocol),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		BodyType:    dara.String("binary"),
	}
	sdk, _ := c.sdks.Get().(*live.Client) // The pool holds nothing else.
	resp, err := sdk.CallApiWithCtx(ctx, params, &openapiutil.OpenApiRequest{Query: query}, &dara.RuntimeOptions{})
	c.sdks.Put(sdk)
	if err != nil {
		return err
	}
	body, ok := resp["body"].(io.Reader)
	if !ok {
		return fmt.Errorf("the SDK returned no response body")
	}
	if closer, ok := body.(io.Closer); ok {
		defer closer.Close()
	}
	// Read into a pooled buffer sized from Content-Length: growing a fresh
	// one was most of the bytes a page allocated. Decoding copies every
	// string out of the buffer, so it can be reused at once.
	buf, _ := bodyBuffers.Get().(*bytes.Buffer) // The pool holds nothing else.
	defer bodyBuffers.Put(buf)
	buf.Reset()
	if headers, ok := resp["headers"].(map[string]*string); ok {
		buf.Grow(bodyRoom(dara.StringValue(headers["content-length"])))
	}
	if _, err := buf.ReadFrom(body); err != nil {
		return fmt.Errorf("reading the response body: %w", err)
	}
	return decodeBody(buf.Bytes(), env)
}

// maxBodyPrealloc caps what a Content-Length header can make us allocate up
// front (a 500-record page is about 300 KB).
const maxBodyPrealloc = 64 << 20

// bodyRoom is the room to make for a body of the given Content-Length:
// one byte more, so that ReadFrom sees the end without growing the buffer;
// none for a length that is missing, not a number, or implausibly large.
func bodyRoom(contentLength string) int {
	if n, err := strconv.Atoi(contentLength); err == nil && n > 0 && n < maxBodyPrealloc {
		return n + 1
	}
	return 0
}

var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// decodeBody decodes a success body. Anything that is not a JSON object (a
// truncated body, an HTML error page from a proxy) is a malformedBodyError,
// which is retried.
func decodeBody(data []byte, env any) error {
	if err := json.Unmarshal(data, env); err != nil {
		return &malformedBodyError{err: err, size: len(data)}
	}
	return nil
}

type malformedBodyError struct {
	err  error
	size int
}

func (e *malformedBodyError) Error() string {
	return fmt.Sprintf("the API answered 200 with a body that does not parse (%d bytes): %v", e.size, e.err)
}

func (e *malformedBodyError) Unwrap() error { return e.err }

// backoff is exponential with full jitter, capped, so that concurrent
// workers hit by the same throttling do not retry in lockstep.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.baseDelay << min(attempt-1, 16)
	if d <= 0 || d > c.maxDelay {
		d = c.maxDelay
	}
	return d/2 + rand.N(d/2+1)
}

// interrupted is the error of a read whose context ended: it counts the
// requests the API throttled meanwhile, which tell a read slowed down by a
// shared quota from one that was simply too long.
func (c *Client) interrupted(action string, ctx context.Context, err error) error {
	e := interrupted(action, ctx, err)
	e.Throttles = c.limiter.Throttles()
	return e
}

func interrupted(action string, ctx context.Context, err error) *APIError {
	if cause := context.Cause(ctx); cause != nil {
		err = cause
	}
	return &APIError{Action: action, Class: ClassInterrupted, Err: fmt.Errorf("interrupted before the read completed: %w", err)}
}
