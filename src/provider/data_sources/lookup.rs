//! `har_registry` / `har_upstream_proxy` data sources: one object by identifier and scope,
//! with the resource's attributes (and model) as the result.

use std::marker::PhantomData;
use std::sync::Arc;

use async_trait::async_trait;

use super::{check_name, check_scope, config_scope};
use crate::api::refs::RegistryRef;
use crate::framework::model::{decode, decode_lenient, encode};
use crate::framework::{
    Attribute, AttributePath, DataSource, DataSourceReadRequest, DataSourceReadResponse,
    Diagnostics, Kind as AttrKind, Schema, Type, ValidateRequest,
};
use crate::provider::context::Shared;
use crate::provider::diag::{api_error, error_at};
use crate::provider::resource::RegistryKind;
use crate::provider::resource::kind::Identity;

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

/// `identifier` in, `org_id`/`project_id` optional (the provider's scope by default),
/// everything else read.
pub(crate) fn lookup_schema<K: RegistryKind>() -> Schema {
    let names = K::Model::NAMES;
    let attrs = K::schema().attributes.into_iter().map(|a| {
        if a.name == names.identifier {
            Attribute::string(names.identifier)
                .required()
                .description(format!("Identifier of the {} to read.", K::NOUN))
        } else if a.name == names.org_id || a.name == names.project_id {
            let mut a = a;
            a.plan_modifiers.clear();
            a.validators.clear();
            a.description.plain = format!(
                "Scope of the {}; defaults to the provider's {}.",
                K::NOUN,
                a.name
            );
            a
        } else if a.name == "metadata" {
            let mut a = computed(a);
            a.description.plain = crate::provider::metadata::READ_DESCRIPTION.into();
            a
        } else {
            computed(a)
        }
    });
    Schema::new()
        .description(format!(
            "Reads one existing {} by identifier (and scope).",
            K::NOUN
        ))
        .attributes(attrs)
}

pub(crate) struct Lookup<K: RegistryKind> {
    data: Shared,
    value_type: Type,
    kind: PhantomData<K>,
}

pub(crate) fn lookup<K: RegistryKind>(data: Shared) -> Arc<Lookup<K>> {
    Arc::new(Lookup {
        data,
        value_type: lookup_schema::<K>().value_type(),
        kind: PhantomData,
    })
}

#[async_trait]
impl<K: RegistryKind> DataSource for Lookup<K> {
    fn type_name(&self) -> &str {
        K::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        lookup_schema::<K>()
    }

    async fn validate_config(&self, req: &ValidateRequest<'_>, diags: &mut Diagnostics) {
        let names = K::Model::NAMES;
        // Only identifier and scope are configurable; the rest is null here.
        let Ok((config, _)) = decode_lenient::<K::Model>(req.config) else {
            return;
        };
        let mut out = Vec::new();
        check_name(names.identifier, config.identifier(), &mut out);
        check_scope(
            [
                (names.org_id, config.org_id()),
                (names.project_id, config.project_id()),
            ],
            &mut out,
        );
        out.into_iter().for_each(|d| diags.push(d));
    }

    async fn read(&self, req: &DataSourceReadRequest<'_>, resp: &mut DataSourceReadResponse) {
        let Some(ctx) = self.data.require(&mut resp.diagnostics) else {
            return;
        };
        let names = K::Model::NAMES;
        let config = match decode::<K::Model>(req.config) {
            Ok(c) => c,
            Err(e) => {
                return resp
                    .diagnostics
                    .error("Provider bug: value does not fit the model", e.to_string());
            }
        };
        let scope = match config_scope(
            &ctx.defaults,
            config.org_id(),
            config.project_id(),
            names.project_id,
        ) {
            Ok(s) => s,
            Err(d) => return resp.diagnostics.push(d),
        };
        let identifier = config.identifier().clone().known().unwrap_or_default();
        let r = RegistryRef::new(scope.clone(), identifier.clone());
        match ctx.client.get_registry(&r).await {
            Ok(Some(reg)) => match K::state(&reg, &scope, None) {
                Ok(mut model) => match read_metadata(&ctx.client, &mut model, &r).await {
                    Err(d) => resp.diagnostics.push(d),
                    Ok(()) => match encode(&model, &self.value_type) {
                        Ok(v) => resp.state = Some(v),
                        Err(e) => resp
                            .diagnostics
                            .error("Provider bug: state does not fit the schema", e.to_string()),
                    },
                },
                Err(msg) => resp
                    .diagnostics
                    .error(format!("{r} is not {}", K::a_noun()), msg),
            },
            Ok(None) => resp.diagnostics.push(error_at(
                AttributePath::root(names.identifier),
                format!("{} not found", K::NOUN),
                format!(
                    "No {} {identifier:?} in {scope}. A registry is addressed in the exact scope \
                     it lives in: check org_id / project_id.",
                    K::NOUN
                ),
            )),
            Err(e) => resp
                .diagnostics
                .push(api_error(&format!("reading {} {r}", K::NOUN), &e)),
        }
    }
}

/// The MANUAL metadata entries (v3 API) into `model`; a server without the v3 API has none.
async fn read_metadata<M: crate::provider::resource::kind::Identity>(
    client: &crate::api::Client,
    model: &mut M,
    r: &RegistryRef,
) -> Result<(), crate::framework::Diagnostic> {
    let Some(uuid) = model.uuid().clone().known().filter(|u| !u.is_empty()) else {
        return Ok(());
    };
    match client.get_metadata(&uuid).await {
        Ok(entries) => {
            model.set_metadata(crate::provider::metadata::state(None, &entries));
            Ok(())
        }
        Err(crate::api::Error::NotFound { .. }) => Ok(()),
        Err(e) => Err(api_error(&format!("reading the metadata of {r}"), &e)),
    }
}
