//! The `har_upstream_proxy` model and its mapping to and from the HAR wire model.

use crate::api::model::{Registry, RegistryConfig, RegistryRequest, UpstreamAuth, UpstreamConfig};
use crate::api::refs::{RegistryRef, Scope};
use crate::framework::Field;
use crate::framework::model::model;
use crate::provider::keep::{self, StringList, known_strings};
use crate::provider::registry::server_package_type;
use crate::provider::resource::kind::identity;
use crate::rules::{AuthType, FirewallMode, PackageType, Source};

model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct ProxyModel / ProxyAttrs {
        pub(crate) id: Field<String>,
        pub(crate) identifier: Field<String>,
        pub(crate) package_type: Field<PackageType>,
        pub(crate) org_id: Field<String>,
        pub(crate) project_id: Field<String>,
        pub(crate) description: Field<String>,
        pub(crate) labels: StringList,
        pub(crate) source: Field<Source>,
        pub(crate) url: Field<String>,
        pub(crate) auth_type: Field<AuthType>,
        pub(crate) user_password: Field<UserPassword>,
        pub(crate) access_key_secret_key: Field<AccessKeys>,
        pub(crate) is_public: Field<bool>,
        pub(crate) firewall_mode: Field<FirewallMode>,
        pub(crate) remote_url_suffix: Field<String>,
        pub(crate) metadata_cache_ttl: Field<i64>,
        pub(crate) negative_cache_ttl: Field<i64>,
        pub(crate) metadata: crate::provider::metadata::Metadata,
        pub(crate) uuid: Field<String>,
        pub(crate) created_at: Field<String>,
    }
}
identity!(ProxyModel);

model! {
    /// `user_password = { ... }`
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct UserPassword / UserPasswordAttrs {
        pub(crate) user_name: Field<String>,
        pub(crate) secret_identifier: Field<String>,
        pub(crate) secret_space_path: Field<String>,
    }
}

model! {
    /// `access_key_secret_key = { ... }`
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct AccessKeys / AccessKeysAttrs {
        pub(crate) access_key: Field<String>,
        pub(crate) access_key_secret_identifier: Field<String>,
        pub(crate) access_key_secret_space_path: Field<String>,
        pub(crate) secret_key_identifier: Field<String>,
        pub(crate) secret_key_space_path: Field<String>,
    }
}

fn known_or_empty(s: &Option<String>) -> Field<String> {
    Field::Known(s.clone().unwrap_or_default())
}

/// The credential objects in state: the one `auth_type` names, from the server's `auth`
/// (space paths in the user's form), the other null.
fn auth_state(
    auth_type: AuthType,
    auth: UpstreamAuth,
    prior: Option<&ProxyModel>,
) -> (Field<UserPassword>, Field<AccessKeys>) {
    match auth_type {
        AuthType::UserPassword => {
            let prior = prior.and_then(|p| p.user_password.as_ref().known());
            let up = UserPassword {
                user_name: known_or_empty(&auth.user_name),
                secret_identifier: known_or_empty(&auth.secret_identifier),
                secret_space_path: keep::space_path(
                    prior.map(|p| &p.secret_space_path),
                    auth.secret_space_path.as_deref(),
                ),
            };
            (Field::Known(up), Field::Null)
        }
        AuthType::AccessKeySecretKey => {
            let prior = prior.and_then(|p| p.access_key_secret_key.as_ref().known());
            let nonempty =
                |s: &Option<String>| Field::from_option(s.clone().filter(|s| !s.is_empty()));
            let keys = AccessKeys {
                access_key: nonempty(&auth.access_key),
                access_key_secret_identifier: nonempty(&auth.access_key_secret_identifier),
                access_key_secret_space_path: keep::space_path(
                    prior.map(|p| &p.access_key_secret_space_path),
                    auth.access_key_secret_space_path.as_deref(),
                ),
                secret_key_identifier: known_or_empty(&auth.secret_key_identifier),
                secret_key_space_path: keep::space_path(
                    prior.map(|p| &p.secret_key_space_path),
                    auth.secret_key_space_path.as_deref(),
                ),
            };
            (Field::Null, Field::Known(keys))
        }
        AuthType::Anonymous => (Field::Null, Field::Null),
    }
}

