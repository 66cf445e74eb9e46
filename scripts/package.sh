#!/usr/bin/env bash
# Release packaging: ./scripts/package.sh VERSION
#
# Builds the provider for this machine's platform (linux_amd64 here) and writes, under
# dist/VERSION/:
#   terraform-provider-har_VERSION_<os>_<arch>.zip   the binary as terraform-provider-har_vVERSION
#   terraform-provider-har_VERSION_manifest.json     protocol versions, as the Registry expects
#   terraform-provider-har_VERSION_SHA256SUMS        sha256 of the zips and the manifest
#   mirror/registry.terraform.io/tfhar/har/          a provider network mirror (index.json,
#                                                    VERSION.json with h1: and zh: hashes)
# TFHAR_DIST_DIR replaces dist/ as the output root; TFHAR_PROVIDER_BINARY packages that binary
# instead of building a release one (tests/acceptance/package.rs uses both).
# Sign SHA256SUMS with your release key (gpg --detach-sign) before publishing to a registry;
# this script does not hold keys.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/tools.sh
source "$root/scripts/lib/tools.sh"

version="${1:-}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] \
  || die "usage: $0 VERSION (semantic version such as 0.1.0)"
command -v zip >/dev/null 2>&1 || die "zip is needed"

case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) die "unsupported architecture $(uname -m)" ;;
esac
platform="$(uname -s | tr '[:upper:]' '[:lower:]')_$arch"
name="terraform-provider-har"
out="${TFHAR_DIST_DIR:-$root/dist}/$version"
rm -rf "$out"
mkdir -p "$out/stage" "$out/mirror/registry.terraform.io/tfhar/har"

binary="${TFHAR_PROVIDER_BINARY:-}"
if [ -z "$binary" ]; then
  (cd "$root" && cargo build --release --quiet --bin "$name")
  binary="$root/target/release/$name"
fi
install -m 0755 "$binary" "$out/stage/${name}_v$version"
zipfile="${name}_${version}_${platform}.zip"
(cd "$out/stage" && zip -q -X "$out/$zipfile" "${name}_v$version")
rm -rf "$out/stage"

printf '{\n  "version": 1,\n  "metadata": {\n    "protocol_versions": ["6.0"]\n  }\n}\n' \
  >"$out/${name}_${version}_manifest.json"
(cd "$out" && sha256sum "$zipfile" "${name}_${version}_manifest.json" >"${name}_${version}_SHA256SUMS")

# The network mirror protocol's JSON, with Terraform's two hash schemes: zh: is the zip's
# sha256; h1: is Go's dirhash over the zip's contents (sha256 of the sorted
# "<sha256>  <name>\n" lines, base64).
python3 - "$out/$zipfile" "$version" "$platform" "$out/mirror/registry.terraform.io/tfhar/har" <<'PY'
import base64, hashlib, json, os, sys, zipfile
path, version, platform, mirror = sys.argv[1:]
with open(path, "rb") as f:
    zh = "zh:" + hashlib.sha256(f.read()).hexdigest()
with zipfile.ZipFile(path) as z:
    lines = "".join(
        f"{hashlib.sha256(z.read(n)).hexdigest()}  {n}\n" for n in sorted(z.namelist())
    )
h1 = "h1:" + base64.b64encode(hashlib.sha256(lines.encode()).digest()).decode()
name = os.path.basename(path)
os.link(path, os.path.join(mirror, name))
with open(os.path.join(mirror, "index.json"), "w") as f:
    json.dump({"versions": {version: {}}}, f, indent=2)
with open(os.path.join(mirror, f"{version}.json"), "w") as f:
    json.dump({"archives": {platform: {"url": name, "hashes": [h1, zh]}}}, f, indent=2)
print(h1)
PY

echo "packaged $name $version for $platform in $out"
