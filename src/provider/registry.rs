//! `har_registry`: a HAR registry (`config.type = VIRTUAL`) and its ordered list of
//! upstream proxies. Behaviour lives in [`crate::provider::resource`]; this is the schema.

use std::sync::Arc;

use crate::framework::{Attribute, RequiresReplace, Schema, UseStateForUnknown};
use crate::provider::resource::{HarResource, Kind, Shared};

pub const IDENTIFIER_DOC: &str = "Name: starts with a letter; lowercase letters, digits, `_`, `.` and `-`, no separator at the end or two in a row, at most 255 characters. Unique across the whole Harness account, whatever the scope. Changing it replaces the object.";
pub const ORG_DOC: &str = "Harness org the object lives in. Defaults to the provider's `org_id`; the plan shows the value used. Changing it replaces the object.";
pub const PROJECT_DOC: &str = "Harness project (inside `org_id`) the object lives in. Defaults to the provider's `project_id` when `org_id` is not set here either (so `org_id` alone means the org level). Needs an org. Changing it replaces the object.";
pub const ID_DOC: &str =
    "The registry ref `<account>[/<org>[/<project>]]/<identifier>`; also the import ID.";

pub fn new(data: Shared) -> Arc<HarResource> {
    HarResource::new(Kind::Registry, data)
}

pub fn schema() -> Schema {
    Schema::new()
        .description(
            "A Harness Artifact Registry registry (HAR `config.type = VIRTUAL`) that serves \
             artifacts and resolves misses through an ordered list of upstream proxies.",
        )
        .attributes([
            Attribute::string("id")
                .computed()
                .description(ID_DOC)
                .plan_modifier(UseStateForUnknown),
            Attribute::string("identifier")
                .required()
                .description(IDENTIFIER_DOC)
                .plan_modifier(RequiresReplace),
            Attribute::string("package_type")
                .required()
                .description(
                    "Package type: DOCKER, HELM, MAVEN, NPM, PYTHON, GENERIC, NUGET, RPM, CARGO, \
                     GO, ... (exact, upper case). Changing it replaces the registry.",
                )
                .plan_modifier(RequiresReplace),
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
            Attribute::string_list("allowed_pattern")
                .optional()
                .description(
                    "Artifact name patterns the registry accepts. Unset and `[]` are the same.",
                ),
            Attribute::string_list("blocked_pattern")
                .optional()
                .description(
                    "Artifact name patterns the registry refuses. Unset and `[]` are the same.",
                ),
            Attribute::string_list("upstream_proxies")
                .optional()
                .description(
                    "Identifiers of upstream proxies, in resolution order (order matters; a \
                     reorder is an update). No duplicates; each must be an upstream proxy of the \
                     same package type in the registry's scope or a parent scope. A proxy that \
                     does not exist yet is fine at plan time (it may be created by the same \
                     apply); the apply fails, naming it, if the server drops it.",
                ),
            Attribute::string("url")
                .computed()
                .description("The registry's pull URL.")
                .plan_modifier(UseStateForUnknown),
            Attribute::string("uuid")
                .computed()
                .description("The registry's UUID.")
                .plan_modifier(UseStateForUnknown),
            Attribute::string("created_at")
                .computed()
                .description("Creation time, RFC 3339 UTC.")
                .plan_modifier(UseStateForUnknown),
        ])
}
