//! Tests that drive the real `terraform` (1.11 on PATH; 1.0.3 for terraform_compat) against
//! the provider binary and a real har-local on a real SQLite file: one binary, a module per
//! area, so the crate is linked once. Run one area with `cargo test --test acceptance registry::`.

#[path = "../support/mod.rs"]
mod support;

mod api_calls;
mod bad_config;
mod client_failures;
mod data_sources;
mod default_scope;
mod drift;
mod examples;
mod fields;
mod guides;
mod import;
mod install;
mod lifecycle_rule;
mod link;
mod linked_proxy;
mod logs;
mod migrate;
mod module_example;
mod package;
mod registry;
mod reliability_bad_inputs;
mod reliability_faults;
mod reliability_interrupt;
mod reliability_parallelism;
mod terraform_compat;
mod terraform_framework;
mod terraform_provider;
mod upstream_proxy;
mod webhook;
