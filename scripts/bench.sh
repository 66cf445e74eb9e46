#!/usr/bin/env bash
# The provider benchmark (issue 7). In one run, side by side on this machine:
#   1. terraform apply and plan (with refresh) of N resources through this provider
#      against a release har-local (N/2 har_upstream_proxy + N/2 har_registry, each registry
#      linking one proxy), and of N built-in terraform_data resources carrying the payload our
#      resources keep in state, with the same dependency shape (the floors: no plugin, no API;
#      one with the same state size, one with the same attributes, see "Configurations");
#      ratios to the floors; with --profile, where Terraform's extra time goes (perf);
#   2. the provider's peak resident memory (VmHWM) and CPU time during those runs;
#   3. process start to handshake line with AutoMTLS (median, p90), by scripts/bench-handshake.sh;
#   4. har-local throughput and latency (the har-local helper's `cargo bench --bench
#      har_local_load`, when the branch has it);
#   5. with --scale, per-resource times for N = 100, 1000, 5000 (the 5000 round alone takes
#      about 70 min here: Terraform's own cost per resource grows with N);
#   6. the API calls each command makes, per resource (counted by har-local on
#      /_har-local/stats), and the provider's apply and plan against a distant API
#      (har-local --latency-ms), judged against the floor plus the latency bound;
#   7. with --callgrind, the provider's instructions per resource during a plan (exact);
#   8. charts of the above as SVG (docs/perf/*.svg), shown in docs/performance.md.
# The results go to stdout and to the "Provider benchmark (scripts/bench.sh)" section of
# docs/performance.md, with the machine, the terraform version and the command.
#
# The provider is installed from a filesystem mirror with `terraform init` and started by
# terraform through the real go-plugin handshake with AutoMTLS (no debug/reattach mode), so
# it measures what users get. Runs are interleaved (the order rotating each round) and
# reported as medians: the machine is noisy, so compare ratios measured in the same run.
# Nothing reaches the network: terraform_data is built in, the provider comes from the
# mirror, and har-local listens on loopback.
#
# Usage: scripts/bench.sh [-n N] [-r R] [-w W] [-p P] [--scale] [--sizes "100 1000 5000"]
#                         [--handshake-runs K] [--no-build] [--no-write] [--no-local-bench]
#                         [--no-handshake] [--no-attrs-floor] [--attrs-floor-max N] [--profile]
#                         [--latency "0 50"] [--latency-rounds R] [--callgrind]
#                         [--add-runs FILE] [--keep]
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/bench.sh [options]
  -n N                resources per run (default 1000: N/2 proxies + N/2 registries)
  -r R                measured rounds per size; medians are reported (default 3)
  -w W                unmeasured warm-up rounds per size (default 1)
  -p P                terraform -parallelism for every run (default 10, terraform's default)
  --scale             also run N = 100, 1000, 5000 (see --sizes) and report per-resource times
  --sizes "A B C"     the sizes of --scale (default "100 1000 5000:1"); SIZE:R runs R counted
                      rounds of that size instead of -r (a 5000 round takes about 45 min here)
  --handshake-runs K  handshake samples for scripts/bench-handshake.sh (default 200)
  --no-build          use the binaries already in target/release (or $CARGO_TARGET_DIR/release)
  --no-write          print the results but leave docs/performance.md alone
  --no-local-bench    skip `cargo bench --bench har_local_load`
  --no-handshake      skip scripts/bench-handshake.sh
  --no-attrs-floor    skip the second floor (same attributes, twice the state); see below
  --attrs-floor-max N run the second floor only for sizes up to N (default 1000: at 5000 its
                      twice-as-large state would add about 40 min to a run)
  --profile           after the rounds of size N, profile one floor and one provider plan
                      with perf and report where Terraform's extra time goes (needs perf)
  --latency "A B"     API latencies (ms) for the distant-API runs of the provider at size N
                      (default "10 50 100"; "" skips them); 0 is the loopback runs themselves
  --latency-rounds R  counted rounds per latency (default 1)
  --callgrind         after the rounds of each size, one more provider plan under valgrind's
                      callgrind: the provider's instructions per resource (needs valgrind)
  --add-runs FILE     also report the rows of an earlier run's raw results (runs.tsv, kept by
                      --keep), e.g. a long N = 5000 round made apart; the report names them
  --keep              keep the temporary directory (configs, logs, raw results)
  -h, --help          this text
EOF
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi

die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
note() { printf 'bench: %s\n' "$*" >&2; }

n=1000
rounds=3
warmup=1
parallelism=10
scale=0
scale_sizes="100 1000 5000:1"
attrs_floor_max=1000
handshake_runs=200
build=1
write=1
local_bench=1
handshake=1
attrs_floor=1
profile=0
keep=0
latencies="10 50 100"
latency_rounds=1
callgrind=0
add_runs=""
command_line="scripts/bench.sh"
for arg in "$@"; do
  if [[ "$arg" =~ ^[A-Za-z0-9_./=-]+$ ]]; then command_line+=" $arg"; else command_line+=" \"$arg\""; fi
done

while [ $# -gt 0 ]; do
  case "$1" in
    -n) n="${2:?-n needs a number}"; shift 2 ;;
    -r) rounds="${2:?-r needs a number}"; shift 2 ;;
    -w) warmup="${2:?-w needs a number}"; shift 2 ;;
    -p) parallelism="${2:?-p needs a number}"; shift 2 ;;
    --scale) scale=1; shift ;;
    --sizes) scale_sizes="${2:?--sizes needs a list}"; shift 2 ;;
    --handshake-runs) handshake_runs="${2:?--handshake-runs needs a number}"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-write) write=0; shift ;;
    --no-local-bench) local_bench=0; shift ;;
    --no-handshake) handshake=0; shift ;;
    --no-attrs-floor) attrs_floor=0; shift ;;
    --profile) profile=1; shift ;;
    --attrs-floor-max) attrs_floor_max="${2:?--attrs-floor-max needs a number}"; shift 2 ;;
    --keep) keep=1; shift ;;
    --latency) latencies="${2?--latency needs a list (or \"\")}"; shift 2 ;;
    --latency-rounds) latency_rounds="${2:?--latency-rounds needs a number}"; shift 2 ;;
    --callgrind) callgrind=1; shift ;;
    --add-runs) add_runs="${2:?--add-runs needs a file}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
read -ra scale_specs <<<"$scale_sizes"
declare -A size_rounds=()
scale_list=()
for spec in "${scale_specs[@]}"; do
  [[ "$spec" =~ ^([0-9]+)(:([0-9]+))?$ ]] || die "not a size or SIZE:ROUNDS: $spec"
  scale_list+=("${BASH_REMATCH[1]}")
  [ -n "${BASH_REMATCH[3]}" ] && size_rounds[${BASH_REMATCH[1]}]="${BASH_REMATCH[3]}"
done
read -ra latency_list <<<"$latencies"
[ -z "$add_runs" ] || [ -r "$add_runs" ] || die "--add-runs: cannot read $add_runs"
[ "$callgrind" = 0 ] || command -v valgrind >/dev/null 2>&1 || die "--callgrind needs valgrind on PATH"
command -v curl >/dev/null 2>&1 || die "curl is needed (it reads har-local's call counts)"
for v in "$n" "$rounds" "$warmup" "$parallelism" "$handshake_runs" "$attrs_floor_max" "$latency_rounds" "${scale_list[@]}" "${latency_list[@]}"; do
  [[ "$v" =~ ^[0-9]+$ ]] || die "not a whole number: $v"
