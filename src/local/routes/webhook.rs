//! Registry webhooks, in both path forms, sharing the `/registry/{*rest}` route with the
//! registry handlers (a wildcard can only end a route, so one handler per method looks at the
//! path and dispatches):
//!
//! * SaaS: `/registry/<account>[/<org>[/<project>]]/<registry>/+/webhooks[/<identifier>]`
//! * OSS: `/registry/<%2F-encoded registry ref>/webhooks[/<identifier>]`
//!
//! Anything else under `/registry/` is a registry path.

use axum::Json;
use axum::extract::{FromRequest, RawQuery, Request, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::extract::{JsonBody, Tail};
use super::registry;
use crate::api::model::webhook::WebhookRequest;
use crate::api::model::{Envelope, RegistryRequest};
use crate::local::error::ApiError;
use crate::local::webhook_service::{self as hooks, ListParams};

/// What a path under `/registry/` names.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    Registry,
    /// `.../webhooks` of the registry ref.
    Webhooks(String),
    /// One webhook: registry ref, identifier.
    Webhook(String, String),
}

/// Percent-decodes one path segment (`+` stays `+`: this is a path, not a form).
fn decode(segment: &str) -> Result<String, ApiError> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    ApiError::bad_request(format!("bad percent-encoding in {segment:?}"))
                })?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ApiError::bad_request("path is not UTF-8"))
}

/// Reads the raw (still encoded) path, so that an encoded `/` inside the OSS form's single
/// ref segment is told apart from a real one.
fn target(uri: &Uri) -> Result<Target, ApiError> {
    target_for(uri, false)
}

/// `post`: nothing but webhooks is created under `/registry/...`, so `X/webhooks` is the
/// webhook list of `X` even when `X` has no `/` (and is then refused as a bad ref).
fn target_for(uri: &Uri, post: bool) -> Result<Target, ApiError> {
    let path = uri.path();
    let Some(at) = path.find("/registry/") else {
        return Ok(Target::Registry);
    };
    let segs: Vec<&str> = path[at + "/registry/".len()..].split('/').collect();
    let no_route = || ApiError::new(StatusCode::NOT_FOUND, "no such route");
    if let Some(plus) = segs.iter().position(|s| *s == "+") {
        let reference = segs[..plus]
            .iter()
            .map(|s| decode(s))
            .collect::<Result<Vec<_>, _>>()?
            .join("/");
        return match &segs[plus + 1..] {
            [] => Ok(Target::Registry),
            ["webhooks"] => Ok(Target::Webhooks(reference)),
            ["webhooks", id] if !id.is_empty() => Ok(Target::Webhook(reference, decode(id)?)),
            _ => Err(no_route()),
        };
    }
    if segs.len() >= 2 && segs[1] == "webhooks" {
        let reference = decode(segs[0])?;
        // A registry ref always has a `/` (account and identifier); without one this is the
        // registry `webhooks` itself.
        if post || reference.contains('/') {
            return match &segs[2..] {
                [] => Ok(Target::Webhooks(reference)),
                [id] if !id.is_empty() => Ok(Target::Webhook(reference, decode(id)?)),
                _ => Err(no_route()),
            };
        }
    }
    Ok(Target::Registry)
}

fn method_not_allowed() -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed on this route",
    )
    .into_response()
}

fn answer<T: serde::Serialize>(status: StatusCode, r: Result<T, ApiError>) -> Response {
    match r {
        Ok(data) => (status, Json(Envelope::success(data))).into_response(),
        Err(e) => e.into_response(),
    }
}

fn parse_list_query(query: Option<&str>) -> ListParams {
    let mut p = ListParams::default();
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let v = Some(v.into_owned());
        match k.as_ref() {
            "page" => p.page = v,
            "size" => p.size = v,
            "search_term" => p.search_term = v,
            "sort_field" => p.sort_field = v,
            "sort_order" => p.sort_order = v,
            _ => {}
        }
    }
    p
}

