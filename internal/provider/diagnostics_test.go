package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

var actions = []string{liveapi.RecordNotifyRecords.Action, liveapi.StreamNotifyRecords.Action}

func TestHintsCoverTheTable(t *testing.T) {
	for code, h := range errorHints {
		if strings.TrimSpace(h) == "" {
			t.Errorf("empty hint for %s", code)
		}
	}
	for code := range paramCodes {
		for _, action := range actions {
			if hint(action, code) == "" {
				t.Errorf("no hint for %s of %s", code, action)
			}
		}
	}
}

// TestHintsCoverTheEmulator: every error code the emulator can answer has a
// hint (emulator.ErrorCodes is kept complete by the emulator's own test).
func TestHintsCoverTheEmulator(t *testing.T) {
	codes := emulator.ErrorCodes()
	if len(codes) < 20 {
		t.Fatalf("the emulator lists only %d codes", len(codes))
	}
	for _, code := range codes {
		for _, action := range actions {
			if hint(action, code) == "" {
				t.Errorf("no hint for %s, which the emulator answers", code)
			}
		}
	}
}

func TestHintPageNumberFollowsTheDocument(t *testing.T) {
	if h := hint(liveapi.RecordNotifyRecords.Action, "MalformedParams"); !strings.Contains(h, "page_number 1-100000") {
		t.Errorf("record action: %q", h)
	}
	if h := hint(liveapi.StreamNotifyRecords.Action, "InvalidParam"); strings.Contains(h, "100000") || !strings.Contains(h, "page_number 1 or more") {
		t.Errorf("stream action: %q", h)
	}
}

// TestFlaggedAnswer: an HTTP 200 answer with a non-zero Code becomes an error
// whose detail says the answer was flagged and what to do.
func TestFlaggedAnswer(t *testing.T) {
	var diags diag.Diagnostics
	err := &liveapi.APIError{Action: liveapi.RecordNotifyRecords.Action, StatusCode: 200, Code: "1001", Message: "system busy", RequestID: "R-1"}
	addAPIError(&diags, err.Action, err, time.Minute)
	if len(diags) != 1 {
		t.Fatalf("got %v", diags)
	}
	d := diags[0]
	if d.Summary() != "DescribeLiveRecordNotifyRecords failed: 1001" {
		t.Errorf("summary %q", d.Summary())
	}
	for _, want := range []string{"HTTP 200", "system busy", "R-1", "flagged", "no summary was computed", "support"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail lacks %q:\n%s", want, d.Detail())
		}
	}
	if hint(actions[0], "InternalError") == hint(actions[0], "1001") || hint(actions[0], "12a") != "" {
		t.Errorf("only whole numbers are flagged answers")
	}
}

func TestAddAPIErrorKinds(t *testing.T) {
	for _, tc := range []struct {
		err     error
		summary string
	}{
		{liveapi.ErrNoCredentials, "No usable Alibaba Cloud credentials"},
		{errors.Join(errors.New("x"), liveapi.ErrInconsistent), "Callback records changed during the read"},
		{fmt.Errorf("%w: 600 records", liveapi.ErrUnstableTies), "Callback records could not be ordered into pages"},
		{&liveapi.APIError{Action: "A", Err: liveapi.ErrWindowExpired}, "The time window is older than 7 days"},
		{&liveapi.APIError{Action: "A", Err: liveapi.ErrPageRange}, "Too many pages for the API"},
		{&liveapi.APIError{Action: "A", RequestID: "R", Err: fmt.Errorf("%w: NotifyTime %q", liveapi.ErrMalformedRecord, "yesterday")},
			"The API answered a callback record that breaks its document"},
		{&liveapi.APIError{Action: "A", StatusCode: 400, Code: "Throttling.User", RequestID: "R", Attempts: 3}, "A failed: Throttling.User"},
		{&liveapi.APIError{Action: "A", Class: liveapi.ClassNetwork, Err: errors.New("connection reset")}, "A failed: the API could not be reached"},
		{&liveapi.APIError{Action: "A", Class: liveapi.ClassInterrupted, Err: fmt.Errorf("interrupted: %w", context.DeadlineExceeded)}, "Reading callback records timed out"},
		{&liveapi.APIError{Action: "A", Class: liveapi.ClassNetwork, Err: fmt.Errorf("Client.Timeout: %w", context.DeadlineExceeded)}, "A failed: the API could not be reached"},
		{&liveapi.ReadTooLongError{Pages: 120, MaxQPS: 2, Need: time.Minute, Left: 20 * time.Second}, "Reading callback records cannot finish in time"},
	} {
		var diags diag.Diagnostics
		addAPIError(&diags, "A", tc.err, time.Minute)
		if len(diags) != 1 || diags[0].Summary() != tc.summary {
			t.Errorf("%v: got %v, want %q", tc.err, diags, tc.summary)
		}
	}
}

