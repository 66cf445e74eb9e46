//! The `har_registry` schema, built from the model's attribute names.

use super::model::{CleanupPolicyModel, DebianConfigModel, RegistryModel};
use crate::framework::{Attribute, RequiresReplace, Schema};
use crate::provider::attrs;

pub(crate) fn schema() -> Schema {
    let a = RegistryModel::ATTR;
    Schema::new()
        .description(
            "A Harness Artifact Registry registry (HAR `config.type = VIRTUAL`) that serves \
             artifacts and resolves misses through an ordered list of upstream proxies.",
        )
        .attributes([
            attrs::id(a.id),
            attrs::identifier(a.identifier),
            Attribute::string(a.package_type)
                .required()
                .description(
                    "Package type: DOCKER, HELM, MAVEN, NPM, PYTHON, GENERIC, NUGET, RPM, CARGO, \
                     GO, ... (exact, upper case). Changing it replaces the registry.",
                )
                .plan_modifier(RequiresReplace),
            attrs::org_id(a.org_id),
            attrs::project_id(a.project_id),
            attrs::description(a.description),
            attrs::string_list(a.labels, "Labels. Unset and `[]` are the same."),
            attrs::string_list(
                a.allowed_pattern,
                "Artifact name patterns the registry accepts. Unset and `[]` are the same.",
            ),
            attrs::string_list(
                a.blocked_pattern,
                "Artifact name patterns the registry refuses. Unset and `[]` are the same.",
            ),
            Attribute::string_list(a.upstream_proxies)
                .optional()
                .description(
                    "Identifiers of upstream proxies, in resolution order (order matters; a \
                     reorder is an update). No duplicates; each must be an upstream proxy of the \
                     same package type in the registry's scope or a parent scope. A proxy that \
                     does not exist yet is fine at plan time (it may be created by the same \
                     apply); the apply fails, naming it, if the server drops it.",
                ),
            attrs::is_public(a.is_public),
            Attribute::string_list(a.scanners).optional().description(
                "Security scanners run on every artifact taken in (API `scanners`): \
                     AQUA_TRIVY, GRYPE. Unset and `[]` are the same.",
            ),
            attrs::string_list(
                a.policy_refs,
                "References to policy sets evaluated on ingested artifacts (API `policyRefs`). \
                 Unset and `[]` are the same.",
            ),
            Attribute::list_nested(a.cleanup_policy, cleanup_attrs())
                .optional()
                .description(
                    "Cleanup policies (API `cleanupPolicy`); every field of each is required. \
                     The API does not store them on create, so the provider follows a create \
                     with one PUT. Unset and `[]` are the same.",
                ),
            Attribute::single_nested(a.debian_config, debian_attrs())
                .optional()
                .description(
                    "Index settings of a DEBIAN registry (API `config.debianConfig`); DEBIAN \
                     only. Unset means the server's defaults (architectures amd64, i386, \
                     arm64; no extra compression).",
                ),
            attrs::computed(a.url, "The registry's pull URL."),
            crate::provider::metadata::attribute(a.metadata),
            attrs::computed(a.uuid, "The registry's UUID."),
            attrs::created_at(a.created_at),
        ])
}

fn cleanup_attrs() -> Vec<Attribute> {
    let a = CleanupPolicyModel::ATTR;
    vec![
        Attribute::string(a.name)
            .required()
            .description("Policy name."),
        Attribute::int64(a.expire_days)
            .required()
            .description("Days after which matching versions are cleaned up (more than 0)."),
        Attribute::string_list(a.package_prefix)
            .required()
            .description("Package name prefixes the policy applies to (at least one)."),
        Attribute::string_list(a.version_prefix)
            .required()
            .description("Version prefixes the policy applies to (at least one)."),
    ]
}

fn debian_attrs() -> Vec<Attribute> {
    let a = DebianConfigModel::ATTR;
    vec![
        Attribute::string_list(a.remote_indexed_architectures)
            .optional()
            .description("Architectures indexed from upstream proxies, e.g. amd64, arm64."),
        Attribute::string_list(a.optional_index_compression_formats)
            .optional()
            .description("Extra index compressions besides `.gz`: `.xz`."),
    ]
}
