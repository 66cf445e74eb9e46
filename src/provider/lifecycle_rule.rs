//! `har_lifecycle_rule`: a cleanup (`DELETE`) or retention (`PROTECT`) rule of the v3
//! lifecycle API (`docs/api/lifecycle-rules.md`). Schema, typed model, plan-time checks
//! (`rules::lifecycle`) and CRUD in one place.
//!
//! `enabled` is read-only: the request model has no such field and no documented call
//! changes it. `filter_config` is read back, so a change made outside Terraform shows.

use std::sync::Arc;

use async_trait::async_trait;
use futures_util::future::join_all;

use crate::api::model::lifecycle::{
    ApplyTo, Criteria, CriterionConfig, CriterionRule, FilterConfig, LifecycleRule,
    LifecycleRuleRequest, Schedule,
};
use crate::api::refs::Scope;
use crate::framework::model::{self, Field, decode, encode, model};
use crate::framework::validators::string_rule;
use crate::framework::{
    Attribute, AttributePath, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse,
    Diagnostic, Diagnostics, ImportRequest, ImportResponse, ModifyPlanRequest, ModifyPlanResponse,
    ReadRequest, ReadResponse, RequiresReplace, Resource, Schema, Type, UpdateRequest,
    UpdateResponse, UseStateForUnknown, ValidateRequest, Value,
};
use crate::provider::attrs::scope_segment_rule;
use crate::provider::context::Shared;
use crate::provider::diag::api_error;
use crate::rules::lifecycle::{
    Action, ApplyMode, CriterionType, FilterList, LifecycleError, Match, Unit, check_action_parts,
    check_apply_to, check_criteria_types, check_criterion, check_cron, check_filter_lists,
    check_rule_registry, check_timezone,
};
use crate::rules::{PackageType, SpaceLevel};

pub(crate) const TYPE_NAME: &str = "har_lifecycle_rule";

type Strings = Field<Vec<Field<String>>>;

model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct ApplyToModel / ApplyToAttrs {
        pub(crate) mode: Field<String>,
        pub(crate) registries: Strings,
    }
}

model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct CriterionModel / CriterionAttrs {
        pub(crate) r#type: Field<String>,
        pub(crate) value: Field<i64>,
        pub(crate) unit: Field<String>,
    }
}

model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct CriteriaModel / CriteriaAttrs {
        pub(crate) r#match: Field<String>,
        pub(crate) rules: Field<Vec<CriterionModel>>,
    }
}

model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct ScheduleModel / ScheduleAttrs {
        pub(crate) expression: Field<String>,
        pub(crate) timezone: Field<String>,
    }
}

model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct FilterModel / FilterAttrs {
        pub(crate) package_name_patterns: Strings,
        pub(crate) version_name_patterns: Strings,
        pub(crate) tag_name_patterns: Strings,
        pub(crate) group_id_patterns: Strings,
        pub(crate) model_patterns: Strings,
        pub(crate) dataset_patterns: Strings,
    }
}

model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct RuleModel / RuleAttrs {
        pub(crate) id: Field<String>,
        pub(crate) rule_id: Field<String>,
        pub(crate) org_id: Field<String>,
        pub(crate) project_id: Field<String>,
        pub(crate) name: Field<String>,
        pub(crate) description: Field<String>,
        pub(crate) action: Field<String>,
        pub(crate) package_type: Field<String>,
        pub(crate) apply_to: Field<ApplyToModel>,
        pub(crate) criteria: Field<CriteriaModel>,
        pub(crate) schedule: Field<ScheduleModel>,
        pub(crate) filter_config: Field<FilterModel>,
        pub(crate) enabled: Field<bool>,
        pub(crate) created_at: Field<String>,
        pub(crate) updated_at: Field<String>,
        pub(crate) last_run_at: Field<String>,
        pub(crate) next_run_at: Field<String>,
    }
}

const A: RuleAttrs = RuleModel::ATTR;
const AP: ApplyToAttrs = ApplyToModel::ATTR;
const CR: CriteriaAttrs = CriteriaModel::ATTR;
const CN: CriterionAttrs = CriterionModel::ATTR;
const SC: ScheduleAttrs = ScheduleModel::ATTR;
const FI: FilterAttrs = FilterModel::ATTR;

