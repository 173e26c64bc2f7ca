package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestTestLoopAgrees: the test loop is described once, in CONTRIBUTING.md's
// "Testing" table, and what runs it agrees with that table:
//   - the stages scripts/test.sh runs by default (make test) are the rows
//     marked "yes";
//   - every row's make target exists and runs scripts/test.sh with its stage
//     or the command the stage runs;
//   - .ci/run runs make test and then make testacc-matrix;
//   - the GitHub workflow runs each stage of make test by its target, and
//     make testacc-matrix, which takes the place of the acceptance stages.
func TestTestLoopAgrees(t *testing.T) {
	read := func(path string) string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	contributing, makefile, script := read("CONTRIBUTING.md"), read("GNUmakefile"), read("scripts/test.sh")
	ci, workflow := read(".ci/run"), read(".github/workflows/test.yml")

	type row struct{ stage, target string }
	var rows, inMakeTest []row
	section := contributing[strings.Index(contributing, "## Testing"):]
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z-]+)` \\| `make ([a-z-]+)` \\| ([^|]+) \\|").FindAllStringSubmatch(section, -1) {
		r := row{m[1], m[2]}
		rows = append(rows, r)
		if strings.TrimSpace(m[3]) == "yes" {
			inMakeTest = append(inMakeTest, r)
		}
	}
	if len(rows) == 0 {
		t.Fatal(`CONTRIBUTING.md's "Testing" section has no table of stages`)
	}

	m := regexp.MustCompile(`stages=\(([a-z -]+)\)`).FindStringSubmatch(script)
	if m == nil {
		t.Fatal("scripts/test.sh names no default stages")
	}
	var want []string
	for _, r := range inMakeTest {
		want = append(want, r.stage)
	}
	if got := strings.Fields(m[1]); !slices.Equal(got, want) {
		t.Errorf("make test runs the stages %q; CONTRIBUTING.md says %q", got, want)
	}

	for _, r := range rows {
		recipe := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(r.target) + `:\n\t(.+)$`).FindStringSubmatch(makefile)
		if recipe == nil {
			t.Errorf("CONTRIBUTING.md names make %s, which the GNUmakefile lacks", r.target)
			continue
		}
		arm := regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(r.stage) + `\) (.+) ;;$`).FindStringSubmatch(script)
		if arm == nil {
			t.Errorf("scripts/test.sh has no stage %s", r.stage)
			continue
		}
		commands := strings.Split(arm[1], "; ")
		if recipe[1] != "scripts/test.sh "+r.stage && recipe[1] != commands[len(commands)-1] {
			t.Errorf("make %s runs %q, but the stage %s runs %q", r.target, recipe[1], r.stage, arm[1])
		}
	}

	var ciCommands []string
	for _, line := range strings.Split(ci, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "make ") {
			ciCommands = append(ciCommands, line)
		}
	}
	if want := []string{"make test", "make testacc-matrix"}; !slices.Equal(ciCommands, want) {
		t.Errorf(".ci/run runs %q, want %q", ciCommands, want)
	}

	runs := func(target string) bool {
		// A step's run: line, or a line of its run: | block.
		return regexp.MustCompile(`(?m)^\s+((- )?run: )?(\S+=\S+ )*make ` + regexp.QuoteMeta(target) + `$`).MatchString(workflow)
	}
	if !runs("testacc-matrix") {
		t.Error("the workflow does not run make testacc-matrix")
	}
	for _, r := range inMakeTest {
		if strings.HasPrefix(r.stage, "acc-") {
			continue // The testacc-matrix jobs, under each CLI release.
		}
		if !runs(r.target) {
			t.Errorf("make test runs make %s (stage %s), but the workflow does not", r.target, r.stage)
		}
	}
}
