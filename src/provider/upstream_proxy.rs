//! `har_upstream_proxy`: a HAR upstream proxy (`config.type = UPSTREAM`). Behaviour lives
//! in [`crate::provider::resource`]; this is the schema.

use std::sync::Arc;

use crate::framework::{
    Attribute, RequiresReplace, Schema, UseStateForUnknown, keep_prior_if_equivalent,
};
use crate::provider::registry::{ID_DOC, IDENTIFIER_DOC, ORG_DOC, PROJECT_DOC};
use crate::provider::resource::{HarResource, Kind, Shared};
use crate::rules;

pub fn new(data: Shared) -> Arc<HarResource> {
    HarResource::new(Kind::Proxy, data)
}

pub const SPACE_PATH_DOC: &str =
    "Scope of the secret (`account[/org[/project]]`); unset means the default the server uses.";

pub fn user_password_attrs() -> Vec<Attribute> {
    vec![
        Attribute::string("user_name")
            .required()
            .description("User name at the upstream."),
        Attribute::string("secret_identifier")
            .required()
            .description("Identifier of the Harness secret that holds the password (a reference, never the password)."),
        Attribute::string("secret_space_path")
            .optional()
            .description(SPACE_PATH_DOC),
    ]
}

pub fn access_key_attrs() -> Vec<Attribute> {
    vec![
        Attribute::string("access_key")
            .optional()
            .sensitive()
            .description("AWS access key ID, inline. Exactly one of `access_key` and `access_key_secret_identifier`."),
        Attribute::string("access_key_secret_identifier")
            .optional()
            .description("Identifier of the Harness secret holding the AWS access key ID. Exactly one of `access_key` and `access_key_secret_identifier`."),
        Attribute::string("access_key_secret_space_path")
            .optional()
            .description(SPACE_PATH_DOC),
        Attribute::string("secret_key_identifier")
            .required()
            .description("Identifier of the Harness secret holding the AWS secret access key."),
        Attribute::string("secret_key_space_path")
            .optional()
            .description(SPACE_PATH_DOC),
    ]
}

pub fn schema() -> Schema {
    Schema::new()
        .description(
            "A Harness Artifact Registry upstream proxy (HAR `config.type = UPSTREAM`): a \
             remote registry (Docker Hub, Maven Central, a custom URL, AWS ECR, ...) that \
             registries list in their `upstream_proxies`.",
        )
        .attributes([
            Attribute::string("id")
                .computed()
                .description(ID_DOC)
                .plan(UseStateForUnknown),
            Attribute::string("identifier")
                .required()
                .description(IDENTIFIER_DOC)
                .plan(RequiresReplace),
            Attribute::string("package_type")
                .required()
                .description("Package type (DOCKER, HELM, MAVEN, NPM, ...). Changing it replaces the proxy.")
                .plan(RequiresReplace),
            Attribute::string("org_id")
                .optional()
                .computed()
                .description(ORG_DOC),
            Attribute::string("project_id")
                .optional()
                .computed()
                .description(PROJECT_DOC),
            Attribute::string("description")
                .optional()
                .description("Free text. Unset and `\"\"` are the same to the API."),
            Attribute::string_list("labels")
                .optional()
                .description("Labels. Unset and `[]` are the same."),
            Attribute::string("source")
                .required()
                .description(format!(
                    "Where the proxy pulls from; allowed per package type: {}.",
                    crate::rules::matrix_summary()
                )),
            Attribute::string("url")
                .optional()
                .description(
                    "Remote URL: required for Custom, AwsEcr and HelmChartRepo, not allowed for the public default \
                     sources. Absolute http(s) with a host; a trailing `/` is not a change. For AwsEcr, \
                     the ECR registry host or the ECR console URL (another host is a warning).",
                )
                .plan(keep_prior_if_equivalent(
                    "a trailing `/` is not a change",
                    rules::normalize_url,
                )),
            Attribute::string("auth_type")
                .required()
                .description("Anonymous, UserPassword or AccessKeySecretKey; the matching credential object is required, the other forbidden."),
            Attribute::single_nested("user_password", user_password_attrs())
                .optional()
                .description("Credentials for auth_type = \"UserPassword\" (required then, forbidden otherwise)."),
            Attribute::single_nested("access_key_secret_key", access_key_attrs())
                .optional()
                .description("AWS keys for auth_type = \"AccessKeySecretKey\" (required then, forbidden otherwise)."),
            Attribute::string("uuid")
                .computed()
                .description("The proxy's UUID.")
                .plan(UseStateForUnknown),
            Attribute::string("created_at")
                .computed()
                .description("Creation time, RFC 3339 UTC.")
                .plan(UseStateForUnknown),
        ])
}
