//! The layer resources plug into, modelled on terraform-plugin-framework: provider,
//! resource and data-source traits, schema builders, validators and plan modifiers, and
//! the default planning rules. It knows nothing of HAR and nothing of gRPC.

pub mod config_validators;
pub mod engine;
pub mod model;
pub mod plan_modifiers;
pub mod provider;
pub mod resource;
pub mod schema;
pub mod validators;

pub use crate::protocol::diagnostics::{Diagnostic, Diagnostics, Severity};
pub use crate::protocol::value::{AttributePath, Number, PathStep, Type, Value};
pub use config_validators::ConfigValidator;
pub use model::Field;
pub use plan_modifiers::{
    KeepPriorIfEquivalent, PlanModifier, PlanModifierRequest, PlanModifierResponse,
    RequiresReplace, UseStateForUnknown, keep_prior_if_equivalent, trailing_slash_insensitive,
};
pub use provider::{ConfigureRequest, Provider, ProviderData};
pub use resource::{
    CreateRequest, CreateResponse, DataSource, DataSourceReadRequest, DataSourceReadResponse,
    DeleteRequest, DeleteResponse, ImportRequest, ImportResponse, ModifyPlanRequest,
    ModifyPlanResponse, ReadRequest, ReadResponse, Resource, StateResponse, UpdateRequest,
    UpdateResponse, UpgradeRequest, UpgradeResponse, ValidateRequest, import_passthrough,
};
pub use schema::{Attribute, Kind, Schema};
pub use validators::Validator;
