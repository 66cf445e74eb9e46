//! Data sources: `har_registry` and `har_upstream_proxy` (one object by identifier, in the
//! given scope or the provider's), and `har_registries` (a list in a scope, with package
//! type and type filters).

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::refs::{RegistryRef, Scope};
use crate::api::{ListQuery, ListScope};
use crate::framework::{
    Attribute, DataSource, DataSourceReadRequest, DataSourceReadResponse, Diagnostics,
    Kind as AttrKind, Schema, ValidateRequest,
};
use crate::protocol::value::{AttributePath, Value};
use crate::provider::diag::Finding;
use crate::provider::model::{self, Known, string};
use crate::provider::resource::{Kind, Shared, push_all, to_diagnostic};
use crate::rules::{NameLevel, PackageType, RegistryType, check_identifier};

/// The resource's attribute as a data-source result: computed, no plan rules.
fn computed(mut a: Attribute) -> Attribute {
    a.required = false;
    a.optional = false;
    a.computed = true;
    a.validators.clear();
    a.plan_modifiers.clear();
    if let AttrKind::Nested(n, inner) = a.kind {
        a.kind = AttrKind::Nested(n, inner.into_iter().map(computed).collect());
    }
    a
}

/// A one-object data source schema: `identifier` in, `org_id`/`project_id` optional (the
/// provider's scope by default), everything else read.
fn lookup_schema(kind: Kind) -> Schema {
    let resource = kind.schema();
    let attrs = resource
        .attributes
        .into_iter()
        .map(|a| match a.name.as_str() {
            "identifier" => Attribute::string("identifier")
                .required()
                .description(format!("Identifier of the {} to read.", kind.noun())),
            "org_id" | "project_id" => {
                let mut a = a;
                a.plan_modifiers.clear();
                a.description.plain = format!(
                    "Scope of the {}; defaults to the provider's {}.",
                    kind.noun(),
                    a.name
                );
                a
            }
            _ => computed(a),
        });
    Schema::new()
        .description(format!(
            "Reads one existing {} by identifier (and scope).",
            kind.noun()
        ))
        .attributes(attrs)
}

/// `har_registry` / `har_upstream_proxy` data source.
pub struct Lookup {
    kind: Kind,
    data: Shared,
}

pub fn registry(data: Shared) -> Arc<Lookup> {
    Arc::new(Lookup {
        kind: Kind::Registry,
        data,
    })
}

pub fn upstream_proxy(data: Shared) -> Arc<Lookup> {
    Arc::new(Lookup {
        kind: Kind::Proxy,
        data,
    })
}

fn check_scope_and_name(config: &Value, with_identifier: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    if with_identifier
        && let Known::Value(id) = string(config, "identifier")
        && let Err(e) = check_identifier(id, NameLevel::Api)
    {
        out.push(
            Finding::error("Invalid identifier", e.to_string())
                .at(AttributePath::root("identifier")),
        );
    }
    for name in ["org_id", "project_id"] {
        if let Known::Value(v) = string(config, name)
            && (v.is_empty() || v.contains('/'))
        {
            out.push(
                Finding::error(
                    format!("Invalid {name}"),
                    format!("{name} must not be empty or contain `/`, got {v:?}"),
                )
                .at(AttributePath::root(name)),
            );
        }
    }
    out
}

/// The scope named by a data source config, completed with the provider's defaults.
fn config_scope(config: &Value, defaults: &model::Defaults) -> Result<Scope, Finding> {
    let (org, project) = defaults.effective(
        string(config, "org_id").value(),
        string(config, "project_id").value(),
    );
    if project.is_some() && org.is_none() {
        return Err(Finding::error(
            "project_id needs org_id",
            "A Harness project lives in an org: set org_id (here or on the provider).",
        )
        .at(AttributePath::root("project_id")));
    }
    Ok(defaults.scope(org, project))
}

#[async_trait]
impl DataSource for Lookup {
    fn type_name(&self) -> &str {
        self.kind.type_name()
    }

    fn schema(&self) -> Schema {
        lookup_schema(self.kind)
    }

    async fn validate_config(&self, req: &ValidateRequest<'_>, diags: &mut Diagnostics) {
        push_all(diags, check_scope_and_name(req.config, true));
    }

    async fn read(&self, req: &DataSourceReadRequest<'_>, resp: &mut DataSourceReadResponse) {
        let Some(ctx) = self.data.require(&mut resp.diagnostics) else {
            return;
        };
        let scope = match config_scope(req.config, &ctx.defaults) {
            Ok(s) => s,
            Err(f) => return resp.diagnostics.push(to_diagnostic(f)),
        };
        let identifier = string(req.config, "identifier").value().unwrap_or_default();
        let r = RegistryRef::new(scope.clone(), identifier);
        match ctx.client.get_registry(&r).await {
            Ok(Some(reg)) => match self.kind.state(&reg, &scope, None) {
                Ok(v) => resp.state = Some(v),
                Err(msg) => resp.diagnostics.error(format!("{r} is not an {}", self.kind.noun()), msg),
            },
            Ok(None) => resp.diagnostics.push(to_diagnostic(
                Finding::error(
                    format!("{} not found", self.kind.noun()),
                    format!(
                        "No {} {identifier:?} in {scope}. A registry is addressed in the exact scope \
                         it lives in: check org_id / project_id.",
                        self.kind.noun()
                    ),
                )
                .at(AttributePath::root("identifier")),
            )),
            Err(e) => resp
                .diagnostics
                .push(to_diagnostic(Finding::api(&format!("reading {} {r}", self.kind.noun()), &e))),
        }
    }
}

