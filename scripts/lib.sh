# Shared shell helpers for the project's scripts (sourced, not run).
CLI_CACHE_DIR="${CLI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-live/clis}"
export CLI_CACHE_DIR
# The default pair: `tofu` and `terraform` in $CLI_CACHE_DIR, used by every
# stage but the matrix.
TOFU_VERSION="${TOFU_VERSION:-1.12.6}"
TERRAFORM_VERSION="${TERRAFORM_VERSION:-1.5.7}"
# The CLIs of `make testacc-matrix` (<cli>-<version>): the oldest and the newest
# buildable release of each CLI the README claims, and the default pair.
# Terraform 1.11.4 is the newest whose nested modules the Go proxy serves.
CLI_MATRIX="${CLI_MATRIX:-tofu-1.6.3 tofu-1.12.6 terraform-1.0.11 terraform-1.5.7 terraform-1.8.5 terraform-1.11.4}"

step() { printf '\n==> %s\n' "$*" >&2; }

# ensure_clis [tofu|terraform]...: the default CLIs named (both when none),
# built on first use; a script builds only the CLIs it runs.
ensure_clis() {
  local cli missing=()
  for cli in "${@:-tofu terraform}"; do
    for cli in $cli; do
      [ -x "$CLI_CACHE_DIR/$cli" ] || missing+=("$cli")
    done
  done
  [ ${#missing[@]} -eq 0 ] || scripts/install-clis.sh "${missing[@]}"
}

# A CLI configuration file of our own: the machine's TF_CLI_CONFIG_FILE may
# name a missing file, which makes OpenTofu print a warning that breaks
# terraform-plugin-testing's version parsing.
clean_cli_env() {
  local cfg="${TMPDIR:-/tmp}/terraform-provider-live-cli.tfrc"
  [ -f "$cfg" ] || : > "$cfg"
  export TF_CLI_CONFIG_FILE="$cfg"
  export CHECKPOINT_DISABLE=1
  # Never let the credentials-go default chain reach for ECS instance metadata.
  export ALIBABA_CLOUD_ECS_METADATA_DISABLED=true
}

# Environment for terraform-plugin-testing under the given CLI: tofu or
# terraform (the default pair), or one of the matrix, such as tofu-1.6.3.
acc_env() { # tofu|terraform|<cli>-<version>
  clean_cli_env
  export TF_ACC_TERRAFORM_PATH="$CLI_CACHE_DIR/$1"
  export TF_ACC_CLI="${1%%-*}"
  if [ "$TF_ACC_CLI" = tofu ]; then
    export TF_ACC_PROVIDER_HOST=registry.opentofu.org
    export TF_ACC_PROVIDER_NAMESPACE=hashicorp
  else
    unset TF_ACC_PROVIDER_HOST TF_ACC_PROVIDER_NAMESPACE
  fi
}

# Go-based tools (tfplugindocs, golangci-lint, goreleaser), pinned and cached
# outside the clone like the CLIs: $TOOLS_CACHE_DIR/NAME-VERSION, linked as NAME.
TOOLS_CACHE_DIR="${TOOLS_CACHE_DIR:-$(dirname "$CLI_CACHE_DIR")/tools}"
export TOOLS_CACHE_DIR
TFPLUGINDOCS_VERSION="${TFPLUGINDOCS_VERSION:-v0.25.0}"
GOLANGCI_LINT_VERSION="${GOLANGCI_LINT_VERSION:-v2.15.0}"
GORELEASER_VERSION="${GORELEASER_VERSION:-v2.15.1}"

# ensure_go_tool NAME MODULE/CMD VERSION: prints the path of the cached binary,
# building it with `go install` (which leaves go.mod alone) on first use.
ensure_go_tool() {
  local name="$1" pkg="$2" version="$3" bin work
  bin="$TOOLS_CACHE_DIR/$name-$version"
  if [ ! -x "$bin" ]; then
    step "installing $name $version into $TOOLS_CACHE_DIR (go install, once)"
    mkdir -p "$TOOLS_CACHE_DIR"
    work="$(mktemp -d)"
    # Run outside the module, so go.mod and go.sum are never touched.
    # Explicit returns: callers run this in $(...), where set -e does not reach.
    (cd "$work" && CGO_ENABLED=0 GOBIN="$work/bin" go install -trimpath "$pkg@$version") >&2 &&
      mv "$work/bin/$name" "$bin" || { rm -rf "$work"; echo "could not install $pkg@$version" >&2; return 1; }
    rm -rf "$work"
  fi
  ln -sf "$bin" "$TOOLS_CACHE_DIR/$name" || return 1
  printf '%s\n' "$bin"
}

tfplugindocs_bin() { ensure_go_tool tfplugindocs github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs "$TFPLUGINDOCS_VERSION"; }
golangci_lint_bin() { ensure_go_tool golangci-lint github.com/golangci/golangci-lint/v2/cmd/golangci-lint "$GOLANGCI_LINT_VERSION"; }
goreleaser_bin() { ensure_go_tool goreleaser github.com/goreleaser/goreleaser/v2 "$GORELEASER_VERSION"; }
OPA_VERSION="${OPA_VERSION:-v1.22.2}"
opa_bin() { ensure_go_tool opa github.com/open-policy-agent/opa "$OPA_VERSION"; }
ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-v1.7.12}"
actionlint_bin() { ensure_go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION"; }
