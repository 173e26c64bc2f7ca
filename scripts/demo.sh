#!/usr/bin/env bash
# make demo: plan examples/demo against the built-in emulator with a real
# OpenTofu (or Terraform: DEMO_CLI=terraform). No cloud account needed.
# scripts/demo.sh -var watched_domain_name=outage.example.com watches another
# of the emulator's case domains.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

cli="${DEMO_CLI:-tofu}"
ensure_clis "$cli"
clean_cli_env
work="$(mktemp -d)"
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step "building the provider and the emulator"
go build -o "$work/bin/terraform-provider-live" .
go build -o "$work/live-emulator" ./cmd/live-emulator

step "starting the emulator"
"$work/live-emulator" -listen 127.0.0.1:0 -addr-file "$work/addr" > "$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do [ -s "$work/addr" ] && break; sleep 0.1; done
[ -s "$work/addr" ] || { cat "$work/emulator.log" >&2; echo "the emulator did not start" >&2; exit 1; }
endpoint="$(cat "$work/addr")"
case "$endpoint" in http://*) ;; *) endpoint="http://$endpoint" ;; esac
echo "emulator at $endpoint" >&2

# dev_overrides runs the provider just built, without a registry or init.
cat > "$work/cli.tfrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/callbackwatch/live" = "$work/bin"
    "registry.opentofu.org/callbackwatch/live" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
export ALIBABA_CLOUD_LIVE_ENDPOINT="$endpoint"
export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tEmulatorDemoKey
export ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator-demo-secret

cp -R examples/demo "$work/demo"
step "$cli plan (examples/demo)"
# Arguments go to the plan, e.g. -var watched_domain_name=outage.example.com.
(cd "$work/demo" && "$CLI_CACHE_DIR/$cli" plan -no-color -input=false "$@")
