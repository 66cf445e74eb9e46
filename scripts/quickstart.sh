#!/usr/bin/env bash
# The quickstart: shows the provider doing its job, offline, with no Harness account.
#
#   1. builds the release binaries (the first build takes several minutes; cargo shows
#      its progress) and installs them with scripts/install.sh: the provider into
#      Terraform's implied local mirror (~/.terraform.d/plugins), so a plain
#      `terraform init` finds tfhar/har anywhere, and har-local into ~/.local/bin
#   2. starts har-local on a free port with a temporary database
#   3. init + apply examples/quickstart (apply prints the outputs)
#   4. shows that the next plan has no changes
#   5. changes a registry behind Terraform's back and shows the plan that detects it
#   6. destroys everything, stops the server and says what to do next
#
# It cleans up after itself even when a step fails, and leaves nothing running.
# --fresh-home runs everything under a temporary HOME (the test command uses it to prove the
# mirror install and `terraform init` from scratch). CARGO_TARGET_DIR is honoured.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/tools.sh
source "$root/scripts/lib/tools.sh"

fresh_home=0
for arg in "$@"; do
  case "$arg" in
    --fresh-home) fresh_home=1 ;;
    -h|--help) usage_of "$0"; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

ensure_terraform
command -v curl >/dev/null 2>&1 || die "curl is needed"
command -v jq >/dev/null 2>&1 || die "jq is needed"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  if [ "$status" -ne 0 ]; then
    printf '\nquickstart failed (exit %s); the server was stopped and temporary files removed\n' "$status" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$fresh_home" = 1 ]; then
  # Keep the Rust toolchain where it is while HOME moves.
  export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
  export HOME="$work/home"
  mkdir -p "$HOME"
fi

# No CLI configuration of the user's may redirect provider installation here; an empty one
# leaves Terraform its implied local mirror directories.
export TF_CLI_CONFIG_FILE="$work/terraformrc"
: >"$TF_CLI_CONFIG_FILE"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

say "Building and installing with scripts/install.sh"
"$root/scripts/install.sh"

say "Starting har-local with a temporary database"
api_key="quickstart-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
"$target_dir/release/har-local" --listen 127.0.0.1:0 --db "$work/har-local.db" \
  --api-key "$api_key" --account quickstart >"$work/har-local.out" 2>"$work/har-local.log" &
server_pid=$!
addr=""
for _ in $(seq 1 100); do
  addr="$(sed -n 's/^har-local listening on //p' "$work/har-local.out" | head -n 1)"
  [ -n "$addr" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/har-local.log" >&2; die "har-local exited"; }
  sleep 0.05
done
[ -n "$addr" ] || die "har-local did not start"
echo "har-local is listening on $addr"

export HARNESS_ENDPOINT="$addr/gateway" HARNESS_ACCOUNT_ID=quickstart HARNESS_PLATFORM_API_KEY="$api_key"
cp -r "$root/examples/quickstart" "$work/config"
cd "$work/config"

say "terraform init"
terraform init -input=false -no-color

say "terraform apply"
terraform apply -input=false -no-color -auto-approve

say "A second plan has nothing to do"
terraform plan -input=false -no-color -detailed-exitcode

say "Changing docker-main's description behind Terraform's back"
ref_url="$HARNESS_ENDPOINT/har/api/v1/registry/quickstart/docker-main/+"
curl -fsS -H "x-api-key: $api_key" "$ref_url" \
  | jq '.data | {identifier, packageType, description: "changed by hand", labels,
                 allowedPattern, blockedPattern, isPublic, config}' \
  | curl -fsS -o /dev/null -X PUT -H "x-api-key: $api_key" -H 'content-type: application/json' \
      --data-binary @- "$ref_url"

say "The plan detects it (exit code 2 = changes)"
set +e
terraform plan -input=false -no-color -detailed-exitcode
plan_status=$?
set -e
[ "$plan_status" -eq 2 ] || die "expected the plan to find the change (exit 2), got exit $plan_status"

say "terraform destroy"
terraform destroy -input=false -no-color -auto-approve

say "Done: everything was created, checked for drift and destroyed; the server is stopped"
cat <<EOF

Next steps:
  * The provider stays installed (tfhar/har $(package_version) in ~/.terraform.d/plugins): any
    configuration with  har = { source = "tfhar/har" }  finds it with a plain terraform init.
  * Start har-local yourself (it is in ~/.local/bin) and point the provider at it:
      har-local --listen 127.0.0.1:8080 --db har-local.db --api-key dev-key --account dev
      export HARNESS_ENDPOINT=http://127.0.0.1:8080/gateway HARNESS_ACCOUNT_ID=dev
      export HARNESS_PLATFORM_API_KEY=dev-key
    then terraform init and apply in a copy of examples/quickstart.
  * Against Harness: unset HARNESS_ENDPOINT; set HARNESS_ACCOUNT_ID and
    HARNESS_PLATFORM_API_KEY to your account and an API key.
  * Module tests and drift checks in CI: docs/guides/.
EOF
if [ "$fresh_home" = 1 ]; then
  echo "(--fresh-home: this run's HOME was temporary; ./scripts/install.sh installs for real)"
fi
