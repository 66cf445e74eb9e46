//! Plan-time validation of `har_registry` and `har_upstream_proxy` configs, before any API
//! call. Every rule comes from `rules/` (the same functions har-local answers with), and every
//! finding carries the path of the attribute it is about. Values unknown at validate time are
//! skipped here and checked again at plan time, when they are known.

use crate::protocol::value::{AttributePath, Value};
use crate::provider::diag::Finding;
use crate::provider::model::{Defaults, Known, object, string, strings};
use crate::rules::{
    AuthError, AuthRefs, AuthType, NameLevel, PackageType, Source, check_auth, check_identifier,
    check_source_for, check_url, check_url_for_source, is_ecr_url,
};

fn path(name: &str) -> AttributePath {
    AttributePath::root(name)
}

/// `identifier`: the product's rule (starts with a letter) on top of the API's.
fn check_identifier_attr(config: &Value, out: &mut Vec<Finding>) {
    if let Known::Value(id) = string(config, "identifier")
        && let Err(e) = check_identifier(id, NameLevel::Product)
    {
        out.push(
            Finding::error(
                "Invalid identifier",
                format!(
                    "{e}. Names are unique across the whole Harness account, whatever the scope."
                ),
            )
            .at(path("identifier")),
        );
    }
}

/// `package_type`, with a "did you mean" for a value wrong in case or by a letter.
fn check_package_type(config: &Value, out: &mut Vec<Finding>) -> Option<PackageType> {
    match string(config, "package_type") {
        Known::Value(pt) => match PackageType::parse(pt) {
            Ok(p) => Some(p),
            Err(e) => {
                out.push(
                    Finding::error("Invalid package_type", e.to_string()).at(path("package_type")),
                );
                None
            }
        },
        _ => None,
    }
}

/// `org_id` / `project_id` go into URL paths as scope segments: no `/`, no blanks.
fn check_scope_attrs(config: &Value, out: &mut Vec<Finding>) {
    for name in ["org_id", "project_id"] {
        if let Known::Value(v) = string(config, name)
            && (v.is_empty() || v.contains('/') || v.chars().any(char::is_whitespace))
        {
            out.push(
                Finding::error(
                    format!("Invalid {name}"),
                    format!(
                        "{name} must be a Harness identifier (no `/`, no spaces, not empty), got {v:?}"
                    ),
                )
                .at(path(name)),
            );
        }
    }
}

/// `project_id` needs an org: the resource's own `org_id` or the provider's.
pub fn check_project_needs_org(config: &Value, defaults: &Defaults) -> Vec<Finding> {
    let org = string(config, "org_id");
    let project = string(config, "project_id");
    if !project.is_null() && org.is_null() && defaults.org_id.is_none() {
        return vec![
            Finding::error(
                "project_id needs org_id",
                "A Harness project lives in an org: set org_id on this resource (or org_id / \
                 HARNESS_ORG_ID on the provider) together with project_id.",
            )
            .at(path("project_id")),
        ];
    }
    vec![]
}

/// No null elements in the string lists.
fn check_list_elements(config: &Value, name: &str, out: &mut Vec<Finding>) {
    if let Known::Value(items) = strings(config, name) {
        for (i, item) in items.iter().enumerate() {
            if item.is_null() {
                out.push(
                    Finding::error(
                        format!("Invalid {name}"),
                        format!("{name}[{i}] is null; every element must be a string"),
                    )
                    .at(path(name).index(i as i64)),
                );
            }
        }
    }
}

