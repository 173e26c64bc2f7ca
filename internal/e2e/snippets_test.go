package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
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
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "examples")
	var dirs []string
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
	if len(dirs) < 10 {
		t.Fatalf("found only %d example directories under %s", len(dirs), root)
	}
	emu := callbackEmulator(t)
	for _, dir := range dirs {
		t.Run(filepath.ToSlash(dir), func(t *testing.T) {
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
