package emulator_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// caseWindows are the windows a default gate judges: both of its pairs.
var caseWindows = []time.Duration{5 * time.Minute, 30 * time.Minute, time.Hour, 6 * time.Hour}

// caseHealth counts the callbacks of each event type and each webhook as a
// gate reads them: "total/failed" in each of caseWindows, ending at Now, then
// the failures after the newest success. Records come newest first.
func caseHealth(now time.Time, records []emulator.Notify) map[string]string {
	type group struct {
		total, failed [4]int
		run           int
		recovered     bool
	}
	groups := map[string]*group{}
	for _, r := range records {
		for _, key := range []string{r.NotifyType, r.NotifyURL} {
			g := groups[key]
			if g == nil {
				g = &group{}
				groups[key] = g
			}
			failed := r.NotifyResult == "failed"
			for i, w := range caseWindows {
				if !r.NotifyTime.Before(now.Add(-w)) && r.NotifyTime.Before(now) {
					g.total[i]++
					if failed {
						g.failed[i]++
					}
				}
			}
			if !failed {
				g.recovered = true
			} else if !g.recovered {
				g.run++
			}
		}
	}
	out := map[string]string{}
	for key, g := range groups {
		out[key] = fmt.Sprintf("%d/%d %d/%d %d/%d %d/%d %d",
			g.total[0], g.failed[0], g.total[1], g.failed[1], g.total[2], g.failed[2], g.total[3], g.failed[3], g.run)
	}
	return out
}

