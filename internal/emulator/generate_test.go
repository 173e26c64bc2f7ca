package emulator_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// Every generated record decodes in the SDK model with every field present
// and equal to the stored record.
func TestGeneratedRecordsDecodeCompletely(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c := e.client(t)
	for _, a := range apis {
		t.Run(a.name, func(t *testing.T) {
			got := fetchAll(t, a, c, fullWindow(fixedNow, params{Domain: "live1.example.com", PageSize: 500}))
			want := a.stored(e.emu, "live1.example.com")
			if len(want) == 0 || !slices.Equal(got, want) {
				t.Fatalf("got %d rows, want the %d stored ones in order", len(got), len(want))
			}
			for _, r := range got {
				if strings.Contains(r.StorageType+r.NotifyHeader+r.NotifyResponse, "<missing>") {
					t.Fatalf("field missing: %+v", r)
				}
				if !json.Valid([]byte(r.NotifyContent)) {
					t.Errorf("NotifyContent is not JSON: %s", r.NotifyContent)
				}
			}
		})
	}
}
