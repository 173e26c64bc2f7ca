package emulator

import (
	"testing"
)

func TestFaultPriorityAndCounting(t *testing.T) {
	var f faultState
	f.set(Faults{ThrottleEvery: 2, InternalErrorEvery: 3, TruncateBodyEvery: 1})
	var kinds []string
	for range 6 {
		kinds = append(kinds, f.next().kind)
	}
	want := []string{FaultTruncateBody, FaultThrottle, FaultInternalError, FaultThrottle, FaultTruncateBody, FaultInternalError}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("kinds %v, want %v", kinds, want)
		}
	}
	f.set(Faults{InsertDuringRead: Insertion{AfterPages: 2, Count: 5}})
	if f.pageServed() != 0 || f.pageServed() != 5 || f.pageServed() != 0 {
		t.Fatal("InsertDuringRead did not fire exactly once after the 2nd page")
	}
}