/// Everything a `har_registry` config can be checked for without the API.
pub fn validate_registry(config: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    check_identifier_attr(config, &mut out);
    check_package_type(config, &mut out);
    check_scope_attrs(config, &mut out);
    for name in ["labels", "allowed_pattern", "blocked_pattern"] {
        check_list_elements(config, name, &mut out);
    }
    let own = string(config, "identifier").value();
    if let Known::Value(items) = strings(config, "upstream_proxies") {
        let mut seen: Vec<&str> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = path("upstream_proxies").index(i as i64);
            match item {
                Known::Null => out.push(
                    Finding::error(
                        "Invalid upstream_proxies",
                        format!("upstream_proxies[{i}] is null"),
                    )
                    .at(at),
                ),
                Known::Unknown => {}
                Known::Value(name) => {
                    // The API's rule: a proxy made elsewhere may start with a digit.
                    if let Err(e) = check_identifier(name, NameLevel::Api) {
                        out.push(
                            Finding::error(
                                "Invalid upstream_proxies",
                                format!("upstream_proxies[{i}]: {e}"),
                            )
                            .at(at),
                        );
                    } else if seen.contains(name) {
                        out.push(
                            Finding::error(
                                "Duplicate upstream proxy",
                                format!(
                                    "upstream_proxies[{i}] repeats {name:?}; each proxy may be listed \
                                     once (the list is the resolution order)"
                                ),
                            )
                            .at(at),
                        );
                    } else if own == Some(*name) {
                        out.push(
                            Finding::error(
                                "Registry lists itself",
                                format!(
                                    "upstream_proxies[{i}] is this registry's own identifier {name:?}; \
                                     a registry cannot be its own upstream"
                                ),
                            )
                            .at(at),
                        );
                    }
                    seen.push(name);
                }
            }
        }
    }
    out
}

/// Everything a `har_upstream_proxy` config can be checked for without the API.
pub fn validate_proxy(config: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    check_identifier_attr(config, &mut out);
    let package_type = check_package_type(config, &mut out);
    check_scope_attrs(config, &mut out);
    check_list_elements(config, "labels", &mut out);

    // source, against the package type's list when that is known and valid.
    let source = match string(config, "source") {
        Known::Value(s) => {
            let parsed = match package_type {
                Some(pt) => check_source_for(pt, s).map_err(|e| {
                    format!("{e} (for package_type {pt}: sources allowed per package type are fixed by HAR)")
                }),
                None => Source::parse(s).map_err(|e| e.to_string()),
            };
            match parsed {
                Ok(src) => Some(src),
                Err(msg) => {
                    out.push(Finding::error("Invalid source", msg).at(path("source")));
                    None
                }
            }
        }
        _ => None,
    };

    // url: well-formed, required or forbidden by the source, and an ECR host for AwsEcr.
    let url = string(config, "url");
    let mut url_ok = true;
    if let Known::Value(u) = url
        && let Err(e) = check_url(u)
    {
        url_ok = false;
        out.push(Finding::error("Invalid url", e.to_string()).at(path("url")));
    }
    if let Some(src) = source {
        let present = match url {
            Known::Value(u) => Some(u),
            Known::Null => None,
            Known::Unknown => Some("unknown"),
        };
        if !url.is_unknown()
            && let Err(msg) = check_url_for_source(src, present)
        {
            out.push(Finding::error("Invalid url for this source", msg).at(path("url")));
            url_ok = false;
        }
        if src == Source::AwsEcr
            && url_ok
            && let Known::Value(u) = url
            && !is_ecr_url(u)
        {
            out.push(
                Finding::warning(
                    "url does not look like AWS ECR",
                    format!(
                        "source = \"AwsEcr\" expects an ECR registry host \
                         (https://<account>.dkr.ecr.<region>.amazonaws.com, https://public.ecr.aws/...) \
                         or the ECR console URL \
                         (https://<region>.console.aws.amazon.com/ecr/repositories/<public-or-private>/<id>/<name>?region=<region>); \
                         got {u:?}"
                    ),
                )
                .at(path("url")),
            );
        }
    }

    check_auth_attrs(config, &mut out);
    out
}

