package emulator_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

func TestDataSetIsDeterministic(t *testing.T) {
	opts := emulator.Options{Now: clockAt(fixedNow), Seed: 42, Domains: testDomains}
	a, b := emulator.New(opts), emulator.New(opts)
	opts.Seed = 43
	c := emulator.New(opts)
	for _, d := range testDomains {
		if !reflect.DeepEqual(a.RecordCallbacks(d.Name), b.RecordCallbacks(d.Name)) ||
			!reflect.DeepEqual(a.StreamRecords(d.Name), b.StreamRecords(d.Name)) {
			t.Fatalf("%s differs between two servers with the same seed", d.Name)
		}
		if reflect.DeepEqual(a.RecordCallbacks(d.Name), c.RecordCallbacks(d.Name)) {
			t.Fatalf("%s is the same for seeds 42 and 43", d.Name)
		}
	}
	// A domain's records do not depend on the other domains generated.
	alone := emulator.New(emulator.Options{Now: clockAt(fixedNow), Seed: 42, Domains: testDomains[1:]})
	if !reflect.DeepEqual(stripIDs(alone.RecordCallbacks("paging.example.com")), stripIDs(a.RecordCallbacks("paging.example.com"))) {
		t.Fatal("paging.example.com changed when live1.example.com was not generated")
	}
}

func stripIDs(recs []emulator.RecordCallback) []emulator.RecordCallback {
	out := slices.Clone(recs)
	for i := range out {
		out[i].ID = 0
	}
	return out
}

func TestDefaultDataSet(t *testing.T) {
	emu := emulator.New(emulator.Options{Now: clockAt(fixedNow)})
	want := []string{emulator.FixtureRecordDomain}
	for _, d := range emulator.DefaultDomains() {
		want = append(want, d.Name)
		if got := len(emu.RecordCallbacks(d.Name)); got != d.RecordCallbacks {
			t.Errorf("%s: %d record callbacks, want %d", d.Name, got, d.RecordCallbacks)
		}
		if got := len(emu.StreamRecords(d.Name)); got != d.StreamRecords {
			t.Errorf("%s: %d stream records, want %d", d.Name, got, d.StreamRecords)
		}
	}
	// The fixtures and every case domain but the idle one, which holds none.
	want = append(want, emulator.FixtureStreamDomain, emulator.FixtureSecretsDomain, "publish-done-down.example.com", "healthy.example.com",
		"blip.example.com", "outage.example.com", "slow-burn.example.com", "low-traffic-down.example.com",
		"webhook-down.example.com")
	slices.Sort(want)
	if got := emu.Domains(); !slices.Equal(got, want) {
		t.Errorf("Domains() = %v, want %v", got, want)
	}
	if d := emulator.DefaultDomains(); len(d) != 10 || d[0] != (emulator.DomainSpec{Name: "live1.example.com", RecordCallbacks: 120, StreamRecords: 80}) {
		t.Errorf("DefaultDomains() = %v", d)
	}
}

// TestNoCaseDomains: the fixtures, the one among the case domains too, and
// the domains asked for, but none of the busy case domains.
func TestNoCaseDomains(t *testing.T) {
	emu := emulator.New(emulator.Options{Now: clockAt(fixedNow), NoCaseDomains: true, Domains: []emulator.DomainSpec{{Name: "mine.example.com", StreamRecords: 3}}})
	want := []string{"example.com", "mine.example.com", "publish-done-down.example.com", "push.example1.com", "secret-hooks.example.com"}
	if got := emu.Domains(); !slices.Equal(got, want) {
		t.Errorf("Domains() = %v, want %v", got, want)
	}
}

