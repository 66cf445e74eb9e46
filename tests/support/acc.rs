//! Acceptance-test support: one har-local per test file; per scenario a fresh terraform
//! working directory with its own provider process (`--debug`, reattached: it serves every
//! terraform command of the scenario, as one provider process serves one terraform run in
//! real use, so scenarios running in parallel never reconfigure each other's provider);
//! direct HTTP calls to har-local for out-of-band changes and before/after snapshots.
//!
//! ```ignore
//! let acc = Acc::start();
//! let tf = acc.tf();
//! tf.config(&acc.config(r#"resource "har_registry" "r" { ... }"#));
//! tf.apply().assert_success();
//! tf.plan_detailed().is_empty();
//! ```

use std::sync::Mutex;

use serde_json::{Value as Json, json};

use super::har_local::{Client, HarLocal, Response};
use super::terraform::{DebugProvider, Terraform, with_provider};

pub struct Acc {
    pub server: HarLocal,
    env: Vec<(String, String)>,
    http: Mutex<Client>,
}

/// A terraform working directory and the provider process its commands attach to.
pub struct Workdir {
    tf: Terraform,
    _provider: DebugProvider,
}

impl std::ops::Deref for Workdir {
    type Target = Terraform;
    fn deref(&self) -> &Terraform {
        &self.tf
    }
}

impl Acc {
    /// har-local on a free port, and the provider pointed at it through its environment.
    pub fn start() -> Acc {
        Self::start_with_scope(None, None)
    }

    /// Same, with the provider's default org/project.
    pub fn start_with_scope(org: Option<&str>, project: Option<&str>) -> Acc {
        let server = HarLocal::start();
        let endpoint = server.endpoint();
        let mut env = vec![
            ("HARNESS_ENDPOINT", endpoint.as_str()),
            ("HARNESS_ACCOUNT_ID", server.account()),
            ("HARNESS_PLATFORM_API_KEY", server.api_key()),
        ];
        if let Some(o) = org {
            env.push(("HARNESS_ORG_ID", o));
        }
        if let Some(p) = project {
            env.push(("HARNESS_PROJECT_ID", p));
        }
        let env: Vec<(String, String)> = env
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let http = Mutex::new(server.client());
        Acc { server, env, http }
    }

    /// A fresh working directory with its own provider process.
    pub fn tf(&self) -> Workdir {
        let env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let provider = DebugProvider::start_with_env(&env);
        Workdir {
            tf: Terraform::reattach(&provider),
            _provider: provider,
        }
    }

    /// A main.tf: the provider requirement, an empty provider block, then `body`.
    pub fn config(&self, body: &str) -> String {
        with_provider(&format!("provider \"har\" {{}}\n\n{body}"))
    }

    fn http(&self) -> std::sync::MutexGuard<'_, Client> {
        match self.http.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    pub fn get(&self, reg_ref: &str) -> Response {
        self.http().get(&format!("/api/v1/registry/{reg_ref}/+"))
    }

    /// The registry's `data`, asserting it exists.
    pub fn registry(&self, reg_ref: &str) -> Json {
        let r = self.get(reg_ref);
        assert_eq!(r.status, 200, "GET {reg_ref}: {}", r.text());
        r.data()
    }

    pub fn exists(&self, reg_ref: &str) -> bool {
        self.get(reg_ref).status == 200
    }

    pub fn delete(&self, reg_ref: &str) -> Response {
        self.http().delete(&format!("/api/v1/registry/{reg_ref}/+"))
    }

    /// A GET of any path (e.g. the v3 metadata routes).
    pub fn v3_get(&self, path: &str) -> Response {
        self.http().get(path)
    }

    /// A POST of any path (e.g. the v3 metadata routes).
    pub fn v3_post(&self, path: &str, body: &Json) -> Response {
        self.http().post(path, body)
    }

    pub fn post(&self, body: &Json) -> Response {
        self.http().post("/api/v1/registry", body)
    }

