//! A corpus of invalid configurations across the provider block and both resources, going
//! beyond `acc_bad_config.rs` (which covers each plan-time rule once): Terraform-level errors
//! (missing, unknown, computed-only and wrongly typed arguments), the provider block, name
//! edge cases, source/URL/auth combinations per package type, nested credential objects, list
//! elements, and links to proxies planned in the same run. Each must be refused at validate or
//! at plan, with an error naming the attribute, and no write may reach har-local (its request
//! counter and a full listing before and after).

use crate::support;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use support::reliability::{Work, counts, server, server_objects};
use support::terraform::with_provider;

const OK_REGISTRY: &str = "resource \"har_registry\" \"ok\" {\n  identifier   = \"bi-ok\"\n  package_type = \"DOCKER\"\n}";

struct Case {
    name: &'static str,
    hcl: String,
    /// The attribute the error must name.
    attr: &'static str,
    /// Environment variables left out (for provider-block cases).
    skip_env: &'static [&'static str],
}

fn registry(body: &str) -> String {
    format!("provider \"har\" {{}}\nresource \"har_registry\" \"r\" {{\n{body}\n}}")
}

fn proxy(body: &str) -> String {
    format!("provider \"har\" {{}}\nresource \"har_upstream_proxy\" \"p\" {{\n{body}\n}}")
}

fn provider(block: &str) -> String {
    format!("provider \"har\" {{\n{block}\n}}\n{OK_REGISTRY}")
}

fn case(name: &'static str, hcl: String, attr: &'static str) -> Case {
    Case {
        name,
        hcl,
        attr,
        skip_env: &[],
    }
}

