//! The provider's default scope (HARNESS_ORG_ID / HARNESS_PROJECT_ID): resources and data
//! sources without org_id/project_id live there, and the plan shows it.

use crate::support;

use support::acc::{Acc, AssertSays, apply_clean, attrs};

#[test]
fn provider_default_scope() {
    let acc = Acc::start_with_scope(Some("team"), Some("web"));
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"resource "har_upstream_proxy" "hub" {
  identifier   = "sc-hub"
  package_type = "DOCKER"
  source       = "Dockerhub"
  auth_type    = "Anonymous"
}
resource "har_registry" "r" {
  identifier       = "sc-reg"
  package_type     = "DOCKER"
  upstream_proxies = [har_upstream_proxy.hub.identifier]
}
resource "har_registry" "org_level" {
  identifier   = "sc-org"
  package_type = "HELM"
  org_id       = "team"
  project_id   = "api"
}"#,
    ));
    tf.plan()
        .assert_success()
        .assert_says(r#"id = "acct/team/web/sc-reg""#)
        .assert_says(r#"org_id = "team""#)
        .assert_says(r#"project_id = "web""#)
        .assert_says(r#"id = "acct/team/api/sc-org""#);
    apply_clean(&tf);
    assert!(acc.exists("acct/team/web/sc-reg"));
    assert!(acc.exists("acct/team/web/sc-hub"));
    assert!(acc.exists("acct/team/api/sc-org"));
    assert_eq!(attrs(&tf, "har_registry.r")["org_id"], "team");

    // Data sources default to the same scope.
    let ds = acc.tf();
    ds.config(&acc.config(
        r#"data "har_registry" "r" {
  identifier = "sc-reg"
}
data "har_registries" "here" {}"#,
    ));
    ds.apply().assert_success();
    assert_eq!(
        attrs(&ds, "data.har_registry.r")["id"],
        "acct/team/web/sc-reg"
    );
    let here = attrs(&ds, "data.har_registries.here");
    assert_eq!(
        here["registries"].as_array().map(Vec::len),
        Some(2),
        "{here}"
    );

    // org_id alone means the org level: a replacement of a defaulted resource. A registry
    // there cannot see a proxy in the project below, so the proxy moves up too.
    tf.config(&acc.config(
        r#"resource "har_upstream_proxy" "hub" {
  identifier   = "sc-hub"
  package_type = "DOCKER"
  org_id       = "team"
  source       = "Dockerhub"
  auth_type    = "Anonymous"
}
resource "har_registry" "r" {
  identifier       = "sc-reg"
  package_type     = "DOCKER"
  org_id           = "team"
  upstream_proxies = [har_upstream_proxy.hub.identifier]
}
resource "har_registry" "org_level" {
  identifier   = "sc-org"
  package_type = "HELM"
  org_id       = "team"
  project_id   = "api"
}"#,
    ));
    tf.plan()
        .assert_success()
        .assert_replaces("har_registry.r")
        .assert_replaces("har_upstream_proxy.hub");
    apply_clean(&tf);
    assert!(acc.exists("acct/team/sc-reg") && acc.exists("acct/team/sc-hub"));
    assert!(!acc.exists("acct/team/web/sc-reg"));
    tf.destroy().assert_success();
}
