package emulator_test

import (
	"context"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"

	"fmt"
	"strconv"
)

// Every documented parameter rule of both actions, through the SDK, with
// the documented code and HTTP status.
func TestParameterRules(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c := e.client(t)
	start, end := ts(fixedNow.Add(-time.Hour)), ts(fixedNow)
	valid := params{Domain: "live1.example.com", Start: start, End: end}
	type rule struct {
		name   string
		edit   func(p *params)
		code   func(a api) string
		substr string // expected in the record action's message
	}
	rules := []rule{
		{"missing DomainName", func(p *params) { p.Domain = "" }, func(a api) string { return a.missing }, "DomainName"},
		{"missing StartTime", func(p *params) { p.Start = "" }, func(a api) string { return a.missing }, "StartTime"},
		{"missing EndTime", func(p *params) { p.End = "" }, func(a api) string { return a.missing }, "EndTime"},
		{"PageSize -1", func(p *params) { p.PageSize = -1 }, func(a api) string { return a.badPageSize }, "PageSize"},
		{"PageSize 501", func(p *params) { p.PageSize = 501 }, func(a api) string { return a.badPageSize }, "got 501"},
		{"PageNumber -5", func(p *params) { p.PageNumber = -5 }, func(a api) string { return a.badPageSize }, "PageNumber"},
		{"Status", func(p *params) { p.Status = "ok" }, func(a api) string { return a.badStatus }, `"ok"`},
		{"StartTime with millis", func(p *params) { p.Start = "2025-03-14T11:00:00.000Z" }, func(a api) string { return a.badStart }, "StartTime"},
		{"StartTime with offset", func(p *params) { p.Start = "2025-03-14T11:00:00+08:00" }, func(a api) string { return a.badStart }, "StartTime"},
		{"StartTime with space", func(p *params) { p.Start = "2025-03-14 11:00:00" }, func(a api) string { return a.badStart }, "StartTime"},
		{"StartTime short month", func(p *params) { p.Start = "2025-3-14T11:00:00Z" }, func(a api) string { return a.badStart }, "StartTime"},
		{"StartTime impossible date", func(p *params) { p.Start = "2025-02-30T11:00:00Z" }, func(a api) string { return a.badStart }, "StartTime"},
		{"EndTime lowercase z", func(p *params) { p.End = "2025-03-14T12:00:00z" }, func(a api) string { return a.badEnd }, "EndTime"},
		{"EndTime date only", func(p *params) { p.End = "2025-03-14" }, func(a api) string { return a.badEnd }, "EndTime"},
		{"EndTime equals StartTime", func(p *params) { p.End = p.Start }, func(a api) string { return a.endNotAfter }, "later"},
		{"EndTime before StartTime", func(p *params) { p.Start, p.End = p.End, p.Start }, func(a api) string { return a.endNotAfter }, "later"},
		{"StartTime one second older than 7 days", func(p *params) { p.Start = ts(fixedNow.Add(-emulator.QueryWindow - time.Second)) },
			func(a api) string { return a.tooOld }, "7 days"},
	}
	for _, a := range apis {
		for _, r := range rules {
			t.Run(a.name+"/"+r.name, func(t *testing.T) {
				p := valid
				r.edit(&p)
				_, err := a.fetch(context.Background(), c, p)
				msg := wantError[*openapi.ClientError](t, err, 400, r.code(a))
				if a.name == recordAPI.name && !strings.Contains(msg, r.substr) {
					t.Errorf("message %q does not mention %q", msg, r.substr)
				}
			})
		}
	}

	// Boundaries that must be accepted.
	accepted := []params{
		{Domain: "live1.example.com", Start: ts(fixedNow.Add(-emulator.QueryWindow)), End: end},
		{Domain: "live1.example.com", Start: start, End: ts(fixedNow.Add(30 * 24 * time.Hour))},      // future EndTime
		{Domain: "live1.example.com", Start: start, End: ts(fixedNow.Add(-time.Hour + time.Second))}, // 1s window
		{Domain: "live1.example.com", Start: start, End: end, PageSize: 1},
		{Domain: "live1.example.com", Start: start, End: end, PageSize: 500},
		{Domain: "live1.example.com", Start: start, End: end, PageNumber: 100000},
	}
	for _, a := range apis {
		for i, p := range accepted {
			if _, err := a.fetch(context.Background(), c, p); err != nil {
				t.Errorf("%s accepted[%d]: %v", a.name, i, err)
			}
		}
	}
}

