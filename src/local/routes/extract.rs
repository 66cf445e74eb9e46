//! Extractors and the API-key middleware. Every axum rejection is turned into the JSON error
//! body, so a client never sees a text/plain answer.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::AppState;
use crate::local::error::ApiError;

/// Larger request bodies are refused with 413.
pub(crate) const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON body: malformed → 400, too large → 413, unknown fields ignored. The content type is
/// not checked (the Go server does not check it either).
pub(crate) struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("request body is larger than {MAX_BODY_BYTES} bytes"),
                )
            } else {
                ApiError::new(r.status(), r.body_text())
            }
        })?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::bad_request(format!("can't decode JSON body: {e}")))
    }
}

/// The wildcard tail of a route, percent-decoded (so `acct%2Forg%2Freg` arrives as
/// `acct/org/reg`), with the `/+` terminator of the raw-slash form removed.
pub(crate) struct Tail(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Tail {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        Ok(Tail(raw))
    }
}

pub(crate) fn strip_terminator(s: &str) -> &str {
    s.strip_suffix("/+").unwrap_or(s)
}

/// `x-api-key` on every request; repeated identical values are fine (the official provider
/// sends the key twice, docs/design/har-api.md §1.2).
pub(crate) async fn require_api_key(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let mut seen = false;
    let mut all_match = true;
    for value in req.headers().get_all("x-api-key") {
        for part in value.as_bytes().split(|b| *b == b',') {
            seen = true;
            all_match &= constant_time_eq(part.trim_ascii(), state.api_key.as_bytes());
        }
    }
    if !seen || !all_match {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing or wrong x-api-key header: send the API key har-local was started with",
        )
        .into_response();
    }
    next.run(req).await
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
