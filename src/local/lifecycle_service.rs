//! Lifecycle rules in har-local (the v3 API, `docs/api/lifecycle-rules.md`): the rules of
//! `rules::lifecycle` applied to every request, scope from the query, bare JSON answers.
//!
//! Registries named in `applyTo.registries` must exist in the rule's scope or below it, and
//! be of the rule's package type when it has one; `enabled` is true on create and no request
//! changes it (the request model has no such field).

use axum::http::StatusCode;

use super::error::ApiError;
use super::lifecycle_store::{self as lstore, StoredRule};
use super::service::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Service};
use super::store;
use crate::api::model::lifecycle::{
    ApplyTo, Criteria, CriterionConfig, CriterionRule, FilterConfig, LifecycleRule,
    LifecycleRuleRequest, ListLifecycleRules, Schedule,
};
use crate::api::refs::{RegistryRef, Scope};
use crate::rules::lifecycle::{
    Action, ApplyMode, CriterionType, FilterList, LifecycleError, Match, Unit, check_action_parts,
    check_apply_to, check_criteria_types, check_criterion, check_cron, check_filter_lists,
    check_rule_registry, check_timezone,
};
use crate::rules::{LinkTarget, PackageType};

fn bad(e: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(e.to_string())
}

/// `account_identifier`, `org_identifier`, `project_identifier` of a query.
#[derive(Debug, Default, Clone)]
pub struct ScopeQuery {
    pub account: Option<String>,
    pub org: Option<String>,
    pub project: Option<String>,
    pub page: Option<String>,
    pub size: Option<String>,
    pub search_term: Option<String>,
}

impl ScopeQuery {
    pub fn parse(query: Option<&str>) -> ScopeQuery {
        let mut q = ScopeQuery::default();
        for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let v = Some(v.into_owned()).filter(|v| !v.is_empty());
            match k.as_ref() {
                "account_identifier" | "accountIdentifier" => q.account = v,
                "org_identifier" | "orgIdentifier" => q.org = v,
                "project_identifier" | "projectIdentifier" => q.project = v,
                "page" => q.page = v,
                "size" => q.size = v,
                "searchTerm" | "search_term" => q.search_term = v,
                _ => {}
            }
        }
        q
    }

    /// The scope the query names, under the served account.
    pub fn scope(&self, svc: &Service) -> Result<Scope, ApiError> {
        let account = self
            .account
            .as_deref()
            .ok_or_else(|| bad("account_identifier is required"))?;
        let mut path = account.to_string();
        match (&self.org, &self.project) {
            (None, Some(_)) => return Err(bad("project_identifier needs org_identifier")),
            (Some(o), p) => {
                path.push('/');
                path.push_str(o);
                if let Some(p) = p {
                    path.push('/');
                    path.push_str(p);
                }
            }
            (None, None) => {}
        }
        svc.scope(&path)
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("lifecycle rule not found: {id}"),
    )
}

