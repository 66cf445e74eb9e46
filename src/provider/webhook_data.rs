//! Data sources `har_webhook` (one webhook of a registry) and `har_webhooks` (all of them).
//! Masked header values read as the server's placeholder: the real value is never answered.

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::model::webhook::Webhook;
use crate::api::refs::RegistryRef;
use crate::framework::model::{Field, encode};
use crate::framework::validators::string_rule;
use crate::framework::{
    Attribute, DataSource, DataSourceReadRequest, DataSourceReadResponse, Diagnostics, Schema,
    Type, Value,
};
use crate::provider::context::Shared;
use crate::provider::diag::api_error;
use crate::provider::webhook::{REGISTRY_DOC, WebhookModel, registry_rule, state};
use crate::rules::webhook::check_webhook_identifier;

fn header_attrs() -> Vec<Attribute> {
    vec![
        Attribute::string("key")
            .computed()
            .description("Header name."),
        Attribute::string("value")
            .computed()
            .sensitive()
            .description("Header value; the server's placeholder when masked."),
        Attribute::new("masked", Type::Bool)
            .computed()
            .description("Whether the value is masked."),
    ]
}

/// The attributes of one webhook as the data sources show it (everything computed).
fn webhook_attrs(with_lookup: bool) -> Vec<Attribute> {
    let c = |name: &str, doc: &str| Attribute::string(name).computed().description(doc);
    let mut attrs = vec![c("id", "`<registry id>/<identifier>`.")];
    if with_lookup {
        attrs.push(
            Attribute::string("registry")
                .required()
                .description(REGISTRY_DOC)
                .validate(registry_rule()),
        );
        attrs.push(
            Attribute::string("identifier")
                .required()
                .description("The webhook's identifier.")
                .validate(string_rule(
                    "Invalid webhook identifier",
                    "a letter or `_`, then letters, digits, `_`, `-`, `.`",
                    |s| check_webhook_identifier(s).map_err(|e| e.to_string()),
                )),
        );
    } else {
        attrs.push(c("registry", "The registry's id."));
        attrs.push(c("identifier", "The webhook's identifier."));
    }
    attrs.extend([
        c("name", "Display name."),
        c("description", "Description (null when none)."),
        c("url", "Payload URL."),
        Attribute::new("enabled", Type::Bool)
            .computed()
            .description("Whether deliveries are sent."),
        Attribute::new("insecure", Type::Bool)
            .computed()
            .description("Whether TLS verification is skipped."),
        Attribute::new("triggers", Type::set(Type::String))
            .computed()
            .description("ARTIFACT_CREATION and/or ARTIFACT_DELETION."),
        Attribute::list_nested("extra_headers", header_attrs())
            .computed()
            .description("Extra HTTP headers (null when none)."),
        c("secret_identifier", "Signing secret's identifier."),
        c("secret_space_path", "Signing secret's scope."),
        c("created_at", "Creation time, RFC 3339 UTC."),
        c("modified_at", "Time of the last change, RFC 3339 UTC."),
        c(
            "latest_execution_result",
            "How the last delivery ended; null before the first.",
        ),
    ]);
    attrs
}

fn registry_of(config: &Value, diags: &mut Diagnostics) -> Option<RegistryRef> {
    let r = config.get("registry").and_then(Value::as_str)?;
    match RegistryRef::parse(r) {
        Ok(reg) => Some(reg),
        Err(e) => {
            diags.error("Invalid registry id", e.to_string());
            None
        }
    }
}

/// A data-source view of one webhook (no prior state: masked values stay placeholders).
fn view(w: &Webhook, reg: &RegistryRef) -> WebhookModel {
    state(w, reg, &WebhookModel::default())
}

/// `har_webhook`.
pub(crate) struct WebhookLookup {
    data: Shared,
}

pub(crate) fn webhook(data: Shared) -> Arc<WebhookLookup> {
    Arc::new(WebhookLookup { data })
}

pub(crate) fn webhook_schema() -> Schema {
    Schema::new()
        .description("Reads one webhook of a registry.")
        .attributes(webhook_attrs(true))
}

#[async_trait]
impl DataSource for WebhookLookup {
    fn type_name(&self) -> &str {
        "har_webhook"
    }

    fn schema(&self) -> Schema {
        webhook_schema()
    }

    async fn read(&self, req: &DataSourceReadRequest<'_>, resp: &mut DataSourceReadResponse) {
        let diags = &mut resp.diagnostics;
        let Some(ctx) = self.data.require(diags) else {
            return;
        };
        let Some(reg) = registry_of(req.config, diags) else {
            return;
        };
        let Some(ident) = req.config.get("identifier").and_then(Value::as_str) else {
            return;
        };
        match ctx.client.get_webhook(&reg, ident).await {
            Ok(Some(w)) => match encode(&view(&w, &reg), &webhook_schema().value_type()) {
                Ok(v) => resp.state = Some(v),
                Err(e) => diags.error("Provider error: unencodable state", e.to_string()),
            },
            Ok(None) => diags.error(
                "Webhook not found",
                format!("registry {reg} has no webhook {ident:?} (or the registry does not exist)"),
            ),
            Err(e) => diags.push(api_error(&format!("reading webhook {reg}/{ident}"), &e)),
        }
    }
}

/// The state of `har_webhooks`: only written, never read back.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
struct WebhooksModel {
    id: Field<String>,
    registry: Field<String>,
    webhooks: Field<Vec<WebhookModel>>,
}

/// `har_webhooks`.
pub(crate) struct WebhookList {
    data: Shared,
}

pub(crate) fn webhooks(data: Shared) -> Arc<WebhookList> {
    Arc::new(WebhookList { data })
}

pub(crate) fn webhooks_schema() -> Schema {
    Schema::new()
        .description("Lists the webhooks of a registry, by identifier.")
        .attributes([
            Attribute::string("id")
                .computed()
                .description("The registry's id."),
            Attribute::string("registry")
                .required()
                .description("The registry's id, `<account>[/<org>[/<project>]]/<identifier>`.")
                .validate(registry_rule()),
            Attribute::list_nested("webhooks", webhook_attrs(false))
                .computed()
                .description("The registry's webhooks, by identifier."),
        ])
}

#[async_trait]
impl DataSource for WebhookList {
    fn type_name(&self) -> &str {
        "har_webhooks"
    }

    fn schema(&self) -> Schema {
        webhooks_schema()
    }

    async fn read(&self, req: &DataSourceReadRequest<'_>, resp: &mut DataSourceReadResponse) {
        let diags = &mut resp.diagnostics;
        let Some(ctx) = self.data.require(diags) else {
            return;
        };
        let Some(reg) = registry_of(req.config, diags) else {
            return;
        };
        match ctx.client.list_all_webhooks(&reg).await {
            Ok(mut list) => {
                list.sort_by(|a, b| a.identifier.cmp(&b.identifier));
                let m = WebhooksModel {
                    id: Field::Known(reg.to_string()),
                    registry: Field::Known(reg.to_string()),
                    webhooks: Field::Known(list.iter().map(|w| view(w, &reg)).collect()),
                };
                match encode(&m, &webhooks_schema().value_type()) {
                    Ok(v) => resp.state = Some(v),
                    Err(e) => diags.error("Provider error: unencodable state", e.to_string()),
                }
            }
            Err(e) => diags.push(api_error(&format!("listing the webhooks of {reg}"), &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::model::check_model;

    #[test]
    fn schemas_and_models_agree() {
        check_model(&webhooks_schema(), &["id", "registry", "webhooks"]).unwrap();
        check_model(&webhook_schema(), WebhookModel::ATTR_NAMES).unwrap();
    }
}
