#!/usr/bin/env bash
# Provides the CLIs the acceptance tests drive: OpenTofu and Terraform, built
# from the Go module proxy (no binary downloads are possible here) and cached
# outside the clone as $CLI_CACHE_DIR/<cli>-<version>, so fresh clones and CI
# reuse them.
#
#   scripts/install-clis.sh                    # the default pair (TOFU_VERSION, TERRAFORM_VERSION),
#                                              # linked as $CLI_CACHE_DIR/tofu and .../terraform
#   scripts/install-clis.sh tofu               # one of the default pair only
#   scripts/install-clis.sh matrix             # every CLI of CLI_MATRIX (scripts/lib.sh)
#   scripts/install-clis.sh terraform-1.0.11 tofu-1.6.3   # the CLIs named
#   USE_PATH_CLIS=1 scripts/install-clis.sh    # reuse tofu/terraform already on PATH (default pair only)
#
# Prints nothing but progress on stderr, with each build's wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
mkdir -p "$CLI_CACHE_DIR"
clean_cli_env # for the `version` printed after a build

log() { echo "install-clis: $*" >&2; }

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

# Terraform >= 1.9 replaces nested modules (internal/backend/remote-state/*,
# internal/legacy) with directories its module zip leaves out. The proxy serves
# those modules only at pseudo-versions of commits, which are known here for the
# versions below; other versions >= 1.9 cannot be built from the proxy.
nested_modules_version() { # terraform version
  case "$1" in
    1.11.4) echo v0.0.0-20250409131005-35645b8fca68 ;; # the commit tagged v1.11.4
    *) return 1 ;;
  esac
}

# build_cli CLI VERSION: builds the release as the main module, so its own
# go.mod (replace directives included) and go.sum decide every dependency.
build_cli() {
  local cli="$1" version="$2" module pkg src work bin started rel nested path
  case "$cli" in
    tofu) module=github.com/opentofu/opentofu pkg=./cmd/tofu ;;
    terraform) module=github.com/hashicorp/terraform pkg=. ;;
    *) log "unknown CLI '$cli' (tofu or terraform)"; return 1 ;;
  esac
  bin="$CLI_CACHE_DIR/$cli-$version"
  started=$SECONDS
  log "building $cli v$version from the Go module proxy (minutes: up to about 800 CPU-seconds on an empty Go cache)"
  src="$(go mod download -json "$module@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$src" ] || { log "could not download $module@v$version"; return 1; }
  work="$(mktemp -d)"
  cp -R "$src/." "$work/"
  chmod -R u+w "$work"
  for rel in $(sed -n 's|^replace \([^ ]*\) => \./\([^ ]*\)$|\1=\2|p' "$work/go.mod"); do
    path="${rel#*=}"
    [ -f "$work/$path/go.mod" ] && continue
    nested="$(nested_modules_version "$version")" || {
      log "$cli v$version replaces ${rel%%=*} with ./$path, which its module zip lacks, and the proxy serves that module at no known version for v$version"
      rm -rf "$work"
      return 1
    }
    src="$(go mod download -json "${rel%%=*}@$nested" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [ -d "$src" ] || { log "could not download ${rel%%=*}@$nested"; rm -rf "$work"; return 1; }
    mkdir -p "$work/$path"
    cp -R "$src/." "$work/$path/"
    chmod -R u+w "$work/$path"
  done
  # Go >= 1.26 rejects this setting (post-quantum key exchange can no longer be turned off).
  sed -i '/^godebug tlskyber=0$/d' "$work/go.mod"
  # dev=no makes it report the release version, as the released binary does
  # (Terraform 1.0 has no such variable, and -X then changes nothing).
  # A temporary name of this process's own: two scripts may build the same
  # CLI at once, and each must move a whole binary into place.
  (cd "$work" && CGO_ENABLED=0 nice go build -trimpath -ldflags "-X $module/version.dev=no" -o "$bin.tmp.$$" "$pkg") || {
    rm -rf "$work" "$bin.tmp.$$"
    log "building $cli v$version failed"
    return 1
  }
  mv "$bin.tmp.$$" "$bin"
  rm -rf "$work"
  log "built $cli v$version in $((SECONDS - started))s: $bin ($("$bin" version | head -n1))"
}

# ensure_cli CLI-VERSION: builds it unless cached.
ensure_cli() {
  local cli="${1%-*}" version="${1##*-}"
  [ -x "$CLI_CACHE_DIR/$cli-$version" ] || build_cli "$cli" "$version"
}

# The default pair, or the ones of it named.
default_clis() {
  local cli version
  for cli in "$@"; do
    if [ "$cli" = tofu ]; then version="$TOFU_VERSION"; else version="$TERRAFORM_VERSION"; fi
    if [ ! -x "$CLI_CACHE_DIR/$cli-$version" ]; then
      if [ "${USE_PATH_CLIS:-0}" = 1 ] && link_from_path "$cli" "$CLI_CACHE_DIR/$cli-$version"; then :; else build_cli "$cli" "$version"; fi
    fi
    ln -sf "$CLI_CACHE_DIR/$cli-$version" "$CLI_CACHE_DIR/$cli"
    log "$cli: $CLI_CACHE_DIR/$cli-$version"
  done
}

case "$*" in
  "") default_clis tofu terraform; exit 0 ;;
  tofu | terraform | "tofu terraform" | "terraform tofu") default_clis "$@"; exit 0 ;;
esac

[ "$*" = matrix ] && set -- $CLI_MATRIX
for name in "$@"; do
  ensure_cli "$name"
done