fn cases() -> Vec<Case> {
    let r = registry;
    let p = proxy;
    let docker =
        "  package_type = \"DOCKER\"\n  source = \"Dockerhub\"\n  auth_type = \"Anonymous\"";
    let long = "a".repeat(256);
    vec![
        // The provider block.
        case(
            "endpoint ftp",
            provider("  endpoint = \"ftp://example.com/gateway\""),
            "endpoint",
        ),
        case(
            "endpoint not a URL",
            provider("  endpoint = \"not a url\""),
            "endpoint",
        ),
        case(
            "endpoint without host",
            provider("  endpoint = \"http://\""),
            "endpoint",
        ),
        case(
            "endpoint with a space",
            provider("  endpoint = \"https://app harness.io/gateway\""),
            "endpoint",
        ),
        case(
            "provider project without org",
            provider("  project_id = \"web\""),
            "project_id",
        ),
        case(
            "provider unknown argument",
            provider("  region = \"eu\""),
            "region",
        ),
        case(
            "provider org_id a list",
            provider("  org_id = [\"a\"]"),
            "org_id",
        ),
        Case {
            name: "account_id missing",
            hcl: provider(""),
            attr: "account_id",
            skip_env: &["HARNESS_ACCOUNT_ID"],
        },
        Case {
            name: "api_key missing",
            hcl: provider(""),
            attr: "api_key",
            skip_env: &["HARNESS_PLATFORM_API_KEY"],
        },
        Case {
            name: "api_key empty",
            hcl: provider("  api_key = \"\""),
            attr: "api_key",
            skip_env: &["HARNESS_PLATFORM_API_KEY"],
        },
        // Terraform-level: missing, unknown, computed-only, wrong type.
        case(
            "registry without identifier",
            r("  package_type = \"DOCKER\""),
            "identifier",
        ),
        case(
            "registry without package_type",
            r("  identifier = \"bi-r1\""),
            "package_type",
        ),
        case(
            "proxy without source",
            p("  identifier = \"bi-p1\"\n  package_type = \"DOCKER\"\n  auth_type = \"Anonymous\""),
            "source",
        ),
        case(
            "proxy without auth_type",
            p("  identifier = \"bi-p2\"\n  package_type = \"DOCKER\"\n  source = \"Dockerhub\""),
            "auth_type",
        ),
        case(
            "registry with source",
            r("  identifier = \"bi-r2\"\n  package_type = \"DOCKER\"\n  source = \"Dockerhub\""),
            "source",
        ),
        case(
            "proxy with upstream_proxies",
            p(&format!(
                "  identifier = \"bi-p3\"\n{docker}\n  upstream_proxies = []"
            )),
            "upstream_proxies",
        ),
        case(
            "registry sets id",
            r("  identifier = \"bi-r3\"\n  package_type = \"DOCKER\"\n  id = \"acct/bi-r3\""),
            "id",
        ),
        case(
            "registry sets uuid",
            r("  identifier = \"bi-r4\"\n  package_type = \"DOCKER\"\n  uuid = \"x\""),
            "uuid",
        ),
        case(
            "registry sets created_at",
            r("  identifier = \"bi-r5\"\n  package_type = \"DOCKER\"\n  created_at = \"x\""),
            "created_at",
        ),
        case(
            "registry sets url",
            r(
                "  identifier = \"bi-r6\"\n  package_type = \"DOCKER\"\n  url = \"https://x.example.com\"",
            ),
            "url",
        ),
        case(
            "labels a string",
            r("  identifier = \"bi-r7\"\n  package_type = \"DOCKER\"\n  labels = \"a\""),
            "labels",
        ),
        case(
            "upstream_proxies a string",
            r(
                "  identifier = \"bi-r8\"\n  package_type = \"DOCKER\"\n  upstream_proxies = \"hub\"",
            ),
            "upstream_proxies",
        ),
        // Names.
        case(
            "identifier ends with a separator",
            r("  identifier = \"bi-docker-\"\n  package_type = \"DOCKER\""),
            "identifier",
        ),
        case(
            "identifier of 256 characters",
            r(&format!(
                "  identifier = \"{long}\"\n  package_type = \"DOCKER\""
            )),
            "identifier",
        ),
        case(
            "identifier with a slash",
            r("  identifier = \"bi/r9\"\n  package_type = \"DOCKER\""),
            "identifier",
        ),
        case(
            "identifier empty",
            r("  identifier = \"\"\n  package_type = \"DOCKER\""),
            "identifier",
        ),
        case(
            "proxy identifier upper case",
            p(&format!("  identifier = \"Bi-Hub\"\n{docker}")),
            "identifier",
        ),
        case(
            "proxy identifier two dots",
            p(&format!("  identifier = \"bi..hub\"\n{docker}")),
            "identifier",
        ),
        case(
            "registry identifier with a space",
            r("  identifier = \"bi r10\"\n  package_type = \"DOCKER\""),
            "identifier",
        ),
        // Package types, sources, URLs.
        case(
            "package_type unknown",
            r("  identifier = \"bi-r11\"\n  package_type = \"FOO\""),
            "package_type",
        ),
        case(
            "package_type empty",
            r("  identifier = \"bi-r12\"\n  package_type = \"\""),
            "package_type",
        ),
        case(
            "MAVEN from Dockerhub",
            p(
                "  identifier = \"bi-p4\"\n  package_type = \"MAVEN\"\n  source = \"Dockerhub\"\n  auth_type = \"Anonymous\"",
            ),
            "source",
        ),
        case(
            "NPM source in the wrong case",
            p(
                "  identifier = \"bi-p5\"\n  package_type = \"NPM\"\n  source = \"npmjs\"\n  auth_type = \"Anonymous\"",
            ),
            "source",
        ),
        case(
            "GENERIC from PyPi",
            p(
                "  identifier = \"bi-p6\"\n  package_type = \"GENERIC\"\n  source = \"PyPi\"\n  auth_type = \"Anonymous\"",
            ),
            "source",
        ),
        case(
            "PYTHON Custom without url",
            p(
                "  identifier = \"bi-p7\"\n  package_type = \"PYTHON\"\n  source = \"Custom\"\n  auth_type = \"Anonymous\"",
            ),
            "url",
        ),
        case(
            "Custom with an empty url",
            p(
                "  identifier = \"bi-p8\"\n  package_type = \"DOCKER\"\n  source = \"Custom\"\n  url = \"\"\n  auth_type = \"Anonymous\"",
            ),
            "url",
        ),
        case(
            "url without a host",
            p(
                "  identifier = \"bi-p9\"\n  package_type = \"HELM\"\n  source = \"Custom\"\n  url = \"https://\"\n  auth_type = \"Anonymous\"",
            ),
            "url",
        ),
        case(
            "MavenCentral with a url",
            p(
                "  identifier = \"bi-p10\"\n  package_type = \"MAVEN\"\n  source = \"MavenCentral\"\n  url = \"https://repo1.maven.org/maven2\"\n  auth_type = \"Anonymous\"",
            ),
            "url",
        ),
        case(
            "AwsEcr with an ftp url",
            p(
                "  identifier = \"bi-p11\"\n  package_type = \"DOCKER\"\n  source = \"AwsEcr\"\n  url = \"ftp://123456789012.dkr.ecr.us-east-1.amazonaws.com\"\n  auth_type = \"Anonymous\"",
            ),
            "url",
        ),
        case(
            "AwsEcr for HELM",
            p(
                "  identifier = \"bi-p12\"\n  package_type = \"HELM\"\n  source = \"AwsEcr\"\n  url = \"https://123456789012.dkr.ecr.us-east-1.amazonaws.com\"\n  auth_type = \"Anonymous\"",
            ),
            "source",
        ),
        // Auth and nested credential objects.
        case(
            "auth_type unknown",
            p(
                "  identifier = \"bi-p13\"\n  package_type = \"DOCKER\"\n  source = \"Dockerhub\"\n  auth_type = \"Token\"",
            ),
            "auth_type",
        ),
        case(
            "access keys with user_password",
            p(
                "  identifier = \"bi-p14\"\n  package_type = \"DOCKER\"\n  source = \"Dockerhub\"\n  auth_type = \"AccessKeySecretKey\"\n  user_password = {\n    user_name = \"u\"\n    secret_identifier = \"s\"\n  }",
            ),
            "access_key_secret_key",
        ),
        case(
            "user_password without secret_identifier",
            p(
                "  identifier = \"bi-p15\"\n  package_type = \"DOCKER\"\n  source = \"Dockerhub\"\n  auth_type = \"UserPassword\"\n  user_password = {\n    user_name = \"u\"\n  }",
            ),
            "secret_identifier",
        ),
        case(
            "proxy sets id",
            p(&format!(
                "  identifier = \"bi-p16\"\n{docker}\n  id = \"acct/bi-p16\""
            )),
            "id",
        ),
        case(
            "access keys without secret_key_identifier",
            p(
                "  identifier = \"bi-p17\"\n  package_type = \"DOCKER\"\n  source = \"Dockerhub\"\n  auth_type = \"AccessKeySecretKey\"\n  access_key_secret_key = {\n    access_key = \"AKIA\"\n  }",
            ),
            "secret_key_identifier",
        ),
        case(
            "access key empty",
            p(
                "  identifier = \"bi-p18\"\n  package_type = \"DOCKER\"\n  source = \"Dockerhub\"\n  auth_type = \"AccessKeySecretKey\"\n  access_key_secret_key = {\n    access_key = \"\"\n    secret_key_identifier = \"sk\"\n  }",
            ),
            "access_key",
        ),
        case(
            "user_password a list",
            p(
                "  identifier = \"bi-p19\"\n  package_type = \"DOCKER\"\n  source = \"Dockerhub\"\n  auth_type = \"UserPassword\"\n  user_password = [\"u\", \"s\"]",
            ),
            "user_password",
        ),
        // Scopes and lists.
        case(
            "project_id with a slash",
            r(
                "  identifier = \"bi-r13\"\n  package_type = \"DOCKER\"\n  org_id = \"eng\"\n  project_id = \"p/q\"",
            ),
            "project_id",
        ),
        case(
            "upstream_proxies with an empty name",
            r(
                "  identifier = \"bi-r14\"\n  package_type = \"DOCKER\"\n  upstream_proxies = [\"\", \"hub\"]",
            ),
            "upstream_proxies",
        ),
        case(
            "upstream_proxies with a null",
            r(
                "  identifier = \"bi-r15\"\n  package_type = \"DOCKER\"\n  upstream_proxies = [null]",
            ),
            "upstream_proxies",
        ),
        case(
            "labels with a null",
            r("  identifier = \"bi-r16\"\n  package_type = \"DOCKER\"\n  labels = [\"a\", null]"),
            "labels",
        ),
        case(
            "allowed_pattern with a null",
            r("  identifier = \"bi-r17\"\n  package_type = \"DOCKER\"\n  allowed_pattern = [null]"),
            "allowed_pattern",
        ),
        case(
            "link to a proxy of another package type planned in the same run",
            "provider \"har\" {}\nresource \"har_upstream_proxy\" \"m\" {\n  identifier = \"bi-maven\"\n  package_type = \"MAVEN\"\n  source = \"MavenCentral\"\n  auth_type = \"Anonymous\"\n}\nresource \"har_registry\" \"r\" {\n  identifier = \"bi-r18\"\n  package_type = \"DOCKER\"\n  upstream_proxies = [har_upstream_proxy.m.identifier]\n}"
                .to_string(),
            "upstream_proxies",
        ),
        case(
            "upstream_proxies with an upper-case name",
            r(
                "  identifier = \"bi-r19\"\n  package_type = \"DOCKER\"\n  upstream_proxies = [\"Hub\"]",
            ),
            "upstream_proxies",
        ),
        case(
            "description a list",
            r("  identifier = \"bi-r20\"\n  package_type = \"DOCKER\"\n  description = [\"a\"]"),
            "description",
        ),
    ]
}