/// The state of a `har_upstream_proxy` from the server's answer. Fails if it is not UPSTREAM.
pub(crate) fn state(
    reg: &Registry,
    scope: &Scope,
    prior: Option<&ProxyModel>,
) -> Result<ProxyModel, String> {
    let reg_ref = RegistryRef::new(scope.clone(), reg.identifier.clone());
    let RegistryConfig::Upstream(cfg) = &reg.config else {
        return Err(format!(
            "{reg_ref} is a registry (config.type = VIRTUAL), not an upstream proxy; manage it \
             with the har_registry resource"
        ));
    };
    let auth_type =
        AuthType::parse(cfg.auth_type.as_deref().unwrap_or("Anonymous")).map_err(|e| {
            format!("the server answered with an auth type this provider does not know: {e}")
        })?;
    let source = cfg
        .source
        .as_deref()
        .map(Source::parse)
        .transpose()
        .map_err(|e| {
            format!("the server answered with a source this provider does not know: {e}")
        })?;
    let (user_password, access_key_secret_key) =
        auth_state(auth_type, cfg.auth.clone().unwrap_or_default(), prior);
    // The upstream's remote URL is `config.url`; `data.url` carries the same value.
    let server_url = cfg.url.clone().unwrap_or_else(|| reg.url.clone());
    Ok(ProxyModel {
        id: Field::Known(reg_ref.to_string()),
        identifier: Field::Known(reg.identifier.clone()),
        package_type: Field::Known(server_package_type(reg)?),
        org_id: Field::from_option(scope.org.clone()),
        project_id: Field::from_option(scope.project.clone()),
        description: keep::description(prior.map(|p| &p.description), &reg.description),
        labels: keep::list(prior.map(|p| &p.labels), &reg.labels),
        source: Field::from_option(source),
        url: keep::url(prior.map(|p| &p.url), &server_url),
        auth_type: Field::Known(auth_type),
        user_password,
        access_key_secret_key,
        is_public: keep::unset_if(prior.map(|p| &p.is_public), Some(reg.is_public), |b| !b),
        firewall_mode: keep::unset_if(
            prior.map(|p| &p.firewall_mode),
            cfg.firewall_mode
                .as_deref()
                .filter(|m| !m.is_empty())
                .map(FirewallMode::parse)
                .transpose()
                .map_err(|e| {
                    format!(
                        "the server answered with a firewall mode this provider does not know: {e}"
                    )
                })?,
            |m| *m == FirewallMode::Allow,
        ),
        remote_url_suffix: keep::suffix(
            prior.map(|p| &p.remote_url_suffix),
            cfg.remote_url_suffix.as_deref(),
        ),
        metadata_cache_ttl: keep::unset_if(
            prior.map(|p| &p.metadata_cache_ttl),
            cfg.metadata_cache_ttl,
            |n| *n == 0,
        ),
        negative_cache_ttl: keep::unset_if(
            prior.map(|p| &p.negative_cache_ttl),
            cfg.negative_cache_ttl,
            |n| *n == 0,
        ),
        // Read from the v3 API by the resource; until then what was planned or stored.
        metadata: prior.map(|p| p.metadata.clone()).unwrap_or(Field::Null),
        uuid: Field::Known(reg.uuid.clone()),
        created_at: Field::Known(keep::created_at(&reg.created_at)),
    })
}

/// See [`crate::provider::resource::RegistryKind::differences`]. An inline access key is
/// compared only when the server shows one (it may keep it to itself).
pub(crate) fn differences(sent: &ProxyModel, found: &ProxyModel) -> Vec<&'static str> {
    let a = ProxyModel::ATTR;
    let keys_match = match (&sent.access_key_secret_key, &found.access_key_secret_key) {
        (Field::Known(s), Field::Known(f)) if f.access_key.is_null() => {
            AccessKeys {
                access_key: Field::Null,
                ..s.clone()
            } == *f
        }
        (s, f) => s == f,
    };
    [
        (a.identifier, sent.identifier == found.identifier),
        (a.package_type, sent.package_type == found.package_type),
        (a.org_id, sent.org_id == found.org_id),
        (a.project_id, sent.project_id == found.project_id),
        (a.description, sent.description == found.description),
        (a.labels, sent.labels == found.labels),
        (a.source, sent.source == found.source),
        (a.url, sent.url == found.url),
        (a.auth_type, sent.auth_type == found.auth_type),
        (a.user_password, sent.user_password == found.user_password),
        (a.access_key_secret_key, keys_match),
    ]
    .into_iter()
    .filter(|(_, same)| !same)
    .map(|(name, _)| name)
    .collect()
}

