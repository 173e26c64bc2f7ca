package emulator_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// ErrorCodes lists exactly the codes this package's newError calls answer
// (the literal second argument of each call outside tests).
func TestErrorCodesComplete(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "newError" || len(call.Args) < 2 {
				return true
			}
			lit, isLit := call.Args[1].(*ast.BasicLit)
			if !isLit {
				t.Errorf("%s: newError with a non-literal code", fset.Position(call.Pos()))
				return true
			}
			code, _ := strconv.Unquote(lit.Value)
			found[code] = true
			return true
		})
	}
	listed := emulator.ErrorCodes()
	if !slices.IsSorted(listed) {
		t.Errorf("ErrorCodes is not sorted: %q", listed)
	}
	if got := slices.Sorted(maps.Keys(found)); !slices.Equal(got, listed) {
		t.Errorf("ErrorCodes() = %q\nthe source answers %q", listed, got)
	}
	for _, code := range listed {
		if code == "InvalidSecurityToken.Mismatch" {
			t.Errorf("%s is not a real code", code)
		}
	}
}
