#!/usr/bin/env bash
# The "fast and polite at scale" benchmark.
#
#   scripts/bench.sh [live-bench flags]   (make bench) live-bench's tables and
#       goals: full reads of 1k, 10k and 100k records per data source through
#       the real client against the emulator at 40 ms latency (calls, wall
#       time against the limiter's floor, peak requests per rolling second,
#       concurrency, memory), and two reads at once against a 100-QPS server
#       (throttling); then the Go micro-benchmarks of the client and the
#       emulator, and BenchmarkReadDataSource through both protocol servers
#       with the shim's exit ratio (scripts/shim-bench.sh). Flags go to
#       live-bench, e.g. -sizes 1000,10000 -latency 5ms
#       (see go run ./cmd/live-bench -h). Then live-plan-bench: a real tofu
#       plan of 40,000 records per keep_records mode, and the scale run of
#       1,000,000 records (none, failed, max_kept_records = 100) beside the
#       decoding floor of the same pages (about 2 minutes).
#   scripts/bench.sh ci                   (make bench-ci) a CI-sized run of the
#       same goals, about a minute: 30,000 records per data source at 20 QPS,
#       so that every goal is judged (more calls than one limiter window and
#       than the server accepts in a second); the contention goals with 1 and
#       5 clients at once (issue 28); and live-plan-bench's goals (provider
#       CPU and peak memory of a real tofu plan of 40,000 records). It fails
#       when a goal does.
#
#   Both also run the contention benchmark (live-bench -contention, and
#   live-plan-bench -contention through N tofu plans at once): N clients with
#   limiters of their own against one account of 100 requests a second.
#
# Exits non-zero when a goal fails (after the whole report is printed).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

status=0
if [ "${1:-}" = ci ]; then
  shift
  step "live-bench, CI size"
  start=$SECONDS
  go run ./cmd/live-bench -q -sizes 30000 -qps 20 -server-qps 20 -throttle-qps 20 -latency 40ms -client-alloc=false "$@" || status=$?
  go run ./cmd/live-bench -q -contention 1,5 || status=$?
  ensure_clis tofu
  go run ./cmd/live-plan-bench || status=$?
  step "live-bench and live-plan-bench (CI size) took $((SECONDS - start))s"
  exit "$status"
fi

step "live-bench $*"
start=$SECONDS
go run ./cmd/live-bench "$@" || status=$?
go run ./cmd/live-bench -contention 1,2,3,5,10 || status=$?
step "live-bench took $((SECONDS - start))s"

step "go micro-benchmarks"
start=$SECONDS
go test -run '^$' -bench . -benchmem ./internal/liveapi/ ./internal/emulator/
step "micro-benchmarks took $((SECONDS - start))s"

# The shim's exit criterion (internal/provider/server.go): the provider's
# read through both protocol servers, and their ratio against 2x.
scripts/shim-bench.sh || status=$?

# End-to-end rows (issue 11): provider CPU, peak RSS and state size of a real
# tofu plan of 40,000 records, per keep_records mode.
ensure_clis tofu
step "live-plan-bench"
go run ./cmd/live-plan-bench || status=$?

# The scale rows (issue 25): 1,000,000 records, keep_records = "none", "failed"
# and max_kept_records = 100, beside the CPU of decoding the same pages alone;
# goals: at most 100 MB and 1.5x that floor for none and max_kept_records = 100.
step "live-plan-bench, 1,000,000 records against the decoding floor"
start=$SECONDS
go run ./cmd/live-plan-bench -records 1000000 -floor || status=$?
step "the scale run took $((SECONDS - start))s"

# The contention rows (issue 28): N tofu plans at once against one account.
go run ./cmd/live-plan-bench -contention 1,2,3,5,10 || status=$?
exit "$status"
