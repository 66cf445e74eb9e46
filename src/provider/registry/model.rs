//! The `har_registry` model and its mapping to and from the HAR wire model.

use crate::api::model::{Registry, RegistryConfig, RegistryRequest, VirtualConfig};
use crate::api::refs::{RegistryRef, Scope};
use crate::framework::Field;
use crate::framework::model::model;
use crate::provider::keep::{self, StringList, known_strings};
use crate::provider::resource::kind::identity;
use crate::rules::PackageType;

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
        pub(crate) url: Field<String>,
        pub(crate) uuid: Field<String>,
        pub(crate) created_at: Field<String>,
    }
}
identity!(RegistryModel);

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
        url: Field::Known(reg.url.clone()),
        uuid: Field::Known(reg.uuid.clone()),
        created_at: Field::Known(keep::created_at(&reg.created_at)),
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

/// The whole-registry PUT/POST body from a planned `har_registry`. The fields this
/// resource does not manage (`cleanupPolicy`, `isPublic`) are carried over from `current`.
pub(crate) fn request(
    planned: &RegistryModel,
    scope: &Scope,
    current: Option<&Registry>,
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
        cleanup_policy: current.and_then(|c| c.cleanup_policy.clone()),
        is_public: current.is_some_and(|c| c.is_public),
        config: Some(RegistryConfig::Virtual(VirtualConfig {
            upstream_proxies: known_strings(&planned.upstream_proxies).unwrap_or_default(),
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
    fn requests_carry_unmanaged_fields() {
        let current = reg(r#"{"identifier":"r","packageType":"DOCKER","isPublic":true,
            "cleanupPolicy":[{"name":"c","expireDays":3,"versionPrefix":["v"],"packagePrefix":["p"]}],
            "config":{"type":"VIRTUAL","upstreamProxies":["x"]}}"#);
        let planned = RegistryModel {
            identifier: Field::Known("r".into()),
            package_type: Field::Known(PackageType::Docker),
            upstream_proxies: keep::string_list(&["a".into(), "b".into()]),
            ..RegistryModel::default()
        };
        let req = request(&planned, &Scope::account("acct"), Some(&current));
        assert!(req.is_public);
        assert_eq!(req.package_type, "DOCKER");
        assert_eq!(req.cleanup_policy.as_ref().map(Vec::len), Some(1));
        assert_eq!(req.description.as_deref(), Some(""));
        assert_eq!(
            req.config,
            Some(RegistryConfig::Virtual(VirtualConfig {
                upstream_proxies: vec!["a".into(), "b".into()]
            }))
        );
    }
}