done
[ "$n" -ge 2 ] || die "-n must be at least 2 (one proxy and one registry)"
[ "$rounds" -ge 1 ] || die "-r must be at least 1"

command -v terraform >/dev/null 2>&1 || die "terraform is needed on PATH"
command -v rustc >/dev/null 2>&1 || die "rustc is needed (it builds scripts/bench/benchtool.rs)"

# ---------------------------------------------------------------------------------------------
# Environment: terraform quiet, offline, and using the real handshake with AutoMTLS.
work="$(mktemp -d "${TMPDIR:-/tmp}/har-bench.XXXXXX")"
har_pid=""
watch_pid=""
cmd_pid=""
cleanup() {
  local rc=$?
  # `timeout` passes the signal on to terraform, which stops its provider.
  if [ -n "$cmd_pid" ]; then
    kill "$cmd_pid" 2>/dev/null || true
    wait "$cmd_pid" 2>/dev/null || true
  fi
  if [ -n "$watch_pid" ]; then kill "$watch_pid" 2>/dev/null || true; fi
  if [ -n "$har_pid" ]; then
    kill "$har_pid" 2>/dev/null || true
    wait "$har_pid" 2>/dev/null || true
  fi
  if [ "$keep" = 1 ]; then
    note "kept $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
: >"$TF_CLI_CONFIG_FILE" # written below; exists now so terraform does not warn about it
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
unset TF_LOG TF_LOG_PATH TF_LOG_CORE TF_LOG_PROVIDER TF_REATTACH_PROVIDERS TF_DISABLE_PLUGIN_TLS \
  TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_CLI_ARGS TF_CLI_ARGS_plan TF_CLI_ARGS_apply \
  TF_CLI_ARGS_destroy TF_CLI_ARGS_init RUST_LOG

tf_platform="$(terraform version -json | sed -n 's/.*"platform": *"\([^"]*\)".*/\1/p')"
tf_version="$(terraform version -json | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')"
[ -n "$tf_platform" ] || die "cannot read terraform's platform from 'terraform version -json'"
version="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' Cargo.toml | head -n 1)"
[ -n "$version" ] || die "cannot read the package version from Cargo.toml"

# ---------------------------------------------------------------------------------------------
# Binaries. The commit is read before they are built: the tree may change during a long run.
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
if [ "$build" = 1 ]; then
  note "cargo build --release --bins"
  timeout 3600 cargo build --release --bins >&2
fi
release_dir="${CARGO_TARGET_DIR:-$root/target}/release"
case "$release_dir" in /*) ;; *) release_dir="$root/$release_dir" ;; esac
provider_bin="$release_dir/terraform-provider-har"
har_local_bin="$release_dir/har-local"
[ -x "$provider_bin" ] || die "$provider_bin is missing (run without --no-build)"
[ -x "$har_local_bin" ] || die "$har_local_bin is missing (run without --no-build)"

benchtool="$work/benchtool"
rustc -O --edition 2021 -o "$benchtool" "$root/scripts/bench/benchtool.rs" \
  || die "cannot compile scripts/bench/benchtool.rs"

# The provider as users get it: from a mirror, through `terraform init`, with a lock file.
mirror="$work/mirror"
mkdir -p "$mirror/registry.terraform.io/tfhar/har/$version/$tf_platform"
cp "$provider_bin" "$mirror/registry.terraform.io/tfhar/har/$version/$tf_platform/terraform-provider-har_v$version"
cat >"$TF_CLI_CONFIG_FILE" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/tfhar/har"]
  }
}
EOF

# ---------------------------------------------------------------------------------------------
# har-local, release build, loopback, free port, and a fresh SQLite file each time it starts:
# every apply round starts from an empty server and an empty state (a destroy between rounds
# would cost as much as the apply and measure nothing reported here).
har_key="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
har_account="bench"
har_starts=0
export HARNESS_ACCOUNT_ID="$har_account"
export HARNESS_PLATFORM_API_KEY="$har_key"
unset HARNESS_ORG_ID HARNESS_PROJECT_ID

stop_har_local() {
  if [ -n "$har_pid" ]; then
    kill "$har_pid" 2>/dev/null || true
    wait "$har_pid" 2>/dev/null || true
    har_pid=""
  fi
}

start_har_local() { # [extra har-local arguments, e.g. --latency-ms 50]
  stop_har_local
  rm -f "$work"/har-local-*.db*
  har_starts=$((har_starts + 1))
  local out="$work/har-local-$har_starts.out" line="" i
  "$har_local_bin" --listen 127.0.0.1:0 --db "$work/har-local-$har_starts.db" \
    --api-key "$har_key" --account "$har_account" "$@" >"$out" 2>>"$work/har-local.err" &
  har_pid=$!
  har_addr=""
  for ((i = 0; i < 200; i++)); do
    if line="$(head -n 1 "$out" 2>/dev/null)" && [ -n "$line" ]; then
      har_addr="${line#har-local listening on http://}"
      break
    fi
    kill -0 "$har_pid" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$har_addr" ] || die "har-local did not start: $(tail -n 5 "$work/har-local.err" 2>/dev/null)"
  export HARNESS_ENDPOINT="http://$har_addr/gateway"
}

# The calls har-local answered since the last reading, as its JSON, and zero from here on.
take_calls() {
  curl -fsS -X DELETE "http://$har_addr/_har-local/stats" 2>/dev/null || echo '{"total":0,"calls":{}}'
}
calls_total() { sed -n 's/.*"total":\([0-9]*\).*/\1/p' "$1"; }

# ---------------------------------------------------------------------------------------------
# Configurations. Two floors, because terraform_data cannot hold our payload both at the same
# size and with the same structure:
#   floor     "same bytes": instance i carries, in `triggers_replace`, the JSON of the attributes
#             instance i of the provider run keeps in state (the configured strings and what the
#             API adds: id, uuid, created_at, url) as one string. terraform_data stores
#             `triggers_replace` once (`input` it stores twice, as input and output) and a string
#             has no type tree, so both state files come out about the same size. Terraform's
#             apply cost grows with the state's size, so this floor is like for like on bytes.
#             It is also the stricter floor: one string attribute is less work for Terraform
#             than our 19 or 20 attributes (decoding, walking, validating them on every call).
#   floorobj  "same attributes": the same values as an object, so Terraform walks the same 19-20
#             attributes per instance; a dynamic value is stored with its type tree, so its
#             state is about twice ours.
# All three use `count`, registry i referring to proxy i, so the dependency shape is the same.
# (One block per resource instead makes Terraform's own graph work quadratic: 58 s of
# terraform CPU before the floor's first create at N = 1000.)
proxies_of() { echo $(( ($1 + 1) / 2 )); }

write_provider_config() { # dir n
  local dir="$1" total="$2" proxies
  proxies="$(proxies_of "$total")"
  mkdir -p "$dir"
  cat >"$dir/main.tf" <<EOF
terraform {
  required_providers {
    har = {
      source  = "tfhar/har"
      version = "$version"
    }
  }
}

provider "har" {}

resource "har_upstream_proxy" "p" {
  count        = $proxies
  identifier   = format("bench-proxy-%05d", count.index)
  package_type = "DOCKER"
  source       = "Custom"
  url          = format("https://mirror-%05d.registry.example.com", count.index)
  auth_type    = "Anonymous"
  description  = format("benchmark upstream proxy number %05d", count.index)
  labels       = ["bench", "proxy"]
}

resource "har_registry" "r" {
  count            = $((total - proxies))
  identifier       = format("bench-registry-%05d", count.index)
  package_type     = "DOCKER"
  description      = format("benchmark virtual registry number %05d", count.index)
  labels           = ["bench", "registry"]
  upstream_proxies = [har_upstream_proxy.p[count.index].identifier]
}
EOF
}

write_floor_config() { # dir n string|object
  local dir="$1" total="$2" form="$3" proxies open close ref
  proxies="$(proxies_of "$total")"
  if [ "$form" = string ]; then
    open="jsonencode({" close="})" ref="jsondecode(terraform_data.p[count.index].triggers_replace).identifier"
  else
    open="{" close="}" ref="terraform_data.p[count.index].triggers_replace.identifier"
  fi
  mkdir -p "$dir"
  cat >"$dir/main.tf" <<EOF
resource "terraform_data" "p" {
  count = $proxies
  triggers_replace = $open
    access_key_secret_key = null
    auth_type             = "Anonymous"
    created_at            = format("2026-11-27T00:%02d:%02dZ", count.index % 60, count.index % 60)
    description           = format("benchmark upstream proxy number %05d", count.index)
    firewall_mode         = null
    id                    = format("bench/bench-proxy-%05d", count.index)
    identifier            = format("bench-proxy-%05d", count.index)
    is_public             = null
    labels                = ["bench", "proxy"]
    metadata              = null
    metadata_cache_ttl    = null
    negative_cache_ttl    = null
    org_id                = null
    package_type          = "DOCKER"
    project_id            = null
    remote_url_suffix     = null
    source                = "Custom"
    url                   = format("https://mirror-%05d.registry.example.com", count.index)
    user_password         = null
    uuid                  = format("6f1c2a9e-0000-4000-8000-0000000%05d", count.index)
  $close
}

resource "terraform_data" "r" {
  count = $((total - proxies))
  triggers_replace = $open
    allowed_pattern  = null
    blocked_pattern  = null
    cleanup_policy   = null
    created_at       = format("2026-11-27T01:%02d:%02dZ", count.index % 60, count.index % 60)
    debian_config    = null
    description      = format("benchmark virtual registry number %05d", count.index)
    id               = format("bench/bench-registry-%05d", count.index)
    identifier       = format("bench-registry-%05d", count.index)
    is_public        = null
    labels           = ["bench", "registry"]
    metadata         = null
    org_id           = null
    package_type     = "DOCKER"
    policy_refs      = null
    project_id       = null
    scanners         = null
    upstream_proxies = [$ref]
    url              = format("http://pkg.har-local.test/bench/bench-registry-%05d", count.index)
    uuid             = format("7a2d3b8f-0000-4000-8000-0000000%05d", count.index)
  $close
}
EOF
}

# ---------------------------------------------------------------------------------------------
# Timing. One record per run in $work/runs.tsv:
#   size kind(floor|floorobj|har|har-l<ms>) op(apply|plan|plannew|destroy) round wall_s user_s
#   sys_s prov_hwm_kb prov_cpu_s prov_procs rc har_local_cpu_s calls
# calls: the API calls har-local answered during the command (provider runs only; the whole
# answer, by route, is kept in $work/calls/).
# wall from $EPOCHREALTIME; user/sys from the shell's `times` (CPU of reaped children: timeout,
# terraform and the provider processes terraform reaps). The command runs in the background
# and is waited for, so a signal to this script stops it at once (see cleanup). The benchtool
# watcher runs beside terraform, not as its parent, and is reaped after the second reading
# (its CPU is not counted); it runs for floor runs too, so both sides bear its cost.
# har-local is not terraform's child: its CPU is read from /proc/<pid>/stat around provider runs.
clk_tck="$(getconf CLK_TCK 2>/dev/null || echo 100)"
har_local_ticks() { # utime+stime of har-local so far, in clock ticks (0 if not running)
  if [ -n "$har_pid" ] && [ -r "/proc/$har_pid/stat" ]; then
    sed 's/^.*) //' "/proc/$har_pid/stat" | awk '{ print $12 + $13 }'
  else
    echo 0
  fi
}
runs="$work/runs.tsv"
: >"$runs"

# Seconds per terraform command, by size: at N = 5000 Terraform alone spends about 10 min
# planning (it renders its graph to a string after every build step, logged or not).
op_timeout() { echo $(( 600 + $1 )); }

children_cpu() { # "user sys" (seconds) of this shell's reaped children so far
  # `times` must run in this shell, not in a command substitution's subshell.
  times >"$work/times"
  awk 'NR == 2 {
    for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); v[i] = p[1] * 60 + p[2] }
    printf "%.3f %.3f\n", v[1], v[2] }' "$work/times"
}

