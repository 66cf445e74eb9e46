//! `har_webhook`: a webhook on a (virtual) registry, telling a URL when an artifact is
//! created or deleted. Schema, typed model, plan-time checks and CRUD in one place; the wire
//! calls are `api::webhook`, the rules `rules::webhook`.
//!
//! State discipline:
//! * a masked header's value is never answered by the server (a placeholder is), so state
//!   keeps the value Terraform last sent for that key, and no diff shows;
//! * `description`, `extra_headers`: unset and empty are the same to the API, so state keeps
//!   whichever of the two the configuration used;
//! * `enabled` (default true), `insecure` and `masked` (default false) are optional+computed,
//!   so an unset one is planned as its default and drift from it shows.

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::model::webhook::{ExtraHeader, Webhook, WebhookRequest};
use crate::api::refs::RegistryRef;
use crate::framework::model::{self, Field, decode, encode, model};
use crate::framework::validators::{Validator, string_rule};
use crate::framework::{
    Attribute, AttributePath, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse,
    Diagnostic, Diagnostics, ImportRequest, ImportResponse, ModifyPlanRequest, ModifyPlanResponse,
    ReadRequest, ReadResponse, RequiresReplace, Resource, Schema, Type, UpdateRequest,
    UpdateResponse, UseStateForUnknown, ValidateRequest, Value,
};
use crate::provider::context::Shared;
use crate::provider::diag::api_error;
use crate::rules::webhook::{Trigger, check_headers, check_webhook_identifier, check_webhook_url};

pub(crate) const TYPE_NAME: &str = "har_webhook";

model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct HeaderModel / HeaderAttrs {
        pub(crate) key: Field<String>,
        pub(crate) value: Field<String>,
        pub(crate) masked: Field<bool>,
    }
}

model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct WebhookModel / WebhookAttrs {
        pub(crate) id: Field<String>,
        pub(crate) registry: Field<String>,
        pub(crate) identifier: Field<String>,
        pub(crate) name: Field<String>,
        pub(crate) description: Field<String>,
        pub(crate) url: Field<String>,
        pub(crate) enabled: Field<bool>,
        pub(crate) insecure: Field<bool>,
        pub(crate) triggers: Field<Vec<Field<String>>>,
        pub(crate) extra_headers: Field<Vec<HeaderModel>>,
        pub(crate) secret_identifier: Field<String>,
        pub(crate) secret_space_path: Field<String>,
        pub(crate) created_at: Field<String>,
        pub(crate) modified_at: Field<String>,
        pub(crate) latest_execution_result: Field<String>,
    }
}

const A: WebhookAttrs = WebhookModel::ATTR;
const H: HeaderAttrs = HeaderModel::ATTR;

pub(crate) const REGISTRY_DOC: &str = "The registry's id, `<account>[/<org>[/<project>]]/<identifier>` \
     (e.g. `har_registry.docker.id`). Only virtual registries take webhooks. Changing it replaces \
     the webhook.";

fn header_attrs() -> Vec<Attribute> {
    vec![
        Attribute::string(H.key)
            .required()
            .description("Header name (an HTTP token); unique, case-insensitively."),
        Attribute::string(H.value)
            .required()
            .sensitive()
            .description(
                "Header value. When `masked`, the server never shows it again: state keeps the \
                 configured value, and a change made outside Terraform cannot be seen.",
            ),
        Attribute::new(H.masked, Type::Bool)
            .optional()
            .computed()
            .description("Hide the value in the Harness UI and API answers. Default false."),
    ]
}

/// `registry`: a registry ref.
pub(crate) fn registry_rule() -> impl Validator {
    string_rule(
        "Invalid registry id",
        "must be a registry id `<account>[/<org>[/<project>]]/<identifier>`",
        |s| RegistryRef::parse(s).map(|_| ()).map_err(|e| e.to_string()),
    )
}

/// Every element of a set of strings is a trigger.
struct TriggersRule;

impl Validator for TriggersRule {
    fn description(&self) -> String {
        format!("each one of {}", Trigger::NAMES.join(", "))
    }
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        // A set element has no index to point at: the error names the attribute.
        for v in value.as_elements().unwrap_or_default() {
            if let Some(s) = v.as_str()
                && let Err(e) = Trigger::parse(s)
            {
                diags.error_at(path.clone(), "Invalid trigger", e.to_string());
            }
        }
    }
}