    /// GET, change with `f`, PUT back the whole registry: an out-of-band edit.
    pub fn modify(&self, reg_ref: &str, f: impl FnOnce(&mut Json)) {
        let mut data = self.registry(reg_ref);
        f(&mut data);
        let r = self
            .http()
            .put(&format!("/api/v1/registry/{reg_ref}/+"), &data);
        assert_eq!(r.status, 200, "PUT {reg_ref}: {}", r.text());
    }

    /// Creates an upstream proxy out of band.
    pub fn create_proxy(&self, scope: &str, identifier: &str, package_type: &str) {
        let r = self.post(&json!({
            "identifier": identifier, "packageType": package_type, "parentRef": scope,
            "config": {"type": "UPSTREAM", "source": "Custom", "url": "https://example.com",
                       "authType": "Anonymous"}
        }));
        assert_eq!(r.status, 201, "create proxy {identifier}: {}", r.text());
    }

    /// Every registry of the account whose identifier starts with `prefix`, with its
    /// `modifiedAt`, sorted: equal snapshots mean no write happened in between (scenarios
    /// running in parallel use distinct prefixes).
    pub fn snapshot(&self, prefix: &str) -> Vec<(String, String)> {
        let r = self
            .http()
            .get("/api/v1/spaces/acct/+/registries?scope=descendants&size=1000");
        assert_eq!(r.status, 200, "list: {}", r.text());
        let list = r.data();
        let mut out: Vec<(String, String)> = list["registries"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter(|m| {
                m["identifier"]
                    .as_str()
                    .is_some_and(|i| i.starts_with(prefix))
            })
            .map(|m| {
                let path = m["path"].as_str().unwrap_or_default().to_string();
                let modified = self.registry(&path)["modifiedAt"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                (path, modified)
            })
            .collect();
        out.sort();
        out
    }
}

/// `terraform import ADDRESS ID`.
pub fn import(tf: &Terraform, address: &str, id: &str) -> super::terraform::TfOutput {
    tf.run(&["import", "-input=false", "-no-color", address, id])
}

/// The state's attributes of `address` (`terraform show -json`).
pub fn attrs(tf: &Terraform, address: &str) -> Json {
    let state = tf.state_json();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    resources
        .into_iter()
        .find(|r| r["address"] == address)
        .map(|r| r["values"].clone())
        .unwrap_or_else(|| panic!("{address} not in state: {state}"))
}

/// A named scenario of a test file.
pub type Scenario = (&'static str, fn(&Acc));

/// Runs the scenarios on `workers` threads (they share `acc`, so each uses its own
/// identifiers), then fails naming every scenario that failed.
pub fn run_all(acc: &Acc, scenarios: &[Scenario], workers: usize) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let failed = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..workers.max(1) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((name, f)) = scenarios.get(i) else {
                        break;
                    };
                    let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(acc)));
                    if ok.is_err() {
                        eprintln!("scenario {name} FAILED");
                        match failed.lock() {
                            Ok(mut g) => g.push(*name),
                            Err(p) => p.into_inner().push(*name),
                        }
                    } else {
                        eprintln!("scenario {name} ok");
                    }
                }
            });
        }
    });
    let failed = failed.into_inner().unwrap_or_else(|p| p.into_inner());
    assert!(failed.is_empty(), "failed scenarios: {failed:?}");
}

/// Apply, then the plan right after must be empty (`plan -detailed-exitcode` = 0).
#[track_caller]
pub fn apply_clean(tf: &Terraform) {
    tf.apply().assert_success();
    tf.plan_detailed().assert_no_changes();
}

/// Assertions on terraform's output that ignore how it wrapped the lines.
pub trait AssertSays {
    fn assert_says(&self, text: &str) -> &Self;
}

impl AssertSays for super::terraform::TfOutput {
    #[track_caller]
    fn assert_says(&self, text: &str) -> &Self {
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat(&self.output()).contains(&flat(text)),
            "expected the output to say {text:?}\nterraform {}\nexit code {}\n{}",
            self.args.join(" "),
            self.code,
            self.output()
        );
        self
    }
}
