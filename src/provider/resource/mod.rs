//! The behaviour `har_registry` and `har_upstream_proxy` share, generic over
//! [`RegistryKind`]: validation and planning (`plan.rs`), create with its read-back
//! (`create.rs`), read, update, delete and import (`crud.rs`), and the check of the upstream
//! list after every write (`links.rs`).

mod create;
mod crud;
pub(crate) mod kind;
mod links;
mod plan;

use std::collections::HashSet;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;

pub(crate) use kind::RegistryKind;

use crate::framework::model::{decode, decode_lenient, encode};
use crate::framework::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Diagnostic, Diagnostics,
    ImportRequest, ImportResponse, ModifyPlanRequest, ModifyPlanResponse, ReadRequest,
    ReadResponse, Resource, Schema, Type, UpdateRequest, UpdateResponse, ValidateRequest, Value,
};
use crate::provider::context::Shared;
use crate::provider::locked;

/// A HAR resource: `har_registry` or `har_upstream_proxy`.
pub(crate) struct HarResource<K: RegistryKind> {
    data: Shared,
    schema: Schema,
    value_type: Type,
    /// Refs of objects this process has seen in Terraform's state (read or planned with a
    /// prior state). Terraform plans the create half of a replacement with a null prior
    /// state, and a tainted object's replacement *only* that way; such a create must not
    /// report the very object it replaces as "identifier already taken".
    in_state: Mutex<HashSet<String>>,
    kind: PhantomData<K>,
}

impl<K: RegistryKind> HarResource<K> {
    pub(crate) fn new(data: Shared) -> Arc<Self> {
        let schema = K::schema();
        Arc::new(HarResource {
            data,
            value_type: schema.value_type(),
            schema,
            in_state: Mutex::new(HashSet::new()),
            kind: PhantomData,
        })
    }

    fn in_state(&self) -> MutexGuard<'_, HashSet<String>> {
        locked(&self.in_state)
    }

    /// "registry docker-main"
    fn what(model: &K::Model) -> String {
        use kind::Identity;
        let name = model.identifier().as_deref().known().unwrap_or("?");
        format!("{} {name}", K::NOUN)
    }

    /// Every check of a config that needs no API: the schema's validators and rules, then
    /// the resource's own.
    fn check_config(schema: &Schema, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        crate::framework::engine::validate(schema, config, &mut diags);
        Self::own_checks(config)
            .into_iter()
            .for_each(|d| diags.push(d));
        diags
    }

    /// The resource's own config checks (after the schema's validators and rules).
    fn own_checks(config: &Value) -> Vec<Diagnostic> {
        let mut own = Vec::new();
        match decode_lenient::<K::Model>(config) {
            Ok((model, errors)) => K::validate(&model, config, errors, &mut own),
            Err(e) => own.push(model_bug("configuration", &e)),
        }
        own
    }

    /// A value Terraform sent, as the model; a diagnostic if it does not fit (a bug).
    fn read_model(&self, what: &str, value: &Value, diags: &mut Diagnostics) -> Option<K::Model> {
        match decode::<K::Model>(value) {
            Ok(m) => Some(m),
            Err(e) => {
                diags.push(model_bug(what, &e));
                None
            }
        }
    }

    /// The model as a state value; a diagnostic if it does not fit the schema (a bug).
    fn write_model(&self, model: &K::Model, diags: &mut Diagnostics) -> Option<Value> {
        match encode(model, &self.value_type) {
            Ok(v) => Some(v),
            Err(e) => {
                diags.error(
                    "Provider bug: state does not fit the schema",
                    format!("The {} state could not be written: {e}", K::TYPE_NAME),
                );
                None
            }
        }
    }
}

fn model_bug(what: &str, e: &impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        "Provider bug: value does not fit the model",
        format!("The {what} could not be read: {e}"),
    )
}

#[async_trait]
impl<K: RegistryKind> Resource for HarResource<K> {
    fn type_name(&self) -> &str {
        K::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        K::schema()
    }

    async fn validate_config(&self, req: &ValidateRequest<'_>, diags: &mut Diagnostics) {
        Self::own_checks(req.config)
            .into_iter()
            .for_each(|d| diags.push(d));
    }

    async fn modify_plan(&self, req: &ModifyPlanRequest<'_>, resp: &mut ModifyPlanResponse) {
        self.plan(req, resp).await
    }

    async fn create(&self, req: &CreateRequest<'_>, resp: &mut CreateResponse) {
        self.create_object(req, resp).await
    }

    async fn read(&self, req: &ReadRequest<'_>, resp: &mut ReadResponse) {
        self.read_object(req, resp).await
    }

    async fn update(&self, req: &UpdateRequest<'_>, resp: &mut UpdateResponse) {
        self.update_object(req, resp).await
    }

    async fn delete(&self, req: &DeleteRequest<'_>, resp: &mut DeleteResponse) {
        self.delete_object(req, resp).await
    }

    async fn import(&self, req: &ImportRequest<'_>, resp: &mut ImportResponse) {
        self.import_object(req, resp).await
    }
}

/// All API-free checks of a `K` config, for the unit tests of each resource.
#[cfg(test)]
pub(crate) fn check_config<K: RegistryKind>(config: &Value) -> Vec<Diagnostic> {
    HarResource::<K>::check_config(&K::schema(), config).into_vec()
}