timed() { # size kind op round dir -- terraform args...
  local size="$1" kind="$2" op="$3" round="$4" dir="$5"
  shift 6
  local log="$work/log/$kind-$size-$op-$round.log" stop="$work/stop.$$" watch_out="$work/watch.$$"
  local rc=0 u0 s0 u1 s1 t0 t1 hl0 hl1
  mkdir -p "$work/log"
  rm -f "$stop" "$watch_out"
  "$benchtool" watch --exe-prefix "$work" --stop "$stop" --out "$watch_out" \
    --interval-ms 20 --max-seconds "$(op_timeout "$size")" &
  watch_pid=$!
  children_cpu >"$work/cpu0"
  read -r u0 s0 <"$work/cpu0"
  hl0="$(har_local_ticks)"
  [[ "$kind" == har* ]] && take_calls >/dev/null
  t0=$EPOCHREALTIME
  timeout "$(op_timeout "$size")" terraform -chdir="$dir" "$@" >"$log" 2>&1 &
  cmd_pid=$!
  wait "$cmd_pid" || rc=$?
  t1=$EPOCHREALTIME
  hl1="$(har_local_ticks)"
  cmd_pid=""
  children_cpu >"$work/cpu1"
  read -r u1 s1 <"$work/cpu1"
  touch "$stop"
  wait "$watch_pid" || true
  watch_pid=""
  local wall user sys hwm=0 ticks=0 procs=0
  read -r wall user sys < <(awk -v t0="$t0" -v t1="$t1" -v u0="$u0" -v u1="$u1" -v s0="$s0" -v s1="$s1" \
    'BEGIN { printf "%.3f %.3f %.3f\n", t1 - t0, u1 - u0, s1 - s0 }')
  if [ -s "$watch_out" ]; then
    read -r hwm ticks procs < <(awk '{ if ($2 > m) m = $2; t += $3; p++ } END { print m + 0, t + 0, p + 0 }' "$watch_out")
  fi
  local hl_cpu=0 calls=0
  if [[ "$kind" == har* ]]; then
    hl_cpu="$(awk -v a="$hl0" -v b="$hl1" -v h="$clk_tck" 'BEGIN { printf "%.3f", (b - a) / h }')"
    mkdir -p "$work/calls"
    take_calls >"$work/calls/$kind-$size-$op-$round.json"
    calls="$(calls_total "$work/calls/$kind-$size-$op-$round.json")"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$kind" "$op" "$round" \
    "$wall" "$user" "$sys" "$hwm" "$(awk -v t="$ticks" -v h="$clk_tck" 'BEGIN { printf "%.3f", t / h }')" \
    "$procs" "$rc" "$hl_cpu" "${calls:-0}" >>"$runs"
  printf '  %-8s %-5s n=%-5s round %s: %6ss wall, %6ss cpu' "$kind" "$op" "$size" "$round" \
    "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" >&2
  if [[ "$kind" == har* ]]; then
    printf ', %s calls' "$calls" >&2
    printf ', provider %s MiB peak, %ss cpu, %s process(es); har-local %ss cpu' \
      "$(awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }')" \
      "$(awk -v t="$ticks" -v h="$clk_tck" 'BEGIN { printf "%.2f", t / h }')" "$procs" "$hl_cpu" >&2
  fi
  printf '\n' >&2
  return "$rc"
}

