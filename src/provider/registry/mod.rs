//! `har_registry`: a HAR registry (`config.type = VIRTUAL`) and its ordered list of
//! upstream proxies. The shared behaviour is in [`crate::provider::resource`].

mod model;
mod schema;
mod validate;

pub(crate) use model::{RegistryModel, linked, server_package_type};

use crate::api::model::{Registry, RegistryRequest};
use crate::api::refs::Scope;
use crate::framework::model::DecodeError;
use crate::framework::{Diagnostic, Schema, Value};
use crate::provider::keep::StringList;
use crate::provider::resource::RegistryKind;
use crate::rules::RegistryType;

pub(crate) struct RegistryResource;

impl RegistryKind for RegistryResource {
    type Model = RegistryModel;
    const TYPE_NAME: &'static str = "har_registry";
    const NOUN: &'static str = "registry";
    const CONFIG_TYPE: RegistryType = RegistryType::Virtual;

    fn schema() -> Schema {
        schema::schema()
    }

    fn validate(
        config: &RegistryModel,
        _raw: &Value,
        errors: Vec<DecodeError>,
        out: &mut Vec<Diagnostic>,
    ) {
        validate::validate(config, errors, out)
    }

    fn request(
        planned: &RegistryModel,
        scope: &Scope,
        current: Option<&Registry>,
    ) -> RegistryRequest {
        model::request(planned, scope, current)
    }

    fn state(
        reg: &Registry,
        scope: &Scope,
        prior: Option<&RegistryModel>,
    ) -> Result<RegistryModel, String> {
        model::state(reg, scope, prior)
    }

    fn differences(sent: &RegistryModel, found: &RegistryModel) -> Vec<&'static str> {
        model::differences(sent, found)
    }

    fn upstream_proxies(model: &RegistryModel) -> Option<&StringList> {
        Some(&model.upstream_proxies)
    }
}
