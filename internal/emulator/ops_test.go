package emulator_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

func TestLatency(t *testing.T) {
	const latency = 150 * time.Millisecond
	e := newEnv(t, emulator.Options{Latency: latency})
	c := e.client(t)
	start := time.Now()
	if _, err := recordAPI.fetch(context.Background(), c, fixtureParams()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < latency {
		t.Fatalf("answered after %s, want >= %s", d, latency)
	}

	// A client that gives up is not answered, and the server stops waiting.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := recordAPI.fetch(ctx, c, fixtureParams()); err == nil {
		t.Fatal("call with a 30ms deadline succeeded against 150ms latency")
	}
	waitFor(t, func() bool { return e.emu.Stats().Canceled == 1 })
	if st := e.emu.Stats(); st.ByStatus[200] != 1 || st.Requests != 2 {
		t.Errorf("stats %+v", st)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

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

// Each "every k" fault fires on exactly the k-th, 2k-th, … request and is
// reported by the SDK as its documented error type.
func TestFaultsEveryK(t *testing.T) {
	cases := []struct {
		name   string
		faults emulator.Faults
		kind   string
		check  func(t *testing.T, err error)
	}{
		{"throttle", emulator.Faults{ThrottleEvery: 3}, emulator.FaultThrottle, func(t *testing.T, err error) {
			wantError[*openapi.ThrottlingError](t, err, 400, "Throttling.User")
		}},
		{"internal error", emulator.Faults{InternalErrorEvery: 3}, emulator.FaultInternalError, func(t *testing.T, err error) {
			wantError[*openapi.ServerError](t, err, 500, "InternalError")
		}},
		{"unavailable", emulator.Faults{UnavailableEvery: 3}, emulator.FaultUnavailable, func(t *testing.T, err error) {
			wantError[*openapi.ServerError](t, err, 503, "ServiceUnavailable")
		}},
		{"drop connection", emulator.Faults{DropConnectionEvery: 3}, emulator.FaultDropConnection, func(t *testing.T, err error) {
			var ce *openapi.ClientError
			var se *openapi.ServerError
			if err == nil || errors.As(err, &ce) || errors.As(err, &se) {
				t.Fatalf("want a transport error, got %T %v", err, err)
			}
		}},
		{"truncate body", emulator.Faults{TruncateBodyEvery: 3}, emulator.FaultTruncateBody, func(t *testing.T, err error) {
			var ce *openapi.ClientError
			if err == nil || errors.As(err, &ce) {
				t.Fatalf("want a decoding error, got %T %v", err, err)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, emulator.Options{Faults: tc.faults})
			c := e.client(t)
			for i := 1; i <= 7; i++ {
				a := apis[i%2]
				_, err := a.fetch(context.Background(), c, fullWindow(fixedNow, params{Domain: a.fixtureDomain}))
				if i%3 == 0 {
					tc.check(t, err)
				} else if err != nil {
					t.Fatalf("request %d: %v", i, err)
				}
			}
			st := e.emu.Stats()
			if st.FaultsInjected != 2 || st.FaultsByKind[tc.kind] != 2 {
				t.Errorf("faults %d %v", st.FaultsInjected, st.FaultsByKind)
			}
		})
	}
}

func TestTruncatedBodyIsHalfOfTheRealOne(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	full := e.raw(t, rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain)})
	e.emu.SetFaults(emulator.Faults{TruncateBodyEvery: 1})
	cut := e.raw(t, rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain)})
	if cut.status != 200 || cut.fields != nil || len(cut.body) != len(full.body)/2 || cut.header.Get("Content-Length") != itoa(len(cut.body)) {
		t.Fatalf("status %d, %d of %d bytes, Content-Length %s", cut.status, len(cut.body), len(full.body), cut.header.Get("Content-Length"))
	}
}

func TestPersistentErrorAndRuntimeChanges(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c := e.client(t)
	e.emu.SetFaults(emulator.Faults{PersistentError: &emulator.APIError{Status: 403, Code: "Forbidden.RAM", Message: "User not authorized to operate on the specified resource."}})
	for range 3 {
		_, err := recordAPI.fetch(context.Background(), c, fixtureParams())
		wantError[*openapi.ClientError](t, err, 403, "Forbidden.RAM")
	}
	e.emu.SetFaults(emulator.Faults{PersistentError: &emulator.APIError{Status: 500, Code: "InternalError", Message: "boom"}})
	_, err := streamAPI.fetch(context.Background(), c, fullWindow(fixedNow, params{Domain: emulator.FixtureStreamDomain}))
	wantError[*openapi.ServerError](t, err, 500, "InternalError")
	if got := e.emu.Faults().PersistentError.Code; got != "InternalError" {
		t.Errorf("Faults() = %v", got)
	}
	e.emu.SetFaults(emulator.Faults{})
	if _, err := recordAPI.fetch(context.Background(), c, fixtureParams()); err != nil {
		t.Fatalf("after clearing faults: %v", err)
	}
	// Counters restart with every SetFaults.
	e.emu.SetFaults(emulator.Faults{InternalErrorEvery: 2})
	if _, err := recordAPI.fetch(context.Background(), c, fixtureParams()); err != nil {
		t.Fatalf("1st after SetFaults: %v", err)
	}
	_, err = recordAPI.fetch(context.Background(), c, fixtureParams())
	wantError[*openapi.ServerError](t, err, 500, "InternalError")
	if st := e.emu.Stats(); st.FaultsByKind[emulator.FaultPersistentError] != 4 || st.FaultsByKind[emulator.FaultInternalError] != 1 {
		t.Errorf("faults %v", st.FaultsByKind)
	}
}