pub(crate) fn schema() -> Schema {
    Schema::new()
        .description(
            "A webhook on a Harness Artifact Registry registry: an HTTP POST to `url` each time \
             an artifact is created in or deleted from the registry (`triggers`).",
        )
        .attributes([
            Attribute::string(A.id)
                .computed()
                .description("`<registry id>/<identifier>`; also the import ID.")
                .plan_modifier(UseStateForUnknown),
            Attribute::string(A.registry)
                .required()
                .description(REGISTRY_DOC)
                .validate(registry_rule())
                .plan_modifier(RequiresReplace),
            Attribute::string(A.identifier)
                .required()
                .description(
                    "Webhook identifier, unique within the registry: a letter or `_` first, then \
                     letters, digits, `_`, `-`, `.`; at most 100 characters. Changing it \
                     replaces the webhook.",
                )
                .validate(string_rule(
                    "Invalid webhook identifier",
                    "a letter or `_`, then letters, digits, `_`, `-`, `.`",
                    |s| check_webhook_identifier(s).map_err(|e| e.to_string()),
                ))
                .plan_modifier(RequiresReplace),
            Attribute::string(A.name)
                .required()
                .description("Display name.")
                .validate(string_rule("Invalid name", "not empty", |s| {
                    if s.trim().is_empty() {
                        Err("name must not be empty".into())
                    } else {
                        Ok(())
                    }
                })),
            Attribute::string(A.description)
                .optional()
                .description("Free text. Unset and `\"\"` are the same to the API."),
            Attribute::string(A.url)
                .required()
                .description("Payload URL: absolute http:// or https:// with a host.")
                .validate(string_rule(
                    "Invalid webhook url",
                    "absolute http(s) URL with a host",
                    |s| check_webhook_url(s).map_err(|e| e.to_string()),
                )),
            Attribute::new(A.enabled, Type::Bool)
                .optional()
                .computed()
                .description("Whether deliveries are sent. Default true."),
            Attribute::new(A.insecure, Type::Bool)
                .optional()
                .computed()
                .description("Skip TLS certificate verification of `url`. Default false."),
            Attribute::new(A.triggers, Type::set(Type::String))
                .required()
                .description(
                    "Events that fire the webhook: `ARTIFACT_CREATION`, `ARTIFACT_DELETION`.",
                )
                .validate(TriggersRule),
            Attribute::list_nested(A.extra_headers, header_attrs())
                .optional()
                .description("Extra HTTP headers sent with every delivery, in order."),
            Attribute::string(A.secret_identifier)
                .optional()
                .description(
                    "Identifier of the Harness secret that signs payloads (a reference, never \
                     the secret).",
                ),
            Attribute::string(A.secret_space_path)
                .optional()
                .description(
                    "Scope of that secret, `<account>[/<org>[/<project>]]`; needs \
                     `secret_identifier`.",
                ),
            Attribute::string(A.created_at)
                .computed()
                .description("Creation time, RFC 3339 UTC.")
                .plan_modifier(UseStateForUnknown),
            Attribute::string(A.modified_at)
                .computed()
                .description("Time of the last change, RFC 3339 UTC."),
            Attribute::string(A.latest_execution_result)
                .computed()
                .description(
                    "How the last delivery ended (`SUCCESS`, `RETRIABLE_ERROR`, `FATAL_ERROR`); \
                     null before the first one.",
                ),
        ])
}

/// Epoch milliseconds (as the API sends them, a string) as RFC 3339 UTC.
pub(crate) fn rfc3339(ms: &str) -> String {
    ms.trim()
        .parse::<i64>()
        .map(|ms| crate::rules::rfc3339_utc(ms.div_euclid(1000), None))
        .unwrap_or_else(|_| ms.to_string())
}

fn known_str(f: &Field<String>) -> Option<&str> {
    match f {
        Field::Known(s) => Some(s),
        _ => None,
    }
}

/// The registry and identifier a model names: from `registry` + `identifier`, else from `id`
/// (after an import only `id` is set).
fn address(m: &WebhookModel) -> Result<(RegistryRef, String), String> {
    if let (Some(r), Some(i)) = (known_str(&m.registry), known_str(&m.identifier)) {
        let reg = RegistryRef::parse(r).map_err(|e| format!("registry {r:?}: {e}"))?;
        return Ok((reg, i.to_string()));
    }
    let id = known_str(&m.id).ok_or("the webhook has neither registry + identifier nor id")?;
    parse_id(id)
}

