//! `har_registry` config checks beyond the attribute validators: the upstream list.

use super::model::RegistryModel;
use crate::framework::model::DecodeError;
use crate::framework::{AttributePath, Diagnostic, Field};
use crate::provider::diag::error_at;
use crate::provider::resource::kind::report_unreadable;
use crate::rules::{
    CleanupEntry, NameLevel, RegistryType, check_cleanup_entry, check_debian_config_allowed,
    check_identifier,
};

pub(crate) fn validate(
    config: &RegistryModel,
    errors: Vec<DecodeError>,
    out: &mut Vec<Diagnostic>,
) {
    report_unreadable(errors, out);
    check_upstream_list(config, out);
    check_saas_fields(config, out);
    crate::provider::metadata::validate(RegistryModel::ATTR.metadata, &config.metadata, out);
}

/// `debian_config` only on DEBIAN; each `cleanup_policy` entry complete.
fn check_saas_fields(config: &RegistryModel, out: &mut Vec<Diagnostic>) {
    let a = RegistryModel::ATTR;
    if let (Field::Known(_), Field::Known(pt)) = (&config.debian_config, &config.package_type)
        && let Err(e) = check_debian_config_allowed(*pt, RegistryType::Virtual)
    {
        out.push(error_at(
            AttributePath::root(a.debian_config),
            format!("Invalid {}", a.debian_config),
            format!("{}: {e}", a.debian_config),
        ));
    }
    let Field::Known(policies) = &config.cleanup_policy else {
        return;
    };
    for (i, p) in policies.iter().enumerate() {
        let Field::Known(p) = p else { continue };
        // Unknown parts are checked at apply.
        if p.name.is_unknown()
            || p.expire_days.is_unknown()
            || p.package_prefix.is_unknown()
            || p.version_prefix.is_unknown()
        {
            continue;
        }
        let package_prefix =
            crate::provider::keep::known_strings(&p.package_prefix).unwrap_or_default();
        let version_prefix =
            crate::provider::keep::known_strings(&p.version_prefix).unwrap_or_default();
        let entry = CleanupEntry {
            name: p.name.as_deref().known(),
            expire_days: p.expire_days.known(),
            package_prefix: &package_prefix,
            version_prefix: &version_prefix,
        };
        if let Err(e) = check_cleanup_entry(&entry) {
            let field = match &e {
                crate::rules::CleanupError::Missing(f) => f.attribute(),
                crate::rules::CleanupError::ExpireDays(_) => "expire_days",
            };
            out.push(error_at(
                AttributePath::root(a.cleanup_policy).index(i as i64),
                format!("Invalid {}", a.cleanup_policy),
                format!("{}[{i}].{field}: {e}", a.cleanup_policy),
            ));
        }
    }
}

/// Each entry a valid name (the API's rule: a proxy made elsewhere may start with a digit),
/// listed once, and not the registry itself.
fn check_upstream_list(config: &RegistryModel, out: &mut Vec<Diagnostic>) {
    let name = RegistryModel::ATTR.upstream_proxies;
    let Field::Known(items) = &config.upstream_proxies else {
        return;
    };
    let own = config.identifier.as_deref().known();
    let mut seen: Vec<&str> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = AttributePath::root(name).index(i as i64);
        let entry = match item {
            Field::Null => {
                out.push(error_at(
                    at,
                    format!("Invalid {name}"),
                    format!("{name}[{i}] is null"),
                ));
                continue;
            }
            Field::Unknown => continue,
            Field::Known(entry) => entry.as_str(),
        };
        if let Err(e) = check_identifier(entry, NameLevel::Api) {
            out.push(error_at(
                at,
                format!("Invalid {name}"),
                format!("{name}[{i}]: {e}"),
            ));
        } else if seen.contains(&entry) {
            out.push(error_at(
                at,
                "Duplicate upstream proxy",
                format!(
                    "{name}[{i}] repeats {entry:?}; each proxy may be listed once (the list is \
                     the resolution order)"
                ),
            ));
        } else if own == Some(entry) {
            out.push(error_at(
                at,
                "Registry lists itself",
                format!(
                    "{name}[{i}] is this registry's own identifier {entry:?}; a registry cannot \
                     be its own upstream"
                ),
            ));
        }
        seen.push(entry);
    }
}

#[cfg(test)]
mod tests {
    use crate::framework::{Diagnostic, Value};
    use crate::provider::registry::RegistryResource;
    use crate::provider::resource::check_config;

    fn check(attrs: Vec<(&str, Value)>) -> Vec<Diagnostic> {
        let mut config = Value::null_object(&super::super::schema::schema().value_type());
        if let Value::Object(m) = &mut config {
            for (k, v) in attrs {
                m.insert(k.to_string(), v);
            }
        }
        check_config::<RegistryResource>(&config)
    }

    fn paths(d: &[Diagnostic]) -> Vec<String> {
        let mut p: Vec<String> = d
            .iter()
            .map(|d| {
                d.attribute
                    .as_ref()
                    .map(|p| p.to_string())
                    .unwrap_or_default()
            })
            .collect();
        p.sort();
        p
    }

    fn list(items: &[&str]) -> Value {
        Value::List(items.iter().map(|s| Value::string(*s)).collect())
    }

    fn base() -> Vec<(&'static str, Value)> {
        vec![
            ("identifier", Value::string("docker-main")),
            ("package_type", Value::string("DOCKER")),
        ]
    }

    #[test]
    fn a_good_registry_passes() {
        let mut c = base();
        c.push(("upstream_proxies", list(&["a", "b"])));
        let d = check(c);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn registry_rules_name_their_attribute() {
        let d = check(vec![
            ("identifier", Value::string("1docker")),
            ("package_type", Value::string("docker")),
            ("org_id", Value::string("a/b")),
            ("labels", Value::List(vec![Value::Null])),
            ("upstream_proxies", list(&["a", "Bad", "a", "1ok"])),
        ]);
        assert_eq!(
            paths(&d),
            [
                "identifier",
                "labels[0]",
                "org_id",
                "package_type",
                "upstream_proxies[1]",
                "upstream_proxies[2]"
            ]
        );
        let pt = d
            .iter()
            .find(|d| d.summary == "Invalid package_type")
            .unwrap();
        assert!(
            pt.detail.contains("did you mean \"DOCKER\""),
            "{}",
            pt.detail
        );
        let id = d
            .iter()
            .find(|d| d.summary == "Invalid identifier")
            .unwrap();
        assert!(
            id.detail.contains("must start with a letter"),
            "{}",
            id.detail
        );
    }

    #[test]
    fn unknowns_are_skipped() {
        let d = check(vec![
            ("identifier", Value::Unknown),
            ("package_type", Value::Unknown),
            (
                "upstream_proxies",
                Value::List(vec![Value::Unknown, Value::string("a")]),
            ),
        ]);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn a_registry_cannot_list_itself() {
        let mut c = base();
        c.push(("upstream_proxies", list(&["docker-main"])));
        let d = check(c);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].summary, "Registry lists itself");
    }
}