/// Applies the rules to a create or PUT body, giving the normal form that is stored.
async fn validate(
    svc: &Service,
    scope: &Scope,
    req: LifecycleRuleRequest,
) -> Result<LifecycleRuleRequest, ApiError> {
    if req.name.trim().is_empty() {
        return Err(bad(LifecycleError::EmptyName));
    }
    let action = Action::parse(&req.action).map_err(bad)?;
    let package_type = req
        .package_type
        .as_deref()
        .filter(|p| !p.is_empty())
        .map(PackageType::parse)
        .transpose()
        .map_err(bad)?;
    let mode = ApplyMode::parse(&req.apply_to.mode).map_err(bad)?;
    check_apply_to(mode, &req.apply_to.registries).map_err(bad)?;
    for name in &req.apply_to.registries {
        let (account, wanted) = (scope.account.clone(), name.clone());
        let found = svc
            .store()
            .read(move |c| store::list_account(c, &account, Some(&wanted)))
            .await?
            .into_iter()
            .find(|r| &r.identifier == name && scope.is_visible_from(&r.scope));
        let Some(reg) = found else {
            return Err(bad(format!(
                "registry not found: {name} (in {scope} or a scope below it)"
            )));
        };
        // The same rule the provider checks at plan time (one home: rules/lifecycle.rs).
        let target = LinkTarget {
            reference: RegistryRef::new(reg.scope.clone(), reg.identifier.clone()),
            registry_type: reg.registry_type.as_str().to_string(),
            package_type: reg.package_type.clone(),
        };
        check_rule_registry(scope, package_type.map(PackageType::as_str), &target).map_err(bad)?;
    }
    let criteria = match req.criteria {
        None => None,
        Some(c) => {
            let m = Match::parse(&c.match_).map_err(bad)?;
            let mut kinds = Vec::new();
            let mut rules = Vec::new();
            for r in c.rules {
                let kind = CriterionType::parse(&r.kind).map_err(bad)?;
                let unit = r
                    .config
                    .unit
                    .as_deref()
                    .filter(|u| !u.is_empty())
                    .map(Unit::parse)
                    .transpose()
                    .map_err(bad)?;
                check_criterion(kind, r.config.value, unit).map_err(bad)?;
                kinds.push(kind);
                rules.push(CriterionRule {
                    kind: kind.as_str().into(),
                    config: CriterionConfig {
                        value: r.config.value,
                        unit: unit.map(|u| u.as_str().into()),
                    },
                });
            }
            check_criteria_types(&kinds).map_err(bad)?;
            Some(Criteria {
                match_: m.as_str().into(),
                rules,
            })
        }
    };
    let schedule = match req.schedule {
        None => None,
        Some(s) => {
            check_cron(&s.expression).map_err(bad)?;
            check_timezone(&s.timezone).map_err(bad)?;
            Some(Schedule {
                expression: s
                    .expression
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                timezone: s.timezone,
            })
        }
    };
    check_action_parts(action, criteria.is_some(), schedule.is_some()).map_err(bad)?;
    let filter_config = req.filter_config.filter(|f| !f.is_empty());
    if let Some(f) = &filter_config {
        check_filter_lists(package_type, &set_lists(f)).map_err(bad)?;
    }
    Ok(LifecycleRuleRequest {
        name: req.name,
        description: req.description.filter(|d| !d.is_empty()),
        action: action.as_str().into(),
        package_type: package_type.map(|p| p.as_str().into()),
        apply_to: ApplyTo {
            mode: mode.as_str().into(),
            registries: req.apply_to.registries,
        },
        criteria,
        schedule,
        filter_config,
    })
}

/// The pattern lists `f` sets.
pub fn set_lists(f: &FilterConfig) -> Vec<FilterList> {
    FilterList::ALL
        .into_iter()
        .filter(|l| !list_of(f, *l).is_empty())
        .collect()
}

fn list_of(f: &FilterConfig, l: FilterList) -> &Vec<String> {
    match l {
        FilterList::PackageName => &f.package_name_allowed_pattern,
        FilterList::VersionName => &f.version_name_allowed_pattern,
        FilterList::TagName => &f.tag_name_allowed_pattern,
        FilterList::GroupId => &f.group_id_allowed_pattern,
        FilterList::Model => &f.model_allowed_pattern,
        FilterList::Dataset => &f.dataset_allowed_pattern,
    }
}

fn to_wire(r: StoredRule) -> LifecycleRule {
    let b = r.body;
    LifecycleRule {
        id: r.id,
        name: b.name,
        description: b.description.unwrap_or_default(),
        action: b.action,
        package_type: b.package_type,
        apply_to: b.apply_to,
        criteria: b.criteria,
        schedule: b.schedule,
        filter_config: b.filter_config,
        enabled: r.enabled,
        has_local_assignment: false,
        org_identifier: r.scope.org.clone(),
        project_identifier: r.scope.project.clone(),
        created_at: Some(r.created_at),
        updated_at: Some(r.updated_at),
        // har-local runs no rule, so there is no last run and no next run to report.
        last_run_at: None,
        next_run_at: None,
        created_by: None,
        updated_by: None,
    }
}

