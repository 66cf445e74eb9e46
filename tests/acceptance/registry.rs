//! `har_registry` against the real terraform and har-local: create, read, update and delete
//! for DOCKER (with Dockerhub, AwsEcr and Custom proxies), HELM, MAVEN and NPM; the ordered
//! link list; scopes; replacement on a package type change; fields the provider does not
//! manage survive an update.

use crate::support;

use serde_json::json;
use support::acc::{Acc, AssertSays, Scenario, apply_clean, attrs, run_all};

const SCENARIOS: &[Scenario] = &[
    (
        "docker_with_three_proxies_and_reorder",
        docker_with_three_proxies_and_reorder,
    ),
    ("helm_with_proxy", helm_with_proxy),
    ("maven_and_npm", maven_and_npm),
    ("package_type_change_replaces", package_type_change_replaces),
    ("org_and_project_scope", org_and_project_scope),
    (
        "unmanaged_fields_survive_update",
        unmanaged_fields_survive_update,
    ),
];

#[test]
fn registry_lifecycle() {
    let acc = Acc::start();
    run_all(&acc, SCENARIOS, 3);
}

const DOCKER_PROXIES: &str = r#"
resource "har_upstream_proxy" "hub" {
  identifier   = "rg-hub"
  package_type = "DOCKER"
  source       = "Dockerhub"
  auth_type    = "Anonymous"
}
resource "har_upstream_proxy" "ecr" {
  identifier   = "rg-ecr"
  package_type = "DOCKER"
  source       = "AwsEcr"
  url          = "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"
  auth_type    = "AccessKeySecretKey"
  access_key_secret_key = {
    access_key            = "AKIAEXAMPLE"
    secret_key_identifier = "aws_secret_key"
  }
}
resource "har_upstream_proxy" "quay" {
  identifier   = "rg-quay"
  package_type = "DOCKER"
  source       = "Custom"
  url          = "https://quay.io"
  auth_type    = "UserPassword"
  user_password = {
    user_name         = "robot"
    secret_identifier = "quay_password"
  }
}
"#;

fn docker_registry(order: &str) -> String {
    format!(
        r#"{DOCKER_PROXIES}
resource "har_registry" "docker" {{
  identifier       = "rg-docker"
  package_type     = "DOCKER"
  description      = "Images for every team"
  labels           = ["prod"]
  upstream_proxies = [{order}]
}}"#
    )
}

fn upstreams(acc: &Acc, r: &str) -> serde_json::Value {
    acc.registry(r)["config"]["upstreamProxies"].clone()
}

