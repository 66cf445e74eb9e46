//! The registry and proxy fields beyond the basics (issue 13), with the real terraform against
//! har-local: each attribute set, changed, unset; drift made through the API and seen by
//! `plan -detailed-exitcode`; import with `-generate-config-out` that plans clean; and the
//! plan-time checks that name the attribute.

use crate::support;

use serde_json::{Value, json};
use support::acc::{Acc, AssertSays, Scenario, apply_clean, attrs, run_all};

const SCENARIOS: &[Scenario] = &[
    ("proxy_fields_lifecycle", proxy_fields_lifecycle),
    ("proxy_fields_import", proxy_fields_import),
    ("proxy_fields_bad_values", proxy_fields_bad_values),
    ("registry_fields_lifecycle", registry_fields_lifecycle),
    ("debian_config_lifecycle", debian_config_lifecycle),
    ("registry_fields_import", registry_fields_import),
    ("registry_fields_bad_values", registry_fields_bad_values),
    ("metadata_lifecycle", metadata_lifecycle),
    ("every_package_type", every_package_type),
    ("data_sources_show_the_fields", data_sources_show_the_fields),
];

#[test]
fn registry_and_proxy_fields() {
    let acc = Acc::start();
    run_all(&acc, SCENARIOS, 3);
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
    tf.plan().assert_updates("har_upstream_proxy.m");
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
        tf.plan_detailed().assert_updates("har_upstream_proxy.m");
        apply_clean(&tf);
    }
    acc.modify(&r, |d| d["isPublic"] = json!(true));
    tf.plan_detailed().assert_updates("har_upstream_proxy.m");
    apply_clean(&tf);
    assert_eq!(acc.registry(&r)["isPublic"], false);

    // Unset: the fields go from the server, and the plan after is empty.
    tf.config(&acc.config(&maven_proxy(id, "")));
    tf.plan().assert_updates("har_upstream_proxy.m");
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
    tf.plan_detailed().assert_no_changes();
    tf.destroy().assert_success();
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
    .assert_success()
    .assert_says("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.");
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
        .assert_success()
        .assert_says("1 imported, 0 added, 0 changed, 0 destroyed");
    tf.plan_detailed().assert_no_changes();
    tf.destroy().assert_success();
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
        tf.plan().assert_failure().assert_says(says);
    }
    assert!(!acc.exists("acct/f-bad"));
}

fn registry(id: &str, package_type: &str, extra: &str) -> String {
    format!(
        r#"resource "har_registry" "r" {{
  identifier   = "{id}"
  package_type = "{package_type}"
{extra}
}}
"#
    )
}

const POLICY_A: &str = r#"  cleanup_policy = [{
    name           = "old-snapshots"
    expire_days    = 30
    package_prefix = ["app"]
    version_prefix = ["0."]
  }]"#;

fn registry_fields_lifecycle(acc: &Acc) {
    let tf = acc.tf();
    let id = "f-reg";
    let r = format!("acct/{id}");
    // Set: cleanup policies need the follow-up PUT (the create does not store them).
    tf.config(&acc.config(&registry(
        id,
        "DOCKER",
        &format!(
            r#"  is_public   = true
  scanners    = ["AQUA_TRIVY"]
  policy_refs = ["acct.sec-policy"]
{POLICY_A}"#
        ),
    )));
    apply_clean(&tf);
    let d = acc.registry(&r);
    assert_eq!(d["isPublic"], true);
    assert_eq!(d["scanners"], json!([{"name": "AQUA_TRIVY"}]));
    assert_eq!(d["policyRefs"], json!(["acct.sec-policy"]));
    assert_eq!(d["cleanupPolicy"][0]["name"], "old-snapshots");
    assert_eq!(d["cleanupPolicy"][0]["expireDays"], 30);

    // Change.
    tf.config(&acc.config(&registry(
        id,
        "DOCKER",
        r#"  is_public   = false
  scanners    = ["GRYPE", "AQUA_TRIVY"]
  policy_refs = ["acct.other"]
  cleanup_policy = [
    { name = "a", expire_days = 7, package_prefix = ["x"], version_prefix = ["1."] },
    { name = "b", expire_days = 90, package_prefix = ["y", "z"], version_prefix = ["2."] },
  ]"#,
    )));
    tf.plan().assert_updates("har_registry.r");
    apply_clean(&tf);
    let d = acc.registry(&r);
    assert_eq!(d["isPublic"], false);
    assert_eq!(
        d["scanners"],
        json!([{"name": "GRYPE"}, {"name": "AQUA_TRIVY"}])
    );
    assert_eq!(d["cleanupPolicy"].as_array().map(Vec::len), Some(2));

    // Drift through the API, one field at a time.
    let drifts: [(&str, Value); 4] = [
        ("isPublic", json!(true)),
        ("scanners", json!([])),
        ("policyRefs", json!(["acct.sneaky"])),
        ("cleanupPolicy", Value::Null),
    ];
    for (key, value) in drifts {
        acc.modify(&r, |d| d[key] = value.clone());
        tf.plan_detailed().assert_updates("har_registry.r");
        apply_clean(&tf);
    }
    assert_eq!(
        acc.registry(&r)["cleanupPolicy"].as_array().map(Vec::len),
        Some(2)
    );

    // Unset: gone from the server; the plan after is empty.
    tf.config(&acc.config(&registry(id, "DOCKER", "")));
    tf.plan().assert_updates("har_registry.r");
    apply_clean(&tf);
    let d = acc.registry(&r);
    assert_eq!(d["isPublic"], false);
    for key in ["scanners", "policyRefs", "cleanupPolicy"] {
        assert!(
            d.get(key).is_none_or(|v| v.is_null() || v == &json!([])),
            "{key}: {d}"
        );
    }
    // Empty forms are unset: `[]` and `false` written out plan clean against the server.
    tf.config(&acc.config(&registry(
        id,
        "DOCKER",
        "  is_public = false\n  scanners = []\n  policy_refs = []\n  cleanup_policy = []",
    )));
    apply_clean(&tf);
    tf.destroy().assert_success();
}

