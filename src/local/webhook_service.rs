//! Registry webhooks in har-local: the rules (`rules::webhook`) applied to every request and
//! the wire shapes of the answers, between the routes and `webhook_store`.
//!
//! Behaviours kept from the real service: a webhook lives on a virtual registry only;
//! duplicate triggers are dropped; PUT replaces the whole webhook and answers 201; a masked
//! header's value is never answered (a placeholder is), and a PUT that sends the placeholder
//! back keeps the stored value. Unlike the open-source server, which answers 500 for a
//! webhook that is not there, har-local answers 404.

use axum::http::StatusCode;

use super::error::ApiError;
use super::service::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Service};
use super::webhook_store::{self as wstore, NewWebhook, Refusal, StoredWebhook};
use crate::api::model::webhook::{ExtraHeader, ListWebhooks, Webhook, WebhookRequest};
use crate::api::refs::{RegistryRef, Scope};
use crate::rules::webhook::{
    self as rules, MASKED_PLACEHOLDER, Trigger, check_headers, check_webhook_identifier,
    check_webhook_url,
};

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        let status = match r {
            Refusal::RegistryNotFound(_) | Refusal::NotFound { .. } => StatusCode::NOT_FOUND,
            Refusal::Duplicate(_) | Refusal::NotVirtual(_) => StatusCode::BAD_REQUEST,
        };
        ApiError::new(status, r.to_string())
    }
}

/// Query of the list, as received.
#[derive(Debug, Default, Clone)]
pub struct ListParams {
    pub page: Option<String>,
    pub size: Option<String>,
    pub search_term: Option<String>,
    pub sort_field: Option<String>,
    pub sort_order: Option<String>,
}

fn bad(e: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(e.to_string())
}

/// Applies the webhook rules to a create or PUT body.
fn validate(req: WebhookRequest, account: &str) -> Result<NewWebhook, ApiError> {
    check_webhook_identifier(&req.identifier).map_err(bad)?;
    if req.name.trim().is_empty() {
        return Err(bad(rules::WebhookError::EmptyName));
    }
    let url = req.url.trim().to_string();
    check_webhook_url(&url).map_err(bad)?;
    let mut triggers: Vec<String> = Vec::new();
    for t in &req.triggers {
        let t = Trigger::parse(t).map_err(bad)?.as_str().to_string();
        // The open-source server drops duplicates (deduplicateTriggers).
        if !triggers.contains(&t) {
            triggers.push(t);
        }
    }
    check_headers(
        req.extra_headers
            .iter()
            .map(|h| (h.key.as_str(), h.value.as_str())),
    )
    .map_err(bad)?;
    let nonempty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let secret_space_path = nonempty(req.secret_space_path);
    if let Some(path) = &secret_space_path {
        let ok = Scope::parse(path).is_ok_and(|s| s.account == account);
        if !ok {
            return Err(bad(format!(
                "failed to get Space Path: secret space path not found: {path} (a scope of \
                 account '{account}')"
            )));
        }
    }
    Ok(NewWebhook {
        identifier: req.identifier,
        name: req.name,
        description: req.description.unwrap_or_default(),
        url,
        enabled: req.enabled,
        insecure: req.insecure,
        secret_identifier: nonempty(req.secret_identifier),
        secret_space_path,
        triggers,
        extra_headers: req.extra_headers,
    })
}

/// A masked header sent back with the placeholder keeps the stored value of the same key.
fn keep_masked(h: &ExtraHeader, stored: &[ExtraHeader]) -> Option<String> {
    if !(h.masked && h.value == MASKED_PLACEHOLDER) {
        return None;
    }
    stored
        .iter()
        .find(|s| s.key.eq_ignore_ascii_case(&h.key))
        .map(|s| s.value.clone())
}

fn to_wire(w: StoredWebhook) -> Webhook {
    Webhook {
        identifier: w.identifier,
        name: w.name,
        description: w.description,
        url: w.url,
        enabled: w.enabled,
        insecure: w.insecure,
        internal: false,
        secret_identifier: w.secret_identifier,
        secret_space_path: w.secret_space_path,
        secret_space_id: None,
        triggers: w.triggers,
        extra_headers: w
            .extra_headers
            .into_iter()
            .map(|h| ExtraHeader {
                value: if h.masked {
                    MASKED_PLACEHOLDER.to_string()
                } else {
                    h.value
                },
                ..h
            })
            .collect(),
        latest_execution_result: w.latest_execution_result,
        created_at: w.created_at.to_string(),
        modified_at: w.modified_at.to_string(),
        created_by: Some(0),
        version: Some(w.version),
    }
}

