package provider

// Which records go into state (keep_records, max_kept_records), chosen as
// the records arrive and holding only those: every record for "all", the
// failed ones for "failed", none for "none", and with max_kept_records the
// newest N in a bounded heap. The state lists them in the API's order.

import (
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// keptRecord is a record held with its position in the answer.
type keptRecord[T any] struct {
	index int
	rec   T
}

// keeper holds the records a read keeps.
type keeper[T any] struct {
	kind       recordType[T]
	none       bool
	onlyFailed bool
	limit      int // 0: no cap
	// every holds every record by position (all, no cap); some the failed
	// ones in arrival order (failed, no cap) or, with a cap, a heap whose
	// root is the kept record that goes first when a newer one comes.
	every []T
	some  []keptRecord[T]
}

func newKeeper[T any](kind recordType[T], keep types.String, maxKept types.Int64) *keeper[T] {
	k := &keeper[T]{kind: kind, none: keep.ValueString() == keepNone, onlyFailed: keep.ValueString() == keepFailed}
	if !maxKept.IsNull() && !maxKept.IsUnknown() {
		k.limit = int(maxKept.ValueInt64())
	}
	return k
}

// start forgets every record: a read that starts over delivers them again.
func (k *keeper[T]) start(total int) {
	k.every, k.some = nil, nil
	if !k.none && !k.onlyFailed && k.limit == 0 {
		k.every = make([]T, total)
	}
}

func (k *keeper[T]) add(index int, rec *T, c *liveapi.CallbackCommon) {
	switch {
	case k.none, k.onlyFailed && c.NotifyResult != "failed":
	case k.every != nil:
		k.every[index] = *rec
	case k.limit == 0:
		k.some = append(k.some, keptRecord[T]{index, *rec})
	case len(k.some) < k.limit:
		k.some = append(k.some, keptRecord[T]{index, *rec})
		k.up(len(k.some) - 1)
	case k.kind.order(rec, &k.some[0].rec) < 0:
		k.some[0] = keptRecord[T]{index, *rec}
		k.down(0)
	}
}

// records are the kept records in the API's order.
func (k *keeper[T]) records() []T {
	if k.every != nil {
		return k.every
	}
	slices.SortFunc(k.some, func(a, b keptRecord[T]) int { return a.index - b.index })
	out := make([]T, len(k.some))
	for i := range k.some {
		out[i] = k.some[i].rec
	}
	return out
}

// goesFirst: of the kept records, i leaves before j (it is older, or as
// old and later in the order of content).
func (k *keeper[T]) goesFirst(i, j int) bool { return k.kind.order(&k.some[i].rec, &k.some[j].rec) > 0 }

func (k *keeper[T]) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !k.goesFirst(i, parent) {
			return
		}
		k.some[i], k.some[parent] = k.some[parent], k.some[i]
		i = parent
	}
}

func (k *keeper[T]) down(i int) {
	for n := len(k.some); ; {
		first, l, r := i, 2*i+1, 2*i+2
		if l < n && k.goesFirst(l, first) {
			first = l
		}
		if r < n && k.goesFirst(r, first) {
			first = r
		}
		if first == i {
			return
		}
		k.some[i], k.some[first] = k.some[first], k.some[i]
		i = first
	}
}

// compareCallbacks is the order max_kept_records keeps by: newest first,
// then, for callbacks of one second, by their content, field by field in
// byte order, so that which records are kept never depends on the order
// the API lists the callbacks of a second in (it varies from request to
// request).
func compareCallbacks(a, b *liveapi.CallbackCommon) int {
	if c := strings.Compare(b.NotifyTime, a.NotifyTime); c != 0 {
		return c
	}
	for _, f := range [...][2]string{
		{a.NotifyType, b.NotifyType}, {a.AppName, b.AppName}, {a.StreamName, b.StreamName}, {a.NotifyURL, b.NotifyURL},
		{a.NotifyResult, b.NotifyResult}, {a.Description, b.Description}, {a.NotifyContent, b.NotifyContent},
		{a.NotifyHeader, b.NotifyHeader}, {a.NotifyResponse, b.NotifyResponse}, {a.DomainName, b.DomainName},
	} {
		if c := strings.Compare(f[0], f[1]); c != 0 {
			return c
		}
	}
	return 0
}
