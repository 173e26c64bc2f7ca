package liveapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// transportErr is err as net/http hands it over: inside a *url.Error for the
// request's URL.
func transportErr(err error) error {
	return &url.Error{Op: "Post", URL: "https://live.example.com:8443/?Action=x", Err: err}
}

func opErr(err error) error { return &net.OpError{Op: "dial", Net: "tcp", Err: err} }

// TestClassify: every failure gets the class that says whether another
// attempt can help, read from its type or its API code, never its text.
func TestClassify(t *testing.T) {
	status := func(n int) *int { return &n }
	str := func(s string) *string { return &s }
	clientErr := func(code int, c string) error {
		return &openapi.ClientError{StatusCode: status(code), Code: str(c), RequestId: str("REQ-1"),
			Data: map[string]interface{}{"Message": c + " happened."}}
	}
	for _, c := range []struct {
		name     string
		err      error
		class    Class
		host     string // want Host
		code     string // want Code
		hasError bool   // want Err kept
	}{
		// Answers of the API, by code and status.
		{name: "throttling", err: &openapi.ThrottlingError{StatusCode: status(400), Code: str("Throttling.User"), RequestId: str("REQ-1")}, class: ClassThrottled, code: "Throttling.User"},
		{name: "throttling as a client error", err: clientErr(400, "Throttling"), class: ClassThrottled, code: "Throttling"},
		{name: "internal error", err: &openapi.ServerError{StatusCode: status(500), Code: str("InternalError")}, class: ClassServer, code: "InternalError"},
		{name: "service unavailable", err: clientErr(503, "ServiceUnavailable"), class: ClassServer, code: "ServiceUnavailable"},
		{name: "any 5xx", err: clientErr(502, "BadGateway"), class: ClassServer, code: "BadGateway"},
		{name: "signature", err: clientErr(400, "SignatureDoesNotMatch"), class: ClassAuth, code: "SignatureDoesNotMatch"},
		{name: "unknown key", err: clientErr(404, "InvalidAccessKeyId.NotFound"), class: ClassAuth, code: "InvalidAccessKeyId.NotFound"},
		{name: "expired token", err: clientErr(400, "InvalidSecurityToken.Expired"), class: ClassAuth, code: "InvalidSecurityToken.Expired"},
		{name: "clock", err: clientErr(400, "InvalidTimeStamp.Expired"), class: ClassAuth, code: "InvalidTimeStamp.Expired"},
		{name: "RAM denies", err: clientErr(403, "Forbidden.RAM"), class: ClassPermission, code: "Forbidden.RAM"},
		{name: "any 403", err: clientErr(403, "Forbidden.NoDomain"), class: ClassPermission, code: "Forbidden.NoDomain"},
		{name: "bad parameter", err: clientErr(400, "InvalidParameter"), class: ClassRequest, code: "InvalidParameter"},
		{name: "flattened SDK error", err: &tea.SDKError{StatusCode: tea.Int(400), Code: tea.String("Forbidden.RAM"), Data: tea.String(`{"RequestId":"R"}`)}, class: ClassPermission, code: "Forbidden.RAM"},
		{name: "flagged answer", err: flaggedAnswer("A", func() *int { n := 1001; return &n }(), "busy", "R", 1), class: ClassFlagged, code: "1001", hasError: true},

		// Failures before any answer: permanent ones.
		{name: "unknown authority", err: transportErr(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), class: ClassCertificate, host: "live.example.com:8443", hasError: true},
		{name: "certificate for another host", err: transportErr(x509.HostnameError{Host: "live.example.com", Certificate: &x509.Certificate{}}), class: ClassCertificate, host: "live.example.com:8443", hasError: true},
		{name: "expired certificate", err: transportErr(x509.CertificateInvalidError{Reason: x509.Expired}), class: ClassCertificate, host: "live.example.com:8443", hasError: true},
		{name: "no system roots", err: transportErr(x509.SystemRootsError{}), class: ClassCertificate, host: "live.example.com:8443", hasError: true},
		{name: "no such host", err: transportErr(opErr(&net.DNSError{Err: "no such host", Name: "live.mars-1.aliyuncs.com", IsNotFound: true})), class: ClassUnknownHost, host: "live.example.com:8443", hasError: true},
		{name: "no credentials", err: fmt.Errorf("%w: %w", ErrNoCredentials, errors.New("no profile named prod")), class: ClassCredentials, hasError: true},
		{name: "STS unknown host", err: fmt.Errorf("%w: %w", ErrNoCredentials, &url.Error{Op: "Post", URL: "https://sts.aliyuncs.com/", Err: opErr(&net.DNSError{Err: "no such host", Name: "sts.aliyuncs.com", IsNotFound: true})}),
			class: ClassCredentials, host: "sts.aliyuncs.com", hasError: true},
		{name: "plain HTTP answered", err: transportErr(http.ErrSchemeMismatch), class: ClassEndpoint, host: "live.example.com:8443", hasError: true},
		{name: "not TLS at all", err: transportErr(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), class: ClassEndpoint, host: "live.example.com:8443", hasError: true},
		{name: "handshake refused", err: transportErr(tls.AlertError(40)), class: ClassEndpoint, host: "live.example.com:8443", hasError: true},

		// Failures before any answer: transient ones.
		{name: "DNS server failure", err: transportErr(opErr(&net.DNSError{Err: "server misbehaving", Name: "live.aliyuncs.com", IsTemporary: true})), class: ClassNetwork, host: "live.example.com:8443", hasError: true},
		{name: "DNS timeout", err: transportErr(opErr(&net.DNSError{Err: "i/o timeout", Name: "live.aliyuncs.com", IsTimeout: true, IsNotFound: true})), class: ClassNetwork, host: "live.example.com:8443", hasError: true},
		{name: "connection refused", err: transportErr(opErr(os.NewSyscallError("connect", syscall.ECONNREFUSED))), class: ClassNetwork, host: "live.example.com:8443", hasError: true},
		{name: "connection reset", err: transportErr(opErr(os.NewSyscallError("read", syscall.ECONNRESET))), class: ClassNetwork, host: "live.example.com:8443", hasError: true},
		{name: "timeout", err: transportErr(opErr(os.ErrDeadlineExceeded)), class: ClassNetwork, host: "live.example.com:8443", hasError: true},
		{name: "cut short", err: transportErr(io.ErrUnexpectedEOF), class: ClassNetwork, host: "live.example.com:8443", hasError: true},
		{name: "STS refused", err: fmt.Errorf("%w: %w", ErrNoCredentials, &url.Error{Op: "Post", URL: "https://sts.aliyuncs.com/", Err: opErr(os.NewSyscallError("connect", syscall.ECONNREFUSED))}),
			class: ClassNetwork, host: "sts.aliyuncs.com", hasError: true},
		{name: "proxy refused", err: transportErr(opErr(errors.New("proxyconnect tcp: connection refused"))), class: ClassNetwork, host: "live.example.com:8443", hasError: true},
		{name: "unreadable body", err: &malformedBodyError{err: errors.New("unexpected end of JSON input")}, class: ClassBadAnswer, hasError: true},

		// Errors of the read itself pass through with their own class.
		{name: "interrupted", err: interrupted("A", context.Background(), context.DeadlineExceeded), class: ClassInterrupted, hasError: true},
		{name: "empty window", err: &APIError{Action: "A", Err: errors.New("the window is empty")}, class: ClassOther, hasError: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := classify("A", c.err)
			if got.Class != c.class || got.Host != c.host || got.Code != c.code || (got.Err != nil) != c.hasError {
				t.Errorf("class %s, host %q, code %q, err %v; want %s, %q, %q, err kept %v", got.Class, got.Host, got.Code, got.Err, c.class, c.host, c.code, c.hasError)
			}
			if got.Retryable() != c.class.Transient() {
				t.Errorf("Retryable %v for class %s", got.Retryable(), got.Class)
			}
			if c.code != "" && c.class != ClassFlagged && got.RequestID == "" && c.name != "internal error" {
				t.Errorf("the request id was lost: %+v", got)
			}
		})
	}
}

