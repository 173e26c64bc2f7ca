// Package emulator is an in-process stand-in for two Alibaba Cloud
// ApsaraVideo Live OpenAPI operations (product Live, version 2016-11-01):
//
//   - DescribeLiveRecordNotifyRecords  (recording callback records)
//   - DescribeLiveStreamsNotifyRecords (stream ingest callback records)
//
// It is written from the public API documents, not recorded from the wire,
// and it is not a mock: a *Server holds a deterministic data set of callback
// records and answers every request the way the real API does — it verifies
// both signature styles the gateway accepts, enforces every documented
// parameter rule with the documented error code and HTTP status, filters and
// pages the data set, and encodes the documented response body. Both
// official Go SDKs therefore talk to it unmodified, only the endpoint (and
// plain HTTP) changes: github.com/alibabacloud-go/live-20161101/v3, which
// signs ACS3-HMAC-SHA256 (V3), and github.com/aliyun/alibaba-cloud-sdk-go,
// which signs in the RPC style (HMAC-SHA1, SignatureVersion 1.0) like the
// aliyun CLI and most scripts.
//
// Every request goes through one pipeline, shared by both operations and
// both signature styles:
//
//	read (signature style) → latency → route (action, version) →
//	authenticate (signature, STS, time stamp, nonce) → throttle (MaxQPS) →
//	injected faults → validate → filter → page → encode
//
// The styles differ only in where route and authenticate read: a V3 request
// names its action in x-acs-action and x-acs-version and carries its
// credentials in the Authorization and x-acs-* headers; an RPC request
// carries Action, Version, AccessKeyId, Timestamp, SignatureNonce,
// Signature (and SecurityToken) as parameters, in the query string or a
// form-encoded body. A failure both styles can have (wrong secret, unknown
// key, stale or malformed time stamp, reused nonce, missing or wrong STS
// token) gets the same code and HTTP status in both; a request that mixes
// the styles, or uses one by halves, is refused.
//
// Only validation vocabulary (error codes), the per-action filter
// (StorageType) and the response shape differ between the two operations;
// see actions.go.
//
// It grants nothing the documents do not: StartTime must lie within 7 days
// of the moment each request is processed, to the second; the record action
// requires PageSize and PageNumber, as its document marks them; an RPC
// request must ask for Format JSON (the emulator encodes no XML); ErrorCodes
// lists every code it can answer.
//
// Operational knobs exist for tests and demos: per-request latency, a
// server-side QPS limit per AccessKeyId, fault injection that can be changed
// at run time (SetFaults; among the faults an HTTP 200 record answer with a
// non-zero Code), counters (Stats), and two ways to model a laxer or less
// orderly API than the documents describe: a grace on the 7-day rule
// (StartTimeGrace) and tie order shuffled on every request (ShuffleTies).
//
// Two SDK behaviours (live-20161101/v3 v3.0.0, darabonba-openapi v2.1.14,
// tea v1.5.3) matter to code tested against the emulator:
//
//   - Unless the embedded openapi.Client's DisableSDKError is true, the SDK
//     converts *openapi.ClientError, *openapi.ServerError and
//     *openapi.ThrottlingError into *tea.SDKError (Code and StatusCode are
//     kept, RequestId only inside Message).
//   - SDK clients without Config.HttpClient share one pooled http.Client per
//     host whose Timeout dara rewrites on every call while concurrent calls
//     read it: `go test -race` reports a data race inside the SDK as soon as
//     two calls overlap. Setting Config.HttpClient avoids the shared client.
//
// Typical use in a test:
//
//	emu := emulator.New(emulator.Options{Seed: 1})
//	ts := httptest.NewServer(emu)
//	defer ts.Close()
//	// point an SDK client at strings.TrimPrefix(ts.URL, "http://") with
//	// Protocol "HTTP" (alibaba-cloud-sdk-go: request Domain and Scheme
//	// "http") and emulator.DefaultAccessKeyID/DefaultAccessKeySecret.
package emulator
