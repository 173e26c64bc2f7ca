package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"strconv"
	"time"
)

// Server is the emulator, an http.Handler. Create it with New; all methods
// are safe for concurrent use.
type Server struct {
	now     func() time.Time
	clock   func() time.Time
	creds   map[string]Credential
	latency time.Duration
	logger  func(format string, args ...any)
	// grace widens the 7-day StartTime rule (Options.StartTimeGrace).
	grace       time.Duration
	shuffleTies bool

	gen     *generator
	data    *dataset
	nonces  *nonceCache
	limits  *limiters
	faults  faultState
	stats   *statsCollector
	actions map[string]endpoint
}

// New builds a Server and generates its data set relative to opts.Now().
func New(opts Options) *Server {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	clock := opts.RequestClock
	if clock == nil {
		clock = time.Now
	}
	creds := maps.Clone(opts.Credentials)
	if creds == nil {
		creds = map[string]Credential{DefaultAccessKeyID: {Secret: DefaultAccessKeySecret}}
	}
	domains := opts.Domains
	if domains == nil {
		domains = DefaultDomains()
	}
	s := &Server{
		now:         now,
		clock:       clock,
		creds:       creds,
		latency:     opts.Latency,
		logger:      opts.Logf,
		grace:       opts.StartTimeGrace,
		shuffleTies: opts.ShuffleTies,
		gen:         newGenerator(opts.Seed, now()),
		data:        newDataset(),
		nonces:      newNonceCache(),
		limits:      newLimiters(opts.MaxQPS, clock),
		stats:       newStatsCollector(),
		actions: map[string]endpoint{
			ActionDescribeLiveRecordNotifyRecords:  recordAction(),
			ActionDescribeLiveStreamsNotifyRecords: streamAction(),
		},
	}
	s.faults.set(opts.Faults)
	s.gen.populate(s.data, domains, !opts.NoCaseDomains)
	return s
}

// Now returns the data-set clock (Options.Now), for callers that need to
// build a StartTime/EndTime window the emulator will accept.
func (s *Server) Now() time.Time { return s.now() }

func (s *Server) logf(format string, args ...any) {
	if s.logger != nil {
		s.logger(format, args...)
	}
}

// outcome is everything the pipeline decided about one request.
type outcome struct {
	body any       // success body
	err  *APIError // error answer
	plan faultPlan // injected fault, if any
}

// ServeHTTP answers one OpenAPI request. See the package documentation for
// the pipeline.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	requestID := newRequestID()
	in, readErr := readIncoming(r)
	action := in.action
	statKey := action
	if _, known := s.actions[action]; !known {
		statKey = "other"
	}
	s.stats.begin(statKey)
	defer s.stats.end()
	s.stats.peak.arrive(r.UserAgent())

	if !s.delay(r.Context()) {
		s.stats.canceled()
		s.logf("%s %s %s: client went away during latency", requestID, r.Method, action)
		return
	}

	out := outcome{err: readErr}
	if readErr == nil {
		out = s.process(r, in, requestID)
	}
	if out.plan.drop {
		s.logf("%s %s %s: connection dropped (fault)", requestID, r.Method, action)
		dropConnection(w)
		return
	}
	status, code, body := http.StatusOK, "", out.body
	if out.err != nil {
		status, code = out.err.Status, out.err.Code
		body = newErrorBody(out.err, requestID, r.Host)
	}
	s.stats.answered(status, code)
	writeJSON(w, status, requestID, body, out.plan.truncate)
	s.logf("%s %s %s -> %d %s (%s)", requestID, r.Method, action, status, code, time.Since(start).Round(time.Microsecond))
}

// process runs the shared pipeline: route, authenticate (by the request's
// signature style), throttle, faults, then the action's validate → filter →
// page → encode.
func (s *Server) process(r *http.Request, in *incoming, requestID string) outcome {
	ep, err := s.route(in)
	if err != nil {
		return outcome{err: err}
	}
	accessKeyID, err := s.authenticate(r, in)
	if err != nil {
		return outcome{err: err}
	}
	if !s.limits.allow(accessKeyID) {
		s.stats.throttled()
		return outcome{err: errThrottlingUser()}
	}
	plan := s.faults.next()
	if plan.kind != "" {
		s.stats.fault(plan.kind)
	}
	if plan.err != nil || plan.drop {
		return outcome{err: plan.err, plan: plan}
	}
	out, err := ep.serve(s, in.apiParams(), requestID)
	return outcome{body: out, err: err, plan: plan}
}

// route finds the action the request's style names (see incoming).
func (s *Server) route(in *incoming) (endpoint, *APIError) {
	ep, ok := s.actions[in.action]
	if !ok {
		return nil, errActionNotFound()
	}
	if in.version != APIVersion {
		return nil, errInvalidVersion()
	}
	return ep, nil
}

// delay sleeps Options.Latency, returning false if the client gave up first.
func (s *Server) delay(ctx context.Context) bool {
	if s.latency <= 0 {
		return true
	}
	t := time.NewTimer(s.latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// writeJSON sends v without HTML escaping (the API returns "<" and "&"
// verbatim inside NotifyContent and NotifyResponse). truncate cuts the body
// in half (TruncateBody fault) and declares the cut length, so the exchange
// stays valid HTTP while the JSON does not parse.
func writeJSON(w http.ResponseWriter, status int, requestID string, v any, truncate bool) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Every body is built from strings and ints; this cannot happen.
		panic("emulator: encoding response: " + err.Error())
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if truncate {
		b = b[:len(b)/2]
	}
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("X-Acs-Request-Id", requestID)
	w.WriteHeader(status)
	_, _ = w.Write(b) // a client that went away is not the emulator's error
}

// dropConnection closes the connection without a response (DropConnection
// fault). Where the connection cannot be hijacked (HTTP/2), aborting the
// handler resets the stream, which the client sees the same way.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
