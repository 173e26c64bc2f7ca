package emulator

import (
	"testing"
)

func TestParseUTC(t *testing.T) {
	good := []string{"2025-03-14T12:00:00Z", "2024-02-29T23:59:59Z", "0001-01-01T00:00:00Z"}
	bad := []string{
		"", "2025-03-14T12:00:00", "2025-03-14T12:00:00.5Z", "2025-03-14T12:00:00+00:00",
		"2025-03-14 12:00:00Z", "2025-3-14T12:00:00Z", "2025-03-14T12:00Z", "2025-13-01T00:00:00Z",
		"2023-02-29T00:00:00Z", "2025-03-14T24:00:00Z", "2025-03-14t12:00:00z", " 2025-03-14T12:00:00Z",
	}
	for _, s := range good {
		if _, ok := parseUTC(s); !ok {
			t.Errorf("parseUTC(%q) rejected", s)
		}
	}
	for _, s := range bad {
		if _, ok := parseUTC(s); ok {
			t.Errorf("parseUTC(%q) accepted", s)
		}
	}
}
