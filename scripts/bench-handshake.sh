#!/usr/bin/env bash
# Process start to handshake line of terraform-provider-har with AutoMTLS, in the release
# profile. Goal: median <= 3 ms. Usage: scripts/bench-handshake.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_RUNS="${1:-200}" cargo bench --bench handshake
