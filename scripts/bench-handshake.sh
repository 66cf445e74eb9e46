#!/usr/bin/env bash
# terraform-provider-har with AutoMTLS and a P-521 CA client certificate like Terraform's,
# in the release profile: process start to handshake line (goal: median <= 3 ms), and
# connect to first RPC (TLS handshake with the client certificate + GetProviderSchema).
# Usage: scripts/bench-handshake.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_RUNS="${1:-200}" cargo bench --bench handshake
