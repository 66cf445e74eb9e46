#!/usr/bin/env bash
# Release packaging: ./scripts/package.sh VERSION
#
# Builds the provider for this machine's platform (linux_amd64 here; honours CARGO_TARGET_DIR)
# and writes, under dist/VERSION/:
#   terraform-provider-har_VERSION_<os>_<arch>.zip   the binary as terraform-provider-har_vVERSION
#   terraform-provider-har_VERSION_manifest.json     protocol versions, as the Registry expects
#   terraform-provider-har_VERSION_SHA256SUMS        sha256 of the zips and the manifest
#   mirror/registry.terraform.io/tfhar/har/          the zip plus index.json and VERSION.json
#                                                    (h1: and zh: hashes): usable as a
#                                                    filesystem_mirror directory as it is, or
#                                                    served over HTTPS as a network_mirror
#                                                    (Terraform only talks HTTPS to a network
#                                                    mirror)
# and prints the package's h1: hash, the one `terraform init` records in .terraform.lock.hcl.
#
# Publishing to a registry: upload the zip(s), the manifest, SHA256SUMS and a detached GPG
# signature of SHA256SUMS (gpg --detach-sign, giving ..._SHA256SUMS.sig) to a release, and
# register the signing key's public half with the registry. This script holds no keys.
# TFHAR_DIST_DIR replaces dist/ as the output root; TFHAR_PROVIDER_BINARY packages that binary
# instead of building a release one (tests/acceptance/package.rs uses both).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/tools.sh
source "$root/scripts/lib/tools.sh"

version="${1:-}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] \
  || die "usage: $0 VERSION (semantic version such as 0.1.0)"
command -v zip >/dev/null 2>&1 || die "zip is needed"

platform="$(terraform_platform)"
name="terraform-provider-har"
out="${TFHAR_DIST_DIR:-$root/dist}/$version"
rm -rf "$out"
mkdir -p "$out/stage" "$out/mirror/registry.terraform.io/tfhar/har"

binary="${TFHAR_PROVIDER_BINARY:-}"
if [ -z "$binary" ]; then
  printf '==> cargo build --release --bin %s\n' "$name" >&2
  (cd "$root" && cargo build --release --bin "$name")
  binary="$target_dir/release/$name"
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
print("The package's hash, as terraform init records it in .terraform.lock.hcl:")
print(h1)
PY

cat <<EOF
packaged $name $version for $platform in $out:
  the zip, the manifest and SHA256SUMS are a registry release (sign SHA256SUMS first);
  mirror/ is a filesystem_mirror directory, or a network mirror once served over HTTPS.
EOF