# A run that failed (or a plan that found changes after apply) is recorded and reported, and
# the script exits non-zero at the end; the numbers of a broken run are not compared.
failures=()
fail() { failures+=("$*"); note "FAILED: $*"; }

last_log() { tail -n 15 "$work/log/$1.log" 2>/dev/null | sed 's/^/    /' >&2 || true; }

# ---------------------------------------------------------------------------------------------
# --profile: one more plan of each kind of size N under `perf record`, after its rounds, with
# Terraform's functions named by scripts/bench/gosym.py (its release binaries are stripped).
# Reported: the share of samples per process, and the functions with the most extra samples in
# terraform for the provider's plan compared with the floor's (same bytes).
profile_out=""
profile_note=""
profile_plans() { # size
  local size="$1" kind tf_bin
  if ! command -v perf >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
    profile_note="not profiled: --profile needs perf and python3 on PATH"
    return 0
  fi
  tf_bin="$(command -v terraform)"
  for kind in floor har; do
    note "size $size: profiling a $kind plan (perf record)"
    if ! perf record -F 999 -g -o "$work/perf-$kind.data" -- \
        terraform -chdir="$work/$kind-$size" plan -input=false -no-color -parallelism="$parallelism" \
        >"$work/log/$kind-$size-profile.log" 2>&1; then
      profile_note="perf record failed: $(tail -n 2 "$work/log/$kind-$size-profile.log" | tr '\n' ' ')"
      return 0
    fi
    if ! perf report -i "$work/perf-$kind.data" --sort comm --stdio -g none 2>/dev/null \
        | awk '/^ *[0-9.]+%/ { print }' >"$work/prof-$kind-comm.txt" \
      || ! perf script -i "$work/perf-$kind.data" -F comm,ip,dso 2>/dev/null \
        | python3 "$root/scripts/bench/gosym.py" "$tf_bin" terraform >"$work/prof-$kind.txt"; then
      profile_note="reading the $kind profile failed (perf report, perf script or gosym.py)"
      return 0
    fi
  done
  profile_out="$(
    echo "samples by process, provider plan (tokio-rt-worker is the provider):"
    sed 's/^/  /' "$work/prof-har-comm.txt"
    echo "samples by process, floor plan:"
    sed 's/^/  /' "$work/prof-floor-comm.txt"
    echo
    echo "terraform's functions, inclusive samples, provider plan (A) against floor plan (B):"
    python3 "$root/scripts/bench/gosym.py" --diff "$work/prof-har.txt" "$work/prof-floor.txt" 40
  )" || profile_note="gosym.py --diff failed"
}

run_size() { # n
  local size="$1" r rc kind k dir size_r="${size_rounds[$1]:-$rounds}" obj=0
  [ "$attrs_floor" = 1 ] && [ "$1" -le "$attrs_floor_max" ] && obj=1
  local tf_common=(-input=false -no-color "-parallelism=$parallelism")
  note "size $size: writing configurations"
  write_floor_config "$work/floor-$size" "$size" string
  [ "$obj" = 1 ] && write_floor_config "$work/floorobj-$size" "$size" object
  write_provider_config "$work/har-$size" "$size"
  if ! timeout 300 terraform -chdir="$work/har-$size" init -input=false -no-color >"$work/init-$size.log" 2>&1; then
    tail -n 20 "$work/init-$size.log" >&2
    fail "terraform init (provider from the filesystem mirror) failed for n=$size"
    return 0
  fi
  local kinds=(floor har)
  [ "$obj" = 1 ] && kinds=(floor floorobj har)
  for ((r = 1 - warmup; r <= size_r; r++)); do
    note "size $size: round $r of $size_r$( [ "$r" -le 0 ] && echo ' (warm-up, not counted)')"
    # Rotate the order each round, so no kind always runs first (or right after a given one).
    local order=()
    for ((k = 0; k < ${#kinds[@]}; k++)); do
      order+=("${kinds[$(( (k + r + warmup) % ${#kinds[@]} ))]}")
    done
    for kind in "${kinds[@]}"; do rm -f "$work/$kind-$size"/terraform.tfstate*; done
    start_har_local
    if [ "$size" = "$n" ] && [ "$r" = 1 ]; then
      # The calls of a plan of the new configuration (the plan-time checks), once.
      rc=0
      timed "$size" har plannew "$r" "$work/har-$size" -- plan -detailed-exitcode "${tf_common[@]}" || rc=$?
      [ "$rc" = 2 ] || { last_log "har-$size-plannew-$r"; fail "har plan of the new configuration n=$size (exit $rc, want 2)"; }
    fi
    for kind in "${order[@]}"; do
      timed "$size" "$kind" apply "$r" "$work/$kind-$size" -- apply -auto-approve "${tf_common[@]}" \
        || { last_log "$kind-$size-apply-$r"; fail "$kind apply n=$size round $r"; return 0; }
    done
    for kind in "${order[@]}"; do
      rc=0
      timed "$size" "$kind" plan "$r" "$work/$kind-$size" -- plan -detailed-exitcode "${tf_common[@]}" || rc=$?
      case "$rc" in
        0) ;;
        2) last_log "$kind-$size-plan-$r"; fail "$kind plan after apply is not empty n=$size round $r" ;;
        *) last_log "$kind-$size-plan-$r"; fail "$kind plan n=$size round $r (exit $rc)"; return 0 ;;
      esac
    done
    for kind in "${kinds[@]}"; do
      dir="$work/$kind-$size"
      state_bytes[$kind-$size]="$(wc -c <"$dir/terraform.tfstate")"
    done
  done
  if [ "$profile" = 1 ] && [ "$size" = "$n" ]; then profile_plans "$size"; fi
  if [ "$callgrind" = 1 ]; then callgrind_plan "$size"; fi
  if [ "$size" = "$n" ]; then
    timed "$size" har destroy "$size_r" "$work/har-$size" -- destroy -auto-approve "${tf_common[@]}" \
      || { last_log "har-$size-destroy-$size_r"; fail "har destroy n=$size"; }
  fi
}

