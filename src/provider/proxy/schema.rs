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
                .description(
                    "Where the proxy pulls from; allowed per package type: DOCKER Dockerhub/Custom/AwsEcr; \
                     HELM Custom; MAVEN MavenCentral/Custom; NPM NpmJs/Custom; PYTHON PyPi/Custom; \
                     NUGET NugetOrg/Custom; CARGO Crates/Custom; GO GoProxy/Custom; GENERIC, RPM Custom.",
                ),
            Attribute::string(a.url)
                .optional()
                .description(
                    "Remote URL: required for Custom and AwsEcr, not allowed for the public default \
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
            attrs::computed(a.uuid, "The proxy's UUID."),
            attrs::created_at(a.created_at),
        ]);
    auth::rules(schema)
}
