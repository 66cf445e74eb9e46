//! `POST /registry`, `GET|PUT|DELETE /registry/{ref}/+` (or the `%2F`-encoded ref).

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;

use super::AppState;
use super::extract::{JsonBody, Tail, strip_terminator};
use crate::api::model::{Envelope, Registry, RegistryRequest};
use crate::local::error::ApiError;

type Answer<T> = Result<(StatusCode, Json<Envelope<T>>), ApiError>;

pub(crate) async fn create(
    State(s): State<AppState>,
    RawQuery(query): RawQuery,
    JsonBody(req): JsonBody<RegistryRequest>,
) -> Answer<Registry> {
    let space_ref = query.as_deref().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "space_ref")
            .map(|(_, v)| v.into_owned())
    });
    let reg = s.service.create(req, space_ref.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(Envelope::success(reg))))
}

pub(crate) async fn get(State(s): State<AppState>, Tail(raw): Tail) -> Answer<Registry> {
    let reference = s.service.registry_ref(strip_terminator(&raw))?;
    let reg = s.service.get(reference).await?;
    Ok((StatusCode::OK, Json(Envelope::success(reg))))
}

pub(crate) async fn update(
    State(s): State<AppState>,
    Tail(raw): Tail,
    JsonBody(req): JsonBody<RegistryRequest>,
) -> Answer<Registry> {
    let reference = s.service.registry_ref(strip_terminator(&raw))?;
    let reg = s.service.update(reference, req).await?;
    Ok((StatusCode::OK, Json(Envelope::success(reg))))
}

pub(crate) async fn delete(State(s): State<AppState>, Tail(raw): Tail) -> Answer<()> {
    let reference = s.service.registry_ref(strip_terminator(&raw))?;
    s.service.delete(reference).await?;
    Ok((StatusCode::OK, Json(Envelope::empty())))
}
