#!/usr/bin/env bash
# The "fast and polite at scale" benchmark (make bench). It prints:
#   1. live-bench's tables and goals: full reads of 1k, 10k and 100k records
#      per data source through the real client against the emulator at 40 ms
#      latency (calls, wall time against the rate-limit floor, concurrency,
#      memory), and two reads at once against a 100-QPS server (throttling);
#   2. the Go micro-benchmarks of the client and the emulator.
# Arguments go to live-bench, e.g. scripts/bench.sh -sizes 1000,10000 -latency 5ms
# (see go run ./cmd/live-bench -h). A failed goal is reported, not an error.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step "live-bench $*"
start=$SECONDS
go run ./cmd/live-bench "$@"
step "live-bench took $((SECONDS - start))s"

step "go micro-benchmarks"
start=$SECONDS
go test -run '^$' -bench . -benchmem ./internal/liveapi/ ./internal/emulator/
step "micro-benchmarks took $((SECONDS - start))s"

go run ./cmd/live-plan-bench # end-to-end rows (issue 11): provider CPU and peak RSS of a real tofu plan, per keep_records mode
