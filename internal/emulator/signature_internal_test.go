package emulator

import (
	"net/url"
	"testing"
	"time"
)

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
