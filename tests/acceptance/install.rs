//! `scripts/install.sh` as a user runs it, into a temporary HOME: the provider lands in
//! Terraform's implied local mirror, har-local and tfhar in ~/.local/bin; then, from a directory
//! outside the repository and with no CLI configuration at all (no dev_overrides, no
//! mirror block), a plain `terraform init` finds the provider and `apply` works against the
//! installed har-local.
//!
//! The script's build step is `cargo build --release`, minutes on this machine; the test runs
//! it with `--no-build` and a CARGO_TARGET_DIR whose `release/` holds the binaries cargo
//! built for this test run, which also proves the script looks where CARGO_TARGET_DIR says.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("{}_{arch}", std::env::consts::OS)
}

/// A CARGO_TARGET_DIR whose release/ links to the binaries of this test run.
fn fake_target_dir(dir: &Path) -> PathBuf {
    let release = dir.join("release");
    std::fs::create_dir_all(&release).expect("release dir");
    for bin in [
        env!("CARGO_BIN_EXE_terraform-provider-har"),
        env!("CARGO_BIN_EXE_har-local"),
        env!("CARGO_BIN_EXE_tfhar"),
    ] {
        let bin = Path::new(bin);
        std::os::unix::fs::symlink(bin, release.join(bin.file_name().expect("name")))
            .expect("symlink");
    }
    dir.to_path_buf()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The installed har-local on a free port; its endpoint.
fn start(har_local: &Path, db: &Path) -> (Server, String) {
    let mut child = Command::new(har_local)
        .args(["--listen", "127.0.0.1:0", "--db"])
        .arg(db)
        .args(["--api-key", "install-key", "--account", "acct"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the installed har-local");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read its first line");
    let addr = line
        .trim()
        .strip_prefix("har-local listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    (Server(child), format!("{addr}/gateway"))
}

const CONFIG: &str = r#"terraform {
  required_providers {
    har = {
      source = "tfhar/har"
    }
  }
}

provider "har" {}

resource "har_upstream_proxy" "hub" {
  identifier   = "hub"
  package_type = "DOCKER"
  source       = "Dockerhub"
  auth_type    = "Anonymous"

  lifecycle {
    create_before_destroy = true
  }
}

resource "har_registry" "docker" {
  identifier       = "docker-main"
  package_type     = "DOCKER"
  upstream_proxies = [har_upstream_proxy.hub.identifier]
}

output "url" {
  value = har_registry.docker.url
}
"#;

#[test]
fn install_script_then_plain_terraform_init_and_apply() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).expect("home");
    let target = fake_target_dir(&tmp.path().join("target"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    let out = Command::new(root.join("scripts/install.sh"))
        .arg("--no-build")
        .env("HOME", &home)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("run scripts/install.sh");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "install.sh failed:\n{said}");

    let mirror = home.join(format!(
        ".terraform.d/plugins/registry.terraform.io/tfhar/har/{VERSION}/{}",
        platform()
    ));
    let provider = mirror.join(format!("terraform-provider-har_v{VERSION}"));
    let har_local = home.join(".local/bin/har-local");
    let tfhar = home.join(".local/bin/tfhar");
    for installed in [&provider, &har_local, &tfhar] {
        let meta = std::fs::metadata(installed)
            .unwrap_or_else(|e| panic!("{} not installed ({e}):\n{said}", installed.display()));
        assert!(
            meta.is_file()
                && std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o111 != 0,
            "{} is not an executable file",
            installed.display()
        );
        assert!(said.contains(&installed.display().to_string()), "{said}");
    }

    let (_server, endpoint) = start(&har_local, &tmp.path().join("har-local.db"));
    // A project outside the repository; an empty CLI configuration, as a user without
    // ~/.terraformrc has (Terraform then uses its implied local mirror).
    let project = tmp.path().join("project");
    std::fs::create_dir(&project).expect("project dir");
    std::fs::write(project.join("main.tf"), CONFIG).expect("main.tf");
    let rc = home.join("empty.tfrc");
    std::fs::write(&rc, "").expect("CLI config");
    let terraform = |args: &[&str]| {
        let out = Command::new("terraform")
            .args(args)
            .current_dir(&project)
            .env("HOME", &home)
            .env("TF_CLI_CONFIG_FILE", &rc)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("HARNESS_ENDPOINT", &endpoint)
            .env("HARNESS_ACCOUNT_ID", "acct")
            .env("HARNESS_PLATFORM_API_KEY", "install-key")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .env_remove("TF_REATTACH_PROVIDERS")
            .env_remove("TF_DATA_DIR")
            .env_remove("TF_LOG")
            .env_remove("HARNESS_ORG_ID")
            .env_remove("HARNESS_PROJECT_ID")
            .stdin(Stdio::null())
            .output()
            .expect("run terraform");
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), text)
    };
    let ok = |args: &[&str]| {
        let (code, text) = terraform(args);
        assert_eq!(code, Some(0), "terraform {args:?} failed:\n{text}");
        text
    };
    let init = ok(&["init", "-input=false", "-no-color"]);
    assert!(
        init.contains(&format!("Installed tfhar/har v{VERSION}")),
        "{init}"
    );
    assert!(!init.contains("overrides"), "{init}");
    let apply = ok(&["apply", "-input=false", "-no-color", "-auto-approve"]);
    assert!(
        apply.contains("Apply complete! Resources: 2 added"),
        "{apply}"
    );
    assert!(apply.contains("/docker-main"), "the url output: {apply}");
    let (code, plan) = terraform(&["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, Some(0), "the plan after apply is empty:\n{plan}");
    ok(&["destroy", "-input=false", "-no-color", "-auto-approve"]);
}

/// `--help` of the user-facing scripts prints their header comment, and nothing of the code.
#[test]
fn script_help_is_the_header() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (script, says) in [
        ("scripts/install.sh", "--no-build"),
        ("scripts/quickstart.sh", "--fresh-home"),
    ] {
        let out = Command::new(root.join(script))
            .arg("--help")
            .output()
            .expect("run the script");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{script} --help failed");
        assert!(text.contains(says), "{script} --help:\n{text}");
        assert!(
            !text.contains("set -euo") && !text.contains("#!") && !text.contains("\n# "),
            "{script} --help prints more than its header:\n{text}"
        );
    }
}