/// An import ID / `id`: `<registry id>/<webhook identifier>`.
pub(crate) fn parse_id(id: &str) -> Result<(RegistryRef, String), String> {
    let wanted = "a webhook id is `<account>[/<org>[/<project>]]/<registry>/<webhook identifier>`";
    let (reg, ident) = id
        .rsplit_once('/')
        .ok_or_else(|| format!("{wanted}, got {id:?}"))?;
    let reg = RegistryRef::parse(reg).map_err(|_| format!("{wanted}, got {id:?}"))?;
    check_webhook_identifier(ident).map_err(|e| format!("{wanted}: {e}"))?;
    Ok((reg, ident.to_string()))
}

/// The request from a planned model.
fn request(m: &WebhookModel) -> WebhookRequest {
    let s = |f: &Field<String>| known_str(f).unwrap_or_default().to_string();
    let opt = |f: &Field<String>| known_str(f).filter(|v| !v.is_empty()).map(str::to_string);
    WebhookRequest {
        identifier: s(&m.identifier),
        name: s(&m.name),
        description: Some(s(&m.description)),
        url: s(&m.url),
        enabled: m.enabled.known().unwrap_or(true),
        insecure: m.insecure.known().unwrap_or(false),
        secret_identifier: opt(&m.secret_identifier),
        secret_space_path: opt(&m.secret_space_path),
        secret_space_id: None,
        triggers: m
            .triggers
            .clone()
            .known()
            .unwrap_or_default()
            .into_iter()
            .filter_map(Field::known)
            .collect(),
        extra_headers: m
            .extra_headers
            .clone()
            .known()
            .unwrap_or_default()
            .into_iter()
            .map(|h| ExtraHeader {
                key: h.key.known().unwrap_or_default(),
                value: h.value.known().unwrap_or_default(),
                masked: h.masked.known().unwrap_or(false),
            })
            .collect(),
    }
}

/// The state from the server's answer; `prior` (state before a read, the plan before a
/// write) decides the representation of what the API cannot tell apart, and supplies the
/// values of masked headers.
pub(crate) fn state(w: &Webhook, reg: &RegistryRef, prior: &WebhookModel) -> WebhookModel {
    let description = if w.description.is_empty()
        && !matches!(&prior.description, Field::Known(d) if d.is_empty())
    {
        Field::Null
    } else {
        Field::Known(w.description.clone())
    };
    let prior_headers = prior.extra_headers.clone().known().unwrap_or_default();
    let extra_headers = if w.extra_headers.is_empty() {
        match &prior.extra_headers {
            Field::Known(v) if v.is_empty() => Field::Known(vec![]),
            _ => Field::Null,
        }
    } else {
        Field::Known(
            w.extra_headers
                .iter()
                .map(|h| {
                    let configured = prior_headers
                        .iter()
                        .find(|p| known_str(&p.key).is_some_and(|k| k.eq_ignore_ascii_case(&h.key)))
                        .and_then(|p| known_str(&p.value).map(str::to_string));
                    let value = match (h.masked, configured) {
                        (true, Some(v)) => v,
                        _ => h.value.clone(),
                    };
                    HeaderModel {
                        key: Field::Known(h.key.clone()),
                        value: Field::Known(value),
                        masked: Field::Known(h.masked),
                    }
                })
                .collect(),
        )
    };
    let nonempty = |v: &Option<String>| Field::from_option(v.clone().filter(|s| !s.is_empty()));
    WebhookModel {
        id: Field::Known(format!("{reg}/{}", w.identifier)),
        registry: Field::Known(reg.to_string()),
        identifier: Field::Known(w.identifier.clone()),
        name: Field::Known(w.name.clone()),
        description,
        url: Field::Known(w.url.clone()),
        enabled: Field::Known(w.enabled),
        insecure: Field::Known(w.insecure),
        triggers: Field::Known(w.triggers.iter().cloned().map(Field::Known).collect()),
        extra_headers,
        secret_identifier: nonempty(&w.secret_identifier),
        secret_space_path: nonempty(&w.secret_space_path),
        created_at: Field::Known(rfc3339(&w.created_at)),
        modified_at: Field::Known(rfc3339(&w.modified_at)),
        latest_execution_result: nonempty(&w.latest_execution_result),
    }
}

