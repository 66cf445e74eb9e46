//! The provider with the real terraform binary: schema, handshake (AutoMTLS and plain),
//! reattach, and provider-block validation.

use crate::support;

use support::terraform::{DebugProvider, PROVIDER_ADDRESS, Terraform, with_provider};

const EMPTY_PROVIDER: &str = r#"provider "har" {}"#;

#[test]
fn providers_schema_lists_the_provider_block() {
    let tf = Terraform::new();
    tf.config(&with_provider(EMPTY_PROVIDER));
    let schema = tf.providers_schema();
    let provider = &schema["provider_schemas"][PROVIDER_ADDRESS]["provider"]["block"];
    let attrs = provider["attributes"]
        .as_object()
        .unwrap_or_else(|| panic!("no provider attributes in {schema}"));
    for name in ["endpoint", "account_id", "api_key", "org_id", "project_id"] {
        let a = &attrs[name];
        assert_eq!(a["type"], "string", "{name}");
        assert_eq!(a["optional"], true, "{name}");
        assert!(
            a["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{name} has a description"
        );
    }
    assert_eq!(attrs["api_key"]["sensitive"], true);
    assert!(
        attrs["endpoint"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("HARNESS_ENDPOINT"))
    );
}

#[test]
fn plan_with_automtls_handshake_succeeds() {
    let tf = Terraform::new();
    tf.config(&with_provider(EMPTY_PROVIDER));
    tf.plan().assert_success().assert_mentions("No changes");
}

#[test]
fn plan_without_plugin_tls_succeeds() {
    let tf = Terraform::new().env("TF_DISABLE_PLUGIN_TLS", "1");
    tf.config(&with_provider(EMPTY_PROVIDER));
    tf.plan().assert_success().assert_mentions("No changes");
}

#[test]
fn reattached_debug_provider_serves_several_runs() {
    let provider = DebugProvider::start();
    let tf = Terraform::reattach(&provider);
    tf.config(&with_provider(EMPTY_PROVIDER));
    tf.plan().assert_success();
    tf.plan_detailed().assert_no_changes();
}

/// Terraform prunes a provider that no resource or data source uses, so it never
/// validates or configures it: a data source makes it use this one.
#[test]
fn plan_with_bad_endpoint_fails_naming_endpoint() {
    let tf = Terraform::new()
        .env("HARNESS_ACCOUNT_ID", "acc")
        .env("HARNESS_PLATFORM_API_KEY", "key");
    tf.config(&with_provider(
        r#"
provider "har" {
  endpoint = "ftp://example.com/gateway"
}

data "har_registries" "all" {}
"#,
    ));
    tf.plan()
        .assert_failure()
        .assert_mentions("endpoint")
        .assert_mentions("Invalid URL");
}
