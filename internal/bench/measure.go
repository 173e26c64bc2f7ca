package bench

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/clock"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// measuredRead runs one full read of src with memory accounting around it.
// The per-record fields of the answer hold totals; the caller divides.
func measuredRead(ctx context.Context, c *liveapi.Client, src Source, q liveapi.Query) (Read, error) {
	switch src {
	case Stream:
		return measure(ctx, c, liveapi.StreamNotifyRecords, q)
	case Record:
		return measure(ctx, c, liveapi.RecordNotifyRecords, q)
	}
	return Read{}, fmt.Errorf("unknown source %q", src)
}

func measure[T any](ctx context.Context, c *liveapi.Client, op liveapi.Operation[T], q liveapi.Query) (Read, error) {
	var before, after, kept runtime.MemStats
	settle()
	runtime.ReadMemStats(&before)
	cpu0 := processCPU()
	stopWatch := clock.WatchStalls()
	start := time.Now()
	res, err := liveapi.List(ctx, c, op, q)
	wall := time.Since(start)
	stall := stopWatch()
	cpu := processCPU() - cpu0
	runtime.ReadMemStats(&after)
	if err != nil {
		return Read{}, err
	}
	settle()
	runtime.ReadMemStats(&kept)
	r := Read{
		Records:              len(res.Records),
		TotalNum:             res.TotalNum,
		Calls:                res.Calls,
		Wall:                 wall,
		Stall:                stall,
		CPU:                  cpu,
		AllocsPerRecord:      float64(after.Mallocs - before.Mallocs),
		BytesPerRecord:       float64(after.TotalAlloc - before.TotalAlloc),
		HeapPerRecord:        float64(int64(kept.HeapAlloc) - int64(before.HeapAlloc)),
		StringBytesPerRecord: float64(stringBytes(res.Records)),
	}
	runtime.KeepAlive(res)
	return r, nil
}

// settle collects garbage twice: sync.Pool contents (the SDK clients the
// client pools, encoding/json's and net/http's buffers) survive one GC in the
// victim cache, so a single GC would count them on one side of a difference
// and not the other.
func settle() {
	runtime.GC()
	runtime.GC()
}

// stringBytes sums len of every string field (embedded structs included) of
// every record: the payload the records must hold, whatever their layout.
func stringBytes[T any](records []T) int64 {
	var paths [][]int
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			p := append(append([]int(nil), prefix...), i)
			switch f.Type.Kind() {
			case reflect.String:
				paths = append(paths, p)
			case reflect.Struct:
				walk(f.Type, p)
			}
		}
	}
	walk(reflect.TypeFor[T](), nil)
	var n int64
	for i := range records {
		v := reflect.ValueOf(&records[i]).Elem()
		for _, p := range paths {
			n += int64(v.FieldByIndex(p).Len())
		}
	}
	return n
}
