#!/usr/bin/env bash
# Provides the two CLIs the acceptance tests drive: OpenTofu and Terraform,
# built from the Go module proxy (no binary downloads are possible here) and
# cached outside the clone so fresh clones and CI reuse them.
#
#   scripts/install-clis.sh            # build (or reuse cached) tofu and terraform
#   USE_PATH_CLIS=1 scripts/install-clis.sh   # reuse tofu/terraform already on PATH
#
# Prints nothing but progress on stderr; the binaries land in $CLI_CACHE_DIR.
set -euo pipefail

TOFU_VERSION="${TOFU_VERSION:-1.12.6}"
TERRAFORM_VERSION="${TERRAFORM_VERSION:-1.5.7}"
CLI_CACHE_DIR="${CLI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-live/clis}"
mkdir -p "$CLI_CACHE_DIR"

log() { echo "install-clis: $*" >&2; }

tofu_bin="$CLI_CACHE_DIR/tofu-$TOFU_VERSION"
terraform_bin="$CLI_CACHE_DIR/terraform-$TERRAFORM_VERSION"

link_from_path() { # name target
  local found
  found="$(command -v "$1" || true)"
  if [ -n "$found" ]; then
    ln -sf "$found" "$2"
    log "using $1 from PATH: $found"
    return 0
  fi
  return 1
}

build_tofu() {
  local src work
  log "building OpenTofu v$TOFU_VERSION from the Go module proxy (about 4 minutes)"
  src="$(go mod download -json "github.com/opentofu/opentofu@v$TOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$src" ] || { log "could not download github.com/opentofu/opentofu@v$TOFU_VERSION"; exit 1; }
  work="$(mktemp -d)"
  cp -R "$src/." "$work/"
  chmod -R u+w "$work"
  # dev=no makes it report the release version, as the released binary does.
  (cd "$work" && CGO_ENABLED=0 go build -trimpath -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$tofu_bin.tmp" ./cmd/tofu)
  mv "$tofu_bin.tmp" "$tofu_bin"
  rm -rf "$work"
}

build_terraform() {
  local gobin
  log "building Terraform v$TERRAFORM_VERSION from the Go module proxy"
  gobin="$(mktemp -d)"
  CGO_ENABLED=0 GOBIN="$gobin" go install -trimpath "github.com/hashicorp/terraform@v$TERRAFORM_VERSION"
  mv "$gobin/terraform" "$terraform_bin"
  rm -rf "$gobin"
}

if [ ! -x "$tofu_bin" ]; then
  if [ "${USE_PATH_CLIS:-0}" = 1 ] && link_from_path tofu "$tofu_bin"; then :; else build_tofu; fi
fi
if [ ! -x "$terraform_bin" ]; then
  if [ "${USE_PATH_CLIS:-0}" = 1 ] && link_from_path terraform "$terraform_bin"; then :; else build_terraform; fi
fi

ln -sf "$tofu_bin" "$CLI_CACHE_DIR/tofu"
ln -sf "$terraform_bin" "$CLI_CACHE_DIR/terraform"
log "tofu:      $tofu_bin"
log "terraform: $terraform_bin"
