//! The registry and proxy fields beyond the basics (issue 13), with the real terraform against
//! har-local: each attribute set, changed, unset; drift made through the API and seen by
//! `plan -detailed-exitcode`; import with `-generate-config-out` that plans clean; and the
//! plan-time checks that name the attribute.

mod support;

use serde_json::{Value, json};
use support::acc::{Acc, Says, Scenario, apply_clean, run_all};

const SCENARIOS: &[Scenario] = &[
    ("proxy_fields_lifecycle", proxy_fields_lifecycle),
    ("proxy_fields_import", proxy_fields_import),
    ("proxy_fields_bad_values", proxy_fields_bad_values),
];

#[test]
fn registry_and_proxy_fields() {
    let acc = Acc::start();
    run_all(&acc, SCENARIOS, 2);
}

fn maven_proxy(id: &str, extra: &str) -> String {
    format!(
        r#"resource "har_upstream_proxy" "m" {{
  identifier   = "{id}"
  package_type = "MAVEN"
  source       = "MavenCentral"
  auth_type    = "Anonymous"
{extra}
}}
"#
    )
}

fn upstream_config(acc: &Acc, reg_ref: &str) -> Value {
    acc.registry(reg_ref)["config"].clone()
}

fn proxy_fields_lifecycle(acc: &Acc) {
    let tf = acc.tf();
    let id = "f-mvn";
    let r = format!("acct/{id}");
    // Set.
    tf.config(&acc.config(&maven_proxy(
        id,
        r#"  is_public          = true
  firewall_mode      = "QUARANTINE"
  remote_url_suffix  = "maven2"
  metadata_cache_ttl = 3600
  negative_cache_ttl = 60"#,
    )));
    apply_clean(&tf);
    let c = upstream_config(acc, &r);
    assert_eq!(c["firewallMode"], "QUARANTINE");
    assert_eq!(c["remoteUrlSuffix"], "maven2");
    assert_eq!(
        (c["metadataCacheTTL"].clone(), c["negativeCacheTTL"].clone()),
        (json!(3600), json!(60))
    );
    assert_eq!(acc.registry(&r)["isPublic"], true);

    // Change.
    tf.config(&acc.config(&maven_proxy(
        id,
        r#"  is_public          = false
  firewall_mode      = "ENABLED"
  remote_url_suffix  = "/other/"
  metadata_cache_ttl = 604800
  negative_cache_ttl = 0"#,
    )));
    tf.plan().updates("har_upstream_proxy.m");
    apply_clean(&tf);
    let c = upstream_config(acc, &r);
    assert_eq!(c["firewallMode"], "ENABLED");
    assert_eq!(c["remoteUrlSuffix"], "other");
    assert_eq!(c["metadataCacheTTL"], 604800);
    assert_eq!(acc.registry(&r)["isPublic"], false);

    // Drift through the API: each field changed out of band shows as an update.
    for (key, value) in [
        ("firewallMode", json!("ALLOW")),
        ("remoteUrlSuffix", json!("elsewhere")),
        ("metadataCacheTTL", json!(5)),
    ] {
        acc.modify(&r, |d| d["config"][key] = value.clone());
        tf.plan_detailed().updates("har_upstream_proxy.m");
        apply_clean(&tf);
    }
    acc.modify(&r, |d| d["isPublic"] = json!(true));
    tf.plan_detailed().updates("har_upstream_proxy.m");
    apply_clean(&tf);
    assert_eq!(acc.registry(&r)["isPublic"], false);

    // Unset: the fields go from the server, and the plan after is empty.
    tf.config(&acc.config(&maven_proxy(id, "")));
    tf.plan().updates("har_upstream_proxy.m");
    apply_clean(&tf);
    let c = upstream_config(acc, &r);
    for key in [
        "firewallMode",
        "remoteUrlSuffix",
        "metadataCacheTTL",
        "negativeCacheTTL",
    ] {
        assert!(
            c.get(key).is_none_or(Value::is_null),
            "{key} still set: {c}"
        );
    }
    // Their empty forms are the same as unset: no diff.
    acc.modify(&r, |d| {
        d["config"]["firewallMode"] = json!("ALLOW");
        d["config"]["metadataCacheTTL"] = json!(0);
        d["config"]["remoteUrlSuffix"] = json!("");
    });
    tf.plan_detailed().is_empty();
    tf.destroy().succeeds();
}

fn proxy_fields_import(acc: &Acc) {
    let r = acc.post(
        &json!({"identifier": "f-imp", "packageType": "MAVEN", "parentRef": "acct",
        "isPublic": true,
        "config": {"type": "UPSTREAM", "source": "MavenCentral", "authType": "Anonymous",
            "firewallMode": "QUARANTINE", "remoteUrlSuffix": "m2",
            "metadataCacheTTL": 120, "negativeCacheTTL": 30}}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"
import {
  to = har_upstream_proxy.m
  id = "acct/f-imp"
}
"#,
    ));
    tf.run(&[
        "plan",
        "-input=false",
        "-no-color",
        "-generate-config-out=generated.tf",
    ])
    .succeeds()
    .says("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.");
    let generated =
        std::fs::read_to_string(tf.work_dir().join("generated.tf")).expect("generated.tf");
    let squeezed: String = generated.split_whitespace().collect::<Vec<_>>().join(" ");
    for line in [
        r#"firewall_mode = "QUARANTINE""#,
        "metadata_cache_ttl = 120",
        "negative_cache_ttl = 30",
        "is_public = true",
        r#"remote_url_suffix = "m2""#,
    ] {
        assert!(squeezed.contains(line), "{line} missing from:\n{generated}");
    }
    tf.apply()
        .succeeds()
        .says("1 imported, 0 added, 0 changed, 0 destroyed");
    tf.plan_detailed().is_empty();
    tf.destroy().succeeds();
}

fn proxy_fields_bad_values(acc: &Acc) {
    let tf = acc.tf();
    let cases = [
        (
            maven_proxy("f-bad", r#"  firewall_mode = "quarantine""#),
            "did you mean \"QUARANTINE\"",
        ),
        (
            maven_proxy("f-bad", r#"  firewall_mode = "BLOCK""#),
            "allowed: ALLOW, ENABLED, QUARANTINE",
        ),
        (
            maven_proxy("f-bad", "  metadata_cache_ttl = 604801"),
            "0 to 604800 seconds",
        ),
        (
            maven_proxy("f-bad", "  negative_cache_ttl = -1"),
            "negative_cache_ttl",
        ),
        (
            r#"resource "har_upstream_proxy" "n" {
  identifier         = "f-bad-npm"
  package_type       = "NPM"
  source             = "NpmJs"
  auth_type          = "Anonymous"
  metadata_cache_ttl = 60
}
"#
            .to_string(),
            "only to MAVEN",
        ),
        (
            r#"resource "har_upstream_proxy" "d" {
  identifier    = "f-bad-docker"
  package_type  = "DOCKER"
  source        = "Dockerhub"
  auth_type     = "Anonymous"
  firewall_mode = "ENABLED"
}
"#
            .to_string(),
            "not supported for DOCKER",
        ),
    ];
    for (hcl, says) in cases {
        tf.config(&acc.config(&hcl));
        tf.plan().fails().says(says);
    }
    assert!(!acc.exists("acct/f-bad"));
}