/// Cross-attribute checks on a (lenient) config model: headers, secret path, and the
/// registry's account against the provider's.
fn check(m: &WebhookModel, account: Option<&str>, diags: &mut Diagnostics) {
    if let Field::Known(headers) = &m.extra_headers {
        let known: Vec<(&str, &str)> = headers
            .iter()
            .filter_map(|h| Some((known_str(&h.key)?, known_str(&h.value).unwrap_or(""))))
            .collect();
        if let Err(e) = check_headers(known) {
            diags.error_at(
                AttributePath::root(A.extra_headers),
                "Invalid extra_headers",
                e.to_string(),
            );
        }
    }
    if m.secret_space_path.is_known() && m.secret_identifier.is_null() {
        diags.error_at(
            AttributePath::root(A.secret_space_path),
            "secret_space_path without secret_identifier",
            crate::rules::webhook::WebhookError::SpaceWithoutSecret.to_string(),
        );
    }
    if let (Some(account), Some(r)) = (account, known_str(&m.registry))
        && let Ok(reg) = RegistryRef::parse(r)
        && reg.scope.account != account
    {
        diags.error_at(
            AttributePath::root(A.registry),
            "Registry of another account",
            format!(
                "registry {r:?} is in account {:?}, but the provider is configured for account \
                 {account:?}",
                reg.scope.account
            ),
        );
    }
}

pub struct WebhookResource {
    data: Shared,
}

pub(crate) fn new(data: Shared) -> Arc<WebhookResource> {
    Arc::new(WebhookResource { data })
}

fn decode_or_report<T: serde::de::DeserializeOwned>(
    v: &Value,
    diags: &mut Diagnostics,
) -> Option<T> {
    match decode::<T>(v) {
        Ok(m) => Some(m),
        Err(e) => {
            diags.push(Diagnostic::error(
                "Provider error: unreadable value",
                e.to_string(),
            ));
            None
        }
    }
}

fn encode_or_report(m: &WebhookModel, diags: &mut Diagnostics) -> Option<Value> {
    match encode(m, &schema().value_type()) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(Diagnostic::error(
                "Provider error: unencodable state",
                e.to_string(),
            ));
            None
        }
    }
}

#[async_trait]
impl Resource for WebhookResource {
    fn type_name(&self) -> &str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate_config(&self, req: &ValidateRequest<'_>, diags: &mut Diagnostics) {
        if let Ok((m, _)) = model::decode_lenient::<WebhookModel>(req.config) {
            check(&m, None, diags);
        }
    }

    async fn modify_plan(&self, req: &ModifyPlanRequest<'_>, resp: &mut ModifyPlanResponse) {
        let diags = &mut resp.diagnostics;
        let Ok((config, _)) = model::decode_lenient::<WebhookModel>(req.config) else {
            return;
        };
        let account = self
            .data
            .get()
            .ok()
            .flatten()
            .map(|c| c.defaults.account_id.clone());
        check(&config, account.as_deref(), diags);
        let Some(mut planned) = decode_or_report::<WebhookModel>(&resp.planned, diags) else {
            return;
        };
        planned.id = match (known_str(&planned.registry), known_str(&planned.identifier)) {
            (Some(r), Some(i)) => Field::Known(format!("{r}/{i}")),
            _ => Field::Unknown,
        };
        if config.enabled.is_null() {
            planned.enabled = Field::Known(true);
        }
        if config.insecure.is_null() {
            planned.insecure = Field::Known(false);
        }
        if let Field::Known(headers) = &mut planned.extra_headers {
            for h in headers {
                if h.masked.is_unknown() || h.masked.is_null() {
                    h.masked = Field::Known(false);
                }
            }
        }
        if let Some(v) = encode_or_report(&planned, diags) {
            resp.planned = v;
        }
    }

    async fn create(&self, req: &CreateRequest<'_>, resp: &mut CreateResponse) {
        let diags = &mut resp.diagnostics;
        let Some(ctx) = self.data.require(diags) else {
            return;
        };
        let Some(planned) = decode_or_report::<WebhookModel>(req.planned, diags) else {
            return;
        };
        let (reg, ident) = match address(&planned) {
            Ok(a) => a,
            Err(e) => return diags.error("Invalid webhook address", e),
        };
        match ctx.client.create_webhook(&reg, &request(&planned)).await {
            Ok(w) => resp.state = encode_or_report(&state(&w, &reg, &planned), diags),
            Err(e) => diags.push(api_error(&format!("creating webhook {reg}/{ident}"), &e)),
        }
    }

