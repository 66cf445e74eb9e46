//! The HAR rules, in one home: used by har-local to answer, and by the provider at plan time,
//! so the two can never disagree (ARCHITECTURE.md).
//!
//! Every check is one function per attribute returning a typed error whose message names what
//! is allowed, so a Terraform validator can call it and show the message as is:
//!
//! | attribute | function |
//! | --- | --- |
//! | identifier | [`check_identifier`] with [`NameLevel::Product`] (provider) or [`NameLevel::Api`] (server) |
//! | package_type | [`PackageType::parse`] |
//! | registry type | [`RegistryType::parse`] |
//! | source | [`Source::parse`], then [`check_source_for`] |
//! | url | [`check_url_for_source`] (presence; [`stored_url_for_source`] on the server), [`check_url`] (shape), [`normalize_url`], [`is_ecr_url`] (warning) |
//! | auth_type | [`AuthType::parse`], then [`check_auth`] |
//! | upstream_proxies | [`check_link`] with [`LinkLevel::Product`] (provider) or [`LinkLevel::Api`] (server) |
//! | firewall_mode | [`check_firewall_mode`] |
//! | metadata_cache_ttl, negative_cache_ttl | [`check_cache_ttl`] |
//! | metadata | [`check_metadata`] (keys, values, at most 49) |
//! | cleanup_policy | [`check_cleanup_entry`] |
//! | scanners | [`ScannerName::parse`] |
//! | debian_config | [`check_debian_config_allowed`], [`IndexCompression::parse`] |
//! | webhook attributes | [`webhook`] |
//! | lifecycle rule attributes | [`lifecycle`] |
//! | org / project of a space ref | [`check_space`] |
//!
//! Sources: `docs/design/har-api.md` §3 (OSS `utils.go`,
//! `registry/app/helpers/pkg/*.go`) and docs/design/product.md ("Names", `har_upstream_proxy`).

mod auth;
mod cache_ttl;
mod cleanup;
mod firewall;
pub mod lifecycle;
mod link;
mod metadata;
mod names;
mod package;
mod scanners;
mod source;
mod space;
mod time;
mod url;
pub mod webhook;

pub(crate) use auth::{AuthError, AuthRefs, AuthType, check_auth};
pub(crate) use cache_ttl::check_cache_ttl;
pub(crate) use cleanup::{CleanupEntry, CleanupError, check_cleanup_entry};
pub(crate) use firewall::{FirewallMode, check_firewall_mode};
pub(crate) use link::{LinkLevel, LinkTarget, check_link};
pub(crate) use metadata::{
    check_metadata, check_metadata_count, check_metadata_key, check_metadata_value,
};
pub(crate) use names::{NameError, NameLevel, check_identifier};
pub(crate) use package::{PackageType, RegistryType};
pub(crate) use scanners::{
    DEFAULT_DEBIAN_ARCHITECTURES, IndexCompression, ScannerName, check_debian_config_allowed,
};
pub(crate) use source::{
    Source, check_source_for, check_url_for_source, matrix_summary, stored_url_for_source,
};
pub(crate) use space::{SpaceLevel, check_space, check_space_segment};
pub(crate) use time::rfc3339_utc;
pub(crate) use url::{check_url, http_url_problem, is_ecr_url, normalize_url};

/// A value outside a closed set (package type, registry type, source, auth type). The message
/// lists what is allowed, and suggests the nearest value when the input is wrong only in case
/// or by a letter or two (`DockerHub` → `Dockerhub`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {value:?}{}; allowed: {}", suggestion_text(.suggestion), .allowed.join(", "))]
pub(crate) struct EnumError {
    /// What the value is, as the API names it: `package type`, `repository type`, ...
    pub what: &'static str,
    pub value: String,
    pub suggestion: Option<&'static str>,
    pub allowed: Vec<&'static str>,
}

fn suggestion_text(s: &Option<&'static str>) -> String {
    match s {
        Some(s) => format!(" (did you mean {s:?}?)"),
        None => String::new(),
    }
}

impl EnumError {
    pub(crate) fn new(what: &'static str, value: &str, allowed: &[&'static str]) -> Self {
        EnumError {
            what,
            value: value.to_string(),
            suggestion: crate::suggest::did_you_mean(value, allowed.iter().copied()),
            allowed: allowed.to_vec(),
        }
    }
}