# --callgrind: one more no-change plan of the provider, each provider process under callgrind
# (scripts/bench/callgrind-plan.sh): instructions are exact, so N = 1000 and N = 5000 compare
# to the instruction even on a busy machine.
declare -A cg_instr=() cg_procs=()
callgrind_plan() { # size
  local size="$1" out
  note "size $size: a provider plan under callgrind"
  if out="$("$root/scripts/bench/callgrind-plan.sh" "$provider_bin" "$work/har-$size" "$work/callgrind-$size" \
      "-parallelism=$parallelism" 2>>"$work/callgrind.err")"; then
    read -r _ cg_instr[$size] _ cg_procs[$size] <<<"$out"
    note "size $size: $out"
  else
    fail "callgrind plan n=$size (see $work/callgrind.err)"
  fi
}

# The distant API: the provider's apply and no-change plan of size N against a har-local that
# holds every answer back `ms` milliseconds. Terraform's own work does not change with the
# API's latency, so the floor of these runs is the loopback floor measured above.
run_latency() { # ms
  local ms="$1" r rc kind="har-l$1" dir="$work/har-$n"
  for ((r = 1; r <= latency_rounds; r++)); do
    note "size $n: latency $ms ms, round $r of $latency_rounds"
    rm -f "$dir"/terraform.tfstate*
    start_har_local --latency-ms "$ms"
    timed "$n" "$kind" apply "$r" "$dir" -- apply -auto-approve -input=false -no-color "-parallelism=$parallelism" \
      || { last_log "$kind-$n-apply-$r"; fail "$kind apply n=$n round $r"; return 0; }
    rc=0
    timed "$n" "$kind" plan "$r" "$dir" -- plan -detailed-exitcode -input=false -no-color "-parallelism=$parallelism" || rc=$?
    [ "$rc" = 0 ] || { last_log "$kind-$n-plan-$r"; fail "$kind plan n=$n round $r (exit $rc)"; }
  done
  stop_har_local
}

# median of column COL over counted rounds (round >= 1) of size/kind/op; empty if none.
stat_of() { # size kind op col [median|min|max]
  awk -F'\t' -v s="$1" -v k="$2" -v o="$3" -v c="$4" -v what="${5:-median}" '
    $1 == s && $2 == k && $3 == o && $4 >= 1 && ($11 == 0 || (o == "plannew" && $11 == 2)) { v[n++] = $c + 0 }
    END {
      if (n == 0) exit
      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      if (what == "min") print v[0]
      else if (what == "max") print v[n - 1]
      else if (n % 2) print v[(n - 1) / 2]
      else print (v[n / 2 - 1] + v[n / 2]) / 2
    }' "$runs"
}

# ---------------------------------------------------------------------------------------------
# Handshake: process start to the handshake line with AutoMTLS. The protocol helper's
# scripts/bench-handshake.sh (`cargo bench --bench handshake`, release profile) measures it;
# it is run as is rather than duplicated here.
handshake_result=""
connect_result=""
handshake_note=""
hs_med=""
hs_p90=""
measure_handshake() {
  if [ "$handshake" = 0 ]; then
    handshake_note="skipped (--no-handshake)"
    return 0
  fi
  if [ ! -x "$root/scripts/bench-handshake.sh" ]; then
    handshake_note="scripts/bench-handshake.sh is not on this branch"
    return 0
  fi
  note "handshake: scripts/bench-handshake.sh $handshake_runs"
  local out
  if ! out="$(timeout 1200 "$root/scripts/bench-handshake.sh" "$handshake_runs" 2>&1)"; then
    handshake_note="scripts/bench-handshake.sh failed: $(printf '%s\n' "$out" | tail -n 3 | tr '\n' ' ')"
    fail "scripts/bench-handshake.sh"
    return 0
  fi
  # "start to handshake line (AutoMTLS, ...), 200 runs: median 1.23 ms, p10 ..., p90 2.34 ms, min ..."
  # then "connect to first RPC (...), 200 runs: median ...".
  handshake_result="$(printf '%s\n' "$out" | grep -m 1 -e '^start to handshake line' -e '^handshake' || true)"
  connect_result="$(printf '%s\n' "$out" | grep -m 1 '^connect to first RPC' || true)"
  hs_med="$(printf '%s\n' "$handshake_result" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')"
  hs_p90="$(printf '%s\n' "$handshake_result" | sed -n 's/.*p90 \([0-9.]*\) ms.*/\1/p')"
  if [ -z "$hs_med" ]; then
    handshake_note="no median in the output of scripts/bench-handshake.sh: $(printf '%s\n' "$out" | tail -n 2 | tr '\n' ' ')"
    handshake_result=""
  fi
}

# ---------------------------------------------------------------------------------------------
# har-local load benchmark (owned by the har-local helper; run as is).
local_bench_out=""
local_bench_note=""
run_local_bench() {
  if [ "$local_bench" = 0 ]; then
    local_bench_note="skipped (--no-local-bench)"
  elif [ ! -f "$root/benches/har_local_load.rs" ]; then
    local_bench_note="not run: benches/har_local_load.rs is not on this branch yet"
  else
    note "cargo bench --bench har_local_load"
    if ! local_bench_out="$(timeout 1200 cargo bench --bench har_local_load 2>&1)"; then
      local_bench_note="cargo bench --bench har_local_load failed (exit status non-zero)"
      fail "cargo bench --bench har_local_load"
    fi
    local_bench_out="$(printf '%s\n' "$local_bench_out" | grep -v -e '^ *Compiling ' -e '^ *Finished ' -e '^ *Running ' | tail -n 25)"
  fi
}

# ---------------------------------------------------------------------------------------------
# Run.
started_at="$(date -u '+%Y-%m-%d %H:%M UTC')"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
t_start=$SECONDS
sizes=("$n")
if [ "$scale" = 1 ]; then
  mapfile -t sizes < <(printf '%s\n' "$n" "${scale_list[@]}" | awk '!seen[$0]++')
fi
declare -A size_seconds=()
declare -A state_bytes=()
for size in "${sizes[@]}"; do
  t0=$SECONDS
  run_size "$size"
  size_seconds[$size]=$((SECONDS - t0))
  note "size $size took ${size_seconds[$size]} s"
done
t0=$SECONDS
for ms in "${latency_list[@]}"; do
  [ "$ms" = 0 ] || run_latency "$ms"
done
latency_seconds=$((SECONDS - t0))
if [ -n "$add_runs" ]; then
  # Rows of an earlier run: sizes this run did not measure only (a size is compared within
  # one run). Rows without a calls column get 0.
  added_sizes="$(awk -F'\t' 'NR == FNR { have[$1] = 1; next } !($1 in have) { print $1 }' "$runs" "$add_runs" | sort -un | tr '\n' ' ')"
  awk -F'\t' -v OFS='\t' 'NR == FNR { have[$1] = 1; next } !($1 in have) { if (NF < 13) $13 = 0; print }' \
    "$runs" "$add_runs" >"$work/added.tsv"
  cat "$work/added.tsv" >>"$runs"
  for s in $added_sizes; do sizes+=("$s"); size_seconds[$s]="earlier run"; done
fi
measure_handshake
run_local_bench
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
elapsed=$((SECONDS - t_start))

