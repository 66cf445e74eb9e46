//! `har_webhook` and the `har_webhook` / `har_webhooks` data sources against the real
//! terraform and har-local: create, update of every attribute, masked headers without a
//! perpetual diff, drift, out-of-band delete, replacement on a registry change, import,
//! `-generate-config-out`, plan-time errors, destroy, and the examples.

use crate::support;

use std::path::Path;

use serde_json::{Value as Json, json};
use support::acc::{Acc, AssertSays, Scenario, apply_clean, attrs, import, run_all};

const SCENARIOS: &[Scenario] = &[
    ("every_attribute", every_attribute),
    (
        "drift_and_out_of_band_deletes",
        drift_and_out_of_band_deletes,
    ),
    ("registry_change_replaces", registry_change_replaces),
    ("import_and_generated_config", import_and_generated_config),
    ("plan_time_errors", plan_time_errors),
    ("data_sources", data_sources),
    ("examples", examples),
];

#[test]
fn webhook_lifecycle() {
    let acc = Acc::start();
    run_all(&acc, SCENARIOS, 3);
}

fn hook_path(reg: &str, id: &str) -> String {
    format!("/api/v1/registry/{reg}/+/webhooks/{id}")
}

/// The webhook as har-local answers it, or `None` if it is not there.
fn server_hook(acc: &Acc, reg: &str, id: &str) -> Option<Json> {
    let r = acc.server.client().get(&hook_path(reg, id));
    match r.status {
        200 => Some(r.data()),
        404 => None,
        s => panic!("GET webhook {reg}/{id}: {s} {}", r.text()),
    }
}

/// The stored (unmasked) header values, straight from har-local's database.
fn stored_headers(acc: &Acc, id: &str) -> String {
    let db = rusqlite::Connection::open(acc.server.db_path()).expect("open db");
    db.query_row(
        "SELECT extra_headers FROM webhooks WHERE identifier = ?1",
        [id],
        |r| r.get(0),
    )
    .expect("stored webhook")
}

fn registry(name: &str) -> String {
    format!(
        r#"resource "har_registry" "{name}" {{
  identifier   = "{name}"
  package_type = "DOCKER"
}}
"#
    )
}

fn every_attribute(acc: &Acc) {
    let tf = acc.tf();
    let minimal = format!(
        r#"{}
resource "har_webhook" "w" {{
  registry   = har_registry.wh-all.id
  identifier = "notify"
  name       = "Notify"
  url        = "https://hooks.example.com/a"
  triggers   = ["ARTIFACT_CREATION"]
}}"#,
        registry("wh-all")
    );
    tf.config(&acc.config(&minimal));
    apply_clean(&tf);
    let s = attrs(&tf, "har_webhook.w");
    assert_eq!(s["id"], "acct/wh-all/notify");
    assert_eq!(s["registry"], "acct/wh-all");
    assert_eq!(s["enabled"], true);
    assert_eq!(s["insecure"], false);
    assert_eq!(s["description"], Json::Null);
    assert_eq!(s["extra_headers"], Json::Null);
    assert_eq!(s["latest_execution_result"], Json::Null);
    assert!(
        s["created_at"].as_str().is_some_and(|c| c.ends_with('Z')),
        "{s}"
    );
    let server = server_hook(acc, "acct/wh-all", "notify").expect("created");
    assert_eq!(server["url"], "https://hooks.example.com/a");
    assert_eq!(server["enabled"], true);

    // Every updatable attribute at once.
    let full = |auth: &str| {
        format!(
            r#"{}
resource "har_webhook" "w" {{
  registry          = har_registry.wh-all.id
  identifier        = "notify"
  name              = "Notify CI"
  description       = "deploys"
  url               = "https://ci.example.com/b"
  enabled           = false
  insecure          = true
  triggers          = ["ARTIFACT_DELETION", "ARTIFACT_CREATION"]
  secret_identifier = "signing"
  secret_space_path = "acct"
  extra_headers = [
    {{ key = "X-Team", value = "platform" }},
    {{ key = "Authorization", value = "{auth}", masked = true }},
  ]
}}"#,
            registry("wh-all")
        )
    };
    tf.config(&acc.config(&full("Bearer first")));
    tf.plan().assert_success().assert_updates("har_webhook.w");
    // The masked value is the configured one in state, the placeholder on the server, and
    // the plan after apply is empty: no perpetual diff.
    apply_clean(&tf);
    let server = server_hook(acc, "acct/wh-all", "notify").unwrap();
    assert_eq!(server["name"], "Notify CI");
    assert_eq!(server["description"], "deploys");
    assert_eq!(server["url"], "https://ci.example.com/b");
    assert_eq!(server["enabled"], false);
    assert_eq!(server["insecure"], true);
    assert_eq!(server["secretIdentifier"], "signing");
    assert_eq!(server["secretSpacePath"], "acct");
    let mut triggers: Vec<String> = serde_json::from_value(server["triggers"].clone()).unwrap();
    triggers.sort();
    assert_eq!(triggers, ["ARTIFACT_CREATION", "ARTIFACT_DELETION"]);
    assert_eq!(server["extraHeaders"][1]["value"], "*******");
    assert!(stored_headers(acc, "notify").contains("Bearer first"));
    let s = attrs(&tf, "har_webhook.w");
    assert_eq!(s["extra_headers"][1]["value"], "Bearer first");
    assert_eq!(s["extra_headers"][1]["masked"], true);
    assert_eq!(s["extra_headers"][0]["masked"], false);

    // A new masked value is a change, and reaches the server.
    tf.config(&acc.config(&full("Bearer second")));
    tf.plan().assert_success().assert_updates("har_webhook.w");
    apply_clean(&tf);
    let stored = stored_headers(acc, "notify");
    assert!(
        stored.contains("Bearer second") && !stored.contains("Bearer first"),
        "{stored}"
    );

    // Back to the minimal configuration: unset optional attributes go back to their defaults.
    tf.config(&acc.config(&minimal));
    tf.plan().assert_success().assert_updates("har_webhook.w");
    apply_clean(&tf);
    let server = server_hook(acc, "acct/wh-all", "notify").unwrap();
    assert_eq!(server["enabled"], true);
    assert_eq!(server["insecure"], false);
    assert_eq!(server["extraHeaders"], json!([]));
    assert!(server.get("secretIdentifier").is_none(), "{server}");

    tf.destroy().assert_success();
    assert!(server_hook(acc, "acct/wh-all", "notify").is_none());
    assert!(!acc.exists("acct/wh-all"));
}

