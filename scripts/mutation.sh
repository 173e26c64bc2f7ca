#!/usr/bin/env bash
# Mutation testing (make mutation): gremlins plants small bugs (a flipped
# comparison, an off-by-one, a negated condition) one at a time in the code
# the unit tests cover, and runs the package's unit tests against each. A
# mutant the tests do not notice "lives". Prints, per package, the killed,
# lived and timed-out counts and the efficacy (killed / (killed + lived)).
#
#   scripts/mutation.sh [package ...]   default: ./internal/liveapi ./internal/provider
#
# Environment: MUTATION_WORKERS (default 2, one a core), MUTATION_TIMEOUT_COEFFICIENT
# (default 5), MUTATION_THRESHOLD (efficacy percent below which the run
# fails; default 90, the project's bar; 0: none), MUTATION_OUT (directory
# for gremlins' JSON results and logs).
#
# Every mutant recompiles the package and reruns its unit tests, so the
# run lasts about (mutants x (build + tests)) / workers: on 2 cores about
# 11 minutes for liveapi and 8 for provider. The tests are kept fast for
# it (CONTRIBUTING.md, "Mutation testing"): under -short the few that wait
# in real time skip, and faster ones on a moved clock cover them. GOFLAGS
# adds -count=1 (gremlins times a mutant against its first test run, which
# must not be a cached result), -vet=off (vet would fail some mutants before
# a test does) and -gcflags=-l (no inlining in the package under test: a
# quarter less compile time, the same behaviour).
#
# Every wait is bounded: gremlins stops a mutant's tests after
# MUTATION_TIMEOUT_COEFFICIENT times its coverage run (build and tests,
# 4 to 8 s here) and counts it "timed out"; those are mutants that loop for
# ever or sleep for the whole backoff cap, never killed nor lived.
# Acceptance tests are left out (TF_ACC unset): they are the CLIs' job.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

GREMLINS_VERSION="${GREMLINS_VERSION:-v0.6.0}"
gremlins="$(ensure_go_tool gremlins github.com/go-gremlins/gremlins/cmd/gremlins "$GREMLINS_VERSION")"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-short -count=1 -vet=off -gcflags=-l"
unset TF_ACC

pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./internal/liveapi ./internal/provider)
out="${MUTATION_OUT:-$(mktemp -d)}"
mkdir -p "$out"
args=(--workers "${MUTATION_WORKERS:-2}" --timeout-coefficient "${MUTATION_TIMEOUT_COEFFICIENT:-5}")
threshold="${MUTATION_THRESHOLD:-90}"
[ "$threshold" = 0 ] || args+=(--threshold-efficacy "$threshold")

status=0
summary=()
for pkg in "${pkgs[@]}"; do
  step "gremlins $GREMLINS_VERSION over $pkg"
  log="$out/$(basename "$pkg").log"
  started=$SECONDS
  "$gremlins" unleash "${args[@]}" -o "$out/$(basename "$pkg").json" "$pkg" 2>&1 | tee "$log" || status=$?
  summary+=("$pkg: $(grep -E '^Killed:' "$log" | tr -s ' '), $(grep -E '^Timed out:' "$log" | cut -d, -f1) | $(grep -E '^Test efficacy' "$log") | $(((SECONDS - started + 30) / 60)) min")
done
step "mutation scores (details in $out)"
printf '  %s\n' "${summary[@]}" >&2
exit "$status"