# ---------------------------------------------------------------------------------------------
# Report.
fmt_s() { [ -n "$1" ] && awk -v v="$1" 'BEGIN { printf "%.2f s", v }' || printf 'n/a'; }
fmt_ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "n/a" }' || printf 'n/a'; }
fmt_range() { [ -n "$1" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f–%.2f", a, b }' || printf ''; }
fmt_mib() { [ -n "$1" ] && [ "$1" != 0 ] && awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }' || printf 'n/a'; }
per_res_ms() { [ -n "$1" ] && awk -v v="$1" -v n="$2" 'BEGIN { printf "%.2f", v * 1000 / n }' || printf 'n/a'; }
cpu_of() { # size kind op -> median user+sys
  awk -F'\t' -v s="$1" -v k="$2" -v o="$3" '$1 == s && $2 == k && $3 == o && $4 >= 1 && $11 == 0 { print $6 + $7 }' "$runs" \
    | sort -n | awk '{ v[n++] = $1 } END { if (n) print (n % 2) ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2 }'
}
goal_of() { case "$1" in apply) echo "≤ 1.10x" ;; plan) echo "≤ 1.25x" ;; *) echo "—" ;; esac; }
op_label() { case "$1" in apply) echo "apply (create $n)" ;; plan) echo "plan with refresh (no changes)" ;; esac; }

# "GET /registry/{ref} 1000, POST /registry 1000" from a saved /_har-local/stats answer.
calls_by_route() { # file
  [ -s "$1" ] || { printf 'n/a'; return; }
  sed -n 's/.*"calls":{\(.*\)}}$/\1/p' "$1" | tr ',' '\n' | sed -n 's/^"\(.*\)":\([0-9]*\)$/\1 \2/p' \
    | paste -sd ',' | sed 's/,/, /g'
}
per_res() { [ -n "$1" ] && awk -v v="$1" -v n="$2" 'BEGIN { printf "%.3f", v / n }' || printf 'n/a'; }
# The latency bound of a command: its calls × latency ÷ parallelism (seconds), i.e. the calls
# in a row per resource × N × latency ÷ parallelism.
bound_s() { awk -v c="$1" -v ms="$2" -v p="$parallelism" 'BEGIN { printf "%.3f", c * ms / 1000 / p }'; }
call_target() {
  case "$1" in
    plannew) echo "≤ T + ⌈M'/100⌉ list calls (T = 8 searches, then one shared listing)" ;;
    apply) echo "≤ N + 2·(T + ⌈M'/100⌉): the POSTs, plus the plan-time checks of two walks" ;;
    plan) echo "N: one GET per resource (its refresh)" ;;
    destroy) echo "2N: the refresh GET and the DELETE of each" ;;
  esac
}
op_name() {
  case "$1" in
    plannew) echo "plan of the new configuration" ;;
    apply) echo "apply (create)" ;;
    plan) echo "plan with nothing changed (refresh)" ;;
    destroy) echo "destroy (with its refresh)" ;;
  esac
}

cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
mem_total="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
os_name="$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null || true)"

