//! The framework's default behaviour, modelled on terraform-plugin-framework's fwserver:
//! running validators, planning (proposed → planned, computed-and-unset → unknown, plan
//! modifiers, requires-replace paths) and checking results against Terraform's rules.

use super::plan_modifiers::{PlanModifierRequest, PlanModifierResponse};
use super::schema::{Attribute, Schema};
use crate::protocol::diagnostics::Diagnostics;
use crate::protocol::schema::Nesting;
use crate::protocol::value::{AttributePath, Value};

/// Run every attribute validator on the known, non-null values of `config`, then the
/// schema's rules across attributes.
pub(crate) fn validate(schema: &Schema, config: &Value, diags: &mut Diagnostics) {
    validate_attrs(&schema.attributes, &AttributePath::new(), config, diags);
    for v in &schema.validators {
        v.validate(config, diags);
    }
}

fn validate_attrs(attrs: &[Attribute], base: &AttributePath, obj: &Value, diags: &mut Diagnostics) {
    let Some(map) = obj.as_object() else { return };
    for a in attrs {
        let v = map.get(&a.name).unwrap_or(&Value::Null);
        if v.is_null() {
            continue;
        }
        let path = base.clone().attr(a.name.clone());
        // Terraform core accepts a value for a computed-only attribute; the provider must
        // refuse it (terraform-plugin-framework does the same), or the apply ends in
        // "Provider produced inconsistent result" when the server's value replaces it.
        if a.computed && !a.optional && !a.required {
            diags.error_at(
                path,
                "Invalid configuration for read-only attribute",
                format!(
                    "`{}` is set by the provider and cannot be configured: remove it from the \
                     configuration.",
                    a.name
                ),
            );
            continue;
        }
        if v.is_unknown() {
            continue;
        }
        for val in &a.validators {
            val.validate(v, &path, diags);
        }
        if let Some((nesting, inner)) = a.nested_attributes() {
            for_each_nested(nesting, v, &path, |p, elem| {
                validate_attrs(inner, &p, elem, diags)
            });
        }
    }
}

fn for_each_nested(
    nesting: Nesting,
    v: &Value,
    path: &AttributePath,
    mut f: impl FnMut(AttributePath, &Value),
) {
    match (nesting, v) {
        (Nesting::Single, _) => f(path.clone(), v),
        (Nesting::List, _) => {
            if let Some(items) = v.as_elements() {
                for (i, e) in items.iter().enumerate() {
                    f(path.clone().index(i as i64), e);
                }
            }
        }
    }
}

/// The outcome of the default planning.
pub(crate) struct Plan {
    pub(crate) planned: Value,
    pub(crate) requires_replace: Vec<AttributePath>,
    pub(crate) diagnostics: Diagnostics,
}

/// Default planning for a create or update (not destroy: the caller plans null).
///
/// planned = proposed; attribute plan modifiers run; when creating, or when the plan still
/// differs from prior, every computed attribute that is null in config becomes unknown
/// (Terraform rejects an apply result that differs from a known planned value), then the
/// modifiers run again so UseStateForUnknown can restore prior values. Write-only
/// attributes are planned null, as Terraform requires.
pub(crate) fn plan(schema: &Schema, config: &Value, prior: &Value, proposed: &Value) -> Plan {
    let exists = !prior.is_null();
    let mut planned = proposed.clone();
    let mut scratch_rr = Vec::new();
    let mut scratch_diags = Diagnostics::new();
    let root = AttributePath::new();
    if exists {
        // A first pass lets normalising modifiers restore prior values, so that a
        // difference that is no difference does not mark computed attributes unknown.
        run_modifiers(
            &schema.attributes,
            &root,
            config,
            prior,
            &mut planned,
            exists,
            &mut scratch_rr,
            &mut scratch_diags,
        );
    }
    if !exists || planned != *prior {
        mark_computed_unknown(&schema.attributes, config, &mut planned);
    }
    let mut requires_replace = Vec::new();
    let mut diagnostics = Diagnostics::new();
    run_modifiers(
        &schema.attributes,
        &root,
        config,
        prior,
        &mut planned,
        exists,
        &mut requires_replace,
        &mut diagnostics,
    );
    null_write_only(&schema.attributes, &mut planned);
    Plan {
        planned,
        requires_replace,
        diagnostics,
    }
}

