//! Linked upstream proxies change in one apply with the documented pattern,
//! `lifecycle { create_before_destroy = true }` on `har_upstream_proxy`: renaming a proxy a
//! registry lists, and removing a proxy together with its link. Without it, Terraform may
//! destroy the old proxy first (versions differ in how they order a removal, so these tests
//! do not assume a failure); when that happens the error names the registry and the setting
//! to add. With it, a replacement that keeps the identifier cannot create first (names are
//! unique in the account); the error then explains that case and the way out.
//!
//! Every terraform command here starts its own provider process (dev_overrides), as in real
//! use: the create half of a replacement is planned again by a fresh process during apply.

use crate::support;

use serde_json::json;
use support::acc::{Acc, AssertSays, Scenario, apply_clean, run_all};
use support::terraform::{Terraform, with_provider};

const SCENARIOS: &[Scenario] = &[
    ("rename_with_the_pattern", rename_with_the_pattern),
    ("remove_with_the_pattern", remove_with_the_pattern),
    ("rename_without_the_pattern", rename_without_the_pattern),
    ("remove_without_the_pattern", remove_without_the_pattern),
    (
        "replacement_keeping_identifier",
        replacement_keeping_identifier,
    ),
];

#[test]
fn linked_proxies() {
    let acc = Acc::start();
    run_all(&acc, SCENARIOS, 2);
}

/// A working directory whose every command starts the provider afresh, pointed at `acc`.
fn tf(acc: &Acc) -> Terraform {
    Terraform::new()
        .env("HARNESS_ENDPOINT", &acc.server.endpoint())
        .env("HARNESS_ACCOUNT_ID", acc.server.account())
        .env("HARNESS_PLATFORM_API_KEY", acc.server.api_key())
}

const PATTERN: &str = "\n  lifecycle {\n    create_before_destroy = true\n  }";

/// Proxies named `proxies` (resource name = identifier without the prefix) and one registry
/// `<prefix>reg` listing them in order.
fn config(prefix: &str, proxies: &[&str], lifecycle: bool) -> String {
    let mut body = String::from("provider \"har\" {}\n");
    for p in proxies {
        body.push_str(&format!(
            r#"
resource "har_upstream_proxy" "{p}" {{
  identifier   = "{prefix}{p}"
  package_type = "DOCKER"
  source       = "Custom"
  url          = "https://{p}.example.com"
  auth_type    = "Anonymous"{}
}}
"#,
            if lifecycle { PATTERN } else { "" }
        ));
    }
    let list: Vec<String> = proxies
        .iter()
        .map(|p| format!("har_upstream_proxy.{p}.identifier"))
        .collect();
    body.push_str(&format!(
        r#"
resource "har_registry" "reg" {{
  identifier       = "{prefix}reg"
  package_type     = "DOCKER"
  upstream_proxies = [{}]
}}
"#,
        list.join(", ")
    ));
    with_provider(&body)
}

/// The same, with proxy `from` renamed (identifier `<prefix><to>`, same resource address).
fn renamed(prefix: &str, proxies: &[&str], from: &str, to: &str, lifecycle: bool) -> String {
    config(prefix, proxies, lifecycle).replace(
        &format!("identifier   = \"{prefix}{from}\""),
        &format!("identifier   = \"{prefix}{to}\""),
    )
}

fn upstreams(acc: &Acc, prefix: &str) -> serde_json::Value {
    acc.registry(&format!("acct/{prefix}reg"))["config"]["upstreamProxies"].clone()
}

fn rename_with_the_pattern(acc: &Acc) {
    let tf = tf(acc);
    tf.config(&config("lp1-", &["a", "b"], true));
    apply_clean(&tf);
    tf.config(&renamed("lp1-", &["a", "b"], "a", "a2", true));
    tf.apply().assert_success();
    assert_eq!(upstreams(acc, "lp1-"), json!(["lp1-a2", "lp1-b"]));
    assert!(!acc.exists("acct/lp1-a"), "the old proxy is destroyed");
    tf.plan_detailed().assert_no_changes();
    tf.destroy().assert_success();
}