fn drift_and_out_of_band_deletes(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&acc.config(&format!(
        r#"{}
resource "har_webhook" "w" {{
  registry   = har_registry.wh-drift.id
  identifier = "drifty"
  name       = "Drifty"
  url        = "https://hooks.example.com/d"
  triggers   = ["ARTIFACT_CREATION"]
  extra_headers = [{{ key = "X-A", value = "1" }}]
}}"#,
        registry("wh-drift")
    )));
    apply_clean(&tf);

    // Someone disables it and points it elsewhere in the UI.
    let mut body = server_hook(acc, "acct/wh-drift", "drifty").unwrap();
    body["enabled"] = json!(false);
    body["url"] = json!("https://elsewhere.example.com");
    body["extraHeaders"] = json!([{"key": "X-A", "value": "2"}]);
    let r = acc
        .server
        .client()
        .put(&hook_path("acct/wh-drift", "drifty"), &body);
    assert_eq!(r.status, 201, "{}", r.text());
    tf.plan_detailed()
        .assert_changes()
        .assert_updates("har_webhook.w");
    apply_clean(&tf);
    let server = server_hook(acc, "acct/wh-drift", "drifty").unwrap();
    assert_eq!(server["enabled"], true);
    assert_eq!(server["url"], "https://hooks.example.com/d");
    assert_eq!(server["extraHeaders"][0]["value"], "1");

    // Deleted out of band: the plan creates it again.
    let r = acc
        .server
        .client()
        .delete(&hook_path("acct/wh-drift", "drifty"));
    assert_eq!(r.status, 200, "{}", r.text());
    tf.plan_detailed()
        .assert_changes()
        .assert_creates("har_webhook.w");
    apply_clean(&tf);
    assert!(server_hook(acc, "acct/wh-drift", "drifty").is_some());

    // The registry deleted out of band takes the webhook with it: both are planned again.
    assert_eq!(acc.delete("acct/wh-drift").status, 200);
    tf.plan_detailed()
        .assert_changes()
        .assert_creates("har_registry.wh-drift")
        .assert_creates("har_webhook.w");
    apply_clean(&tf);
    assert!(server_hook(acc, "acct/wh-drift", "drifty").is_some());
    tf.destroy().assert_success();
}

