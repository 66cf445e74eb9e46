//! `har_upstream_proxy`: a HAR upstream proxy (`config.type = UPSTREAM`). The shared
//! behaviour is in [`crate::provider::resource`].

mod auth;
mod model;
mod schema;
mod validate;

pub(crate) use model::ProxyModel;

use crate::api::model::{Registry, RegistryRequest};
use crate::api::refs::Scope;
use crate::framework::model::DecodeError;
use crate::framework::{Diagnostic, Schema, Value};
use crate::provider::resource::RegistryKind;
use crate::rules::RegistryType;

pub(crate) struct ProxyResource;

impl RegistryKind for ProxyResource {
    type Model = ProxyModel;
    const TYPE_NAME: &'static str = "har_upstream_proxy";
    const NOUN: &'static str = "upstream proxy";
    const CONFIG_TYPE: RegistryType = RegistryType::Upstream;

    fn schema() -> Schema {
        schema::schema()
    }

    fn validate(
        config: &ProxyModel,
        raw: &Value,
        errors: Vec<DecodeError>,
        out: &mut Vec<Diagnostic>,
    ) {
        validate::validate(config, raw, errors, out)
    }

    fn request(planned: &ProxyModel, scope: &Scope, current: Option<&Registry>) -> RegistryRequest {
        model::request(planned, scope, current)
    }

    fn differences(sent: &ProxyModel, found: &ProxyModel) -> Vec<&'static str> {
        model::differences(sent, found)
    }

    fn state(
        reg: &Registry,
        scope: &Scope,
        prior: Option<&ProxyModel>,
    ) -> Result<ProxyModel, String> {
        model::state(reg, scope, prior)
    }
}