// TestClassTransient: exactly throttling, 5xx, network trouble and an
// unreadable body are worth another attempt, and every class has a name.
func TestClassTransient(t *testing.T) {
	transient := map[Class]bool{ClassThrottled: true, ClassServer: true, ClassNetwork: true, ClassBadAnswer: true}
	seen := map[string]bool{}
	for c := ClassOther; c <= ClassBadAnswer; c++ {
		if c.Transient() != transient[c] {
			t.Errorf("%s: Transient %v", c, c.Transient())
		}
		if name := c.String(); name == "" || strings.HasPrefix(name, "class(") || seen[name] {
			t.Errorf("class %d is named %q", int(c), name)
		} else {
			seen[name] = true
		}
	}
	for _, c := range []Class{ClassBadAnswer + 1, 99, -1} {
		if s, want := c.String(), fmt.Sprintf("class(%d)", int(c)); s != want {
			t.Errorf("an unknown class is named %q, want %q", s, want)
		}
	}
}

func TestAPIErrorMessage(t *testing.T) {
	e := &APIError{Action: "DescribeLiveStreamsNotifyRecords", StatusCode: 400, Code: "Duration.Exceed",
		Message: "StartTime needs to be within the last 7 days.", RequestID: "R-1", Attempts: 3}
	msg := e.Error()
	for _, want := range []string{"DescribeLiveStreamsNotifyRecords", "Duration.Exceed", "HTTP 400", "within the last 7 days", "R-1", "3 attempts"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	if strings.Count(msg, "DescribeLiveStreamsNotifyRecords") != 1 {
		t.Errorf("%q names the action more than once", msg)
	}
	// Whole messages, literal: one attempt is not counted, a starved read
	// says for how long to a tenth of a second, and an error without an API
	// answer says what went wrong instead.
	for _, c := range []struct {
		err  *APIError
		want string
	}{
		{&APIError{Action: "A", StatusCode: 503, Code: "ServiceUnavailable", Message: "Busy.", RequestID: "R-2", Attempts: 1},
			"A: ServiceUnavailable (HTTP 503): Busy. [request id R-2]"},
		{&APIError{Action: "A", StatusCode: 400, Code: "Throttling.User", Message: "Flow control.", Attempts: 6, Starved: 1260 * time.Millisecond},
			"A: Throttling.User (HTTP 400): Flow control. after 6 attempts; the API accepted no request of this client for 1.3s"},
		{&APIError{Action: "A", Err: errors.New("dial tcp: connection refused"), Attempts: 2},
			"A: dial tcp: connection refused after 2 attempts"},
		{&APIError{Action: "A"}, "A"},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
}

// TestReadTooLongErrorMessage: the times to a tenth of a second.
func TestReadTooLongErrorMessage(t *testing.T) {
	e := &ReadTooLongError{Pages: 120, MaxQPS: 2, Need: 59945712345, Left: 19987654321}
	if got, want := e.Error(), "the read needs 120 pages, which take at least 59.9s at max_qps 2, but only 20s is left before its deadline"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
