//! provider (in progress)

pub mod data_sources;
pub mod diag;
pub mod model;
pub mod online;
pub mod registry;
pub mod resource;
pub mod upstream_proxy;
pub mod validate;
