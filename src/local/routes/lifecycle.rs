//! The v3 lifecycle rule API (`/api/v3`, `/gateway/har/api/v3`): scope in the query, bare
//! JSON answers (no `{"status","data"}` envelope), errors as everywhere else.

use axum::Json;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::get;

use super::AppState;
use super::extract::JsonBody;
use crate::api::model::lifecycle::{LifecycleRule, LifecycleRuleRequest, ListLifecycleRules};
use crate::local::error::ApiError;
use crate::local::lifecycle_service::{self as rules, ScopeQuery};

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/lifecycle/rules", get(list).post(create))
        .route(
            "/lifecycle/rules/{id}",
            get(get_one).put(update).delete(delete),
        )
}

async fn create(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
    JsonBody(req): JsonBody<LifecycleRuleRequest>,
) -> Result<(StatusCode, Json<LifecycleRule>), ApiError> {
    let rule = rules::create(&s.service, ScopeQuery::parse(q.as_deref()), req).await?;
    Ok((StatusCode::CREATED, Json(rule)))
}

async fn get_one(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<LifecycleRule>, ApiError> {
    Ok(Json(
        rules::get(&s.service, ScopeQuery::parse(q.as_deref()), id).await?,
    ))
}

async fn update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    JsonBody(req): JsonBody<LifecycleRuleRequest>,
) -> Result<Json<LifecycleRule>, ApiError> {
    Ok(Json(
        rules::update(&s.service, ScopeQuery::parse(q.as_deref()), id, req).await?,
    ))
}

async fn delete(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<StatusCode, ApiError> {
    rules::delete(&s.service, ScopeQuery::parse(q.as_deref()), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<ListLifecycleRules>, ApiError> {
    Ok(Json(
        rules::list(&s.service, ScopeQuery::parse(q.as_deref())).await?,
    ))
}