fn debian_config_lifecycle(acc: &Acc) {
    let tf = acc.tf();
    let id = "f-deb";
    let r = format!("acct/{id}");
    // Unset: the server's defaults are not a diff.
    tf.config(&acc.config(&registry(id, "DEBIAN", "")));
    apply_clean(&tf);
    assert_eq!(
        acc.registry(&r)["config"]["debianConfig"]["remoteIndexedArchitectures"],
        json!(["amd64", "i386", "arm64"])
    );
    // Set.
    let set = r#"  debian_config = {
    remote_indexed_architectures       = ["arm64"]
    optional_index_compression_formats = [".xz"]
  }"#;
    tf.config(&acc.config(&registry(id, "DEBIAN", set)));
    tf.plan().assert_updates("har_registry.r");
    apply_clean(&tf);
    assert_eq!(
        acc.registry(&r)["config"]["debianConfig"],
        json!({"remoteIndexedArchitectures": ["arm64"], "optionalIndexCompressionFormats": [".xz"]})
    );
    // Drift.
    acc.modify(&r, |d| {
        d["config"]["debianConfig"]["remoteIndexedArchitectures"] = json!(["amd64"])
    });
    tf.plan_detailed().assert_updates("har_registry.r");
    apply_clean(&tf);
    // Unset again: back to the defaults.
    tf.config(&acc.config(&registry(id, "DEBIAN", "")));
    apply_clean(&tf);
    assert_eq!(
        acc.registry(&r)["config"]["debianConfig"]["remoteIndexedArchitectures"],
        json!(["amd64", "i386", "arm64"])
    );
    tf.destroy().assert_success();
}

