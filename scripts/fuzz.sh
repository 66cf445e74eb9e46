#!/usr/bin/env bash
# Run each cargo-fuzz target (fuzz/) for a bounded time. Crash inputs land in
# fuzz/artifacts/<target>/; copy each into fuzz/regressions/<target>/ once fixed, so
# tests/fuzz_regressions.rs replays it in the normal test suite.
# Usage: scripts/fuzz.sh [-t SECONDS_PER_TARGET] [TARGET...]   (default 60 s, all targets)
# Needs cargo-fuzz (installed on first use); uses RUSTC_BOOTSTRAP=1 for the stable toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
while getopts "t:" opt; do
  case "$opt" in
    t) seconds="$OPTARG" ;;
    *) echo "usage: $0 [-t SECONDS] [TARGET...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(cty_msgpack cty_json api_response har_local_request)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  cp -n fuzz/regressions/"$t"/* "fuzz/corpus/$t/" 2>/dev/null || true
  echo "== $t: ${seconds}s"
  (cd fuzz && cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$seconds" -max_len=4096 2>&1) \
    | grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs|SUMMARY|ERROR|panicked|Test unit written" || true
  if ls "fuzz/artifacts/$t"/crash-* >/dev/null 2>&1; then
    echo "!! $t: crash inputs in fuzz/artifacts/$t/" >&2
  fi
done