fn enum_rule(
    summary: &'static str,
    names: &'static [&'static str],
    parse: fn(&str) -> Result<(), String>,
) -> impl crate::framework::Validator {
    string_rule(summary, format!("one of {}", names.join(", ")), parse)
}

/// The attribute name of each pattern list is `FilterList::attribute` (one home, shared with
/// the rule's messages); the model's field names must be the same.
const FILTER_NAMES: [&str; 6] = [
    FI.package_name_patterns,
    FI.version_name_patterns,
    FI.tag_name_patterns,
    FI.group_id_patterns,
    FI.model_patterns,
    FI.dataset_patterns,
];

fn filter_list((list, name): (FilterList, &str)) -> Attribute {
    Attribute::string_list(name).optional().description(format!(
        "Glob patterns (`{}`); which lists a rule may set depends on its package type.",
        list.json_name()
    ))
}

pub(crate) fn schema() -> Schema {
    let ro = |name: &str, doc: &str| Attribute::string(name).computed().description(doc);
    Schema::new()
        .description(
            "A Harness Artifact Registry lifecycle rule: a cleanup rule (`action = \"DELETE\"`) \
             that deletes artifact versions matching its criteria on a schedule, or a retention \
             rule (`action = \"PROTECT\"`) that protects matching versions from any deletion.",
        )
        .attributes([
            Attribute::string(A.id)
                .computed()
                .description("`<account>[/<org>[/<project>]]/<rule id>`; also the import ID.")
                .plan_modifier(UseStateForUnknown),
            Attribute::string(A.rule_id)
                .computed()
                .description("The id the server gave the rule.")
                .plan_modifier(UseStateForUnknown),
            Attribute::string(A.org_id)
                .optional()
                .computed()
                .description("Org of the rule; defaults to the provider's `org_id`. Changing it replaces the rule.")
                .validate(scope_segment_rule(A.org_id, SpaceLevel::Org))
                .plan_modifier(RequiresReplace),
            Attribute::string(A.project_id)
                .optional()
                .computed()
                .description("Project of the rule (needs an org); defaults to the provider's `project_id`. Changing it replaces the rule.")
                .validate(scope_segment_rule(A.project_id, SpaceLevel::Project))
                .plan_modifier(RequiresReplace),
            Attribute::string(A.name)
                .required()
                .description("Name of the rule.")
                .validate(string_rule("Invalid name", "not empty", |s| {
                    if s.trim().is_empty() { Err("name must not be empty".into()) } else { Ok(()) }
                })),
            Attribute::string(A.description)
                .optional()
                .description("Free text. Unset and `\"\"` are the same to the API."),
            Attribute::string(A.action)
                .required()
                .description("`DELETE` (cleanup rule: needs `criteria`) or `PROTECT` (retention rule: no `criteria`, no `schedule`).")
                .validate(enum_rule("Invalid action", Action::NAMES, |s| {
                    Action::parse(s).map(|_| ()).map_err(|e| e.to_string())
                })),
            Attribute::string(A.package_type)
                .optional()
                .description("Only artifacts of this package type (DOCKER, MAVEN, ...); unset: every package type.")
                .validate(enum_rule("Invalid package type", PackageType::NAMES, |s| {
                    PackageType::parse(s).map(|_| ()).map_err(|e| e.to_string())
                })),
            Attribute::single_nested(
                A.apply_to,
                vec![
                    Attribute::string(AP.mode)
                        .required()
                        .description("`ALL_IN_SCOPE` (every registry of the rule's scope) or `EXPLICIT` (the `registries` named).")
                        .validate(enum_rule("Invalid apply_to.mode", ApplyMode::NAMES, |s| {
                            ApplyMode::parse(s).map(|_| ()).map_err(|e| e.to_string())
                        })),
                    Attribute::string_list(AP.registries)
                        .optional()
                        .description("Registry identifiers: required for `EXPLICIT`, not allowed for `ALL_IN_SCOPE`. Each must exist in the rule's scope or below it, and have the rule's package type when it has one."),
                ],
            )
            .required()
            .description("Which registries the rule applies to."),
            Attribute::single_nested(
                A.criteria,
                vec![
                    Attribute::string(CR.r#match)
                        .required()
                        .description("`ALL`: a version must meet every rule; `ANY`: one is enough.")
                        .validate(enum_rule("Invalid criteria.match", Match::NAMES, |s| {
                            Match::parse(s).map(|_| ()).map_err(|e| e.to_string())
                        })),
                    Attribute::list_nested(
                        CR.rules,
                        vec![
                            Attribute::string(CN.r#type)
                                .required()
                                .description("`KEEP_LAST_N` (keep the newest `value` versions), `AGE_BASED` (older than `value` `unit`s), `UNUSED_FOR` (not downloaded for `value` `unit`s).")
                                .validate(enum_rule("Invalid criterion type", CriterionType::NAMES, |s| {
                                    CriterionType::parse(s).map(|_| ()).map_err(|e| e.to_string())
                                })),
                            Attribute::new(CN.value, Type::Number)
                                .optional()
                                .description("A count for `KEEP_LAST_N`, a number of `unit`s otherwise; 1 or more."),
                            Attribute::string(CN.unit)
                                .optional()
                                .description("`DAYS`, `MONTHS` or `YEARS`: required for `AGE_BASED` and `UNUSED_FOR`, not allowed for `KEEP_LAST_N`.")
                                .validate(enum_rule("Invalid unit", Unit::NAMES, |s| {
                                    Unit::parse(s).map(|_| ()).map_err(|e| e.to_string())
                                })),
                        ],
                    )
                    .required()
                    .description("At least one rule; each type once."),
                ],
            )
            .optional()
            .description("What a cleanup rule deletes (required for `DELETE`, not allowed for `PROTECT`)."),
            Attribute::single_nested(
                A.schedule,
                vec![
                    Attribute::string(SC.expression)
                        .required()
                        .description("Five-field cron expression: minute hour day-of-month month day-of-week, e.g. `0 2 * * *`.")
                        .validate(string_rule("Invalid schedule.expression", "five-field cron", |s| {
                            check_cron(s).map_err(|e| e.to_string())
                        })),
                    Attribute::string(SC.timezone)
                        .required()
                        .description("IANA time zone, e.g. `UTC` or `Europe/Berlin`.")
                        .validate(string_rule("Invalid schedule.timezone", "an IANA time zone", |s| {
                            check_timezone(s).map_err(|e| e.to_string())
                        })),
                ],
            )
            .optional()
            .description("When a cleanup rule runs (not allowed for `PROTECT`)."),
            Attribute::single_nested(A.filter_config, FilterList::ALL.into_iter().zip(FILTER_NAMES).map(filter_list).collect())
                .optional()
                .description(
                    "Pattern filters. Only the lists of the rule's package type may be set: DOCKER \
                     `package_name_patterns`, `tag_name_patterns`; MAVEN `group_id_patterns`, \
                     `package_name_patterns`, `version_name_patterns`; HUGGINGFACE `model_patterns`, \
                     `dataset_patterns`, `version_name_patterns`; any other type (or none) \
                     `package_name_patterns`, `version_name_patterns`.",
                ),
            Attribute::new(A.enabled, Type::Bool)
                .computed()
                .description("Whether the rule is active. Read-only: the API has no request field for it (it can be changed in the Harness UI).")
                .plan_modifier(UseStateForUnknown),
            ro(A.created_at, "Creation time, RFC 3339 UTC.").plan_modifier(UseStateForUnknown),
            ro(A.updated_at, "Time of the last change, RFC 3339 UTC."),
            ro(A.last_run_at, "Time of the last run, RFC 3339 UTC; null before the first."),
            ro(A.next_run_at, "Time of the next run, RFC 3339 UTC; null when none is planned."),
        ])
}

fn ks(f: &Field<String>) -> Option<&str> {
    match f {
        Field::Known(s) => Some(s),
        _ => None,
    }
}

fn strings(f: &Strings) -> Vec<String> {
    f.clone()
        .known()
        .unwrap_or_default()
        .into_iter()
        .filter_map(Field::known)
        .collect()
}

/// Unknown, or a list with an unknown element (a reference to a resource not yet planned):
/// checked once it is known.
fn has_unknown(f: &Strings) -> bool {
    match f {
        Field::Unknown => true,
        Field::Known(items) => items.iter().any(Field::is_unknown),
        Field::Null => false,
    }
}

fn ms_rfc3339(ms: Option<i64>) -> Field<String> {
    Field::from_option(ms.map(|ms| crate::rules::rfc3339_utc(ms.div_euclid(1000), None)))
}

fn filter_get(f: &FilterModel, l: FilterList) -> &Strings {
    match l {
        FilterList::PackageName => &f.package_name_patterns,
        FilterList::VersionName => &f.version_name_patterns,
        FilterList::TagName => &f.tag_name_patterns,
        FilterList::GroupId => &f.group_id_patterns,
        FilterList::Model => &f.model_patterns,
        FilterList::Dataset => &f.dataset_patterns,
    }
}

fn filter_get_mut(f: &mut FilterModel, l: FilterList) -> &mut Strings {
    match l {
        FilterList::PackageName => &mut f.package_name_patterns,
        FilterList::VersionName => &mut f.version_name_patterns,
        FilterList::TagName => &mut f.tag_name_patterns,
        FilterList::GroupId => &mut f.group_id_patterns,
        FilterList::Model => &mut f.model_patterns,
        FilterList::Dataset => &mut f.dataset_patterns,
    }
}

fn wire_list(f: &FilterConfig, l: FilterList) -> &Vec<String> {
    match l {
        FilterList::PackageName => &f.package_name_allowed_pattern,
        FilterList::VersionName => &f.version_name_allowed_pattern,
        FilterList::TagName => &f.tag_name_allowed_pattern,
        FilterList::GroupId => &f.group_id_allowed_pattern,
        FilterList::Model => &f.model_allowed_pattern,
        FilterList::Dataset => &f.dataset_allowed_pattern,
    }
}

fn wire_list_mut(f: &mut FilterConfig, l: FilterList) -> &mut Vec<String> {
    match l {
        FilterList::PackageName => &mut f.package_name_allowed_pattern,
        FilterList::VersionName => &mut f.version_name_allowed_pattern,
        FilterList::TagName => &mut f.tag_name_allowed_pattern,
        FilterList::GroupId => &mut f.group_id_allowed_pattern,
        FilterList::Model => &mut f.model_allowed_pattern,
        FilterList::Dataset => &mut f.dataset_allowed_pattern,
    }
}

/// The scope a (planned) model names.
fn scope_of(m: &RuleModel, account: &str) -> Scope {
    Scope {
        account: account.to_string(),
        org: ks(&m.org_id).map(str::to_string),
        project: ks(&m.project_id).map(str::to_string),
    }
}

/// `id` / import ID: `<account>[/<org>[/<project>]]/<rule id>`.
pub(crate) fn parse_id(id: &str) -> Result<(Scope, String), String> {
    let wanted = "a lifecycle rule id is `<account>[/<org>[/<project>]]/<rule id>`";
    let (scope, rule) = id
        .rsplit_once('/')
        .filter(|(_, r)| !r.is_empty())
        .ok_or_else(|| format!("{wanted}, got {id:?}"))?;
    let scope = Scope::parse(scope).map_err(|_| format!("{wanted}, got {id:?}"))?;
    Ok((scope, rule.to_string()))
}

fn request(m: &RuleModel) -> LifecycleRuleRequest {
    let s = |f: &Field<String>| ks(f).unwrap_or_default().to_string();
    let apply = m.apply_to.clone().known().unwrap_or_default();
    LifecycleRuleRequest {
        name: s(&m.name),
        description: ks(&m.description).map(str::to_string),
        action: s(&m.action),
        package_type: ks(&m.package_type).map(str::to_string),
        apply_to: ApplyTo {
            mode: s(&apply.mode),
            registries: strings(&apply.registries),
        },
        criteria: m.criteria.clone().known().map(|c| Criteria {
            match_: s(&c.r#match),
            rules: c
                .rules
                .known()
                .unwrap_or_default()
                .into_iter()
                .map(|r| CriterionRule {
                    kind: s(&r.r#type),
                    config: CriterionConfig {
                        value: r.value.known(),
                        unit: r.unit.known(),
                    },
                })
                .collect(),
        }),
        schedule: m.schedule.clone().known().map(|sc| Schedule {
            expression: s(&sc.expression),
            timezone: s(&sc.timezone),
        }),
        filter_config: m.filter_config.clone().known().map(|f| {
            let mut w = FilterConfig::default();
            for l in FilterList::ALL {
                *wire_list_mut(&mut w, l) = strings(filter_get(&f, l));
            }
            w
        }),
    }
}

/// A list from the server, in the representation `prior` used for "none" (null or `[]`).
fn list_like(server: &[String], prior: Option<&Strings>) -> Strings {
    if server.is_empty() {
        match prior {
            Some(Field::Known(v)) if v.is_empty() => Field::Known(vec![]),
            _ => Field::Null,
        }
    } else {
        Field::Known(server.iter().cloned().map(Field::Known).collect())
    }
}

pub(crate) fn state(r: &LifecycleRule, scope: &Scope, prior: &RuleModel) -> RuleModel {
    let description = if r.description.is_empty()
        && !matches!(&prior.description, Field::Known(d) if d.is_empty())
    {
        Field::Null
    } else {
        Field::Known(r.description.clone())
    };
    let prior_apply = prior.apply_to.clone().known().unwrap_or_default();
    let prior_schedule = prior.schedule.clone().known().unwrap_or_default();
    let prior_filter = prior.filter_config.clone().known();
    let filter_config = match &r.filter_config {
        Some(f) if !f.is_empty() => {
            let mut m = FilterModel::default();
            for l in FilterList::ALL {
                *filter_get_mut(&mut m, l) = list_like(
                    wire_list(f, l),
                    prior_filter.as_ref().map(|p| filter_get(p, l)),
                );
            }
            Field::Known(m)
        }
        // No patterns: an empty filter_config block in the configuration stays as written.
        _ => match &prior.filter_config {
            Field::Known(p)
                if FilterList::ALL
                    .iter()
                    .all(|l| strings(filter_get(p, *l)).is_empty()) =>
            {
                prior.filter_config.clone()
            }
            _ => Field::Null,
        },
    };
    RuleModel {
        id: Field::Known(format!("{scope}/{}", r.id)),
        rule_id: Field::Known(r.id.clone()),
        org_id: Field::from_option(r.org_identifier.clone().or(scope.org.clone())),
        project_id: Field::from_option(r.project_identifier.clone().or(scope.project.clone())),
        name: Field::Known(r.name.clone()),
        description,
        action: Field::Known(r.action.clone()),
        package_type: Field::from_option(r.package_type.clone().filter(|p| !p.is_empty())),
        apply_to: Field::Known(ApplyToModel {
            mode: Field::Known(r.apply_to.mode.clone()),
            registries: list_like(&r.apply_to.registries, Some(&prior_apply.registries)),
        }),
        criteria: Field::from_option(r.criteria.as_ref().map(|c| {
            CriteriaModel {
                r#match: Field::Known(c.match_.clone()),
                rules: Field::Known(
                    c.rules
                        .iter()
                        .map(|x| CriterionModel {
                            r#type: Field::Known(x.kind.clone()),
                            value: Field::from_option(x.config.value),
                            unit: Field::from_option(x.config.unit.clone()),
                        })
                        .collect(),
                ),
            }
        })),
        schedule: Field::from_option(r.schedule.as_ref().map(|s| {
            // The server may respace the expression; the same fields are no change.
            let same = ks(&prior_schedule.expression)
                .is_some_and(|p| p.split_whitespace().eq(s.expression.split_whitespace()));
            ScheduleModel {
                expression: if same {
                    prior_schedule.expression.clone()
                } else {
                    Field::Known(s.expression.clone())
                },
                timezone: Field::Known(s.timezone.clone()),
            }
        })),
        filter_config,
        enabled: Field::Known(r.enabled),
        created_at: ms_rfc3339(r.created_at),
        updated_at: ms_rfc3339(r.updated_at),
        last_run_at: ms_rfc3339(r.last_run_at),
        next_run_at: ms_rfc3339(r.next_run_at),
    }
}

/// The cross-attribute rules, on whatever is known of a configuration.
fn check(m: &RuleModel, diags: &mut Diagnostics) {
    let at = |root: &str| AttributePath::root(root);
    let package_type = ks(&m.package_type).and_then(|p| PackageType::parse(p).ok());
    if let Field::Known(apply) = &m.apply_to
        && let Some(mode) = ks(&apply.mode).and_then(|s| ApplyMode::parse(s).ok())
        && !has_unknown(&apply.registries)
        && let Err(e) = check_apply_to(mode, &strings(&apply.registries))
    {
        diags.error_at(
            at(A.apply_to).attr("registries"),
            "Invalid apply_to",
            e.to_string(),
        );
    }
    if let Some(action) = ks(&m.action).and_then(|s| Action::parse(s).ok())
        && !m.criteria.is_unknown()
        && !m.schedule.is_unknown()
        && let Err(e) = check_action_parts(action, m.criteria.is_known(), m.schedule.is_known())
    {
        let attr = if m.criteria.is_known() || action == Action::Delete {
            A.criteria
        } else {
            A.schedule
        };
        diags.error_at(
            at(attr),
            format!("Invalid {attr} for action {action}"),
            e.to_string(),
        );
    }
    if let Field::Known(c) = &m.criteria
        && let Field::Known(rules) = &c.rules
    {
        let mut kinds = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            let Some(kind) = ks(&r.r#type).and_then(|s| CriterionType::parse(s).ok()) else {
                continue;
            };
            kinds.push(kind);
            if r.value.is_unknown() || r.unit.is_unknown() {
                continue;
            }
            let unit = ks(&r.unit).and_then(|u| Unit::parse(u).ok());
            if let Err(e) = check_criterion(kind, r.value.known(), unit) {
                let field = if r.value.is_null() || matches!(r.value, Field::Known(v) if v < 1) {
                    "value"
                } else {
                    "unit"
                };
                diags.error_at(
                    at(A.criteria).attr("rules").index(i as i64).attr(field),
                    "Invalid criterion",
                    e.to_string(),
                );
            }
        }
        if let Err(e) = check_criteria_types(&kinds) {
            diags.error_at(
                at(A.criteria).attr("rules"),
                "Invalid criteria",
                e.to_string(),
            );
        }
    }
    if let Field::Known(f) = &m.filter_config
        && !m.package_type.is_unknown()
    {
        let set: Vec<FilterList> = FilterList::ALL
            .into_iter()
            .filter(|l| !strings(filter_get(f, *l)).is_empty())
            .collect();
        if let Err(e) = check_filter_lists(package_type, &set) {
            let list = match &e {
                crate::rules::lifecycle::LifecycleError::FilterNotForType { list, .. } => {
                    list.attribute()
                }
                _ => "",
            };
            diags.error_at(
                at(A.filter_config).attr(list),
                "Invalid filter_config",
                e.to_string(),
            );
        }
    }
}

pub(crate) struct LifecycleRuleResource {
    data: Shared,
}

pub(crate) fn new(data: Shared) -> Arc<LifecycleRuleResource> {
    Arc::new(LifecycleRuleResource { data })
}

fn decode_or_report(v: &Value, diags: &mut Diagnostics) -> Option<RuleModel> {
    decode::<RuleModel>(v)
        .map_err(|e| {
            diags.push(Diagnostic::error(
                "Provider error: unreadable value",
                e.to_string(),
            ))
        })
        .ok()
}

fn encode_or_report(m: &RuleModel, diags: &mut Diagnostics) -> Option<Value> {
    encode(m, &schema().value_type())
        .map_err(|e| {
            diags.push(Diagnostic::error(
                "Provider error: unencodable state",
                e.to_string(),
            ))
        })
        .ok()
}

impl LifecycleRuleResource {
    /// `apply_to.registries` against the account directory (`directory.rs`), like the
    /// upstream link check: each must be a registry in the rule's scope or below it, of the
    /// rule's package type when it has one (`rules::lifecycle::check_rule_registry`). One not
    /// there is a warning, not an error: it may be created (or moved there) in this same run.
    async fn check_registries(&self, m: &RuleModel, scope: &Scope, diags: &mut Diagnostics) {
        let Ok(Some(ctx)) = self.data.get() else {
            return;
        };
        let Field::Known(apply) = &m.apply_to else {
            return;
        };
        let path = AttributePath::root(A.apply_to).attr("registries");
        let names = strings(&apply.registries);
        let lookups = join_all(names.iter().map(|n| ctx.directory.find(n))).await;
        let not_there = |name: &str, more: &str| {
            Diagnostic::warning(
                "Registry not found",
                format!(
                    "apply_to.registries names {name:?}, which is not a registry in {scope} or \
                     below it now{more}. Unless this run creates it there, the apply will fail."
                ),
            )
            .at(path.clone())
        };
        for (name, found) in names.iter().zip(lookups) {
            let found = match found {
                Ok(Some(f)) => f,
                Ok(None) => {
                    diags.push(not_there(name, ""));
                    continue;
                }
                Err(e) => {
                    diags.push(
                        api_error(&format!("looking up registry {name}"), &e).at(path.clone()),
                    );
                    continue;
                }
            };
            match check_rule_registry(scope, ks(&m.package_type), &found) {
                Ok(()) => {}
                Err(LifecycleError::RegistryOutOfScope { at, .. }) => {
                    diags.push(not_there(name, &format!(" (it lives in {at})")))
                }
                Err(e) => diags.error_at(
                    path.clone(),
                    "Registry of another package type",
                    e.to_string(),
                ),
            }
        }
    }
}

#[async_trait]
impl Resource for LifecycleRuleResource {
    fn type_name(&self) -> &str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate_config(&self, req: &ValidateRequest<'_>, diags: &mut Diagnostics) {
        if let Ok((m, _)) = model::decode_lenient::<RuleModel>(req.config) {
            check(&m, diags);
        }
    }

    async fn modify_plan(&self, req: &ModifyPlanRequest<'_>, resp: &mut ModifyPlanResponse) {
        let diags = &mut resp.diagnostics;
        let Ok((config, _)) = model::decode_lenient::<RuleModel>(req.config) else {
            return;
        };
        check(&config, diags);
        let Ok(Some(ctx)) = self.data.get() else {
            return;
        };
        let Some(mut planned) = decode_or_report(&resp.planned, diags) else {
            return;
        };
        let d = &ctx.defaults;
        if config.org_id.is_null() {
            planned.org_id = Field::from_option(d.org_id.clone());
        }
        if config.project_id.is_null() {
            planned.project_id =
                if config.org_id.is_null() || ks(&config.org_id) == d.org_id.as_deref() {
                    Field::from_option(d.project_id.clone())
                } else {
                    Field::Null
                };
        }
        if planned.project_id.is_known() && planned.org_id.is_null() {
            diags.error_at(
                AttributePath::root(A.project_id),
                "project_id needs org_id",
                "a project lives in an org: set org_id (or the provider's org_id) too",
            );
        }
        let scope = scope_of(&planned, &d.account_id);
        planned.id = match (
            &planned.rule_id,
            planned.org_id.is_unknown() || planned.project_id.is_unknown(),
        ) {
            (Field::Known(r), false) => Field::Known(format!("{scope}/{r}")),
            _ => Field::Unknown,
        };
        // Looked up on create, and when the registries or the package type change (in the
        // account directory, concurrently), not on every plan.
        let prior = decode::<RuleModel>(req.prior)
            .ok()
            .filter(|_| !req.prior.is_null());
        let registries = |m: &RuleModel| m.apply_to.clone().known().map(|a| strings(&a.registries));
        let changed = prior.as_ref().is_none_or(|p| {
            registries(p) != registries(&config) || p.package_type != config.package_type
        });
        if changed {
            self.check_registries(&config, &scope, diags).await;
        }
        if let Some(v) = encode_or_report(&planned, diags) {
            resp.planned = v;
        }
    }

    async fn create(&self, req: &CreateRequest<'_>, resp: &mut CreateResponse) {
        let diags = &mut resp.diagnostics;
        let Some(ctx) = self.data.require(diags) else {
            return;
        };
        let Some(planned) = decode_or_report(req.planned, diags) else {
            return;
        };
        let scope = scope_of(&planned, &ctx.defaults.account_id);
        match ctx
            .client
            .create_lifecycle_rule(&scope, &request(&planned))
            .await
        {
            Ok(r) => resp.state = encode_or_report(&state(&r, &scope, &planned), diags),
            Err(e) => diags.push(api_error(
                &format!("creating lifecycle rule in {scope}"),
                &e,
            )),
        }
    }

    async fn read(&self, req: &ReadRequest<'_>, resp: &mut ReadResponse) {
        let diags = &mut resp.diagnostics;
        let Some(ctx) = self.data.require(diags) else {
            return;
        };
        let Some(prior) = decode_or_report(req.state, diags) else {
            return;
        };
        let (scope, rule) = match (&prior.rule_id, ks(&prior.id)) {
            (Field::Known(r), _) => (scope_of(&prior, &ctx.defaults.account_id), r.clone()),
            (_, Some(id)) => match parse_id(id) {
                Ok(x) => x,
                Err(e) => return diags.error("Invalid lifecycle rule id", e),
            },
            _ => return diags.error("Invalid lifecycle rule state", "no rule_id and no id"),
        };
        match ctx.client.get_lifecycle_rule(&scope, &rule).await {
            Ok(None) => resp.state = None,
            Ok(Some(r)) => resp.state = encode_or_report(&state(&r, &scope, &prior), diags),
            Err(e) => {
                resp.state = Some(req.state.clone());
                diags.push(api_error(
                    &format!("reading lifecycle rule {scope}/{rule}"),
                    &e,
                ));
            }
        }
    }

    async fn update(&self, req: &UpdateRequest<'_>, resp: &mut UpdateResponse) {
        let diags = &mut resp.diagnostics;
        let Some(ctx) = self.data.require(diags) else {
            return;
        };
        let Some(planned) = decode_or_report(req.planned, diags) else {
            return;
        };
        let scope = scope_of(&planned, &ctx.defaults.account_id);
        let Some(rule) = ks(&planned.rule_id).map(str::to_string) else {
            return diags.error("Invalid lifecycle rule state", "no rule_id");
        };
        match ctx
            .client
            .update_lifecycle_rule(&scope, &rule, &request(&planned))
            .await
        {
            Ok(r) => resp.state = encode_or_report(&state(&r, &scope, &planned), diags),
            Err(e) => {
                resp.state = Some(req.prior.clone());
                diags.push(api_error(
                    &format!("updating lifecycle rule {scope}/{rule}"),
                    &e,
                ));
            }
        }
    }

    async fn delete(&self, req: &DeleteRequest<'_>, resp: &mut DeleteResponse) {
        let diags = &mut resp.diagnostics;
        let Some(ctx) = self.data.require(diags) else {
            return;
        };
        let Some(prior) = decode_or_report(req.prior, diags) else {
            return;
        };
        let scope = scope_of(&prior, &ctx.defaults.account_id);
        let Some(rule) = ks(&prior.rule_id).map(str::to_string) else {
            return;
        };
        if let Err(e) = ctx.client.delete_lifecycle_rule(&scope, &rule).await {
            diags.push(api_error(
                &format!("deleting lifecycle rule {scope}/{rule}"),
                &e,
            ));
        }
    }

    async fn import(&self, req: &ImportRequest<'_>, resp: &mut ImportResponse) {
        match parse_id(req.id) {
            Ok((scope, rule)) => {
                let m = RuleModel {
                    id: Field::Known(format!("{scope}/{rule}")),
                    rule_id: Field::Known(rule),
                    org_id: Field::from_option(scope.org.clone()),
                    project_id: Field::from_option(scope.project.clone()),
                    ..Default::default()
                };
                resp.state = encode_or_report(&m, &mut resp.diagnostics);
            }
            Err(e) => resp.diagnostics.error("Invalid import ID", e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_and_model_agree() {
        model::check_model(&schema(), RuleModel::ATTR_NAMES).unwrap();
        let from_rules: Vec<&str> = FilterList::ALL.iter().map(|l| l.attribute()).collect();
        assert_eq!(from_rules, FILTER_NAMES);
    }

    #[test]
    fn ids() {
        let (s, r) = parse_id("acct/org/abc123").unwrap();
        assert_eq!(s.to_string(), "acct/org");
        assert_eq!(r, "abc123");
        assert!(parse_id("abc").is_err());
        assert!(parse_id("acct/").is_err());
    }
}
