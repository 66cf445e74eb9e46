//! The `har_registry` model and its mapping to and from the HAR wire model.

use crate::api::model::{
    CleanupPolicy, DebianConfig, Registry, RegistryConfig, RegistryRequest, Scanner, VirtualConfig,
};
use crate::api::refs::{RegistryRef, Scope};
use crate::framework::Field;
use crate::framework::model::model;
use crate::provider::keep::{self, StringList, known_strings};
use crate::provider::resource::kind::identity;
use crate::rules::{DEFAULT_DEBIAN_ARCHITECTURES, IndexCompression, PackageType, ScannerName};

model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct RegistryModel / RegistryAttrs {
        pub(crate) id: Field<String>,
        pub(crate) identifier: Field<String>,
        pub(crate) package_type: Field<PackageType>,
        pub(crate) org_id: Field<String>,
        pub(crate) project_id: Field<String>,
        pub(crate) description: Field<String>,
        pub(crate) labels: StringList,
        pub(crate) allowed_pattern: StringList,
        pub(crate) blocked_pattern: StringList,
        pub(crate) upstream_proxies: StringList,
        pub(crate) is_public: Field<bool>,
        pub(crate) scanners: Field<Vec<Field<ScannerName>>>,
        pub(crate) policy_refs: StringList,
        pub(crate) cleanup_policy: Field<Vec<Field<CleanupPolicyModel>>>,
        pub(crate) debian_config: Field<DebianConfigModel>,
        pub(crate) url: Field<String>,
        pub(crate) metadata: crate::provider::metadata::Metadata,
        pub(crate) uuid: Field<String>,
        pub(crate) created_at: Field<String>,
    }
}
identity!(RegistryModel);

model! {
    /// `cleanup_policy = [{ ... }]`: every field required (the API refuses a partial entry).
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct CleanupPolicyModel / CleanupPolicyAttrs {
        pub(crate) name: Field<String>,
        pub(crate) expire_days: Field<i64>,
        pub(crate) package_prefix: StringList,
        pub(crate) version_prefix: StringList,
    }
}

model! {
    /// `debian_config = { ... }` (DEBIAN only).
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct DebianConfigModel / DebianConfigAttrs {
        pub(crate) remote_indexed_architectures: StringList,
        pub(crate) optional_index_compression_formats: Field<Vec<Field<IndexCompression>>>,
    }
}

/// A typed list: the server's empty list is the user's null, or the user's `[]`.
fn typed_list<T: Clone>(
    prior: Option<&Field<Vec<Field<T>>>>,
    server: Vec<T>,
) -> Field<Vec<Field<T>>> {
    if server.is_empty() {
        return match prior {
            Some(Field::Known(p)) if p.is_empty() => Field::Known(vec![]),
            _ => Field::Null,
        };
    }
    Field::Known(server.into_iter().map(Field::Known).collect())
}

fn cleanup_state(
    prior: Option<&RegistryModel>,
    server: &[CleanupPolicy],
) -> Field<Vec<Field<CleanupPolicyModel>>> {
    let items = server
        .iter()
        .map(|p| CleanupPolicyModel {
            name: Field::from_option(p.name.clone()),
            expire_days: Field::from_option(p.expire_days),
            package_prefix: keep::string_list(&p.package_prefix),
            version_prefix: keep::string_list(&p.version_prefix),
        })
        .collect();
    typed_list(prior.map(|p| &p.cleanup_policy), items)
}

/// The server fills `debianConfig` with its defaults: those are the user's null.
fn debian_state(
    prior: Option<&RegistryModel>,
    server: Option<&DebianConfig>,
) -> Result<Field<DebianConfigModel>, String> {
    let Some(d) = server else {
        return Ok(Field::Null);
    };
    let formats = d
        .optional_index_compression_formats
        .iter()
        .map(|f| IndexCompression::parse(f).map(Field::Known))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("the server answered with {e}"))?;
    let is_default =
        d.remote_indexed_architectures == DEFAULT_DEBIAN_ARCHITECTURES && formats.is_empty();
    let prior = prior.map(|p| &p.debian_config);
    if is_default && !matches!(prior, Some(Field::Known(_))) {
        return Ok(Field::Null);
    }
    let prior_model = prior.and_then(|p| p.as_ref().known());
    Ok(Field::Known(DebianConfigModel {
        remote_indexed_architectures: keep::list(
            prior_model.map(|p| &p.remote_indexed_architectures),
            &d.remote_indexed_architectures,
        ),
        optional_index_compression_formats: typed_list(
            prior_model.map(|p| &p.optional_index_compression_formats),
            formats.into_iter().filter_map(Field::known).collect(),
        ),
    }))
}

/// The upstream list as the server holds it. The OSS server maps a proxy deleted since it
/// was linked to `""`: that is no link.
pub(crate) fn linked(upstreams: &[String]) -> Vec<String> {
    upstreams
        .iter()
        .filter(|u| !u.is_empty())
        .cloned()
        .collect()
}

