#!/usr/bin/env bash
# Run each cargo-fuzz target (fuzz/) for a bounded time. Crash inputs land in
# fuzz/artifacts/<target>/; copy each into fuzz/regressions/<target>/ once fixed, so
# tests/inprocess/fuzz_regressions.rs replays it in the normal test suite.
# Usage: scripts/fuzz.sh [-t SECONDS_PER_TARGET] [-s SANITIZER] [TARGET...]
#   defaults: 60 s, address sanitizer, all targets. `-s none` builds without a sanitizer.
# Needs cargo-fuzz (installed on first use); uses RUSTC_BOOTSTRAP=1 because only the stable
# toolchain is assumed and cargo-fuzz passes -Z flags. All targets are built once (release,
# no debug assertions), then each binary runs directly; the corpus grows in fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
sanitizer=address
while getopts "t:s:" opt; do
  case "$opt" in
    t) seconds="$OPTARG" ;;
    s) sanitizer="$OPTARG" ;;
    *) echo "usage: $0 [-t SECONDS] [-s SANITIZER] [TARGET...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(cty_msgpack cty_json api_response har_local_request)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
# -O: release without debug assertions (a faster build and more executions per second).
(cd fuzz && cargo fuzz build -O -s "$sanitizer")
triple="$(rustc -vV | sed -n 's/^host: //p')"
status=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  cp -n fuzz/regressions/"$t"/* "fuzz/corpus/$t/" 2>/dev/null || true
  echo "== $t: ${seconds}s"
  # libFuzzer's last status line (#N DONE ... exec/s) and "Done N runs" give the counts.
  (cd fuzz && "target/$triple/release/$t" "corpus/$t" -artifact_prefix="artifacts/$t/" \
    -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 2>&1) \
    | grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs|stat::number_of_executed_units|SUMMARY|ERROR|panicked|Test unit written" || true
  if ls "fuzz/artifacts/$t"/crash-* "fuzz/artifacts/$t"/oom-* "fuzz/artifacts/$t"/timeout-* >/dev/null 2>&1; then
    echo "!! $t: failing inputs in fuzz/artifacts/$t/" >&2
    status=1
  fi
done
exit "$status"