fn registry_change_replaces(acc: &Acc) {
    let tf = acc.tf();
    let cfg = |target: &str| {
        format!(
            r#"{}{}
resource "har_webhook" "w" {{
  registry   = har_registry.{target}.id
  identifier = "mover"
  name       = "Mover"
  url        = "https://hooks.example.com/m"
  triggers   = ["ARTIFACT_DELETION"]
}}"#,
            registry("wh-one"),
            registry("wh-two")
        )
    };
    tf.config(&acc.config(&cfg("wh-one")));
    apply_clean(&tf);
    tf.config(&acc.config(&cfg("wh-two")));
    tf.plan().assert_success().assert_replaces("har_webhook.w");
    apply_clean(&tf);
    assert!(server_hook(acc, "acct/wh-one", "mover").is_none());
    assert!(server_hook(acc, "acct/wh-two", "mover").is_some());
    assert_eq!(attrs(&tf, "har_webhook.w")["id"], "acct/wh-two/mover");
    tf.destroy().assert_success();
}

fn import_and_generated_config(acc: &Acc) {
    // Out of band: a registry in an org and a webhook on it.
    let r = acc.post(&json!({"identifier": "wh-imp", "packageType": "DOCKER",
        "parentRef": "acct/imo", "config": {"type": "VIRTUAL"}}));
    assert_eq!(r.status, 201, "{}", r.text());
    let body = json!({"identifier": "imported", "name": "Imported", "description": "from the UI",
        "url": "https://hooks.example.com/i", "enabled": false, "insecure": false,
        "triggers": ["ARTIFACT_CREATION"], "extraHeaders": [{"key": "X-A", "value": "1"}]});
    let r = acc
        .server
        .client()
        .post("/api/v1/registry/acct/imo/wh-imp/+/webhooks", &body);
    assert_eq!(r.status, 201, "{}", r.text());

    let tf = acc.tf();
    tf.config(&acc.config(
        r#"resource "har_webhook" "w" {
  registry      = "acct/imo/wh-imp"
  identifier    = "imported"
  name          = "Imported"
  description   = "from the UI"
  url           = "https://hooks.example.com/i"
  enabled       = false
  triggers      = ["ARTIFACT_CREATION"]
  extra_headers = [{ key = "X-A", value = "1" }]
}"#,
    ));
    import(&tf, "har_webhook.w", "acct/imo/wh-imp/imported").assert_success();
    tf.plan_detailed().assert_no_changes();
    assert_eq!(
        attrs(&tf, "har_webhook.w")["id"],
        "acct/imo/wh-imp/imported"
    );
    tf.run(&["state", "rm", "-no-color", "har_webhook.w"])
        .assert_success();
    import(&tf, "har_webhook.w", "wh-imp-only")
        .assert_failure()
        .assert_says("webhook id");

    let plain = json!({"identifier": "plain", "name": "Plain", "url": "https://hooks.example.com/p",
        "enabled": true, "insecure": true, "triggers": ["ARTIFACT_DELETION"],
        "secretIdentifier": "sig", "secretSpacePath": "acct/imo"});
    let r = acc
        .server
        .client()
        .post("/api/v1/registry/acct%2Fimo%2Fwh-imp/webhooks", &plain);
    assert_eq!(r.status, 201, "{}", r.text());

    // -generate-config-out writes a configuration that plans with no change.
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"import {
  to = har_webhook.g
  id = "acct/imo/wh-imp/plain"
}
"#,
    ));
    tf.run(&[
        "plan",
        "-input=false",
        "-no-color",
        "-generate-config-out=generated.tf",
    ])
    .assert_success()
    .assert_says("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.");
    let generated = std::fs::read_to_string(tf.work_dir().join("generated.tf")).unwrap();
    assert!(
        generated.contains(r#"resource "har_webhook" "g""#),
        "{generated}"
    );
    tf.apply()
        .assert_success()
        .assert_says("1 imported, 0 added, 0 changed, 0 destroyed");
    tf.plan_detailed().assert_no_changes();
}

