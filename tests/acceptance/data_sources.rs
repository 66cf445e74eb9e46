//! Data sources: `har_registry` and `har_upstream_proxy` by identifier and scope,
//! `har_registries` with package type and type filters.

use crate::support;

use serde_json::json;
use support::acc::{Acc, AssertSays, attrs};

#[test]
fn data_sources() {
    let acc = Acc::start();
    // Out of band: two proxies and two registries, in the account and in an org.
    let post = |body: serde_json::Value| {
        let r = acc.post(&body);
        assert_eq!(r.status, 201, "{}", r.text());
    };
    post(
        json!({"identifier": "ds-hub", "packageType": "DOCKER", "parentRef": "acct",
        "labels": ["public"], "description": "Docker Hub",
        "config": {"type": "UPSTREAM", "source": "Dockerhub", "authType": "Anonymous"}}),
    );
    post(
        json!({"identifier": "ds-ecr", "packageType": "DOCKER", "parentRef": "acct",
        "config": {"type": "UPSTREAM", "source": "AwsEcr",
            "url": "https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
            "authType": "AccessKeySecretKey",
            "auth": {"accessKeySecretIdentifier": "ak", "secretKeyIdentifier": "sk"}}}),
    );
    post(
        json!({"identifier": "ds-docker", "packageType": "DOCKER", "parentRef": "acct",
        "description": "main", "config": {"type": "VIRTUAL", "upstreamProxies": ["ds-hub", "ds-ecr"]}}),
    );
    post(
        json!({"identifier": "ds-helm", "packageType": "HELM", "parentRef": "acct/ds_org",
        "config": {"type": "VIRTUAL"}}),
    );

    let tf = acc.tf();
    tf.config(&acc.config(
        r#"data "har_registry" "docker" {
  identifier = "ds-docker"
}
data "har_registry" "helm" {
  identifier = "ds-helm"
  org_id     = "ds_org"
}
data "har_upstream_proxy" "ecr" {
  identifier = "ds-ecr"
}
data "har_registries" "all" {}
data "har_registries" "docker_proxies" {
  package_type = "DOCKER"
  type         = "UPSTREAM"
}
output "order" {
  value = data.har_registry.docker.upstream_proxies
}"#,
    ));
    tf.apply()
        .assert_success()
        .assert_says(r#"order = tolist([ "ds-hub", "ds-ecr", ])"#);
    let docker = attrs(&tf, "data.har_registry.docker");
    assert_eq!(docker["id"], "acct/ds-docker");
    assert_eq!(docker["description"], "main");
    assert_eq!(docker["package_type"], "DOCKER");
    let helm = attrs(&tf, "data.har_registry.helm");
    assert_eq!(helm["id"], "acct/ds_org/ds-helm");
    assert_eq!(helm["org_id"], "ds_org");
    let ecr = attrs(&tf, "data.har_upstream_proxy.ecr");
    assert_eq!(ecr["source"], "AwsEcr");
    assert_eq!(
        ecr["access_key_secret_key"]["access_key_secret_identifier"],
        "ak"
    );
    assert_eq!(ecr["access_key_secret_key"]["secret_key_identifier"], "sk");
    let all = attrs(&tf, "data.har_registries.all");
    let ids: Vec<&str> = all["registries"]
        .as_array()
        .expect("registries")
        .iter()
        .filter_map(|r| r["identifier"].as_str())
        .collect();
    assert_eq!(
        ids,
        ["ds-docker", "ds-ecr", "ds-hub"],
        "only the account scope, sorted"
    );
    let proxies = attrs(&tf, "data.har_registries.docker_proxies");
    let list = proxies["registries"].as_array().expect("registries");
    assert_eq!(list.len(), 2, "{proxies}");
    let hub = list
        .iter()
        .find(|r| r["identifier"] == "ds-hub")
        .expect("ds-hub");
    assert_eq!(hub["type"], "UPSTREAM");
    assert_eq!(hub["id"], "acct/ds-hub");
    assert_eq!(hub["labels"], json!(["public"]));
    assert_eq!(hub["description"], "Docker Hub");
    tf.plan_detailed().assert_no_changes();

    // Errors: not found (with the scope), the wrong kind, a bad filter.
    let tf = acc.tf();
    tf.config(&acc.config(r#"data "har_registry" "x" { identifier = "ds-helm" }"#));
    tf.plan()
        .assert_failure()
        .assert_says("registry not found")
        .assert_says("No registry \"ds-helm\" in acct");
    tf.config(&acc.config(r#"data "har_registry" "x" { identifier = "ds-hub" }"#));
    tf.plan()
        .assert_failure()
        .assert_says("is an upstream proxy (config.type = UPSTREAM)");
    tf.config(&acc.config(r#"data "har_upstream_proxy" "x" { identifier = "ds-docker" }"#));
    tf.plan()
        .assert_failure()
        .assert_says("is a registry (config.type = VIRTUAL)");
    tf.config(&acc.config(r#"data "har_registries" "x" { package_type = "Docker" }"#));
    tf.plan()
        .assert_failure()
        .assert_says("did you mean \"DOCKER\"");
}
