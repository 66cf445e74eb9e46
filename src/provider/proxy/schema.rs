//! The `har_upstream_proxy` schema, built from the model's attribute names.

use super::auth;
use super::model::{AccessKeys, ProxyModel, UserPassword};
use crate::framework::{Attribute, RequiresReplace, Schema, keep_prior_if_equivalent};
use crate::provider::attrs;
use crate::rules;

const SPACE_PATH_DOC: &str =
    "Scope of the secret (`account[/org[/project]]`); unset means the default the server uses.";

fn user_password_attrs() -> Vec<Attribute> {
    let a = UserPassword::ATTR;
    vec![
        Attribute::string(a.user_name)
            .required()
            .description("User name at the upstream."),
        Attribute::string(a.secret_identifier)
            .required()
            .description("Identifier of the Harness secret that holds the password (a reference, never the password)."),
        Attribute::string(a.secret_space_path)
            .optional()
            .description(SPACE_PATH_DOC),
    ]
}

fn access_key_attrs() -> Vec<Attribute> {
    let a = AccessKeys::ATTR;
    vec![
        Attribute::string(a.access_key)
            .optional()
            .sensitive()
            .description("AWS access key ID, inline. Exactly one of `access_key` and `access_key_secret_identifier`."),
        Attribute::string(a.access_key_secret_identifier)
            .optional()
            .description("Identifier of the Harness secret holding the AWS access key ID. Exactly one of `access_key` and `access_key_secret_identifier`."),
        Attribute::string(a.access_key_secret_space_path)
            .optional()
            .description(SPACE_PATH_DOC),
        Attribute::string(a.secret_key_identifier)
            .required()
            .description("Identifier of the Harness secret holding the AWS secret access key."),
        Attribute::string(a.secret_key_space_path)
            .optional()
            .description(SPACE_PATH_DOC),
    ]
}

pub(crate) fn schema() -> Schema {
    let a = ProxyModel::ATTR;
    let schema = Schema::new()
        .description(
            "A Harness Artifact Registry upstream proxy (HAR `config.type = UPSTREAM`): a \
             remote registry (Docker Hub, Maven Central, a custom URL, AWS ECR, ...) that \
             registries list in their `upstream_proxies`.",
        )
        .attributes([
            attrs::id(a.id),
            attrs::identifier(a.identifier),
            Attribute::string(a.package_type)
                .required()
                .description("Package type (DOCKER, HELM, MAVEN, NPM, ...). Changing it replaces the proxy.")
                .plan_modifier(RequiresReplace),
            attrs::org_id(a.org_id),
            attrs::project_id(a.project_id),
            attrs::description(a.description),
            attrs::string_list(a.labels, "Labels. Unset and `[]` are the same."),
            Attribute::string(a.source)
                .required()
                .description(format!(
                    "Where the proxy pulls from; allowed per package type: {}.",
                    crate::rules::matrix_summary()
                )),
            Attribute::string(a.url)
                .optional()
                .description(
                    "Remote URL: required for Custom, AwsEcr and HelmChartRepo, not allowed for the public default \
                     sources. Absolute http(s) with a host; a trailing `/` is not a change. For AwsEcr, \
                     the ECR registry host or the ECR console URL (another host is a warning).",
                )
                .plan_modifier(keep_prior_if_equivalent(
                    "a trailing `/` is not a change",
                    rules::normalize_url,
                )),
            Attribute::string(a.auth_type)
                .required()
                .description("Anonymous, UserPassword or AccessKeySecretKey; the matching credential object is required, the other forbidden."),
            Attribute::single_nested(a.user_password, user_password_attrs())
                .optional()
                .description("Credentials for auth_type = \"UserPassword\" (required then, forbidden otherwise)."),
            Attribute::single_nested(a.access_key_secret_key, access_key_attrs())
                .optional()
                .description("AWS keys for auth_type = \"AccessKeySecretKey\" (required then, forbidden otherwise)."),
            attrs::is_public(a.is_public),
            Attribute::string(a.firewall_mode)
                .optional()
                .description(
                    "Dependency firewall mode (API `firewallMode`): ALLOW (no policy evaluation; \
                     the default, so unset and ALLOW are the same), ENABLED (artifacts are \
                     evaluated against policies) or QUARANTINE (artifacts that fail are \
                     blocked). Not for DOCKER or HELM proxies.",
                ),
            Attribute::string(a.remote_url_suffix)
                .optional()
                .description(
                    "Path suffix appended to the remote URL (API `remoteUrlSuffix`), e.g. for \
                     PyPI-style indexes. Surrounding `/` are not a change; unset and `\"\"` \
                     are the same.",
                ),
            Attribute::int64(a.metadata_cache_ttl)
                .optional()
                .description(
                    "Seconds a found metadata answer of the remote is cached (API \
                     `metadataCacheTTL`), 0 to 604800; MAVEN proxies only. Unset and 0 are the \
                     same.",
                ),
            Attribute::int64(a.negative_cache_ttl)
                .optional()
                .description(
                    "Seconds a not-found answer of the remote is cached (API \
                     `negativeCacheTTL`), 0 to 604800; MAVEN proxies only. Unset and 0 are the \
                     same.",
                ),
            crate::provider::metadata::attribute(a.metadata),
            attrs::computed(a.uuid, "The proxy's UUID."),
            attrs::created_at(a.created_at),
        ]);
    auth::rules(schema)
}