pub async fn create(
    svc: &Service,
    reference: RegistryRef,
    req: WebhookRequest,
) -> Result<Webhook, ApiError> {
    let new = validate(req, &reference.scope.account)?;
    let stored = svc
        .store()
        .write(move |c| wstore::create(c, &reference, new))
        .await??;
    Ok(to_wire(stored))
}

pub async fn get(
    svc: &Service,
    reference: RegistryRef,
    identifier: String,
) -> Result<Webhook, ApiError> {
    let stored = svc
        .store()
        .read(move |c| wstore::get(c, &reference, &identifier))
        .await??;
    Ok(to_wire(stored))
}

pub async fn update(
    svc: &Service,
    reference: RegistryRef,
    identifier: String,
    mut req: WebhookRequest,
) -> Result<Webhook, ApiError> {
    // The URL names the webhook; a body naming another one would be a rename, which the API
    // has no way to do.
    if req.identifier.is_empty() {
        req.identifier = identifier.clone();
    } else if req.identifier != identifier {
        return Err(bad(format!(
            "webhook identifier change is not allowed: the URL names {identifier:?}, the body {:?}",
            req.identifier
        )));
    }
    let new = validate(req, &reference.scope.account)?;
    let stored = svc
        .store()
        .write(move |c| wstore::update(c, &reference, &identifier, new, keep_masked))
        .await??;
    Ok(to_wire(stored))
}

pub async fn delete(
    svc: &Service,
    reference: RegistryRef,
    identifier: String,
) -> Result<(), ApiError> {
    svc.store()
        .write(move |c| wstore::delete(c, &reference, &identifier))
        .await??;
    Ok(())
}

pub async fn list(
    svc: &Service,
    reference: RegistryRef,
    p: ListParams,
) -> Result<ListWebhooks, ApiError> {
    let opt = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    let number = |v: &Option<String>, name: &str, default: i64, min: i64| match opt(v) {
        None => Ok(default),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= min)
            .ok_or_else(|| bad(format!("invalid {name}: {s:?}; a whole number >= {min}"))),
    };
    let page = number(&p.page, "page", 0, 0)?;
    let size = number(&p.size, "size", DEFAULT_PAGE_SIZE, 1)?.min(MAX_PAGE_SIZE);
    let search = opt(&p.search_term).map(|s| s.to_lowercase());
    let descending = opt(&p.sort_order).is_some_and(|o| o.eq_ignore_ascii_case("DESC"));
    let sort_field = opt(&p.sort_field).unwrap_or_else(|| "createdAt".into());
    let all = svc
        .store()
        .read(move |c| wstore::list(c, &reference))
        .await??;
    let mut items: Vec<StoredWebhook> = all
        .into_iter()
        .filter(|w| {
            search.as_deref().is_none_or(|s| {
                w.identifier.to_lowercase().contains(s) || w.name.to_lowercase().contains(s)
            })
        })
        .collect();
    items.sort_by(|a, b| {
        let o = match sort_field.as_str() {
            "identifier" => a.identifier.cmp(&b.identifier),
            "name" => a.name.cmp(&b.name),
            "lastModified" | "modifiedAt" => a.modified_at.cmp(&b.modified_at),
            _ => a.created_at.cmp(&b.created_at),
        }
        .then_with(|| a.identifier.cmp(&b.identifier));
        if descending { o.reverse() } else { o }
    });
    let total = items.len() as i64;
    let start = usize::try_from(page.saturating_mul(size)).unwrap_or(usize::MAX);
    Ok(ListWebhooks {
        item_count: total,
        page_count: (total + size - 1) / size,
        page_index: page,
        page_size: size,
        webhooks: items
            .into_iter()
            .skip(start)
            .take(size as usize)
            .map(to_wire)
            .collect(),
    })
}
