//! Support for the reliability tests: har-local with fault injection, terraform in
//! dev_overrides mode (a real plugin process per command, so StopProvider and signals flow as
//! they do for users) with short client timeouts, fleets of resources, and the comparison of
//! what the server holds with what the state holds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

use super::har_local::{HarLocal, Options};
use super::terraform::{Terraform, TfOutput, with_provider};

/// har-local's header to bypass (and not disturb) fault injection.
pub const BYPASS: (&str, &str) = ("x-har-local-faults", "off");

/// Client timeouts for fault runs: a delay fault (`DELAY_MS`) outlasts the request timeout.
pub const REQUEST_TIMEOUT_S: &str = "2";
pub const DELAY_MS: u64 = 2500;
/// How long an interrupted terraform may take to exit before a test calls it hung: far more
/// than a stop needs, far less than the retry budgets the tests set.
pub const EXIT_AFTER_INTERRUPT: Duration = Duration::from_secs(150);

/// har-local counting requests, failing `rate` of them with `seed`.
pub fn server(rate: f64, seed: u64) -> HarLocal {
    server_with(rate, seed, &[])
}

/// Same, with more har-local flags (`--fault-writes-only`, `--fault-phase after`, ...).
pub fn server_with(rate: f64, seed: u64, more: &[&str]) -> HarLocal {
    let mut extra_args: Vec<String> = more.iter().map(|s| s.to_string()).collect();
    HarLocal::start_with(Options {
        extra_args: {
            extra_args.extend([
                "--fault-rate".into(),
                rate.to_string(),
                "--fault-seed".into(),
                seed.to_string(),
                "--fault-delay-ms".into(),
                DELAY_MS.to_string(),
                "--fault-retry-after".into(),
                "1".into(),
            ]);
            extra_args
        },
        ..Options::default()
    })
}