// Faults hit authenticated requests only: a bad signature is still answered
// as such and does not advance the fault counter.
func TestFaultsCountAuthenticatedRequestsOnly(t *testing.T) {
	e := newEnv(t, emulator.Options{Faults: emulator.Faults{InternalErrorEvery: 2}})
	bad := e.client(t, withKey(emulator.DefaultAccessKeyID, "wrong"))
	for range 3 {
		_, err := recordAPI.fetch(context.Background(), bad, fixtureParams())
		wantError[*openapi.ClientError](t, err, 400, "SignatureDoesNotMatch")
	}
	c := e.client(t)
	if _, err := recordAPI.fetch(context.Background(), c, fixtureParams()); err != nil {
		t.Fatal(err)
	}
	_, err := recordAPI.fetch(context.Background(), c, fixtureParams())
	wantError[*openapi.ServerError](t, err, 500, "InternalError")
}

func TestInsertDuringReadShiftsPages(t *testing.T) {
	for _, a := range apis {
		t.Run(a.name, func(t *testing.T) {
			const domain, size, count = "live1.example.com", 10, 3
			e := newEnv(t, emulator.Options{Faults: emulator.Faults{InsertDuringRead: emulator.Insertion{AfterPages: 2, Count: count}}})
			c := e.client(t)
			before := a.stored(e.emu, domain)
			p := fullWindow(fixedNow, params{Domain: domain, PageSize: size})

			var got []row
			var totals []int32
			for n := 1; n <= 4; n++ {
				p.PageNumber = n
				pg, err := a.fetch(context.Background(), c, p)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, pg.rows...)
				totals = append(totals, pg.totalNum)
			}
			orig := int32(len(before))
			if !slices.Equal(totals, []int32{orig, orig, orig + count, orig + count}) {
				t.Errorf("TotalNum per page %v", totals)
			}
			// Pages 1-2 are the original head; page 3 starts `count` rows
			// earlier because count newer records were inserted after page 2.
			want := append(slices.Clone(before[:2*size]), before[2*size-count:4*size-count]...)
			if !slices.Equal(got, want) {
				t.Fatalf("pages after the insertion did not shift by %d", count)
			}
			after := a.stored(e.emu, domain)
			if len(after) != len(before)+count || !slices.Equal(after[count:], before) {
				t.Fatal("inserted records are not the newest of the domain")
			}
			for _, r := range after[:count] {
				if r.NotifyTime <= before[0].NotifyTime || r.NotifyTime >= p.End || r.DomainName != domain {
					t.Errorf("inserted record %+v does not match the read", r)
				}
			}
			if st := e.emu.Stats(); st.InsertedRecords != count || st.FaultsByKind[emulator.FaultInsertDuringRead] != 1 {
				t.Errorf("stats %+v", st)
			}
			// One shot: further pages insert nothing.
			p.PageNumber = 5
			if _, err := a.fetch(context.Background(), c, p); err != nil || len(a.stored(e.emu, domain)) != len(after) {
				t.Fatalf("inserted again: %v", err)
			}
		})
	}
}

// Inserted records match the filters of the read they disturb, and stay
// inside its window even when the domain has newer records (they are then
// placed one second before EndTime).
func TestInsertDuringReadMatchesFilters(t *testing.T) {
	e := newEnv(t, emulator.Options{Faults: emulator.Faults{InsertDuringRead: emulator.Insertion{AfterPages: 1, Count: 2}}})
	c := e.client(t)
	end := fixedNow.Add(-90 * time.Minute) // the domain's newest record (now-1h) is after the window
	p := params{Domain: emulator.FixtureRecordDomain, App: "liveApp****", Stream: "liveStream****", Status: "failed",
		StorageType: "vod", Start: ts(fixedNow.Add(-3 * time.Hour)), End: ts(end), PageSize: 1}
	first, err := recordAPI.fetch(context.Background(), c, p)
	if err != nil || first.totalNum != 1 {
		t.Fatalf("%+v %v", first, err)
	}
	p.PageNumber = 2
	second, err := recordAPI.fetch(context.Background(), c, p)
	if err != nil || second.totalNum != 3 {
		t.Fatalf("%+v %v", second, err)
	}
	all := fetchAll(t, recordAPI, c, p)
	if len(all) != 3 || all[2] != first.rows[0] {
		t.Fatalf("rows %+v", all)
	}
	for _, r := range all[:2] {
		if r.NotifyTime != ts(end.Add(-time.Second)) || r.NotifyResult != "failed" || r.StorageType != "vod" ||
			r.AppName != "liveApp****" || r.StreamName != "liveStream****" {
			t.Errorf("inserted %+v", r)
		}
	}
}