fn registry_fields_import(acc: &Acc) {
    let body = json!({"identifier": "f-rimp", "packageType": "HELM", "parentRef": "acct",
        "isPublic": true, "scanners": [{"name": "GRYPE"}], "policyRefs": ["acct.p"],
        "config": {"type": "VIRTUAL"}});
    let r = acc.post(&body);
    assert_eq!(r.status, 201, "{}", r.text());
    let mut with_policy = body.clone();
    with_policy["cleanupPolicy"] = json!([{"name": "n", "expireDays": 3,
        "packagePrefix": ["p"], "versionPrefix": ["v"]}]);
    acc.modify("acct/f-rimp", |d| {
        d["cleanupPolicy"] = with_policy["cleanupPolicy"].clone()
    });
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"
import {
  to = har_registry.r
  id = "acct/f-rimp"
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
    let generated =
        std::fs::read_to_string(tf.work_dir().join("generated.tf")).expect("generated.tf");
    let squeezed: String = generated.split_whitespace().collect::<Vec<_>>().join(" ");
    for text in [
        "is_public = true",
        r#"scanners = ["GRYPE"]"#,
        r#"policy_refs = ["acct.p"]"#,
        r#"name = "n""#,
        "expire_days = 3",
    ] {
        assert!(squeezed.contains(text), "{text} missing from:\n{generated}");
    }
    tf.apply()
        .assert_success()
        .assert_says("1 imported, 0 added, 0 changed, 0 destroyed");
    tf.plan_detailed().assert_no_changes();
    tf.destroy().assert_success();
}

fn registry_fields_bad_values(acc: &Acc) {
    let tf = acc.tf();
    let cases = [
        (
            registry("f-rbad", "DOCKER", r#"  scanners = ["grype"]"#),
            "did you mean \"GRYPE\"",
        ),
        (
            registry(
                "f-rbad",
                "NPM",
                "  debian_config = { remote_indexed_architectures = [\"amd64\"] }",
            ),
            "debian_config applies only to DEBIAN",
        ),
        (
            registry(
                "f-rbad",
                "DEBIAN",
                "  debian_config = { optional_index_compression_formats = [\".bz2\"] }",
            ),
            "allowed: .xz",
        ),
        (
            registry(
                "f-rbad",
                "DOCKER",
                "  cleanup_policy = [{ name = \"n\", expire_days = 3, package_prefix = [], version_prefix = [\"v\"] }]",
            ),
            "cleanup_policy[0].package_prefix",
        ),
        (
            registry(
                "f-rbad",
                "DOCKER",
                "  cleanup_policy = [{ name = \"n\", package_prefix = [\"p\"], version_prefix = [\"v\"] }]",
            ),
            "expire_days",
        ),
    ];
    for (hcl, says) in cases {
        tf.config(&acc.config(&hcl));
        tf.plan().assert_failure().assert_says(says);
    }
    assert!(!acc.exists("acct/f-rbad"));
}

fn metadata_path(acc: &Acc, reg_ref: &str) -> String {
    let uuid = acc.registry(reg_ref)["uuid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    format!("/gateway/har/api/v3/registries/{uuid}/metadata?account_identifier=acct")
}

/// (key, value, type) of every entry, sorted.
fn entries(acc: &Acc, path: &str) -> Vec<(String, String, String)> {
    let r = acc.v3_get(path);
    assert_eq!(r.status, 200, "{}", r.text());
    let mut out: Vec<_> = r.json()["data"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("key"), s("value"), s("type"))
        })
        .collect();
    out.sort();
    out
}

fn e(k: &str, v: &str, t: &str) -> (String, String, String) {
    (k.into(), v.into(), t.into())
}

fn metadata_lifecycle(acc: &Acc) {
    let tf = acc.tf();
    let id = "f-meta";
    let r = format!("acct/{id}");
    tf.config(&acc.config(&registry(
        id,
        "NPM",
        r#"  metadata = { team = "platform", owner = "a.b@example.com" }"#,
    )));
    apply_clean(&tf);
    let path = metadata_path(acc, &r);
    assert_eq!(
        entries(acc, &path),
        [
            e("owner", "a.b@example.com", "MANUAL"),
            e("team", "platform", "MANUAL")
        ]
    );
    // The system sets an AUTO entry: no drift, and it survives every change below.
    let resp = acc.v3_post(
        &path,
        &json!({"metadata": [{"key": "scanned", "value": "yes", "type": "AUTO"}]}),
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    tf.plan_detailed().assert_no_changes();

    // Change.
    tf.config(&acc.config(&registry(id, "NPM", r#"  metadata = { team = "data" }"#)));
    tf.plan().assert_updates("har_registry.r");
    apply_clean(&tf);
    assert_eq!(
        entries(acc, &path),
        [e("scanned", "yes", "AUTO"), e("team", "data", "MANUAL")]
    );

    // Drift: a MANUAL entry added through the API is seen and removed.
    let resp = acc.v3_post(
        &path,
        &json!({"metadata": [{"key": "extra", "value": "x"}]}),
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    tf.plan_detailed().assert_updates("har_registry.r");
    apply_clean(&tf);
    assert_eq!(
        entries(acc, &path),
        [e("scanned", "yes", "AUTO"), e("team", "data", "MANUAL")]
    );

    // Import with -generate-config-out: the MANUAL entries only.
    let tf2 = acc.tf();
    tf2.config(&acc.config(&format!(
        "import {{\n  to = har_registry.r\n  id = \"{r}\"\n}}\n"
    )));
    tf2.run(&[
        "plan",
        "-input=false",
        "-no-color",
        "-generate-config-out=generated.tf",
    ])
    .assert_success()
    .assert_says("1 to import, 0 to add, 0 to change");
    let generated =
        std::fs::read_to_string(tf2.work_dir().join("generated.tf")).expect("generated.tf");
    assert!(generated.contains("team = \"data\""), "{generated}");
    assert!(
        !generated.contains("scanned"),
        "AUTO entries are not managed: {generated}"
    );
    tf2.apply().assert_success().assert_says("1 imported");
    tf2.plan_detailed().assert_no_changes();

    // Unset: the MANUAL entries go, the AUTO one stays.
    tf.config(&acc.config(&registry(id, "NPM", "")));
    tf.plan().assert_updates("har_registry.r");
    apply_clean(&tf);
    assert_eq!(entries(acc, &path), [e("scanned", "yes", "AUTO")]);

    // Plan-time rules, naming the attribute.
    for (m, says) in [
        (r#"{ "has space" = "x" }"#, "invalid metadata key"),
        (r#"{ k = "a b" }"#, "invalid metadata value"),
    ] {
        tf.config(&acc.config(&registry(id, "NPM", &format!("  metadata = {m}"))));
        tf.plan()
            .assert_failure()
            .assert_says(says)
            .assert_says("metadata");
    }
    let fifty: Vec<String> = (0..50).map(|i| format!("k{i} = \"v\"")).collect();
    tf.config(&acc.config(&registry(
        id,
        "NPM",
        &format!("  metadata = {{ {} }}", fifty.join(", ")),
    )));
    tf.plan().assert_failure().assert_says("at most 49");
    tf.config(&acc.config(&registry(id, "NPM", "")));
    tf.destroy().assert_success();
}

/// The first pair of each package type in docs/design/sources.md (the matrix's one page):
/// (package type, source, url required).
fn first_sources() -> Vec<(String, String, bool)> {
    let page = include_str!("../../docs/design/sources.md");
    let mut out: Vec<(String, String, bool)> = Vec::new();
    for line in page.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 5 || !cells[1].starts_with('`') || !cells[2].starts_with('`') {
            continue;
        }
        let (p, s) = (cells[1].trim_matches('`'), cells[2].trim_matches('`'));
        if cells[3] != "required" && cells[3] != "not allowed" {
            continue; // the table of pairs left out
        }
        if !out.iter().any(|(q, _, _)| q == p) {
            out.push((p.to_string(), s.to_string(), cells[3] == "required"));
        }
    }
    out
}

/// A registry and a proxy of every package type, each proxy with its package type's first
/// source (docs/design/sources.md) and listed by the registry: one apply, then a clean plan.
fn every_package_type(acc: &Acc) {
    let all = first_sources();
    assert_eq!(all.len(), 25, "{all:?}");
    let mut hcl = String::new();
    for (p, source, needs_url) in &all {
        let name = p.to_lowercase().replace('_', "-");
        let url = if *needs_url {
            "\n  url          = \"https://upstream.example.com/repo\""
        } else {
            ""
        };
        hcl.push_str(&format!(
            r#"
resource "har_upstream_proxy" "{name}" {{
  identifier   = "all-{name}-up"
  package_type = "{p}"
  source       = "{source}"{url}
  auth_type    = "Anonymous"
}}

resource "har_registry" "{name}" {{
  identifier       = "all-{name}"
  package_type     = "{p}"
  upstream_proxies = [har_upstream_proxy.{name}.identifier]
}}
"#
        ));
    }
    let tf = acc.tf();
    tf.config(&acc.config(&hcl));
    apply_clean(&tf);
    for (p, _, _) in &all {
        let name = p.to_lowercase().replace('_', "-");
        let d = acc.registry(&format!("acct/all-{name}"));
        assert_eq!(d["packageType"], p.as_str());
        assert_eq!(
            d["config"]["upstreamProxies"],
            json!([format!("all-{name}-up")]),
            "{p}"
        );
    }
    tf.destroy().assert_success();
}

fn data_sources_show_the_fields(acc: &Acc) {
    let r = acc.post(
        &json!({"identifier": "f-ds-reg", "packageType": "DEBIAN", "parentRef": "acct",
        "isPublic": true, "scanners": [{"name": "GRYPE"}], "policyRefs": ["acct.p"],
        "config": {"type": "VIRTUAL", "debianConfig": {"remoteIndexedArchitectures": ["arm64"]}}}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = acc.post(
        &json!({"identifier": "f-ds-up", "packageType": "MAVEN", "parentRef": "acct",
        "config": {"type": "UPSTREAM", "source": "MavenCentral", "authType": "Anonymous",
            "firewallMode": "ENABLED", "metadataCacheTTL": 10, "remoteUrlSuffix": "m2"}}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let path = metadata_path(acc, "acct/f-ds-reg");
    let resp = acc.v3_post(
        &path,
        &json!({"metadata": [{"key": "team", "value": "a"},
        {"key": "scanned", "value": "yes", "type": "AUTO"}]}),
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"
data "har_registry" "r" {
  identifier = "f-ds-reg"
}
data "har_upstream_proxy" "p" {
  identifier = "f-ds-up"
}
"#,
    ));
    tf.apply().assert_success();
    let reg = attrs(&tf, "data.har_registry.r");
    assert_eq!(reg["is_public"], true);
    assert_eq!(reg["scanners"], json!(["GRYPE"]));
    assert_eq!(reg["policy_refs"], json!(["acct.p"]));
    assert_eq!(
        reg["debian_config"]["remote_indexed_architectures"],
        json!(["arm64"])
    );
    assert_eq!(reg["metadata"], json!({"team": "a"}), "MANUAL entries only");
    let up = attrs(&tf, "data.har_upstream_proxy.p");
    assert_eq!(up["firewall_mode"], "ENABLED");
    assert_eq!(up["metadata_cache_ttl"], 10);
    assert_eq!(up["remote_url_suffix"], "m2");
}
