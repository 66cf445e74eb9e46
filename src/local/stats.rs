//! Call counting: how many requests har-local answered, by method and route, so that a
//! client's API economy can be measured and asserted (calls are behaviour, not timing).
//! `GET /_har-local/stats` answers the counts, `DELETE` answers them and starts again from
//! zero; neither needs the API key, neither is counted or delayed.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Json;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The route answering (and resetting) the counts.
pub(crate) const STATS_PATH: &str = "/_har-local/stats";

/// The counts since start or the last reset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: u64,
    /// `"<METHOD> <route template>"`, e.g. `"GET /registry/{ref}"`.
    pub calls: BTreeMap<String, u64>,
}

/// Shared by every connection; a mutex is enough: one short update per request.
#[derive(Debug, Clone, Default)]
pub struct CallStats {
    counts: Arc<Mutex<Counts>>,
}

impl CallStats {
    pub fn snapshot(&self) -> Counts {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The counts up to now, and zero from here on, in one step.
    pub fn take(&self) -> Counts {
        std::mem::take(&mut *self.counts.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn record(&self, key: String) {
        let mut c = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        c.total += 1;
        *c.calls.entry(key).or_default() += 1;
    }

    /// Counts every request `router` sees and serves [`STATS_PATH`] in front of it.
    pub fn wrap(&self, router: axum::Router) -> axum::Router {
        router.layer(axum::middleware::from_fn_with_state(self.clone(), count))
    }
}

async fn count(State(stats): State<CallStats>, req: Request, next: Next) -> Response {
    if req.uri().path() == STATS_PATH {
        return match *req.method() {
            Method::GET => Json(stats.snapshot()).into_response(),
            Method::DELETE => Json(stats.take()).into_response(),
            _ => axum::http::StatusCode::METHOD_NOT_ALLOWED.into_response(),
        };
    }
    // har-local's own routes (fault counts) are not API calls.
    if !req.uri().path().starts_with("/_har-local/") {
        stats.record(format!(
            "{} {}",
            req.method(),
            route_template(req.uri().path())
        ));
    }
    next.run(req).await
}

/// The route a path belongs to, with the API base stripped (`/v3` kept for the v3 API) and
/// the variable parts named: `/gateway/har/api/v1/registry/a/o/p/r/+` → `/registry/{ref}`.
pub fn route_template(path: &str) -> &'static str {
    let route = if let Some(rest) = strip_base(path, "v1") {
        v1_route(&segments(rest))
    } else if let Some(rest) = strip_base(path, "v3") {
        v3_route(&segments(rest))
    } else {
        None
    };
    route.unwrap_or("other")
}

fn segments(rest: &str) -> Vec<&str> {
    rest.split('/').filter(|s| !s.is_empty()).collect()
}

fn strip_base<'a>(path: &'a str, version: &str) -> Option<&'a str> {
    ["/api/", "/gateway/har/api/"].iter().find_map(|base| {
        path.strip_prefix(base)?
            .strip_prefix(version)
            .filter(|r| r.is_empty() || r.starts_with('/'))
    })
}

fn v1_route(segs: &[&str]) -> Option<&'static str> {
    match segs {
        ["registry"] => Some("/registry"),
        ["spaces", .., "registries"] => Some("/spaces/{scope}/registries"),
        ["registry", rest @ ..] => {
            // Webhooks hang below the registry reference: `<ref>/+/webhooks[/<id>]` (SaaS
            // form) or `<%2F-encoded ref>/webhooks[/<id>]` (OSS form), as routes/webhook.rs reads it.
            let tail = match rest.iter().position(|s| *s == "+") {
                Some(plus) => &rest[plus + 1..],
                None => rest.get(1..).unwrap_or_default(),
            };
            match tail {
                ["webhooks"] => Some("/registry/{ref}/webhooks"),
                ["webhooks", _] => Some("/registry/{ref}/webhooks/{id}"),
                _ => Some("/registry/{ref}"),
            }
        }
        _ => None,
    }
}

fn v3_route(segs: &[&str]) -> Option<&'static str> {
    match segs {
        ["registries", _, "metadata"] => Some("/v3/registries/{uuid}/metadata"),
        ["lifecycle", "rules"] => Some("/v3/lifecycle/rules"),
        ["lifecycle", "rules", _] => Some("/v3/lifecycle/rules/{id}"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::route_template;

    #[test]
    fn paths_map_to_their_route() {
        for (path, want) in [
            ("/gateway/har/api/v1/registry", "/registry"),
            ("/api/v1/registry", "/registry"),
            (
                "/gateway/har/api/v1/registry/acct/org/proj/reg/+",
                "/registry/{ref}",
            ),
            ("/api/v1/registry/acct%2Freg/+", "/registry/{ref}"),
            ("/api/v1/registry/acct/webhooks/+", "/registry/{ref}"),
            (
                "/gateway/har/api/v1/registry/acct/reg/+/webhooks",
                "/registry/{ref}/webhooks",
            ),
            (
                "/gateway/har/api/v1/registry/acct/reg/+/webhooks/hook1",
                "/registry/{ref}/webhooks/{id}",
            ),
            (
                "/api/v1/registry/acct%2Freg/webhooks/hook1",
                "/registry/{ref}/webhooks/{id}",
            ),
            (
                "/gateway/har/api/v1/spaces/acct/org/+/registries",
                "/spaces/{scope}/registries",
            ),
            (
                "/gateway/har/api/v3/registries/1f0e/metadata",
                "/v3/registries/{uuid}/metadata",
            ),
            ("/api/v3/lifecycle/rules", "/v3/lifecycle/rules"),
            ("/api/v3/lifecycle/rules/r1", "/v3/lifecycle/rules/{id}"),
            ("/api/v1x/registry", "other"),
            ("/favicon.ico", "other"),
            ("/api/v3/registries", "other"),
        ] {
            assert_eq!(route_template(path), want, "{path}");
        }
    }
}
