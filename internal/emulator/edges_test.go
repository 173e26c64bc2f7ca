package emulator_test

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

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

// ErrorCodes lists exactly the codes this package's newError calls answer
// (the literal second argument of each call outside tests).
func TestErrorCodesComplete(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "newError" || len(call.Args) < 2 {
				return true
			}
			lit, isLit := call.Args[1].(*ast.BasicLit)
			if !isLit {
				t.Errorf("%s: newError with a non-literal code", fset.Position(call.Pos()))
				return true
			}
			code, _ := strconv.Unquote(lit.Value)
			found[code] = true
			return true
		})
	}
	listed := emulator.ErrorCodes()
	if !slices.IsSorted(listed) {
		t.Errorf("ErrorCodes is not sorted: %q", listed)
	}
	if got := slices.Sorted(maps.Keys(found)); !slices.Equal(got, listed) {
		t.Errorf("ErrorCodes() = %q\nthe source answers %q", listed, got)
	}
	for _, code := range listed {
		if code == "InvalidSecurityToken.Mismatch" {
			t.Errorf("%s is not a real code", code)
		}
	}
}
