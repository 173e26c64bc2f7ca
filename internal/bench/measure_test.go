package bench

import (
	"testing"
)

func TestStringBytesCountsEveryStringField(t *testing.T) {
	type inner struct {
		A, B string
		N    int
	}
	type rec struct {
		inner
		C string
		P *string
	}
	got := stringBytes([]rec{{inner: inner{A: "ab", B: "c", N: 7}, C: "defg"}, {C: "h"}})
	if got != 8 {
		t.Errorf("stringBytes = %d, want 8", got)
	}
}
