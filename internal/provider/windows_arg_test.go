package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestParseWindow(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  string // "" for none
	}{
		{"5m", 5 * time.Minute, ""},
		{"30m", 30 * time.Minute, ""},
		{"1h", time.Hour, ""},
		{"1h30m", 90 * time.Minute, ""},
		{"6h", 6 * time.Hour, ""},
		{"72h", 72 * time.Hour, ""},
		{"1m30s", 90 * time.Second, ""},
		{"1s", time.Second, ""},
		{"168h", 168 * time.Hour, ""},
		{"2h0m1s", 0, "write it as 2h1s"},
		{"60m", 0, "write it as 1h, the form the keys of summary windows use"},
		{"90s", 0, "write it as 1m30s"},
		{"1h0m", 0, "write it as 1h"},
		{"01h", 0, "write it as 1h"},
		{"+5m", 0, "write it as 5m"},
		{"168h1s", 0, "longer than 168h"},
		{"169h", 0, "longer than 168h"},
		{"0s", 0, "shorter than 1s"},
		{"-5m", 0, "shorter than 1s"},
		{"500ms", 0, "shorter than 1s"},
		{"1.5s", 0, "not a whole number of seconds"},
		{"2d", 0, "Days are not a duration unit"},
		{"five minutes", 0, "not a duration"},
		{"", 0, "not a duration"},
	} {
		got, err := parseWindow(tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("parseWindow(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("parseWindow(%q) = %v, %v; want an error saying %q", tc.in, got, err, tc.err)
		}
	}
}

// FuzzParseWindow: an accepted window is whole seconds in [1s, 168h], and
// written the one way canonicalWindow writes it.
func FuzzParseWindow(f *testing.F) {
	for _, s := range []string{"5m", "1h30m", "60m", "90s", "1m30s", "168h", "168h0m1s", "0s", "1.5s", "2d", "+5m", "01h", "1e3s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseWindow(s)
		if err != nil {
			return
		}
		if d < time.Second || d > 168*time.Hour || d%time.Second != 0 || canonicalWindow(d) != s {
			t.Fatalf("parseWindow(%q) accepted %v", s, d)
		}
	})
}

// The windows attribute's validators refuse, at plan time and at the
// attribute, more than 8 windows, a duplicate, and a window that does not
// parse, naming it.
func TestWindowsAttributeValidators(t *testing.T) {
	ctx := context.Background()
	attribute := windowsAttribute()
	for _, tc := range []struct {
		name    string
		windows []string
		want    string // "" for no error
	}{
		{"the gates' four", []string{"5m", "30m", "1h", "6h"}, ""},
		{"eight", []string{"1s", "2s", "3s", "4s", "5s", "6s", "7s", "8s"}, ""},
		{"nine", []string{"1s", "2s", "3s", "4s", "5s", "6s", "7s", "8s", "9s"}, "at most 8"},
		{"a duplicate", []string{"5m", "1h", "5m"}, "duplicate"},
		{"60m", []string{"5m", "60m"}, `"60m" is not in canonical form: write it as 1h`},
		{"an unknown window", []string{"5m", "?"}, ""},
	} {
		var errs []string
		for _, v := range attribute.Validators {
			var resp validator.ListResponse
			v.ValidateList(ctx, validator.ListRequest{Path: path.Root("windows"), ConfigValue: windowList(tc.windows...)}, &resp)
			for _, d := range resp.Diagnostics.Errors() {
				errs = append(errs, d.Summary()+": "+d.Detail())
			}
		}
		switch {
		case tc.want == "" && len(errs) > 0:
			t.Errorf("%s: %v", tc.name, errs)
		case tc.want != "" && (len(errs) != 1 || !strings.Contains(errs[0], tc.want)):
			t.Errorf("%s: errors %q, want one saying %q", tc.name, errs, tc.want)
		}
	}
	var resp validator.ListResponse
	for _, v := range attribute.Validators {
		v.ValidateList(ctx, validator.ListRequest{Path: path.Root("windows"), ConfigValue: types.ListUnknown(types.StringType)}, &resp)
	}
	if resp.Diagnostics.HasError() {
		t.Errorf("an unknown list: %v", resp.Diagnostics)
	}
}
