package liveapi

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// Full reads are exact when the API shuffles ties: for both actions, at a
// page size that splits nearly every second (86 pages) and at the maximum
// (2 pages, their boundary inside a second).
func TestTiesExactUnderShuffle(t *testing.T) {
	const n = 600
	for _, shuffle := range []bool{false, true} {
		c, emu := newTestClient(t, emulator.Options{ShuffleTies: shuffle, Domains: []emulator.DomainSpec{}}, Config{})
		end := emu.Now().Add(time.Second)
		emu.AddStreamRecords(emulator.BurstStreamRecords("ties.example.com", end, n, 60)...)
		emu.AddRecordCallbacks(emulator.BurstRecordCallbacks("ties.example.com", end, n, 60)...)
		for _, size := range []int{7, MaxPageSize} {
			q := Query{DomainName: "ties.example.com", StartTime: end.Add(-time.Hour), EndTime: end, PageSize: size}
			t.Run(fmt.Sprintf("shuffle=%v/size=%d/stream", shuffle, size), func(t *testing.T) {
				res, err := List(context.Background(), c, StreamNotifyRecords, q)
				checkTies(t, res, err, shuffle, func(r StreamNotifyRecord) CallbackCommon { return r.CallbackCommon })
			})
			t.Run(fmt.Sprintf("shuffle=%v/size=%d/record", shuffle, size), func(t *testing.T) {
				res, err := List(context.Background(), c, RecordNotifyRecords, q)
				checkTies(t, res, err, shuffle, func(r RecordCallback) CallbackCommon { return r.CallbackCommon })
			})
		}
	}
}

func checkTies[T any](t *testing.T, res *Result[T], err error, shuffle bool, common func(T) CallbackCommon) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	failed := 0
	for _, r := range res.Records {
		cc := common(r)
		seen[cc.StreamName] = true
		if cc.NotifyResult == "failed" {
			failed++
		}
	}
	if len(res.Records) != res.TotalNum || len(seen) != res.TotalNum || failed != res.TotalNum/10 {
		t.Fatalf("%d records, %d distinct, %d failed; want %d distinct, %d failed", len(res.Records), len(seen), failed, res.TotalNum, res.TotalNum/10)
	}
	pages := (res.TotalNum + res.PageSize - 1) / res.PageSize
	if !shuffle && (res.Rereads != 0 || res.Calls != pages) {
		t.Errorf("stable order: %d seconds re-read, %d calls for %d pages; want none extra", res.Rereads, res.Calls, pages)
	}
	if shuffle && res.Rereads == 0 {
		t.Errorf("shuffled ties but no second was re-read")
	}
	t.Logf("%d records in %d calls for %d pages (%d seconds re-read)", len(res.Records), res.Calls, pages, res.Rereads)
}

// More than a page of records in one second: exact when the API orders
// ties stably; refused rather than wrong when it does not.
func TestTieLargerThanAPage(t *testing.T) {
	for _, shuffle := range []bool{false, true} {
		t.Run(fmt.Sprint("shuffle=", shuffle), func(t *testing.T) {
			c, emu := newTestClient(t, emulator.Options{ShuffleTies: shuffle, Domains: []emulator.DomainSpec{}}, Config{})
			end := emu.Now().Add(time.Second)
			emu.AddStreamRecords(emulator.BurstStreamRecords("huge.example.com", end, 1200, 1200)...)
			q := Query{DomainName: "huge.example.com", StartTime: end.Add(-time.Hour), EndTime: end, PageSize: 100}
			res, err := List(context.Background(), c, StreamNotifyRecords, q)
			if shuffle {
				if !errors.Is(err, ErrUnstableTies) || !errors.Is(err, ErrInconsistent) || !strings.Contains(err.Error(), "1200 records at") {
					t.Fatalf("want a refusal, got %v", err)
				}
				return
			}
			if err != nil || len(res.Records) != 1200 {
				t.Fatalf("%v", err)
			}
		})
	}
}

// Two callbacks identical in every field at a page boundary look like a
// repeat: the second is re-read, and both are kept.
func TestIdenticalRecordsAtABoundary(t *testing.T) {
	c, emu := newTestClient(t, emulator.Options{Domains: []emulator.DomainSpec{}}, Config{})
	end := emu.Now().Add(time.Second)
	recs := emulator.BurstStreamRecords("twins.example.com", end, 10, 10)
	recs[9] = recs[8] // two identical callbacks in the one second
	emu.AddStreamRecords(recs...)
	q := Query{DomainName: "twins.example.com", StartTime: end.Add(-time.Hour), EndTime: end, PageSize: 5}
	res, err := List(context.Background(), c, StreamNotifyRecords, q)
	if err != nil {
		t.Fatal(err)
	}
	twins := 0
	for _, r := range res.Records {
		if r.StreamName == recs[8].StreamName {
			twins++
		}
	}
	if len(res.Records) != 10 || twins != 2 || res.Rereads != 1 || res.Calls != 3 {
		t.Fatalf("%d records, %d twins, %d seconds re-read in %d calls; want 10, 2, 1, 3", len(res.Records), twins, res.Rereads, res.Calls)
	}
	// The re-read second is the sink's only Add here: its error ends the
	// read as it is.
	full := errors.New("the summary is full")
	sink := &recordingSink{failAt: 1, failWith: full}
	if _, err := Read(context.Background(), c, StreamNotifyRecords, q, sink); err != full || len(sink.starts) != 1 || sink.adds != 1 { //nolint:errorlint // The contract is the sink's own error value.
		t.Errorf("a sink failing on the re-read second: %v after %d Start and %d Add calls; want its error, after one of each", err, len(sink.starts), sink.adds)
	}
}

