package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// wholeNumber is the CustomType of every argument that takes a whole number
// (max_retries, assume_role.session_expiration, page_size, page_number,
// max_kept_records). Terraform has one number type, so `page_size = 1.5`
// reaches the provider, and the framework's Int64Type refuses to convert it
// with an error that blames the provider ("This is always an error in the
// provider"). wholeNumberType converts it into a value whose validation says
// what is wrong, on the argument, at plan time.
var wholeNumber = wholeNumberType{}

// wholeNumberType is basetypes.Int64Type but for numbers it cannot hold.
// Whole numbers convert to a plain basetypes.Int64Value, so models keep
// types.Int64 fields and validators see what they always saw.
type wholeNumberType struct {
	basetypes.Int64Type
}

var _ basetypes.Int64Typable = wholeNumberType{}

// Equal holds for Int64Type too: both hold the same values, and the
// framework checks the values it builds (types.Int64) against the schema's
// type.
func (t wholeNumberType) Equal(o attr.Type) bool {
	switch o.(type) {
	case wholeNumberType, basetypes.Int64Type:
		return true
	}
	return false
}

func (t wholeNumberType) String() string { return "provider.wholeNumberType" }

func (t wholeNumberType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.Int64Type.ValueFromTerraform(ctx, in)
	if err == nil {
		return v, nil
	}
	var number *big.Float
	if in.Type() != nil && in.Type().Is(tftypes.Number) && in.IsKnown() && !in.IsNull() && in.As(&number) == nil && number != nil {
		return notWholeNumber{Int64Value: basetypes.NewInt64Unknown(), number: number}, nil
	}
	return nil, err
}

// notWholeNumber is a configured number that is not a whole number within
// 64 bits. It exists to be reported: the framework validates a value as it
// reads it, before any validator, model or Configure sees it, and this
// validation always fails. It poses as unknown should anything look further.
type notWholeNumber struct {
	basetypes.Int64Value
	number *big.Float
}

var _ xattr.ValidateableAttribute = notWholeNumber{}

func (v notWholeNumber) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	text := v.number.Text('g', -1)
	if v.number.IsInt() {
		resp.Diagnostics.AddAttributeError(req.Path, "Number out of range",
			fmt.Sprintf("%s must be a whole number within 64 bits; %s is too large.", req.Path, text))
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Not a whole number",
		fmt.Sprintf("%s must be a whole number, such as %s; %s has a fractional part.", req.Path, wholeExample(v.number), text))
}

// wholeExample is n without its fraction (1 for a positive fraction of
// one), as an example of what the argument takes.
func wholeExample(n *big.Float) string {
	i, _ := n.Int(nil)
	if i.Sign() == 0 && n.Sign() > 0 {
		i.SetInt64(1)
	}
	return i.String()
}
