//! Every error har-local answers: `{"code":"<http status>","message":"..."}` (docs/design/har-api.md §2.5),
//! JSON everywhere, including axum's own rejections (bad JSON, body too large, unknown route).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::store::StoreError;
use crate::api::model::ErrorBody;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {message}")]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.status.as_u16().to_string(),
            message: self.message,
            details: None,
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            // The real OSS answers PUT/DELETE of an unknown registry with 400; har-local answers
            // 404 everywhere (documented in docs/api/har-local.openapi.yaml), with the OSS
            // message prefix so clients matching on "not found" work with both.
            StoreError::NotFound(_) => ApiError::new(StatusCode::NOT_FOUND, e.to_string()),
            StoreError::Duplicate { .. }
            | StoreError::Immutable(_)
            | StoreError::Cycle(_)
            | StoreError::InUse { .. } => ApiError::bad_request(e.to_string()),
            StoreError::Db(_) | StoreError::Corrupt(_) | StoreError::Closed => {
                tracing::error!(error = %e, "store failure");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
            }
        }
    }
}