fn plan_time_errors(acc: &Acc) {
    let tf = acc.tf();
    let cases: &[(&str, &str)] = &[
        (
            r#"triggers = ["ARTIFACT_PUSHED"]"#,
            "ARTIFACT_CREATION, ARTIFACT_DELETION",
        ),
        (r#"url = "hooks.example.com""#, "http:// or https://"),
        (r#"identifier = "1st""#, "webhook identifier"),
        (r#"registry = "just-a-name""#, "registry ref"),
        (
            r#"registry = "other/reg""#,
            "provider is configured for account",
        ),
        (r#"name = """#, "name must not be empty"),
        (
            r#"extra_headers = [{ key = "X-A", value = "1" }, { key = "x-a", value = "2" }]"#,
            "appears twice",
        ),
        (
            r#"extra_headers = [{ key = "bad key", value = "1" }]"#,
            "not a valid HTTP header name",
        ),
        (
            r#"secret_space_path = "acct""#,
            "secret_space_path needs secret_identifier",
        ),
    ];
    for (line, says) in cases {
        let attr = line.split_whitespace().next().unwrap();
        let mut fields = vec![
            r#"registry = "acct/nowhere""#,
            r#"identifier = "bad""#,
            r#"name = "Bad""#,
            r#"url = "https://hooks.example.com""#,
            r#"triggers = ["ARTIFACT_CREATION"]"#,
        ];
        fields.retain(|f| !f.starts_with(&format!("{attr} ")));
        fields.push(line);
        tf.config(&acc.config(&format!(
            "resource \"har_webhook\" \"w\" {{\n  {}\n}}",
            fields.join("\n  ")
        )));
        tf.plan()
            .assert_failure()
            .assert_says(says)
            .assert_says(attr);
    }
}

fn data_sources(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&acc.config(&format!(
        r#"{}
resource "har_webhook" "a" {{
  registry   = har_registry.wh-ds.id
  identifier = "alpha"
  name       = "Alpha"
  url        = "https://hooks.example.com/a"
  triggers   = ["ARTIFACT_CREATION"]
  extra_headers = [{{ key = "T", value = "hidden", masked = true }}]
}}

resource "har_webhook" "b" {{
  registry   = har_registry.wh-ds.id
  identifier = "beta"
  name       = "Beta"
  url        = "https://hooks.example.com/b"
  triggers   = ["ARTIFACT_DELETION"]
}}

data "har_webhook" "a" {{
  registry   = har_webhook.a.registry
  identifier = har_webhook.a.identifier
}}

data "har_webhooks" "all" {{
  registry   = har_registry.wh-ds.id
  depends_on = [har_webhook.a, har_webhook.b]
}}

output "a_url" {{ value = data.har_webhook.a.url }}
output "ids" {{ value = [for w in data.har_webhooks.all.webhooks : w.identifier] }}
output "masked" {{
  value     = data.har_webhook.a.extra_headers[0].value
  sensitive = true
}}"#,
        registry("wh-ds")
    )));
    tf.apply().assert_success();
    tf.plan_detailed().assert_no_changes();
    tf.run(&["output", "-no-color", "a_url"])
        .assert_success()
        .assert_says(r#""https://hooks.example.com/a""#);
    tf.run(&["output", "-no-color", "ids"])
        .assert_success()
        .assert_says(r#""alpha", "beta","#);
    tf.run(&["output", "-no-color", "-raw", "masked"])
        .assert_success()
        .assert_says("*******");
    tf.config(&acc.config(
        r#"data "har_webhook" "missing" {
  registry   = "acct/wh-ds"
  identifier = "nope"
}"#,
    ));
    tf.plan().assert_failure().assert_says("Webhook not found");
    tf.config(&acc.config(&registry("wh-ds")));
    tf.destroy().assert_success();
}

fn example(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The documented examples apply, plan empty, and `import.sh` imports what they made.
fn examples(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&acc.config(""));
    std::fs::write(
        tf.work_dir().join("example.tf"),
        example("examples/resources/har_webhook/resource.tf"),
    )
    .unwrap();
    apply_clean(&tf);
    // The masked example header shows as the placeholder on the server only.
    let server = server_hook(acc, "acct/docker-releases", "notify_ci").unwrap();
    assert_eq!(server["extraHeaders"][1]["value"], "*******");
    for line in example("examples/resources/har_webhook/import.sh").lines() {
        let Some(args) = line.strip_prefix("terraform import ") else {
            continue;
        };
        let (address, id) = args.split_once(' ').unwrap();
        tf.run(&["state", "rm", "-no-color", address])
            .assert_success();
        import(&tf, address, id.trim()).assert_success();
    }
    // After an import the masked value is unknown to Terraform: the only change planned is
    // sending the configured value again.
    tf.plan_detailed()
        .assert_changes()
        .assert_updates("har_webhook.ci");
    apply_clean(&tf);

    for ds in ["har_webhook", "har_webhooks"] {
        let d = acc.tf();
        d.config(&acc.config(""));
        std::fs::write(
            d.work_dir().join("example.tf"),
            example(&format!("examples/data-sources/{ds}/data-source.tf")),
        )
        .unwrap();
        d.apply().assert_success();
        d.plan_detailed().assert_no_changes();
    }
    tf.destroy().assert_success();
}
