//! The attributes `har_registry` and `har_upstream_proxy` share, with their descriptions and
//! validators. Names come from each resource's model (`Model::ATTR`).

use crate::framework::validators::{StringRule, no_null_elements, string_rule};
use crate::framework::{Attribute, RequiresReplace, UseStateForUnknown};
use crate::rules::{NameLevel, SpaceLevel, check_identifier, check_space_segment};

pub(crate) const IDENTIFIER_DOC: &str = "Name: starts with a letter; lowercase letters, digits, `_`, `.` and `-`, no separator at the end or two in a row, at most 255 characters. Unique across the whole Harness account, whatever the scope. Changing it replaces the object.";
const ORG_DOC: &str = "Harness org the object lives in. Defaults to the provider's `org_id`; the plan shows the value used. Changing it replaces the object.";
const PROJECT_DOC: &str = "Harness project (inside `org_id`) the object lives in. Defaults to the provider's `project_id` when `org_id` is not set here either (so `org_id` alone means the org level). Needs an org. Changing it replaces the object.";
const ID_DOC: &str =
    "The registry ref `<account>[/<org>[/<project>]]/<identifier>`; also the import ID.";

/// `identifier`: the product's rule (starts with a letter) on top of the API's.
fn identifier_rule() -> StringRule {
    string_rule("Invalid identifier", "must be a registry name", |id| {
        check_identifier(id, NameLevel::Product).map_err(|e| {
            format!("{e}. Names are unique across the whole Harness account, whatever the scope.")
        })
    })
}

/// `org_id` / `project_id`: Harness identifiers (the rule har-local and Harness apply to a
/// space ref), checked at plan time rather than refused by the API at apply.
pub(crate) fn scope_segment_rule(name: &'static str, level: SpaceLevel) -> StringRule {
    string_rule(
        format!("Invalid {name}"),
        "must be a Harness identifier: a letter or `_` first, then letters, digits, `_` or `$`; at most 128 characters",
        move |v| check_space_segment(level, v).map_err(|e| format!("{name}: {e}")),
    )
}

pub(crate) fn id(name: &str) -> Attribute {
    Attribute::string(name)
        .computed()
        .description(ID_DOC)
        .plan_modifier(UseStateForUnknown)
}

pub(crate) fn identifier(name: &str) -> Attribute {
    Attribute::string(name)
        .required()
        .description(IDENTIFIER_DOC)
        .validate(identifier_rule())
        .plan_modifier(RequiresReplace)
}

pub(crate) fn org_id(name: &'static str) -> Attribute {
    Attribute::string(name)
        .optional()
        .computed()
        .description(ORG_DOC)
        .validate(scope_segment_rule(name, SpaceLevel::Org))
}

pub(crate) fn project_id(name: &'static str) -> Attribute {
    Attribute::string(name)
        .optional()
        .computed()
        .description(PROJECT_DOC)
        .validate(scope_segment_rule(name, SpaceLevel::Project))
}

pub(crate) fn description(name: &str) -> Attribute {
    Attribute::string(name)
        .optional()
        .description("Free text. Unset and `\"\"` are the same to the API.")
}

/// An optional `list(string)` whose `null` and `[]` are the same to the API.
pub(crate) fn string_list(name: &str, description: &str) -> Attribute {
    Attribute::string_list(name)
        .optional()
        .description(description)
        .validate(no_null_elements())
}

/// A computed value fixed at creation.
pub(crate) fn computed(name: &str, description: &str) -> Attribute {
    Attribute::string(name)
        .computed()
        .description(description)
        .plan_modifier(UseStateForUnknown)
}

pub(crate) fn created_at(name: &str) -> Attribute {
    computed(name, "Creation time, RFC 3339 UTC.")
}

/// `is_public`: sent on every create and PUT, so `false` turns it off again.
pub(crate) fn is_public(name: &str) -> Attribute {
    Attribute::bool(name).optional().description(
        "Whether the object can be read without authentication (API `isPublic`). Unset and \
         `false` are the same; always sent, so setting it back to `false` (or removing it) \
         makes it private again.",
    )
}
