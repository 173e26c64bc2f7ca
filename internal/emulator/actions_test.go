package emulator_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"

	"context"
)

// ShuffleTies keeps the NotifyTime order and the totals but draws each tie
// group in a new order per request, so pages read separately can repeat and
// lose records; without it, paging is stable and exact.
func TestShuffleTies(t *testing.T) {
	const domain = "ties.example.com"
	tie := fixedNow.Add(-time.Hour)
	var recs []emulator.StreamRecord
	for i := range 60 {
		at := tie
		if i%4 == 0 {
			at = tie.Add(time.Duration(i-30) * time.Second) // some records around the tie
		}
		recs = append(recs, emulator.StreamRecord{Notify: emulator.Notify{
			DomainName: domain, AppName: "app", StreamName: fmt.Sprintf("s%02d", i), NotifyTime: at,
			NotifyType: "publish", NotifyResult: "success", Description: "success",
		}})
	}
	window := params{Domain: domain, Start: ts(tie.Add(-time.Hour)), End: ts(fixedNow), PageSize: 7}
	for _, shuffle := range []bool{false, true} {
		t.Run(fmt.Sprint("shuffle=", shuffle), func(t *testing.T) {
			e := newEnv(t, emulator.Options{ShuffleTies: shuffle, Domains: []emulator.DomainSpec{}})
			e.emu.AddStreamRecords(recs...)
			c := e.client(t)
			want := streamAPI.stored(e.emu, domain)
			orders := map[string]bool{}
			lost := 0
			for range 10 {
				got := fetchAll(t, streamAPI, c, window)
				if len(got) != len(want) {
					t.Fatalf("read %d records, want %d", len(got), len(want))
				}
				var names []string
				for i := range got {
					if got[i].NotifyTime != want[i].NotifyTime {
						t.Fatalf("record %d has NotifyTime %s, want %s: only ties may move", i, got[i].NotifyTime, want[i].NotifyTime)
					}
					names = append(names, got[i].StreamName)
				}
				orders[strings.Join(names, ",")] = true
				lost += len(want) - len(slices.Compact(slices.Sorted(slices.Values(names))))
			}
			if !shuffle && (len(orders) != 1 || lost != 0) {
				t.Fatalf("stable order expected: %d distinct orders, %d records lost", len(orders), lost)
			}
			if shuffle && (len(orders) < 2 || lost == 0) {
				t.Fatalf("shuffled ties should reorder and lose records across pages: %d distinct orders, %d lost", len(orders), lost)
			}
			t.Logf("10 paged reads of %d records: %d distinct orders, %d records lost to repeated ones", len(want), len(orders), lost)
		})
	}
}

// The document examples must round-trip through the SDK byte for byte,
// including the non-ASCII text and the escaped JSON in NotifyContent.
func TestDocExamplesRoundTrip(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c := e.client(t)
	newest, older := ts(fixedNow.Add(-time.Hour)), ts(fixedNow.Add(-2*time.Hour))

	want := map[string][]row{
		recordAPI.name: {
			{
				AppName: "liveApp****", Description: "success", DomainName: "example.com",
				NotifyContent: `7月26日 16:14{"domain":"al.xxxx.com","stream":"livestream01","pull _stream_result":true,"cdn":"al"}`,
				NotifyResult:  "success", NotifyTime: newest, NotifyType: "record_started",
				NotifyURL: "http://learn.aliyundoc.com/examplecallback.action", NotifyHeader: "",
				StreamName: "liveStream****", NotifyResponse: `{"Code":0,"Msg":"Success"}`, StorageType: "oss",
			},
			{
				AppName: "liveApp****", Description: "callback failed: HTTP 502 Bad Gateway", DomainName: "example.com",
				NotifyContent: emulator.FixtureRecordCallbacks(fixedNow)[1].NotifyContent,
				NotifyResult:  "failed", NotifyTime: older, NotifyType: "file_created",
				NotifyURL: "http://learn.aliyundoc.com/examplecallback.action", NotifyHeader: `{"Content-Type":"application/json"}`,
				StreamName: "liveStream****", StorageType: "vod",
				NotifyResponse: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
			},
		},
		streamAPI.name: {
			{
				AppName: "app", Description: "success", DomainName: "push.example1.com",
				NotifyContent: `{\"action\":\"publish_done\",\"app\":\"push.example1.com\"}`,
				NotifyResult:  "success", NotifyTime: newest, NotifyType: "publish_done",
				NotifyURL: "http://xx.xx.xx.xx/callbacks", StreamName: "stream",
			},
			{
				AppName: "app", Description: "callback failed: read timeout after 5s", DomainName: "push.example1.com",
				NotifyContent: `{\"action\":\"publish\",\"app\":\"push.example1.com\"}`,
				NotifyResult:  "failed", NotifyTime: older, NotifyType: "publish",
				NotifyURL: "http://xx.xx.xx.xx/callbacks", StreamName: "stream",
			},
		},
	}
	for _, a := range apis {
		t.Run(a.name, func(t *testing.T) {
			pg, err := a.fetch(context.Background(), c, fullWindow(fixedNow, params{Domain: a.fixtureDomain}))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(pg.rows, want[a.name]) {
				t.Fatalf("rows:\n got %+v\nwant %+v", pg.rows, want[a.name])
			}
			if pg.pageNum != 1 || pg.pageSize != 20 || pg.totalNum != 2 || pg.totalPage != 1 {
				t.Errorf("paging %d/%d/%d/%d, want 1/20/2/1 (defaults echoed)", pg.pageNum, pg.pageSize, pg.totalNum, pg.totalPage)
			}
			if !requestIDPattern.MatchString(pg.requestID) {
				t.Errorf("RequestId %q", pg.requestID)
			}
		})
	}
}