report="$work/report.md"
have_obj() { [ "$attrs_floor" = 1 ]; }
kind_cell() { # size kind op -> "median s (min–max)"
  local v
  v="$(stat_of "$1" "$2" "$3" 5)"
  if [ -n "$v" ]; then
    printf '%s (%s)' "$(fmt_s "$v")" "$(fmt_range "$(stat_of "$1" "$2" "$3" 5 min)" "$(stat_of "$1" "$2" "$3" 5 max)")"
  else
    printf 'n/a'
  fi
}
{
  echo "## Provider benchmark (scripts/bench.sh)"
  echo
  echo "Written by \`scripts/bench.sh\`; rerun it to refresh this section. It compares this provider"
  echo "(release build, installed from a filesystem mirror with \`terraform init\`, started by terraform"
  echo "with the real handshake and AutoMTLS, against a release har-local on loopback with a temporary"
  echo "SQLite file) with the floor: the same number of built-in \`terraform_data\` resources with the"
  echo "same dependency shape (each registry depends on one proxy), carrying in \`triggers_replace\` the"
  echo "attributes our resources keep in state. terraform_data cannot hold that payload both at the"
  echo "same size and with the same structure, so there are two floors:"
  echo
  echo "- **floor, same bytes**: the attributes as one JSON string. Its state file is the size of ours"
  echo "  (last row), which is what Terraform's apply cost follows. It is the stricter floor: Terraform"
  echo "  handles one string attribute per instance, where ours have 19 or 20 (some of them nested)."
  echo "  The goals are judged against this floor."
  echo "- **floor, same attributes**: the same values as an object, so Terraform walks the same"
  echo "  attributes; it stores them with their types, so its state is about twice ours."
  echo
  echo "Runs alternate (the order rotates each round); each figure is the median of the counted rounds"
  echo "(range in brackets). Ratios compare runs of the same invocation only: the machine is shared"
  echo "and noisy."
  echo
  echo "- Command: \`$command_line\` ($rounds counted round(s) after $warmup warm-up round(s) unless --sizes says otherwise, \`-parallelism=$parallelism\`)"
  echo "- Date: $started_at; took ${elapsed} s; load average before/after: $load_before / $load_after"
  echo "- Machine: $(nproc) CPUs ($cpu_model), $mem_total memory, $os_name, Linux $(uname -r)"
  echo "- Terraform $tf_version ($tf_platform); provider $version at commit $commit; $(rustc --version)"
  echo
  echo "### $n resources ($(proxies_of "$n") \`har_upstream_proxy\` + $((n - $(proxies_of "$n"))) \`har_registry\`)"
  echo
  if have_obj; then
    echo "| measurement | floor, same bytes | floor, same attributes | provider (har) | ratio to floor (same bytes) | ratio to floor (same attributes) | goal |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
  else
    echo "| measurement | floor, same bytes | provider (har) | ratio to floor (same bytes) | goal |"
    echo "| --- | --- | --- | --- | --- |"
  fi
  for op in apply plan; do
    f="$(stat_of "$n" floor "$op" 5)"; o="$(stat_of "$n" floorobj "$op" 5)"; h="$(stat_of "$n" har "$op" 5)"
    if have_obj; then
      echo "| $(op_label "$op"), wall time | $(kind_cell "$n" floor "$op") | $(kind_cell "$n" floorobj "$op") | $(kind_cell "$n" har "$op") | **$(fmt_ratio "$h" "$f")** | $(fmt_ratio "$h" "$o") | $(goal_of "$op") |"
    else
      echo "| $(op_label "$op"), wall time | $(kind_cell "$n" floor "$op") | $(kind_cell "$n" har "$op") | **$(fmt_ratio "$h" "$f")** | $(goal_of "$op") |"
    fi
  done
  for op in apply plan; do
    f="$(cpu_of "$n" floor "$op")"; o="$(cpu_of "$n" floorobj "$op")"; h="$(cpu_of "$n" har "$op")"
    p="$(stat_of "$n" har "$op" 9)"; l="$(stat_of "$n" har "$op" 12)"
    if have_obj; then
      echo "| $op, CPU time of terraform + provider (user+sys) | $(fmt_s "$f") | $(fmt_s "$o") | $(fmt_s "$h") (provider processes: $(fmt_s "$p"); har-local, not included: $(fmt_s "$l")) | $(fmt_ratio "$h" "$f") | $(fmt_ratio "$h" "$o") | — |"
    else
      echo "| $op, CPU time of terraform + provider (user+sys) | $(fmt_s "$f") | $(fmt_s "$h") (provider processes: $(fmt_s "$p"); har-local, not included: $(fmt_s "$l")) | $(fmt_ratio "$h" "$f") | — |"
    fi
  done
  plan_rss="$(fmt_mib "$(stat_of "$n" har plan 8 max)") (max over rounds; median $(stat_of "$n" har plan 10) provider process(es) seen per plan, sampled every 20 ms)"
  if have_obj; then
    echo "| provider peak RSS (VmHWM) during plan | — | — | $plan_rss | — | — | ≤ 12 MiB |"
    echo "| provider peak RSS (VmHWM) during apply | — | — | $(fmt_mib "$(stat_of "$n" har apply 8 max)") | — | — | — |"
    echo "| state file after apply (terraform.tfstate) | ${state_bytes[floor-$n]:-?} bytes | ${state_bytes[floorobj-$n]:-?} bytes | ${state_bytes[har-$n]:-?} bytes | — | — | — |"
  else
    echo "| provider peak RSS (VmHWM) during plan | — | $plan_rss | — | ≤ 12 MiB |"
    echo "| provider peak RSS (VmHWM) during apply | — | $(fmt_mib "$(stat_of "$n" har apply 8 max)") | — | — |"
    echo "| state file after apply (terraform.tfstate) | ${state_bytes[floor-$n]:-?} bytes | ${state_bytes[har-$n]:-?} bytes | — | — |"
  fi
  if [ -n "$handshake_result" ]; then
    hs="median $hs_med ms, p90 ${hs_p90:-?} ms"
  else
    hs="not measured: $handshake_note"
  fi
  if have_obj; then
    echo "| process start to handshake line, AutoMTLS ($handshake_runs starts) | — | — | $hs | — | — | median ≤ 3 ms |"
  else
    echo "| process start to handshake line, AutoMTLS ($handshake_runs starts) | — | $hs | — | median ≤ 3 ms |"
  fi
  echo
  if [ -n "$handshake_result" ]; then
    echo "Handshake, from \`scripts/bench-handshake.sh $handshake_runs\` (\`cargo bench --bench handshake\`: spawn to the first"
    echo "stdout line with the magic cookie, the port range and a \`PLUGIN_CLIENT_CERT\`): \`$handshake_result\`"
    [ -n "$connect_result" ] && echo "and from the same bench, TCP connect, TLS 1.3 with Terraform's kind of client certificate and GetProviderSchema: \`$connect_result\`"
    echo
  fi
  echo "Time per size: $(for s in "${sizes[@]}"; do printf '%s: %s s; ' "$s" "${size_seconds[$s]}"; done | sed 's/; $//') (all rounds, including warm-up)."
  echo
  echo "### API calls per resource ($n resources)"
  echo
  echo "Counted by har-local (\`DELETE /_har-local/stats\` after each command), starting from an empty"
  echo "account (M' = 0). Calls are behaviour, so they do not vary between rounds;"
  echo "\`tests/acceptance/api_calls.rs\` asserts them on a small apply."
  echo
  echo "| command | calls | per resource | by route | target |"
  echo "| --- | ---: | ---: | --- | --- |"
  for op in plannew apply plan destroy; do
    c="$(stat_of "$n" har "$op" 13)"
    f="$(ls "$work/calls/har-$n-$op-"*.json 2>/dev/null | head -n 1 || true)"
    echo "| $(op_name "$op") | ${c:-n/a} | $(per_res "$c" "$n") | $(calls_by_route "$f") | $(call_target "$op") |"
  done
  echo
  if [ "${#latency_list[@]}" -gt 0 ]; then
    echo "### Against a distant API (har-local --latency-ms)"
    echo
    echo "The provider's apply and no-change plan of the same $n resources with every API answer held"
    echo "back by the latency (\`har-local --latency-ms L\`; $latency_rounds round(s) each, median),"
    echo "against two references: the floor (same bytes, loopback: Terraform's own work does not"
    echo "depend on the API) and the latency bound, the calls of the command × L ÷ parallelism"
    echo "($parallelism), i.e. calls in a row per resource × N × L ÷ parallelism. Goal: within 1.2x of"
    echo "floor + bound."
    echo
    echo "| latency | command | provider wall | calls | latency bound | floor | floor + bound | ratio | goal |"
    echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    for ms in 0 "${latency_list[@]}"; do
      [ "$ms" = 0 ] && k=har || k="har-l$ms"
      [ "$ms" = 0 ] && [ "$k" = har ] && [ -z "$(stat_of "$n" har apply 5)" ] && continue
      for op in apply plan; do
        w="$(stat_of "$n" "$k" "$op" 5)"; c="$(stat_of "$n" "$k" "$op" 13)"; f="$(stat_of "$n" floor "$op" 5)"
        [ -n "$w" ] || continue
        b="$(bound_s "${c:-0}" "$ms")"
        fb="$(awk -v a="${f:-0}" -v b="$b" 'BEGIN { printf "%.3f", a + b }')"
        echo "| $ms ms | $(op_name "$op") | $(fmt_s "$w") | $c | $(fmt_s "$b") | $(fmt_s "$f") | $(fmt_s "$fb") | **$(fmt_ratio "$w" "$fb")** | ≤ 1.20x |"
      done
    done
    echo
    [ "$write" = 1 ] && echo "![Wall time against API latency](perf/latency.svg)" && echo
    echo "Time for the latency runs: ${latency_seconds} s."
    echo
  fi
  if [ "$profile" = 1 ]; then
    echo "### Where the time goes (--profile)"
    echo
    if [ -n "$profile_out" ]; then
      echo "\`perf record -F 999 -g\` of one more plan of each, $n resources; Terraform's functions named by"
      echo "\`scripts/bench/gosym.py\` from the binary's .gopclntab."
      echo
      echo '```'
      printf '%s\n' "$profile_out"
      echo '```'
    else
      echo "${profile_note:-not profiled}"
    fi
    echo
  fi
  echo "### har-local throughput and latency"
  echo
  if [ -n "$local_bench_out" ]; then
    echo "\`cargo bench --bench har_local_load\` (the har-local helper's benchmark; its own section of this file explains it):"
    echo
    echo '```'
    printf '%s\n' "$local_bench_out"
    echo '```'
  else
    echo "$local_bench_note"
  fi
  echo
  if [ "$scale" = 1 ]; then
    echo "### Scaling (scripts/bench.sh --scale)"
    echo
    echo "Per-resource wall time (median total ÷ N) in milliseconds, and per-resource CPU time of the"
    echo "provider processes and of har-local. Flat columns mean linear cost. Terraform's own apply is"
    echo "not linear: after each resource change it writes the whole state again, so the floors'"
    echo "per-resource apply time grows with N as well; read the ratios, and the provider's CPU, for"
    echo "the provider's share."
    echo "Command: \`$command_line\`, $started_at."
    echo
    if have_obj; then
      echo "| N | apply: floor same bytes | floor same attrs | har | ratio (bytes) | ratio (attrs) | plan: floor same bytes | floor same attrs | har | ratio (bytes) | ratio (attrs) | provider CPU per resource, apply / plan | har-local CPU per resource, apply / plan | har peak RSS (plan) | time for this N |"
      echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    else
      echo "| N | apply: floor same bytes | har | ratio | plan: floor same bytes | har | ratio | provider CPU per resource, apply / plan | har-local CPU per resource, apply / plan | har peak RSS (plan) | time for this N |"
      echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    fi
    for s in $(printf '%s\n' "${sizes[@]}" | sort -n); do
      fa="$(stat_of "$s" floor apply 5)"; oa="$(stat_of "$s" floorobj apply 5)"; ha="$(stat_of "$s" har apply 5)"
      fp="$(stat_of "$s" floor plan 5)"; op_="$(stat_of "$s" floorobj plan 5)"; hp="$(stat_of "$s" har plan 5)"
      pc="$(per_res_ms "$(stat_of "$s" har apply 9)" "$s") / $(per_res_ms "$(stat_of "$s" har plan 9)" "$s") ms"
      lc="$(per_res_ms "$(stat_of "$s" har apply 12)" "$s") / $(per_res_ms "$(stat_of "$s" har plan 12)" "$s") ms"
      tail_cells="$pc | $lc | $(fmt_mib "$(stat_of "$s" har plan 8 max)") | ${size_seconds[$s]} s |"
      if have_obj; then
        echo "| $s | $(per_res_ms "$fa" "$s") | $(per_res_ms "$oa" "$s") | $(per_res_ms "$ha" "$s") | $(fmt_ratio "$ha" "$fa") | $(fmt_ratio "$ha" "$oa") | $(per_res_ms "$fp" "$s") | $(per_res_ms "$op_" "$s") | $(per_res_ms "$hp" "$s") | $(fmt_ratio "$hp" "$fp") | $(fmt_ratio "$hp" "$op_") | $tail_cells"
      else
        echo "| $s | $(per_res_ms "$fa" "$s") | $(per_res_ms "$ha" "$s") | $(fmt_ratio "$ha" "$fa") | $(per_res_ms "$fp" "$s") | $(per_res_ms "$hp" "$s") | $(fmt_ratio "$hp" "$fp") | $tail_cells"
      fi
    done
    echo
    [ -n "$add_runs" ] && echo "Sizes $added_sizes: rows of an earlier run (\`--add-runs\`), their own command and commit in the text below." && echo
    if [ "${#cg_instr[@]}" -gt 0 ]; then
      echo "Provider instructions per resource during a no-change plan (\`--callgrind\`, every provider"
      echo "process of the plan under valgrind's callgrind; exact, unlike CPU time):"
      prev_s="" prev_i=""
      for s in $(printf '%s\n' "${!cg_instr[@]}" | sort -n); do
        marginal=""
        [ -n "$prev_s" ] && marginal="; from N = $prev_s to $s, $(awk -v a="$prev_i" -v b="${cg_instr[$s]}" -v m="$prev_s" -v n="$s" 'BEGIN { printf "%.0f", (b - a) / (n - m) }') per added resource"
        echo "- N = $s: ${cg_instr[$s]} instructions in ${cg_procs[$s]} processes, $(awk -v i="${cg_instr[$s]}" -v n="$s" 'BEGIN { printf "%.0f", i / n }') per resource$marginal"
        prev_s="$s" prev_i="${cg_instr[$s]}"
      done
      echo
      echo "Per added resource is the figure to compare: the per-resource quotient also spreads the"
      echo "fixed cost of starting the processes (handshake, schema, TLS, root certificates)."
      echo
    fi
    [ "$write" = 1 ] && echo "![Milliseconds per resource against N](perf/scaling.svg)" && echo
  fi
  if [ "${#failures[@]}" -gt 0 ]; then
    echo "### Failures in this run"
    echo
    for f in "${failures[@]}"; do echo "- $f"; done
    echo
  fi
} >"$report"

