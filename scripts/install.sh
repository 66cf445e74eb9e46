#!/usr/bin/env bash
# Installs terraform-provider-har for the current user, from this checkout:
#
#   ./scripts/install.sh              build the release binaries, then install them
#   ./scripts/install.sh --no-build   install the release binaries already built
#
# 1. cargo build --release (into CARGO_TARGET_DIR when set, else target/; the first build
#    takes several minutes, and cargo shows its progress)
# 2. the provider goes into Terraform's implied local mirror,
#      ~/.terraform.d/plugins/registry.terraform.io/tfhar/har/VERSION/OS_ARCH/
#    so that `terraform init` of any configuration requiring source = "tfhar/har" finds it,
#    with no CLI configuration (if your ~/.terraformrc has a provider_installation block,
#    add that directory to it as a filesystem_mirror: see README, "Install")
# 3. har-local (and the package's other command-line tools) go into ~/.local/bin
#
# Options:
#   --no-build      do not build; install what is in $CARGO_TARGET_DIR/release (or target/release)
#   --bin-dir DIR   where the command-line tools go (default ~/.local/bin)
#   -h, --help      this text
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/tools.sh
source "$root/scripts/lib/tools.sh"

build=1
bin_dir="$HOME/.local/bin"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --bin-dir) [ $# -ge 2 ] || die "--bin-dir needs a directory"; bin_dir="$2"; shift ;;
    -h|--help) usage_of "$0"; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done

provider="terraform-provider-har"
# The command-line tools of the package, each installed when this checkout builds it.
tools=(har-local tfhar)
release="$target_dir/release"

if [ "$build" = 1 ]; then
  command -v cargo >/dev/null 2>&1 || die "cargo is needed: install Rust with rustup (https://rustup.rs)"
  printf '==> cargo build --release (the first build takes several minutes)\n'
  (cd "$root" && cargo build --release --bins)
fi
[ -x "$release/$provider" ] || die "$release/$provider is missing: run without --no-build"

version="$(package_version)"
mirror="$HOME/.terraform.d/plugins/registry.terraform.io/tfhar/har/$version/$(terraform_platform)"
mkdir -p "$mirror"
install -m 0755 "$release/$provider" "$mirror/${provider}_v$version"
printf 'installed tfhar/har %s: %s\n' "$version" "$mirror/${provider}_v$version"

mkdir -p "$bin_dir"
for tool in "${tools[@]}"; do
  [ -x "$release/$tool" ] || continue
  install -m 0755 "$release/$tool" "$bin_dir/$tool"
  printf 'installed %s: %s\n' "$tool" "$bin_dir/$tool"
done
case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) printf 'note: %s is not on your PATH; add it to run har-local by name\n' "$bin_dir" ;;
esac
