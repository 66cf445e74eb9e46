#!/usr/bin/env bash
# Property-based API check of har-local against docs/api/har-local.openapi.yaml:
# no 5xx, every status documented, every response matching its schema.
# One worker: with several, hypothesis' concurrent ast.parse trips a CPython 3.11 bug
# ("AST constructor recursion depth mismatch"), a tool error unrelated to har-local.
#
#   scripts/schemathesis.sh            # uses <target>/schemathesis-venv (created if missing)
#   MAX_EXAMPLES=50 scripts/schemathesis.sh
#
# Installs schemathesis from PyPI into a venv under the cargo target directory
# (CARGO_TARGET_DIR, else target/), builds and starts har-local on a
# free loopback port with a temp database, runs schemathesis, stops the server. Exits non-zero
# on any failure.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/lib/tools.sh
source "$root/scripts/lib/tools.sh"   # sets target_dir
cd "$root"
ROOT=$root
VENV=${SCHEMATHESIS_VENV:-$target_dir/schemathesis-venv}
MAX_EXAMPLES=${MAX_EXAMPLES:-20}
API_KEY=schemathesis-key

if [[ ! -x "$VENV/bin/schemathesis" ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet 'schemathesis>=4,<5'
fi
echo "schemathesis: $("$VENV/bin/schemathesis" --version)"

cargo build --quiet --bin har-local
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

mkfifo "$WORK/out"
"$target_dir/debug/har-local" --listen 127.0.0.1:0 --db "$WORK/har-local.db" \
  --api-key "$API_KEY" --account acct >"$WORK/out" 2>"$WORK/stderr" &
SERVER_PID=$!
exec 3<"$WORK/out"
if ! read -r -t 30 LINE <&3; then
  echo "har-local did not start:" >&2; cat "$WORK/stderr" >&2; exit 1
fi
BASE=${LINE#har-local listening on }
echo "har-local at $BASE"

# A few registries so that GET/PUT/DELETE and the list also see existing ones; the last one's
# uuid is what the v3 metadata operations are run against.
for body in \
  '{"identifier":"hub","packageType":"DOCKER","parentRef":"acct","config":{"type":"UPSTREAM","source":"Dockerhub","authType":"Anonymous"}}' \
  '{"identifier":"central","packageType":"MAVEN","parentRef":"acct","config":{"type":"UPSTREAM","source":"MavenCentral","authType":"Anonymous","firewallMode":"ENABLED","metadataCacheTTL":3600,"negativeCacheTTL":60}}' \
  '{"identifier":"deb-main","packageType":"DEBIAN","parentRef":"acct","isPublic":true,"scanners":[{"name":"GRYPE"}],"policyRefs":["p1"],"config":{"type":"VIRTUAL","debianConfig":{"optionalIndexCompressionFormats":[".xz"]}}}' \
  '{"identifier":"docker-main","packageType":"DOCKER","parentRef":"acct/org","config":{"type":"VIRTUAL","upstreamProxies":["hub"]}}'; do
  CREATED=$(curl -sf -H "x-api-key: $API_KEY" -H 'content-type: application/json' \
    -d "$body" "$BASE/api/v1/registry")
done
HAR_UUID=$(printf '%s' "$CREATED" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["uuid"])')
curl -sf -o /dev/null -X POST -H "x-api-key: $API_KEY" -H 'content-type: application/json' \
  -d '{"metadata":[{"key":"scanned","value":"yes","type":"AUTO"}]}' \
  "$BASE/api/v3/registries/$HAR_UUID/metadata"

# A webhook and a lifecycle rule, so that their GET/PUT/DELETE see existing ones too.
curl -sf -o /dev/null -H "x-api-key: $API_KEY" -H 'content-type: application/json' \
  -d '{"identifier":"notify","name":"Notify","url":"https://hooks.example.com/har","enabled":true,"insecure":false,"triggers":["ARTIFACT_CREATION"]}' \
  "$BASE/api/v1/registry/acct/org/docker-main/+/webhooks"
curl -sf -o /dev/null -H "x-api-key: $API_KEY" -H 'content-type: application/json' \
  -d '{"name":"keep","action":"PROTECT","applyTo":{"mode":"ALL_IN_SCOPE"}}' \
  "$BASE/api/v3/lifecycle/rules?account_identifier=acct"

# From the temp dir: schemathesis keeps a `.schemathesis/` cache in its working directory, and
# reads schemathesis.toml from there: the v3 operations run against the registry above.
cd "$WORK"
printf '[parameters]\n"path.uuid" = "%s"\n' "$HAR_UUID" >schemathesis.toml
run() {
  "$VENV/bin/schemathesis" run "$ROOT/docs/api/har-local.openapi.yaml" \
    --header "x-api-key: $API_KEY" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
    --max-examples "$MAX_EXAMPLES" \
    --phases examples,coverage,fuzzing \
    --seed 1 \
    --workers 1 \
    --request-timeout 10 \
    --max-time 90 \
    "$@"
}
# v1 (registries, webhooks) and v3 (metadata, lifecycle rules) live under different bases. v3 first: the v1 run's
# DELETEs may remove the registry the v3 operations are pointed at.
run --url "$BASE/api/v3" --include-tag v3 --report-dir "$WORK/report-v3"
run --url "$BASE/api/v1" --exclude-tag v3 --report-dir "$WORK/report-v1"

if grep -q panicked "$WORK/stderr"; then
  echo "har-local panicked:" >&2; cat "$WORK/stderr" >&2; exit 1
fi
