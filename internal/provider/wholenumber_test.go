package provider

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// validate runs the validation a CLI asks for at plan time on the provider
// block (typeName "") or a data source, through the provider's protocol
// server, with the given top-level arguments (the rest null).
func validate(t *testing.T, typeName string, args map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	server := NewProtocol6Server("test")()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	schema := schemas.Provider
	if typeName != "" {
		schema = schemas.DataSourceSchemas[typeName]
	}
	objType, ok := schema.ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("no object schema for %q", typeName)
	}
	config, err := tfprotov6.NewDynamicValue(objType, objectWith(objType, args))
	if err != nil {
		t.Fatal(err)
	}
	if typeName == "" {
		resp, err := server.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{Config: &config})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Diagnostics
	}
	resp, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: typeName, Config: &config})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

// assumeRoleBlock is an assume_role block value for the protocol server.
func assumeRoleBlock(t *testing.T, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	schemas, err := NewProtocol6Server("test")().GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	objType, ok := schemas.Provider.ValueType().(tftypes.Object).AttributeTypes["assume_role"].(tftypes.Object)
	if !ok {
		t.Fatal("assume_role is not an object")
	}
	return objectWith(objType, attrs)
}

func protoDiagText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary + ": " + d.Detail + "\n")
	}
	return b.String()
}

// TestWholeNumberArguments: a number that is not whole, in any argument that
// takes a whole number, is one plan-time error on that argument that says
// so; never the framework's conversion error that blames the provider.
func TestWholeNumberArguments(t *testing.T) {
	window := map[string]tftypes.Value{"domain_name": str("push.example.com"), "lookback": str("1h")}
	with := func(base map[string]tftypes.Value, name string, v tftypes.Value) map[string]tftypes.Value {
		out := map[string]tftypes.Value{name: v}
		for k, bv := range base {
			out[k] = bv
		}
		return out
	}
	huge, _ := new(big.Float).SetString("1e30")
	for _, c := range []struct {
		name, typeName, attr string
		args                 map[string]tftypes.Value
		want                 string
	}{
		{"max_retries", "", "max_retries", map[string]tftypes.Value{"max_retries": num(2.5)}, "max_retries must be a whole number, such as 2; 2.5 has a fractional part."},
		{"session_expiration", "", "assume_role", map[string]tftypes.Value{"assume_role": assumeRoleBlock(t, map[string]tftypes.Value{
			"role_arn": str("acs:ram::1:role/r"), "session_expiration": num(900.5)})}, "assume_role.session_expiration must be a whole number, such as 900"},
		{"stream page_size", "live_stream_notify_records", "page_size", with(window, "page_size", num(100.25)), "page_size must be a whole number, such as 100"},
		{"record page_number", "live_record_notify_records", "page_number", with(window, "page_number", num(1.5)), "page_number must be a whole number, such as 1"},
		{"stream page_number", "live_stream_notify_records", "page_number", with(window, "page_number", num(3.5)), "page_number must be a whole number"},
		{"record max_kept_records", "live_record_notify_records", "max_kept_records", with(window, "max_kept_records", num(1.5)), "max_kept_records must be a whole number, such as 1;"},
		{"stream max_kept_records", "live_stream_notify_records", "max_kept_records", with(window, "max_kept_records", num(0.5)), "max_kept_records must be a whole number, such as 1;"},
		{"too large", "live_stream_notify_records", "max_kept_records", with(window, "max_kept_records", tftypes.NewValue(tftypes.Number, huge)), "within 64 bits; 1e+30 is too large"},
	} {
		t.Run(c.name, func(t *testing.T) {
			diags := validate(t, c.typeName, c.args)
			text := protoDiagText(diags)
			if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError || !strings.Contains(diags[0].Detail, c.want) {
				t.Fatalf("want one error saying %q, got:\n%s", c.want, text)
			}
			if p := diags[0].Attribute; p == nil || len(p.Steps()) == 0 || p.Steps()[0] != tftypes.AttributeName(c.attr) {
				t.Errorf("the error is not on %s: %v", c.attr, p)
			}
			if strings.Contains(text, "error in the provider") || strings.Contains(text, "report") {
				t.Errorf("the error blames the provider:\n%s", text)
			}
		})
	}

	// Whole numbers still pass, and their validators still run.
	if diags := validate(t, "live_stream_notify_records", with(window, "max_kept_records", num(3))); len(diags) != 0 {
		t.Errorf("max_kept_records = 3: %s", protoDiagText(diags))
	}
	if diags := validate(t, "live_stream_notify_records", with(window, "page_size", num(501))); len(diags) != 1 || !strings.Contains(diags[0].Detail, "between 1 and 500") {
		t.Errorf("page_size = 501: %s", protoDiagText(diags))
	}
}