/// A package type as the server answers it.
pub(crate) fn server_package_type(reg: &Registry) -> Result<PackageType, String> {
    PackageType::parse(&reg.package_type).map_err(|e| {
        format!("the server answered with a package type this provider does not know: {e}")
    })
}

/// The state of a `har_registry` from the server's answer. Fails if it is not VIRTUAL.
pub(crate) fn state(
    reg: &Registry,
    scope: &Scope,
    prior: Option<&RegistryModel>,
) -> Result<RegistryModel, String> {
    let reg_ref = RegistryRef::new(scope.clone(), reg.identifier.clone());
    let RegistryConfig::Virtual(cfg) = &reg.config else {
        return Err(format!(
            "{reg_ref} is an upstream proxy (config.type = UPSTREAM), not a registry; manage it \
             with the har_upstream_proxy resource"
        ));
    };
    Ok(RegistryModel {
        id: Field::Known(reg_ref.to_string()),
        identifier: Field::Known(reg.identifier.clone()),
        package_type: Field::Known(server_package_type(reg)?),
        org_id: Field::from_option(scope.org.clone()),
        project_id: Field::from_option(scope.project.clone()),
        description: keep::description(prior.map(|p| &p.description), &reg.description),
        labels: keep::list(prior.map(|p| &p.labels), &reg.labels),
        allowed_pattern: keep::list(prior.map(|p| &p.allowed_pattern), &reg.allowed_pattern),
        blocked_pattern: keep::list(prior.map(|p| &p.blocked_pattern), &reg.blocked_pattern),
        upstream_proxies: keep::list(
            prior.map(|p| &p.upstream_proxies),
            &linked(&cfg.upstream_proxies),
        ),
        is_public: keep::unset_if(prior.map(|p| &p.is_public), Some(reg.is_public), |b| !b),
        scanners: typed_list(
            prior.map(|p| &p.scanners),
            reg.scanners
                .iter()
                .map(|s| ScannerName::parse(&s.name))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("the server answered with {e}"))?,
        ),
        // The SaaS answer has no policyRefs: then what was sent stands.
        policy_refs: match &reg.policy_refs {
            Some(refs) => keep::list(prior.map(|p| &p.policy_refs), refs),
            None => prior.map(|p| p.policy_refs.clone()).unwrap_or(Field::Null),
        },
        cleanup_policy: cleanup_state(prior, reg.cleanup_policy.as_deref().unwrap_or_default()),
        debian_config: debian_state(prior, cfg.debian_config.as_ref())?,
        url: Field::Known(reg.url.clone()),
        // Read from the v3 API by the resource; until then what was planned or stored.
        metadata: prior.map(|p| p.metadata.clone()).unwrap_or(Field::Null),
        uuid: Field::Known(reg.uuid.clone()),
        created_at: Field::Known(keep::created_at(&reg.created_at)),
    })
}

fn cleanup_request(planned: &RegistryModel) -> Option<Vec<CleanupPolicy>> {
    let items: Vec<CleanupPolicy> = planned
        .cleanup_policy
        .clone()
        .known()
        .unwrap_or_default()
        .into_iter()
        .filter_map(Field::known)
        .map(|p| CleanupPolicy {
            name: p.name.known(),
            expire_days: p.expire_days.known(),
            package_prefix: known_strings(&p.package_prefix).unwrap_or_default(),
            version_prefix: known_strings(&p.version_prefix).unwrap_or_default(),
        })
        .collect();
    (!items.is_empty()).then_some(items)
}

fn debian_request(planned: &RegistryModel) -> Option<DebianConfig> {
    let d = planned.debian_config.clone().known()?;
    Some(DebianConfig {
        remote_indexed_architectures: known_strings(&d.remote_indexed_architectures)
            .unwrap_or_default(),
        optional_index_compression_formats: d
            .optional_index_compression_formats
            .known()
            .unwrap_or_default()
            .into_iter()
            .filter_map(Field::known)
            .map(|f| f.as_str().to_string())
            .collect(),
    })
}

/// See [`crate::provider::resource::RegistryKind::differences`].
pub(crate) fn differences(sent: &RegistryModel, found: &RegistryModel) -> Vec<&'static str> {
    let a = RegistryModel::ATTR;
    [
        (a.identifier, sent.identifier == found.identifier),
        (a.package_type, sent.package_type == found.package_type),
        (a.org_id, sent.org_id == found.org_id),
        (a.project_id, sent.project_id == found.project_id),
        (a.description, sent.description == found.description),
        (a.labels, sent.labels == found.labels),
        (
            a.allowed_pattern,
            sent.allowed_pattern == found.allowed_pattern,
        ),
        (
            a.blocked_pattern,
            sent.blocked_pattern == found.blocked_pattern,
        ),
    ]
    .into_iter()
    .filter(|(_, same)| !same)
    .map(|(name, _)| name)
    .collect()
}

