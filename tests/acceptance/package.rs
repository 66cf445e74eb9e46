//! Release packaging: `scripts/package.sh` for a test version (into a temp dir, packaging the
//! binary cargo built for this test run), then a real `terraform init` installs the provider
//! from the result as a filesystem mirror (the packed layout
//! `HOST/NAMESPACE/TYPE/terraform-provider-TYPE_VERSION_TARGET.zip`, which is also where the
//! network mirror's JSON lives) and records in the lock file the h1: hash package.sh computed.

use std::path::Path;
use std::process::Command;

const VERSION: &str = "0.0.1-test";

fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("{}_{arch}", std::env::consts::OS)
}

fn sha256_hex(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("run sha256sum");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn package_installs_with_terraform_init_and_matching_hash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("temp dir");
    let dist = tmp.path().join("dist");
    let out = Command::new(root.join("scripts/package.sh"))
        .arg(VERSION)
        .env("TFHAR_DIST_DIR", &dist)
        .env(
            "TFHAR_PROVIDER_BINARY",
            env!("CARGO_BIN_EXE_terraform-provider-har"),
        )
        .output()
        .expect("run scripts/package.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "package.sh failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h1 = stdout
        .lines()
        .find(|l| l.starts_with("h1:"))
        .unwrap_or_else(|| panic!("package.sh printed no h1: hash:\n{stdout}"))
        .to_string();

    // The release files: zip, manifest, SHA256SUMS that matches them.
    let platform = platform();
    let dir = dist.join(VERSION);
    let zip = format!("terraform-provider-har_{VERSION}_{platform}.zip");
    let manifest = format!("terraform-provider-har_{VERSION}_manifest.json");
    let sums =
        std::fs::read_to_string(dir.join(format!("terraform-provider-har_{VERSION}_SHA256SUMS")))
            .expect("SHA256SUMS");
    for file in [&zip, &manifest] {
        let line = format!("{}  {file}", sha256_hex(&dir.join(file)));
        assert!(
            sums.lines().any(|l| l == line),
            "{line:?} not in SHA256SUMS:\n{sums}"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(&manifest)).expect("manifest"))
            .expect("manifest is JSON");
    assert_eq!(
        manifest["metadata"]["protocol_versions"],
        serde_json::json!(["6.0"])
    );

    // The network mirror's JSON names the zip and both hashes.
    let mirror = dir.join("mirror");
    let pkg_dir = mirror.join("registry.terraform.io/tfhar/har");
    let index: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(pkg_dir.join("index.json")).expect("index.json"),
    )
    .expect("index.json is JSON");
    assert!(index["versions"].get(VERSION).is_some(), "{index}");
    let archives: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(pkg_dir.join(format!("{VERSION}.json"))).expect("VERSION.json"),
    )
    .expect("VERSION.json is JSON");
    let archive = &archives["archives"][&platform];
    assert_eq!(archive["url"], zip.as_str(), "{archives}");
    let zh = format!("zh:{}", sha256_hex(&pkg_dir.join(&zip)));
    assert_eq!(archive["hashes"], serde_json::json!([h1, zh]), "{archives}");

    // terraform init from the packed filesystem mirror, and nowhere else.
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).expect("work dir");
    let rc = tmp.path().join("terraform.tfrc");
    std::fs::write(
        &rc,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"registry.terraform.io/tfhar/har\"]\n  }}\n}}\n",
            mirror.display()
        ),
    )
    .expect("CLI config");
    std::fs::write(
        work.join("main.tf"),
        format!(
            "terraform {{\n  required_providers {{\n    har = {{\n      source  = \"tfhar/har\"\n      version = \"{VERSION}\"\n    }}\n  }}\n}}\n\nprovider \"har\" {{\n  endpoint   = \"http://127.0.0.1:9/gateway\"\n  account_id = \"acct\"\n  api_key    = \"unused\"\n}}\n\nresource \"har_registry\" \"r\" {{\n  identifier   = \"docker-main\"\n  package_type = \"DOCKER\"\n}}\n"
        ),
    )
    .expect("main.tf");
    let terraform = |args: &[&str]| {
        let out = Command::new("terraform")
            .args(args)
            .current_dir(&work)
            .env("TF_CLI_CONFIG_FILE", &rc)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_DATA_DIR", work.join(".terraform"))
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .env_remove("TF_LOG")
            .output()
            .expect("run terraform");
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "terraform {args:?} failed:\n{text}");
        text
    };
    let init = terraform(&["init", "-input=false", "-no-color"]);
    assert!(
        init.contains(&format!("Installed tfhar/har v{VERSION}")),
        "{init}"
    );
    let lock = std::fs::read_to_string(work.join(".terraform.lock.hcl")).expect("lock file");
    assert!(
        lock.contains(&format!("\"{h1}\"")),
        "the lock file does not record package.sh's {h1}:\n{lock}"
    );
    // The installed binary runs: validate needs its schema.
    terraform(&["validate", "-no-color"]);
}
