package provider

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

func TestKeptIndexes(t *testing.T) {
	// API order is newest first, but not strictly: index 3 is newer than 2.
	records := []*liveapi.CallbackCommon{
		{NotifyTime: "2024-05-01T10:00:09Z", NotifyResult: "success"},
		{NotifyTime: "2024-05-01T10:00:08Z", NotifyResult: "failed"},
		{NotifyTime: "2024-05-01T10:00:05Z", NotifyResult: "failed"},
		{NotifyTime: "2024-05-01T10:00:07Z", NotifyResult: "success"},
		{NotifyTime: "2024-05-01T10:00:06Z", NotifyResult: "failed"},
		{NotifyTime: "2024-05-01T10:00:06Z", NotifyResult: "failed"},
	}
	null, str, n := types.Int64Null(), types.StringValue, types.Int64Value
	for _, tc := range []struct {
		name string
		keep types.String
		max  types.Int64
		want []int
	}{
		{"default keeps all", types.StringNull(), null, []int{0, 1, 2, 3, 4, 5}},
		{"all", str("all"), null, []int{0, 1, 2, 3, 4, 5}},
		{"failed", str("failed"), null, []int{1, 2, 4, 5}},
		{"none", str("none"), null, nil},
		{"newest 3 of all, in API order", str("all"), n(3), []int{0, 1, 3}},
		{"newest 2 failed: a tie at the cap goes to the first listed", str("failed"), n(2), []int{1, 4}},
		{"newest 3 failed", str("failed"), n(3), []int{1, 4, 5}},
		{"cap above the count", str("failed"), n(10), []int{1, 2, 4, 5}},
	} {
		got := keptIndexes(records, tc.keep, tc.max)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

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
		res, diags := readRecords(context.Background(), client, liveapi.StreamNotifyRecords, q, time.Minute)
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
			"read " + res.StartTime.ValueString() + " to " + res.EndTime.ValueString(),
			"30 pages at max_qps 10",
		} {
			if !strings.Contains(detail, want) {
				t.Errorf("the warning lacks %q:\n%s", want, detail)
			}
		}
	}
}
