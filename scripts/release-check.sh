#!/usr/bin/env bash
# Proves the release layout loads, after `make release-dry-run`:
#   1. the checksums cover the linux_amd64 archive and the registry manifest,
#      and the archive holds the versioned binary alone;
#   2. the archive, unpacked into a filesystem mirror
#      <mirror>/registry.terraform.io/callbackwatch/live/<version>/linux_amd64/,
#      installs with `tofu init` (and Terraform 1.5.7's) for exactly that
#      version, and its schema has both data sources;
#   3. if cmd/live-emulator builds, a plan with live_stream_notify_records
#      against the emulator reads records through the released binary.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

PROVIDER_SOURCE=registry.terraform.io/callbackwatch/live
ensure_clis
clean_cli_env

work="$(mktemp -d)"
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

shopt -s nullglob
archives=(dist/terraform-provider-live_*_linux_amd64.zip)
shopt -u nullglob
[ ${#archives[@]} = 1 ] ||
  { echo "release-check: expected one dist/terraform-provider-live_*_linux_amd64.zip, found ${#archives[@]}: run 'make release-dry-run' first" >&2; exit 1; }
archive="${archives[0]}"
# The version is exactly what goreleaser put in the archive name.
version="$(basename "$archive")"
version="${version#terraform-provider-live_}"
version="${version%_linux_amd64.zip}"
step "archive $archive, version $version"

step "checksums and archive contents"
sums="dist/terraform-provider-live_${version}_SHA256SUMS"
manifest="terraform-provider-live_${version}_manifest.json"
[ -f "$sums" ] || { echo "release-check: $sums is missing" >&2; exit 1; }
for f in "$(basename "$archive")" "$manifest"; do
  grep -q "  $f\$" "$sums" || { echo "release-check: $sums does not list $f" >&2; exit 1; }
done
(cd dist && grep "  $(basename "$archive")\$" "$(basename "$sums")" | sha256sum -c -)
# The manifest is not copied into dist/ (the release uploads it under that
# name): its checksum must be that of terraform-registry-manifest.json.
[ "$(grep "  $manifest\$" "$sums" | cut -d' ' -f1)" = "$(sha256sum < terraform-registry-manifest.json | cut -d' ' -f1)" ] ||
  { echo "release-check: the $manifest checksum is not that of terraform-registry-manifest.json" >&2; exit 1; }
jq -e '.metadata.protocol_versions == ["6.0"]' terraform-registry-manifest.json > /dev/null ||
  { echo "release-check: terraform-registry-manifest.json does not declare protocol 6.0" >&2; exit 1; }
echo "$manifest: OK (terraform-registry-manifest.json, protocol 6.0)"
contents="$(unzip -Z1 "$archive")"
[ "$contents" = "terraform-provider-live_v$version" ] ||
  { echo "release-check: the archive should hold only terraform-provider-live_v$version, it holds: $contents" >&2; exit 1; }

mirror="$work/mirror"
target="$mirror/$PROVIDER_SOURCE/$version/linux_amd64"
mkdir -p "$target"
unzip -q "$archive" -d "$target"
cat > "$work/cli.tfrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["$PROVIDER_SOURCE"]
  }
}
EOF
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"

# The configurations use the full source address, so that OpenTofu (whose
# default registry is registry.opentofu.org) and Terraform agree on it.
for cli in tofu terraform; do
  dir="$work/init-$cli"
  mkdir -p "$dir"
  cat > "$dir/main.tf" <<EOF
terraform {
  required_providers {
    live = {
      source  = "$PROVIDER_SOURCE"
      version = "$version"
    }
  }
}
EOF
  step "$cli init from the filesystem mirror ($("$CLI_CACHE_DIR/$cli" version | head -n1))"
  (cd "$dir" && "$CLI_CACHE_DIR/$cli" init -input=false -no-color | grep -E "Installing|Installed|initialized")
  step "$cli providers schema -json"
  (cd "$dir" && "$CLI_CACHE_DIR/$cli" providers schema -json) > "$work/schema-$cli.json"
  grep -q live_record_notify_records "$work/schema-$cli.json" && echo "schema of $PROVIDER_SOURCE $version has live_record_notify_records"
  jq -e --arg src "$PROVIDER_SOURCE" \
    '.provider_schemas[$src].data_source_schemas | has("live_record_notify_records") and has("live_stream_notify_records")' \
    "$work/schema-$cli.json" > /dev/null ||
    { echo "release-check: the $cli schema lacks the live data sources" >&2; exit 1; }
done

if [ ! -d cmd/live-emulator ] || ! go build -o "$work/live-emulator" ./cmd/live-emulator 2> "$work/emulator-build.log"; then
  step "skipping the plan against the emulator: cmd/live-emulator does not build here"
  cat "$work/emulator-build.log" >&2 2>/dev/null || true
  step "release layout OK: $version installs from a filesystem mirror"
  exit 0
fi

step "starting the emulator"
# A built binary rather than `go run`, so that the trap stops the server itself.
"$work/live-emulator" -listen 127.0.0.1:0 -addr-file "$work/addr" > "$work/emulator.out" 2> "$work/emulator.log" &
emulator_pid=$!
for _ in $(seq 1 100); do [ -s "$work/addr" ] && break; sleep 0.1; done
[ -s "$work/addr" ] || { cat "$work/emulator.out" "$work/emulator.log" >&2; echo "release-check: the emulator did not start" >&2; exit 1; }
endpoint="$(cat "$work/addr")"
case "$endpoint" in http://*) ;; *) endpoint="http://$endpoint" ;; esac
cat "$work/emulator.out" >&2

dir="$work/init-tofu"
cat >> "$dir/main.tf" <<EOF

provider "live" {
  endpoint   = "$endpoint"
  access_key = "LTAI5tEmulatorDemoKey"
  secret_key = "emulator-demo-secret"
}

data "live_stream_notify_records" "demo" {
  domain_name = "push.example1.com"
  lookback    = "24h"
}

output "total" {
  value = data.live_stream_notify_records.demo.summary.total
}
EOF
step "tofu plan against the emulator, through the released binary"
(cd "$dir" && "$CLI_CACHE_DIR/tofu" plan -input=false -no-color -out=plan.tfplan) | sed -n '/Changes to Outputs/,$p'
total="$(cd "$dir" && "$CLI_CACHE_DIR/tofu" show -json plan.tfplan | jq -r '.planned_values.outputs.total.value')"
case "$total" in
  '' | null | *[!0-9]*) echo "release-check: the plan has no summary.total (got '$total')" >&2; exit 1 ;;
esac
step "release layout OK: $version installs from a filesystem mirror and read $total callback records from the emulator"
