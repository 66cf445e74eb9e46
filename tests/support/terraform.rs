//! A harness for running the real `terraform` against the provider built by cargo.
//!
//! ```ignore
//! let tf = Terraform::new();                 // dev_overrides → target/debug
//! tf.config(&with_provider(r#"provider "har" { endpoint = "ftp://x" }"#));
//! tf.plan().assert_failure().assert_mentions("endpoint");
//! tf.apply().assert_success();
//! tf.plan_detailed().is_empty();
//! ```
//!
//! Two ways to reach the provider: `Terraform::new()` writes a CLI config with
//! `dev_overrides` for `tfhar/har` pointing at the cargo-built binary's directory (no
//! `terraform init`; each command starts the provider with the full handshake), and
//! `Terraform::reattach(&DebugProvider)` passes TF_REATTACH_PROVIDERS of one provider
//! process started with `--debug` (one process serves every command).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const PROVIDER_SOURCE: &str = "tfhar/har";
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/tfhar/har";

/// The provider binary cargo built for this test run.
pub fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-har"))
}

/// `terraform { required_providers { har = { source = "tfhar/har" } } }` followed by `body`.
pub fn with_provider(body: &str) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    har = {{ source = \"{PROVIDER_SOURCE}\" }}\n  }}\n}}\n\n{body}\n"
    )
}

/// Environment variables the provider reads; cleared so the machine's settings never leak
/// into a test.
const PROVIDER_ENV: &[&str] = &[
    "HARNESS_ENDPOINT",
    "HARNESS_ACCOUNT_ID",
    "HARNESS_PLATFORM_API_KEY",
    "HARNESS_ORG_ID",
    "HARNESS_PROJECT_ID",
];

pub struct Terraform {
    dir: tempfile::TempDir,
    cli_config: PathBuf,
    env: Vec<(String, String)>,
    reattach: Option<String>,
    binary: Option<PathBuf>,
}

impl Default for Terraform {
    fn default() -> Self {
        Self::new()
    }
}