# Scaling results survive a run without --scale: keep the existing subsection.
heading="## Provider benchmark (scripts/bench.sh)"
doc="$root/docs/performance.md"
if [ "$scale" = 0 ] && [ -f "$doc" ]; then
  awk -v h="$heading" '
    $0 == h { in_section = 1; next }
    in_section && /^## / { in_section = 0 }
    in_section && /^### Scaling/ { keep = 1 }
    in_section && keep && /^### / && !/^### Scaling/ { keep = 0 }
    in_section && keep { print }' "$doc" >>"$report"
fi

echo
cat "$report"
echo "Raw runs (size kind op round wall user sys prov_hwm_kb prov_cpu_s prov_procs rc har_local_cpu_s calls):"
cat "$runs"

# Charts, drawn from this run's own results.
draw_charts() {
  mkdir -p "$root/docs/perf"
  local s k op
  if [ "$scale" = 1 ]; then
    : >"$work/scaling.tsv"
    for s in $(printf '%s\n' "${sizes[@]}" | sort -n); do
      for op in apply plan; do
        for k in floor har; do
          v="$(stat_of "$s" "$k" "$op" 5)"
          [ -n "$v" ] && printf '%s, %s\t%s\t%s\n' "$([ "$k" = har ] && echo provider || echo floor)" "$op" "$s" "$(per_res_ms "$v" "$s")" >>"$work/scaling.tsv"
        done
      done
    done
    "$benchtool" chart --data "$work/scaling.tsv" --out "$root/docs/perf/scaling.svg" --log-x 1 --log-y 1 \
      --title "Wall time per resource against N ($started_at)" \
      --x-label "N (resources)" --y-label "ms per resource" || fail "drawing docs/perf/scaling.svg"
  fi
  if [ "${#latency_list[@]}" -gt 0 ]; then
    : >"$work/latency.tsv"
    for ms in 0 "${latency_list[@]}"; do
      [ "$ms" = 0 ] && k=har || k="har-l$ms"
      for op in apply plan; do
        w="$(stat_of "$n" "$k" "$op" 5)"; c="$(stat_of "$n" "$k" "$op" 13)"; f="$(stat_of "$n" floor "$op" 5)"
        [ -n "$w" ] || continue
        printf 'provider, %s\t%s\t%s\n' "$op" "$ms" "$w" >>"$work/latency.tsv"
        [ -n "$f" ] && printf 'floor + bound, %s\t%s\t%s\n' "$op" "$ms" \
          "$(awk -v a="$f" -v b="$(bound_s "${c:-0}" "$ms")" 'BEGIN { printf "%.3f", a + b }')" >>"$work/latency.tsv"
      done
    done
    "$benchtool" chart --data "$work/latency.tsv" --out "$root/docs/perf/latency.svg" \
      --title "$n resources: wall time against API latency ($started_at)" \
      --x-label "API latency (ms per call)" --y-label "seconds" || fail "drawing docs/perf/latency.svg"
  fi
}

if [ "$write" = 1 ]; then
  draw_charts
  mkdir -p "$root/docs"
  if [ -f "$doc" ] && grep -qxF "$heading" "$doc"; then
    awk -v h="$heading" -v r="$report" '
      $0 == h { while ((getline line < r) > 0) print line; skip = 1; next }
      skip && /^## / { skip = 0 }
      !skip { print }' "$doc" >"$work/performance.md"
    cp "$work/performance.md" "$doc"
  elif [ -f "$doc" ]; then
    { printf '\n'; cat "$report"; } >>"$doc"
  else
    cp "$report" "$doc"
  fi
  note "wrote the results to docs/performance.md"
fi

if [ "${#failures[@]}" -gt 0 ]; then
  note "${#failures[@]} failure(s): ${failures[*]}"
  exit 1
fi