pub async fn get(
    State(s): State<AppState>,
    uri: Uri,
    tail: Tail,
    RawQuery(query): RawQuery,
) -> Response {
    match target(&uri) {
        Ok(Target::Registry) => registry::get(State(s), tail).await.into_response(),
        Ok(Target::Webhooks(r)) => {
            let r = async {
                let reference = s.service.registry_ref(&r)?;
                hooks::list(&s.service, reference, parse_list_query(query.as_deref())).await
            };
            answer(StatusCode::OK, r.await)
        }
        Ok(Target::Webhook(r, id)) => {
            let r = async {
                let reference = s.service.registry_ref(&r)?;
                hooks::get(&s.service, reference, id).await
            };
            answer(StatusCode::OK, r.await)
        }
        Err(e) => e.into_response(),
    }
}

pub async fn post(State(s): State<AppState>, uri: Uri, req: Request) -> Response {
    match target_for(&uri, true) {
        Ok(Target::Webhooks(r)) => {
            let r = async {
                let reference = s.service.registry_ref(&r)?;
                let JsonBody(body) = JsonBody::<WebhookRequest>::from_request(req, &s).await?;
                hooks::create(&s.service, reference, body).await
            };
            answer(StatusCode::CREATED, r.await)
        }
        Ok(_) => method_not_allowed(),
        Err(e) => e.into_response(),
    }
}

pub async fn put(State(s): State<AppState>, uri: Uri, tail: Tail, req: Request) -> Response {
    match target(&uri) {
        Ok(Target::Registry) => match JsonBody::<RegistryRequest>::from_request(req, &s).await {
            Ok(body) => registry::update(State(s), tail, body).await.into_response(),
            Err(e) => e.into_response(),
        },
        Ok(Target::Webhook(r, id)) => {
            let r = async {
                let reference = s.service.registry_ref(&r)?;
                let JsonBody(body) = JsonBody::<WebhookRequest>::from_request(req, &s).await?;
                hooks::update(&s.service, reference, id, body).await
            };
            // PUT answers 201, as the API documents (UpdateWebhook201JSONResponse).
            answer(StatusCode::CREATED, r.await)
        }
        Ok(Target::Webhooks(_)) => method_not_allowed(),
        Err(e) => e.into_response(),
    }
}

pub async fn delete(State(s): State<AppState>, uri: Uri, tail: Tail) -> Response {
    match target(&uri) {
        Ok(Target::Registry) => registry::delete(State(s), tail).await.into_response(),
        Ok(Target::Webhook(r, id)) => {
            let r = async {
                let reference = s.service.registry_ref(&r)?;
                hooks::delete(&s.service, reference, id).await
            };
            match r.await {
                Ok(()) => (StatusCode::OK, Json(Envelope::empty())).into_response(),
                Err(e) => e.into_response(),
            }
        }
        Ok(Target::Webhooks(_)) => method_not_allowed(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(path: &str) -> Target {
        target(&path.parse::<Uri>().unwrap()).unwrap()
    }

    #[test]
    fn both_path_forms() {
        assert_eq!(t("/registry/acct/org/docker/+"), Target::Registry);
        assert_eq!(t("/registry/acct%2Forg%2Fdocker"), Target::Registry);
        assert_eq!(t("/registry/acct/webhooks/+"), Target::Registry);
        assert_eq!(t("/registry/acct/webhooks"), Target::Registry);
        assert_eq!(
            t("/registry/acct/org/docker/+/webhooks"),
            Target::Webhooks("acct/org/docker".into())
        );
        assert_eq!(
            t("/registry/acct/docker/+/webhooks/notify"),
            Target::Webhook("acct/docker".into(), "notify".into())
        );
        assert_eq!(
            t("/registry/acct%2Forg%2Fdocker/webhooks"),
            Target::Webhooks("acct/org/docker".into())
        );
        assert_eq!(
            t("/registry/acct%2Fdocker/webhooks/notify"),
            Target::Webhook("acct/docker".into(), "notify".into())
        );
        assert!(target(&"/registry/acct/docker/+/other".parse().unwrap()).is_err());
    }
}
