//! The one place where Terraform values and HAR wire models meet: reading attributes out of
//! a config/plan/state value (null and unknown explicit), building the API request from a
//! planned value, and building the state value from the server's answer.
//!
//! "Keep the user's form": wherever the server answers something *equivalent* to what the
//! user wrote (`""` for a null description, `null` for `[]`, a URL without its trailing `/`,
//! an empty secret space path), the state keeps the user's form, so equivalent values never
//! show up as a diff (peers.md §8 item 8; har-api.md §5.4 (d)).

use std::collections::BTreeMap;

use crate::api::model::{
    Registry, RegistryConfig, RegistryRequest, UpstreamAuth, UpstreamConfig, VirtualConfig,
};
use crate::api::refs::{RegistryRef, Scope};
use crate::protocol::value::Value;
use crate::rules;

/// An attribute as Terraform gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known<T> {
    Null,
    Unknown,
    Value(T),
}

impl<T> Known<T> {
    pub fn value(self) -> Option<T> {
        match self {
            Known::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Known::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Known::Unknown)
    }
}

fn attr<'a>(obj: &'a Value, name: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    obj.get(name).unwrap_or(&NULL)
}

/// A string attribute of an object value.
pub fn string<'a>(obj: &'a Value, name: &str) -> Known<&'a str> {
    match attr(obj, name) {
        Value::Null => Known::Null,
        Value::Unknown => Known::Unknown,
        v => v.as_str().map_or(Known::Null, Known::Value),
    }
}

/// A `list(string)` attribute: the list itself may be null or unknown, and so may each element.
pub fn strings<'a>(obj: &'a Value, name: &str) -> Known<Vec<Known<&'a str>>> {
    match attr(obj, name) {
        Value::Null => Known::Null,
        Value::Unknown => Known::Unknown,
        v => Known::Value(
            v.as_elements()
                .unwrap_or_default()
                .iter()
                .map(|e| match e {
                    Value::Null => Known::Null,
                    Value::Unknown => Known::Unknown,
                    e => e.as_str().map_or(Known::Null, Known::Value),
                })
                .collect(),
        ),
    }
}

/// A list attribute whose every element is known: `Some(vec)`, or `None` if the list is
/// null; unknown elements or lists also give `None`.
pub fn known_strings(obj: &Value, name: &str) -> Option<Vec<String>> {
    match strings(obj, name) {
        Known::Value(items) => items
            .into_iter()
            .map(|i| i.value().map(str::to_string))
            .collect(),
        _ => None,
    }
}

/// A single nested attribute (an object), null or unknown.
pub fn object<'a>(obj: &'a Value, name: &str) -> Known<&'a Value> {
    match attr(obj, name) {
        Value::Null => Known::Null,
        Value::Unknown => Known::Unknown,
        v => Known::Value(v),
    }
}

pub fn opt_string(obj: &Value, name: &str) -> Option<String> {
    string(obj, name).value().map(str::to_string)
}

pub fn str_value(s: impl Into<String>) -> Value {
    Value::String(s.into())
}

pub fn opt_str_value(s: Option<impl Into<String>>) -> Value {
    s.map_or(Value::Null, str_value)
}

pub fn list_value(items: Option<Vec<String>>) -> Value {
    items.map_or(Value::Null, |v| {
        Value::List(v.into_iter().map(Value::String).collect())
    })
}

