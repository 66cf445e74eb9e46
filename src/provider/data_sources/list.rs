//! `har_registries`: every registry and proxy in a scope, filtered.

use std::sync::Arc;

use async_trait::async_trait;

use super::{check_scope, config_scope};
use crate::api::refs::RegistryRef;
use crate::api::{ListQuery, ListScope};
use crate::framework::model::{decode, decode_lenient, encode, model};
use crate::framework::{
    Attribute, DataSource, DataSourceReadRequest, DataSourceReadResponse, Diagnostics, Field,
    Schema, ValidateRequest,
};
use crate::provider::context::Shared;
use crate::provider::diag::api_error;
use crate::provider::keep::{StringList, string_list};
use crate::provider::resource::kind::report_unreadable;
use crate::rules::{PackageType, RegistryType};

model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct ListModel / ListAttrs {
        pub(crate) org_id: Field<String>,
        pub(crate) project_id: Field<String>,
        pub(crate) package_type: Field<PackageType>,
        pub(crate) r#type: Field<RegistryType>,
        pub(crate) registries: Field<Vec<Entry>>,
    }
}

model! {
    /// One element of `registries`.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct Entry / EntryAttrs {
        pub(crate) id: Field<String>,
        pub(crate) identifier: Field<String>,
        pub(crate) r#type: Field<String>,
        pub(crate) package_type: Field<String>,
        pub(crate) description: Field<String>,
        pub(crate) url: Field<String>,
        pub(crate) labels: StringList,
    }
}

fn entry_attrs() -> Vec<Attribute> {
    let a = Entry::ATTR;
    vec![
        Attribute::string(a.id)
            .computed()
            .description("The registry ref `<scope>/<identifier>` (the API's `path`)."),
        Attribute::string(a.identifier)
            .computed()
            .description("Identifier."),
        Attribute::string(a.r#type)
            .computed()
            .description("VIRTUAL (a har_registry) or UPSTREAM (a har_upstream_proxy)."),
        Attribute::string(a.package_type)
            .computed()
            .description("Package type."),
        Attribute::string(a.description)
            .computed()
            .description("Description (\"\" when none)."),
        Attribute::string(a.url)
            .computed()
            .description("The registry's pull URL."),
        Attribute::string_list(a.labels)
            .computed()
            .description("Labels ([] when none)."),
    ]
}

pub(crate) fn registries_schema() -> Schema {
    let a = ListModel::ATTR;
    Schema::new()
        .description("Lists the registries and upstream proxies of one scope, optionally filtered.")
        .attributes([
            Attribute::string(a.org_id)
                .optional()
                .computed()
                .description("Scope to list; defaults to the provider's org_id."),
            Attribute::string(a.project_id)
                .optional()
                .computed()
                .description(
                    "Scope to list; defaults to the provider's project_id (inside its org).",
                ),
            Attribute::string(a.package_type)
                .optional()
                .description("Only this package type (DOCKER, HELM, ...)."),
            Attribute::string(a.r#type)
                .optional()
                .description("Only VIRTUAL (registries) or UPSTREAM (upstream proxies)."),
            Attribute::list_nested(a.registries, entry_attrs())
                .computed()
                .description("The matches, by identifier."),
        ])
}

pub(crate) struct List {
    data: Shared,
}

pub(crate) fn registries(data: Shared) -> Arc<List> {
    Arc::new(List { data })
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
        let a = ListModel::ATTR;
        let mut out = Vec::new();
        match decode_lenient::<ListModel>(req.config) {
            Ok((config, errors)) => {
                check_scope(
                    [
                        (a.org_id, &config.org_id),
                        (a.project_id, &config.project_id),
                    ],
                    &mut out,
                );
                report_unreadable(errors, &mut out);
            }
            Err(e) => diags.error("Provider bug: value does not fit the model", e.to_string()),
        }
        out.into_iter().for_each(|d| diags.push(d));
    }

    async fn read(&self, req: &DataSourceReadRequest<'_>, resp: &mut DataSourceReadResponse) {
        let Some(ctx) = self.data.require(&mut resp.diagnostics) else {
            return;
        };
        let config = match decode::<ListModel>(req.config) {
            Ok(c) => c,
            Err(e) => {
                return resp
                    .diagnostics
                    .error("Provider bug: value does not fit the model", e.to_string());
            }
        };
        let scope = match config_scope(
            &ctx.defaults,
            &config.org_id,
            &config.project_id,
            ListModel::ATTR.project_id,
        ) {
            Ok(s) => s,
            Err(d) => return resp.diagnostics.push(d),
        };
        let query = ListQuery {
            package_types: config
                .package_type
                .known()
                .map(|p| p.as_str().to_string())
                .into_iter()
                .collect(),
            registry_type: config.r#type.known().map(|t| t.as_str().to_string()),
            scope: Some(ListScope::None),
            ..ListQuery::default()
        };
        let list = match ctx.client.list_all_registries(&scope, &query).await {
            Ok(l) => l,
            Err(e) => {
                return resp
                    .diagnostics
                    .push(api_error(&format!("listing registries in {scope}"), &e));
            }
        };
        let mut entries: Vec<Entry> = list
            .iter()
            .map(|m| {
                let id = if m.path.is_empty() {
                    RegistryRef::new(scope.clone(), m.identifier.clone()).to_string()
                } else {
                    m.path.clone()
                };
                Entry {
                    id: Field::Known(id),
                    identifier: Field::Known(m.identifier.clone()),
                    r#type: Field::Known(m.registry_type.clone()),
                    package_type: Field::Known(m.package_type.clone()),
                    description: Field::Known(m.description.clone()),
                    url: Field::Known(m.url.clone()),
                    labels: string_list(&m.labels),
                }
            })
            .collect();
        entries.sort_by(|a, b| {
            a.identifier
                .as_deref()
                .known()
                .cmp(&b.identifier.as_deref().known())
        });
        let state = ListModel {
            org_id: Field::from_option(scope.org.clone()),
            project_id: Field::from_option(scope.project.clone()),
            package_type: config.package_type,
            r#type: config.r#type,
            registries: Field::Known(entries),
        };
        match encode(&state, &registries_schema().value_type()) {
            Ok(v) => resp.state = Some(v),
            Err(e) => resp
                .diagnostics
                .error("Provider bug: state does not fit the schema", e.to_string()),
        }
    }
}
