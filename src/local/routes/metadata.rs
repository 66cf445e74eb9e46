//! `GET|PUT|POST /registries/{uuid}/metadata` under the v3 base (`docs/design/fields.md`):
//! answers are `{"data":[...]}`, not the v1 envelope.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;

use super::AppState;
use super::extract::JsonBody;
use crate::api::model::{MetadataList, MetadataRequest};
use crate::local::error::ApiError;
use crate::local::store::MetadataWrite;

/// The scope query of v3 calls; only the account matters for a uuid.
#[derive(Debug, Default, Deserialize)]
pub struct V3Scope {
    account_identifier: Option<String>,
}

type Answer = Result<Json<MetadataList>, ApiError>;

pub async fn get(
    State(s): State<AppState>,
    Path(uuid): Path<String>,
    Query(q): Query<V3Scope>,
) -> Answer {
    s.service
        .check_account_id(q.account_identifier.as_deref())?;
    let data = s.service.get_metadata(uuid).await?;
    Ok(Json(MetadataList { data }))
}

pub async fn put(
    State(s): State<AppState>,
    Path(uuid): Path<String>,
    Query(q): Query<V3Scope>,
    JsonBody(req): JsonBody<MetadataRequest>,
) -> Answer {
    write(s, uuid, q, req, MetadataWrite::Replace).await
}

pub async fn post(
    State(s): State<AppState>,
    Path(uuid): Path<String>,
    Query(q): Query<V3Scope>,
    JsonBody(req): JsonBody<MetadataRequest>,
) -> Answer {
    write(s, uuid, q, req, MetadataWrite::Upsert).await
}

async fn write(
    s: AppState,
    uuid: String,
    q: V3Scope,
    req: MetadataRequest,
    mode: MetadataWrite,
) -> Answer {
    s.service
        .check_account_id(q.account_identifier.as_deref())?;
    let data = s.service.write_metadata(uuid, req.metadata, mode).await?;
    Ok(Json(MetadataList { data }))
}
