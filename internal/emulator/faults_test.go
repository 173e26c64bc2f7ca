package emulator_test

import (
	"strconv"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"

	"context"
	"errors"
	"slices"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
)

// FlaggedAnswer: HTTP 200, the record action's Code and Msg, an empty list
// and TotalNum 0, from the configured page on; the stream action, whose
// document has no Code, is unaffected.
func TestFlaggedAnswer(t *testing.T) {
	e := newEnv(t, emulator.Options{Faults: emulator.Faults{
		FlaggedAnswer: emulator.Flag{Code: 1001, Msg: "domain is being migrated", FromPage: 2},
	}})
	q := validQuery(fixedNow, "paging.example.com")
	q["StartTime"] = ts(fixedNow.Add(-emulator.QueryWindow))
	page := func(action string, n int) rawResult {
		q["PageNumber"] = strconv.Itoa(n)
		return e.raw(t, rawCall{action: action, query: q})
	}
	if res := page(emulator.ActionDescribeLiveRecordNotifyRecords, 1); res.status != 200 || res.fields["Code"] != 0.0 || res.fields["Msg"] != "ok" || res.fields["TotalNum"] == 0.0 {
		t.Fatalf("page 1 should be a normal answer: %s", res.body)
	}
	res := page(emulator.ActionDescribeLiveRecordNotifyRecords, 2)
	list, isList := res.fields["CallbackList"].([]any)
	if res.status != 200 || res.fields["Code"] != 1001.0 || res.fields["Msg"] != "domain is being migrated" ||
		!isList || len(list) != 0 || res.fields["TotalNum"] != 0.0 || res.fields["RequestId"] == "" {
		t.Fatalf("page 2 should be flagged: %d %s", res.status, res.body)
	}
	if res := page(emulator.ActionDescribeLiveStreamsNotifyRecords, 2); res.status != 200 || res.fields["Code"] != nil || res.fields["TotalNum"] == 0.0 {
		t.Fatalf("the stream action has no Code and must answer normally: %s", res.body)
	}
	if n := e.emu.Stats().FaultsByKind[emulator.FaultFlaggedAnswer]; n != 1 {
		t.Errorf("flagged answers counted %d, want 1", n)
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
