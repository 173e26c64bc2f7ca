#!/usr/bin/env bash
# Mutation testing (make mutation): gremlins plants small bugs (a flipped
# comparison, an off-by-one, a negated condition) one at a time in the code
# the unit tests cover, and runs the package's unit tests against each. A
# mutant the tests do not notice "lives". Prints, per package, the killed,
# lived and timed-out counts and the efficacy (killed / (killed + lived)).
#
#   scripts/mutation.sh [package ...]   default: ./internal/liveapi ./internal/provider
#
# Environment: MUTATION_WORKERS (default 2), MUTATION_TIMEOUT_COEFFICIENT
# (default 50: gremlins times a mutant against its first, often cached, test
# run of a few seconds, while every mutant recompiles the package),
# MUTATION_THRESHOLD (efficacy percent below which the run fails; default
# none), MUTATION_OUT (directory for gremlins' JSON results).
#
# The unit tests run with -short: the few that time a long read (the
# two-reads peak test, the benchmark's small run) skip, as they would make
# every mutant's run seconds longer; the limiter's own unit tests still run.
# Acceptance tests are left out (TF_ACC unset): they are the CLIs' job.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

GREMLINS_VERSION="${GREMLINS_VERSION:-v0.6.0}"
gremlins="$(ensure_go_tool gremlins github.com/go-gremlins/gremlins/cmd/gremlins "$GREMLINS_VERSION")"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-short"
unset TF_ACC

pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./internal/liveapi ./internal/provider)
out="${MUTATION_OUT:-$(mktemp -d)}"
mkdir -p "$out"
args=(--workers "${MUTATION_WORKERS:-2}" --timeout-coefficient "${MUTATION_TIMEOUT_COEFFICIENT:-50}")
[ -z "${MUTATION_THRESHOLD:-}" ] || args+=(--threshold-efficacy "$MUTATION_THRESHOLD")

status=0
summary=()
for pkg in "${pkgs[@]}"; do
  step "gremlins $GREMLINS_VERSION over $pkg"
  log="$out/$(basename "$pkg").log"
  "$gremlins" unleash "${args[@]}" -o "$out/$(basename "$pkg").json" "$pkg" 2>&1 | tee "$log" || status=$?
  summary+=("$pkg: $(grep -E '^Killed:' "$log" | tr -s ' ') | $(grep -E '^Test efficacy' "$log")")
done
step "mutation scores (details in $out)"
printf '  %s\n' "${summary[@]}" >&2
exit "$status"