fn remove_with_the_pattern(acc: &Acc) {
    let tf = tf(acc);
    tf.config(&config("lp2-", &["a", "b"], true));
    apply_clean(&tf);
    // The proxy's block is gone: the create_before_destroy recorded in state orders it.
    tf.config(&config("lp2-", &["b"], true));
    tf.apply().assert_success();
    assert_eq!(upstreams(acc, "lp2-"), json!(["lp2-b"]));
    assert!(!acc.exists("acct/lp2-a"));
    tf.plan_detailed().assert_no_changes();
    tf.destroy().assert_success();
}

/// Without the pattern: if this Terraform destroys first, the error names the registry and
/// the setting; applying the configurations in `fixed` (the setting added) then converges.
fn without_the_pattern(acc: &Acc, prefix: &str, next: &str, fixed: &[String]) {
    let tf = tf(acc);
    tf.config(&config(prefix, &["a", "b"], false));
    apply_clean(&tf);
    tf.config(next);
    let out = tf.apply();
    eprintln!(
        "{prefix}: without create_before_destroy this terraform {} in one apply",
        if out.code == 0 { "succeeded" } else { "failed" }
    );
    if out.code != 0 {
        out.assert_says(&format!(
            "Cannot delete upstream proxy {prefix}a: still listed by registry {prefix}reg"
        ))
        .assert_says("create_before_destroy = true")
        .assert_does_not_mention("-target");
        for step in fixed {
            tf.config(step);
            tf.apply().assert_success();
        }
    }
    tf.plan_detailed().assert_no_changes();
    assert!(!acc.exists(&format!("acct/{prefix}a")));
    tf.destroy().assert_success();
}

fn rename_without_the_pattern(acc: &Acc) {
    without_the_pattern(
        acc,
        "lp3-",
        &renamed("lp3-", &["a", "b"], "a", "a2", false),
        &[renamed("lp3-", &["a", "b"], "a", "a2", true)],
    );
}

fn remove_without_the_pattern(acc: &Acc) {
    // Removing the block takes the proxy's lifecycle with it: the fix is to add the setting
    // while the proxy is still configured, apply, then remove it.
    without_the_pattern(
        acc,
        "lp4-",
        &config("lp4-", &["b"], false),
        &[
            config("lp4-", &["a", "b"], true),
            config("lp4-", &["b"], true),
        ],
    );
}

/// create_before_destroy and a replacement that keeps the identifier (here a new org): the
/// plan warns, the apply stops before the old object is touched and says why and what to
/// do; a new identifier gets out of it in one apply.
fn replacement_keeping_identifier(acc: &Acc) {
    let tf = tf(acc);
    let proxy = |org: &str, identifier: &str| {
        with_provider(&format!(
            r#"provider "har" {{}}

resource "har_upstream_proxy" "p" {{
  identifier   = "{identifier}"
  package_type = "DOCKER"
  org_id       = "{org}"
  source       = "Dockerhub"
  auth_type    = "Anonymous"{PATTERN}
}}
"#
        ))
    };
    tf.config(&proxy("one", "lp5-p"));
    apply_clean(&tf);
    tf.config(&proxy("two", "lp5-p"));
    tf.plan()
        .assert_success()
        .assert_says(
            "Warning: har_upstream_proxy acct/one/lp5-p is replaced keeping its identifier",
        )
        .assert_says("give it a new identifier in the same change");
    tf.apply()
        .assert_failure()
        .assert_says("create_before_destroy")
        .assert_says("give it a new identifier in the same change");
    assert!(acc.exists("acct/one/lp5-p"), "the old proxy is untouched");
    tf.config(&proxy("two", "lp5-p2"));
    tf.apply().assert_success();
    assert!(acc.exists("acct/two/lp5-p2") && !acc.exists("acct/one/lp5-p"));
    tf.plan_detailed().assert_no_changes();
    tf.destroy().assert_success();
}
