package liveapi

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// APIError is an answer of the API that is not a success, or the last of a
// series of failed attempts. It carries what the user needs to act: the
// API's code, message and request id, what kind of failure it was, where the
// request went and how many attempts were made.
type APIError struct {
	Action     string
	StatusCode int
	Code       string
	Message    string
	RequestID  string
	// Class is what kind of failure this was; only the transient classes
	// are retried (see Retryable).
	Class Class
	// Host is the host[:port] the request was sent to, when the failure came
	// before any answer (DNS, TLS, connection).
	Host string
	// Attempts is how many times the request was sent before giving up.
	Attempts int
	// Starved is, for a read given up because of throttling, how long the
	// API had accepted no request of this client: the whole quota was taken
	// by others (see fetchPage).
	Starved time.Duration
	// Throttles is, for a read that ran out of time (ClassInterrupted), how
	// many requests of its client (one provider configuration, for the
	// provider's one command) the API had throttled: a read slowed down to
	// its share of a quota others use too, rather than one simply too long.
	Throttles int64
	// Err is the underlying transport or decoding error, when there was no
	// API answer to speak of.
	Err error
}

// Retryable tells whether another attempt may succeed: throttling, 5xx,
// network trouble or an unreadable body, as opposed to a permanent failure
// that every attempt would repeat.
func (e *APIError) Retryable() bool { return e.Class.Transient() }

// Class is what kind of failure an APIError reports: enough to decide
// whether to try again and to advise on the cause, without parsing messages.
type Class int

// The classes. ClassOther, the zero value, is a failure of the read itself
// (an empty window, pages that do not add up) rather than of a call.
const (
	ClassOther Class = iota

	// Permanent: every attempt would fail the same way.

	// ClassCertificate: the endpoint's TLS certificate is not trusted here,
	// has expired or names another host.
	ClassCertificate
	// ClassUnknownHost: DNS says the endpoint's host does not exist.
	ClassUnknownHost
	// ClassCredentials: no credentials were found, or they could not be
	// read or obtained (a missing profile, an unreachable STS or metadata
	// service as credentials-go reports it).
	ClassCredentials
	// ClassEndpoint: the endpoint does not speak what its scheme says (an
	// HTTPS request answered in plain HTTP, a refused TLS handshake).
	ClassEndpoint
	// ClassAuth: the API rejected the access key, token or signature.
	ClassAuth
	// ClassPermission: the identity may not call the action on the domain.
	ClassPermission
	// ClassRequest: the API rejected the request's parameters.
	ClassRequest
	// ClassFlagged: an HTTP 200 answer with a non-zero Code.
	ClassFlagged
	// ClassInterrupted: the read's context ended (timeout or cancel).
	ClassInterrupted

	// Transient: retried with backoff.

	// ClassThrottled: the API's rate limit answered.
	ClassThrottled
	// ClassServer: a 5xx answer or a service-side error code.
	ClassServer
	// ClassNetwork: refused or reset connections, timeouts, temporary DNS
	// failures, proxies that failed the request.
	ClassNetwork
	// ClassBadAnswer: an HTTP 200 whose body does not parse.
	ClassBadAnswer
)

// Transient tells whether failures of this class are worth another attempt.
func (c Class) Transient() bool { return c >= ClassThrottled }

var classNames = [...]string{
	ClassOther: "other", ClassCertificate: "certificate", ClassUnknownHost: "unknown_host",
	ClassCredentials: "credentials", ClassEndpoint: "endpoint", ClassAuth: "auth", ClassPermission: "permission",
	ClassRequest: "request", ClassFlagged: "flagged", ClassInterrupted: "interrupted", ClassThrottled: "throttled",
	ClassServer: "server", ClassNetwork: "network", ClassBadAnswer: "bad_answer",
}

// String is the class's name as logs carry it.
func (c Class) String() string {
	if c >= 0 && int(c) < len(classNames) {
		return classNames[c]
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", e.Action)
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	} else if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request id %s]", e.RequestID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.Starved > 0 {
		fmt.Fprintf(&b, "; the API accepted no request of this client for %s", e.Starved.Round(100*time.Millisecond))
	}
	return b.String()
}

func (e *APIError) Unwrap() error { return e.Err }

// ErrFlaggedAnswer marks an HTTP 200 answer whose Code is present and not 0
// (DescribeLiveRecordNotifyRecords returns Code and Msg beside the list).
// Such a page is not a result, however empty or plausible its list: the
// APIError carries the Code (as a decimal string), the Msg as Message and the
// request id. It is not retried.
var ErrFlaggedAnswer = errors.New("the API answered with a non-zero Code")

// flaggedAnswer is the error for a page whose Code is present and not 0, or
// nil.
func flaggedAnswer(action string, code *int, msg, requestID string, attempts int) error {
	if code == nil || *code == 0 {
		return nil
	}
	return &APIError{Action: action, StatusCode: 200, Code: strconv.Itoa(*code), Message: msg,
		RequestID: requestID, Class: ClassFlagged, Attempts: attempts, Err: ErrFlaggedAnswer}
}