/// `auth_type` and exactly the matching credential object.
fn check_auth_attrs(config: &Value, out: &mut Vec<Finding>) {
    let auth_type = match string(config, "auth_type") {
        Known::Value(a) => match AuthType::parse(a) {
            Ok(t) => t,
            Err(e) => {
                out.push(Finding::error("Invalid auth_type", e.to_string()).at(path("auth_type")));
                return;
            }
        },
        _ => return,
    };
    let up = object(config, "user_password");
    let ak = object(config, "access_key_secret_key");
    let wanted = match auth_type {
        AuthType::UserPassword => Some("user_password"),
        AuthType::AccessKeySecretKey => Some("access_key_secret_key"),
        AuthType::Anonymous => None,
    };
    for (name, given) in [("user_password", &up), ("access_key_secret_key", &ak)] {
        let is_wanted = wanted == Some(name);
        if is_wanted && given.is_null() {
            let shape = if name == "user_password" {
                "user_password = { user_name = \"...\", secret_identifier = \"...\" }"
            } else {
                "access_key_secret_key = { access_key = \"...\" (or access_key_secret_identifier = \"...\"), secret_key_identifier = \"...\" }"
            };
            out.push(
                Finding::error(
                    format!("Missing {name}"),
                    format!("auth_type = \"{auth_type}\" needs {shape}"),
                )
                .at(path(name)),
            );
        } else if !is_wanted && matches!(given, Known::Value(_)) {
            out.push(
                Finding::error(
                    format!("{name} not allowed with auth_type = \"{auth_type}\""),
                    format!(
                        "{name} is only for auth_type = \"{}\"; remove it or change auth_type",
                        if name == "user_password" {
                            "UserPassword"
                        } else {
                            "AccessKeySecretKey"
                        }
                    ),
                )
                .at(path(name)),
            );
        }
    }

    let field = |obj: &Known<&Value>, name: &str| -> Known<String> {
        match obj {
            Known::Value(o) => match string(o, name) {
                Known::Value(s) => Known::Value(s.to_string()),
                Known::Unknown => Known::Unknown,
                Known::Null => Known::Null,
            },
            Known::Unknown => Known::Unknown,
            Known::Null => Known::Null,
        }
    };
    match auth_type {
        AuthType::UserPassword if matches!(up, Known::Value(_)) => {
            let user = field(&up, "user_name");
            let secret = field(&up, "secret_identifier");
            if user.is_unknown() || secret.is_unknown() {
                return;
            }
            let (u, s) = (user.value(), secret.value());
            let refs = AuthRefs {
                user_name: u.as_deref(),
                secret_identifier: s.as_deref(),
                ..AuthRefs::default()
            };
            if let Err(e) = check_auth(auth_type, &refs, true) {
                let at = match e {
                    AuthError::UserNameMissing => "user_name",
                    _ => "secret_identifier",
                };
                out.push(
                    Finding::error("Incomplete user_password", e.to_string())
                        .at(path("user_password").attr(at)),
                );
            }
        }
        AuthType::AccessKeySecretKey if matches!(ak, Known::Value(_)) => {
            let key = field(&ak, "access_key");
            let key_ref = field(&ak, "access_key_secret_identifier");
            let key_ref_path = field(&ak, "access_key_secret_space_path");
            let secret = field(&ak, "secret_key_identifier");
            if [&key, &key_ref, &secret].iter().any(|k| k.is_unknown()) {
                return;
            }
            let (k, kr, s) = (key.value(), key_ref.value(), secret.value());
            let refs = AuthRefs {
                access_key: k.as_deref(),
                access_key_secret_identifier: kr.as_deref(),
                secret_key_identifier: s.as_deref(),
                ..AuthRefs::default()
            };
            if let Err(e) = check_auth(auth_type, &refs, true) {
                let (summary, at, detail) = match e {
                    AuthError::AccessKeyTwice => (
                        "Access key given twice",
                        "access_key_secret_identifier",
                        "access_key and access_key_secret_identifier are both set: give the access \
                         key exactly once, either inline (access_key) or as a secret reference \
                         (access_key_secret_identifier)"
                            .to_string(),
                    ),
                    AuthError::AccessKeyMissing => (
                        "Missing access key",
                        "access_key",
                        "give the access key exactly once: access_key (inline) or \
                         access_key_secret_identifier (a Harness secret). (A configuration \
                         written by `terraform plan -generate-config-out` has the sensitive \
                         access_key as `null # sensitive`: put the key there.)"
                            .to_string(),
                    ),
                    other => ("Incomplete access_key_secret_key", "secret_key_identifier", other.to_string()),
                };
                out.push(
                    Finding::error(summary, detail).at(path("access_key_secret_key").attr(at)),
                );
            } else if matches!(key_ref_path, Known::Value(_)) && kr.is_none() {
                out.push(
                    Finding::error(
                        "access_key_secret_space_path without access_key_secret_identifier",
                        "access_key_secret_space_path is the scope of access_key_secret_identifier; \
                         it has no meaning with an inline access_key",
                    )
                    .at(path("access_key_secret_key").attr("access_key_secret_space_path")),
                );
            }
        }
        _ => {}
    }
}