/// The whole-registry body from a planned `har_upstream_proxy`. `current` carries over what
/// this resource does not manage (`allowedPattern`, `blockedPattern`, `scanners`,
/// `policyRefs`).
pub(crate) fn request(
    planned: &ProxyModel,
    scope: &Scope,
    current: Option<&Registry>,
) -> RegistryRequest {
    let text = |f: &Field<String>| f.clone().known();
    let auth = match planned.auth_type.known() {
        Some(AuthType::UserPassword) => {
            let up = planned.user_password.clone().known().unwrap_or_default();
            Some(UpstreamAuth {
                user_name: text(&up.user_name),
                secret_identifier: text(&up.secret_identifier),
                secret_space_path: text(&up.secret_space_path),
                ..UpstreamAuth::default()
            })
        }
        Some(AuthType::AccessKeySecretKey) => {
            let ak = planned
                .access_key_secret_key
                .clone()
                .known()
                .unwrap_or_default();
            Some(UpstreamAuth {
                access_key: text(&ak.access_key),
                access_key_secret_identifier: text(&ak.access_key_secret_identifier),
                access_key_secret_space_path: text(&ak.access_key_secret_space_path),
                secret_key_identifier: text(&ak.secret_key_identifier),
                secret_key_space_path: text(&ak.secret_key_space_path),
                ..UpstreamAuth::default()
            })
        }
        _ => None,
    };
    RegistryRequest {
        identifier: planned.identifier.clone().known().unwrap_or_default(),
        package_type: planned
            .package_type
            .known()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        parent_ref: Some(scope.to_string()),
        description: Some(planned.description.clone().known().unwrap_or_default()),
        labels: known_strings(&planned.labels).unwrap_or_default(),
        allowed_pattern: current
            .map(|c| c.allowed_pattern.clone())
            .unwrap_or_default(),
        blocked_pattern: current
            .map(|c| c.blocked_pattern.clone())
            .unwrap_or_default(),
        cleanup_policy: None,
        // Always sent: `false` must turn it off again.
        is_public: planned.is_public.known().unwrap_or(false),
        scanners: current.map(|c| c.scanners.clone()),
        policy_refs: current.and_then(|c| c.policy_refs.clone()),
        config: Some(RegistryConfig::Upstream(UpstreamConfig {
            auth_type: Some(
                planned
                    .auth_type
                    .known()
                    .map(|a| a.as_str().to_string())
                    .unwrap_or_default(),
            ),
            auth,
            source: planned.source.known().map(|s| s.as_str().to_string()),
            url: planned.url.clone().known().map(|u| u.trim().to_string()),
            remote_url_suffix: planned
                .remote_url_suffix
                .clone()
                .known()
                .map(|s| s.trim().trim_matches('/').to_string())
                .filter(|s| !s.is_empty()),
            firewall_mode: planned
                .firewall_mode
                .known()
                .map(|m| m.as_str().to_string()),
            metadata_cache_ttl: planned.metadata_cache_ttl.known(),
            negative_cache_ttl: planned.negative_cache_ttl.known(),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::model::check_model;

    fn reg(json: &str) -> Registry {
        serde_json::from_str(json).expect("registry json")
    }

    #[test]
    fn the_model_is_the_schema() {
        let schema = super::super::schema::schema();
        check_model(&schema, ProxyModel::ATTR_NAMES).unwrap();
        let nested = |name: &str| {
            let a = schema.get(name).expect("attribute");
            crate::framework::Schema::new()
                .attributes(a.nested_attributes().expect("nested").1.to_vec())
        };
        check_model(&nested("user_password"), UserPassword::ATTR_NAMES).unwrap();
        check_model(&nested("access_key_secret_key"), AccessKeys::ATTR_NAMES).unwrap();
    }

    #[test]
    fn url_and_space_paths_keep_the_users_form() {
        let server = reg(
            r#"{"identifier":"p","packageType":"HELM","url":"https://charts.example.com",
            "config":{"type":"UPSTREAM","source":"Custom","url":"https://charts.example.com",
            "authType":"UserPassword","auth":{"userName":"u","secretIdentifier":"s","secretSpacePath":"acct/o"}}}"#,
        );
        let scope = Scope::parse("acct/o").unwrap();
        let prior = ProxyModel {
            url: Field::Known("https://charts.example.com/".into()),
            user_password: Field::Known(UserPassword {
                user_name: Field::Known("u".into()),
                secret_identifier: Field::Known("s".into()),
                secret_space_path: Field::Known("acct/o/".into()),
            }),
            ..ProxyModel::default()
        };
        let s = state(&server, &scope, Some(&prior)).unwrap();
        assert_eq!(s.url, Field::Known("https://charts.example.com/".into()));
        let up = s.user_password.known().unwrap();
        assert_eq!(up.secret_space_path, Field::Known("acct/o/".into()));
        // Import (no prior): what the server says.
        let s = state(&server, &scope, None).unwrap();
        let up = s.user_password.clone().known().unwrap();
        assert_eq!(up.secret_space_path, Field::Known("acct/o".into()));
        assert_eq!(s.access_key_secret_key, Field::Null);
    }

    #[test]
    fn a_registry_is_not_an_upstream() {
        let server = reg(r#"{"identifier":"r","packageType":"HELM","config":{"type":"VIRTUAL"}}"#);
        let e = state(&server, &Scope::account("a"), None).unwrap_err();
        assert!(e.contains("har_registry"), "{e}");
    }
}
