# Shared shell helpers for the project's scripts (sourced, not run).
CLI_CACHE_DIR="${CLI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-live/clis}"
export CLI_CACHE_DIR

step() { printf '\n==> %s\n' "$*" >&2; }

ensure_clis() {
  if [ ! -x "$CLI_CACHE_DIR/tofu" ] || [ ! -x "$CLI_CACHE_DIR/terraform" ]; then
    scripts/install-clis.sh
  fi
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

# Environment for terraform-plugin-testing under the given CLI.
acc_env() { # tofu|terraform
  clean_cli_env
  export TF_ACC_TERRAFORM_PATH="$CLI_CACHE_DIR/$1"
  export TF_ACC_CLI="$1"
  if [ "$1" = tofu ]; then
    export TF_ACC_PROVIDER_HOST=registry.opentofu.org
    export TF_ACC_PROVIDER_NAMESPACE=hashicorp
  else
    unset TF_ACC_PROVIDER_HOST TF_ACC_PROVIDER_NAMESPACE
  fi
}