// TestReadTooLongAdvice: the diagnostic names the pages, max_qps, what the
// read needs and the timeout, and says what to raise.
func TestReadTooLongAdvice(t *testing.T) {
	var diags diag.Diagnostics
	addAPIError(&diags, "A", &liveapi.ReadTooLongError{Pages: 120, MaxQPS: 2, Need: 60 * time.Second, Left: 19800 * time.Millisecond}, 20*time.Second)
	detail := diags[0].Detail()
	for _, want := range []string{"120 pages", "max_qps 2", "at least 1m0s", "read timeout (20s)", "above 2m0s", "raise max_qps"} {
		if !strings.Contains(detail, want) {
			t.Errorf("the detail lacks %q:\n%s", want, detail)
		}
	}
}

// TestAddAPIErrorClasses: each class of failure before an answer gets a
// summary and advice for its own cause. Advice for a permanent failure never
// suggests retrying; a transient one names the host it could not reach.
func TestAddAPIErrorClasses(t *testing.T) {
	const action, host = "DescribeLiveStreamsNotifyRecords", "live.mars-1.aliyuncs.com"
	for _, c := range []struct {
		class   liveapi.Class
		err     error
		summary string
		advice  []string // all in the detail
	}{
		{liveapi.ClassCertificate, errors.New("tls: failed to verify certificate: x509: certificate signed by unknown authority"),
			"The endpoint's TLS certificate is not trusted", []string{host, "certificate authority", "custom_ca_bundle", "ALIBABA_CLOUD_CA_BUNDLE"}},
		{liveapi.ClassUnknownHost, errors.New("dial tcp: lookup live.mars-1.aliyuncs.com: no such host"),
			"The API host does not exist", []string{host, "region", "cn-shanghai", "endpoint"}},
		{liveapi.ClassCredentials, fmt.Errorf("%w: no profile named prod", liveapi.ErrNoCredentials),
			"No usable Alibaba Cloud credentials", []string{"access_key", "ALIBABA_CLOUD_ACCESS_KEY_ID", "profile", "ecs_role_name", "assume_role"}},
		{liveapi.ClassEndpoint, http.ErrSchemeMismatch,
			"The endpoint does not speak HTTPS", []string{host, "http://"}},
		{liveapi.ClassNetwork, errors.New("connect: connection refused"),
			action + " failed: the API could not be reached", []string{host, "endpoint", "https_proxy", "max_retries"}},
		{liveapi.ClassNetwork, fmt.Errorf("%w: %w", liveapi.ErrNoCredentials, errors.New("Post https://sts.aliyuncs.com/: connection refused")),
			"Alibaba Cloud credentials could not be obtained", []string{host, "STS", "HTTPS_PROXY", "max_retries"}},
		{liveapi.ClassBadAnswer, errors.New("the API answered 200 with a body that does not parse"),
			action + " failed: the API's answer could not be read", []string{host, "max_retries"}},
	} {
		t.Run(c.class.String(), func(t *testing.T) {
			err := &liveapi.APIError{Action: action, Class: c.class, Host: host, Attempts: 1, Err: c.err}
			if c.class.Transient() {
				err.Attempts = 6
			}
			var diags diag.Diagnostics
			addAPIError(&diags, action, err, time.Minute)
			if len(diags) != 1 || diags[0].Summary() != c.summary {
				t.Fatalf("got %v, want the summary %q", diags, c.summary)
			}
			detail := diags[0].Detail()
			for _, want := range c.advice {
				if !strings.Contains(detail, want) {
					t.Errorf("the detail lacks %q:\n%s", want, detail)
				}
			}
			if !c.class.Transient() && (strings.Contains(detail, "max_retries") || strings.Contains(detail, "Retry")) {
				t.Errorf("a permanent failure suggests retrying:\n%s", detail)
			}
			if n := strings.Count(detail, action); n != 1 {
				t.Errorf("the detail names %s %d times:\n%s", action, n, detail)
			}
		})
	}
}

