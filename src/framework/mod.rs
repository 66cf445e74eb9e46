//! The layer resources plug into, modelled on terraform-plugin-framework: provider,
//! resource and data-source traits, schema builders, validators and plan modifiers, and
//! the default planning rules, and the server that implements the protocol's tfplugin6
//! service trait on top of them. It knows nothing of HAR, nor of transport (listening,
//! TLS and the handshake are `plugin`'s).

pub(crate) mod config_validators;
pub(crate) mod engine;
pub(crate) mod model;
pub(crate) mod plan_modifiers;
pub(crate) mod provider;
pub(crate) mod resource;
pub(crate) mod schema;
pub(crate) mod server;
pub mod validators;

// The framework's public surface: what a provider (ours, or a test's fake) is written
// against. Everything else stays inside the crate.
pub use crate::protocol::diagnostics::Diagnostics;
pub use crate::protocol::value::{AttributePath, Type, Value};
pub use plan_modifiers::{
    KeepPriorIfEquivalent, PlanModifier, PlanModifierRequest, PlanModifierResponse,
    RequiresReplace, UseStateForUnknown, trailing_slash_insensitive,
};
pub use provider::{ConfigureRequest, Provider, ProviderData};
pub use resource::{
    CreateRequest, CreateResponse, DataSource, DataSourceReadRequest, DataSourceReadResponse,
    DeleteRequest, DeleteResponse, ImportRequest, ImportResponse, ModifyPlanRequest,
    ModifyPlanResponse, ReadRequest, ReadResponse, Resource, StateResponse, UpdateRequest,
    UpdateResponse, UpgradeRequest, UpgradeResponse, ValidateRequest, import_passthrough,
};
pub use schema::{Attribute, Schema};

pub use validators::Validator;

pub(crate) use crate::protocol::diagnostics::Diagnostic;
pub(crate) use crate::protocol::value::PathStep;
pub(crate) use model::Field;
pub(crate) use plan_modifiers::keep_prior_if_equivalent;
pub(crate) use schema::Kind;