func TestGeneratedRecordsAreRealistic(t *testing.T) {
	emu := emulator.New(emulator.Options{Now: clockAt(fixedNow.Add(123 * time.Millisecond)), Seed: 7,
		Domains: []emulator.DomainSpec{{Name: "big.example.com", RecordCallbacks: 3000, StreamRecords: 3000}}})
	oldest := fixedNow.Add(-emulator.QueryWindow)
	check := func(t *testing.T, recs []emulator.Notify, types []string) {
		failed, seenTypes, lastID := 0, map[string]bool{}, int64(0)
		for i, n := range recs {
			if n.NotifyTime.Location() != time.UTC || n.NotifyTime.Nanosecond() != 0 ||
				!n.NotifyTime.After(oldest) || !n.NotifyTime.Before(fixedNow) {
				t.Fatalf("NotifyTime %v outside (now-7d, now) or not whole UTC seconds", n.NotifyTime)
			}
			if i > 0 && (n.NotifyTime.After(recs[i-1].NotifyTime) || n.NotifyTime.Equal(recs[i-1].NotifyTime) && n.ID > lastID) {
				t.Fatalf("record %d out of API order", i)
			}
			lastID = n.ID
			if !slices.Contains(types, n.NotifyType) {
				t.Fatalf("undocumented NotifyType %q", n.NotifyType)
			}
			seenTypes[n.NotifyType] = true
			switch n.NotifyResult {
			case "failed":
				failed++
				if n.Description == "success" || n.Description == "" {
					t.Errorf("failed record with Description %q", n.Description)
				}
			case "success":
				if n.Description != "success" || n.NotifyResponse == "" {
					t.Errorf("successful record with Description %q response %q", n.Description, n.NotifyResponse)
				}
			default:
				t.Fatalf("NotifyResult %q", n.NotifyResult)
			}
			if !json.Valid([]byte(n.NotifyContent)) || n.NotifyURL == "" || n.AppName == "" || n.StreamName == "" || n.DomainName != "big.example.com" {
				t.Fatalf("incomplete record %+v", n)
			}
			if n.NotifyHeader != "" && !json.Valid([]byte(n.NotifyHeader)) {
				t.Fatalf("NotifyHeader %q", n.NotifyHeader)
			}
		}
		if len(seenTypes) != len(types) {
			t.Errorf("NotifyTypes %v, want all of %v", seenTypes, types)
		}
		if share := float64(failed) / float64(len(recs)); share < 0.07 || share > 0.13 {
			t.Errorf("failure share %.3f, want about %.2f", share, emulator.FailureRate)
		}
	}
	t.Run("records", func(t *testing.T) {
		var ns []emulator.Notify
		storage := map[string]int{}
		for _, r := range emu.RecordCallbacks("big.example.com") {
			ns = append(ns, r.Notify)
			storage[r.StorageType]++
		}
		check(t, ns, emulator.RecordNotifyTypes)
		if len(storage) != 2 || storage["oss"] < storage["vod"] || storage["vod"] == 0 {
			t.Errorf("StorageType mix %v", storage)
		}
	})
	t.Run("streams", func(t *testing.T) {
		var ns []emulator.Notify
		for _, r := range emu.StreamRecords("big.example.com") {
			ns = append(ns, r.Notify)
		}
		check(t, ns, emulator.StreamNotifyTypes)
	})
	// Small domains still contain every NotifyType.
	small := emulator.New(emulator.Options{Now: clockAt(fixedNow), Domains: []emulator.DomainSpec{{Name: "s.example.com", RecordCallbacks: 7, StreamRecords: 2}}})
	types := map[string]bool{}
	for _, r := range small.RecordCallbacks("s.example.com") {
		types[r.NotifyType] = true
	}
	if len(types) != len(emulator.RecordNotifyTypes) {
		t.Errorf("7-record domain has NotifyTypes %v", types)
	}
}

