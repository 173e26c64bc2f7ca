// Package clitest lets acceptance and end-to-end tests skip, with the floor
// named, when the CLI they run under (TF_ACC_TERRAFORM_PATH) is older than a
// feature they use: a test that cannot run says so instead of failing on an
// "Unsupported block type" or passing without having run.
package clitest

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// CLI is a CLI binary's name and release version.
type CLI struct {
	Name    string // "Terraform" or "OpenTofu"
	Version string // "1.0.11"
}

var (
	once      sync.Once
	cli       CLI
	detectErr error
)

// Detect runs `TF_ACC_TERRAFORM_PATH version` once per test binary.
func Detect() (CLI, error) {
	once.Do(func() {
		path := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if path == "" {
			detectErr = fmt.Errorf("TF_ACC_TERRAFORM_PATH is not set")
			return
		}
		cmd := exec.Command(path, "version")
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
		out, err := cmd.Output()
		if err != nil {
			detectErr = fmt.Errorf("%s version: %w", path, err)
			return
		}
		cli, detectErr = parseVersion(string(out))
	})
	return cli, detectErr
}

var versionLine = regexp.MustCompile(`(?m)^(Terraform|OpenTofu) v(\d+\.\d+\.\d+)`)

// parseVersion reads the line "Terraform v1.5.7" or "OpenTofu v1.6.3" of
// `version` (the first, unless a warning about the CLI configuration comes
// before it), dropping a pre-release suffix such as "-dev".
func parseVersion(out string) (CLI, error) {
	m := versionLine.FindStringSubmatch(out)
	if m == nil {
		first, _, _ := strings.Cut(out, "\n")
		return CLI{}, fmt.Errorf("unrecognized version output %q", first)
	}
	return CLI{Name: m[1], Version: m[2]}, nil
}

// Below reports whether version is older than floor ("1.5" or "1.5.0").
// An empty floor is none.
func Below(version, floor string) bool {
	if floor == "" {
		return false
	}
	v, m := numbers(version), numbers(floor)
	for i := range 3 {
		if v[i] != m[i] {
			return v[i] < m[i]
		}
	}
	return false
}

func numbers(version string) [3]int {
	var n [3]int
	for i, part := range strings.SplitN(version, ".", 3) {
		n[i], _ = strconv.Atoi(part)
	}
	return n
}

// SkipBelow skips the test when it runs under a Terraform older than
// terraformMin or an OpenTofu older than tofuMin; the skip message names both
// floors and the CLI found. It does nothing when no CLI is configured (the
// test's own TF_ACC check skips it then) and fails the test when the CLI's
// version cannot be read.
func SkipBelow(t testing.TB, terraformMin, tofuMin string) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		return
	}
	c, err := Detect()
	if err != nil {
		t.Fatalf("reading the CLI version: %v", err)
	}
	floor := terraformMin
	if c.Name == "OpenTofu" {
		floor = tofuMin
	}
	if Below(c.Version, floor) {
		t.Skipf("%s needs %s; this is %s %s", t.Name(), floors(terraformMin, tofuMin), c.Name, c.Version)
	}
}

func floors(terraformMin, tofuMin string) string {
	var f []string
	if terraformMin != "" {
		f = append(f, "Terraform >= "+terraformMin)
	}
	if tofuMin != "" {
		f = append(f, "OpenTofu >= "+tofuMin)
	}
	return strings.Join(f, " or ")
}
