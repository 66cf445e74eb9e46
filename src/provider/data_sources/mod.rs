//! Data sources: `har_registry` and `har_upstream_proxy` (one object by identifier, in the
//! given scope or the provider's), and `har_registries` (a list in a scope, with package
//! type and type filters).

mod list;
mod lookup;

pub(crate) use list::registries;
pub(crate) use lookup::lookup;

use crate::api::refs::Scope;
use crate::framework::{AttributePath, Diagnostic, Field};
use crate::provider::diag::error_at;
use crate::provider::scope::Defaults;
use crate::rules::{NameLevel, SpaceLevel, check_identifier, check_space_segment};

/// `org_id` / `project_id` of a data source: Harness identifiers, as on the resources.
fn check_scope(names: [(&str, &Field<String>); 2], out: &mut Vec<Diagnostic>) {
    for ((name, value), level) in names
        .into_iter()
        .zip([SpaceLevel::Org, SpaceLevel::Project])
    {
        if let Field::Known(v) = value
            && let Err(e) = check_space_segment(level, v)
        {
            out.push(error_at(
                AttributePath::root(name),
                format!("Invalid {name}"),
                format!("{name}: {e}"),
            ));
        }
    }
}

/// The identifier to read: the API's rule (a name made elsewhere may start with a digit).
fn check_name(name: &str, value: &Field<String>, out: &mut Vec<Diagnostic>) {
    if let Field::Known(id) = value
        && let Err(e) = check_identifier(id, NameLevel::Api)
    {
        out.push(error_at(
            AttributePath::root(name),
            "Invalid identifier",
            e.to_string(),
        ));
    }
}

/// The scope named by a data source config, completed with the provider's defaults.
fn config_scope(
    defaults: &Defaults,
    org: &Field<String>,
    project: &Field<String>,
    project_attr: &str,
) -> Result<Scope, Diagnostic> {
    let (org, project) = defaults.effective(org.as_deref().known(), project.as_deref().known());
    if project.is_some() && org.is_none() {
        return Err(error_at(
            AttributePath::root(project_attr),
            "project_id needs org_id",
            "A Harness project lives in an org: set org_id (here or on the provider).",
        ));
    }
    Ok(defaults.scope(org, project))
}

#[cfg(test)]
mod tests {
    use super::list::registries_schema;
    use super::lookup::lookup_schema;
    use crate::framework::{Attribute, Schema};
    use crate::provider::proxy::ProxyResource;
    use crate::provider::registry::RegistryResource;
    use crate::provider::resource::RegistryKind;

    fn all_described(attrs: &[Attribute], at: &str, missing: &mut Vec<String>) {
        for a in attrs {
            let name = format!("{at}{}", a.name);
            if a.description.plain.trim().is_empty() {
                missing.push(name.clone());
            }
            if let Some((_, inner)) = a.nested_attributes() {
                all_described(inner, &format!("{name}."), missing);
            }
        }
    }

    #[test]
    fn every_attribute_has_a_description() {
        let mut missing = Vec::new();
        let schemas: [(&str, Schema); 5] = [
            ("har_registry", RegistryResource::schema()),
            ("har_upstream_proxy", ProxyResource::schema()),
            ("data har_registry", lookup_schema::<RegistryResource>()),
            ("data har_upstream_proxy", lookup_schema::<ProxyResource>()),
            ("data har_registries", registries_schema()),
        ];
        for (name, schema) in schemas {
            assert!(!schema.description.plain.is_empty(), "{name}");
            all_described(&schema.attributes, &format!("{name} "), &mut missing);
        }
        assert!(
            missing.is_empty(),
            "attributes without a description: {missing:?}"
        );
    }

    #[test]
    fn secrets_are_sensitive_and_only_they_are() {
        let schema = ProxyResource::schema();
        let ak = schema.get("access_key_secret_key").expect("attribute");
        let (_, inner) = ak.nested_attributes().expect("nested");
        let sensitive: Vec<&str> = inner
            .iter()
            .filter(|a| a.sensitive)
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(sensitive, ["access_key"]);
        let ds = lookup_schema::<ProxyResource>();
        let (_, inner) = ds
            .get("access_key_secret_key")
            .and_then(Attribute::nested_attributes)
            .expect("nested");
        assert!(
            inner
                .iter()
                .any(|a| a.name == "access_key" && a.sensitive && a.computed)
        );
    }
}