/// What har-local counted (`GET /_har-local/faults`, never faulted).
pub fn counts(h: &HarLocal) -> Json {
    let r = h
        .client()
        .send("GET", "/_har-local/faults", &[BYPASS], None);
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

/// A terraform working directory whose provider (started by terraform) talks to `h`, with
/// the provider's debug log in `provider.log` (to count retries).
pub struct Work {
    pub tf: Terraform,
    pub env: Vec<(String, String)>,
}

impl Work {
    pub fn new(h: &HarLocal) -> Work {
        Self::without(h, &[])
    }

    /// Like [`Work::new`], leaving out the environment variables named in `skip`.
    pub fn without(h: &HarLocal, skip: &[&str]) -> Work {
        Self::with_env(h, skip, &[])
    }

    /// Like [`Work::new`], without the variables in `skip` and with `extra` (which win).
    pub fn with_env(h: &HarLocal, skip: &[&str], extra: &[(&str, &str)]) -> Work {
        let mut env: Vec<(String, String)> = vec![
            ("HARNESS_ENDPOINT".into(), h.endpoint()),
            ("HARNESS_ACCOUNT_ID".into(), h.account().into()),
            ("HARNESS_PLATFORM_API_KEY".into(), h.api_key().into()),
            ("HAR_CLIENT_CONNECT_TIMEOUT".into(), "2".into()),
            (
                "HAR_CLIENT_REQUEST_TIMEOUT".into(),
                REQUEST_TIMEOUT_S.into(),
            ),
            ("HAR_CLIENT_RETRY_BUDGET".into(), "90".into()),
            ("HAR_CLIENT_MAX_ATTEMPTS".into(), "12".into()),
            ("TF_LOG_PROVIDER".into(), "DEBUG".into()),
        ];
        env.retain(|(k, _)| !skip.contains(&k.as_str()) && !extra.iter().any(|(e, _)| e == k));
        env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let mut tf = Terraform::new();
        let log = tf.path().join("provider.log");
        env.push(("TF_LOG_PATH".into(), log.display().to_string()));
        for (k, v) in &env {
            tf = tf.env(k, v);
        }
        Work { tf, env }
    }

    pub fn log_path(&self) -> PathBuf {
        self.tf.path().join("provider.log")
    }

    /// Lines of the provider log containing `needle`.
    pub fn log_count(&self, needle: &str) -> usize {
        std::fs::read_to_string(self.log_path())
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(needle))
            .count()
    }

    /// DELETE attempts answered "not found" (an earlier attempt deleted it, answer lost).
    pub fn log_gone_deletes(&self) -> usize {
        std::fs::read_to_string(self.log_path())
            .unwrap_or_default()
            .lines()
            .filter(|l| {
                l.contains("HAR API call failed")
                    && l.contains("DELETE")
                    && (l.contains("status=404") || l.contains("\"status\":404"))
            })
            .count()
    }

    pub fn apply(&self, parallelism: u32) -> TfOutput {
        self.tf.run(&[
            "apply",
            "-input=false",
            "-no-color",
            "-auto-approve",
            &format!("-parallelism={parallelism}"),
        ])
    }

    pub fn plan_detailed(&self, parallelism: u32) -> TfOutput {
        self.tf.run(&[
            "plan",
            "-input=false",
            "-no-color",
            "-detailed-exitcode",
            &format!("-parallelism={parallelism}"),
        ])
    }

    /// `terraform apply` in its own process group, interrupted like Ctrl-C in a terminal
    /// (SIGINT to the whole group, provider included) as soon as `ready()` says so (asked every 20 ms, for at most
    /// a minute). Terraform must exit within [`EXIT_AFTER_INTERRUPT`] of the signal, or the
    /// test fails: an interrupted apply that hangs is the bug these tests look for.
    pub fn apply_interrupted_when(
        &self,
        parallelism: u32,
        mut ready: impl FnMut() -> bool,
    ) -> TfOutput {
        use std::os::unix::process::CommandExt;
        let args = [
            "apply".to_string(),
            "-input=false".into(),
            "-no-color".into(),
            "-auto-approve".into(),
            format!("-parallelism={parallelism}"),
        ];
        // Files, not pipes: the output is read once terraform has exited.
        let stdout = self.tf.path().join("interrupted.stdout");
        let stderr = self.tf.path().join("interrupted.stderr");
        let file = |p: &Path| std::fs::File::create(p).expect("create an output file");
        let mut cmd = Command::new("terraform");
        cmd.args(&args)
            .current_dir(self.tf.work_dir())
            .env("TF_CLI_CONFIG_FILE", self.tf.path().join("terraform.tfrc"))
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env_remove("TF_LOG")
            .env_remove("TF_REATTACH_PROVIDERS")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(file(&stdout))
            .stderr(file(&stderr))
            .process_group(0);
        let mut child = cmd.spawn().expect("start terraform");
        let group = format!("-{}", child.id());
        let signal = |sig: &str| {
            let _ = Command::new("kill").args([sig, "--", &group]).status();
        };
        let give_up = Instant::now() + Duration::from_secs(60);
        while !ready() && Instant::now() < give_up {
            std::thread::sleep(Duration::from_millis(20));
        }
        signal("-INT");
        let limit = Instant::now() + EXIT_AFTER_INTERRUPT;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for terraform") {
                break status;
            }
            if Instant::now() > limit {
                signal("-KILL");
                let _ = child.wait();
                panic!(
                    "terraform had not exited {}s after SIGINT; its output:\n{}\n{}",
                    EXIT_AFTER_INTERRUPT.as_secs(),
                    std::fs::read_to_string(&stdout).unwrap_or_default(),
                    std::fs::read_to_string(&stderr).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        TfOutput {
            args: args.to_vec(),
            code: status.code().unwrap_or(-1),
            stdout: std::fs::read_to_string(&stdout).unwrap_or_default(),
            stderr: std::fs::read_to_string(&stderr).unwrap_or_default(),
        }
    }
}

/// One object as both sides describe it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Obj {
    /// `VIRTUAL` or `UPSTREAM`.
    pub kind: String,
    pub package_type: String,
    pub description: String,
    pub upstreams: Vec<String>,
}

/// Everything the server holds in the account, by registry ref, read past the faults.
pub fn server_objects(h: &HarLocal) -> BTreeMap<String, Obj> {
    let mut c = h.client();
    let r = c.send(
        "GET",
        "/api/v1/spaces/acct/+/registries?scope=descendants&size=10000",
        &[BYPASS],
        None,
    );
    assert_eq!(r.status, 200, "list: {}", r.text());
    let list = r.data();
    let mut out = BTreeMap::new();
    for m in list["registries"].as_array().cloned().unwrap_or_default() {
        let path = m["path"].as_str().unwrap_or_default().to_string();
        let g = c.send(
            "GET",
            &format!("/api/v1/registry/{path}/+"),
            &[BYPASS],
            None,
        );
        assert_eq!(g.status, 200, "GET {path}: {}", g.text());
        let d = g.data();
        let obj = Obj {
            kind: d["config"]["type"].as_str().unwrap_or_default().into(),
            package_type: d["packageType"].as_str().unwrap_or_default().into(),
            description: d["description"].as_str().unwrap_or_default().into(),
            upstreams: strings(&d["config"]["upstreamProxies"]),
        };
        assert!(
            out.insert(path.clone(), obj).is_none(),
            "{path} listed twice"
        );
    }
    out
}

