package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
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
	for _, bad := range []string{"9999-12-31T23:00:00-23:59", "1970-01-01T07:00:00+08:00", "2024-05-01 08:00:00", "2024-05-01", "yesterday", "2024-13-01T00:00:00Z", "2024-05-01T08:00:00"} {
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

func TestValidateNotifyRecordsConfig(t *testing.T) {
	null := types.StringNull()
	diags := validateNotifyRecordsConfig(null, null, types.StringValue("1h"), types.StringValue("none"), types.Int64Value(5))
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Summary(), "max_kept_records") {
		t.Errorf("keep_records none with max_kept_records: got %v", diags)
	}
	for _, keep := range []types.String{null, types.StringValue("all"), types.StringValue("failed")} {
		if diags := validateNotifyRecordsConfig(null, null, types.StringValue("1h"), keep, types.Int64Value(5)); diags.HasError() {
			t.Errorf("keep_records %s with max_kept_records: %v", keep, diags)
		}
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
