//! Tests that run in this process or start only our own binaries (no terraform): the API
//! client, the codecs, the gRPC server, har-local's contract and durability, the docs and the
//! repository rules. One binary, a module per area: `cargo test --test inprocess docs::`.

#[path = "../support/mod.rs"]
mod support;

mod api_client;
mod codec_props;
mod docs;
mod fuzz_regressions;
mod handshake;
mod local_abuse;
mod local_concurrency;
mod local_contract;
mod local_durability;
mod local_fields;
mod local_search;
mod local_stats;
mod local_webhooks_lifecycle;
mod plugin_mtls;
mod protocol_grpc;
mod repository;