fn strings(v: &Json) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Everything the state holds, by `id` (= the registry ref).
pub fn state_objects(tf: &Terraform) -> BTreeMap<String, Obj> {
    let state = tf.state_json();
    let mut out = BTreeMap::new();
    for r in state["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        if r["mode"] != "managed" {
            continue;
        }
        let v = &r["values"];
        let kind = match r["type"].as_str() {
            Some("har_registry") => "VIRTUAL",
            Some("har_upstream_proxy") => "UPSTREAM",
            _ => continue,
        };
        let id = v["id"].as_str().unwrap_or_default().to_string();
        let obj = Obj {
            kind: kind.into(),
            package_type: v["package_type"].as_str().unwrap_or_default().into(),
            description: v["description"].as_str().unwrap_or_default().into(),
            upstreams: strings(&v["upstream_proxies"]),
        };
        assert!(out.insert(id.clone(), obj).is_none(), "{id} twice in state");
    }
    out
}

/// The server holds exactly what the state holds: no orphan, nothing lost, same links.
#[track_caller]
pub fn assert_agree(h: &HarLocal, tf: &Terraform) -> usize {
    let server = server_objects(h);
    let state = state_objects(tf);
    let orphans: Vec<&String> = server.keys().filter(|k| !state.contains_key(*k)).collect();
    let lost: Vec<&String> = state.keys().filter(|k| !server.contains_key(*k)).collect();
    assert!(
        orphans.is_empty() && lost.is_empty(),
        "server and state differ: on the server only (orphans) {orphans:?}; in state only \
         (lost) {lost:?}"
    );
    for (k, s) in &state {
        assert_eq!(&server[k], s, "{k}: server vs state");
    }
    state.len()
}

/// Package types with a public default source (no URL needed) and that source.
pub const TYPES: [(&str, &str); 4] = [
    ("DOCKER", "Dockerhub"),
    ("MAVEN", "MavenCentral"),
    ("NPM", "NpmJs"),
    ("PYTHON", "PyPi"),
];

/// The HCL of anonymous upstream proxy `i` of package type `pt`: resource
/// `har_upstream_proxy.<pt>_<i>`, identifier `<prefix>-<pt>-p<i>`.
pub fn proxy_block(prefix: &str, pt: &str, source: &str, i: usize, desc: &str) -> String {
    let t = pt.to_ascii_lowercase();
    format!(
        "resource \"har_upstream_proxy\" \"{t}_{i}\" {{\n  identifier   = \"{prefix}-{t}-p{i}\"\n  package_type = \"{pt}\"\n  source       = \"{source}\"\n  auth_type    = \"Anonymous\"\n  description  = \"{desc}\"\n}}\n"
    )
}

/// A configuration of `proxies` upstream proxies and `registries` registries per package
/// type in [`TYPES`]; registry `j` lists `links` proxies starting at proxy `j` (wrapping),
/// so proxies are shared between registries.
pub fn fleet(prefix: &str, proxies: usize, registries: usize, links: usize, desc: &str) -> String {
    let mut hcl = String::from("provider \"har\" {}\n");
    for (pt, source) in TYPES {
        let t = pt.to_ascii_lowercase();
        for i in 0..proxies {
            hcl.push_str(&proxy_block(prefix, pt, source, i, desc));
        }
        for j in 0..registries {
            let list: Vec<String> = (0..links.min(proxies))
                .map(|k| format!("har_upstream_proxy.{t}_{}.identifier", (j + k) % proxies))
                .collect();
            hcl.push_str(&format!(
                "resource \"har_registry\" \"{t}_{j}\" {{\n  identifier       = \"{prefix}-{t}-r{j}\"\n  package_type     = \"{pt}\"\n  description      = \"{desc}\"\n  upstream_proxies = [{}]\n}}\n",
                list.join(", ")
            ));
        }
    }
    with_provider(&hcl)
}

/// The figures of a faulted run, one line.
pub fn figures(c: &Json) -> String {
    let by = &c["by_kind"];
    let mut s = format!(
        "requests={} writes={} faults={}",
        c["requests"], c["writes"], c["faults"]
    );
    for k in ["429", "500", "502", "503", "drop", "delay"] {
        s.push_str(&format!(" {k}={}/{}", by[k]["before"], by[k]["after"]));
    }
    s
}

pub fn path_str(p: &Path) -> String {
    p.display().to_string()
}