fn docker_with_three_proxies_and_reorder(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&acc.config(&docker_registry(
        "har_upstream_proxy.hub.identifier, har_upstream_proxy.ecr.identifier, har_upstream_proxy.quay.identifier",
    )));
    apply_clean(&tf);
    assert_eq!(
        upstreams(acc, "acct/rg-docker"),
        json!(["rg-hub", "rg-ecr", "rg-quay"])
    );
    let s = attrs(&tf, "har_registry.docker");
    assert_eq!(s["id"], "acct/rg-docker");
    assert!(
        s["url"].as_str().is_some_and(|u| u.ends_with("/rg-docker")),
        "{s}"
    );

    // Reordering is an update.
    tf.config(&acc.config(&docker_registry(
        "har_upstream_proxy.quay.identifier, har_upstream_proxy.hub.identifier, har_upstream_proxy.ecr.identifier",
    )));
    tf.plan()
        .assert_success()
        .assert_updates("har_registry.docker");
    apply_clean(&tf);
    assert_eq!(
        upstreams(acc, "acct/rg-docker"),
        json!(["rg-quay", "rg-hub", "rg-ecr"])
    );
    assert_eq!(attrs(&tf, "har_registry.docker")["uuid"], s["uuid"]);

    // Unlink two and delete them: Terraform deletes removed resources before it updates
    // the registry that listed them, so the first apply (without create_before_destroy on
    // the proxies) stops with the server's message and the setting that avoids it; applying
    // the registry first, then the rest, works too.
    tf.config(&acc.config(
        r#"resource "har_upstream_proxy" "hub" {
  identifier   = "rg-hub"
  package_type = "DOCKER"
  source       = "Dockerhub"
  auth_type    = "Anonymous"
}
resource "har_registry" "docker" {
  identifier       = "rg-docker"
  package_type     = "DOCKER"
  description      = "Images for every team"
  labels           = ["prod"]
  upstream_proxies = [har_upstream_proxy.hub.identifier]
}"#,
    ));
    tf.apply()
        .assert_failure()
        .assert_says("still listed by registry rg-docker")
        .assert_says("is being used inside Registry")
        .assert_says("create_before_destroy = true");
    tf.run(&[
        "apply",
        "-input=false",
        "-no-color",
        "-auto-approve",
        "-target=har_registry.docker",
    ])
    .assert_success();
    apply_clean(&tf);
    assert_eq!(upstreams(acc, "acct/rg-docker"), json!(["rg-hub"]));
    assert!(!acc.exists("acct/rg-quay"));

    // Unset the list: no links.
    tf.config(&acc.config(
        r#"resource "har_upstream_proxy" "hub" {
  identifier   = "rg-hub"
  package_type = "DOCKER"
  source       = "Dockerhub"
  auth_type    = "Anonymous"
}
resource "har_registry" "docker" {
  identifier   = "rg-docker"
  package_type = "DOCKER"
}"#,
    ));
    apply_clean(&tf);
    assert_eq!(upstreams(acc, "acct/rg-docker"), json!([]));
    assert_eq!(acc.registry("acct/rg-docker")["description"], "");
    tf.destroy().assert_success();
    assert!(!acc.exists("acct/rg-docker") && !acc.exists("acct/rg-hub"));
}

fn helm_with_proxy(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"resource "har_upstream_proxy" "bitnami" {
  identifier   = "rg-bitnami"
  package_type = "HELM"
  source       = "Custom"
  url          = "https://charts.bitnami.com/bitnami/"
  auth_type    = "Anonymous"
}
resource "har_registry" "helm" {
  identifier       = "rg-helm"
  package_type     = "HELM"
  description      = "Charts"
  upstream_proxies = [har_upstream_proxy.bitnami.identifier]
}"#,
    ));
    apply_clean(&tf);
    assert_eq!(upstreams(acc, "acct/rg-helm"), json!(["rg-bitnami"]));
    tf.destroy().assert_success();
    assert!(!acc.exists("acct/rg-helm"));
}