// TestCaseDomains: every case domain holds, for both kinds of callbacks,
// the health its documentation states, counted here by hand from the shapes
// (5m, 30m, 1h and 6h windows ending at Now, then the failures in a row).
func TestCaseDomains(t *testing.T) {
	emu := emulator.New(emulator.Options{Now: clockAt(fixedNow.Add(400 * time.Millisecond)), Domains: []emulator.DomainSpec{}})
	main, backup := emulator.CaseMainURL, emulator.CaseBackupURL
	type want struct{ streams, recordings map[string]string }
	cases := map[string]want{
		emulator.CaseHealthyDomain: {
			streams: map[string]string{
				"publish":      "15/0 90/0 180/1 1080/7 0",
				"publish_done": "15/0 90/1 180/1 1080/7 0",
				main:           "30/0 180/1 360/2 2160/14 0",
			},
		},
		emulator.CaseBlipDomain: {
			streams: map[string]string{
				"publish":      "1/0 2/0 4/0 23/0 0",
				"publish_done": "0/0 2/0 4/1 22/1 0",
				main:           "1/0 4/0 8/1 45/1 0",
			},
			recordings: map[string]string{
				"file_created":   "1/0 2/0 4/0 23/0 0",
				"record_started": "0/0 2/0 3/0 21/0 0",
				"record_error":   "0/0 0/0 1/1 1/1 1",
				main:             "1/0 4/0 8/1 45/1 0",
			},
		},
		emulator.CaseOutageDomain: {
			streams: map[string]string{
				"publish":      "15/15 90/90 180/90 1080/90 90",
				"publish_done": "15/15 90/90 180/90 1080/90 90",
				main:           "30/30 180/180 360/180 2160/180 180",
			},
		},
		emulator.CaseSlowBurnDomain: {
			streams: map[string]string{
				"publish":      "3/1 15/4 30/8 180/45 0",
				"publish_done": "2/0 15/4 30/7 180/45 0",
				main:           "5/1 30/8 60/15 360/90 0",
			},
		},
		emulator.CaseLowTrafficDomain: {
			streams: map[string]string{
				"publish_done": "0/0 1/1 1/1 3/2 2",
				"publish":      "0/0 0/0 0/0 3/1 1",
				main:           "0/0 1/1 1/1 6/3 3",
			},
			recordings: map[string]string{
				"file_created": "0/0 1/1 1/1 6/3 3",
				main:           "0/0 1/1 1/1 6/3 3",
			},
		},
		emulator.CaseIdleDomain: {streams: map[string]string{}, recordings: map[string]string{}},
		emulator.FixtureFailingTypeDomain: {
			streams: map[string]string{
				"publish":               "3/0 15/0 30/0 150/0 0",
				"publish_done":          "2/2 15/5 30/5 150/5 5",
				emulator.FailingTypeURL: "5/2 30/5 60/5 300/5 0",
			},
			recordings: map[string]string{
				"record_started":        "3/0 15/0 30/0 150/0 0",
				"file_created":          "2/2 15/5 30/5 150/5 5",
				emulator.FailingTypeURL: "5/2 30/5 60/5 300/5 0",
			},
		},
		emulator.CaseWebhookDownDomain: {
			streams: map[string]string{
				"publish":      "38/9 225/56 450/56 2700/56 0",
				"publish_done": "37/9 225/56 450/56 2700/56 0",
				main:           "57/0 338/0 675/0 4050/0 0",
				backup:         "18/18 112/112 225/112 1350/112 112",
			},
		},
	}
	if got := slices.Sorted(maps.Keys(cases)); !slices.Equal(got, slices.Sorted(slices.Values(emulator.CaseDomains))) {
		t.Fatalf("CaseDomains = %v, the test knows %v", emulator.CaseDomains, got)
	}
	// Unless a case says otherwise, the recording callbacks have the
	// stream callbacks' shape, file_created for publish and record_started
	// for publish_done.
	renamed := func(m map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			switch k {
			case "publish":
				k = "file_created"
			case "publish_done":
				k = "record_started"
			}
			out[k] = v
		}
		return out
	}
	for _, domain := range emulator.CaseDomains {
		w := cases[domain]
		if w.recordings == nil {
			w.recordings = renamed(w.streams)
		}
		var streams, recordings []emulator.Notify
		for _, r := range emu.StreamRecords(domain) {
			streams = append(streams, r.Notify)
		}
		for _, r := range emu.RecordCallbacks(domain) {
			recordings = append(recordings, r.Notify)
			if r.StorageType != "oss" {
				t.Errorf("%s: StorageType %q", domain, r.StorageType)
			}
		}
		for kind, got := range map[string]map[string]string{"stream": caseHealth(fixedNow, streams), "recording": caseHealth(fixedNow, recordings)} {
			want := w.streams
			if kind == "recording" {
				want = w.recordings
			}
			if !maps.Equal(got, want) {
				t.Errorf("%s, %s callbacks (5m 30m 1h 6h, in a row):\n got %v\nwant %v", domain, kind, got, want)
			}
		}
		// Every callback is complete, within the last 7 hours, and a failure
		// says why.
		for _, n := range append(streams, recordings...) {
			if n.DomainName != domain || n.AppName == "" || n.StreamName == "" || n.NotifyContent == "" ||
				n.NotifyTime.Before(fixedNow.Add(-emulator.CaseSpan)) || !n.NotifyTime.Before(fixedNow) ||
				(n.NotifyResult == "failed") == (n.Description == "success") {
				t.Fatalf("%s: incomplete or out-of-range callback %+v", domain, n)
			}
		}
	}
}

// TestCaseDomainsDescriptions: the failures of each case say what the docs
// say they say.
func TestCaseDomainsDescriptions(t *testing.T) {
	emu := emulator.New(emulator.Options{Now: clockAt(fixedNow), Domains: []emulator.DomainSpec{}})
	for domain, want := range map[string]string{
		emulator.CaseOutageDomain:      "callback failed: connection refused",
		emulator.CaseWebhookDownDomain: "callback failed: read timeout after 5s",
		emulator.CaseBlipDomain:        "callback failed: HTTP 500 Internal Server Error",
	} {
		for _, r := range emu.StreamRecords(domain) {
			if r.NotifyResult == "failed" && r.Description != want {
				t.Errorf("%s: a failure says %q, want %q", domain, r.Description, want)
			}
		}
	}
	blip := emu.StreamRecords(emulator.CaseBlipDomain)
	if f := blip[5]; f.NotifyResult != "failed" || f.NotifyType != "publish_done" || f.NotifyTime != fixedNow.Add(-41*time.Minute) {
		t.Errorf("the blip's failure is %+v, want a publish_done 41 minutes before Now", f)
	}
}
