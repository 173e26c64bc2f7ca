package provider

import (
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

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
