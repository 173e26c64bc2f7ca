#!/usr/bin/env bash
# The shim's exit criterion, measured (make bench runs this):
# BenchmarkReadDataSource reads 40,000 records through the provider's
# protocol server (the record-list shim, internal/provider/server.go) and
# through the framework's own, and this prints the framework's time and
# memory over the shim's at keep_records = "all" against the criterion
# written in server.go: the shim goes when the framework's own server comes
# within 2x of its time.
#
#   scripts/shim-bench.sh    SHIM_BENCH_COUNT rounds (default 3)
#
# It judges, it does not fail: KEEP or EXIT when every round agrees, SKIP
# when they do not or a row is missing. It exits non-zero only when the
# benchmark itself fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

count="${SHIM_BENCH_COUNT:-3}"
step "BenchmarkReadDataSource through both servers, $count rounds (the shim's exit criterion, server.go)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
start=$SECONDS
go test -run '^$' -bench '^BenchmarkReadDataSource$' -benchmem -count "$count" ./internal/provider/ | tee "$log"
step "BenchmarkReadDataSource took $((SECONDS - start))s"

# vals[row, unit, i]: the i-th round's ns/op or B/op of a row such as
# "shim/all"; go test -count repeats the rounds in order, each row once a round.
report=$(cat <<'AWK'
function median(key,    n, i, j, v, a) {
  n = runs[key]
  if (n == 0) return ""
  for (i = 1; i <= n; i++) a[i] = vals[key, i]
  for (i = 2; i <= n; i++) { v = a[i]; for (j = i - 1; j >= 1 && a[j] > v; j--) a[j + 1] = a[j]; a[j + 1] = v }
  return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
/^BenchmarkReadDataSource\// {
  row = $1
  sub(/-[0-9]+$/, "", row); sub(/^BenchmarkReadDataSource\/server=/, "", row); sub(/\/keep_records=/, "/", row)
  for (i = 3; i < NF; i++) {
    if ($(i + 1) == "ns/op") { k = row SUBSEP "ns"; vals[k, ++runs[k]] = $i }
    if ($(i + 1) == "B/op") { k = row SUBSEP "B"; vals[k, ++runs[k]] = $i }
  }
}
END {
  printf "%-10s %-5s %8s %8s  (medians)\n", "server", "keep", "s/read", "MB/read"
  split("shim/all shim/none framework/all framework/none", rows, " ")
  for (r = 1; r <= 4; r++) {
    split(rows[r], part, "/")
    t = median(rows[r] SUBSEP "ns"); m = median(rows[r] SUBSEP "B")
    if (t == "") printf "%-10s %-5s %8s %8s\n", part[1], part[2], "-", "-"
    else printf "%-10s %-5s %8.2f %8.0f\n", part[1], part[2], t / 1e9, m / 1e6
  }
  n = runs["shim/all" SUBSEP "ns"]
  if (runs["framework/all" SUBSEP "ns"] < n) n = runs["framework/all" SUBSEP "ns"]
  if (n == 0) {
    print "shim exit criterion: SKIP: no keep_records = \"all\" row for both servers (is server.go gone?)"
    exit 0
  }
  # Each round's framework read against the shim's read of the same round,
  # which ran under the same load: a verdict needs every round to agree.
  over = 0; each = ""
  for (i = 1; i <= n; i++) {
    ratio = vals["framework/all" SUBSEP "ns", i] / vals["shim/all" SUBSEP "ns", i]
    if (ratio > limit) over++
    each = each sprintf("%s%.2fx", (i > 1) ? ", " : "", ratio)
  }
  printf "framework / shim at keep_records = \"all\": %.2fx the time (each round: %s), %.1fx the memory\n",
    median("framework/all" SUBSEP "ns") / median("shim/all" SUBSEP "ns"), each,
    median("framework/all" SUBSEP "B") / median("shim/all" SUBSEP "B")
  if (over == n)
    printf "shim exit criterion: KEEP: the framework's own server takes more than %gx the shim's time in every round\n", limit
  else if (over == 0)
    printf "shim exit criterion: EXIT: the framework's own server is within %gx of the shim's time in every round: delete internal/provider/server.go\n", limit
  else
    printf "shim exit criterion: SKIP: the rounds fall on both sides of %gx; rerun on a quiet machine\n", limit
}
AWK
)
awk -v limit=2 "$report" "$log"
