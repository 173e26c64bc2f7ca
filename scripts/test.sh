#!/usr/bin/env bash
# The project's test suite. With no argument it runs everything CI runs:
#   unit          go vet and the unit tests (race detector on)
#   acc-tofu      acceptance tests through OpenTofu against the emulator
#   acc-terraform acceptance tests through Terraform 1.5.7 against the emulator
#   docs          the generated docs are up to date and valid
#   lint          golangci-lint and tofu fmt -check on examples/
#   bench         the benchmark's CI-sized run: its goals hold (scripts/bench.sh ci)
#   acc-real      the read-only tests against a real account (needs credentials)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

stage_unit() {
  step "go vet"
  go vet ./...
  step "unit tests (-race)"
  go test -race -count=1 ./...
}

stage_acc() { # cli
  local cli="$1" log
  acc_env "$cli"
  # The policy example is judged by the real OPA (internal/e2e).
  OPA_PATH="$(opa_bin)"
  export OPA_PATH
  step "acceptance tests under $cli ($("$TF_ACC_TERRAFORM_PATH" version | head -n1))"
  log="$(mktemp)"
  TF_ACC=1 go test -v -count=1 -timeout 30m -run '^TestAcc' ./internal/... ${ACC_TESTARGS:-} > "$log" 2>&1 || {
    grep -E '^(\s*--- FAIL|FAIL|panic)|_test.go:[0-9]+:' "$log" | head -n 200 >&2
    rm -f "$log"
    return 1
  }
  grep -E '^(ok|FAIL)\s' "$log" >&2
  # Top-level and subtests alike; a skipped test is one that found no CLI or no real account.
  printf 'acceptance tests under %s: %d passed, %d failed, %d skipped\n' "$cli" \
    "$(grep -cE '^\s*--- PASS' "$log")" "$(grep -cE '^\s*--- FAIL' "$log")" "$(grep -cE '^\s*--- SKIP' "$log")"
  rm -f "$log"
}

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(unit acc-tofu acc-terraform docs lint bench)
started=$SECONDS
for stage in "${stages[@]}"; do
  case "$stage" in
    unit) stage_unit ;;
    acc-tofu) ensure_clis; stage_acc tofu ;;
    acc-terraform) ensure_clis; stage_acc terraform ;;
    acc-real) ensure_clis; ACC_TESTARGS="-run ^TestAccReal" stage_acc tofu ;;
    docs) ensure_clis; step "docs"; scripts/docs.sh check ;;
    lint) ensure_clis; step "lint"; scripts/lint.sh ;;
    bench) scripts/bench.sh ci ;;
    *) echo "unknown stage $stage" >&2; exit 2 ;;
  esac
done
step "all stages passed in $((SECONDS - started))s: ${stages[*]}"
