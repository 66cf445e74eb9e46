//! Every plan-time rule with a bad config: the plan fails before any API write, the error
//! names the attribute (Terraform quotes the configuration line it points at), and an enum
//! value wrong in case or by a letter gets a "did you mean". har-local is snapshotted before
//! and after: no registry is created or modified.

use crate::support;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use support::acc::{Acc, AssertSays};

fn proxy(body: &str) -> String {
    format!("resource \"har_upstream_proxy\" \"p\" {{\n{body}\n}}")
}

fn registry(body: &str) -> String {
    format!("resource \"har_registry\" \"r\" {{\n{body}\n}}")
}

/// (name, configuration, phrases the failed plan must say)
fn cases() -> Vec<(&'static str, String, Vec<&'static str>)> {
    vec![
        (
            "identifier must start with a letter",
            registry("  identifier   = \"1docker\"\n  package_type = \"DOCKER\""),
            vec![
                "Invalid identifier",
                "must start with a letter",
                "identifier   = \"1docker\"",
            ],
        ),
        (
            "identifier upper case",
            registry("  identifier   = \"Docker_Main\"\n  package_type = \"DOCKER\""),
            vec![
                "Invalid identifier",
                "contains 'D'",
                "identifier   = \"Docker_Main\"",
            ],
        ),
        (
            "identifier double separator",
            registry("  identifier   = \"bc-a--b\"\n  package_type = \"DOCKER\""),
            vec!["Invalid identifier", "two of `_`, `.`, `-` in a row"],
        ),
        (
            "identifier too long",
            registry(&format!(
                "  identifier   = \"{}\"\n  package_type = \"DOCKER\"",
                "a".repeat(256)
            )),
            vec!["Invalid identifier", "longer than 255 characters"],
        ),
        (
            "package type in lower case",
            registry("  identifier   = \"bc-pt\"\n  package_type = \"docker\""),
            vec![
                "Invalid package_type",
                "did you mean \"DOCKER\"",
                "package_type = \"docker\"",
            ],
        ),
        (
            "package type misspelt",
            proxy(
                "  identifier   = \"bc-pt2\"\n  package_type = \"DOKER\"\n  source       = \"Dockerhub\"\n  auth_type    = \"Anonymous\"",
            ),
            vec!["Invalid package_type", "did you mean \"DOCKER\""],
        ),
        (
            "source wrong case",
            proxy(
                "  identifier   = \"bc-src\"\n  package_type = \"DOCKER\"\n  source       = \"DockerHub\"\n  auth_type    = \"Anonymous\"",
            ),
            vec![
                "Invalid source",
                "did you mean \"Dockerhub\"",
                "source       = \"DockerHub\"",
            ],
        ),
        (
            "source not allowed for the package type",
            proxy(
                "  identifier   = \"bc-src2\"\n  package_type = \"HELM\"\n  source       = \"Dockerhub\"\n  auth_type    = \"Anonymous\"",
            ),
            vec!["Invalid source", "allowed: Custom", "for package_type HELM"],
        ),
        (
            "url required for Custom",
            proxy(
                "  identifier   = \"bc-url\"\n  package_type = \"HELM\"\n  source       = \"Custom\"\n  auth_type    = \"Anonymous\"",
            ),
            vec!["Invalid url for this source", "URL is required"],
        ),
        (
            "url forbidden for Dockerhub",
            proxy(
                "  identifier   = \"bc-url2\"\n  package_type = \"DOCKER\"\n  source       = \"Dockerhub\"\n  url          = \"https://registry-1.docker.io\"\n  auth_type    = \"Anonymous\"",
            ),
            vec![
                "Invalid url for this source",
                "not allowed with source Dockerhub",
                "url          = \"https://registry-1.docker.io\"",
            ],
        ),
        (
            "url without scheme",
            proxy(
                "  identifier   = \"bc-url3\"\n  package_type = \"DOCKER\"\n  source       = \"Custom\"\n  url          = \"quay.io\"\n  auth_type    = \"Anonymous\"",
            ),
            vec!["Invalid url", "absolute http:// or https:// URL"],
        ),
        (
            "url with a space",
            proxy(
                "  identifier   = \"bc-url4\"\n  package_type = \"DOCKER\"\n  source       = \"Custom\"\n  url          = \"https://quay .io\"\n  auth_type    = \"Anonymous\"",
            ),
            vec!["Invalid url", "must not contain spaces"],
        ),
        (
            "url not http",
            proxy(
                "  identifier   = \"bc-url5\"\n  package_type = \"GENERIC\"\n  source       = \"Custom\"\n  url          = \"ftp://files.example.com\"\n  auth_type    = \"Anonymous\"",
            ),
            vec!["Invalid url", "http:// or https://"],
        ),
        (
            "auth type misspelt",
            proxy(
                "  identifier   = \"bc-auth\"\n  package_type = \"DOCKER\"\n  source       = \"Dockerhub\"\n  auth_type    = \"anonymous\"",
            ),
            vec!["Invalid auth_type", "did you mean \"Anonymous\""],
        ),
        (
            "user_password required",
            proxy(
                "  identifier   = \"bc-up\"\n  package_type = \"DOCKER\"\n  source       = \"Dockerhub\"\n  auth_type    = \"UserPassword\"",
            ),
            vec![
                "Missing user_password",
                "auth_type = \"UserPassword\" needs user_password",
            ],
        ),
        (
            "user_password forbidden",
            proxy(
                "  identifier   = \"bc-up2\"\n  package_type = \"DOCKER\"\n  source       = \"Dockerhub\"\n  auth_type    = \"Anonymous\"\n  user_password = {\n    user_name         = \"u\"\n    secret_identifier = \"s\"\n  }",
            ),
            vec!["user_password not allowed with auth_type = \"Anonymous\""],
        ),
        (
            "access keys forbidden with UserPassword",
            proxy(
                "  identifier   = \"bc-up3\"\n  package_type = \"DOCKER\"\n  source       = \"Dockerhub\"\n  auth_type    = \"UserPassword\"\n  user_password = {\n    user_name         = \"u\"\n    secret_identifier = \"s\"\n  }\n  access_key_secret_key = {\n    access_key            = \"AKIA\"\n    secret_key_identifier = \"sk\"\n  }",
            ),
            vec!["access_key_secret_key not allowed with auth_type = \"UserPassword\""],
        ),
        (
            "empty user name",
            proxy(
                "  identifier   = \"bc-up4\"\n  package_type = \"DOCKER\"\n  source       = \"Dockerhub\"\n  auth_type    = \"UserPassword\"\n  user_password = {\n    user_name         = \"\"\n    secret_identifier = \"s\"\n  }",
            ),
            vec![
                "Incomplete user_password",
                "user_password.user_name: UserPassword needs userName",
            ],
        ),
        (
            "access key given twice",
            proxy(
                "  identifier   = \"bc-ak\"\n  package_type = \"DOCKER\"\n  source       = \"AwsEcr\"\n  url          = \"https://123456789012.dkr.ecr.us-east-1.amazonaws.com\"\n  auth_type    = \"AccessKeySecretKey\"\n  access_key_secret_key = {\n    access_key                   = \"AKIA\"\n    access_key_secret_identifier = \"ak\"\n    secret_key_identifier        = \"sk\"\n  }",
            ),
            vec![
                "Access key given twice",
                "access_key_secret_key.access_key_secret_identifier: access_key and access_key_secret_identifier are both set",
            ],
        ),
        (
            "access key missing",
            proxy(
                "  identifier   = \"bc-ak2\"\n  package_type = \"DOCKER\"\n  source       = \"AwsEcr\"\n  url          = \"https://123456789012.dkr.ecr.us-east-1.amazonaws.com\"\n  auth_type    = \"AccessKeySecretKey\"\n  access_key_secret_key = {\n    secret_key_identifier = \"sk\"\n  }",
            ),
            vec![
                "Missing access key",
                "access_key_secret_key.access_key: give the access key exactly once",
            ],
        ),
        (
            "access_key_secret_key required",
            proxy(
                "  identifier   = \"bc-ak3\"\n  package_type = \"DOCKER\"\n  source       = \"AwsEcr\"\n  url          = \"https://123456789012.dkr.ecr.us-east-1.amazonaws.com\"\n  auth_type    = \"AccessKeySecretKey\"",
            ),
            vec!["Missing access_key_secret_key"],
        ),
        (
            "project needs org",
            registry(
                "  identifier   = \"bc-proj\"\n  package_type = \"DOCKER\"\n  project_id   = \"web\"",
            ),
            vec!["project_id needs org_id", "project_id   = \"web\""],
        ),
        (
            "org id with a slash",
            registry(
                "  identifier   = \"bc-org\"\n  package_type = \"DOCKER\"\n  org_id       = \"a/b\"",
            ),
            vec!["Invalid org_id", "org_id       = \"a/b\""],
        ),
        (
            "org id that is not a Harness identifier",
            proxy(
                "  identifier   = \"bc-org-dash\"\n  package_type = \"DOCKER\"\n  source       = \"Dockerhub\"\n  auth_type    = \"Anonymous\"\n  org_id       = \"my-org\"\n  project_id   = \"9web\"",
            ),
            vec![
                "Invalid org_id",
                "invalid org identifier \"my-org\"",
                "Invalid project_id",
                "invalid project identifier \"9web\"",
            ],
        ),
        (
            "duplicate upstream proxy",
            registry(
                "  identifier       = \"bc-dup\"\n  package_type     = \"DOCKER\"\n  upstream_proxies = [\"hub\", \"quay\", \"hub\"]",
            ),
            vec![
                "Duplicate upstream proxy",
                "upstream_proxies[2] repeats \"hub\"",
            ],
        ),
        (
            "invalid upstream proxy name",
            registry(
                "  identifier       = \"bc-bad\"\n  package_type     = \"DOCKER\"\n  upstream_proxies = [\"hub\", \"Bad Name\"]",
            ),
            vec!["Invalid upstream_proxies", "upstream_proxies[1]"],
        ),
        (
            "registry lists itself",
            registry(
                "  identifier       = \"bc-self\"\n  package_type     = \"DOCKER\"\n  upstream_proxies = [\"bc-self\"]",
            ),
            vec!["Registry lists itself"],
        ),
    ]
}