impl Terraform {
    /// A fresh working directory using dev_overrides.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let cli_config = dir.path().join("terraform.tfrc");
        let bin_dir = provider_binary()
            .parent()
            .expect("binary has a directory")
            .to_path_buf();
        let rc = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{PROVIDER_SOURCE}\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            bin_dir.display()
        );
        std::fs::write(&cli_config, rc).expect("write CLI config");
        let work = dir.path().join("work");
        std::fs::create_dir(&work).expect("work dir");
        Self {
            dir,
            cli_config,
            env: Vec::new(),
            reattach: None,
            binary: None,
        }
    }

    /// A fresh working directory whose terraform commands attach to `provider`.
    pub fn reattach(provider: &DebugProvider) -> Self {
        let mut tf = Self::new();
        tf.reattach = Some(provider.reattach.clone());
        tf
    }

    /// A fresh working directory whose terraform commands attach to a provider served
    /// in-process (see `InProcessProvider`).
    pub fn reattach_json(json: &str) -> Self {
        let mut tf = Self::new();
        tf.reattach = Some(json.to_string());
        tf
    }

    /// An environment variable for terraform and, in dev_overrides mode, the provider it
    /// starts (a reattached provider has its own environment: see `DebugProvider`).
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Run this terraform binary instead of `TF_ACC_TERRAFORM_PATH` or the one on PATH.
    pub fn binary(mut self, path: &Path) -> Self {
        self.binary = Some(path.to_path_buf());
        self
    }

    /// The directory holding `main.tf` and the state.
    pub fn work_dir(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// Replace `main.tf`.
    pub fn config(&self, hcl: &str) -> &Self {
        std::fs::write(self.work_dir().join("main.tf"), hcl).expect("write main.tf");
        self
    }

    /// Run `terraform <args>` in the working directory.
    pub fn run(&self, args: &[&str]) -> TfOutput {
        let mut cmd = Command::new(self.binary.clone().unwrap_or_else(terraform_binary));
        cmd.args(args)
            .current_dir(self.work_dir())
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env_remove("TF_LOG")
            .env_remove("TF_LOG_PROVIDER")
            .env_remove("TF_REATTACH_PROVIDERS")
            .env_remove("TF_DISABLE_PLUGIN_TLS")
            .stdin(Stdio::null());
        for k in PROVIDER_ENV {
            cmd.env_remove(k);
        }
        if let Some(r) = &self.reattach {
            cmd.env("TF_REATTACH_PROVIDERS", r);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run terraform (is it on PATH?)");
        TfOutput {
            args: args.iter().map(|s| s.to_string()).collect(),
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn plan(&self) -> TfOutput {
        self.run(&["plan", "-input=false", "-no-color"])
    }

    /// `plan -detailed-exitcode`: 0 = no changes, 2 = changes, 1 = error.
    pub fn plan_detailed(&self) -> TfOutput {
        self.run(&["plan", "-input=false", "-no-color", "-detailed-exitcode"])
    }

    pub fn apply(&self) -> TfOutput {
        self.run(&["apply", "-input=false", "-no-color", "-auto-approve"])
    }

    pub fn destroy(&self) -> TfOutput {
        self.run(&["destroy", "-input=false", "-no-color", "-auto-approve"])
    }

    /// `terraform show -json` of the state, parsed.
    pub fn state_json(&self) -> serde_json::Value {
        let out = self
            .run(&["show", "-json", "-no-color"])
            .assert_success()
            .clone();
        serde_json::from_str(&out.stdout).expect("show -json output is JSON")
    }

    /// `terraform providers schema -json`, parsed.
    pub fn providers_schema(&self) -> serde_json::Value {
        let out = self
            .run(&["providers", "schema", "-json", "-no-color"])
            .assert_success()
            .clone();
        serde_json::from_str(&out.stdout).expect("providers schema output is JSON")
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn terraform_binary() -> PathBuf {
    std::env::var_os("TF_ACC_TERRAFORM_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("terraform"))
}

/// The result of one terraform command, with assertions that print everything on failure.
#[derive(Clone, Debug)]
pub struct TfOutput {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TfOutput {
    fn report(&self) -> String {
        format!(
            "terraform {}\nexit code {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }

    /// stdout and stderr together (terraform prints errors on stderr).
    pub fn output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    #[track_caller]
    pub fn assert_success(&self) -> &Self {
        assert_eq!(self.code, 0, "expected success\n{}", self.report());
        self
    }

    #[track_caller]
    pub fn assert_failure(&self) -> &Self {
        assert_ne!(self.code, 0, "expected failure\n{}", self.report());
        self
    }

    /// The output contains `text`.
    #[track_caller]
    pub fn assert_mentions(&self, text: &str) -> &Self {
        assert!(
            self.output().contains(text),
            "expected the output to mention {text:?}\n{}",
            self.report()
        );
        self
    }

    #[track_caller]
    pub fn assert_does_not_mention(&self, text: &str) -> &Self {
        assert!(
            !self.output().contains(text),
            "expected the output not to mention {text:?}\n{}",
            self.report()
        );
        self
    }

    /// For `plan_detailed`: no changes.
    #[track_caller]
    pub fn assert_no_changes(&self) -> &Self {
        assert_eq!(self.code, 0, "expected an empty plan\n{}", self.report());
        self
    }

    /// For `plan_detailed`: changes planned.
    #[track_caller]
    pub fn assert_changes(&self) -> &Self {
        assert_eq!(self.code, 2, "expected planned changes\n{}", self.report());
        self
    }

    /// For plans: the resource address is planned for an update in place.
    #[track_caller]
    pub fn assert_updates(&self, address: &str) -> &Self {
        self.assert_mentions(&format!("# {address} will be updated in-place"))
    }

    #[track_caller]
    pub fn assert_creates(&self, address: &str) -> &Self {
        self.assert_mentions(&format!("# {address} will be created"))
    }

    /// For plans: the resource is replaced (a forced replacement or a tainted object).
    #[track_caller]
    pub fn assert_replaces(&self, address: &str) -> &Self {
        let out = self.output();
        assert!(
            out.contains(&format!("# {address} must be replaced"))
                || out.contains(&format!("# {address} is tainted, so must be replaced")),
            "expected {address} to be replaced\n{}",
            self.report()
        );
        self
    }

    /// For plans: the resource is destroyed.
    #[track_caller]
    pub fn assert_destroys(&self, address: &str) -> &Self {
        self.assert_mentions(&format!("# {address} will be destroyed"))
    }
}

/// `terraform-provider-har --debug`, running until dropped.
pub struct DebugProvider {
    child: Child,
    /// The TF_REATTACH_PROVIDERS value it printed.
    pub reattach: String,
}

impl DebugProvider {
    pub fn start() -> Self {
        Self::start_with_env(&[])
    }

    /// Start with extra environment variables (the provider reads HARNESS_* itself).
    pub fn start_with_env(env: &[(&str, &str)]) -> Self {
        let mut cmd = Command::new(provider_binary());
        cmd.arg("--debug")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for k in PROVIDER_ENV {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start provider --debug");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read reattach line");
        let reattach = line
            .trim()
            .strip_prefix("TF_REATTACH_PROVIDERS='")
            .and_then(|s| s.strip_suffix('\''))
            .unwrap_or_else(|| panic!("unexpected debug output {line:?}"))
            .to_string();
        Self { child, reattach }
    }
}

impl Drop for DebugProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A provider served by this test process in debug mode (plaintext, no handshake), so a
/// test can put fake resources next to the real provider block. Stops when dropped.
pub struct InProcessProvider {
    /// The TF_REATTACH_PROVIDERS value for `Terraform::reattach_json`.
    pub reattach: String,
    shutdown: terraform_provider_har::plugin::ShutdownSignal,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl InProcessProvider {
    pub fn start(
        provider: std::sync::Arc<dyn terraform_provider_har::framework::Provider>,
    ) -> Self {
        use terraform_provider_har::plugin::{ShutdownSignal, handshake, serve_on};
        let shutdown = ShutdownSignal::new();
        let signal = shutdown.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                tx.send(listener.local_addr().expect("addr"))
                    .expect("send addr");
                let _ = serve_on(listener, provider, None, signal).await;
            });
        });
        let addr = rx.recv().expect("server address");
        Self {
            reattach: handshake::reattach_json(PROVIDER_ADDRESS, addr),
            shutdown,
            thread: Some(thread),
        }
    }
}

impl Drop for InProcessProvider {
    fn drop(&mut self) {
        self.shutdown.trigger();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
