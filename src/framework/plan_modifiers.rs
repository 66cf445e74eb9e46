//! Attribute plan modifiers, run by the framework at PlanResourceChange after the default
//! planning (planned = proposed, computed-and-unset marked unknown). Like validators they
//! are small values attached to an attribute in the schema.

use crate::protocol::diagnostics::Diagnostics;
use crate::protocol::value::Value;

pub struct PlanModifierRequest<'a> {
    /// The attribute's value in configuration.
    pub(crate) config: &'a Value,
    /// The attribute's value in prior state (null when creating).
    pub(crate) state: &'a Value,
    /// True when the resource exists (prior state is not null), i.e. this is an update.
    pub(crate) resource_exists: bool,
}

pub struct PlanModifierResponse {
    /// The planned value; starts as the framework's plan, the modifier may change it.
    pub(crate) plan: Value,
    pub(crate) requires_replace: bool,
    pub(crate) diagnostics: Diagnostics,
}

pub trait PlanModifier: Send + Sync {
    fn description(&self) -> String;
    fn modify(&self, req: &PlanModifierRequest<'_>, resp: &mut PlanModifierResponse);
}

/// A change of this attribute on an existing object destroys and re-creates it.
#[derive(Clone, Copy, Debug)]
pub struct RequiresReplace;

impl PlanModifier for RequiresReplace {
    fn description(&self) -> String {
        "changing this value forces a new resource".into()
    }
    fn modify(&self, req: &PlanModifierRequest<'_>, resp: &mut PlanModifierResponse) {
        if req.resource_exists && resp.plan != *req.state {
            resp.requires_replace = true;
        }
    }
}

/// A computed value that does not change after creation: on update, plan the prior value
/// instead of "(known after apply)".
#[derive(Clone, Copy, Debug)]
pub struct UseStateForUnknown;

impl PlanModifier for UseStateForUnknown {
    fn description(&self) -> String {
        "the value does not change after creation".into()
    }
    fn modify(&self, req: &PlanModifierRequest<'_>, resp: &mut PlanModifierResponse) {
        // Same conditions as terraform-plugin-framework: only an unknown plan for an
        // existing object, and never when the user configured an (unknown) value.
        if req.resource_exists
            && !req.state.is_null()
            && resp.plan.is_unknown()
            && !req.config.is_unknown()
        {
            resp.plan = req.state.clone();
        }
    }
}

/// String values that are equal after `normalise` are the same value: keep the prior one
/// instead of planning a change (e.g. a URL with or without its trailing `/`). Terraform
/// accepts a planned prior value for a configured attribute when both are non-null.
/// The resource must then keep storing the prior form on read and apply.
#[derive(Clone, Copy)]
pub struct KeepPriorIfEquivalent {
    pub(crate) name: &'static str,
    pub(crate) normalise: fn(&str) -> String,
}

pub(crate) fn keep_prior_if_equivalent(
    name: &'static str,
    normalise: fn(&str) -> String,
) -> KeepPriorIfEquivalent {
    KeepPriorIfEquivalent { name, normalise }
}

/// URLs that differ only by trailing slashes are the same.
pub fn trailing_slash_insensitive() -> KeepPriorIfEquivalent {
    keep_prior_if_equivalent("trailing `/` is not a change", |s| {
        s.trim_end_matches('/').to_string()
    })
}

impl PlanModifier for KeepPriorIfEquivalent {
    fn description(&self) -> String {
        self.name.into()
    }
    fn modify(&self, req: &PlanModifierRequest<'_>, resp: &mut PlanModifierResponse) {
        if let (Some(planned), Some(prior)) = (resp.plan.as_str(), req.state.as_str())
            && planned != prior
            && (self.normalise)(planned) == (self.normalise)(prior)
        {
            resp.plan = req.state.clone();
        }
    }
}
