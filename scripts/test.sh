#!/usr/bin/env bash
# The test command (README; .ci/run calls it). Installs what a fresh machine may lack, then
# checks formatting and lints and runs every test: unit, protocol, har-local contract,
# acceptance with the real terraform, the schemathesis run and the quickstart.
# Exits non-zero on the first failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/lib/tools.sh
source "$root/scripts/lib/tools.sh"

step() { printf '\n==> %s\n' "$*" >&2; }

step "tools"
ensure_rust_components
ensure_terraform
ensure_legacy_terraform   # exports TFHAR_TERRAFORM_1_0
export CHECKPOINT_DISABLE=1

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --all-targets -- -D warnings

step "cargo test (unit, protocol, har-local contract, acceptance)"
cargo test

step "schemathesis against har-local"
"$root/scripts/schemathesis.sh"

step "quickstart from a fresh HOME"
"$root/scripts/quickstart.sh" --fresh-home

step "all tests passed"