/// One har-local and one provider for the whole file.
#[test]
fn bad_configs() {
    let acc = Acc::start();
    every_rule_fails_the_plan_before_any_write(&acc);
    values_unknown_at_plan_are_checked_when_known(&acc);
    ecr_url_on_another_host_is_a_warning(&acc);
    assert!(acc.snapshot("").is_empty(), "nothing was written");
}

fn every_rule_fails_the_plan_before_any_write(acc: &Acc) {
    let before = acc.snapshot("");
    let cases = cases();
    let next = AtomicUsize::new(0);
    let failed = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((name, hcl, phrases)) = cases.get(i) else {
                        break;
                    };
                    let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let tf = acc.tf();
                        tf.config(&acc.config(hcl));
                        let out = tf.plan();
                        out.assert_failure();
                        for p in phrases {
                            out.assert_says(p);
                        }
                    }));
                    if ok.is_err() {
                        failed.lock().unwrap_or_else(|p| p.into_inner()).push(*name);
                    }
                }
            });
        }
    });
    let failed = failed.into_inner().unwrap_or_else(|p| p.into_inner());
    assert!(
        failed.is_empty(),
        "cases that did not fail as expected: {failed:?}"
    );
    assert_eq!(acc.snapshot(""), before, "a refused plan must not write");
    assert!(before.is_empty());
}

fn values_unknown_at_plan_are_checked_when_known(acc: &Acc) {
    let tf = acc.tf();
    // terraform_data's output is unknown until apply: the plan cannot check the name, the
    // apply's re-plan does, before anything is written.
    tf.config(&acc.config(
        r#"resource "terraform_data" "name" {
  input = "1-not-a-name"
}
resource "har_registry" "r" {
  identifier   = terraform_data.name.output
  package_type = "DOCKER"
}"#,
    ));
    tf.plan().assert_success();
    tf.apply()
        .assert_failure()
        .assert_says("Invalid identifier")
        .assert_says("must start with a letter");
    assert!(acc.snapshot("").is_empty());
}

fn ecr_url_on_another_host_is_a_warning(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"resource "har_upstream_proxy" "p" {
  identifier   = "bc-ecr-warn"
  package_type = "DOCKER"
  source       = "AwsEcr"
  url          = "https://registry.example.com"
  auth_type    = "AccessKeySecretKey"
  access_key_secret_key = {
    access_key_secret_identifier = "ak"
    secret_key_identifier        = "sk"
  }
}"#,
    ));
    tf.plan()
        .assert_success()
        .assert_says("Warning: url does not look like AWS ECR");
}
