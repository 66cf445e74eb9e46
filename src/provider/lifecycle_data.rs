//! Data sources `har_lifecycle_rule` (one rule, by id) and `har_lifecycle_rules` (every rule
//! of one scope). Their attributes are the resource's, read-only.

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::refs::Scope;
use crate::framework::model::{Field, encode};
use crate::framework::schema::Kind;
use crate::framework::{
    Attribute, DataSource, DataSourceReadRequest, DataSourceReadResponse, Diagnostics, Schema,
    Value,
};
use crate::provider::context::Shared;
use crate::provider::diag::api_error;
use crate::provider::lifecycle_rule::{self, RuleModel, state};

/// `a` and everything inside it read-only, without validators or plan modifiers.
fn read_only(mut a: Attribute) -> Attribute {
    a.required = false;
    a.optional = false;
    a.computed = true;
    a.validators.clear();
    a.plan_modifiers.clear();
    if let Kind::Nested(n, inner) = a.kind {
        a.kind = Kind::Nested(n, inner.into_iter().map(read_only).collect());
    }
    a
}

/// The resource's attributes, read-only, except the inputs: `rule_id` (when `lookup`),
/// `org_id` and `project_id` (optional, defaulting to the provider's).
fn rule_attrs(lookup: bool) -> Vec<Attribute> {
    lifecycle_rule::schema()
        .attributes
        .into_iter()
        .map(|a| match a.name.as_str() {
            "rule_id" if lookup => {
                let mut a = read_only(a).description("The rule's id.");
                a.computed = false;
                a.required = true;
                a
            }
            "org_id" | "project_id" if lookup => {
                let mut a =
                    read_only(a).description("Scope of the rule; defaults to the provider's.");
                a.optional = true;
                a
            }
            _ => read_only(a),
        })
        .collect()
}

/// The scope named by `org_id`/`project_id` in `config`, else the provider's default.
fn scope(
    config: &Value,
    account: &str,
    d_org: Option<&String>,
    d_project: Option<&String>,
) -> Scope {
    let get = |n: &str| config.get(n).and_then(Value::as_str).map(str::to_string);
    let org = get("org_id").or_else(|| d_org.cloned());
    let project = get("project_id").or_else(|| {
        if get("org_id").is_none() || get("org_id").as_ref() == d_org {
            d_project.cloned()
        } else {
            None
        }
    });
    Scope {
        account: account.to_string(),
        project: project.filter(|_| org.is_some()),
        org,
    }
}

pub(crate) struct RuleLookup {
    data: Shared,
}

pub(crate) fn rule(data: Shared) -> Arc<RuleLookup> {
    Arc::new(RuleLookup { data })
}

pub(crate) fn rule_schema() -> Schema {
    Schema::new()
        .description("Reads one lifecycle rule by its id.")
        .attributes(rule_attrs(true))
}

#[async_trait]
impl DataSource for RuleLookup {
    fn type_name(&self) -> &str {
        "har_lifecycle_rule"
    }

    fn schema(&self) -> Schema {
        rule_schema()
    }

    async fn read(&self, req: &DataSourceReadRequest<'_>, resp: &mut DataSourceReadResponse) {
        let diags: &mut Diagnostics = &mut resp.diagnostics;
        let Some(ctx) = self.data.require(diags) else {
            return;
        };
        let Some(id) = req.config.get("rule_id").and_then(Value::as_str) else {
            return;
        };
        let d = &ctx.defaults;
        let scope = scope(
            req.config,
            &d.account_id,
            d.org_id.as_ref(),
            d.project_id.as_ref(),
        );
        match ctx.client.get_lifecycle_rule(&scope, id).await {
            Ok(Some(r)) => match encode(
                &state(&r, &scope, &RuleModel::default()),
                &rule_schema().value_type(),
            ) {
                Ok(v) => resp.state = Some(v),
                Err(e) => diags.error("Provider error: unencodable state", e.to_string()),
            },
            Ok(None) => diags.error(
                "Lifecycle rule not found",
                format!("there is no lifecycle rule {id:?} in {scope}"),
            ),
            Err(e) => diags.push(api_error(
                &format!("reading lifecycle rule {scope}/{id}"),
                &e,
            )),
        }
    }
}

/// The state of `har_lifecycle_rules`: only written, never read back.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
struct RulesModel {
    id: Field<String>,
    org_id: Field<String>,
    project_id: Field<String>,
    rules: Field<Vec<RuleModel>>,
}

pub(crate) struct RuleList {
    data: Shared,
}

pub(crate) fn rules(data: Shared) -> Arc<RuleList> {
    Arc::new(RuleList { data })
}

pub(crate) fn rules_schema() -> Schema {
    Schema::new()
        .description("Lists the lifecycle rules of one scope (not of the scopes below it).")
        .attributes([
            Attribute::string("id")
                .computed()
                .description("The scope listed."),
            Attribute::string("org_id")
                .optional()
                .computed()
                .description("Scope to list; defaults to the provider's org_id."),
            Attribute::string("project_id")
                .optional()
                .computed()
                .description("Scope to list; defaults to the provider's project_id."),
            Attribute::list_nested("rules", rule_attrs(false))
                .computed()
                .description("The rules, by name."),
        ])
}

#[async_trait]
impl DataSource for RuleList {
    fn type_name(&self) -> &str {
        "har_lifecycle_rules"
    }

    fn schema(&self) -> Schema {
        rules_schema()
    }

    async fn read(&self, req: &DataSourceReadRequest<'_>, resp: &mut DataSourceReadResponse) {
        let diags = &mut resp.diagnostics;
        let Some(ctx) = self.data.require(diags) else {
            return;
        };
        let d = &ctx.defaults;
        let scope = scope(
            req.config,
            &d.account_id,
            d.org_id.as_ref(),
            d.project_id.as_ref(),
        );
        match ctx.client.list_all_lifecycle_rules(&scope).await {
            Ok(mut list) => {
                list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
                let m = RulesModel {
                    id: Field::Known(scope.to_string()),
                    org_id: Field::from_option(scope.org.clone()),
                    project_id: Field::from_option(scope.project.clone()),
                    rules: Field::Known(
                        list.iter()
                            .map(|r| state(r, &scope, &RuleModel::default()))
                            .collect(),
                    ),
                };
                match encode(&m, &rules_schema().value_type()) {
                    Ok(v) => resp.state = Some(v),
                    Err(e) => diags.error("Provider error: unencodable state", e.to_string()),
                }
            }
            Err(e) => diags.push(api_error(
                &format!("listing the lifecycle rules of {scope}"),
                &e,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::model::check_model;

    #[test]
    fn schemas_and_models_agree() {
        check_model(&rule_schema(), RuleModel::ATTR_NAMES).unwrap();
        check_model(&rules_schema(), &["id", "org_id", "project_id", "rules"]).unwrap();
    }
}
