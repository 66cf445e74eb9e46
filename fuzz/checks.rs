//! What each fuzz target does with its input, shared by the targets (fuzz/fuzz_targets/)
//! and the regression tests (tests/fuzz_regressions.rs), so a crash input replays the same
//! code in the normal test suite. Each function panics only on a bug: decoders must return
//! errors, not panic, and what decodes must survive an encode/decode round trip.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use terraform_provider_har::api::model::{Envelope, ErrorBody, ListRegistry, Registry};
use terraform_provider_har::api::refs::{RegistryRef, Scope};
use terraform_provider_har::protocol::value::{Type, json, msgpack};

/// A type for the input's first byte: the shapes Terraform sends (provider and resource
/// objects with nested blocks, collections, dynamic values).
fn pick_type(selector: u8) -> Type {
    let obj = |attrs: Vec<(&str, Type)>, optional: &[&str]| Type::Object {
        attrs: attrs
            .into_iter()
            .map(|(k, t)| (k.to_string(), t))
            .collect::<BTreeMap<_, _>>(),
        optional: optional
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>(),
    };
    match selector % 10 {
        0 => Type::String,
        1 => Type::Number,
        2 => Type::Bool,
        3 => Type::Dynamic,
        4 => Type::List(Box::new(Type::String)),
        5 => Type::Set(Box::new(Type::Number)),
        6 => Type::Map(Box::new(Type::Dynamic)),
        7 => Type::Tuple(vec![Type::String, Type::Bool, Type::Dynamic]),
        8 => obj(
            vec![
                ("id", Type::String),
                ("count", Type::Number),
                (
                    "nested",
                    Type::List(Box::new(obj(
                        vec![
                            ("a", Type::String),
                            ("b", Type::Set(Box::new(Type::String))),
                        ],
                        &[],
                    ))),
                ),
            ],
            &["count"],
        ),
        _ => obj(
            vec![
                (
                    "map",
                    Type::Map(Box::new(Type::List(Box::new(Type::Number)))),
                ),
                ("dyn", Type::Dynamic),
            ],
            &[],
        ),
    }
}

/// cty msgpack, as in every DynamicValue Terraform sends.
pub fn cty_msgpack(data: &[u8]) {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let ty = pick_type(sel);
    if let Ok(value) = msgpack::decode(bytes, &ty) {
        let again = msgpack::encode(&value, &ty).expect("a decoded value encodes");
        let back = msgpack::decode(&again, &ty).expect("an encoded value decodes");
        assert_eq!(back, value, "msgpack round trip");
    }
}

/// cty JSON (state upgrades, import, DynamicValue.json).
pub fn cty_json(data: &[u8]) {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let ty = pick_type(sel);
    if let Ok(value) = json::decode(bytes, &ty) {
        // JSON cannot carry unknown values, so re-encoding may refuse; it must not panic.
        if let Ok(again) = json::encode(&value, &ty) {
            let back = json::decode(&again, &ty).expect("an encoded value decodes");
            assert_eq!(back, value, "JSON round trip");
        }
    }
}

/// What the API client decodes from a HAR server: registry and list envelopes, error bodies,
/// and the refs inside them.
pub fn api_response(data: &[u8]) {
    if let Ok(env) = serde_json::from_slice::<Envelope<Registry>>(data) {
        let _ = serde_json::to_vec(&env).expect("re-encodes");
    }
    if let Ok(env) = serde_json::from_slice::<Envelope<ListRegistry>>(data) {
        let _ = serde_json::to_vec(&env).expect("re-encodes");
    }
    let _ = serde_json::from_slice::<ErrorBody>(data);
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(r) = RegistryRef::parse(s) {
            assert_eq!(
                RegistryRef::parse(&r.to_string()).as_ref(),
                Ok(&r),
                "ref round trip"
            );
        }
        let _ = Scope::parse(s);
    }
}

const KEY: &str = "fuzz-key";

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    })
}

fn app() -> axum::Router {
    static STATE: OnceLock<terraform_provider_har::local::AppState> = OnceLock::new();
    let state = STATE.get_or_init(|| {
        // The store's writer is spawned on the runtime: open it inside.
        let _guard = runtime().enter();
        terraform_provider_har::local::open(&terraform_provider_har::local::Config {
            db: terraform_provider_har::local::DbLocation::Memory,
            durability: terraform_provider_har::local::Durability::Normal,
            api_key: KEY.into(),
            account: "acct".into(),
            pkg_base_url: terraform_provider_har::local::DEFAULT_PKG_BASE_URL.into(),
            latency: Default::default(),
        })
        .expect("in-memory store")
    });
    terraform_provider_har::local::router(state.clone())
}

/// har-local's request handling: a request made of the input (method, path, query, body)
/// through the router over an in-memory store. Every answer must be JSON; no 500.
pub fn har_local_request(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let method = ["GET", "POST", "PUT", "DELETE", "PATCH"][usize::from(sel % 5)];
    // Path up to the first newline, body after it.
    let (path, body) = match rest.iter().position(|b| *b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let prefix = if sel & 0x80 == 0 {
        "/api/v1"
    } else {
        "/gateway/har/api/v1"
    };
    let uri = format!("{prefix}{}", String::from_utf8_lossy(path));
    let Ok(req) = axum::http::Request::builder()
        .method(method)
        .uri(&uri)
        .header("x-api-key", KEY)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_vec()))
    else {
        return;
    };
    let app = app();
    runtime().block_on(async move {
        use tower::ServiceExt;
        let response = app.oneshot(req).await.expect("infallible");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 16 << 20)
            .await
            .expect("body");
        assert_ne!(status.as_u16(), 500, "500 for {method} {uri}: {bytes:?}");
        let _: serde_json::Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("non-JSON answer for {method} {uri}: {e}: {bytes:?}"));
    });
}
