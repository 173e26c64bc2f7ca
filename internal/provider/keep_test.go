package provider

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// keepAllOf runs a keeper over records, each at its position, and returns
// what it keeps.
func keepAllOf(k *keeper[liveapi.StreamNotifyRecord], records []liveapi.StreamNotifyRecord, order []int) []liveapi.StreamNotifyRecord {
	k.start(len(records))
	for _, i := range order {
		k.add(i, &records[i], &records[i].CallbackCommon)
	}
	return k.records()
}

func streamAt(at, result, stream string) liveapi.StreamNotifyRecord {
	return liveapi.StreamNotifyRecord{CallbackCommon: liveapi.CallbackCommon{NotifyTime: at, NotifyResult: result, StreamName: stream}}
}

func TestKeeper(t *testing.T) {
	// API order is newest first, but not strictly: index 3 is newer than 2.
	records := []liveapi.StreamNotifyRecord{
		streamAt("2024-05-01T10:00:09Z", "success", "r0"),
		streamAt("2024-05-01T10:00:08Z", "failed", "r1"),
		streamAt("2024-05-01T10:00:05Z", "failed", "r2"),
		streamAt("2024-05-01T10:00:07Z", "success", "r3"),
		streamAt("2024-05-01T10:00:06Z", "failed", "r5"),
		streamAt("2024-05-01T10:00:06Z", "failed", "r4"),
	}
	null, str, n := types.Int64Null(), types.StringValue, types.Int64Value
	for _, tc := range []struct {
		name string
		keep types.String
		max  types.Int64
		want string
	}{
		{"default keeps all", types.StringNull(), null, "r0 r1 r2 r3 r5 r4"},
		{"all", str("all"), null, "r0 r1 r2 r3 r5 r4"},
		{"failed", str("failed"), null, "r1 r2 r5 r4"},
		{"none", str("none"), null, ""},
		{"newest 3 of all, in API order", str("all"), n(3), "r0 r1 r3"},
		{"newest 2 failed: a tie at the cap goes by content, not by position", str("failed"), n(2), "r1 r4"},
		{"newest 3 failed", str("failed"), n(3), "r1 r5 r4"},
		{"cap above the count", str("failed"), n(10), "r1 r2 r5 r4"},
	} {
		for _, order := range [][]int{{0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}, {3, 0, 5, 1, 4, 2}} {
			k := newKeeper(streamCallbacks, tc.keep, tc.max)
			var names []string
			for _, r := range keepAllOf(k, records, order) {
				names = append(names, r.StreamName)
			}
			if got := strings.Join(names, " "); got != tc.want {
				t.Errorf("%s, added in the order %v: got %q, want %q", tc.name, order, got, tc.want)
			}
		}
	}
}

// The records max_kept_records keeps, checked against a model: sort every
// record the plain way (newest first, then the fields in the documented
// order) and take the first N, listed in the API's order. The records of
// each second come in a new order on every try, as the API may list them,
// and the keeper must keep the same records every time.
func TestKeeperAgainstAModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 4))
	for run := range 200 {
		var records []liveapi.StreamNotifyRecord
		for range 1 + rng.IntN(300) {
			r := streamAt(fmt.Sprintf("2024-05-01T10:00:%02dZ", rng.IntN(20)), []string{"success", "failed"}[rng.IntN(2)], fmt.Sprint("s", rng.IntN(4)))
			r.NotifyType = []string{"publish", "publish_done"}[rng.IntN(2)]
			r.AppName = []string{"live", "edu"}[rng.IntN(2)]
			r.Description = []string{"a", "b"}[rng.IntN(2)]
			r.NotifyContent = fmt.Sprint(rng.IntN(3))
			records = append(records, r)
		}
		limit := 1 + rng.IntN(40)
		onlyFailed := rng.IntN(2) == 0
		want := modelKept(records, limit, onlyFailed)
		keep := types.StringValue(map[bool]string{true: "failed", false: "all"}[onlyFailed])
		for try := range 3 {
			// The API's order: newest first, each second's records shuffled.
			slices.SortStableFunc(records, func(a, b liveapi.StreamNotifyRecord) int { return strings.Compare(b.NotifyTime, a.NotifyTime) })
			for i := 0; i < len(records); {
				j := i
				for j < len(records) && records[j].NotifyTime == records[i].NotifyTime {
					j++
				}
				rng.Shuffle(j-i, func(a, b int) { records[i+a], records[i+b] = records[i+b], records[i+a] })
				i = j
			}
			got := keepAllOf(newKeeper(streamCallbacks, keep, types.Int64Value(int64(limit))), records, rng.Perm(len(records)))
			sorted := slices.Clone(got)
			slices.SortFunc(sorted, compareModel)
			if !slices.Equal(sorted, want) {
				t.Fatalf("run %d, try %d (%d records, keep %s, max %d): kept\n%v\nwant\n%v", run, try, len(records), keep, limit, sorted, want)
			}
			if !slices.IsSortedFunc(got, func(a, b liveapi.StreamNotifyRecord) int { return strings.Compare(b.NotifyTime, a.NotifyTime) }) {
				t.Fatalf("run %d: the kept records are not in the API's order", run)
			}
		}
	}
}

// compareModel is the documented order of max_kept_records, written out:
// newest first, then NotifyType, AppName, StreamName, NotifyURL,
// NotifyResult, Description, NotifyContent, NotifyHeader, NotifyResponse.
func compareModel(a, b liveapi.StreamNotifyRecord) int {
	return cmp.Or(cmp.Compare(b.NotifyTime, a.NotifyTime), cmp.Compare(a.NotifyType, b.NotifyType), cmp.Compare(a.AppName, b.AppName),
		cmp.Compare(a.StreamName, b.StreamName), cmp.Compare(a.NotifyURL, b.NotifyURL), cmp.Compare(a.NotifyResult, b.NotifyResult),
		cmp.Compare(a.Description, b.Description), cmp.Compare(a.NotifyContent, b.NotifyContent), cmp.Compare(a.NotifyHeader, b.NotifyHeader),
		cmp.Compare(a.NotifyResponse, b.NotifyResponse))
}

func modelKept(records []liveapi.StreamNotifyRecord, limit int, onlyFailed bool) []liveapi.StreamNotifyRecord {
	var out []liveapi.StreamNotifyRecord
	for _, r := range records {
		if !onlyFailed || r.NotifyResult == "failed" {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, compareModel)
	return out[:min(limit, len(out))]
}

// Recording callbacks that differ only in storage_type are kept by it.
func TestKeeperRecordOwnFields(t *testing.T) {
	records := []liveapi.RecordCallback{
		{CallbackCommon: liveapi.CallbackCommon{NotifyTime: "2024-05-01T10:00:05Z"}, StorageType: "vod"},
		{CallbackCommon: liveapi.CallbackCommon{NotifyTime: "2024-05-01T10:00:05Z"}, StorageType: "oss"},
	}
	k := newKeeper(recordCallbacks, types.StringNull(), types.Int64Value(1))
	for _, order := range [][]int{{0, 1}, {1, 0}} {
		k.start(2)
		for _, i := range order {
			k.add(i, &records[i], &records[i].CallbackCommon)
		}
		if got := k.records(); len(got) != 1 || got[0].StorageType != "oss" {
			t.Errorf("order %v: kept %+v, want the oss one", order, got)
		}
	}
}
