#!/usr/bin/env bash
# Static checks: golangci-lint (linters and formatters of .golangci.yml, at the
# version pinned in scripts/lib.sh), actionlint on the GitHub workflows (offline)
# go mod tidy -diff, and `tofu fmt` on the examples.
#
#   scripts/lint.sh          # check; exits non-zero on any finding
#   scripts/lint.sh fmt      # tofu fmt -recursive examples (make fmt)
#   scripts/lint.sh fix      # also apply golangci-lint's fixes to the Go files
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

mode="${1:-check}"
ensure_clis tofu
clean_cli_env
[ "$mode" = fmt ] || golangci_lint="$(golangci_lint_bin)"
[ "$mode" != check ] || actionlint="$(actionlint_bin)"

status=0
case "$mode" in
  check)
    step "golangci-lint $GOLANGCI_LINT_VERSION run"
    "$golangci_lint" run ./... || status=1
    step "actionlint $ACTIONLINT_VERSION (.github/workflows)"
    "$actionlint" || status=1
    step "go mod tidy -diff (go.mod and go.sum are tidy)"
    if ! go mod tidy -diff; then
      echo "lint: run 'go mod tidy' and commit go.mod and go.sum" >&2
      status=1
    fi
    step "tofu fmt -check -recursive examples"
    if ! "$CLI_CACHE_DIR/tofu" fmt -check -diff -recursive examples; then
      echo "lint: run 'make fmt' to format the examples" >&2
      status=1
    fi
    ;;
  fmt | fix)
    if [ "$mode" = fix ]; then
      step "golangci-lint $GOLANGCI_LINT_VERSION run --fix"
      "$golangci_lint" run --fix ./... || status=1
    fi
    step "tofu fmt -recursive examples"
    "$CLI_CACHE_DIR/tofu" fmt -recursive examples
    ;;
  *) echo "usage: scripts/lint.sh [check | fmt | fix]" >&2; exit 2 ;;
esac
if [ "$status" = 0 ]; then step "$mode: done"; else step "$mode: problems found (above)"; fi
exit "$status"
