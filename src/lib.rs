//! terraform-provider-har: a Terraform provider for Harness Artifact Registry, and
//! har-local, an offline HAR-compatible API server.
//!
//! Layers, each importing only those below it (ARCHITECTURE.md): `plugin` (go-plugin
//! handshake, TLS, services) wires the framework's server into gRPC; `provider` (har_*
//! resources) is written against `framework` (resource traits, validators, plan modifiers,
//! and the server that implements the tfplugin6 service); `framework` builds on `protocol`
//! (tfplugin6 types, value codec, schema, diagnostics), which imports nothing above it.
//! `provider` uses `rules` (HAR rules) and `api` (HAR client). `local` is har-local, built
//! on `rules` and the `api` wire models.

pub mod api;
pub mod docs;
pub mod framework;
pub mod local;
pub mod migrate;
pub mod plugin;
pub mod protocol;
pub mod provider;
pub(crate) mod rules;
mod suggest;
