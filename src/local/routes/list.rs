//! `GET /spaces/{scope}/+/registries` (or `/spaces/{scope%2F...}/registries`).

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;

use super::AppState;
use super::extract::{Tail, strip_terminator};
use crate::api::model::{Envelope, ListRegistry};
use crate::local::error::ApiError;
use crate::local::service::ListParams;

pub(crate) async fn list(
    State(s): State<AppState>,
    Tail(raw): Tail,
    RawQuery(query): RawQuery,
) -> Result<Json<Envelope<ListRegistry>>, ApiError> {
    let scope = raw
        .strip_suffix("/registries")
        .map(strip_terminator)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no such route"))?;
    let scope = s.service.scope(scope)?;
    let list = s.service.list(scope, parse_query(query.as_deref())).await?;
    Ok(Json(Envelope::success(list)))
}

/// `package_type` may repeat, which serde's urlencoded `Query` cannot express.
fn parse_query(query: Option<&str>) -> ListParams {
    let mut p = ListParams::default();
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let v = v.into_owned();
        match k.as_ref() {
            "package_type" => p.package_types.push(v),
            "type" => p.registry_type = Some(v),
            "page" => p.page = Some(v),
            "size" => p.size = Some(v),
            "search_term" => p.search_term = Some(v),
            "scope" => p.scope = Some(v),
            "sort_field" => p.sort_field = Some(v),
            "sort_order" => p.sort_order = Some(v),
            // accountIdentifier, account_identifier, routingId, recursive...: ignored.
            _ => {}
        }
    }
    p
}