fn maven_and_npm(acc: &Acc) {
    let tf = acc.tf();
    let cfg = |pattern: &str| {
        acc.config(&format!(
            r#"resource "har_upstream_proxy" "central" {{
  identifier   = "rg-central"
  package_type = "MAVEN"
  source       = "MavenCentral"
  auth_type    = "Anonymous"
}}
resource "har_registry" "maven" {{
  identifier       = "rg-maven"
  package_type     = "MAVEN"
  allowed_pattern  = [{pattern}]
  blocked_pattern  = []
  upstream_proxies = [har_upstream_proxy.central.identifier]
}}
resource "har_registry" "npm" {{
  identifier   = "rg-npm"
  package_type = "NPM"
  labels       = []
  description  = ""
}}"#
        ))
    };
    tf.config(&cfg(r#""com/example/**""#));
    apply_clean(&tf);
    assert_eq!(
        acc.registry("acct/rg-maven")["allowedPattern"],
        json!(["com/example/**"])
    );
    tf.config(&cfg(r#""com/example/**", "org/acme/**""#));
    tf.plan()
        .assert_success()
        .assert_updates("har_registry.maven");
    apply_clean(&tf);
    assert_eq!(
        acc.registry("acct/rg-maven")["allowedPattern"],
        json!(["com/example/**", "org/acme/**"])
    );
    tf.destroy().assert_success();
}

fn package_type_change_replaces(acc: &Acc) {
    let tf = acc.tf();
    let cfg = |pt: &str| {
        acc.config(&format!(
            r#"resource "har_registry" "r" {{
  identifier   = "rg-switch"
  package_type = "{pt}"
}}"#
        ))
    };
    tf.config(&cfg("PYTHON"));
    apply_clean(&tf);
    let before = acc.registry("acct/rg-switch")["uuid"].clone();
    tf.config(&cfg("GO"));
    tf.plan().assert_success().assert_replaces("har_registry.r");
    apply_clean(&tf);
    let after = acc.registry("acct/rg-switch");
    assert_eq!(after["packageType"], "GO");
    assert_ne!(after["uuid"], before);
    tf.destroy().assert_success();
}

fn org_and_project_scope(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"resource "har_upstream_proxy" "org_hub" {
  identifier   = "rg-org-hub"
  package_type = "DOCKER"
  org_id       = "platform"
  source       = "Dockerhub"
  auth_type    = "Anonymous"
}
resource "har_registry" "proj" {
  identifier       = "rg-proj"
  package_type     = "DOCKER"
  org_id           = "platform"
  project_id       = "web"
  upstream_proxies = [har_upstream_proxy.org_hub.identifier]
}"#,
    ));
    tf.plan()
        .assert_success()
        .assert_mentions(r#"id               = "acct/platform/web/rg-proj""#);
    apply_clean(&tf);
    assert_eq!(
        upstreams(acc, "acct/platform/web/rg-proj"),
        json!(["rg-org-hub"])
    );
    assert_eq!(
        attrs(&tf, "har_upstream_proxy.org_hub")["id"],
        "acct/platform/rg-org-hub"
    );
    // Moving to another project is a replacement.
    tf.config(&acc.config(
        r#"resource "har_upstream_proxy" "org_hub" {
  identifier   = "rg-org-hub"
  package_type = "DOCKER"
  org_id       = "platform"
  source       = "Dockerhub"
  auth_type    = "Anonymous"
}
resource "har_registry" "proj" {
  identifier       = "rg-proj"
  package_type     = "DOCKER"
  org_id           = "platform"
  project_id       = "api"
  upstream_proxies = [har_upstream_proxy.org_hub.identifier]
}"#,
    ));
    tf.plan()
        .assert_success()
        .assert_replaces("har_registry.proj");
    apply_clean(&tf);
    assert!(acc.exists("acct/platform/api/rg-proj"));
    assert!(!acc.exists("acct/platform/web/rg-proj"));
    tf.destroy().assert_success();
}

fn unmanaged_fields_survive_update(acc: &Acc) {
    // Every field of a registry is managed now (issue 13): isPublic and cleanupPolicy set
    // behind the provider's back are drift, and the next apply puts the configuration back.
    let tf = acc.tf();
    let cfg = |d: &str| {
        acc.config(&format!(
            r#"resource "har_registry" "r" {{
  identifier   = "rg-keep"
  package_type = "NUGET"
  description  = "{d}"
}}"#
        ))
    };
    tf.config(&cfg("one"));
    apply_clean(&tf);
    acc.modify("acct/rg-keep", |d| {
        d["isPublic"] = json!(true);
        d["cleanupPolicy"] = json!([{"name": "old", "expireDays": 30,
            "versionPrefix": ["v"], "packagePrefix": ["p"]}]);
    });
    tf.plan_detailed().assert_updates("har_registry.r");
    tf.config(&cfg("two"));
    apply_clean(&tf);
    let d = acc.registry("acct/rg-keep");
    assert_eq!(d["description"], "two");
    assert_eq!(d["isPublic"], json!(false), "{d}");
    assert!(
        d["cleanupPolicy"].as_array().is_none_or(Vec::is_empty),
        "{d}"
    );
    tf.destroy().assert_success();
}