/// Only the errors: what plan time reports again (warnings were shown at validate time).
pub fn errors_only(findings: Vec<Finding>) -> Vec<Finding> {
    findings.into_iter().filter(Finding::is_error).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::model::{list_value, object_value, str_value};

    fn registry(extra: Vec<(&str, Value)>) -> Value {
        let mut attrs = vec![
            ("identifier", str_value("docker-main")),
            ("package_type", str_value("DOCKER")),
        ];
        attrs.extend(extra);
        object_value(attrs)
    }

    fn proxy(extra: Vec<(&str, Value)>) -> Value {
        let mut attrs = vec![
            ("identifier", str_value("dockerhub")),
            ("package_type", str_value("DOCKER")),
            ("source", str_value("Dockerhub")),
            ("auth_type", str_value("Anonymous")),
        ];
        for (k, v) in extra {
            attrs.retain(|(n, _)| *n != k);
            attrs.push((k, v));
        }
        object_value(attrs)
    }

    fn paths(f: &[Finding]) -> Vec<String> {
        f.iter()
            .map(|f| f.path.as_ref().map(|p| p.to_string()).unwrap_or_default())
            .collect()
    }

    #[test]
    fn a_good_registry_passes() {
        let f = validate_registry(&registry(vec![(
            "upstream_proxies",
            list_value(Some(vec!["a".into(), "b".into()])),
        )]));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn registry_rules_name_their_attribute() {
        let f = validate_registry(&object_value(vec![
            ("identifier", str_value("1docker")),
            ("package_type", str_value("docker")),
            ("org_id", str_value("a/b")),
            (
                "upstream_proxies",
                list_value(Some(vec![
                    "a".into(),
                    "Bad".into(),
                    "a".into(),
                    "1ok".into(),
                ])),
            ),
        ]));
        assert_eq!(
            paths(&f),
            [
                "identifier",
                "package_type",
                "org_id",
                "upstream_proxies[1]",
                "upstream_proxies[2]"
            ]
        );
        assert!(
            f[1].detail.contains("did you mean \"DOCKER\""),
            "{}",
            f[1].detail
        );
    }

    #[test]
    fn unknowns_are_skipped() {
        let f = validate_registry(&object_value(vec![
            ("identifier", Value::Unknown),
            ("package_type", Value::Unknown),
            (
                "upstream_proxies",
                Value::List(vec![Value::Unknown, str_value("a")]),
            ),
        ]));
        assert!(f.is_empty(), "{f:?}");
        let f = validate_proxy(&proxy(vec![
            ("source", Value::Unknown),
            ("url", Value::Unknown),
        ]));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn project_needs_org() {
        let cfg = registry(vec![("project_id", str_value("p"))]);
        let none = Defaults::default();
        assert_eq!(paths(&check_project_needs_org(&cfg, &none)), ["project_id"]);
        let with_org = Defaults {
            org_id: Some("o".into()),
            ..Defaults::default()
        };
        assert!(check_project_needs_org(&cfg, &with_org).is_empty());
    }

    #[test]
    fn source_matrix_and_did_you_mean() {
        let f = validate_proxy(&proxy(vec![("source", str_value("DockerHub"))]));
        assert_eq!(paths(&f), ["source"]);
        assert!(
            f[0].detail.contains("did you mean \"Dockerhub\""),
            "{}",
            f[0].detail
        );
        let f = validate_proxy(&proxy(vec![
            ("package_type", str_value("HELM")),
            ("source", str_value("Dockerhub")),
        ]));
        assert_eq!(paths(&f), ["source"]);
        assert!(f[0].detail.contains("allowed: Custom"), "{}", f[0].detail);
    }

    #[test]
    fn url_rules() {
        // Required for Custom.
        let f = validate_proxy(&proxy(vec![("source", str_value("Custom"))]));
        assert_eq!(paths(&f), ["url"]);
        // Not allowed for Dockerhub.
        let f = validate_proxy(&proxy(vec![(
            "url",
            str_value("https://registry-1.docker.io"),
        )]));
        assert_eq!(paths(&f), ["url"]);
        // Malformed.
        for bad in ["registry.example.com", "https://a b", "ftp://x"] {
            let f = validate_proxy(&proxy(vec![
                ("source", str_value("Custom")),
                ("url", str_value(bad)),
            ]));
            assert_eq!(paths(&f), ["url"], "{bad}");
            assert!(f[0].is_error());
        }
        // AwsEcr on another host: a warning only.
        let f = validate_proxy(&proxy(vec![
            ("source", str_value("AwsEcr")),
            ("url", str_value("https://quay.io")),
            ("auth_type", str_value("AccessKeySecretKey")),
            (
                "access_key_secret_key",
                object_value(vec![
                    ("access_key", str_value("AKIA")),
                    ("secret_key_identifier", str_value("sk")),
                ]),
            ),
        ]));
        assert_eq!(paths(&f), ["url"]);
        assert!(!f[0].is_error());
    }

    #[test]
    fn auth_objects() {
        let up = object_value(vec![
            ("user_name", str_value("u")),
            ("secret_identifier", str_value("s")),
        ]);
        // Missing.
        let f = validate_proxy(&proxy(vec![("auth_type", str_value("UserPassword"))]));
        assert_eq!(paths(&f), ["user_password"]);
        // Forbidden.
        let f = validate_proxy(&proxy(vec![("user_password", up.clone())]));
        assert_eq!(paths(&f), ["user_password"]);
        // Fine.
        let f = validate_proxy(&proxy(vec![
            ("auth_type", str_value("UserPassword")),
            ("user_password", up),
        ]));
        assert!(f.is_empty(), "{f:?}");
        // Empty user name.
        let f = validate_proxy(&proxy(vec![
            ("auth_type", str_value("UserPassword")),
            (
                "user_password",
                object_value(vec![
                    ("user_name", str_value("")),
                    ("secret_identifier", str_value("s")),
                ]),
            ),
        ]));
        assert_eq!(paths(&f), ["user_password.user_name"]);
        // Bad auth type, with a suggestion.
        let f = validate_proxy(&proxy(vec![("auth_type", str_value("anonymous"))]));
        assert_eq!(paths(&f), ["auth_type"]);
        assert!(
            f[0].detail.contains("did you mean \"Anonymous\""),
            "{}",
            f[0].detail
        );
    }

    #[test]
    fn access_key_given_once() {
        let ecr = |keys: Vec<(&str, Value)>| {
            proxy(vec![
                ("source", str_value("AwsEcr")),
                (
                    "url",
                    str_value("https://123456789012.dkr.ecr.us-east-1.amazonaws.com"),
                ),
                ("auth_type", str_value("AccessKeySecretKey")),
                ("access_key_secret_key", object_value(keys)),
            ])
        };
        let f = validate_proxy(&ecr(vec![
            ("access_key", str_value("AKIA")),
            ("access_key_secret_identifier", str_value("ak")),
            ("secret_key_identifier", str_value("sk")),
        ]));
        assert_eq!(
            paths(&f),
            ["access_key_secret_key.access_key_secret_identifier"]
        );
        let f = validate_proxy(&ecr(vec![("secret_key_identifier", str_value("sk"))]));
        assert_eq!(paths(&f), ["access_key_secret_key.access_key"]);
        let f = validate_proxy(&ecr(vec![
            ("access_key_secret_identifier", str_value("ak")),
            ("secret_key_identifier", str_value("sk")),
        ]));
        assert!(f.is_empty(), "{f:?}");
    }
}
