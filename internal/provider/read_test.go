package provider

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// TestReadWarnsWhenTheWindowIsShortened: a read raised beyond the margin,
// for its own length, warns and names both windows; one that gives up only
// the margin does not. The margin is shortened to a second so that a read
// of a few seconds (30 pages at 10 per second) is "long".
func TestReadWarnsWhenTheWindowIsShortened(t *testing.T) {
	const domain = "long.example.com"
	emu := emulator.New(emulator.Options{Latency: 5 * time.Millisecond, Domains: []emulator.DomainSpec{{Name: domain, StreamRecords: 3000}}})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	ep, err := liveapi.ParseEndpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	credential, _, err := liveapi.NewCredential(liveapi.CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret})
	if err != nil {
		t.Fatal(err)
	}
	end := time.Now().UTC().Truncate(time.Second)
	for _, tc := range []struct {
		margin time.Duration
		warns  bool
	}{{time.Second, true}, {liveapi.WindowMargin, false}} {
		client, err := liveapi.New(liveapi.Config{Endpoint: &ep, Credential: credential, MaxQPS: 10, WindowMargin: tc.margin})
		if err != nil {
			t.Fatal(err)
		}
		q := liveapi.Query{DomainName: domain, StartTime: end.Add(-liveapi.MaxLookback), EndTime: end, PageSize: 100}
		res, diags := readRecords(context.Background(), client, liveapi.StreamNotifyRecords, q, time.Minute, &liveapi.Collector[liveapi.StreamNotifyRecord]{})
		if diags.HasError() {
			t.Fatal(diags)
		}
		if warned := diags.WarningsCount() == 1; warned != tc.warns {
			t.Fatalf("margin %s: warnings %v, want one: %v", tc.margin, diags, tc.warns)
		}
		if !tc.warns {
			continue
		}
		detail := diags.Warnings()[0].Detail()
		for _, want := range []string{
			"asked for " + q.StartTime.Format(time.RFC3339) + " to " + end.Format(time.RFC3339),
			"read " + res.StartTime.Format(time.RFC3339) + " to " + res.EndTime.Format(time.RFC3339),
			"30 pages at max_qps 10",
		} {
			if !strings.Contains(detail, want) {
				t.Errorf("the warning lacks %q:\n%s", want, detail)
			}
		}
	}
}
