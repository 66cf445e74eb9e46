//! The CI workflows in docs/guides/ stay runnable: this test takes the GitHub Actions
//! workflow out of each guide and runs its shell steps, in order, as the runner would
//! (`bash -eo pipefail`, `$GITHUB_ENV` and `$GITHUB_PATH` carried to later steps, the job's
//! literal `env:`), against har-local, in a temporary workspace and HOME.
//!
//! What stands in for the runner: the `uses:` steps (checkouts, setup-terraform, cache) are
//! done by the test: the workspace holds the user's configuration (the module example, or the
//! quickstart's registries), `terraform-provider-har/` holds this repository's scripts and, in
//! `target/release/`, the binaries cargo built for this test run, as the cache would restore
//! them; so the `cargo build --release` step is skipped (minutes on this machine) and every
//! other step runs as written. Secrets (the drift job's HARNESS_*) point at har-local.

use crate::support;

use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use support::acc::Acc;
use support::terraform::with_provider;

#[derive(Debug, Default)]
struct Step {
    name: String,
    uses: Option<String>,
    run: Option<String>,
}

#[derive(Debug, Default)]
struct Workflow {
    env: BTreeMap<String, String>,
    steps: Vec<Step>,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The first ```yaml block of a guide: the job's `env:` and its steps. A small reader for
/// the shape the guides use (one job; steps with name/uses/with/run), not a YAML parser.
fn workflow(guide: &str) -> Workflow {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(guide);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{guide}: {e}"));
    let yaml: Vec<&str> = text
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .unwrap_or_else(|| panic!("{guide} has no ```yaml block"))
        .lines()
        .collect();
    let mut wf = Workflow::default();
    let mut i = 0;
    let mut steps_indent = None;
    while i < yaml.len() {
        let line = yaml[i];
        let trimmed = line.trim();
        if steps_indent.is_none() && trimmed == "env:" {
            let base = indent(line);
            i += 1;
            while i < yaml.len() && indent(yaml[i]) > base {
                if let Some((k, v)) = yaml[i].trim().split_once(": ") {
                    let v = v.trim().trim_matches('"');
                    if !v.contains("${{") {
                        wf.env.insert(k.to_string(), v.to_string());
                    }
                }
                i += 1;
            }
            continue;
        }
        if trimmed == "steps:" {
            steps_indent = yaml.get(i + 1).map(|l| indent(l));
            i += 1;
            continue;
        }
        let Some(si) = steps_indent else {
            i += 1;
            continue;
        };
        if indent(line) == si && trimmed.starts_with("- ") {
            wf.steps.push(Step::default());
        }
        let key_line = trimmed.trim_start_matches("- ");
        let step = wf.steps.last_mut().expect("a step");
        if let Some(v) = key_line.strip_prefix("name: ") {
            step.name = v.to_string();
        } else if let Some(v) = key_line.strip_prefix("uses: ") {
            step.uses = Some(v.to_string());
        } else if let Some(v) = key_line.strip_prefix("run: ") {
            if v == "|" {
                let base = indent(line);
                let mut body = Vec::new();
                i += 1;
                let block_indent = yaml.get(i).map(|l| indent(l)).unwrap_or(0);
                while i < yaml.len() && (yaml[i].trim().is_empty() || indent(yaml[i]) > base) {
                    body.push(yaml[i].get(block_indent..).unwrap_or("").to_string());
                    i += 1;
                }
                step.run = Some(body.join("\n") + "\n");
                continue;
            }
            step.run = Some(v.to_string());
        }
        i += 1;
    }
    assert!(!wf.steps.is_empty(), "{guide}: no steps found");
    wf
}

/// The runner's stand-in: a workspace, a HOME, the files GitHub Actions passes between steps.
struct Runner {
    _tmp: tempfile::TempDir,
    workspace: PathBuf,
    home: PathBuf,
    github_env: PathBuf,
    github_path: PathBuf,
    env: BTreeMap<String, String>,
    /// Process groups of the steps run so far (background processes live on in them).
    groups: Vec<u32>,
}

/// A step's outcome.
struct Ran {
    code: i32,
    output: String,
}

