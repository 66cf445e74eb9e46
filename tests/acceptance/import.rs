//! Import: `terraform import` with the registry ref, `import {}` blocks, and
//! `terraform plan -generate-config-out` whose generated configuration plans with no change;
//! a clear error for the wrong resource type, a bad ID or another account.

use crate::support;

use serde_json::json;
use support::acc::{Acc, AssertSays, Scenario, apply_clean, attrs, import, run_all};

const SCENARIOS: &[Scenario] = &[
    ("cli_import", cli_import),
    ("import_blocks", import_blocks),
    ("generate_config_out", generate_config_out),
    (
        "generated_config_with_inline_access_key",
        generated_config_with_inline_access_key,
    ),
    ("wrong_type_and_bad_ids", wrong_type_and_bad_ids),
];

#[test]
fn import_round_trips() {
    let acc = Acc::start();
    run_all(&acc, SCENARIOS, 3);
}

/// Out of band: a proxy with user/password (secret scope given), a Dockerhub proxy, and a
/// registry listing both, all in `acct/<org>`.
fn seed(acc: &Acc, p: &str, org: &str) {
    let scope = format!("acct/{org}");
    let r = acc.post(
        &json!({"identifier": format!("{p}-up"), "packageType": "DOCKER",
        "parentRef": scope, "description": "with auth",
        "config": {"type": "UPSTREAM", "source": "Custom", "url": "https://registry.example.com",
            "authType": "UserPassword",
            "auth": {"userName": "bot", "secretIdentifier": "pw", "secretSpacePath": "acct"}}}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = acc.post(
        &json!({"identifier": format!("{p}-hub"), "packageType": "DOCKER",
        "parentRef": scope,
        "config": {"type": "UPSTREAM", "source": "Dockerhub", "authType": "Anonymous"}}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = acc.post(
        &json!({"identifier": format!("{p}-reg"), "packageType": "DOCKER",
        "parentRef": scope, "description": "imported", "labels": ["x", "y"],
        "config": {"type": "VIRTUAL", "upstreamProxies": [format!("{p}-hub"), format!("{p}-up")]}}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
}

fn handwritten(acc: &Acc, p: &str, org: &str) -> String {
    acc.config(&format!(
        r#"resource "har_upstream_proxy" "up" {{
  identifier   = "{p}-up"
  package_type = "DOCKER"
  org_id       = "{org}"
  description  = "with auth"
  source       = "Custom"
  url          = "https://registry.example.com"
  auth_type    = "UserPassword"
  user_password = {{
    user_name         = "bot"
    secret_identifier = "pw"
    secret_space_path = "acct"
  }}
}}
resource "har_upstream_proxy" "hub" {{
  identifier   = "{p}-hub"
  package_type = "DOCKER"
  org_id       = "{org}"
  source       = "Dockerhub"
  auth_type    = "Anonymous"
}}
resource "har_registry" "reg" {{
  identifier       = "{p}-reg"
  package_type     = "DOCKER"
  org_id           = "{org}"
  description      = "imported"
  labels           = ["x", "y"]
  upstream_proxies = [har_upstream_proxy.hub.identifier, har_upstream_proxy.up.identifier]
}}"#
    ))
}

fn cli_import(acc: &Acc) {
    seed(acc, "im1", "o1");
    let tf = acc.tf();
    tf.config(&handwritten(acc, "im1", "o1"));
    import(&tf, "har_registry.reg", "acct/o1/im1-reg").assert_success();
    import(&tf, "har_upstream_proxy.hub", "acct/o1/im1-hub").assert_success();
    import(&tf, "har_upstream_proxy.up", "acct/o1/im1-up").assert_success();
    assert_eq!(attrs(&tf, "har_registry.reg")["id"], "acct/o1/im1-reg");
    tf.plan_detailed().assert_no_changes();
    // Managed from now on: an update works.
    tf.config(&handwritten(acc, "im1", "o1").replace("\"imported\"", "\"adopted\""));
    apply_clean(&tf);
    assert_eq!(acc.registry("acct/o1/im1-reg")["description"], "adopted");
}

fn import_blocks(acc: &Acc) {
    seed(acc, "im2", "o2");
    let tf = acc.tf();
    let blocks = r#"
import {
  to = har_registry.reg
  id = "acct/o2/im2-reg"
}
import {
  to = har_upstream_proxy.hub
  id = "acct/o2/im2-hub"
}
import {
  to = har_upstream_proxy.up
  id = "acct/o2/im2-up"
}
"#;
    tf.config(&format!("{}{blocks}", handwritten(acc, "im2", "o2")));
    tf.plan()
        .assert_success()
        .assert_says("Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.");
    tf.apply()
        .assert_success()
        .assert_says("3 imported, 0 added, 0 changed, 0 destroyed");
    tf.plan_detailed().assert_no_changes();
}

fn generate_config_out(acc: &Acc) {
    seed(acc, "im3", "o3");
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"
import {
  to = har_registry.reg
  id = "acct/o3/im3-reg"
}
import {
  to = har_upstream_proxy.hub
  id = "acct/o3/im3-hub"
}
import {
  to = har_upstream_proxy.up
  id = "acct/o3/im3-up"
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
    .assert_says("Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.");
    let generated =
        std::fs::read_to_string(tf.work_dir().join("generated.tf")).expect("generated.tf");
    assert!(
        generated.contains(r#"resource "har_registry" "reg""#),
        "{generated}"
    );
    assert!(
        generated.contains(r#"upstream_proxies = ["im3-hub", "im3-up"]"#),
        "{generated}"
    );
    tf.apply()
        .assert_success()
        .assert_says("3 imported, 0 added, 0 changed, 0 destroyed");
    tf.plan_detailed().assert_no_changes();
}

fn generated_config_with_inline_access_key(acc: &Acc) {
    let r = acc.post(
        &json!({"identifier": "im4-ecr", "packageType": "DOCKER", "parentRef": "acct",
        "config": {"type": "UPSTREAM", "source": "AwsEcr",
            "url": "https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
            "authType": "AccessKeySecretKey",
            "auth": {"accessKey": "AKIAINLINE", "secretKeyIdentifier": "sk"}}}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"
import {
  to = har_upstream_proxy.ecr
  id = "acct/im4-ecr"
}
"#,
    ));
    // Terraform writes a sensitive value as `null # sensitive`; the plan then says what to do.
    tf.run(&[
        "plan",
        "-input=false",
        "-no-color",
        "-generate-config-out=generated.tf",
    ])
    .assert_failure()
    .assert_says("Missing access key")
    .assert_says("`null # sensitive`: put the key there");
    let path = tf.work_dir().join("generated.tf");
    let generated = std::fs::read_to_string(&path).expect("generated.tf");
    assert!(generated.contains("null # sensitive"), "{generated}");
    std::fs::write(
        &path,
        generated.replace("null # sensitive", "\"AKIAINLINE\""),
    )
    .expect("edit");
    tf.apply().assert_success().assert_says("1 imported");
    tf.plan_detailed().assert_no_changes();
}

fn wrong_type_and_bad_ids(acc: &Acc) {
    seed(acc, "im5", "o5");
    let tf = acc.tf();
    tf.config(&handwritten(acc, "im5", "o5"));
    import(&tf, "har_registry.reg", "acct/o5/im5-hub")
        .assert_failure()
        .assert_says("is an upstream proxy (config.type = UPSTREAM), not a registry")
        .assert_says("har_upstream_proxy");
    import(&tf, "har_upstream_proxy.hub", "acct/o5/im5-reg")
        .assert_failure()
        .assert_says("is a registry (config.type = VIRTUAL), not an upstream proxy");
    import(&tf, "har_registry.reg", "im5-reg")
        .assert_failure()
        .assert_says("Invalid import ID")
        .assert_says("acct/org/project/docker-main");
    import(&tf, "har_registry.reg", "other/o5/im5-reg")
        .assert_failure()
        .assert_says("Import ID in another account");
    import(&tf, "har_registry.reg", "acct/o5/im5-nothing")
        .assert_failure()
        .assert_says("Cannot import non-existent remote object");
}
