//! Drift: changes made behind Terraform's back (direct HTTP calls to har-local) show up in
//! `terraform plan -detailed-exitcode` (exit code 2) and the next apply puts them back.

use crate::support;

use serde_json::json;
use support::acc::{Acc, AssertSays, Scenario, apply_clean, run_all};

const SCENARIOS: &[Scenario] = &[
    ("registry_deleted", registry_deleted),
    ("proxy_unlinked", proxy_unlinked),
    ("description_changed", description_changed),
    ("proxy_settings_changed", proxy_settings_changed),
    (
        "delete_of_gone_and_listed_elsewhere",
        delete_of_gone_and_listed_elsewhere,
    ),
];

#[test]
fn drift() {
    let acc = Acc::start();
    run_all(&acc, SCENARIOS, 2);
}

fn config(acc: &Acc, p: &str) -> String {
    acc.config(&format!(
        r#"resource "har_upstream_proxy" "a" {{
  identifier   = "{p}-a"
  package_type = "DOCKER"
  source       = "Dockerhub"
  auth_type    = "Anonymous"
}}
resource "har_upstream_proxy" "b" {{
  identifier   = "{p}-b"
  package_type = "DOCKER"
  source       = "Custom"
  url          = "https://mirror.example.com"
  auth_type    = "UserPassword"
  user_password = {{
    user_name         = "bot"
    secret_identifier = "mirror_pw"
  }}
}}
resource "har_registry" "r" {{
  identifier       = "{p}-reg"
  package_type     = "DOCKER"
  description      = "managed"
  upstream_proxies = [har_upstream_proxy.a.identifier, har_upstream_proxy.b.identifier]
}}"#
    ))
}

fn registry_deleted(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&config(acc, "dr1"));
    apply_clean(&tf);
    assert_eq!(acc.delete("acct/dr1-reg").status, 200);
    tf.plan_detailed()
        .assert_changes()
        .assert_creates("har_registry.r")
        .assert_says("Plan: 1 to add, 0 to change, 0 to destroy.");
    apply_clean(&tf);
    assert_eq!(
        acc.registry("acct/dr1-reg")["config"]["upstreamProxies"],
        json!(["dr1-a", "dr1-b"])
    );
    tf.destroy().assert_success();
}

fn proxy_unlinked(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&config(acc, "dr2"));
    apply_clean(&tf);
    acc.modify("acct/dr2-reg", |d| {
        d["config"]["upstreamProxies"] = json!(["dr2-a"]);
    });
    tf.plan_detailed()
        .assert_changes()
        .assert_updates("har_registry.r")
        .assert_says("+ \"dr2-b\",");
    apply_clean(&tf);
    assert_eq!(
        acc.registry("acct/dr2-reg")["config"]["upstreamProxies"],
        json!(["dr2-a", "dr2-b"])
    );
    // An out-of-band reorder is drift too.
    acc.modify("acct/dr2-reg", |d| {
        d["config"]["upstreamProxies"] = json!(["dr2-b", "dr2-a"]);
    });
    tf.plan_detailed()
        .assert_changes()
        .assert_updates("har_registry.r");
    apply_clean(&tf);
    tf.destroy().assert_success();
}

fn description_changed(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&config(acc, "dr3"));
    apply_clean(&tf);
    acc.modify("acct/dr3-reg", |d| {
        d["description"] = json!("changed by hand")
    });
    tf.plan_detailed()
        .assert_changes()
        .assert_updates("har_registry.r")
        .assert_says(r#"~ description = "changed by hand" -> "managed""#);
    apply_clean(&tf);
    assert_eq!(acc.registry("acct/dr3-reg")["description"], "managed");
    // Labels added by hand on a registry that has none in config: drift as well.
    acc.modify("acct/dr3-reg", |d| d["labels"] = json!(["x"]));
    tf.plan_detailed()
        .assert_changes()
        .assert_updates("har_registry.r");
    apply_clean(&tf);
    tf.destroy().assert_success();
}

fn proxy_settings_changed(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&config(acc, "dr4"));
    apply_clean(&tf);
    acc.modify("acct/dr4-b", |d| {
        d["config"]["url"] = json!("https://other.example.com");
        d["config"]["auth"]["secretIdentifier"] = json!("other_pw");
    });
    tf.plan_detailed()
        .assert_changes()
        .assert_updates("har_upstream_proxy.b")
        .assert_says(r#"~ url = "https://other.example.com" -> "https://mirror.example.com""#)
        .assert_says(r#"~ secret_identifier = "other_pw" -> "mirror_pw""#);
    apply_clean(&tf);
    assert_eq!(
        acc.registry("acct/dr4-b")["config"]["auth"]["secretIdentifier"],
        "mirror_pw"
    );
    tf.destroy().assert_success();
}

fn delete_of_gone_and_listed_elsewhere(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&config(acc, "dr5"));
    apply_clean(&tf);
    // A registry outside Terraform lists one of the proxies: destroy stops on it, with the
    // server's message naming that registry.
    let r = acc.post(
        &json!({"identifier": "dr5-outside", "packageType": "DOCKER",
        "parentRef": "acct", "config": {"type": "VIRTUAL", "upstreamProxies": ["dr5-a"]}}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    tf.destroy()
        .assert_failure()
        .assert_says("Cannot delete upstream proxy dr5-a: still listed by registry dr5-outside")
        .assert_says("is being used inside Registry: [dr5-outside");
    assert!(acc.exists("acct/dr5-a"));
    assert!(!acc.exists("acct/dr5-reg") && !acc.exists("acct/dr5-b"));
    assert_eq!(acc.delete("acct/dr5-outside").status, 200);
    // Deleted behind Terraform's back and not refreshed: deleting it again is a success.
    assert_eq!(acc.delete("acct/dr5-a").status, 200);
    tf.run(&[
        "destroy",
        "-input=false",
        "-no-color",
        "-auto-approve",
        "-refresh=false",
    ])
    .assert_success();
    assert_eq!(
        tf.run(&["state", "list"]).assert_success().stdout.trim(),
        ""
    );
}