pub fn object_value(attrs: Vec<(&str, Value)>) -> Value {
    Value::Object(
        attrs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// The provider's account and default scope (provider block / env).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Defaults {
    pub account_id: String,
    pub org_id: Option<String>,
    pub project_id: Option<String>,
}

impl Defaults {
    /// The scope a resource lives in: its own `org_id`/`project_id` when set, else the
    /// provider's. A resource that sets its own org does not inherit the provider's project
    /// (so `org_id` alone means the org level).
    pub fn effective(
        &self,
        org: Option<&str>,
        project: Option<&str>,
    ) -> (Option<String>, Option<String>) {
        let project = project.map(str::to_string).or_else(|| {
            if org.is_none() {
                self.project_id.clone()
            } else {
                None
            }
        });
        let org = org.map(str::to_string).or_else(|| self.org_id.clone());
        (org, project)
    }

    pub fn scope(&self, org: Option<String>, project: Option<String>) -> Scope {
        Scope {
            account: self.account_id.clone(),
            org,
            project,
        }
    }
}

/// The scope and ref of a resource value whose identifier and scope are known.
pub fn ref_of(value: &Value, account: &str) -> Option<RegistryRef> {
    let identifier = string(value, "identifier").value()?;
    let org = match string(value, "org_id") {
        Known::Unknown => return None,
        k => k.value().map(str::to_string),
    };
    let project = match string(value, "project_id") {
        Known::Unknown => return None,
        k => k.value().map(str::to_string),
    };
    Some(RegistryRef::new(
        Scope {
            account: account.to_string(),
            org,
            project,
        },
        identifier,
    ))
}

/// Epoch milliseconds (the API's `createdAt`, a string) as RFC 3339 UTC; anything else is
/// kept as the server sent it.
pub fn rfc3339_from_millis(ms: &str) -> String {
    let Ok(ms) = ms.trim().parse::<i64>() else {
        return ms.to_string();
    };
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

// ---------------------------------------------------------------------------------------
// Keeping the user's form

/// A description: the server's `""` is the user's null.
fn keep_description(prior: Option<&Value>, server: &str) -> Value {
    let prior = prior.map_or(Known::Null, |p| string(p, "description"));
    match prior {
        Known::Value(p) if p == server => str_value(p),
        _ if server.is_empty() => Value::Null,
        _ => str_value(server),
    }
}

/// A list: the server's `null` and `[]` are the same thing; keep the user's form.
fn keep_list(prior: Option<&Value>, name: &str, server: &[String]) -> Value {
    if server.is_empty() {
        let prior_empty = prior
            .and_then(|p| known_strings(p, name))
            .is_some_and(|v| v.is_empty());
        return if prior_empty {
            Value::List(vec![])
        } else {
            Value::Null
        };
    }
    list_value(Some(server.to_vec()))
}

/// A URL: a trailing `/` (and surrounding blanks) is not a change; `""` is null.
fn keep_url(prior: Option<&Value>, server: &str) -> Value {
    if let Some(Known::Value(p)) = prior.map(|p| string(p, "url"))
        && rules::normalize_url(p) == rules::normalize_url(server)
    {
        return str_value(p);
    }
    if server.trim().is_empty() {
        Value::Null
    } else {
        str_value(server)
    }
}

/// A secret space path: `""` is null, and a path that differs only by a surrounding `/` is
/// the same path. (The server answers `""` when none was given, har-api.md §2.3.)
fn keep_space_path(prior: Option<&str>, server: Option<&str>) -> Value {
    let server = server.unwrap_or("").trim();
    let norm = |s: &str| s.trim().trim_matches('/').to_string();
    match prior {
        Some(p) if norm(p) == norm(server) => str_value(p),
        _ if server.is_empty() => Value::Null,
        _ => str_value(server),
    }
}

// ---------------------------------------------------------------------------------------
// har_registry

/// The state of a `har_registry` from the server's answer; `prior` is the prior state or the
/// planned value (for the user's form). Fails if the registry is not VIRTUAL.
pub fn registry_state(
    reg: &Registry,
    scope: &Scope,
    prior: Option<&Value>,
) -> Result<Value, String> {
    let RegistryConfig::Virtual(cfg) = &reg.config else {
        return Err(format!(
            "{} is an upstream proxy (config.type = UPSTREAM), not a registry; manage it with \
             the har_upstream_proxy resource",
            RegistryRef::new(scope.clone(), reg.identifier.clone())
        ));
    };
    let reg_ref = RegistryRef::new(scope.clone(), reg.identifier.clone());
    Ok(object_value(vec![
        ("id", str_value(reg_ref.to_string())),
        ("identifier", str_value(&reg.identifier)),
        ("package_type", str_value(&reg.package_type)),
        ("org_id", opt_str_value(scope.org.clone())),
        ("project_id", opt_str_value(scope.project.clone())),
        ("description", keep_description(prior, &reg.description)),
        ("labels", keep_list(prior, "labels", &reg.labels)),
        (
            "allowed_pattern",
            keep_list(prior, "allowed_pattern", &reg.allowed_pattern),
        ),
        (
            "blocked_pattern",
            keep_list(prior, "blocked_pattern", &reg.blocked_pattern),
        ),
        (
            "upstream_proxies",
            keep_list(prior, "upstream_proxies", &linked(&cfg.upstream_proxies)),
        ),
        ("url", str_value(&reg.url)),
        ("uuid", str_value(&reg.uuid)),
        (
            "created_at",
            str_value(rfc3339_from_millis(&reg.created_at)),
        ),
    ]))
}

/// The upstream list as the server holds it. The OSS server maps a proxy deleted since it
/// was linked to `""` (har-api.md §2.3): that is no link.
pub fn linked(upstreams: &[String]) -> Vec<String> {
    upstreams
        .iter()
        .filter(|u| !u.is_empty())
        .cloned()
        .collect()
}

/// The whole-registry PUT/POST body from a planned `har_registry` value. `current` is the
/// registry as the server has it now (on update): the fields this provider does not manage
/// (`cleanupPolicy`, `isPublic`) are carried over, since PUT replaces everything
/// (har-api.md §3.4).
pub fn registry_request(
    planned: &Value,
    scope: &Scope,
    current: Option<&Registry>,
) -> RegistryRequest {
    RegistryRequest {
        identifier: opt_string(planned, "identifier").unwrap_or_default(),
        package_type: opt_string(planned, "package_type").unwrap_or_default(),
        parent_ref: Some(scope.to_string()),
        description: Some(opt_string(planned, "description").unwrap_or_default()),
        labels: known_strings(planned, "labels").unwrap_or_default(),
        allowed_pattern: known_strings(planned, "allowed_pattern").unwrap_or_default(),
        blocked_pattern: known_strings(planned, "blocked_pattern").unwrap_or_default(),
        cleanup_policy: current.and_then(|c| c.cleanup_policy.clone()),
        is_public: current.is_some_and(|c| c.is_public),
        scanners: current.map(|c| c.scanners.clone()),
        policy_refs: current.and_then(|c| c.policy_refs.clone()),
        config: Some(RegistryConfig::Virtual(VirtualConfig {
            upstream_proxies: known_strings(planned, "upstream_proxies").unwrap_or_default(),
            debian_config: current.and_then(|c| match &c.config {
                RegistryConfig::Virtual(v) => v.debian_config.clone(),
                RegistryConfig::Upstream(_) => None,
            }),
        })),
    }
}

// ---------------------------------------------------------------------------------------
// har_upstream_proxy

/// The state of a `har_upstream_proxy` from the server's answer. Fails if it is not UPSTREAM.
pub fn proxy_state(reg: &Registry, scope: &Scope, prior: Option<&Value>) -> Result<Value, String> {
    let RegistryConfig::Upstream(cfg) = &reg.config else {
        return Err(format!(
            "{} is a registry (config.type = VIRTUAL), not an upstream proxy; manage it with \
             the har_registry resource",
            RegistryRef::new(scope.clone(), reg.identifier.clone())
        ));
    };
    let reg_ref = RegistryRef::new(scope.clone(), reg.identifier.clone());
    let auth_type = cfg.auth_type.clone().unwrap_or_else(|| "Anonymous".into());
    let auth = cfg.auth.clone().unwrap_or_default();
    let prior_obj = |name: &str| prior.and_then(|p| object(p, name).value());
    let prior_str = |obj: Option<&Value>, name: &str| {
        obj.and_then(|o| string(o, name).value())
            .map(str::to_string)
    };

    let user_password = if auth_type == "UserPassword" {
        let p = prior_obj("user_password");
        object_value(vec![
            (
                "user_name",
                str_value(auth.user_name.clone().unwrap_or_default()),
            ),
            (
                "secret_identifier",
                str_value(auth.secret_identifier.clone().unwrap_or_default()),
            ),
            (
                "secret_space_path",
                keep_space_path(
                    prior_str(p, "secret_space_path").as_deref(),
                    auth.secret_space_path.as_deref(),
                ),
            ),
        ])
    } else {
        Value::Null
    };
    let access_key_secret_key = if auth_type == "AccessKeySecretKey" {
        let p = prior_obj("access_key_secret_key");
        let nonempty = |s: &Option<String>| opt_str_value(s.clone().filter(|s| !s.is_empty()));
        object_value(vec![
            ("access_key", nonempty(&auth.access_key)),
            (
                "access_key_secret_identifier",
                nonempty(&auth.access_key_secret_identifier),
            ),
            (
                "access_key_secret_space_path",
                keep_space_path(
                    prior_str(p, "access_key_secret_space_path").as_deref(),
                    auth.access_key_secret_space_path.as_deref(),
                ),
            ),
            (
                "secret_key_identifier",
                str_value(auth.secret_key_identifier.clone().unwrap_or_default()),
            ),
            (
                "secret_key_space_path",
                keep_space_path(
                    prior_str(p, "secret_key_space_path").as_deref(),
                    auth.secret_key_space_path.as_deref(),
                ),
            ),
        ])
    } else {
        Value::Null
    };
    // The upstream's remote URL is `config.url`; `data.url` carries the same value.
    let server_url = cfg.url.clone().unwrap_or_else(|| reg.url.clone());
    Ok(object_value(vec![
        ("id", str_value(reg_ref.to_string())),
        ("identifier", str_value(&reg.identifier)),
        ("package_type", str_value(&reg.package_type)),
        ("org_id", opt_str_value(scope.org.clone())),
        ("project_id", opt_str_value(scope.project.clone())),
        ("description", keep_description(prior, &reg.description)),
        ("labels", keep_list(prior, "labels", &reg.labels)),
        ("source", opt_str_value(cfg.source.clone())),
        ("url", keep_url(prior, &server_url)),
        ("auth_type", str_value(auth_type)),
        ("user_password", user_password),
        ("access_key_secret_key", access_key_secret_key),
        ("uuid", str_value(&reg.uuid)),
        (
            "created_at",
            str_value(rfc3339_from_millis(&reg.created_at)),
        ),
    ]))
}

/// The whole-registry body from a planned `har_upstream_proxy` value. `current` carries over
/// what this resource does not manage (`allowedPattern`, `blockedPattern`, `isPublic`,
/// `remoteUrlSuffix`).
pub fn proxy_request(
    planned: &Value,
    scope: &Scope,
    current: Option<&Registry>,
) -> RegistryRequest {
    let auth_type = opt_string(planned, "auth_type").unwrap_or_default();
    let nested = |name: &str, field: &str| -> Option<String> {
        object(planned, name)
            .value()
            .and_then(|o| opt_string(o, field))
    };
    let auth = match auth_type.as_str() {
        "UserPassword" => Some(UpstreamAuth {
            user_name: nested("user_password", "user_name"),
            secret_identifier: nested("user_password", "secret_identifier"),
            secret_space_path: nested("user_password", "secret_space_path"),
            ..UpstreamAuth::default()
        }),
        "AccessKeySecretKey" => Some(UpstreamAuth {
            access_key: nested("access_key_secret_key", "access_key"),
            access_key_secret_identifier: nested(
                "access_key_secret_key",
                "access_key_secret_identifier",
            ),
            access_key_secret_space_path: nested(
                "access_key_secret_key",
                "access_key_secret_space_path",
            ),
            secret_key_identifier: nested("access_key_secret_key", "secret_key_identifier"),
            secret_key_space_path: nested("access_key_secret_key", "secret_key_space_path"),
            ..UpstreamAuth::default()
        }),
        _ => None,
    };
    let carried = current
        .and_then(|c| match &c.config {
            RegistryConfig::Upstream(u) => Some(u.clone()),
            RegistryConfig::Virtual(_) => None,
        })
        .unwrap_or_default();
    RegistryRequest {
        identifier: opt_string(planned, "identifier").unwrap_or_default(),
        package_type: opt_string(planned, "package_type").unwrap_or_default(),
        parent_ref: Some(scope.to_string()),
        description: Some(opt_string(planned, "description").unwrap_or_default()),
        labels: known_strings(planned, "labels").unwrap_or_default(),
        allowed_pattern: current
            .map(|c| c.allowed_pattern.clone())
            .unwrap_or_default(),
        blocked_pattern: current
            .map(|c| c.blocked_pattern.clone())
            .unwrap_or_default(),
        cleanup_policy: None,
        is_public: current.is_some_and(|c| c.is_public),
        scanners: current.map(|c| c.scanners.clone()),
        policy_refs: current.and_then(|c| c.policy_refs.clone()),
        config: Some(RegistryConfig::Upstream(UpstreamConfig {
            auth_type: Some(auth_type),
            auth,
            source: opt_string(planned, "source"),
            url: opt_string(planned, "url").map(|u| u.trim().to_string()),
            remote_url_suffix: carried.remote_url_suffix,
            firewall_mode: carried.firewall_mode,
            metadata_cache_ttl: carried.metadata_cache_ttl,
            negative_cache_ttl: carried.negative_cache_ttl,
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_to_rfc3339() {
        assert_eq!(rfc3339_from_millis("0"), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_from_millis("1724251211000"), "2024-08-21T14:40:11Z");
        assert_eq!(rfc3339_from_millis("951782400000"), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_from_millis("soon"), "soon");
    }

    fn reg(json: &str) -> Registry {
        serde_json::from_str(json).expect("registry json")
    }

    #[test]
    fn equivalent_server_forms_keep_the_users_form() {
        let server = reg(
            r#"{"identifier":"r","uuid":"u","packageType":"DOCKER","description":"",
            "url":"http://x/acct/r","labels":null,"allowedPattern":null,"blockedPattern":null,
            "createdAt":"0","config":{"type":"VIRTUAL","upstreamProxies":[]}}"#,
        );
        let scope = Scope::account("acct");
        // No prior (import): empty means null.
        let s = registry_state(&server, &scope, None).unwrap();
        assert_eq!(s.get("description"), Some(&Value::Null));
        assert_eq!(s.get("labels"), Some(&Value::Null));
        assert_eq!(s.get("upstream_proxies"), Some(&Value::Null));
        assert_eq!(s.get("id"), Some(&str_value("acct/r")));
        // The user wrote [] and "": kept.
        let prior = object_value(vec![
            ("description", str_value("")),
            ("labels", Value::List(vec![])),
            ("upstream_proxies", Value::List(vec![])),
        ]);
        let s = registry_state(&server, &scope, Some(&prior)).unwrap();
        assert_eq!(s.get("description"), Some(&str_value("")));
        assert_eq!(s.get("labels"), Some(&Value::List(vec![])));
        assert_eq!(s.get("upstream_proxies"), Some(&Value::List(vec![])));
    }

    #[test]
    fn proxy_url_and_space_paths_keep_the_users_form() {
        let server = reg(
            r#"{"identifier":"p","packageType":"HELM","url":"https://charts.example.com",
            "config":{"type":"UPSTREAM","source":"Custom","url":"https://charts.example.com",
            "authType":"UserPassword","auth":{"userName":"u","secretIdentifier":"s","secretSpacePath":"acct/o"}}}"#,
        );
        let scope = Scope::parse("acct/o").unwrap();
        let prior = object_value(vec![
            ("url", str_value("https://charts.example.com/")),
            (
                "user_password",
                object_value(vec![
                    ("user_name", str_value("u")),
                    ("secret_identifier", str_value("s")),
                    ("secret_space_path", str_value("acct/o/")),
                ]),
            ),
        ]);
        let s = proxy_state(&server, &scope, Some(&prior)).unwrap();
        assert_eq!(
            s.get("url"),
            Some(&str_value("https://charts.example.com/"))
        );
        let up = s.get("user_password").unwrap();
        assert_eq!(up.get("secret_space_path"), Some(&str_value("acct/o/")));
        // Import (no prior): what the server says.
        let s = proxy_state(&server, &scope, None).unwrap();
        let up = s.get("user_password").unwrap();
        assert_eq!(up.get("secret_space_path"), Some(&str_value("acct/o")));
        assert_eq!(s.get("access_key_secret_key"), Some(&Value::Null));
    }

    #[test]
    fn wrong_type_is_an_error() {
        let server = reg(
            r#"{"identifier":"p","packageType":"HELM","config":{"type":"UPSTREAM","authType":"Anonymous","auth":null}}"#,
        );
        let e = registry_state(&server, &Scope::account("a"), None).unwrap_err();
        assert!(e.contains("har_upstream_proxy"), "{e}");
        let server = reg(r#"{"identifier":"r","packageType":"HELM","config":{"type":"VIRTUAL"}}"#);
        let e = proxy_state(&server, &Scope::account("a"), None).unwrap_err();
        assert!(e.contains("har_registry"), "{e}");
    }

    #[test]
    fn requests_carry_unmanaged_fields() {
        let current = reg(r#"{"identifier":"r","packageType":"DOCKER","isPublic":true,
            "cleanupPolicy":[{"name":"c","expireDays":3,"versionPrefix":["v"],"packagePrefix":["p"]}],
            "scanners":[{"name":"GRYPE"}],"policyRefs":["p1"],
            "config":{"type":"VIRTUAL","upstreamProxies":["x"],
              "debianConfig":{"remoteIndexedArchitectures":["amd64"]}}}"#);
        let planned = object_value(vec![
            ("identifier", str_value("r")),
            ("package_type", str_value("DOCKER")),
            (
                "upstream_proxies",
                list_value(Some(vec!["a".into(), "b".into()])),
            ),
            ("description", Value::Null),
        ]);
        let req = registry_request(&planned, &Scope::account("acct"), Some(&current));
        assert!(req.is_public);
        assert_eq!(req.cleanup_policy.as_ref().map(Vec::len), Some(1));
        assert_eq!(req.description.as_deref(), Some(""));
        assert_eq!(
            req.config,
            Some(RegistryConfig::Virtual(VirtualConfig {
                upstream_proxies: vec!["a".into(), "b".into()],
                debian_config: Some(crate::api::model::DebianConfig {
                    remote_indexed_architectures: vec!["amd64".into()],
                    optional_index_compression_formats: vec![],
                }),
            }))
        );
        assert_eq!(req.scanners.as_ref().map(Vec::len), Some(1));
        assert_eq!(req.policy_refs, Some(vec!["p1".to_string()]));

        let current = reg(
            r#"{"identifier":"m","packageType":"MAVEN","config":{"type":"UPSTREAM",
            "authType":"Anonymous","source":"MavenCentral","remoteUrlSuffix":"s",
            "firewallMode":"ENABLED","metadataCacheTTL":60,"negativeCacheTTL":5}}"#,
        );
        let planned = object_value(vec![
            ("identifier", str_value("m")),
            ("package_type", str_value("MAVEN")),
            ("source", str_value("MavenCentral")),
            ("auth_type", str_value("Anonymous")),
        ]);
        let req = proxy_request(&planned, &Scope::account("acct"), Some(&current));
        let Some(RegistryConfig::Upstream(u)) = req.config else {
            panic!("upstream expected")
        };
        assert_eq!(u.firewall_mode.as_deref(), Some("ENABLED"));
        assert_eq!(
            (u.metadata_cache_ttl, u.negative_cache_ttl),
            (Some(60), Some(5))
        );
        assert_eq!(u.remote_url_suffix.as_deref(), Some("s"));
    }

    #[test]
    fn effective_scope() {
        let d = Defaults {
            account_id: "a".into(),
            org_id: Some("o".into()),
            project_id: Some("p".into()),
        };
        assert_eq!(
            d.effective(None, None),
            (Some("o".into()), Some("p".into()))
        );
        assert_eq!(d.effective(Some("x"), None), (Some("x".into()), None));
        assert_eq!(d.effective(Some("o"), None), (Some("o".into()), None));
        assert_eq!(
            d.effective(Some("o"), Some("q")),
            (Some("o".into()), Some("q".into()))
        );
    }
}
