package provider

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

func TestParseLookback(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{in: "6h", want: 6 * time.Hour},
		{in: "90m", want: 90 * time.Minute},
		{in: "168h", want: 168 * time.Hour},
		{in: "168h0m1s", wantErr: "longer than 7 days"},
		{in: "169h", wantErr: "longer than 7 days"},
		{in: "0s", wantErr: "longer than zero"},
		{in: "-1h", wantErr: "longer than zero"},
		{in: "2d", wantErr: "Days are not a duration unit"},
		{in: "soon", wantErr: "not a duration"},
		{in: "", wantErr: "not a duration"},
	} {
		got, err := parseLookback(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parseLookback(%q): got error %v, want one containing %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseLookback(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

// TestValidatorMessagesEndOnce: every message of the string validators ends
// with exactly one period, whatever part of the input it quotes.
func TestValidatorMessagesEndOnce(t *testing.T) {
	for _, c := range []struct {
		v  validator.String
		in string
	}{
		{lookbackValidator{}, "8d"}, {lookbackValidator{}, "soon"}, {lookbackValidator{}, "200h"}, {lookbackValidator{}, "-1h"},
		{rfc3339Validator{}, "yesterday"}, {rfc3339Validator{}, "9999-12-31T23:00:00-23:59"},
		{endpointValidator{}, "ftp://live.example.com"}, {endpointValidator{}, "https://live.example.com/path"},
	} {
		resp := &validator.StringResponse{}
		c.v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: types.StringValue(c.in)}, resp)
		if len(resp.Diagnostics) == 0 {
			t.Errorf("%T accepted %q", c.v, c.in)
		}
		for _, d := range resp.Diagnostics {
			if detail := d.Detail(); !strings.HasSuffix(detail, ".") || strings.HasSuffix(detail, "..") || strings.Contains(detail, "..") {
				t.Errorf("%T(%q): %q", c.v, c.in, detail)
			}
		}
	}
}

func TestParseTime(t *testing.T) {
	got, err := parseTime("2024-05-01T16:00:00+08:00")
	if err != nil || got.UTC().Format(time.RFC3339) != "2024-05-01T08:00:00Z" {
		t.Errorf("offset time: got %v, %v", got, err)
	}
	// The first and last seconds the arguments accept, in UTC.
	for _, ok := range []string{"1970-01-01T00:00:00Z", "1970-01-01T08:00:00+08:00", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59+01:00"} {
		if _, err := parseTime(ok); err != nil {
			t.Errorf("parseTime(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"1969-12-31T23:59:59Z", "9999-12-31T23:00:00-23:59", "1970-01-01T07:00:00+08:00", "2024-05-01 08:00:00", "2024-05-01", "yesterday", "2024-13-01T00:00:00Z", "2024-05-01T08:00:00"} {
		if _, err := parseTime(bad); err == nil {
			t.Errorf("parseTime(%q) accepted a malformed time", bad)
		}
	}
}

func TestEndpointValidator(t *testing.T) {
	for _, tc := range []struct {
		in                string
		wantErr, wantWarn bool
	}{
		{in: "live.aliyuncs.com"},
		{in: "https://live.example.internal:8443"},
		{in: "http://127.0.0.1:8080"},
		{in: "http://localhost:8080"},
		{in: "http://live.example.internal", wantWarn: true},
		{in: "http://10.0.0.8:80", wantWarn: true},
		{in: "ftp://example.com", wantErr: true},
		{in: "https://example.com/path", wantErr: true},
	} {
		resp := &validator.StringResponse{}
		endpointValidator{}.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("endpoint"), ConfigValue: types.StringValue(tc.in)}, resp)
		if resp.Diagnostics.HasError() != tc.wantErr || (resp.Diagnostics.WarningsCount() > 0) != tc.wantWarn {
			t.Errorf("%s: got %v; want error %v, warning %v", tc.in, resp.Diagnostics, tc.wantErr, tc.wantWarn)
		}
	}
}

// configWith is the shared model of a configuration with lookback "1h"
// and what set adds.
func configWith(set func(m *notifyRecordsModel)) *notifyRecordsModel {
	m := &notifyRecordsModel{Lookback: types.StringValue("1h"), Windows: types.ListNull(types.StringType)}
	set(m)
	return m
}

func windowList(ws ...string) types.List {
	elems := make([]attr.Value, len(ws))
	for i, w := range ws {
		elems[i] = types.StringValue(w)
		if w == "?" {
			elems[i] = types.StringUnknown()
		}
	}
	return types.ListValueMust(types.StringType, elems)
}

func TestValidateNotifyRecordsConfig(t *testing.T) {
	none := func(m *notifyRecordsModel) {
		m.KeepRecords, m.MaxKeptRecords = types.StringValue("none"), types.Int64Value(5)
	}
	if diags := validateNotifyRecordsConfig(configWith(none)); !diags.HasError() || !strings.Contains(diags.Errors()[0].Summary(), "max_kept_records") {
		t.Errorf("keep_records none with max_kept_records: got %v", diags)
	}
	for _, keep := range []types.String{types.StringNull(), types.StringValue("all"), types.StringValue("failed")} {
		if diags := validateNotifyRecordsConfig(configWith(func(m *notifyRecordsModel) { m.KeepRecords, m.MaxKeptRecords = keep, types.Int64Value(5) })); diags.HasError() {
			t.Errorf("keep_records %s with max_kept_records: %v", keep, diags)
		}
	}
}

// Summary windows must fit in the window read: lookback, or end_time -
// start_time when both are set; each one longer is an error at its index.
// Unknown values defer the check to the read.
func TestValidateWindowsFit(t *testing.T) {
	start, end := "2024-05-01T08:00:00Z", "2024-05-01T10:00:00+01:00" // one hour apart
	for _, tc := range []struct {
		name      string
		set       func(m *notifyRecordsModel)
		wantPaths []string
	}{
		{"a window as long as lookback", func(m *notifyRecordsModel) { m.Windows = windowList("5m", "1h") }, nil},
		{"a window 1s longer than lookback", func(m *notifyRecordsModel) { m.Windows = windowList("5m", "1h0m1s", "1h1s") },
			[]string{"windows[2]"}},
		{"two too long", func(m *notifyRecordsModel) { m.Windows = windowList("6h", "5m", "2h") }, []string{"windows[0]", "windows[2]"}},
		{"unknown lookback", func(m *notifyRecordsModel) { m.Lookback, m.Windows = types.StringUnknown(), windowList("6h") }, nil},
		{"unknown window", func(m *notifyRecordsModel) { m.Windows = windowList("?", "2h") }, []string{"windows[1]"}},
		{"unknown list", func(m *notifyRecordsModel) { m.Windows = types.ListUnknown(types.StringType) }, nil},
		{"start and end an hour apart", func(m *notifyRecordsModel) {
			m.Lookback, m.StartTime, m.EndTime, m.Windows = types.StringNull(), types.StringValue(start), types.StringValue(end), windowList("1h", "1h1s")
		}, []string{"windows[1]"}},
		{"start alone: judged at the read", func(m *notifyRecordsModel) {
			m.Lookback, m.StartTime, m.Windows = types.StringNull(), types.StringValue(start), windowList("168h")
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now = func() time.Time { return time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC) }
			t.Cleanup(func() { now = time.Now })
			var got []string
			for _, d := range validateNotifyRecordsConfig(configWith(tc.set)).Errors() {
				withPath, ok := d.(diag.DiagnosticWithPath)
				if !ok || d.Summary() != "Window longer than the window read" {
					t.Fatalf("unexpected error %v", d)
				}
				got = append(got, withPath.Path().String())
			}
			if !slices.Equal(got, tc.wantPaths) {
				t.Errorf("errors at %v, want %v", got, tc.wantPaths)
			}
		})
	}
}

