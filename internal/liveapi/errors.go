package liveapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// APIError is an answer of the API that is not a success, or the last of a
// series of failed attempts. It carries what the user needs to act: the
// API's code, message and request id, and how many attempts were made.
type APIError struct {
	Action     string
	StatusCode int
	Code       string
	Message    string
	RequestID  string
	// Attempts is how many times the request was sent before giving up.
	Attempts int
	// Retryable tells whether the failure was transient (throttling, 5xx,
	// network, unreadable body) rather than a permanent rejection.
	Retryable bool
	// Err is the underlying transport or decoding error, when there was no
	// API answer to speak of.
	Err error
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
		RequestID: requestID, Attempts: attempts, Err: ErrFlaggedAnswer}
}

// transientCodes are the API error codes worth another attempt.
var transientCodes = map[string]bool{
	"Throttling":         true,
	"Throttling.User":    true,
	"Throttling.Api":     true,
	"ServiceUnavailable": true,
	"InternalError":      true,
}

// classify turns whatever the SDK returned into an APIError.
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
		// No API answer: a network failure, a timeout or a broken body. These
		// are transient unless the context itself was cancelled.
		out.Retryable = true
		return out
	}
	out.Err = nil
	out.Retryable = transientCodes[out.Code] || out.StatusCode >= 500
	return out
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