// TestTieBookAgainstAModel feeds the tie book answers full of ties, page
// by page in a random order, and compares what it settles with a model
// written from the rule itself: a second whose records stand on both sides
// of a page boundary is re-read when two of its records are equal, and
// every other record goes to the sink as the page has it, exactly once.
func TestTieBookAgainstAModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 27))
	base := time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)
	for run := range 3000 {
		// An answer in the API's order: seconds newest first, each with 1 to
		// 3 records, now and then a crowd of up to 4 pages, and now and then
		// two records equal in every field.
		size := 1 + rng.IntN(7)
		var answer []StreamNotifyRecord
		for sec := 0; len(answer) < 60; sec++ {
			n := 1 + rng.IntN(3)
			if rng.IntN(8) == 0 {
				n = 1 + rng.IntN(4*size)
			}
			at := base.Add(-time.Duration(sec) * time.Second).Format(TimeLayout)
			for range n {
				r := StreamNotifyRecord{CallbackCommon{NotifyTime: at, StreamName: fmt.Sprint("s", len(answer))}}
				if len(answer) > 0 && answer[len(answer)-1].NotifyTime == at && rng.IntN(6) == 0 {
					r = answer[len(answer)-1]
				}
				answer = append(answer, r)
			}
		}
		pages := (len(answer) + size - 1) / size

		// The model: the runs of one second that cross a boundary.
		type span struct{ lo, hi int }
		var wantRereads []reread
		rereadAt := map[int]bool{}
		for b := size; b < len(answer); b += size {
			if answer[b-1].NotifyTime != answer[b].NotifyTime {
				continue
			}
			r := span{b - 1, b + 1}
			for r.lo > 0 && answer[r.lo-1].NotifyTime == answer[b].NotifyTime {
				r.lo--
			}
			for r.hi < len(answer) && answer[r.hi].NotifyTime == answer[b].NotifyTime {
				r.hi++
			}
			if rereadAt[r.lo] || wantRereadsHas(wantRereads, r.lo) {
				continue
			}
			repeats := false
			for i := r.lo; i < r.hi; i++ {
				for j := i + 1; j < r.hi; j++ {
					repeats = repeats || answer[i] == answer[j]
				}
			}
			if repeats {
				wantRereads = append(wantRereads, reread{second: answer[b].NotifyTime, pos: r.lo, n: r.hi - r.lo})
				for i := r.lo; i < r.hi; i++ {
					rereadAt[i] = true
				}
			}
		}

		book := newTieBook[StreamNotifyRecord](pages)
		sink := &recordingSink{}
		sink.Start(len(answer))
		var gotRereads []reread
		for _, p := range rng.Perm(pages) {
			page := p + 1
			lo, hi := p*size, min((p+1)*size, len(answer))
			rereads, err := book.arrive(StreamNotifyRecords, page, lo, slices.Clone(answer[lo:hi]), sink)
			if err != nil {
				t.Fatal(err)
			}
			gotRereads = append(gotRereads, rereads...)
		}
		byPos := func(a, b reread) int { return a.pos - b.pos }
		slices.SortFunc(gotRereads, byPos)
		if !slices.Equal(gotRereads, wantRereads) {
			t.Fatalf("run %d, page size %d: re-reads %+v, want %+v", run, size, gotRereads, wantRereads)
		}
		if len(book.heads)+len(book.tails) != 0 {
			t.Fatalf("run %d: %d pieces left unsettled", run, len(book.heads)+len(book.tails))
		}
		// What is not re-read arrived as the pages had it; the re-read
		// seconds are the read's to fill.
		for _, r := range gotRereads {
			if err := sink.Add(r.pos, slices.Clone(answer[r.pos:r.pos+r.n])); err != nil {
				t.Fatal(err)
			}
		}
		sink.complete(t)
		for i := range answer {
			if sink.Records[i] != answer[i] {
				t.Fatalf("run %d: position %d holds %+v, want %+v", run, i, sink.Records[i], answer[i])
			}
		}
	}
}

func wantRereadsHas(rs []reread, pos int) bool {
	return slices.ContainsFunc(rs, func(r reread) bool { return r.pos == pos })
}

// BenchmarkListTies is a full read of 20,000 records crowded into seconds of
// up to 60 (emulator.BurstStreamRecords), 40 pages of 500, with the API's
// tie order stable or shuffled on every request: what settling the ties at
// page boundaries costs. extra-calls/op are the calls beyond the 40 pages.
func BenchmarkListTies(b *testing.B) {
	const n = 20_000
	for _, shuffle := range []bool{false, true} {
		b.Run(map[bool]string{false: "stable", true: "shuffled"}[shuffle], func(b *testing.B) {
			now := time.Now().UTC().Truncate(time.Second)
			c, emu := newTestClient(b, emulator.Options{Now: func() time.Time { return now }, ShuffleTies: shuffle,
				Domains: []emulator.DomainSpec{}}, Config{MaxQPS: 1e6})
			emu.AddStreamRecords(emulator.BurstStreamRecords("ties.example.com", now, n, 60)...)
			q := Query{DomainName: "ties.example.com", StartTime: now.Add(-time.Hour), EndTime: now}
			var calls, rereads int
			for b.Loop() {
				res, err := List(context.Background(), c, StreamNotifyRecords, q)
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Records) != n {
					b.Fatalf("%d records, want %d", len(res.Records), n)
				}
				calls += res.Calls
				rereads += res.Rereads
			}
			b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
			b.ReportMetric(float64(calls-b.N*n/MaxPageSize)/float64(b.N), "extra-calls/op")
			b.ReportMetric(float64(rereads)/float64(b.N), "seconds-reread/op")
		})
	}
}
