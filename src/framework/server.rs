//! The framework's implementation of the tfplugin6 `Provider` service (the trait the
//! protocol layer generates), as terraform-plugin-framework's fwserver: decodes each
//! request, dispatches to the resource or data source, applies the framework's rules
//! (schema validation, default planning, unknown and write-only checks), encodes the
//! answer. Every failure becomes a diagnostic; gRPC errors are reserved for RPCs Terraform
//! 1.11 never calls (they answer `Unimplemented` through the default stubs).

use std::collections::BTreeMap;
use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::engine;
use super::{
    ConfigureRequest, CreateRequest, DataSource, DataSourceReadRequest, DataSourceReadResponse,
    DeleteRequest, DeleteResponse, ImportRequest, ImportResponse, ModifyPlanRequest,
    ModifyPlanResponse, Provider, ReadRequest, Resource, Schema, StateResponse, UpdateRequest,
    UpgradeRequest, UpgradeResponse, ValidateRequest,
};
use crate::protocol::convert::{
    decode_dynamic, diagnostics_to_proto, encode_dynamic, path_to_proto, schema_to_proto,
};
use crate::protocol::diagnostics::Diagnostics;
use crate::protocol::proto::tfplugin6 as pb;
use crate::protocol::value::{Type, Value, json};

struct ResourceEntry {
    resource: Arc<dyn Resource>,
    schema: Schema,
    ty: Type,
}

struct DataSourceEntry {
    data_source: Arc<dyn DataSource>,
    schema: Schema,
    ty: Type,
}

struct Inner {
    provider: Arc<dyn Provider>,
    provider_schema: Schema,
    provider_ty: Type,
    resources: BTreeMap<String, ResourceEntry>,
    data_sources: BTreeMap<String, DataSourceEntry>,
    schema_response: pb::get_provider_schema::Response,
}

/// The provider behind the tfplugin6 service. Cheap to clone.
#[derive(Clone)]
pub(crate) struct FrameworkServer {
    inner: Arc<Inner>,
}

impl FrameworkServer {
    /// Collect schemas once: they are static for the life of the process.
    pub(crate) fn new(provider: Arc<dyn Provider>) -> Self {
        let provider_schema = provider.schema();
        let provider_ty = provider_schema.value_type();
        let resources: BTreeMap<_, _> = provider
            .resources()
            .into_iter()
            .map(|r| {
                let schema = r.schema();
                let ty = schema.value_type();
                (
                    r.type_name().to_string(),
                    ResourceEntry {
                        resource: r,
                        schema,
                        ty,
                    },
                )
            })
            .collect();
        let data_sources: BTreeMap<_, _> = provider
            .data_sources()
            .into_iter()
            .map(|d| {
                let schema = d.schema();
                let ty = schema.value_type();
                (
                    d.type_name().to_string(),
                    DataSourceEntry {
                        data_source: d,
                        schema,
                        ty,
                    },
                )
            })
            .collect();
        let mut schema_diags = Diagnostics::new();
        engine::check_schema("provider", &provider_schema, &mut schema_diags);
        for (name, e) in &resources {
            engine::check_schema(name, &e.schema, &mut schema_diags);
        }
        for (name, e) in &data_sources {
            engine::check_schema(name, &e.schema, &mut schema_diags);
        }
        let schema_response = pb::get_provider_schema::Response {
            diagnostics: diagnostics_to_proto(&schema_diags),
            provider: Some(schema_to_proto(&provider_schema.to_protocol())),
            resource_schemas: resources
                .iter()
                .map(|(k, e)| (k.clone(), schema_to_proto(&e.schema.to_protocol())))
                .collect(),
            data_source_schemas: data_sources
                .iter()
                .map(|(k, e)| (k.clone(), schema_to_proto(&e.schema.to_protocol())))
                .collect(),
            server_capabilities: Some(capabilities()),
            ..Default::default()
        };
        Self {
            inner: Arc::new(Inner {
                provider,
                provider_schema,
                provider_ty,
                resources,
                data_sources,
                schema_response,
            }),
        }
    }

    fn resource(&self, type_name: &str, diags: &mut Diagnostics) -> Option<&ResourceEntry> {
        let r = self.inner.resources.get(type_name);
        if r.is_none() {
            diags.error(
                "Unknown resource type",
                format!("This provider has no resource type {type_name:?}."),
            );
        }
        r
    }

