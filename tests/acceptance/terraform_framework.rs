//! The framework's planning rules under the real terraform, which checks every plan and
//! apply result against its invariants. The real provider block (HarProvider) is served
//! in-process together with a fake `har_probe` resource.

use crate::support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use support::terraform::{InProcessProvider, Terraform, with_provider};
use terraform_provider_har::framework::validators::one_of;
use terraform_provider_har::framework::{
    Attribute, ConfigureRequest, CreateRequest, CreateResponse, DataSource, DeleteRequest,
    DeleteResponse, Diagnostics, Provider, ReadRequest, ReadResponse, RequiresReplace, Resource,
    Schema, UpdateRequest, UpdateResponse, UseStateForUnknown, Value, trailing_slash_insensitive,
};
use terraform_provider_har::provider::HarProvider;

#[derive(Default)]
struct Probe {
    updates: Mutex<HashMap<String, u32>>,
}

fn fill(planned: &Value, status: String) -> Value {
    let mut v = planned.clone();
    if let Value::Object(m) = &mut v {
        let name = m
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or("")
            .to_string();
        if let Some(id) = m.get_mut("id")
            && id.is_unknown()
        {
            *id = Value::string(format!("probe-{name}"));
        }
        if let Some(s) = m.get_mut("status")
            && s.is_unknown()
        {
            *s = Value::string(status);
        }
        if let Some(Value::Object(auth)) = m.get_mut("auth")
            && let Some(t) = auth.get_mut("token")
            && t.is_unknown()
        {
            *t = Value::string("token-1");
        }
    }
    v
}

#[async_trait]
impl Resource for Probe {
    fn type_name(&self) -> &str {
        "har_probe"
    }
    fn schema(&self) -> Schema {
        Schema::new()
            .attribute(
                Attribute::string("id")
                    .computed()
                    .plan_modifier(UseStateForUnknown),
            )
            .attribute(
                Attribute::string("name")
                    .required()
                    .plan_modifier(RequiresReplace),
            )
            .attribute(
                Attribute::string("url")
                    .optional()
                    .plan_modifier(trailing_slash_insensitive()),
            )
            .attribute(
                Attribute::string("kind")
                    .optional()
                    .validate(one_of(["alpha", "beta"])),
            )
            .attribute(Attribute::string("status").computed())
            .attribute(
                Attribute::single_nested(
                    "auth",
                    vec![
                        Attribute::string("user").required(),
                        Attribute::string("token")
                            .computed()
                            .plan_modifier(UseStateForUnknown),
                    ],
                )
                .optional(),
            )
    }
    async fn create(&self, req: &CreateRequest<'_>, resp: &mut CreateResponse) {
        resp.state = Some(fill(req.planned, "created".into()));
        if req.config.get("name").and_then(|n| n.as_str()) == Some("half") {
            resp.diagnostics.error(
                "Follow-up failed",
                "The object was created, then a follow-up step failed.",
            );
        }
    }
    async fn read(&self, _req: &ReadRequest<'_>, _resp: &mut ReadResponse) {}
    async fn update(&self, req: &UpdateRequest<'_>, resp: &mut UpdateResponse) {
        let name = req
            .planned
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or("")
            .to_string();
        let n = {
            let mut u = self.updates.lock().expect("lock");
            let e = u.entry(name).or_default();
            *e += 1;
            *e
        };
        resp.state = Some(fill(req.planned, format!("updated {n}")));
    }
    async fn delete(&self, _req: &DeleteRequest<'_>, _resp: &mut DeleteResponse) {}
}

struct ProbeProvider {
    har: HarProvider,
    probe: Arc<Probe>,
}

#[async_trait]
impl Provider for ProbeProvider {
    fn schema(&self) -> Schema {
        self.har.schema()
    }
    async fn validate_config(&self, config: &Value, diags: &mut Diagnostics) {
        self.har.validate_config(config, diags).await
    }
    async fn configure(&self, req: &ConfigureRequest<'_>, diags: &mut Diagnostics) {
        self.har.configure(req, diags).await
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![self.probe.clone()]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }
}

fn serve() -> InProcessProvider {
    InProcessProvider::start(Arc::new(ProbeProvider {
        har: HarProvider::new(),
        probe: Arc::new(Probe::default()),
    }))
}

const PROVIDER_OK: &str = r#"
provider "har" {
  endpoint   = "http://127.0.0.1:9/gateway"
  account_id = "acc"
  api_key    = "key"
}
"#;

fn config(resources: &str) -> String {
    with_provider(&format!("{PROVIDER_OK}\n{resources}"))
}

#[test]
fn plan_with_bad_endpoint_fails_naming_endpoint() {
    let p = serve();
    let tf = Terraform::reattach_json(&p.reattach);
    tf.config(&with_provider(
        r#"
provider "har" {
  endpoint   = "ftp://example.com/gateway"
  account_id = "acc"
  api_key    = "key"
}

resource "har_probe" "p" {
  name = "a"
}
"#,
    ));
    tf.plan()
        .assert_failure()
        .assert_mentions("Invalid URL")
        .assert_mentions("endpoint");
}

#[test]
fn missing_account_id_names_the_attribute_and_env_var() {
    let p = serve();
    let tf = Terraform::reattach_json(&p.reattach);
    tf.config(&with_provider(
        r#"
provider "har" {
  api_key = "key"
}

resource "har_probe" "p" {
  name = "a"
}
"#,
    ));
    tf.plan()
        .assert_failure()
        .assert_mentions("account_id")
        .assert_mentions("HARNESS_ACCOUNT_ID");
}

#[test]
fn planning_rules_hold_under_terraform() {
    let p = serve();
    let tf = Terraform::reattach_json(&p.reattach);

    // Create: computed attributes are unknown in the plan and filled by apply.
    tf.config(&config(
        r#"resource "har_probe" "p" {
  name = "a"
  url  = "https://x.example/repo/"
  auth = { user = "admin" }
}"#,
    ));
    tf.plan().assert_success().assert_creates("har_probe.p");
    tf.apply().assert_success();
    tf.plan_detailed().assert_no_changes();

    // An equivalent URL is not a change.
    tf.config(&config(
        r#"resource "har_probe" "p" {
  name = "a"
  url  = "https://x.example/repo"
  auth = { user = "admin" }
}"#,
    ));
    tf.plan_detailed().assert_no_changes();

