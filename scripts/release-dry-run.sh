#!/usr/bin/env bash
# A release without publishing or signing: goreleaser (pinned in scripts/lib.sh)
# builds the snapshot archives, SHA256SUMS and the registry manifest into dist/.
#
#   scripts/release-dry-run.sh                       # linux/amd64 only (what release-check needs)
#   RELEASE_ALL_TARGETS=1 scripts/release-dry-run.sh # every platform of .goreleaser.yml, as a release
#
# Snapshot versions look like 0.0.1-SNAPSHOT-f9aaeec. The real release runs
# .goreleaser.yml unchanged (.github/workflows/release.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

goreleaser="$(goreleaser_bin)"
config=.goreleaser.yml
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ "${RELEASE_ALL_TARGETS:-0}" != 1 ]; then
  # `targets` overrides the goos/goarch matrix (and its ignores); everything
  # else, archive and checksum names included, stays as the release has it.
  config="$work/goreleaser.linux_amd64.yml"
  sed '/^  - id: provider$/a\    targets: [linux_amd64]' .goreleaser.yml > "$config"
  grep -q '^    targets: \[linux_amd64\]$' "$config" ||
    { echo "release-dry-run: no '  - id: provider' build in .goreleaser.yml to limit" >&2; exit 1; }
  step "goreleaser $GORELEASER_VERSION snapshot, linux/amd64 only (RELEASE_ALL_TARGETS=1 for every platform)"
else
  step "goreleaser $GORELEASER_VERSION snapshot, every platform"
fi

# goreleaser reads the commit as "none" when the clone has no remote.
SNAPSHOT_COMMIT="$(git rev-parse --short HEAD)"
export SNAPSHOT_COMMIT
started=$SECONDS
"$goreleaser" release --config "$config" --snapshot --clean --skip=publish,sign
step "release dry run done in $((SECONDS - started))s; dist/*_SHA256SUMS:"
cat dist/*_SHA256SUMS >&2