func TestFixturesAreStoredVerbatim(t *testing.T) {
	emu := emulator.New(emulator.Options{Now: clockAt(fixedNow.Add(999 * time.Millisecond)), Domains: []emulator.DomainSpec{}})
	gotRec := stripIDs(emu.RecordCallbacks(emulator.FixtureRecordDomain))
	if want := emulator.FixtureRecordCallbacks(fixedNow); !reflect.DeepEqual(gotRec, want) {
		t.Fatalf("record fixtures\n got %+v\nwant %+v", gotRec, want)
	}
	gotStreams := emu.StreamRecords(emulator.FixtureStreamDomain)
	want := emulator.FixtureStreamRecords(fixedNow)
	for i := range gotStreams {
		gotStreams[i].ID = 0
	}
	if !reflect.DeepEqual(gotStreams, want) {
		t.Fatalf("stream fixtures\n got %+v\nwant %+v", gotStreams, want)
	}
	if want[0].NotifyTime != fixedNow.Add(-time.Hour) || want[1].NotifyTime != fixedNow.Add(-2*time.Hour) {
		t.Errorf("fixture offsets %v %v", want[0].NotifyTime, want[1].NotifyTime)
	}
}

func TestAddAndReadBack(t *testing.T) {
	emu := emulator.New(emulator.Options{Now: clockAt(fixedNow), Domains: []emulator.DomainSpec{}})
	in := []emulator.StreamRecord{
		{Notify: emulator.Notify{ID: 99, DomainName: "a.example.com", NotifyTime: fixedNow.Add(-3 * time.Hour).In(time.FixedZone("CST", 8*3600))}},
		{Notify: emulator.Notify{DomainName: "a.example.com", NotifyTime: fixedNow.Add(-1*time.Hour + 500*time.Millisecond)}},
		{Notify: emulator.Notify{DomainName: "b.example.com", NotifyTime: fixedNow}},
	}
	emu.AddStreamRecords(in...)
	if in[0].ID != 99 {
		t.Fatal("AddStreamRecords modified the caller's slice")
	}
	got := emu.StreamRecords("a.example.com")
	// Newest first; NotifyTime truncated to whole UTC seconds.
	if len(got) != 2 || got[0].NotifyTime != fixedNow.Add(-time.Hour) || got[1].NotifyTime != fixedNow.Add(-3*time.Hour) {
		t.Fatalf("read back %+v", got)
	}
	// IDs are assigned in argument order, ignoring the caller's.
	if got[1].ID == 99 || got[0].ID != got[1].ID+1 {
		t.Errorf("IDs %d %d not assigned by the emulator in order", got[0].ID, got[1].ID)
	}
	got[0].AppName = "mutated"
	if emu.StreamRecords("a.example.com")[0].AppName == "mutated" {
		t.Error("StreamRecords returned the internal slice")
	}
	if len(emu.RecordCallbacks("a.example.com")) != 0 {
		t.Error("stream records leaked into record callbacks")
	}
}

// TestFixtureFailingType: in FixtureFailingTypeDomain one event type of each
// kind is still failing, and nothing else is: the newest callback of all,
// and the webhook's newest, succeeded.
func TestFixtureFailingType(t *testing.T) {
	emu := emulator.New(emulator.Options{Now: clockAt(fixedNow), Domains: []emulator.DomainSpec{}})
	check := func(kind string, records []emulator.Notify, failing string) {
		t.Helper()
		if len(records) != 2*emulator.FailingTypePairs {
			t.Fatalf("%s: %d records, want %d", kind, len(records), 2*emulator.FailingTypePairs)
		}
		if records[0].NotifyResult != "success" || records[0].NotifyTime != fixedNow.Add(-time.Minute).Truncate(time.Second) {
			t.Errorf("%s: the newest record is %+v, want a success a minute before Now", kind, records[0])
		}
		var run, failed int
		running := true // newest first: still within the failing type's newest failures
		for _, r := range records {
			if r.NotifyURL != emulator.FailingTypeURL {
				t.Fatalf("%s: a record to %s", kind, r.NotifyURL)
			}
			if r.NotifyResult == "failed" {
				failed++
				if r.NotifyType != failing {
					t.Errorf("%s: a failed %s", kind, r.NotifyType)
				}
			}
			if r.NotifyType == failing {
				running = running && r.NotifyResult == "failed"
				if running {
					run++
				}
			}
		}
		if failed != emulator.FailingTypeRun || run != emulator.FailingTypeRun {
			t.Errorf("%s: %d failures, %d of them the newest of %s; want %d", kind, failed, run, failing, emulator.FailingTypeRun)
		}
	}
	var streams, recordings []emulator.Notify
	for _, r := range emu.StreamRecords(emulator.FixtureFailingTypeDomain) {
		streams = append(streams, r.Notify)
	}
	for _, r := range emu.RecordCallbacks(emulator.FixtureFailingTypeDomain) {
		recordings = append(recordings, r.Notify)
	}
	check("stream", streams, "publish_done")
	check("record", recordings, "file_created")
}