/// The rule `id` as seen from `scope`: a rule of another scope is not found there.
async fn find(svc: &Service, scope: &Scope, id: &str) -> Result<StoredRule, ApiError> {
    let (account, key) = (scope.account.clone(), id.to_string());
    svc.store()
        .read(move |c| lstore::get(c, &account, &key))
        .await?
        .filter(|r| &r.scope == scope)
        .ok_or_else(|| not_found(id))
}

pub async fn create(
    svc: &Service,
    q: ScopeQuery,
    req: LifecycleRuleRequest,
) -> Result<LifecycleRule, ApiError> {
    let scope = q.scope(svc)?;
    let body = validate(svc, &scope, req).await?;
    let stored = svc
        .store()
        .write(move |c| lstore::create(c, &scope, body))
        .await?;
    Ok(to_wire(stored))
}

pub async fn get(svc: &Service, q: ScopeQuery, id: String) -> Result<LifecycleRule, ApiError> {
    let scope = q.scope(svc)?;
    Ok(to_wire(find(svc, &scope, &id).await?))
}

pub async fn update(
    svc: &Service,
    q: ScopeQuery,
    id: String,
    req: LifecycleRuleRequest,
) -> Result<LifecycleRule, ApiError> {
    let scope = q.scope(svc)?;
    find(svc, &scope, &id).await?;
    let body = validate(svc, &scope, req).await?;
    let account = scope.account.clone();
    let key = id.clone();
    svc.store()
        .write(move |c| lstore::update(c, &account, &key, body))
        .await?
        .map(to_wire)
        .ok_or_else(|| not_found(&id))
}

/// Delete is addressed by account (the official client sends only `account_identifier`); an
/// org or project in the query, when given, must be the rule's.
pub async fn delete(svc: &Service, q: ScopeQuery, id: String) -> Result<(), ApiError> {
    let scope = q.scope(svc)?;
    let (account, key) = (scope.account.clone(), id.clone());
    let rule = svc
        .store()
        .read(move |c| lstore::get(c, &account, &key))
        .await?
        .ok_or_else(|| not_found(&id))?;
    if scope.org.is_some() && rule.scope != scope {
        return Err(not_found(&id));
    }
    let account = scope.account.clone();
    let deleted = svc
        .store()
        .write(move |c| lstore::delete(c, &account, &id))
        .await?;
    if deleted {
        Ok(())
    } else {
        Err(not_found(&rule.id))
    }
}

pub async fn list(svc: &Service, q: ScopeQuery) -> Result<ListLifecycleRules, ApiError> {
    let scope = q.scope(svc)?;
    let number = |v: &Option<String>, name: &str, default: i64, min: i64| match v {
        None => Ok(default),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= min)
            .ok_or_else(|| bad(format!("invalid {name}: {s:?}; a whole number >= {min}"))),
    };
    let page = number(&q.page, "page", 0, 0)?;
    let size = number(&q.size, "size", DEFAULT_PAGE_SIZE, 1)?.min(MAX_PAGE_SIZE);
    let search = q.search_term.as_deref().map(str::to_lowercase);
    let all = svc.store().read(move |c| lstore::list(c, &scope)).await?;
    let items: Vec<StoredRule> = all
        .into_iter()
        .filter(|r| {
            search
                .as_deref()
                .is_none_or(|s| r.body.name.to_lowercase().contains(s))
        })
        .collect();
    let start = usize::try_from(page.saturating_mul(size)).unwrap_or(usize::MAX);
    let has_more = (items.len() as i64) > (page + 1).saturating_mul(size);
    Ok(ListLifecycleRules {
        has_more,
        items: items
            .into_iter()
            .skip(start)
            .take(size as usize)
            .map(to_wire)
            .collect(),
        page,
        size,
    })
}
