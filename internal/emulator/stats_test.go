package emulator_test

import (
	"context"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

func TestStatsAndReset(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c := e.client(t)
	for range 3 {
		if _, err := recordAPI.fetch(context.Background(), c, fixtureParams()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := streamAPI.fetch(context.Background(), c, params{}); err == nil {
		t.Fatal("want InvalidParam")
	}
	_ = callAPI(c, "NoSuchAction", emulator.APIVersion)
	st := e.emu.Stats()
	want := emulator.Stats{
		Requests:     5,
		ByAction:     map[string]int64{recordAPI.name: 3, streamAPI.name: 1, "other": 1},
		ByStatus:     map[int]int64{200: 3, 400: 1, 404: 1},
		ByCode:       map[string]int64{"InvalidParam": 1, "InvalidAction.NotFound": 1},
		FaultsByKind: map[string]int64{},
		PeakInFlight: 1,
	}
	if !statsEqual(st, want) {
		t.Fatalf("stats\n got %+v\nwant %+v", st, want)
	}
	e.emu.ResetStats()
	if st := e.emu.Stats(); st.Requests != 0 || len(st.ByStatus) != 0 || st.PeakInFlight != 0 {
		t.Fatalf("after reset %+v", st)
	}
}