/// `har_registries`: every registry and proxy in a scope, filtered.
pub struct List {
    data: Shared,
}

pub fn registries(data: Shared) -> Arc<List> {
    Arc::new(List { data })
}

fn element_attrs() -> Vec<Attribute> {
    vec![
        Attribute::string("id")
            .computed()
            .description("The registry ref `<scope>/<identifier>` (the API's `path`)."),
        Attribute::string("identifier")
            .computed()
            .description("Identifier."),
        Attribute::string("type")
            .computed()
            .description("VIRTUAL (a har_registry) or UPSTREAM (a har_upstream_proxy)."),
        Attribute::string("package_type")
            .computed()
            .description("Package type."),
        Attribute::string("description")
            .computed()
            .description("Description (\"\" when none)."),
        Attribute::string("url")
            .computed()
            .description("The registry's pull URL."),
        Attribute::string_list("labels")
            .computed()
            .description("Labels ([] when none)."),
    ]
}

pub fn registries_schema() -> Schema {
    Schema::new()
        .description("Lists the registries and upstream proxies of one scope, optionally filtered.")
        .attributes([
            Attribute::string("org_id")
                .optional()
                .computed()
                .description("Scope to list; defaults to the provider's org_id."),
            Attribute::string("project_id")
                .optional()
                .computed()
                .description(
                    "Scope to list; defaults to the provider's project_id (inside its org).",
                ),
            Attribute::string("package_type")
                .optional()
                .description("Only this package type (DOCKER, HELM, ...)."),
            Attribute::string("type")
                .optional()
                .description("Only VIRTUAL (registries) or UPSTREAM (upstream proxies)."),
            Attribute::list_nested("registries", element_attrs())
                .computed()
                .description("The matches, by identifier."),
        ])
}

#[async_trait]
impl DataSource for List {
    fn type_name(&self) -> &str {
        "har_registries"
    }

    fn schema(&self) -> Schema {
        registries_schema()
    }

    async fn validate_config(&self, req: &ValidateRequest<'_>, diags: &mut Diagnostics) {
        let mut out = check_scope_and_name(req.config, false);
        if let Known::Value(pt) = string(req.config, "package_type")
            && let Err(e) = PackageType::parse(pt)
        {
            out.push(
                Finding::error("Invalid package_type", e.to_string())
                    .at(AttributePath::root("package_type")),
            );
        }
        if let Known::Value(t) = string(req.config, "type")
            && let Err(e) = RegistryType::parse(t)
        {
            out.push(Finding::error("Invalid type", e.to_string()).at(AttributePath::root("type")));
        }
        push_all(diags, out);
    }

    async fn read(&self, req: &DataSourceReadRequest<'_>, resp: &mut DataSourceReadResponse) {
        let Some(ctx) = self.data.require(&mut resp.diagnostics) else {
            return;
        };
        let scope = match config_scope(req.config, &ctx.defaults) {
            Ok(s) => s,
            Err(f) => return resp.diagnostics.push(to_diagnostic(f)),
        };
        let package_type = model::opt_string(req.config, "package_type");
        let registry_type = model::opt_string(req.config, "type");
        let query = ListQuery {
            package_types: package_type.clone().into_iter().collect(),
            registry_type: registry_type.clone(),
            scope: Some(ListScope::None),
            ..ListQuery::default()
        };
        let list = match ctx.client.list_all_registries(&scope, &query).await {
            Ok(l) => l,
            Err(e) => {
                return resp.diagnostics.push(to_diagnostic(Finding::api(
                    &format!("listing registries in {scope}"),
                    &e,
                )));
            }
        };
        let mut items: Vec<Value> = list
            .iter()
            .map(|m| {
                let id = if m.path.is_empty() {
                    RegistryRef::new(scope.clone(), m.identifier.clone()).to_string()
                } else {
                    m.path.clone()
                };
                model::object_value(vec![
                    ("id", model::str_value(id)),
                    ("identifier", model::str_value(&m.identifier)),
                    ("type", model::str_value(&m.registry_type)),
                    ("package_type", model::str_value(&m.package_type)),
                    ("description", model::str_value(&m.description)),
                    ("url", model::str_value(&m.url)),
                    ("labels", model::list_value(Some(m.labels.clone()))),
                ])
            })
            .collect();
        items.sort_by(|a, b| {
            string(a, "identifier")
                .value()
                .cmp(&string(b, "identifier").value())
        });
        resp.state = Some(model::object_value(vec![
            ("org_id", model::opt_str_value(scope.org.clone())),
            ("project_id", model::opt_str_value(scope.project.clone())),
            ("package_type", model::opt_str_value(package_type)),
            ("type", model::opt_str_value(registry_type)),
            ("registries", Value::List(items)),
        ]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Attribute;

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
        for (name, schema) in [
            ("har_registry", Kind::Registry.schema()),
            ("har_upstream_proxy", Kind::Proxy.schema()),
            ("data har_registry", lookup_schema(Kind::Registry)),
            ("data har_upstream_proxy", lookup_schema(Kind::Proxy)),
            ("data har_registries", registries_schema()),
        ] {
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
        let schema = Kind::Proxy.schema();
        let ak = schema.get("access_key_secret_key").expect("attribute");
        let (_, inner) = ak.nested_attributes().expect("nested");
        let sensitive: Vec<&str> = inner
            .iter()
            .filter(|a| a.sensitive)
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(sensitive, ["access_key"]);
        let ds = lookup_schema(Kind::Proxy);
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