// The wire shape: field names, an empty list that is [] rather than null or
// absent, verbatim "<" and "&", and a RequestId matching the header.
func TestWireShape(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	cases := []struct {
		action, domain string
		want           []string
	}{
		{emulator.ActionDescribeLiveRecordNotifyRecords, "nothing.example.com",
			[]string{`{"CallbackList":[],"Code":0,"Msg":"ok","PageNum":1,"PageSize":20,"RequestId":"`, `","TotalNum":0,"TotalPage":0}`}},
		{emulator.ActionDescribeLiveStreamsNotifyRecords, "nothing.example.com",
			[]string{`{"NotifyRecordsInfo":{"LiveStreamNotifyRecordsInfo":[]},"PageNum":1,"PageSize":20,"RequestId":"`, `","TotalNum":0,"TotalPage":0}`}},
		{emulator.ActionDescribeLiveRecordNotifyRecords, emulator.FixtureRecordDomain,
			[]string{`"NotifyResponse":"<html><head>`, `"NotifyContent":"7月26日 16:14{\"domain\":\"al.xxxx.com\"`, `"NotifyUrl":"http://learn.aliyundoc.com/examplecallback.action"`, `"StorageType":"oss"`}},
		{emulator.ActionDescribeLiveStreamsNotifyRecords, emulator.FixtureStreamDomain,
			[]string{`"NotifyContent":"{\\\"action\\\":\\\"publish_done\\\",\\\"app\\\":\\\"push.example1.com\\\"}"`, `"NotifyHeader":""`, `"NotifyResponse":""`}},
	}
	for _, tc := range cases {
		q := validQuery(fixedNow, tc.domain)
		res := e.raw(t, rawCall{action: tc.action, query: q})
		if res.status != 200 {
			t.Fatalf("%s: status %d: %s", tc.action, res.status, res.body)
		}
		for _, w := range tc.want {
			if !strings.Contains(string(res.body), w) {
				t.Errorf("%s %s: body lacks %s\n%s", tc.action, tc.domain, w, res.body)
			}
		}
		if got, _ := res.fields["RequestId"].(string); got != res.header.Get("X-Acs-Request-Id") || !requestIDPattern.MatchString(got) {
			t.Errorf("RequestId %v vs header %q", got, res.header.Get("X-Acs-Request-Id"))
		}
		if ct := res.header.Get("Content-Type"); ct != "application/json;charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
	}
}

func TestFilters(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c := e.client(t)
	const domain = "paging.example.com"
	for _, a := range apis {
		t.Run(a.name, func(t *testing.T) {
			all := a.stored(e.emu, domain)
			probe := all[len(all)/3] // an arbitrary record to take filter values from
			pivot, _ := time.Parse(emulator.TimeLayout, probe.NotifyTime)
			cases := []struct {
				name string
				p    params
				keep func(row) bool
			}{
				{"domain only", fullWindow(fixedNow, params{}), func(row) bool { return true }},
				{"app", fullWindow(fixedNow, params{App: probe.AppName}), func(r row) bool { return r.AppName == probe.AppName }},
				{"stream", fullWindow(fixedNow, params{Stream: probe.StreamName}), func(r row) bool { return r.StreamName == probe.StreamName }},
				{"app+stream", fullWindow(fixedNow, params{App: probe.AppName, Stream: probe.StreamName}),
					func(r row) bool { return r.AppName == probe.AppName && r.StreamName == probe.StreamName }},
				{"success", fullWindow(fixedNow, params{Status: "success"}), func(r row) bool { return r.NotifyResult == "success" }},
				{"failed", fullWindow(fixedNow, params{Status: "failed"}), func(r row) bool { return r.NotifyResult == "failed" }},
				{"unknown app", fullWindow(fixedNow, params{App: "no-such-app"}), func(row) bool { return false }},
				// StartTime <= NotifyTime < EndTime, to the second.
				{"window starts at a record", params{Start: ts(pivot), End: ts(fixedNow)},
					func(r row) bool { return r.NotifyTime >= ts(pivot) }},
				{"window ends at a record", params{Start: ts(fixedNow.Add(-emulator.QueryWindow)), End: ts(pivot)},
					func(r row) bool { return r.NotifyTime < ts(pivot) }},
				{"one-second window", params{Start: ts(pivot), End: ts(pivot.Add(time.Second))},
					func(r row) bool { return r.NotifyTime == ts(pivot) }},
				{"window and status", params{Start: ts(fixedNow.Add(-48 * time.Hour)), End: ts(fixedNow.Add(-24 * time.Hour)), Status: "failed"},
					func(r row) bool {
						return r.NotifyResult == "failed" && r.NotifyTime >= ts(fixedNow.Add(-48*time.Hour)) && r.NotifyTime < ts(fixedNow.Add(-24*time.Hour))
					}},
			}
			if a.name == recordAPI.name {
				cases = append(cases,
					struct {
						name string
						p    params
						keep func(row) bool
					}{"storage vod", fullWindow(fixedNow, params{StorageType: "vod"}), func(r row) bool { return r.StorageType == "vod" }},
					struct {
						name string
						p    params
						keep func(row) bool
					}{"storage oss and failed", fullWindow(fixedNow, params{StorageType: "oss", Status: "failed"}),
						func(r row) bool { return r.StorageType == "oss" && r.NotifyResult == "failed" }},
				)
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					tc.p.Domain, tc.p.PageSize = domain, 500
					want := filterRows(all, tc.keep)
					got := fetchAll(t, a, c, tc.p)
					if !slices.Equal(got, want) {
						t.Fatalf("got %d rows, want %d", len(got), len(want))
					}
				})
			}
		})
	}
}

