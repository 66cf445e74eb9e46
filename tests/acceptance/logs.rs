//! Logging that fits Terraform: with the real terraform at TRACE (TF_LOG_PATH to a file) and
//! the real har-local, an apply and a destroy of a registry and two upstream proxies that
//! carry an inline access key and secret references, plus a data source that reads the key
//! back. Every API call shows up in Terraform's log under the provider's name with its
//! method, path, status and duration, and neither the API key nor the access key appears
//! anywhere in the log (Terraform's lines or ours).

use crate::support;

use support::har_local::{HarLocal, Options};
use support::terraform::{Terraform, with_provider};

// Distinctive values, so a leak cannot hide behind a common word.
const API_KEY: &str = "hk-LOGTEST-7f3a9c2e5b1d";
const ACCESS_KEY: &str = "AKIALOGTEST9Q8W7E6R";

const CONFIG: &str = r#"
provider "har" {}

resource "har_upstream_proxy" "ecr" {
  identifier   = "ecr-logs"
  package_type = "DOCKER"
  source       = "AwsEcr"
  url          = "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"
  auth_type    = "AccessKeySecretKey"
  access_key_secret_key = {
    access_key            = "AKIALOGTEST9Q8W7E6R"
    secret_key_identifier = "aws_secret_key"
    secret_key_space_path = "acct"
  }
}

resource "har_upstream_proxy" "private" {
  identifier   = "private-hub"
  package_type = "DOCKER"
  source       = "Custom"
  url          = "https://registry.example.com"
  auth_type    = "UserPassword"
  user_password = {
    user_name         = "puller"
    secret_identifier = "hub_password"
    secret_space_path = "acct"
  }
}

# Reads the inline access key back through a data source too.
data "har_upstream_proxy" "ecr" {
  identifier = har_upstream_proxy.ecr.identifier
}

resource "har_registry" "docker" {
  identifier       = "docker-logs"
  package_type     = "DOCKER"
  upstream_proxies = [har_upstream_proxy.ecr.identifier, har_upstream_proxy.private.identifier]
}
"#;

/// One provider log line about an API call, as Terraform writes it to TF_LOG_PATH:
/// `... [DEBUG] provider.terraform-provider-har: HAR API call: ... method=POST path=... status=201 duration_ms=2 ...`
#[derive(Debug)]
struct ApiCall {
    method: String,
    path: String,
    status: u16,
}

fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=");
    let start = line.find(&key)? + key.len();
    let rest = &line[start..];
    // Terraform quotes string values (`path="/registry/..."`), not numbers.
    Some(
        rest.split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_matches('"'),
    )
}

fn api_calls(log: &str) -> Vec<ApiCall> {
    log.lines()
        .filter(|l| l.contains("HAR API call"))
        .map(|l| {
            assert!(
                l.contains("provider.terraform-provider-har"),
                "an API call logged outside the provider's logger: {l}"
            );
            assert!(
                l.contains("[DEBUG]"),
                "API calls are logged at DEBUG, so TF_LOG=DEBUG shows them: {l}"
            );
            let duration = field(l, "duration_ms").unwrap_or_else(|| panic!("no duration_ms: {l}"));
            assert!(
                duration.parse::<u64>().is_ok(),
                "duration_ms is not a number: {l}"
            );
            ApiCall {
                method: field(l, "method")
                    .unwrap_or_else(|| panic!("no method: {l}"))
                    .into(),
                path: field(l, "path")
                    .unwrap_or_else(|| panic!("no path: {l}"))
                    .into(),
                status: field(l, "status")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| panic!("no numeric status: {l}")),
            }
        })
        .collect()
}

#[test]
fn trace_log_shows_every_api_call_and_no_secret() {
    let server = HarLocal::start_with(Options {
        api_key: API_KEY.into(),
        ..Options::default()
    });
    let log = tempfile::NamedTempFile::new().expect("log file");
    let log_path = log.path().to_string_lossy().into_owned();
    let endpoint = server.endpoint();
    // dev_overrides: terraform starts the provider itself, so the provider's stderr goes
    // through go-plugin into Terraform's log, as it does for users.
    let tf = Terraform::new()
        .env("TF_LOG", "TRACE")
        .env("TF_LOG_PATH", &log_path)
        .env("HARNESS_ENDPOINT", &endpoint)
        .env("HARNESS_ACCOUNT_ID", server.account())
        .env("HARNESS_PLATFORM_API_KEY", API_KEY);
    tf.config(&with_provider(CONFIG));
    tf.apply().assert_success();
    // The access key really travelled (so its absence from the log means something).
    let proxy = server.client().get("/api/v1/registry/acct/ecr-logs/+");
    assert!(proxy.text().contains(ACCESS_KEY), "{}", proxy.text());
    tf.destroy().assert_success();

    let log = std::fs::read_to_string(log.path()).expect("read the TRACE log");
    assert!(
        log.contains("provider.terraform-provider-har"),
        "the provider's lines are not in Terraform's log"
    );
    for (what, secret) in [("API key", API_KEY), ("access_key", ACCESS_KEY)] {
        let leaks: Vec<&str> = log.lines().filter(|l| l.contains(secret)).collect();
        assert!(
            leaks.is_empty(),
            "the {what} appears in the TRACE log:\n{}",
            leaks.join("\n")
        );
    }

    // The provider declares get_provider_schema_optional, so each terraform command fetches
    // the schema once and its later provider processes reuse Terraform's cached copy.
    let commands = log.matches("Terraform version:").count();
    let fetched = log.matches("GRPCProvider.v6: GetProviderSchema").count();
    assert!(
        commands >= 2,
        "expected apply and destroy in the log, saw {commands} command(s)"
    );
    assert_eq!(
        fetched, commands,
        "GetProviderSchema calls in {commands} terraform commands"
    );
    assert!(log.contains("GRPCProvider.v6: returning cached schema"));

    let calls = api_calls(&log);
    let count = |method: &str, status: u16, path_end: &str| {
        calls
            .iter()
            .filter(|c| c.method == method && c.status == status && c.path.ends_with(path_end))
            .count()
    };
    // Three creates, three deletes: the requests Terraform's apply and destroy must make.
    assert_eq!(
        count("POST", 201, "/registry") + count("POST", 200, "/registry"),
        3,
        "{calls:#?}"
    );
    for id in ["ecr-logs", "private-hub", "docker-logs"] {
        let path = format!("/registry/acct/{id}/+");
        assert!(
            calls
                .iter()
                .any(|c| c.method == "GET" && c.path.ends_with(&path)),
            "no GET of {id}: {calls:#?}"
        );
        assert_eq!(count("DELETE", 200, &path), 1, "DELETE of {id}: {calls:#?}");
    }
}