func TestStatsAndReset(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c := e.client(t)
	for range 3 {
		if _, err := recordAPI.fetch(context.Background(), c, fixtureParams()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := streamAPI.fetch(context.Background(), c, params{}); err == nil {
		t.Fatal("want InvalidParam")
	}
	_ = callAPI(c, "NoSuchAction", emulator.APIVersion)
	st := e.emu.Stats()
	want := emulator.Stats{
		Requests:     5,
		ByAction:     map[string]int64{recordAPI.name: 3, streamAPI.name: 1, "other": 1},
		ByStatus:     map[int]int64{200: 3, 400: 1, 404: 1},
		ByCode:       map[string]int64{"InvalidParam": 1, "InvalidAction.NotFound": 1},
		FaultsByKind: map[string]int64{},
		PeakInFlight: 1,
	}
	if !statsEqual(st, want) {
		t.Fatalf("stats\n got %+v\nwant %+v", st, want)
	}
	e.emu.ResetStats()
	if st := e.emu.Stats(); st.Requests != 0 || len(st.ByStatus) != 0 || st.PeakInFlight != 0 {
		t.Fatalf("after reset %+v", st)
	}
}

func statsEqual(a, b emulator.Stats) bool {
	eq := func(x, y map[string]int64) bool { return len(x) == len(y) && mapsEqual(x, y) }
	return a.Requests == b.Requests && eq(a.ByAction, b.ByAction) && eq(a.ByCode, b.ByCode) &&
		eq(a.FaultsByKind, b.FaultsByKind) && len(a.ByStatus) == len(b.ByStatus) && mapsEqual(a.ByStatus, b.ByStatus) &&
		a.Throttled == b.Throttled && a.FaultsInjected == b.FaultsInjected && a.InFlight == b.InFlight &&
		a.PeakInFlight == b.PeakInFlight && a.Canceled == b.Canceled && a.InsertedRecords == b.InsertedRecords
}

func mapsEqual[K comparable](x, y map[K]int64) bool {
	for k, v := range x {
		if y[k] != v {
			return false
		}
	}
	return len(x) == len(y)
}

// Many clients at once, while records are being added: run with -race.
func TestConcurrentClients(t *testing.T) {
	e := newEnv(t, emulator.Options{Latency: 5 * time.Millisecond})
	const workers, calls = 16, 10
	var failures atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() { // a writer inserting records into the domain being read
		for i := 0; i < 500; i++ {
			select {
			case <-stop:
				return
			default:
			}
			e.emu.AddRecordCallbacks(emulator.RecordCallback{Notify: emulator.Notify{
				DomainName: "paging.example.com", AppName: "live", StreamName: "w" + itoa(i),
				NotifyTime: fixedNow.Add(-time.Duration(i) * time.Second), NotifyResult: "success", NotifyType: "file_created",
			}, StorageType: "oss"})
			time.Sleep(2 * time.Millisecond)
		}
	})
	var readers sync.WaitGroup
	for w := range workers {
		readers.Go(func() {
			c := e.client(t, ownHTTPClient()) // see ownHTTPClient: the SDK's shared client races
			a := apis[w%2]
			for n := 1; n <= calls; n++ {
				pg, err := a.fetch(context.Background(), c, fullWindow(fixedNow, params{Domain: "paging.example.com", PageSize: 50, PageNumber: n, Status: []string{"", "success", "failed"}[n%3]}))
				if err != nil || len(pg.rows) == 0 && n <= int(pg.totalPage) {
					failures.Add(1)
					t.Errorf("worker %d call %d: %v", w, n, err)
				}
			}
		})
	}
	readers.Wait()
	close(stop)
	wg.Wait()
	st := e.emu.Stats()
	if failures.Load() != 0 || st.ByStatus[200] != workers*calls || st.InFlight != 0 {
		t.Errorf("stats %+v", st)
	}
	if st.PeakInFlight < 2 {
		t.Errorf("PeakInFlight %d: requests did not overlap", st.PeakInFlight)
	}
}
