package liveapi

import (
	"errors"
	"strings"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
)

func TestClassify(t *testing.T) {
	status, code, reqID := 400, "Throttling.User", "REQ-1"
	throttled := classify("A", &openapi.ThrottlingError{StatusCode: &status, Code: &code, RequestId: &reqID,
		Data: map[string]interface{}{"Message": "Request was denied due to user flow control."}})
	if !throttled.Retryable || throttled.Code != code || throttled.RequestID != reqID || throttled.Message != "Request was denied due to user flow control." {
		t.Errorf("throttling: %+v", throttled)
	}

	sig := "SignatureDoesNotMatch"
	permanent := classify("A", &openapi.ClientError{StatusCode: &status, Code: &sig, RequestId: &reqID})
	if permanent.Retryable {
		t.Errorf("a signature error must not be retried: %+v", permanent)
	}

	s500, internal := 500, "InternalError"
	if e := classify("A", &openapi.ServerError{StatusCode: &s500, Code: &internal}); !e.Retryable {
		t.Errorf("5xx must be retried: %+v", e)
	}

	network := classify("A", errors.New("read: connection reset by peer"))
	if !network.Retryable || network.Code != "" {
		t.Errorf("network errors are transient: %+v", network)
	}
	if !classify("A", &malformedBodyError{err: errors.New("unexpected end of JSON input")}).Retryable {
		t.Errorf("an unreadable 200 body is transient")
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
}