    fn data_source(&self, type_name: &str, diags: &mut Diagnostics) -> Option<&DataSourceEntry> {
        let d = self.inner.data_sources.get(type_name);
        if d.is_none() {
            diags.error(
                "Unknown data source type",
                format!("This provider has no data source type {type_name:?}."),
            );
        }
        d
    }
}

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        // We plan destroys ourselves (a null plan), which keeps the flow uniform.
        plan_destroy: true,
        // Every schema is built when the server starts, so no RPC needs GetProviderSchema
        // first; Terraform then reuses its cached schema instead of fetching it again in
        // each of the 3 or 4 provider processes a plan or apply starts.
        get_provider_schema_optional: true,
        move_resource_state: true,
        generate_resource_config: false,
    }
}

fn dv_null(ty: &Type, diags: &mut Diagnostics) -> Option<pb::DynamicValue> {
    encode_dynamic(&Value::Null, ty, "null state", diags)
}

/// A read or apply result must be wholly known; unknowns become null plus an error, so
/// the bug is reported by the provider rather than as Terraform's generic message.
fn check_known(state: &mut Value, what: &str, diags: &mut Diagnostics) {
    if engine::null_unknowns(state) {
        diags.error(
            "Provider returned an incomplete result",
            format!(
                "The provider left unknown values in the {what}. This is a bug in the provider."
            ),
        );
    }
}

/// Decode state JSON written by the current schema version, ignoring attributes that are
/// no longer in the schema (Terraform strips them itself only when it knows the schema).
fn decode_state_json(raw: &[u8], ty: &Type, diags: &mut Diagnostics) -> Option<Value> {
    match json::decode_with(raw, ty, json::DecodeOptions::PRUNING) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.codec_error("stored state", &e);
            None
        }
    }
}

macro_rules! reply {
    ($resp:expr) => {
        Ok(Response::new($resp))
    };
}

#[tonic::async_trait]
impl pb::provider_server::Provider for FrameworkServer {
    async fn get_metadata(
        &self,
        _request: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        reply!(pb::get_metadata::Response {
            server_capabilities: Some(capabilities()),
            resources: self
                .inner
                .resources
                .keys()
                .map(|k| pb::get_metadata::ResourceMetadata {
                    type_name: k.clone()
                })
                .collect(),
            data_sources: self
                .inner
                .data_sources
                .keys()
                .map(|k| pb::get_metadata::DataSourceMetadata {
                    type_name: k.clone()
                })
                .collect(),
            ..Default::default()
        })
    }

    async fn get_provider_schema(
        &self,
        _request: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        reply!(self.inner.schema_response.clone())
    }