// PageNumber beyond 100000 is a record-action rule only; the stream action
// documents no upper bound.
func TestPageNumberUpperBound(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c := e.client(t)
	p := params{Domain: "live1.example.com", Start: ts(fixedNow.Add(-time.Hour)), End: ts(fixedNow), PageNumber: 100001}
	_, err := recordAPI.fetch(context.Background(), c, p)
	wantError[*openapi.ClientError](t, err, 400, "MalformedParams")
	pg, err := streamAPI.fetch(context.Background(), c, p)
	if err != nil || len(pg.rows) != 0 || pg.pageNum != 100001 {
		t.Fatalf("stream page 100001: %+v, %v", pg, err)
	}
}

// Values the SDK's typed fields cannot produce, sent by hand.
func TestUntypedParameters(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	cases := []struct {
		param, value string
		record       string // code for the record action
		stream       string
	}{
		{"PageSize", "abc", "InvalidParams", "InvalidParam"},
		{"PageSize", "2.5", "InvalidParams", "InvalidParam"},
		{"PageNumber", "1e3", "InvalidParams", "InvalidParam"},
		{"OwnerId", "me", "InvalidParams", "InvalidParam"},
		{"PageSize", "99999999999999999999", "MalformedParams", "InvalidParam"},
		{"PageSize", "0", "MalformedParams", "InvalidParam"},
		{"PageNumber", "0", "MalformedParams", "InvalidParam"},
		{"DomainName", "", "MissingParams", "InvalidParam"},
	}
	for _, tc := range cases {
		for action, code := range map[string]string{
			emulator.ActionDescribeLiveRecordNotifyRecords:  tc.record,
			emulator.ActionDescribeLiveStreamsNotifyRecords: tc.stream,
		} {
			q := validQuery(fixedNow, "live1.example.com")
			q[tc.param] = tc.value
			res := e.raw(t, rawCall{action: action, query: q})
			wantRawError(t, res, code)
			if code == "InvalidParams" && res.fields["Message"] != "Invalid JSON" {
				t.Errorf("InvalidParams message %v", res.fields["Message"])
			}
			if code == "InvalidParam" && res.fields["Message"] != "Parameter invalid." {
				t.Errorf("InvalidParam message %v", res.fields["Message"])
			}
		}
	}
	// Accepted extras: OwnerId, RegionId, unknown parameters.
	q := validQuery(fixedNow, "live1.example.com")
	q["OwnerId"], q["RegionId"], q["Unknown"] = "1234567890", "cn-beijing", "x"
	if res := e.raw(t, rawCall{query: q}); res.status != 200 {
		t.Fatalf("%d %s", res.status, res.body)
	}
}

// The stream action's documented messages, verbatim.
func TestStreamErrorMessages(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	base := validQuery(fixedNow, "live1.example.com")
	cases := map[string]struct {
		edit func(map[string]string)
		code string
	}{
		"Specified parameter StartTime is not valid.":               {func(q map[string]string) { q["StartTime"] = "x" }, "InvalidStartTime.Malformed"},
		"Specified parameter EndTime is not valid.":                 {func(q map[string]string) { q["EndTime"] = "x" }, "InvalidEndTime.Malformed"},
		"Specified EndTime does not match the specified StartTime.": {func(q map[string]string) { q["EndTime"] = q["StartTime"] }, "InvalidEndTime.Mismatch"},
		"StartTime needs to be within the last 7 days.":             {func(q map[string]string) { q["StartTime"] = ts(fixedNow.AddDate(0, 0, -8)) }, "Duration.Exceed"},
		"Parameter invalid.":                                        {func(q map[string]string) { q["Status"] = "all" }, "InvalidParam"},
	}
	for msg, tc := range cases {
		q := map[string]string{}
		for k, v := range base {
			q[k] = v
		}
		tc.edit(q)
		res := e.raw(t, rawCall{action: emulator.ActionDescribeLiveStreamsNotifyRecords, query: q})
		wantRawError(t, res, tc.code)
		if res.fields["Message"] != msg {
			t.Errorf("message %q, want %q", res.fields["Message"], msg)
		}
	}
}

