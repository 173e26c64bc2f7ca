package bench

import (
	"testing"
	"time"
)

// TestContentionGoalsCanFail judges made-up rows: each goal fails on what it
// is there to catch, and says SKIP, not PASS, when it could not judge.
func TestContentionGoalsCanFail(t *testing.T) {
	s := time.Second
	alone := ContentionRow{Clients: 1, Via: "liveapi", Requests: 80, MinCalls: 80, Wall: 1400 * time.Millisecond,
		AccountFloor: 800 * time.Millisecond, ClientFloor: 1300 * time.Millisecond}
	five := ContentionRow{Clients: 5, Via: "liveapi", Requests: 440, Throttled: 40, MinCalls: 400, Wall: 5 * s, AccountFloor: 4 * s}
	for i, g := range ContentionGoals([]ContentionRow{alone, five}) {
		if !g.Pass || g.Skipped {
			t.Errorf("goal %d on good rows: %+v", i, g)
		}
	}
	mod := func(r ContentionRow, f func(*ContentionRow)) ContentionRow { f(&r); return r }
	for _, c := range []struct {
		name          string
		rows          []ContentionRow
		goal          int
		pass, skipped bool
	}{
		{"a read failed", []ContentionRow{mod(five, func(r *ContentionRow) { r.Failed, r.Err = 1, "Throttling.User" })}, 0, false, false},
		{"11% throttled", []ContentionRow{mod(five, func(r *ContentionRow) { r.Throttled = 49 })}, 1, false, false},
		{"10% throttled", []ContentionRow{mod(five, func(r *ContentionRow) { r.Requests, r.Throttled = 450, 45 })}, 1, true, false},
		{"1.31x the account floor", []ContentionRow{mod(five, func(r *ContentionRow) { r.Wall = 5240 * time.Millisecond })}, 2, false, false},
		{"1.3x the account floor", []ContentionRow{mod(five, func(r *ContentionRow) { r.Wall = 5200 * time.Millisecond })}, 2, true, false},
		{"failed reads fail the wall", []ContentionRow{mod(five, func(r *ContentionRow) { r.Failed, r.Wall = 5, s })}, 2, false, false},
		{"a stalled machine is not judged", []ContentionRow{mod(five, func(r *ContentionRow) { r.Wall, r.Stall = 9*s, 300*time.Millisecond })}, 2, true, true},
		{"no row of 5 or more", []ContentionRow{alone}, 2, true, true},
		{"3 clients are not judged", []ContentionRow{mod(five, func(r *ContentionRow) { r.Clients, r.Throttled = 3, 200 })}, 1, true, true},
		{"a lone client throttled", []ContentionRow{mod(alone, func(r *ContentionRow) { r.Throttled = 1 })}, 3, false, false},
		{"a lone client slow", []ContentionRow{mod(alone, func(r *ContentionRow) { r.Wall = 1700 * time.Millisecond })}, 3, false, false},
	} {
		g := ContentionGoals(c.rows)[c.goal]
		if g.Pass != c.pass || g.Skipped != c.skipped {
			t.Errorf("%s: goal %q pass %v skipped %v, want %v %v (%s)", c.name, g.Name, g.Pass, g.Skipped, c.pass, c.skipped, g.Detail)
		}
	}
}

func TestAccountFloor(t *testing.T) {
	if got := AccountFloor(400, 100); got != 4*time.Second {
		t.Errorf("400 calls at 100/s: %s, want 4s", got)
	}
	if got := AccountFloor(80, 50); got != 1600*time.Millisecond {
		t.Errorf("80 calls at 50/s: %s, want 1.6s", got)
	}
}
