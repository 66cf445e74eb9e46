//! har-local as a library: an offline, HAR-compatible registry API server with SQLite inside
//! (docs/design/product.md "har-local", contract: docs/design/har-api.md §6).
//!
//! `routes` (axum) → `service` (the rules and API behaviours) → `store` (SQLite).

pub(crate) mod error;
pub mod faults;
pub mod latency;
pub(crate) mod lifecycle_service;
pub(crate) mod lifecycle_store;
pub mod limits;
mod listener;
pub(crate) mod routes;
pub(crate) mod service;
pub mod stats;
pub(crate) mod store;
pub(crate) mod webhook_service;
pub(crate) mod webhook_store;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

pub use latency::Latency;
pub use limits::Limits;
pub use routes::{AppState, router};
pub use store::{DbLocation, Durability, Store, StoreError};

/// Base of virtual registries' pull URLs when none is given: stable across restarts and
/// ports (a computed `url` that moved with the port would show as drift in Terraform).
pub const DEFAULT_PKG_BASE_URL: &str = "http://pkg.har-local.test";

#[derive(Debug, Clone)]
pub struct Config {
    pub db: DbLocation,
    pub durability: Durability,
    pub api_key: String,
    pub account: String,
    pub pkg_base_url: String,
    /// Added to every answer (`--latency-ms`), to simulate a distant API.
    pub latency: Latency,
}

/// Opens the store (running migrations) and builds the state the routes share.
pub fn open(config: &Config) -> Result<AppState, StoreError> {
    let store = Arc::new(Store::open(&config.db, config.durability)?);
    let service = service::Service::new(store, config.account.clone(), config.pkg_base_url.clone());
    Ok(AppState {
        service: Arc::new(service),
        api_key: Arc::from(config.api_key.as_str()),
        stats: stats::CallStats::default(),
        latency: config.latency,
    })
}

/// Serves [`router`] under `limits` until `shutdown` resolves, lets running requests
/// finish, then closes the store (the writer drains its queue first).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state.clone());
    serve_app(listener, app, &state, limits, shutdown).await
}

/// Like [`serve`], for a router wrapped in extra layers (e.g. fault injection:
/// `serve_app(listener, faults.wrap(router(state.clone())), &state, limits, shutdown)`).
pub async fn serve_app(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    state: &AppState,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = Arc::clone(state.service.store());
    // Counting outermost, so a call is counted whatever a fault or the delay does to it.
    let app = state.stats.wrap(state.latency.wrap(app));
    let result = listener::serve(listener, app, limits, shutdown).await;
    store.shutdown();
    result
}

/// An API key har-local can check: not empty, no commas (a comma separates repeated
/// `x-api-key` values, so such a key could never match) and no whitespace (trimmed away).
pub fn check_api_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("the API key is empty".into());
    }
    if key.contains(',') || key.chars().any(char::is_whitespace) {
        return Err(
            "the API key must not contain commas or whitespace: clients send it in the \
             x-api-key header, where a comma separates values and spaces are trimmed"
                .into(),
        );
    }
    Ok(())
}

/// The address a `--listen` value names; `localhost` is loopback.
pub fn parse_listen(s: &str) -> Result<SocketAddr, String> {
    let s = s.replace("localhost", "127.0.0.1");
    s.parse()
        .map_err(|_| format!("--listen takes HOST:PORT, e.g. 127.0.0.1:8787, got {s:?}"))
}