// The 7-day rule holds to the instant the request is processed, unless a
// grace is configured: a StartTime of exactly "now - 7 days" truncated to
// the second is already too old half a second later.
func TestStartTimeStrictToTheSecond(t *testing.T) {
	now := fixedNow.Add(500 * time.Millisecond)
	oldest := now.Add(-emulator.QueryWindow) // 12:00:00.5, seven days back
	cases := []struct {
		name     string
		grace    time.Duration
		start    time.Time
		accepted bool
	}{
		{"strict: truncated now-7d is too old", 0, oldest.Truncate(time.Second), false},
		{"strict: the next whole second is accepted", 0, oldest.Truncate(time.Second).Add(time.Second), true},
		{"strict: a day later is accepted", 0, oldest.Add(24 * time.Hour), true},
		{"grace 1m: 59s older is accepted", time.Minute, oldest.Add(-59 * time.Second), true},
		{"grace 1m: 61s older is too old", time.Minute, oldest.Add(-61 * time.Second), false},
	}
	for _, tc := range cases {
		e := newEnv(t, emulator.Options{Now: clockAt(now), StartTimeGrace: tc.grace})
		c := e.client(t)
		for _, a := range apis {
			t.Run(tc.name+"/"+a.name, func(t *testing.T) {
				p := params{Domain: "live1.example.com", Start: ts(tc.start), End: ts(now)}
				_, err := a.fetch(context.Background(), c, p)
				if tc.accepted {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				wantError[*openapi.ClientError](t, err, 400, a.tooOld)
			})
		}
	}
}

// The record document marks PageSize and PageNumber required; the stream
// document makes them optional with defaults 20 and 1.
func TestRecordPagingRequired(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	for _, param := range []string{"PageSize", "PageNumber"} {
		q := validQuery(fixedNow, "paging.example.com")
		delete(q, param)
		res := e.raw(t, rawCall{action: emulator.ActionDescribeLiveRecordNotifyRecords, query: q})
		wantRawError(t, res, "MissingParams")
		if msg, _ := res.fields["Message"].(string); !strings.Contains(msg, param) {
			t.Errorf("MissingParams message %q does not name %s", msg, param)
		}
	}
	q := validQuery(fixedNow, "paging.example.com")
	delete(q, "PageSize")
	delete(q, "PageNumber")
	res := e.raw(t, rawCall{action: emulator.ActionDescribeLiveStreamsNotifyRecords, query: q})
	if res.status != 200 || res.fields["PageSize"] != float64(emulator.DefaultPageSize) || res.fields["PageNum"] != float64(emulator.DefaultPageNumber) {
		t.Fatalf("stream action without paging: %d %s", res.status, res.body)
	}
}

// Each action's PageNumber range, at its edges.
func TestPageNumberRange(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	cases := []struct {
		action string
		page   int64
		code   string // "" = accepted
	}{
		{emulator.ActionDescribeLiveRecordNotifyRecords, 1, ""},
		{emulator.ActionDescribeLiveRecordNotifyRecords, emulator.MaxRecordPageNumber, ""},
		{emulator.ActionDescribeLiveRecordNotifyRecords, emulator.MaxRecordPageNumber + 1, "MalformedParams"},
		{emulator.ActionDescribeLiveRecordNotifyRecords, 0, "MalformedParams"},
		{emulator.ActionDescribeLiveStreamsNotifyRecords, emulator.MaxRecordPageNumber + 1, ""},
		{emulator.ActionDescribeLiveStreamsNotifyRecords, emulator.MaxStreamPageNumber, ""},
		{emulator.ActionDescribeLiveStreamsNotifyRecords, emulator.MaxStreamPageNumber + 1, "InvalidParam"},
		{emulator.ActionDescribeLiveStreamsNotifyRecords, 0, "InvalidParam"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.action, "/", tc.page), func(t *testing.T) {
			q := validQuery(fixedNow, "live1.example.com")
			q["PageNumber"] = strconv.FormatInt(tc.page, 10)
			res := e.raw(t, rawCall{action: tc.action, query: q})
			if tc.code != "" {
				wantRawError(t, res, tc.code)
				return
			}
			if res.status != 200 || res.fields["PageNum"] != float64(tc.page) {
				t.Fatalf("%d %s", res.status, res.body)
			}
		})
	}
}