// FuzzParseLookback: accepted lookbacks are always in (0, 7 days].
func FuzzParseLookback(f *testing.F) {
	for _, s := range []string{"6h", "168h", "168h0m1s", "0", "-1h", "2d", "1.5h", "9223372036854775807ns", "1e3h", "", "h", "+5m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseLookback(s)
		if err == nil && (d <= 0 || d > liveapi.MaxLookback) {
			t.Fatalf("parseLookback(%q) accepted %v", s, d)
		}
	})
}

// TestReadTimeoutMustBePositive: both data sources' timeouts.read refuses a
// duration of zero or less at plan time, and still takes a positive one.
func TestReadTimeoutMustBePositive(t *testing.T) {
	ctx := context.Background()
	for _, ds := range []datasource.DataSource{NewStreamNotifyRecordsDataSource(), NewRecordNotifyRecordsDataSource()} {
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		block, ok := resp.Schema.Blocks["timeouts"].(schema.SingleNestedBlock)
		if !ok {
			t.Fatalf("timeouts is a %T", resp.Schema.Blocks["timeouts"])
		}
		read, ok := block.Attributes["read"].(schema.StringAttribute)
		if !ok {
			t.Fatalf("timeouts.read is a %T", block.Attributes["read"])
		}
		for value, wantErr := range map[string]bool{"0s": true, "-5s": true, "0": true, "1ns": false, "20s": false} {
			var errs int
			for _, v := range read.Validators {
				var r validator.StringResponse
				v.ValidateString(ctx, validator.StringRequest{Path: path.Root("timeouts").AtName("read"), ConfigValue: types.StringValue(value)}, &r)
				errs += r.Diagnostics.ErrorsCount()
			}
			if (errs > 0) != wantErr {
				t.Errorf("read = %q: %d errors, want an error: %v", value, errs, wantErr)
			}
		}
	}
}