    // An in-place update keeps `id` (UseStateForUnknown) and re-computes `status`.
    tf.config(&config(
        r#"resource "har_probe" "p" {
  name = "a"
  url  = "https://y.example/repo/"
  auth = { user = "admin" }
}"#,
    ));
    tf.plan_detailed()
        .assert_changes()
        .assert_updates("har_probe.p")
        .assert_does_not_mention("\"probe-a\" -> (known after apply)");
    tf.apply().assert_success();
    let state = tf.state_json();
    let values = &state["values"]["root_module"]["resources"][0]["values"];
    assert_eq!(values["id"], "probe-a");
    assert_eq!(values["status"], "updated 1");
    assert_eq!(
        values["auth"]["token"], "token-1",
        "nested UseStateForUnknown"
    );

    // A validator points at the attribute, with a suggestion.
    tf.config(&config(
        r#"resource "har_probe" "p" {
  name = "a"
  kind = "Alpha"
}"#,
    ));
    tf.plan()
        .assert_failure()
        .assert_mentions("Did you mean \"alpha\"?");

    // RequiresReplace.
    tf.config(&config(
        r#"resource "har_probe" "p" {
  name = "b"
  url  = "https://y.example/repo/"
}"#,
    ));
    tf.plan().assert_success().assert_replaces("har_probe.p");

    tf.destroy().assert_success();
}

#[test]
fn a_create_that_fails_after_the_object_exists_keeps_it_in_state() {
    let p = serve();
    let tf = Terraform::reattach_json(&p.reattach);
    tf.config(&config(r#"resource "har_probe" "h" { name = "half" }"#));
    tf.apply()
        .assert_failure()
        .assert_mentions("Follow-up failed");
    let list = tf.run(&["state", "list"]);
    list.assert_success().assert_mentions("har_probe.h");
    // Terraform taints it, so the next plan replaces it.
    tf.plan().assert_success().assert_replaces("har_probe.h");
    tf.destroy().assert_success();
}