// The API error codes of each class that is not told by the HTTP status
// alone; any other code is ClassServer on a 5xx and ClassRequest otherwise.
var (
	throttlingCodes = map[string]bool{"Throttling": true, "Throttling.User": true, "Throttling.Api": true}
	serverCodes     = map[string]bool{"ServiceUnavailable": true, "InternalError": true}
	authCodes       = map[string]bool{
		"SignatureDoesNotMatch": true, "IncompleteSignature": true, "InvalidSignatureMethod": true,
		"MissingSignatureNonce": true, "SignatureNonceUsed": true, "InvalidAccessKeyId.NotFound": true,
		"InvalidAccessKeyId": true, "InvalidAccessKeyId.Inactive": true, "MissingAccessKeyId": true,
		"MissingSecurityToken": true, "InvalidSecurityToken.MismatchWithAccessKey": true,
		"InvalidSecurityToken.Expired": true, "InvalidSecurityToken.Malformed": true, "InvalidTimeStamp.Expired": true,
	}
	permissionCodes = map[string]bool{"Forbidden.RAM": true, "Forbidden": true, "NoPermission": true}
)

// classify turns whatever the SDK returned into an APIError of its class.
func classify(action string, err error) *APIError {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	out := &APIError{Action: action, Err: err}
	var (
		clientErr   *openapi.ClientError
		serverErr   *openapi.ServerError
		throttleErr *openapi.ThrottlingError
		sdkErr      *tea.SDKError
	)
	switch {
	case errors.As(err, &throttleErr):
		fill(out, throttleErr.StatusCode, throttleErr.Code, throttleErr.RequestId, throttleErr.Data)
	case errors.As(err, &serverErr):
		fill(out, serverErr.StatusCode, serverErr.Code, serverErr.RequestId, serverErr.Data)
	case errors.As(err, &clientErr):
		fill(out, clientErr.StatusCode, clientErr.Code, clientErr.RequestId, clientErr.Data)
	case errors.As(err, &sdkErr) && sdkErr.Code != nil && sdkErr.StatusCode != nil:
		// The flattened form, should an SDK path still produce it: its Data
		// is the decoded error body re-encoded as JSON.
		var data map[string]interface{}
		_ = json.Unmarshal([]byte(tea.StringValue(sdkErr.Data)), &data)
		requestID, _ := data["RequestId"].(string)
		fill(out, sdkErr.StatusCode, sdkErr.Code, &requestID, data)
	default:
		// No API answer: the request never got one.
		out.Class = transportClass(err)
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			if u, perr := url.Parse(urlErr.URL); perr == nil {
				out.Host = u.Host
			}
		}
		return out
	}
	out.Err = nil
	out.Class = codeClass(out.Code, out.StatusCode)
	return out
}

// codeClass is the class of an API answer with an error code.
func codeClass(code string, status int) Class {
	switch {
	case throttlingCodes[code]:
		return ClassThrottled
	case serverCodes[code] || status >= 500:
		return ClassServer
	case authCodes[code]:
		return ClassAuth
	case permissionCodes[code] || status == http.StatusForbidden:
		return ClassPermission
	default:
		return ClassRequest
	}
}

// transportClass is the class of a failure that got no answer from the API,
// read from the error's types: a certificate, a host that does not exist or
// an endpoint speaking another protocol fail the same way every time, while
// resets, refusals, timeouts and temporary DNS failures may pass.
func transportClass(err error) Class {
	var (
		verifyErr    *tls.CertificateVerificationError
		authorityErr x509.UnknownAuthorityError
		hostnameErr  x509.HostnameError
		invalidErr   x509.CertificateInvalidError
		rootsErr     x509.SystemRootsError
		recordErr    tls.RecordHeaderError
		alertErr     tls.AlertError
		dnsErr       *net.DNSError
		malformed    *malformedBodyError
	)
	switch {
	case errors.Is(err, ErrNoCredentials):
		// credentials-go hands over the transport error of an STS or metadata
		// request it could not complete: a transient one is retried like the
		// API's own, anything else is a credential problem.
		var urlErr *url.Error
		if errors.As(err, &urlErr) && transportClass(urlErr).Transient() {
			return ClassNetwork
		}
		return ClassCredentials
	case errors.As(err, &verifyErr), errors.As(err, &authorityErr), errors.As(err, &hostnameErr),
		errors.As(err, &invalidErr), errors.As(err, &rootsErr):
		return ClassCertificate
	case errors.Is(err, http.ErrSchemeMismatch), errors.As(err, &recordErr), errors.As(err, &alertErr):
		return ClassEndpoint
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound && !dnsErr.IsTemporary && !dnsErr.IsTimeout {
			return ClassUnknownHost
		}
		return ClassNetwork
	case errors.As(err, &malformed):
		return ClassBadAnswer
	default:
		return ClassNetwork
	}
}

func fill(out *APIError, status *int, code, requestID *string, data map[string]interface{}) {
	if status != nil {
		out.StatusCode = *status
	}
	if code != nil {
		out.Code = *code
	}
	if requestID != nil {
		out.RequestID = *requestID
	}
	// The SDK's own Message is decorated ("code: 400, ... request id: ..."):
	// take the API's message from the decoded body instead.
	for _, key := range []string{"Message", "message"} {
		if m, ok := data[key].(string); ok {
			out.Message = m
			break
		}
	}
}