// StorageType is not a parameter of the stream action: it is ignored there.
func TestStreamActionIgnoresStorageType(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	q := validQuery(fixedNow, emulator.FixtureStreamDomain)
	q["StorageType"] = "vod"
	res := e.raw(t, rawCall{action: emulator.ActionDescribeLiveStreamsNotifyRecords, query: q})
	if res.status != 200 || res.fields["TotalNum"] != float64(2) {
		t.Fatalf("%d %s", res.status, res.body)
	}
}

func TestPaging(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c := e.client(t)
	cases := []struct {
		domain string
		sizes  []int
	}{
		{"live1.example.com", []int{1, 7}},
		{"paging.example.com", []int{20, 100, 500}},
	}
	for _, a := range apis {
		for _, tc := range cases {
			domain := tc.domain
			all := a.stored(e.emu, domain)
			total := len(all)
			for _, size := range tc.sizes {
				pages := (total + size - 1) / size
				var union []row
				seen := map[row]bool{}
				for n := 1; n <= pages+1; n++ { // one page past the end
					pg, err := a.fetch(context.Background(), c, fullWindow(fixedNow, params{Domain: domain, PageSize: size, PageNumber: n}))
					if err != nil {
						t.Fatalf("size %d page %d: %v", size, n, err)
					}
					if int(pg.totalNum) != total || int(pg.totalPage) != pages || int(pg.pageNum) != n || int(pg.pageSize) != size {
						t.Fatalf("size %d page %d: PageNum %d PageSize %d TotalNum %d TotalPage %d, want %d %d %d %d",
							size, n, pg.pageNum, pg.pageSize, pg.totalNum, pg.totalPage, n, size, total, pages)
					}
					wantLen := min(size, max(0, total-(n-1)*size))
					if len(pg.rows) != wantLen {
						t.Fatalf("size %d page %d: %d rows, want %d", size, n, len(pg.rows), wantLen)
					}
					for _, r := range pg.rows {
						if seen[r] {
							t.Fatalf("size %d: duplicate row %+v", size, r)
						}
						seen[r] = true
					}
					union = append(union, pg.rows...)
				}
				if !slices.Equal(union, all) {
					t.Fatalf("%s size %d: union of pages differs from the data set", a.name, size)
				}
				// newest first
				for i := 1; i < len(union); i++ {
					if union[i-1].NotifyTime < union[i].NotifyTime {
						t.Fatalf("%s size %d: not newest first at %d", a.name, size, i)
					}
				}
			}
		}
	}
}

// Records sharing a NotifyTime keep one order across pages (ties by ID,
// newest insertion first).
func TestTiesAreStableAcrossPages(t *testing.T) {
	e := newEnv(t, emulator.Options{Domains: []emulator.DomainSpec{}})
	at := fixedNow.Add(-time.Hour)
	var recs []emulator.RecordCallback
	for i := range 25 {
		recs = append(recs, emulator.RecordCallback{Notify: emulator.Notify{
			DomainName: "ties.example.com", AppName: "live", StreamName: "s" + itoa(i),
			NotifyTime: at.Add(123 * time.Millisecond), NotifyType: "file_created", NotifyResult: "success",
		}, StorageType: "oss"})
	}
	e.emu.AddRecordCallbacks(recs...)
	c := e.client(t)
	got := fetchAll(t, recordAPI, c, fullWindow(fixedNow, params{Domain: "ties.example.com", PageSize: 4}))
	if len(got) != 25 {
		t.Fatalf("%d rows", len(got))
	}
	for i, r := range got {
		if want := "s" + itoa(24-i); r.StreamName != want {
			t.Fatalf("row %d is %s, want %s (ties newest insertion first)", i, r.StreamName, want)
		}
		if r.NotifyTime != ts(at) {
			t.Fatalf("NotifyTime %s not truncated to the second", r.NotifyTime)
		}
	}
}

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
