package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/clitest"
)

// snippetProviders makes a snippet that names no provider source use this
// provider: doc snippets leave the terraform block out to stay short.
const snippetProviders = `terraform {
  required_providers {
    live = {
      source = "callbackwatch/live"
    }
  }
}
`

// TestAccExampleSnippetsValidate runs `validate` over every directory of
// examples/ that holds configuration, with the provider built from this tree,
// under the CLI TF_ACC_TERRAFORM_PATH names: every snippet the docs pull in
// with tffile, and every example a user copies, parses and type-checks
// against the provider's schema.
func TestAccExampleSnippetsValidate(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	root, dirs := exampleDirs(t)
	if len(dirs) < 10 {
		t.Fatalf("found only %d example directories under %s", len(dirs), root)
	}
	emu := caseEmulator(t)
	for _, dir := range dirs {
		t.Run(filepath.ToSlash(dir), func(t *testing.T) {
			t.Parallel()
			terraformMin, tofuMin := cliFloor(t, filepath.Join(root, dir))
			clitest.SkipBelow(t, terraformMin, tofuMin)
			w := newWorkspace(t, dir, emu)
			if !declaresProviders(t, w.dir) {
				if err := os.WriteFile(filepath.Join(w.dir, "snippet_providers.tf"), []byte(snippetProviders), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			out, ok := w.run("validate")
			if !ok {
				t.Fatalf("validate failed:\n%s", out)
			}
			mustMatch(t, out, `The configuration is valid`)
		})
	}
}

// exampleDirs is the examples/ directory and every directory below it that
// holds configuration, relative to it.
func exampleDirs(t *testing.T) (root string, dirs []string) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root = filepath.Join(filepath.Dir(file), "..", "..", "examples")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if tf, _ := filepath.Glob(filepath.Join(path, "*.tf")); len(tf) > 0 {
			rel, err := filepath.Rel(root, path)
			dirs = append(dirs, rel)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return root, dirs
}

// featureFloors are the language features the examples use, with the oldest
// Terraform and OpenTofu that know them. `validate` also reads a directory's
// tests/*.tftest.hcl, whose mocks need the newest CLIs of all.
var featureFloors = []struct {
	pattern, terraformMin, tofuMin string
}{
	// Terraform 1.0.11 types the provider's nested attributes (summary,
	// the record lists) as objects without attributes in expressions: "This
	// value does not have any attributes". 1.5.7, the next Terraform of the
	// matrix, reads them; 1.1 to 1.4 are untested, so the floor is the
	// verified one.
	{".summary.", "1.5", "1.6"},
	{".notify_records_info", "1.5", "1.6"},
	{".callback_list", "1.5", "1.6"},
	{`required_version = ">= 1.5"`, "1.5", "1.6"},
	{"postcondition {", "1.2", "1.6"},
	{`resource "terraform_data"`, "1.4", "1.6"},
	{`check "`, "1.5", "1.6"},
	{"override_data {", "1.7", "1.8"},
	{`mock_provider "`, "1.7", "1.8"},
}

// cliFloor is the oldest Terraform and OpenTofu that can validate dir: the
// highest floor of the features its configuration and tests use.
func cliFloor(t *testing.T, dir string) (terraformMin, tofuMin string) {
	t.Helper()
	var files []string
	for _, pattern := range []string{"*.tf", filepath.Join("tests", "*.tftest.hcl")} {
		found, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, found...)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, feature := range featureFloors {
			if !strings.Contains(string(b), feature.pattern) {
				continue
			}
			if clitest.Below(terraformMin, feature.terraformMin) {
				terraformMin = feature.terraformMin
			}
			if clitest.Below(tofuMin, feature.tofuMin) {
				tofuMin = feature.tofuMin
			}
		}
	}
	return terraformMin, tofuMin
}

func declaresProviders(t *testing.T, dir string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "required_providers") {
			return true
		}
	}
	return false
}