// TestAddAPIErrorNamesTheActionOnce: the advice that quotes an error names
// the action once, whether the error is an APIError (whose message starts
// with the action) or a bare error.
func TestAddAPIErrorNamesTheActionOnce(t *testing.T) {
	const action = "DescribeLiveStreamsNotifyRecords"
	for _, err := range []error{
		&liveapi.APIError{Action: action, Err: fmt.Errorf("%w: the window ends at 2024-05-01T00:00:00Z", liveapi.ErrWindowExpired)},
		&liveapi.APIError{Action: action, Err: fmt.Errorf("%w: PageNumber 0", liveapi.ErrPageRange)},
		&liveapi.APIError{Action: action, Err: fmt.Errorf("%w: 600 records at 2024-05-01T00:00:00Z", liveapi.ErrUnstableTies)},
		fmt.Errorf("%w: page 2 has 3 records, expected 500", liveapi.ErrInconsistent),
		&liveapi.APIError{Action: action, Class: liveapi.ClassCredentials, Err: liveapi.ErrNoCredentials},
		&liveapi.APIError{Action: action, Err: errors.New("the answer has no TotalNum")},
	} {
		var diags diag.Diagnostics
		addAPIError(&diags, action, err, time.Minute)
		if len(diags) != 1 {
			t.Fatalf("%v: %v", err, diags)
		}
		if text := diags[0].Summary() + " " + diags[0].Detail(); strings.Count(diags[0].Detail(), action) != 1 || strings.Contains(text, action+": "+action) {
			t.Errorf("%v: the action is repeated or missing:\n%s", err, text)
		}
	}
}

// TestThrottlingAdvice: a read the API shut out says for how long nothing
// was accepted and that something else takes the quota; a read that ran
// out of time while throttled says how many requests were throttled and
// that the quota is shared. Neither asks to lower max_qps, which the
// provider already does on its own.
func TestThrottlingAdvice(t *testing.T) {
	var diags diag.Diagnostics
	addAPIError(&diags, "A", &liveapi.APIError{Action: "A", StatusCode: 400, Code: "Throttling.User", Class: liveapi.ClassThrottled,
		RequestID: "R", Attempts: 6, Starved: 3200 * time.Millisecond}, time.Minute)
	detail := diags[0].Detail()
	for _, want := range []string{"Attempts made: 6", "accepted for 3.2s", "100 requests per second", "something else is taking all of it", "max_retries"} {
		if !strings.Contains(detail, want) {
			t.Errorf("the shut-out detail lacks %q:\n%s", want, detail)
		}
	}
	diags = nil
	addAPIError(&diags, "A", &liveapi.APIError{Action: "A", Class: liveapi.ClassInterrupted, Throttles: 42,
		Err: fmt.Errorf("interrupted: %w", context.DeadlineExceeded)}, 20*time.Second)
	detail = diags[0].Detail()
	for _, want := range []string{"within 20s", "throttled 42 requests", "100 requests a second are shared", "fewer plans at once"} {
		if !strings.Contains(detail, want) {
			t.Errorf("the timed-out detail lacks %q:\n%s", want, detail)
		}
	}
	for _, d := range []string{detail, diags[0].Summary()} {
		if strings.Contains(d, "lower max_qps") {
			t.Errorf("advice to lower max_qps: %s", d)
		}
	}
	// One attempt, no starvation and no throttle say nothing of them; a
	// starvation is given to a tenth of a second.
	for _, c := range []struct {
		err        error
		has, hasNo []string
	}{
		{&liveapi.APIError{Action: "A", StatusCode: 503, Code: "ServiceUnavailable", Class: liveapi.ClassServer, RequestID: "R", Attempts: 1},
			[]string{"The API answered HTTP 503, code ServiceUnavailable: \nRequest ID: R\n\n"}, []string{"Attempts made", "accepted for"}},
		{&liveapi.APIError{Action: "A", StatusCode: 400, Code: "Throttling.User", Class: liveapi.ClassThrottled, RequestID: "R", Attempts: 2,
			Starved: 1260 * time.Millisecond}, []string{"\nAttempts made: 2\nNo request of this provider configuration was accepted for 1.3s.\n"}, nil},
		{&liveapi.APIError{Action: "A", Class: liveapi.ClassInterrupted, Err: fmt.Errorf("interrupted: %w", context.DeadlineExceeded)},
			[]string{"within 20s"}, []string{"throttled"}},
	} {
		diags = nil
		addAPIError(&diags, "A", c.err, 20*time.Second)
		detail := diags[0].Detail()
		for _, want := range c.has {
			if !strings.Contains(detail, want) {
				t.Errorf("%v: the detail lacks %q:\n%s", c.err, want, detail)
			}
		}
		for _, not := range c.hasNo {
			if strings.Contains(detail, not) {
				t.Errorf("%v: the detail has %q:\n%s", c.err, not, detail)
			}
		}
	}
}

func TestIsNumeric(t *testing.T) {
	for s, want := range map[string]bool{"0": true, "9": true, "1001": true, "0900": true, "": false, "/": false, ":": false, "1a": false, "-1": false, "1.5": false} {
		if got := isNumeric(s); got != want {
			t.Errorf("isNumeric(%q) = %v, want %v", s, got, want)
		}
	}
}