    async fn get_resource_identity_schemas(
        &self,
        _request: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        // No resource declares an identity: an empty map, as terraform-plugin-go answers.
        reply!(pb::get_resource_identity_schemas::Response::default())
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let req = request.into_inner();
        let mut diags = Diagnostics::new();
        if let Some(config) = decode_dynamic(
            req.config.as_ref(),
            &self.inner.provider_ty,
            "provider configuration",
            &mut diags,
        ) {
            engine::validate(&self.inner.provider_schema, &config, &mut diags);
            self.inner
                .provider
                .validate_config(&config, &mut diags)
                .await;
        }
        reply!(pb::validate_provider_config::Response {
            diagnostics: diagnostics_to_proto(&diags),
        })
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let req = request.into_inner();
        let mut diags = Diagnostics::new();
        if let Some(e) = self.resource(&req.type_name, &mut diags)
            && let Some(config) =
                decode_dynamic(req.config.as_ref(), &e.ty, "configuration", &mut diags)
        {
            engine::validate(&e.schema, &config, &mut diags);
            e.resource
                .validate_config(&ValidateRequest { config: &config }, &mut diags)
                .await;
        }
        reply!(pb::validate_resource_config::Response {
            diagnostics: diagnostics_to_proto(&diags),
        })
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let req = request.into_inner();
        let mut diags = Diagnostics::new();
        if let Some(e) = self.data_source(&req.type_name, &mut diags)
            && let Some(config) =
                decode_dynamic(req.config.as_ref(), &e.ty, "configuration", &mut diags)
        {
            engine::validate(&e.schema, &config, &mut diags);
            e.data_source
                .validate_config(&ValidateRequest { config: &config }, &mut diags)
                .await;
        }
        reply!(pb::validate_data_resource_config::Response {
            diagnostics: diagnostics_to_proto(&diags),
        })
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let req = request.into_inner();
        let mut diags = Diagnostics::new();
        let mut upgraded = None;
        if let Some(e) = self.resource(&req.type_name, &mut diags) {
            let raw = req.raw_state.unwrap_or_default();
            let current = e.schema.version;
            let state = if raw.json.is_empty() {
                if !raw.flatmap.is_empty() {
                    diags.error(
                        "Unsupported state format",
                        "The stored state uses the legacy flatmap format, which this provider \
                         never wrote.",
                    );
                    None
                } else {
                    Some(Value::Null)
                }
            } else if req.version == current {
                // Terraform calls this on every refresh even when nothing changed.
                decode_state_json(&raw.json, &e.ty, &mut diags)
            } else if req.version > current {
                diags.error(
                    "Resource state from a newer provider",
                    format!(
                        "The state of this {} was written with schema version {}, but this \
                         provider only knows version {current}. Use a newer provider version.",
                        req.type_name, req.version
                    ),
                );
                None
            } else {
                match serde_json::from_slice::<serde_json::Value>(&raw.json) {
                    Ok(parsed) => {
                        let mut resp = UpgradeResponse::default();
                        e.resource
                            .upgrade(
                                &UpgradeRequest {
                                    version: req.version,
                                    raw: &parsed,
                                },
                                &mut resp,
                            )
                            .await;
                        diags.extend(resp.diagnostics);
                        resp.state
                    }
                    Err(err) => {
                        diags.error(
                            "Invalid stored state",
                            format!("The stored state is not valid JSON: {err}"),
                        );
                        None
                    }
                }
            };
            if let Some(s) = state {
                upgraded = encode_dynamic(&s, &e.ty, "upgraded state", &mut diags);
            }
        }
        reply!(pb::upgrade_resource_state::Response {
            upgraded_state: upgraded,
            diagnostics: diagnostics_to_proto(&diags),
        })
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let req = request.into_inner();
        let mut diags = Diagnostics::new();
        if let Some(config) = decode_dynamic(
            req.config.as_ref(),
            &self.inner.provider_ty,
            "provider configuration",
            &mut diags,
        ) {
            self.inner
                .provider
                .configure(
                    &ConfigureRequest {
                        terraform_version: &req.terraform_version,
                        config: &config,
                    },
                    &mut diags,
                )
                .await;
        }
        reply!(pb::configure_provider::Response {
            diagnostics: diagnostics_to_proto(&diags),
        })
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let req = request.into_inner();
        let mut diags = Diagnostics::new();
        let mut new_state = None;
        let mut private = req.private.clone();
        if let Some(e) = self.resource(&req.type_name, &mut diags)
            && let Some(current) =
                decode_dynamic(req.current_state.as_ref(), &e.ty, "state", &mut diags)
        {
            let state = if current.is_null() {
                Value::Null
            } else {
                // Starts as the current state: a resource that sets nothing keeps it.
                let mut resp = StateResponse {
                    state: Some(current.clone()),
                    private: req.private.clone(),
                    diagnostics: Diagnostics::new(),
                };
                e.resource
                    .read(
                        &ReadRequest {
                            state: &current,
                            private: &req.private,
                        },
                        &mut resp,
                    )
                    .await;
                diags.extend(resp.diagnostics);
                private = resp.private;
                let mut s = resp.state.unwrap_or(Value::Null);
                check_known(&mut s, "state after read", &mut diags);
                s
            };
            new_state = encode_dynamic(&state, &e.ty, "state", &mut diags);
        }
        reply!(pb::read_resource::Response {
            new_state,
            diagnostics: diagnostics_to_proto(&diags),
            private,
            ..Default::default()
        })
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let req = request.into_inner();
        let mut diags = Diagnostics::new();
        let mut planned_state = None;
        let mut requires_replace = Vec::new();
        if let Some(e) = self.resource(&req.type_name, &mut diags) {
            let prior = decode_dynamic(req.prior_state.as_ref(), &e.ty, "prior state", &mut diags);
            let proposed = decode_dynamic(
                req.proposed_new_state.as_ref(),
                &e.ty,
                "proposed new state",
                &mut diags,
            );
            let config = decode_dynamic(req.config.as_ref(), &e.ty, "configuration", &mut diags);
            if let (Some(prior), Some(proposed), Some(config)) = (prior, proposed, config) {
                let planned = if proposed.is_null() {
                    // Destroy: Terraform requires a null plan.
                    Value::Null
                } else {
                    let plan = engine::plan(&e.schema, &config, &prior, &proposed);
                    diags.extend(plan.diagnostics);
                    let mut resp = ModifyPlanResponse {
                        planned: plan.planned,
                        requires_replace: plan.requires_replace,
                        diagnostics: Diagnostics::new(),
                    };
                    if !diags.has_errors() {
                        e.resource
                            .modify_plan(
                                &ModifyPlanRequest {
                                    config: &config,
                                    prior: &prior,
                                    proposed: &proposed,
                                },
                                &mut resp,
                            )
                            .await;
                    }
                    diags.extend(resp.diagnostics);
                    requires_replace = resp.requires_replace.iter().map(path_to_proto).collect();
                    let mut planned = resp.planned;
                    engine::null_write_only(&e.schema.attributes, &mut planned);
                    planned
                };
                planned_state = encode_dynamic(&planned, &e.ty, "planned state", &mut diags);
            }
        }
        reply!(pb::plan_resource_change::Response {
            planned_state,
            requires_replace,
            planned_private: req.prior_private,
            diagnostics: diagnostics_to_proto(&diags),
            ..Default::default()
        })
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let req = request.into_inner();
        let mut diags = Diagnostics::new();
        let mut new_state = None;
        let mut private = Vec::new();
        if let Some(e) = self.resource(&req.type_name, &mut diags) {
            let prior = decode_dynamic(req.prior_state.as_ref(), &e.ty, "prior state", &mut diags);
            let planned = decode_dynamic(
                req.planned_state.as_ref(),
                &e.ty,
                "planned state",
                &mut diags,
            );
            let config = decode_dynamic(req.config.as_ref(), &e.ty, "configuration", &mut diags);
            if let (Some(prior), Some(planned), Some(config)) = (prior, planned, config) {
                let state = if planned.is_null() {
                    let mut resp = DeleteResponse::default();
                    if !prior.is_null() {
                        e.resource
                            .delete(
                                &DeleteRequest {
                                    prior: &prior,
                                    private: &req.planned_private,
                                },
                                &mut resp,
                            )
                            .await;
                    }
                    let failed = resp.diagnostics.has_errors();
                    diags.extend(resp.diagnostics);
                    // A failed delete keeps the object in state.
                    if failed { prior } else { Value::Null }
                } else if prior.is_null() {
                    let mut resp = StateResponse::default();
                    e.resource
                        .create(
                            &CreateRequest {
                                config: &config,
                                planned: &planned,
                            },
                            &mut resp,
                        )
                        .await;
                    let failed = resp.diagnostics.has_errors();
                    diags.extend(resp.diagnostics);
                    private = resp.private;
                    match resp.state {
                        Some(s) => s,
                        None => {
                            if !failed {
                                diags.error(
                                    "Provider returned no state after create",
                                    "The create succeeded but returned no object. This is a \
                                     bug in the provider.",
                                );
                            }
                            Value::Null
                        }
                    }
                } else {
                    let mut resp = StateResponse {
                        state: None,
                        private: req.planned_private.clone(),
                        diagnostics: Diagnostics::new(),
                    };
                    e.resource
                        .update(
                            &UpdateRequest {
                                config: &config,
                                planned: &planned,
                                prior: &prior,
                                private: &req.planned_private,
                            },
                            &mut resp,
                        )
                        .await;
                    let failed = resp.diagnostics.has_errors();
                    diags.extend(resp.diagnostics);
                    private = resp.private;
                    match resp.state {
                        Some(s) => s,
                        None => {
                            if !failed {
                                diags.error(
                                    "Provider returned no state after update",
                                    "The update succeeded but returned no object. This is a \
                                     bug in the provider.",
                                );
                            }
                            // Keep what we knew, rather than forgetting the object.
                            prior
                        }
                    }
                };
                let mut state = state;
                check_known(&mut state, "state after apply", &mut diags);
                engine::null_write_only(&e.schema.attributes, &mut state);
                new_state = encode_dynamic(&state, &e.ty, "new state", &mut diags);
            }
        }
        reply!(pb::apply_resource_change::Response {
            new_state,
            private,
            diagnostics: diagnostics_to_proto(&diags),
            ..Default::default()
        })
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let req = request.into_inner();
        let mut diags = Diagnostics::new();
        let mut imported = Vec::new();
        if let Some(e) = self.resource(&req.type_name, &mut diags) {
            let mut resp = ImportResponse::default();
            e.resource
                .import(&ImportRequest { id: &req.id }, &mut resp)
                .await;
            diags.extend(resp.diagnostics);
            if let Some(state) = resp.state
                && !diags.has_errors()
            {
                if let Some(dv) = encode_dynamic(&state, &e.ty, "imported state", &mut diags) {
                    imported.push(pb::import_resource_state::ImportedResource {
                        type_name: req.type_name.clone(),
                        state: Some(dv),
                        ..Default::default()
                    });
                }
            } else if !diags.has_errors() {
                diags.error(
                    "Cannot import non-existent remote object",
                    format!("Nothing was found for the import ID {:?}.", req.id),
                );
            }
        }
        reply!(pb::import_resource_state::Response {
            imported_resources: imported,
            diagnostics: diagnostics_to_proto(&diags),
            ..Default::default()
        })
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let req = request.into_inner();
        let mut diags = Diagnostics::new();
        if self.resource(&req.target_type_name, &mut diags).is_some() {
            diags.error(
                "Unsupported resource move",
                format!(
                    "The resource type {} cannot take state moved from {} ({}). Remove the \
                     `moved` block and import the object instead.",
                    req.target_type_name, req.source_type_name, req.source_provider_address
                ),
            );
        }
        reply!(pb::move_resource_state::Response {
            diagnostics: diagnostics_to_proto(&diags),
            ..Default::default()
        })
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let req = request.into_inner();
        let mut diags = Diagnostics::new();
        let mut state = None;
        if let Some(e) = self.data_source(&req.type_name, &mut diags)
            && let Some(config) =
                decode_dynamic(req.config.as_ref(), &e.ty, "configuration", &mut diags)
        {
            let mut resp = DataSourceReadResponse::default();
            e.data_source
                .read(&DataSourceReadRequest { config: &config }, &mut resp)
                .await;
            let failed = resp.diagnostics.has_errors();
            diags.extend(resp.diagnostics);
            match resp.state {
                Some(mut s) => {
                    check_known(&mut s, "data source result", &mut diags);
                    state = encode_dynamic(&s, &e.ty, "data source result", &mut diags);
                }
                None => {
                    if !failed {
                        diags.error(
                            "Provider returned no data",
                            "The data source read returned nothing. This is a bug in the provider.",
                        );
                    }
                    state = dv_null(&e.ty, &mut diags);
                }
            }
        }
        reply!(pb::read_data_source::Response {
            state,
            diagnostics: diagnostics_to_proto(&diags),
            ..Default::default()
        })
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let mut diags = Diagnostics::new();
        no_ephemeral(&request.into_inner().type_name, &mut diags);
        reply!(pb::validate_ephemeral_resource_config::Response {
            diagnostics: diagnostics_to_proto(&diags),
        })
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let mut diags = Diagnostics::new();
        no_ephemeral(&request.into_inner().type_name, &mut diags);
        reply!(pb::open_ephemeral_resource::Response {
            diagnostics: diagnostics_to_proto(&diags),
            ..Default::default()
        })
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        let mut diags = Diagnostics::new();
        no_ephemeral(&request.into_inner().type_name, &mut diags);
        reply!(pb::renew_ephemeral_resource::Response {
            diagnostics: diagnostics_to_proto(&diags),
            ..Default::default()
        })
    }

    async fn close_ephemeral_resource(
        &self,
        _request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        // Nothing is ever opened, so closing is always fine.
        reply!(pb::close_ephemeral_resource::Response::default())
    }

    async fn get_functions(
        &self,
        _request: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        reply!(pb::get_functions::Response::default())
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        let name = request.into_inner().name;
        reply!(pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!("This provider has no function named {name:?}."),
                function_argument: None,
            }),
        })
    }

    async fn stop_provider(
        &self,
        _request: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        tracing::debug!("StopProvider received");
        self.inner.provider.stop();
        reply!(pb::stop_provider::Response::default())
    }
}

fn no_ephemeral(type_name: &str, diags: &mut Diagnostics) {
    diags.error(
        "Unknown ephemeral resource type",
        format!("This provider has no ephemeral resource type {type_name:?}."),
    );
}
