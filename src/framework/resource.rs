//! The traits a provider implements. Each operation takes a request and fills a response
//! that carries the new value *and* the diagnostics, so an operation can return both (a
//! create that fails after the object exists must still report the object).

use async_trait::async_trait;

use super::schema::Schema;
use crate::protocol::diagnostics::Diagnostics;
use crate::protocol::value::{AttributePath, Value};

/// Configuration as Terraform sent it (unknown values possible at plan time).
pub struct ValidateRequest<'a> {
    pub config: &'a Value,
}

pub struct ModifyPlanRequest<'a> {
    pub config: &'a Value,
    /// Null when creating.
    pub prior: &'a Value,
    /// Terraform's proposed new state.
    pub proposed: &'a Value,
}

pub struct ModifyPlanResponse {
    /// The framework's plan (defaults and attribute modifiers applied); change it freely
    /// within Terraform's rules.
    pub planned: Value,
    pub requires_replace: Vec<AttributePath>,
    pub diagnostics: Diagnostics,
}

pub struct CreateRequest<'a> {
    pub config: &'a Value,
    pub planned: &'a Value,
}

pub struct ReadRequest<'a> {
    pub state: &'a Value,
    pub private: &'a [u8],
}

pub struct UpdateRequest<'a> {
    pub config: &'a Value,
    pub planned: &'a Value,
    pub prior: &'a Value,
    pub private: &'a [u8],
}

pub struct DeleteRequest<'a> {
    pub prior: &'a Value,
    pub private: &'a [u8],
}

pub struct ImportRequest<'a> {
    pub id: &'a str,
}

/// The result of create, update and read.
#[derive(Debug, Default)]
pub struct StateResponse {
    /// `None`: for read, the object is gone (Terraform plans a create); for create and
    /// update, nothing was created/changed (only valid together with an error).
    /// On a failed create after the object exists, set the state *and* add the error.
    pub state: Option<Value>,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub type CreateResponse = StateResponse;
pub type UpdateResponse = StateResponse;
pub type ReadResponse = StateResponse;

#[derive(Debug, Default)]
pub struct DeleteResponse {
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Default)]
pub struct ImportResponse {
    /// A partial state (e.g. only `id`) that ReadResource then completes.
    pub state: Option<Value>,
    pub diagnostics: Diagnostics,
}

pub struct UpgradeRequest<'a> {
    /// The schema version the state was written with (lower than the current one).
    pub version: i64,
    /// The raw state JSON as stored.
    pub raw: &'a serde_json::Value,
}

#[derive(Debug, Default)]
pub struct UpgradeResponse {
    /// The state in the current schema.
    pub state: Option<Value>,
    pub diagnostics: Diagnostics,
}

/// A managed resource type (e.g. `har_registry`).
#[async_trait]
pub trait Resource: Send + Sync {
    /// The full type name, e.g. `har_registry`.
    fn type_name(&self) -> &str;
    fn schema(&self) -> Schema;

    /// Cross-attribute checks, after the attribute validators have run.
    async fn validate_config(&self, _req: &ValidateRequest<'_>, _diags: &mut Diagnostics) {}

    /// Optional hook after the default planning; not called for destroy.
    async fn modify_plan(&self, _req: &ModifyPlanRequest<'_>, _resp: &mut ModifyPlanResponse) {}

    async fn create(&self, req: &CreateRequest<'_>, resp: &mut CreateResponse);
    async fn read(&self, req: &ReadRequest<'_>, resp: &mut ReadResponse);
    async fn update(&self, req: &UpdateRequest<'_>, resp: &mut UpdateResponse);
    async fn delete(&self, req: &DeleteRequest<'_>, resp: &mut DeleteResponse);

    /// `terraform import` / `import {}` blocks. Default: not supported.
    async fn import(&self, req: &ImportRequest<'_>, resp: &mut ImportResponse) {
        let _ = req;
        resp.diagnostics.error(
            "Import not supported",
            format!("The resource type {} cannot be imported.", self.type_name()),
        );
    }

    /// Upgrade state written by an older schema version. Default: not supported.
    async fn upgrade(&self, req: &UpgradeRequest<'_>, resp: &mut UpgradeResponse) {
        resp.diagnostics.error(
            "Unable to upgrade resource state",
            format!(
                "The state of this {} was written with schema version {}, and this provider \
                 version has no upgrade from it.",
                self.type_name(),
                req.version
            ),
        );
    }
}

#[derive(Debug, Default)]
pub struct DataSourceReadResponse {
    /// Must be set (wholly known) unless there is an error.
    pub state: Option<Value>,
    pub diagnostics: Diagnostics,
}

pub struct DataSourceReadRequest<'a> {
    pub config: &'a Value,
}

/// A data source type (e.g. `har_registries`).
#[async_trait]
pub trait DataSource: Send + Sync {
    fn type_name(&self) -> &str;
    fn schema(&self) -> Schema;
    async fn validate_config(&self, _req: &ValidateRequest<'_>, _diags: &mut Diagnostics) {}
    async fn read(&self, req: &DataSourceReadRequest<'_>, resp: &mut DataSourceReadResponse);
}

/// An import that takes the ID as the value of one attribute (typically `id`) and leaves
/// the rest null for Read to fill in.
pub fn import_passthrough(schema: &Schema, attr: &str, id: &str) -> Value {
    let mut v = Value::null_object(&schema.value_type());
    if let Value::Object(map) = &mut v {
        map.insert(attr.to_string(), Value::string(id));
    }
    v
}
