package emulator

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"
)

func TestParseUTC(t *testing.T) {
	good := []string{"2025-03-14T12:00:00Z", "2024-02-29T23:59:59Z", "0001-01-01T00:00:00Z"}
	bad := []string{
		"", "2025-03-14T12:00:00", "2025-03-14T12:00:00.5Z", "2025-03-14T12:00:00+00:00",
		"2025-03-14 12:00:00Z", "2025-3-14T12:00:00Z", "2025-03-14T12:00Z", "2025-13-01T00:00:00Z",
		"2023-02-29T00:00:00Z", "2025-03-14T24:00:00Z", "2025-03-14t12:00:00z", " 2025-03-14T12:00:00Z",
	}
	for _, s := range good {
		if _, ok := parseUTC(s); !ok {
			t.Errorf("parseUTC(%q) rejected", s)
		}
	}
	for _, s := range bad {
		if _, ok := parseUTC(s); ok {
			t.Errorf("parseUTC(%q) accepted", s)
		}
	}
}

// The canonical query string must match the SDK's getCanonicalQueryString
// for values it escapes specially.
func TestCanonicalQueryString(t *testing.T) {
	q := url.Values{
		"B":     {"x y*z~"},
		"A":     {""},
		"a":     {"直播/+"},
		"PageX": {"1", "2"},
	}
	const want = "A=&B=x%20y%2Az~&PageX=1&a=%E7%9B%B4%E6%92%AD%2F%2B"
	if got := canonicalQueryString(q); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestNonceCacheExpires(t *testing.T) {
	c := newNonceCache()
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if !c.use("a", t0) || c.use("a", t0.Add(SignatureWindow)) {
		t.Fatal("nonce reuse within the window accepted")
	}
	if !c.use("b", t0.Add(SignatureWindow+time.Second)) {
		t.Fatal("fresh nonce refused")
	}
	if !c.use("a", t0.Add(SignatureWindow+2*time.Second)) {
		t.Fatal("nonce not forgotten after the window")
	}
	if len(c.seen) != 2 || len(c.order) != 2 {
		t.Fatalf("cache holds %d/%d entries, want 2", len(c.seen), len(c.order))
	}
}

func TestFaultPriorityAndCounting(t *testing.T) {
	var f faultState
	f.set(Faults{ThrottleEvery: 2, InternalErrorEvery: 3, TruncateBodyEvery: 1})
	var kinds []string
	for range 6 {
		kinds = append(kinds, f.next().kind)
	}
	want := []string{FaultTruncateBody, FaultThrottle, FaultInternalError, FaultThrottle, FaultTruncateBody, FaultInternalError}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("kinds %v, want %v", kinds, want)
		}
	}
	f.set(Faults{InsertDuringRead: Insertion{AfterPages: 2, Count: 5}})
	if f.pageServed() != 0 || f.pageServed() != 5 || f.pageServed() != 0 {
		t.Fatal("InsertDuringRead did not fire exactly once after the 2nd page")
	}
}

func TestJSONObjectMatchesEncodingJSON(t *testing.T) {
	tricky := "a\"b\\c\n\t\x01 直播 <&> \u2028"
	got := jsonObject("k", tricky, "n", 42, "big", int64(-7), "num", json.Number("1.250"))
	var back map[string]any
	if err := json.Unmarshal([]byte(got), &back); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if back["k"] != tricky || back["n"] != float64(42) || back["big"] != float64(-7) || back["num"] != 1.25 {
		t.Fatalf("round trip %v", back)
	}
	if want := `{"k":"a\"b\\c\u000a\u0009\u0001 直播 <&> ` + "\u2028" + `","n":42,"big":-7,"num":1.250}`; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if got := jsonObject("bad", "\xff"); got != `{"bad":"\ufffd"}` {
		t.Fatalf("invalid UTF-8: %s", got)
	}
}
