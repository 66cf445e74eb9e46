//! terraform-provider-har: a Terraform provider for Harness Artifact Registry, and
//! har-local, an offline HAR-compatible API server.
//!
//! Layers, data flowing downward only (see DESIGN.md):
//! `plugin` (go-plugin handshake, TLS, services) → `protocol` (tfplugin6 types, value codec,
//! schema, diagnostics) → `framework` (resource traits, validators, plan modifiers) →
//! `provider` (har_* resources) → `rules` (HAR rules) and `api` (HAR client). `local` is
//! har-local, built on `rules` and the `api` wire models.

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