/// The whole-registry PUT/POST body from a planned `har_registry`. Every field the API has
/// for a registry is managed here; `isPublic` is always sent, so `false` turns it off.
pub(crate) fn request(
    planned: &RegistryModel,
    scope: &Scope,
    _current: Option<&Registry>,
) -> RegistryRequest {
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
        allowed_pattern: known_strings(&planned.allowed_pattern).unwrap_or_default(),
        blocked_pattern: known_strings(&planned.blocked_pattern).unwrap_or_default(),
        cleanup_policy: cleanup_request(planned),
        is_public: planned.is_public.known().unwrap_or(false),
        scanners: Some(
            planned
                .scanners
                .clone()
                .known()
                .unwrap_or_default()
                .into_iter()
                .filter_map(Field::known)
                .map(|s| Scanner {
                    name: s.as_str().to_string(),
                })
                .collect(),
        ),
        policy_refs: Some(known_strings(&planned.policy_refs).unwrap_or_default()),
        config: Some(RegistryConfig::Virtual(VirtualConfig {
            upstream_proxies: known_strings(&planned.upstream_proxies).unwrap_or_default(),
            debian_config: debian_request(planned),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::model::{check_model, decode, encode};

    fn reg(json: &str) -> Registry {
        serde_json::from_str(json).expect("registry json")
    }

    #[test]
    fn the_model_is_the_schema() {
        let schema = super::super::schema::schema();
        check_model(&schema, RegistryModel::ATTR_NAMES).unwrap();
        let v = encode(&RegistryModel::default(), &schema.value_type()).unwrap();
        assert_eq!(
            decode::<RegistryModel>(&v).unwrap(),
            RegistryModel::default()
        );
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
        let s = state(&server, &scope, None).unwrap();
        assert_eq!(s.description, Field::Null);
        assert_eq!(s.labels, Field::Null);
        assert_eq!(s.upstream_proxies, Field::Null);
        assert_eq!(s.id, Field::Known("acct/r".into()));
        assert_eq!(s.created_at, Field::Known("1970-01-01T00:00:00Z".into()));
        // The user wrote [] and "": kept.
        let prior = RegistryModel {
            description: Field::Known(String::new()),
            labels: Field::Known(vec![]),
            upstream_proxies: Field::Known(vec![]),
            ..RegistryModel::default()
        };
        let s = state(&server, &scope, Some(&prior)).unwrap();
        assert_eq!(s.description, Field::Known(String::new()));
        assert_eq!(s.labels, Field::Known(vec![]));
        assert_eq!(s.upstream_proxies, Field::Known(vec![]));
    }

    #[test]
    fn an_upstream_is_not_a_registry() {
        let server = reg(
            r#"{"identifier":"p","packageType":"HELM","config":{"type":"UPSTREAM","authType":"Anonymous","auth":null}}"#,
        );
        let e = state(&server, &Scope::account("a"), None).unwrap_err();
        assert!(e.contains("har_upstream_proxy"), "{e}");
    }

    #[test]
    fn requests_send_every_field_the_plan_has() {
        let current = reg(r#"{"identifier":"r","packageType":"DEBIAN","isPublic":true,
            "cleanupPolicy":[{"name":"c","expireDays":3,"versionPrefix":["v"],"packagePrefix":["p"]}],
            "scanners":[{"name":"GRYPE"}],
            "config":{"type":"VIRTUAL","upstreamProxies":["x"]}}"#);
        let planned = RegistryModel {
            identifier: Field::Known("r".into()),
            package_type: Field::Known(PackageType::Debian),
            upstream_proxies: keep::string_list(&["a".into(), "b".into()]),
            debian_config: Field::Known(DebianConfigModel {
                remote_indexed_architectures: keep::string_list(&["arm64".into()]),
                optional_index_compression_formats: Field::Known(vec![Field::Known(
                    IndexCompression::Xz,
                )]),
            }),
            ..RegistryModel::default()
        };
        // What the plan leaves out is unset, not carried over: isPublic false, no policies.
        let req = request(&planned, &Scope::account("acct"), Some(&current));
        assert!(!req.is_public);
        assert_eq!(req.package_type, "DEBIAN");
        assert_eq!(req.cleanup_policy, None);
        assert_eq!(req.scanners, Some(vec![]));
        assert_eq!(req.description.as_deref(), Some(""));
        assert_eq!(
            req.config,
            Some(RegistryConfig::Virtual(VirtualConfig {
                upstream_proxies: vec!["a".into(), "b".into()],
                debian_config: Some(DebianConfig {
                    remote_indexed_architectures: vec!["arm64".into()],
                    optional_index_compression_formats: vec![".xz".into()],
                }),
            }))
        );
        // The server's defaults are the user's null.
        let s = state(
            &reg(
                r#"{"identifier":"r","packageType":"DEBIAN","config":{"type":"VIRTUAL",
            "debianConfig":{"remoteIndexedArchitectures":["amd64","i386","arm64"]}}}"#,
            ),
            &Scope::account("acct"),
            None,
        )
        .unwrap();
        assert_eq!(s.debian_config, Field::Null);
        let s = state(&current, &Scope::account("acct"), None).unwrap();
        assert_eq!(s.is_public, Field::Known(true));
        assert_eq!(
            s.scanners,
            Field::Known(vec![Field::Known(ScannerName::Grype)])
        );
        assert!(matches!(&s.cleanup_policy, Field::Known(v) if v.len() == 1));
    }
}
