package emulator_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// TestMaxQPS throttles through the SDK on a clock the test moves: at most
// MaxQPS accepted requests in any rolling second of the server's clock, the
// documented Throttling.User answer beyond, the refused requests not
// counted, and each AccessKeyId on its own quota. The clock stands still
// unless moved, so no preemption of the test can let a request through.
func TestMaxQPS(t *testing.T) {
	const qps = 5
	base := time.Now()
	var offset atomic.Int64
	e := newEnv(t, emulator.Options{MaxQPS: qps,
		RequestClock: func() time.Time { return base.Add(time.Duration(offset.Load())) },
		Credentials: map[string]emulator.Credential{
			emulator.DefaultAccessKeyID: {Secret: emulator.DefaultAccessKeySecret},
			"LTAI5tSecondKey":           {Secret: "second"},
		}})
	c := e.client(t)
	call := func() bool {
		t.Helper()
		_, err := recordAPI.fetch(context.Background(), c, fixtureParams())
		if err == nil {
			return true
		}
		msg := wantError[*openapi.ThrottlingError](t, err, 400, "Throttling.User")
		if !strings.Contains(msg, "Request was denied due to user flow control.") {
			t.Errorf("message %q", msg)
		}
		return false
	}
	var ok, throttled int
	for range 8 {
		if call() {
			ok++
		} else {
			throttled++
		}
	}
	if ok != qps || throttled != 3 {
		t.Errorf("8 calls within one second: %d passed, %d throttled; want 5 and 3", ok, throttled)
	}
	st := e.emu.Stats()
	if st.Throttled != 3 || st.ByCode["Throttling.User"] != 3 || st.ByStatus[200] != 5 {
		t.Errorf("stats %+v, want 3 throttled and 5 answered 200", st)
	}
	// The quota is per AccessKeyId.
	if _, err := recordAPI.fetch(context.Background(), e.client(t, withKey("LTAI5tSecondKey", "second")), fixtureParams()); err != nil {
		t.Fatalf("second key throttled by the first key's traffic: %v", err)
	}
	// A second later the first five are out of the window, and the three
	// refused ones never were in it: exactly five pass again.
	offset.Store(int64(999 * time.Millisecond))
	if call() {
		t.Error("a call passed 999 ms after five others")
	}
	offset.Store(int64(time.Second))
	ok = 0
	for range 6 {
		if call() {
			ok++
		}
	}
	if ok != qps {
		t.Errorf("a second later %d of 6 calls passed, want 5", ok)
	}
}
