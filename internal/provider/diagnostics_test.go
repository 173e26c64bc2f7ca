package provider

import (
	"errors"
	"fmt"
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
		{&liveapi.APIError{Action: "A", StatusCode: 400, Code: "Throttling.User", RequestID: "R", Attempts: 3}, "A failed: Throttling.User"},
		{&liveapi.APIError{Action: "A", Retryable: true, Err: errors.New("connection reset")}, "A failed"},
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
