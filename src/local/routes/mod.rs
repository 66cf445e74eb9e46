//! The HTTP surface: one router, served under both `/api/v1` (OSS) and `/gateway/har/api/v1`
//! (SaaS, as the official provider calls it), and the v3 metadata routes under `/api/v3` and
//! `/gateway/har/api/v3`. Handlers are short; extractors parse; the service
//! decides. Cross-cutting concerns (API key, body limit, and later fault injection) are layers
//! around [`router`], so they never touch a handler.

mod extract;
mod lifecycle;
mod list;
mod metadata;
mod registry;
mod webhook;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post};

use super::error::ApiError;
use super::service::Service;

pub(crate) use extract::MAX_BODY_BYTES;

/// What every handler sees.
#[derive(Clone)]
pub struct AppState {
    pub(crate) service: Arc<Service>,
    pub(crate) api_key: Arc<str>,
    /// Calls answered, by route (`GET /_har-local/stats`).
    pub stats: super::stats::CallStats,
    pub(crate) latency: super::latency::Latency,
}

/// The routes of one API base (relative to `/api/v1`).
fn api() -> Router<AppState> {
    Router::new()
        .route("/registry", post(registry::create))
        // Registries and their webhooks (`webhook.rs` dispatches on the path).
        .route(
            "/registry/{*reference}",
            get(webhook::get)
                .post(webhook::post)
                .put(webhook::put)
                .delete(webhook::delete),
        )
        .route("/spaces/{*rest}", get(list::list))
        .method_not_allowed_fallback(method_not_allowed)
}

/// The v3 routes (relative to `/api/v3`): registry metadata and lifecycle rules.
fn api_v3() -> Router<AppState> {
    lifecycle::api()
        .route(
            "/registries/{uuid}/metadata",
            get(metadata::get).put(metadata::put).post(metadata::post),
        )
        .method_not_allowed_fallback(method_not_allowed)
}

/// The whole application. A later layer (e.g. fault injection) wraps the returned router:
/// `router(state).layer(faults)`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .nest("/api/v1", api())
        .nest("/gateway/har/api/v1", api())
        .nest("/api/v3", api_v3())
        .nest("/gateway/har/api/v3", api_v3())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            extract::require_api_key,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed on this route",
    )
}