fn mark_computed_unknown(attrs: &[Attribute], config: &Value, planned: &mut Value) {
    let Value::Object(pmap) = planned else { return };
    for a in attrs {
        let cfg = config.get(&a.name).unwrap_or(&Value::Null);
        let Some(pv) = pmap.get_mut(&a.name) else {
            continue;
        };
        if a.computed && cfg.is_null() {
            *pv = Value::Unknown;
            continue;
        }
        if let Some((nesting, inner)) = a.nested_attributes() {
            match (nesting, pv) {
                (Nesting::Single, pv) => mark_computed_unknown(inner, cfg, pv),
                (Nesting::List, Value::List(items) | Value::Set(items)) => {
                    let cfg_items = cfg.as_elements().unwrap_or(&[]);
                    for (i, e) in items.iter_mut().enumerate() {
                        mark_computed_unknown(inner, cfg_items.get(i).unwrap_or(&Value::Null), e);
                    }
                }
                _ => {}
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn run_modifiers(
    attrs: &[Attribute],
    base: &AttributePath,
    config: &Value,
    prior: &Value,
    planned: &mut Value,
    exists: bool,
    requires_replace: &mut Vec<AttributePath>,
    diags: &mut Diagnostics,
) {
    let Value::Object(pmap) = planned else { return };
    for a in attrs {
        let Some(pv) = pmap.get_mut(&a.name) else {
            continue;
        };
        let cfg = config.get(&a.name).unwrap_or(&Value::Null);
        let pri = prior.get(&a.name).unwrap_or(&Value::Null);
        let path = base.clone().attr(a.name.clone());
        for m in &a.plan_modifiers {
            let req = PlanModifierRequest {
                config: cfg,
                state: pri,
                resource_exists: exists,
            };
            let mut resp = PlanModifierResponse {
                plan: pv.clone(),
                requires_replace: false,
                diagnostics: Diagnostics::new(),
            };
            m.modify(&req, &mut resp);
            *pv = resp.plan;
            if resp.requires_replace && !requires_replace.contains(&path) {
                requires_replace.push(path.clone());
            }
            diags.extend(resp.diagnostics);
        }
        if let Some((nesting, inner)) = a.nested_attributes() {
            match (nesting, &mut *pv) {
                (Nesting::Single, pv) => {
                    run_modifiers(inner, &path, cfg, pri, pv, exists, requires_replace, diags)
                }
                (Nesting::List, Value::List(items) | Value::Set(items)) => {
                    let cfg_items = cfg.as_elements().unwrap_or(&[]);
                    let pri_items = pri.as_elements().unwrap_or(&[]);
                    for (i, e) in items.iter_mut().enumerate() {
                        run_modifiers(
                            inner,
                            &path.clone().index(i as i64),
                            cfg_items.get(i).unwrap_or(&Value::Null),
                            pri_items.get(i).unwrap_or(&Value::Null),
                            e,
                            exists,
                            requires_replace,
                            diags,
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

/// Write-only attributes must be null in plans and states.
pub(crate) fn null_write_only(attrs: &[Attribute], v: &mut Value) {
    let Value::Object(map) = v else { return };
    for a in attrs {
        let Some(av) = map.get_mut(&a.name) else {
            continue;
        };
        if a.write_only {
            *av = Value::Null;
            continue;
        }
        if let Some((_, inner)) = a.nested_attributes() {
            match av {
                Value::Object(_) => null_write_only(inner, av),
                Value::List(items) | Value::Set(items) => {
                    items.iter_mut().for_each(|e| null_write_only(inner, e))
                }
                Value::Map(m) => m.values_mut().for_each(|e| null_write_only(inner, e)),
                _ => {}
            }
        }
    }
}

/// Replace every unknown with null; returns true if there was one. Terraform rejects
/// unknowns in read and apply results, so the caller reports a provider bug.
pub(crate) fn null_unknowns(v: &mut Value) -> bool {
    match v {
        Value::Unknown => {
            *v = Value::Null;
            true
        }
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => items
            .iter_mut()
            .fold(false, |acc, e| null_unknowns(e) | acc),
        Value::Map(m) | Value::Object(m) => {
            m.values_mut().fold(false, |acc, e| null_unknowns(e) | acc)
        }
        Value::Dynamic(_, inner) => null_unknowns(inner),
        _ => false,
    }
}

/// Terraform's schema rules (`configschema.InternalValidate`), checked when the provider
/// starts so a schema mistake is a clear diagnostic instead of Terraform's "invalid
/// schema" for the whole provider.
pub(crate) fn check_schema(owner: &str, schema: &Schema, diags: &mut Diagnostics) {
    check_attrs(owner, &schema.attributes, "", diags);
}

fn check_attrs(owner: &str, attrs: &[Attribute], prefix: &str, diags: &mut Diagnostics) {
    let mut seen = std::collections::BTreeSet::new();
    for a in attrs {
        let name = format!("{prefix}{}", a.name);
        let mut problem = |what: &str| {
            diags.error(
                "Invalid provider schema",
                format!("{owner}: attribute `{name}` {what}. This is a bug in the provider."),
            )
        };
        if !seen.insert(a.name.as_str()) {
            problem("is declared twice");
        }
        if a.name.is_empty()
            || !a
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            problem("must be named with lowercase letters, digits and `_`");
        }
        if !(a.required || a.optional || a.computed) {
            problem("must be required, optional or computed");
        }
        if a.required && (a.optional || a.computed) {
            problem("cannot be required and also optional or computed");
        }
        if a.write_only && a.computed {
            problem("cannot be write-only and computed");
        }
        if let Some((_, inner)) = a.nested_attributes() {
            check_attrs(owner, inner, &format!("{name}."), diags);
        }
    }
}