impl Runner {
    /// `checkout` fills the workspace (the user's repository).
    fn new(wf: &Workflow, checkout: impl FnOnce(&Path)) -> Runner {
        let tmp = tempfile::tempdir().expect("temp dir");
        let workspace = tmp.path().join("workspace");
        let home = tmp.path().join("home");
        let runner_temp = tmp.path().join("runner-temp");
        for d in [&workspace, &home, &runner_temp] {
            std::fs::create_dir_all(d).expect("dir");
        }
        checkout(&workspace);
        provider_checkout(&workspace.join("terraform-provider-har"));
        let github_env = tmp.path().join("github_env");
        let github_path = tmp.path().join("github_path");
        std::fs::write(&github_env, "").expect("GITHUB_ENV");
        std::fs::write(&github_path, "").expect("GITHUB_PATH");
        let rc = tmp.path().join("terraform.tfrc");
        std::fs::write(&rc, "").expect("CLI config");
        let mut env = wf.env.clone();
        for (k, v) in [
            ("HOME", home.display().to_string()),
            ("GITHUB_WORKSPACE", workspace.display().to_string()),
            ("GITHUB_ENV", github_env.display().to_string()),
            ("GITHUB_PATH", github_path.display().to_string()),
            ("RUNNER_TEMP", runner_temp.display().to_string()),
            ("TF_CLI_CONFIG_FILE", rc.display().to_string()),
            ("CHECKPOINT_DISABLE", "1".to_string()),
        ] {
            env.insert(k.to_string(), v);
        }
        Runner {
            _tmp: tmp,
            workspace,
            home,
            github_env,
            github_path,
            env,
            groups: Vec::new(),
        }
    }

    /// Runs one `run:` step as GitHub Actions does (bash -eo pipefail, in the workspace).
    fn run(&mut self, step: &Step) -> Ran {
        let script = step.run.as_deref().expect("a run step");
        let mut path: Vec<String> = std::fs::read_to_string(&self.github_path)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        path.reverse();
        path.push(std::env::var("PATH").unwrap_or_default());
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(&self.workspace)
            .env_clear()
            .env("PATH", path.join(":"))
            .envs(&self.env)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        for line in std::fs::read_to_string(&self.github_env)
            .unwrap_or_default()
            .lines()
        {
            if let Some((k, v)) = line.split_once('=') {
                cmd.env(k, v);
            }
        }
        let child = cmd.spawn().expect("run bash");
        self.groups.push(child.id());
        let out = child.wait_with_output().expect("wait for the step");
        Ran {
            code: out.status.code().unwrap_or(-1),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }

    /// Runs `terraform args` in the workspace with the steps' environment (for the test's
    /// own setup, not a workflow step).
    fn terraform(&mut self, args: &str) -> Ran {
        let step = Step {
            run: Some(format!("terraform {args}")),
            ..Step::default()
        };
        self.run(&step)
    }
}

impl Drop for Runner {
    /// Stops what the steps left running (har-local), by their process groups.
    fn drop(&mut self) {
        for g in &self.groups {
            let _ = Command::new("kill")
                .args(["-TERM", "--", &format!("-{g}")])
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// What the provider checkout needs for `scripts/install.sh --no-build`: the scripts, the
/// manifest (for the version) and the release binaries, linked from this run.
fn provider_checkout(dir: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let release = dir.join("target/release");
    std::fs::create_dir_all(&release).expect("release dir");
    for f in ["scripts", "Cargo.toml"] {
        std::os::unix::fs::symlink(root.join(f), dir.join(f)).expect("symlink");
    }
    for bin in [
        env!("CARGO_BIN_EXE_terraform-provider-har"),
        env!("CARGO_BIN_EXE_har-local"),
    ] {
        let bin = Path::new(bin);
        std::os::unix::fs::symlink(bin, release.join(bin.file_name().expect("name")))
            .expect("symlink");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let (path, name) = (entry.path(), entry.file_name());
        if name == ".terraform" || name == ".terraform.lock.hcl" {
            continue;
        }
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy");
        }
    }
}

fn is_build(step: &Step) -> bool {
    step.run
        .as_deref()
        .is_some_and(|r| r.trim_start().starts_with("cargo build"))
}

/// Runs every step in order; `before(name, runner)` runs first for each named step.
#[track_caller]
fn run_steps(
    wf: &Workflow,
    runner: &mut Runner,
    mut before: impl FnMut(&str, &mut Runner),
) -> Vec<(String, Ran)> {
    let mut ran = Vec::new();
    for step in &wf.steps {
        match (&step.uses, &step.run) {
            (Some(_), _) => continue,                      // done by Runner::new
            (None, Some(_)) if is_build(step) => continue, // the binaries of this test run
            (None, Some(_)) => {}
            (None, None) => panic!("step {:?} neither uses nor runs anything", step.name),
        }
        before(&step.name, runner);
        let r = runner.run(step);
        ran.push((step.name.clone(), r));
    }
    ran
}

#[test]
fn testing_modules_offline_workflow_runs() {
    let wf = workflow("docs/guides/testing-modules-offline.md");
    let mut runner = Runner::new(&wf, |ws| {
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/modules/docker-registry"),
            ws,
        )
    });
    let ran = run_steps(&wf, &mut runner, |_, _| {});
    let names: Vec<&str> = ran.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "install the provider and har-local",
            "start har-local",
            "terraform test"
        ],
        "the steps this test runs"
    );
    for (name, r) in &ran {
        assert_eq!(r.code, 0, "step {name:?} failed:\n{}", r.output);
    }
    let test = &ran[2].1.output;
    assert!(
        test.contains("4 passed, 0 failed"),
        "terraform test output:\n{test}"
    );
    // The provider came from the implied local mirror of the HOME the install step used.
    assert!(
        runner
            .home
            .join(".terraform.d/plugins/registry.terraform.io/tfhar/har")
            .is_dir()
    );
    assert!(
        std::fs::read_to_string(&runner.github_env)
            .unwrap_or_default()
            .starts_with("HARNESS_ENDPOINT=http://127.0.0.1:")
    );
}

