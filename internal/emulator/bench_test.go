package emulator_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// BenchmarkPage measures serving one PageSize=500 page from domains of 1k,
// 10k and 100k records of each kind:
//
//   - handler: the http.Handler alone (signature verification, binary
//     search, encoding), requests pre-signed by the SDK's signer;
//   - handler-filtered: the same with Status=failed, which scans the window;
//   - sdk: a full round trip through the official SDK over loopback HTTP.
func BenchmarkPage(b *testing.B) {
	for _, size := range []int{1_000, 10_000, 100_000} {
		domain := "bench" + itoa(size) + ".example.com"
		e := newEnv(b, emulator.Options{Domains: []emulator.DomainSpec{{Name: domain, RecordCallbacks: size, StreamRecords: size}}})
		for _, a := range apis {
			query := validQuery(fixedNow, domain)
			query["StartTime"] = ts(fixedNow.Add(-emulator.QueryWindow))
			query["PageSize"] = "500"
			query["PageNumber"] = "2"
			b.Run(a.name+"/"+itoa(size)+"/handler", func(b *testing.B) {
				benchHandler(b, e, a.name, query)
			})
			filtered := map[string]string{"Status": "failed"}
			for k, v := range query {
				filtered[k] = v
			}
			b.Run(a.name+"/"+itoa(size)+"/handler-filtered", func(b *testing.B) {
				benchHandler(b, e, a.name, filtered)
			})
			b.Run(a.name+"/"+itoa(size)+"/sdk", func(b *testing.B) {
				c := e.client(b)
				p := fullWindow(fixedNow, params{Domain: domain, PageSize: 500, PageNumber: 2})
				for b.Loop() {
					pg, err := a.fetch(context.Background(), c, p)
					if err != nil || len(pg.rows) != 500 {
						b.Fatalf("%d rows, %v", len(pg.rows), err)
					}
				}
			})
		}
	}
}

func benchHandler(b *testing.B, e *testEnv, action string, query map[string]string) {
	// Signing is not what is measured: prepare requests outside the timer,
	// in batches (each needs its own nonce).
	const batch = 256
	var reqs []*http.Request
	i := 0
	for b.Loop() {
		if i == len(reqs) {
			b.StopTimer()
			reqs = reqs[:0]
			for range batch {
				reqs = append(reqs, e.newRawRequest(b, rawCall{action: action, query: query}))
			}
			i = 0
			b.StartTimer()
		}
		w := httptest.NewRecorder()
		e.emu.ServeHTTP(w, reqs[i])
		i++
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}
