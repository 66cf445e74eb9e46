//! The `har_registry` schema, built from the model's attribute names.

use super::model::RegistryModel;
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
            attrs::computed(a.url, "The registry's pull URL."),
            attrs::computed(a.uuid, "The registry's UUID."),
            attrs::created_at(a.created_at),
        ])
}