#[test]
fn drift_detection_workflow_runs() {
    let acc = Acc::start();
    let wf = workflow("docs/guides/drift-detection.md");
    let config = with_provider(
        r#"provider "har" {}

resource "har_registry" "docker" {
  identifier   = "gd-docker"
  package_type = "DOCKER"
  description  = "Images for every team"
}
"#,
    );
    let mut runner = Runner::new(&wf, |ws| {
        std::fs::write(ws.join("main.tf"), &config).expect("main.tf")
    });
    // The job's secrets: har-local's account and key.
    runner
        .env
        .insert("HARNESS_ENDPOINT".into(), acc.server.endpoint());
    runner
        .env
        .insert("HARNESS_ACCOUNT_ID".into(), acc.server.account().into());
    runner.env.insert(
        "HARNESS_PLATFORM_API_KEY".into(),
        acc.server.api_key().into(),
    );

    // First night: the state (here a local one) records what an earlier apply made.
    let ran = run_steps(&wf, &mut runner, |name, runner| {
        if name == "plan" {
            let r = runner.terraform("apply -input=false -no-color -auto-approve");
            assert_eq!(r.code, 0, "setup apply failed:\n{}", r.output);
        }
    });
    let names: Vec<&str> = ran.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["install the provider", "init", "plan"]);
    for (name, r) in &ran {
        assert_eq!(r.code, 0, "step {name:?} failed:\n{}", r.output);
    }
    assert!(
        ran[2].1.output.contains("No changes."),
        "{}",
        ran[2].1.output
    );

    // Someone edits the registry by hand: the plan step fails with exit 2 and says why.
    acc.modify("acct/gd-docker", |d| {
        d["description"] = "changed by hand".into()
    });
    let plan = wf
        .steps
        .iter()
        .find(|s| s.name == "plan")
        .expect("plan step");
    let r = runner.run(plan);
    assert_eq!(r.code, 2, "drift must fail the job:\n{}", r.output);
    assert!(
        r.output
            .contains("::error::registries drifted from the configuration"),
        "{}",
        r.output
    );
    let flat = r.output.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(r#"~ description = "changed by hand" -> "Images for every team""#),
        "{}",
        r.output
    );
    let r = runner.terraform("destroy -input=false -no-color -auto-approve");
    assert_eq!(r.code, 0, "{}", r.output);
}