/// Terraform's error output names `attr` as a word: in a message ("Missing account_id",
/// `The argument "source" is required`) or on the configuration line it quotes for the
/// diagnostic (`  12:   url = ""`).
fn names(stderr: &str, attr: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    stderr.match_indices(attr).any(|(i, _)| {
        let before = stderr[..i].chars().next_back();
        let after = stderr[i + attr.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

#[test]
fn bad_inputs_are_refused_before_any_write() {
    let h = server(0.0, 0);
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let before = counts(&h);
    let next = AtomicUsize::new(0);
    let failed = Mutex::new(Vec::new());
    let stages = Mutex::new((0usize, 0usize));
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(c) = cases.get(i) else { break };
                    let w = Work::without(&h, c.skip_env);
                    w.tf.config(&with_provider(&c.hcl));
                    let validate = w.tf.run(&["validate", "-no-color"]);
                    let (stage, out) = if validate.code != 0 {
                        ("validate", validate)
                    } else {
                        ("plan", w.tf.plan())
                    };
                    let ok = out.code != 0 && names(&out.stderr, c.attr);
                    if ok {
                        let mut g = stages.lock().unwrap_or_else(|p| p.into_inner());
                        if stage == "validate" {
                            g.0 += 1;
                        } else {
                            g.1 += 1;
                        }
                    } else {
                        eprintln!(
                            "case {:?}: expected a refusal naming {:?} at validate or plan; {stage} exited {}\n{}",
                            c.name, c.attr, out.code, out.stderr
                        );
                        failed
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push(c.name);
                    }
                }
            });
        }
    });
    let failed = failed.into_inner().unwrap_or_else(|p| p.into_inner());
    assert!(
        failed.is_empty(),
        "cases not refused as expected: {failed:?}"
    );
    let after = counts(&h);
    assert_eq!(after["writes"], 0, "no write may reach the server: {after}");
    assert_eq!(before["writes"], 0);
    assert!(server_objects(&h).is_empty(), "nothing was created");
    let (v, p) = stages.into_inner().unwrap_or_else(|p| p.into_inner());
    eprintln!(
        "{} bad configurations refused, {v} at validate and {p} at plan; the server saw {} \
         requests (reads by the plan-time checks), 0 writes",
        cases.len(),
        after["requests"]
    );
}
