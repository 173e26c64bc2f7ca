package emulator_test

import (
	"context"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

func TestMaxQPS(t *testing.T) {
	const qps = 5
	e := newEnv(t, emulator.Options{MaxQPS: qps, Credentials: map[string]emulator.Credential{
		emulator.DefaultAccessKeyID: {Secret: emulator.DefaultAccessKeySecret},
		"LTAI5tSecondKey":           {Secret: "second"},
	}})
	c := e.client(t)
	var ok, throttled int
	for range 15 {
		_, err := recordAPI.fetch(context.Background(), c, fixtureParams())
		if err == nil {
			ok++
			continue
		}
		msg := wantError[*openapi.ThrottlingError](t, err, 400, "Throttling.User")
		if !strings.Contains(msg, "Request was denied due to user flow control.") {
			t.Errorf("message %q", msg)
		}
		throttled++
	}
	// Burst = one second's quota; 15 quick calls refill at most a token or two.
	if ok < qps || ok > qps+2 {
		t.Errorf("%d calls passed, want about %d", ok, qps)
	}
	st := e.emu.Stats()
	if st.Throttled != int64(throttled) || st.ByCode["Throttling.User"] != int64(throttled) || st.ByStatus[200] != int64(ok) {
		t.Errorf("stats %+v, throttled %d ok %d", st, throttled, ok)
	}
	// The quota is per AccessKeyId.
	if _, err := recordAPI.fetch(context.Background(), e.client(t, withKey("LTAI5tSecondKey", "second")), fixtureParams()); err != nil {
		t.Fatalf("second key throttled by the first key's traffic: %v", err)
	}
	// And it refills.
	time.Sleep(time.Second / qps * 2)
	if _, err := recordAPI.fetch(context.Background(), c, fixtureParams()); err != nil {
		t.Fatalf("after refill: %v", err)
	}
}