// TestFixtureSecrets: every callback of FixtureSecretsDomain carries the
// credential in its webhook URL, and those of the recording kind in their
// headers too; the webhooks are the ones documented, each with its newest
// 3 callbacks failed.
func TestFixtureSecrets(t *testing.T) {
	emu := emulator.New(emulator.Options{Now: clockAt(fixedNow), Domains: []emulator.DomainSpec{}})
	check := func(kind string, records []emulator.Notify, wantURLs []string, header bool) {
		t.Helper()
		run, recovered := map[string]int{}, map[string]bool{} // per webhook: newest failures in a row, a success older
		for _, r := range records {
			if !strings.Contains(r.NotifyURL, emulator.FixtureSecret) && !strings.Contains(r.NotifyURL, emulator.FixtureRotatedSecret) {
				t.Errorf("%s: webhook %s carries no credential", kind, r.NotifyURL)
			}
			if !strings.Contains(r.NotifyContent, "auth_key=") || !strings.Contains(r.NotifyContent, emulator.FixtureSecret) {
				t.Errorf("%s: content %s carries no auth_key", kind, r.NotifyContent)
			}
			if header != strings.Contains(r.NotifyHeader, "Bearer "+emulator.FixtureSecret) {
				t.Errorf("%s: header %q", kind, r.NotifyHeader)
			}
			switch {
			case r.NotifyResult == "failed" && !recovered[r.NotifyURL]:
				run[r.NotifyURL]++
				if !strings.Contains(r.Description, r.NotifyURL) {
					t.Errorf("%s: the failure's description %q does not quote its URL", kind, r.Description)
				}
			case r.NotifyResult == "success":
				recovered[r.NotifyURL] = true
			}
		}
		if len(run) != len(wantURLs) {
			t.Errorf("%s: webhooks %v, want %v", kind, run, wantURLs)
		}
		for _, u := range wantURLs {
			if run[u] != 3 || !recovered[u] {
				t.Errorf("%s: webhook %s: newest %d failed, then a success: %v; want 3 and true", kind, u, run[u], recovered[u])
			}
		}
	}
	var streams, recordings []emulator.Notify
	for _, r := range emu.StreamRecords(emulator.FixtureSecretsDomain) {
		streams = append(streams, r.Notify)
	}
	for _, r := range emu.RecordCallbacks(emulator.FixtureSecretsDomain) {
		recordings = append(recordings, r.Notify)
	}
	if len(streams) != emulator.SecretsStreamRecords || len(recordings) != emulator.SecretsRecordCallbacks {
		t.Fatalf("%d stream and %d recording callbacks, want 16 and 8", len(streams), len(recordings))
	}
	check("stream", streams, []string{emulator.SecretsQueryURL, emulator.SecretsUserinfoURL, emulator.SecretsRotatedURL, emulator.SecretsStagingURL}, false)
	check("record", recordings, []string{emulator.SecretsRecordURL, emulator.SecretsChatURL}, true)
	// Newest first: each webhook's three newest failed, then it succeeded.
	for i, r := range streams {
		if want := i < 12; (r.NotifyResult == "failed") != want {
			t.Errorf("stream %d: %s", i, r.NotifyResult)
		}
	}
}
