#!/usr/bin/env bash
# Counts the instructions the provider executes during one `terraform plan`, exactly
# (valgrind's callgrind repeats to the instruction; CPU time on a shared 2-core machine does
# not). Terraform starts the provider through a dev_overrides directory whose
# `terraform-provider-har` is a wrapper that runs the real binary under callgrind, so every
# provider process of the plan is counted (Terraform starts 3 or 4 per command).
#
# Usage: scripts/bench/callgrind-plan.sh PROVIDER_BIN TF_DIR OUT_DIR [terraform plan args...]
#   TF_DIR   a working directory with a configuration and state (e.g. one `scripts/bench.sh
#            --keep` left, with its har-local started again on the same database and
#            HARNESS_ENDPOINT/HARNESS_PLATFORM_API_KEY/HARNESS_ACCOUNT_ID set to it)
#   OUT_DIR  gets one callgrind.out.<pid> per provider process and plan.log
# Prints: `instructions <total Ir> processes <count>`; exits non-zero if the plan failed.
set -euo pipefail
provider_bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
tf_dir="$2"
out_dir="$3"
shift 3
command -v valgrind >/dev/null 2>&1 || { echo "callgrind-plan: valgrind is needed" >&2; exit 1; }
mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"
rm -f "$out_dir"/callgrind.out.*
wrap="$out_dir/override"
mkdir -p "$wrap"
cat >"$wrap/terraform-provider-har" <<WRAP
#!/bin/sh
exec valgrind --tool=callgrind --callgrind-out-file="$out_dir/callgrind.out.%p" --log-file="$out_dir/valgrind.%p.log" "$provider_bin" "\$@"
WRAP
chmod +x "$wrap/terraform-provider-har"
cat >"$out_dir/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/tfhar/har" = "$wrap"
  }
  direct {}
}
CFG
rc=0
TF_CLI_CONFIG_FILE="$out_dir/cli.tfrc" CHECKPOINT_DISABLE=1 \
  terraform -chdir="$tf_dir" plan -input=false -no-color -detailed-exitcode "$@" >"$out_dir/plan.log" 2>&1 || rc=$?
if [ "$rc" != 0 ] && [ "$rc" != 2 ]; then
  tail -n 20 "$out_dir/plan.log" >&2
  exit "$rc"
fi
# Each file ends with `totals: <Ir>` (or `summary: <Ir>`), the process's whole count.
awk '/^(totals|summary):/ { t[FILENAME] = $2 } END { for (f in t) { s += t[f]; n++ } printf "instructions %.0f processes %d\n", s, n }' \
  "$out_dir"/callgrind.out.*