    async fn read(&self, req: &ReadRequest<'_>, resp: &mut ReadResponse) {
        let diags = &mut resp.diagnostics;
        let Some(ctx) = self.data.require(diags) else {
            return;
        };
        let Some(prior) = decode_or_report::<WebhookModel>(req.state, diags) else {
            return;
        };
        let (reg, ident) = match address(&prior) {
            Ok(a) => a,
            Err(e) => return diags.error("Invalid webhook id", e),
        };
        match ctx.client.get_webhook(&reg, &ident).await {
            // Gone (or its registry is): Terraform plans it again.
            Ok(None) => resp.state = None,
            Ok(Some(w)) => resp.state = encode_or_report(&state(&w, &reg, &prior), diags),
            Err(e) => {
                resp.state = Some(req.state.clone());
                diags.push(api_error(&format!("reading webhook {reg}/{ident}"), &e));
            }
        }
    }

    async fn update(&self, req: &UpdateRequest<'_>, resp: &mut UpdateResponse) {
        let diags = &mut resp.diagnostics;
        let Some(ctx) = self.data.require(diags) else {
            return;
        };
        let Some(planned) = decode_or_report::<WebhookModel>(req.planned, diags) else {
            return;
        };
        let (reg, ident) = match address(&planned) {
            Ok(a) => a,
            Err(e) => return diags.error("Invalid webhook address", e),
        };
        match ctx
            .client
            .update_webhook(&reg, &ident, &request(&planned))
            .await
        {
            Ok(w) => resp.state = encode_or_report(&state(&w, &reg, &planned), diags),
            Err(e) => {
                resp.state = Some(req.prior.clone());
                diags.push(api_error(&format!("updating webhook {reg}/{ident}"), &e));
            }
        }
    }

    async fn delete(&self, req: &DeleteRequest<'_>, resp: &mut DeleteResponse) {
        let diags = &mut resp.diagnostics;
        let Some(ctx) = self.data.require(diags) else {
            return;
        };
        let Some(prior) = decode_or_report::<WebhookModel>(req.prior, diags) else {
            return;
        };
        let (reg, ident) = match address(&prior) {
            Ok(a) => a,
            Err(e) => return diags.error("Invalid webhook id", e),
        };
        if let Err(e) = ctx.client.delete_webhook(&reg, &ident).await {
            diags.push(api_error(&format!("deleting webhook {reg}/{ident}"), &e));
        }
    }

    async fn import(&self, req: &ImportRequest<'_>, resp: &mut ImportResponse) {
        match parse_id(req.id) {
            Ok((reg, ident)) => {
                let m = WebhookModel {
                    id: Field::Known(format!("{reg}/{ident}")),
                    registry: Field::Known(reg.to_string()),
                    identifier: Field::Known(ident),
                    ..Default::default()
                };
                resp.state = encode_or_report(&m, &mut resp.diagnostics);
            }
            Err(e) => resp.diagnostics.error("Invalid import ID", e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_and_model_agree() {
        model::check_model(&schema(), WebhookModel::ATTR_NAMES).unwrap();
    }

    #[test]
    fn ids() {
        let (r, i) = parse_id("acct/org/docker-main/notify").unwrap();
        assert_eq!(r.to_string(), "acct/org/docker-main");
        assert_eq!(i, "notify");
        assert!(parse_id("notify").is_err());
        assert!(parse_id("acct/notify").is_err());
        assert!(parse_id("acct/reg/1bad").is_err());
    }

    #[test]
    fn masked_values_come_from_the_prior_state() {
        let w: Webhook = serde_json::from_value(serde_json::json!({
            "identifier": "n", "name": "n", "url": "https://x", "enabled": true,
            "insecure": false, "triggers": ["ARTIFACT_CREATION"], "description": "",
            "extraHeaders": [{"key": "Authorization", "value": "*******", "masked": true},
                             {"key": "X", "value": "server", "masked": false}],
            "createdAt": "1724251211000", "modifiedAt": "1724251211000"
        }))
        .unwrap();
        let prior = WebhookModel {
            extra_headers: Field::Known(vec![HeaderModel {
                key: Field::Known("authorization".into()),
                value: Field::Known("Bearer s3cret".into()),
                masked: Field::Known(true),
            }]),
            ..Default::default()
        };
        let reg = RegistryRef::parse("acct/reg").unwrap();
        let s = state(&w, &reg, &prior);
        let h = s.extra_headers.known().unwrap();
        assert_eq!(h[0].value, Field::Known("Bearer s3cret".into()));
        assert_eq!(h[1].value, Field::Known("server".into()));
        assert_eq!(s.description, Field::Null);
        assert_eq!(s.id, Field::Known("acct/reg/n".into()));
        assert_eq!(s.created_at, Field::Known("2024-08-21T14:40:11Z".into()));
    }
}
