#!/usr/bin/env bash
# The project's test suite: scripts/test.sh [STAGE...], with no stage the
# stages of `make test`. The stages (unit acc-tofu acc-terraform docs lint
# bench matrix acc-real), what each runs, and what CI runs are described
# once, in CONTRIBUTING.md, "Testing"; the case below is their code.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

stage_unit() {
  step "go vet"
  go vet ./...
  step "unit tests (-race)"
  go test -race -count=1 ./...
}

# acc_suite CLI: runs the acceptance tests under one CLI (tofu, terraform or
# <cli>-<version>) and prints its pass/fail/skip line; the counts also go to
# $acc_counts ("passed failed skipped") for the matrix table.
acc_counts=""
acc_suite() { # cli
  local cli="$1" log status=0 passed failed skipped
  acc_counts="0 0 0"
  acc_env "$cli"
  # The policy example is judged by the real OPA (internal/e2e).
  OPA_PATH="$(opa_bin)"
  export OPA_PATH
  step "acceptance tests under $cli ($("$TF_ACC_TERRAFORM_PATH" version | head -n1))"
  log="$(mktemp)"
  # The tests mostly wait on CLI processes and emulators: run four at a time
  # (the timing-sensitive ones are not parallel and run first, alone).
  TF_ACC=1 go test -v -count=1 -timeout 30m -parallel "${ACC_PARALLEL:-4}" -run '^TestAcc' ./internal/... ${ACC_TESTARGS:-} > "$log" 2>&1 || {
    status=1
    grep -E '^(\s*--- FAIL|FAIL|panic)|_test.go:[0-9]+:' "$log" | head -n 200 >&2
  }
  grep -E '^(ok|FAIL)\s' "$log" >&2 || true
  # Top-level and subtests alike. A test skips when it finds no CLI or no real
  # account, or when the CLI is older than a feature it uses (clitest.SkipBelow
  # names the floor: those lines are shown).
  passed="$(grep -cE '^\s*--- PASS' "$log" || true)"
  failed="$(grep -cE '^\s*--- FAIL' "$log" || true)"
  skipped="$(grep -cE '^\s*--- SKIP' "$log" || true)"
  grep -oE '[A-Za-z0-9_/]+ needs (Terraform|OpenTofu) >= .*' "$log" | sort -u | sed 's/^/  skipped: /' >&2 || true
  acc_counts="$passed $failed $skipped"
  printf 'acceptance tests under %s: %d passed, %d failed, %d skipped\n' "$cli" "$passed" "$failed" "$skipped"
  rm -f "$log"
  return "$status"
}

stage_acc() { # tofu|terraform
  ensure_clis "$1"
  local started=$SECONDS
  acc_suite "$1" || return 1
  printf 'acceptance suite under %s took %ds\n' "$1" "$((SECONDS - started))"
}

# Every CLI of CLI_MATRIX, each built on first use (scripts/install-clis.sh):
# all run even when one fails, then a table; fails if any failed. On a machine
# with an empty cache the builds take most of CI's 90 minutes: past
# CLI_BUILD_CUTOFF seconds from the start of this script a missing CLI is not
# built, and its row says so (the CLIs built so far stay cached for next time).
CLI_BUILD_CUTOFF="${CLI_BUILD_CUTOFF:-2400}"
stage_matrix() {
  local name started build_s suite_s rows=() status=0 total_p=0 total_f=0 total_s=0 p f s
  for name in $CLI_MATRIX; do
    started=$SECONDS
    if [ -x "$CLI_CACHE_DIR/$name" ]; then build_s=cached; else
      if [ "$SECONDS" -ge "$CLI_BUILD_CUTOFF" ]; then
        echo "matrix: NOT TESTED under $name: not cached, and ${SECONDS}s are past CLI_BUILD_CUTOFF=${CLI_BUILD_CUTOFF}s (make clis-matrix builds it)" >&2
        rows+=("$name - - - not-built -")
        continue
      fi
      scripts/install-clis.sh "$name" || { rows+=("$name - - - build-failed -"); status=1; continue; }
      build_s="$((SECONDS - started))s"
    fi
    started=$SECONDS
    acc_suite "$name" || status=1
    suite_s="$((SECONDS - started))s"
    read -r p f s <<< "$acc_counts"
    rows+=("$name $p $f $s $build_s $suite_s")
    total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
  done
  step "acceptance matrix (build: time to build the CLI in this run, or cached)"
  printf '%-18s %7s %7s %8s %8s %8s\n' CLI passed failed skipped build suite
  local row
  for row in "${rows[@]}"; do
    # shellcheck disable=SC2086
    printf '%-18s %7s %7s %8s %8s %8s\n' $row
  done
  printf 'matrix: %d passed, %d failed, %d skipped\n' "$total_p" "$total_f" "$total_s"
  return "$status"
}

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(unit acc-tofu acc-terraform docs lint bench)
started=$SECONDS
for stage in "${stages[@]}"; do
  case "$stage" in
    unit) stage_unit ;;
    acc-tofu) stage_acc tofu ;;
    acc-terraform) stage_acc terraform ;;
    matrix) stage_matrix ;;
    acc-real) ACC_TESTARGS="-run ^TestAccReal" stage_acc tofu ;;
    docs) step "docs"; scripts/docs.sh check ;;
    lint) step "lint"; scripts/lint.sh ;;
    bench) scripts/bench.sh ci ;;
    *) echo "unknown stage $stage" >&2; exit 2 ;;
  esac
done
step "all stages passed in $((SECONDS - started))s: ${stages[*]}"
