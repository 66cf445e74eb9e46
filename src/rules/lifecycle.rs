//! Lifecycle rule rules (the v3 lifecycle API, described in `docs/api/lifecycle-rules.md`):
//! action, `applyTo` mode, criteria with their value and unit per type, the five-field cron
//! schedule and its IANA time zone, and which `filterConfig` pattern lists a package type has.
//! The server (har-local) answers with them and the provider checks them at plan time.

use std::str::FromStr;

use super::package::string_enum;
use super::{LinkTarget, PackageType};
use crate::api::refs::Scope;

string_enum!(
    /// `action`: `DELETE` is a cleanup rule, `PROTECT` a retention rule.
    Action, "lifecycle action", {
    Delete = "DELETE",
    Protect = "PROTECT",
});

string_enum!(
    /// `applyTo.mode`.
    ApplyMode, "apply_to mode", {
    AllInScope = "ALL_IN_SCOPE",
    Explicit = "EXPLICIT",
});

string_enum!(
    /// `criteria.match`: every rule must hold, or any one.
    Match, "criteria match", {
    All = "ALL",
    Any = "ANY",
});

string_enum!(
    /// `criteria.rules[].type`.
    CriterionType, "criterion type", {
    KeepLastN = "KEEP_LAST_N",
    AgeBased = "AGE_BASED",
    UnusedFor = "UNUSED_FOR",
});

string_enum!(
    /// `criteria.rules[].config.unit`.
    Unit, "criterion unit", {
    Days = "DAYS",
    Months = "MONTHS",
    Years = "YEARS",
});

/// The six pattern lists of `filterConfig`: JSON name and Terraform attribute name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterList {
    PackageName,
    VersionName,
    TagName,
    GroupId,
    Model,
    Dataset,
}

impl FilterList {
    pub const ALL: [FilterList; 6] = [
        FilterList::PackageName,
        FilterList::VersionName,
        FilterList::TagName,
        FilterList::GroupId,
        FilterList::Model,
        FilterList::Dataset,
    ];

    pub fn json_name(self) -> &'static str {
        match self {
            FilterList::PackageName => "packageNameAllowedPattern",
            FilterList::VersionName => "versionNameAllowedPattern",
            FilterList::TagName => "tagNameAllowedPattern",
            FilterList::GroupId => "groupIdAllowedPattern",
            FilterList::Model => "modelAllowedPattern",
            FilterList::Dataset => "datasetAllowedPattern",
        }
    }

    pub fn attribute(self) -> &'static str {
        match self {
            FilterList::PackageName => "package_name_patterns",
            FilterList::VersionName => "version_name_patterns",
            FilterList::TagName => "tag_name_patterns",
            FilterList::GroupId => "group_id_patterns",
            FilterList::Model => "model_patterns",
            FilterList::Dataset => "dataset_patterns",
        }
    }
}

/// The lists a rule of `package_type` may set: DOCKER package name and tag; MAVEN group id,
/// package name and version; HUGGINGFACE model, dataset and version; any other type, and a
/// rule for every package type, package name and version.
pub fn filter_lists_for(package_type: Option<PackageType>) -> &'static [FilterList] {
    use FilterList::*;
    match package_type {
        Some(PackageType::Docker) => &[PackageName, TagName],
        Some(PackageType::Maven) => &[GroupId, PackageName, VersionName],
        Some(PackageType::Huggingface) => &[Model, Dataset, VersionName],
        _ => &[PackageName, VersionName],
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error("name must not be empty")]
    EmptyName,
    #[error(
        "apply_to.registries is required when apply_to.mode is EXPLICIT: name at least one registry"
    )]
    RegistriesRequired,
    #[error(
        "apply_to.registries must not be set when apply_to.mode is ALL_IN_SCOPE: the rule \
         applies to every registry of its scope"
    )]
    RegistriesForbidden,
    #[error("apply_to.registries names {0:?} twice")]
    DuplicateRegistry(String),
    #[error("criteria.rules must hold at least one rule")]
    NoCriteria,
    #[error("criteria.rules has two {0} rules; each type may appear once")]
    DuplicateCriterion(CriterionType),
    #[error("a {0} rule needs a value (a whole number, 1 or more)")]
    ValueRequired(CriterionType),
    #[error("a {0} rule's value must be 1 or more, got {1}")]
    ValueTooSmall(CriterionType, i64),
    #[error("a KEEP_LAST_N rule counts versions and takes no unit, got unit {0}")]
    UnitForbidden(Unit),
    #[error("a {0} rule needs a unit: DAYS, MONTHS or YEARS")]
    UnitRequired(CriterionType),
    #[error(
        "a PROTECT (retention) rule has no {0}: it protects what its filters match whenever a \
         cleanup runs; remove {0}"
    )]
    NotForProtect(&'static str),
    #[error(
        "a DELETE (cleanup) rule needs criteria: at least one of KEEP_LAST_N, AGE_BASED, UNUSED_FOR"
    )]
    CriteriaRequired,
    #[error(
        "filter_config.{} is not a pattern list of {}; allowed: {}",
        .list.attribute(),
        .package_type.map_or("a rule for every package type", |p| p.as_str()),
        .allowed.iter().map(|l| l.attribute()).collect::<Vec<_>>().join(", ")
    )]
    FilterNotForType {
        list: FilterList,
        package_type: Option<PackageType>,
        allowed: &'static [FilterList],
    },
    #[error(
        "apply_to.registries names {name:?}, which lives in {at}: not in {scope} or a scope \
         below it, where a rule of {scope} applies"
    )]
    RegistryOutOfScope {
        name: String,
        at: Box<Scope>,
        scope: Box<Scope>,
    },
    #[error(
        "apply_to.registries: {name:?} is a {theirs} registry, but this rule is for \
         package_type {ours}"
    )]
    RegistryPackageType {
        name: String,
        theirs: String,
        ours: String,
    },
    #[error("schedule.expression {expression:?}: {reason}")]
    Cron { expression: String, reason: String },
    #[error("schedule.timezone {value:?} is not an IANA time zone name such as UTC, Europe/Berlin or America/New_York{}", suggestion.map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    TimeZone {
        value: String,
        suggestion: Option<&'static str>,
    },
}

/// `applyTo`: `EXPLICIT` names registries (each once), `ALL_IN_SCOPE` names none.
pub fn check_apply_to(mode: ApplyMode, registries: &[String]) -> Result<(), LifecycleError> {
    match mode {
        ApplyMode::Explicit if registries.is_empty() => Err(LifecycleError::RegistriesRequired),
        ApplyMode::AllInScope if !registries.is_empty() => Err(LifecycleError::RegistriesForbidden),
        _ => {
            for (i, r) in registries.iter().enumerate() {
                if registries[..i].contains(r) {
                    return Err(LifecycleError::DuplicateRegistry(r.clone()));
                }
            }
            Ok(())
        }
    }
}

/// A registry named in `applyTo.registries`, found by name in the account: it must live in
/// the rule's scope or below it, and have the rule's package type when the rule has one.
pub fn check_rule_registry(
    scope: &Scope,
    package_type: Option<&str>,
    registry: &LinkTarget,
) -> Result<(), LifecycleError> {
    let name = &registry.reference.identifier;
    let at = &registry.reference.scope;
    if !scope.is_visible_from(at) {
        return Err(LifecycleError::RegistryOutOfScope {
            name: name.clone(),
            at: Box::new(at.clone()),
            scope: Box::new(scope.clone()),
        });
    }
    match package_type {
        Some(pt) if registry.package_type != pt => Err(LifecycleError::RegistryPackageType {
            name: name.clone(),
            theirs: registry.package_type.clone(),
            ours: pt.to_string(),
        }),
        _ => Ok(()),
    }
}

/// One criterion: `KEEP_LAST_N` a count and no unit; `AGE_BASED`, `UNUSED_FOR` a number and a
/// unit.
pub fn check_criterion(
    kind: CriterionType,
    value: Option<i64>,
    unit: Option<Unit>,
) -> Result<(), LifecycleError> {
    let value = value.ok_or(LifecycleError::ValueRequired(kind))?;
    if value < 1 {
        return Err(LifecycleError::ValueTooSmall(kind, value));
    }
    match (kind, unit) {
        (CriterionType::KeepLastN, Some(u)) => Err(LifecycleError::UnitForbidden(u)),
        (CriterionType::AgeBased | CriterionType::UnusedFor, None) => {
            Err(LifecycleError::UnitRequired(kind))
        }
        _ => Ok(()),
    }
}

/// The list of criteria: not empty, each type once.
pub fn check_criteria_types(kinds: &[CriterionType]) -> Result<(), LifecycleError> {
    if kinds.is_empty() {
        return Err(LifecycleError::NoCriteria);
    }
    for (i, k) in kinds.iter().enumerate() {
        if kinds[..i].contains(k) {
            return Err(LifecycleError::DuplicateCriterion(*k));
        }
    }
    Ok(())
}

/// What each action takes (the product guide): a retention rule has neither criteria nor a
/// schedule; a cleanup rule needs at least one criterion.
pub fn check_action_parts(
    action: Action,
    has_criteria: bool,
    has_schedule: bool,
) -> Result<(), LifecycleError> {
    match action {
        Action::Protect if has_criteria => Err(LifecycleError::NotForProtect("criteria")),
        Action::Protect if has_schedule => Err(LifecycleError::NotForProtect("schedule")),
        Action::Delete if !has_criteria => Err(LifecycleError::CriteriaRequired),
        _ => Ok(()),
    }
}

/// Only the lists of the rule's package type may be set (`set` holds the lists that are).
pub fn check_filter_lists(
    package_type: Option<PackageType>,
    set: &[FilterList],
) -> Result<(), LifecycleError> {
    let allowed = filter_lists_for(package_type);
    match set.iter().find(|l| !allowed.contains(l)) {
        Some(list) => Err(LifecycleError::FilterNotForType {
            list: *list,
            package_type,
            allowed,
        }),
        None => Ok(()),
    }
}

/// The five cron fields, their names and ranges, and the names allowed in place of numbers.
const CRON_FIELDS: [(&str, u32, u32, &[&str]); 5] = [
    ("minute", 0, 59, &[]),
    ("hour", 0, 23, &[]),
    ("day of month", 1, 31, &[]),
    (
        "month",
        1,
        12,
        &[
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
        ],
    ),
    // 0 and 7 are both Sunday.
    (
        "day of week",
        0,
        7,
        &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
    ),
];

/// A standard five-field cron expression: minute, hour, day of month, month, day of week.
/// Each field is `*` or a comma list of `N`, `N-M`, each optionally `/STEP`; months and days
/// of the week may be named (`JAN`, `MON`, case-insensitive).
pub fn check_cron(expression: &str) -> Result<(), LifecycleError> {
    let fail = |reason: String| LifecycleError::Cron {
        expression: expression.to_string(),
        reason,
    };
    let fields: Vec<&str> = expression.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(fail(format!(
            "a cron expression has five fields (minute hour day-of-month month day-of-week, \
             e.g. \"0 2 * * *\"), got {}",
            fields.len()
        )));
    }
    for (field, (name, min, max, names)) in fields.iter().zip(CRON_FIELDS) {
        check_cron_field(field, min, max, names).map_err(|why| {
            fail(format!(
                "{name} field {field:?}: {why}; allowed {min}-{max}"
            ))
        })?;
    }
    Ok(())
}

fn check_cron_field(field: &str, min: u32, max: u32, names: &[&str]) -> Result<(), String> {
    let number = |s: &str| -> Result<u32, String> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
            return Ok(min + i as u32);
        }
        let n: u32 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
        if n < min || n > max {
            return Err(format!("{n} is out of range"));
        }
        Ok(n)
    };
    for item in field.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (item, None),
        };
        if let Some(step) = step {
            let n: u32 = step
                .parse()
                .map_err(|_| format!("step {step:?} is not a number"))?;
            if n == 0 {
                return Err("a step must be 1 or more".into());
            }
        }
        if range == "*" {
            continue;
        }
        match range.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (number(a)?, number(b)?);
                if a > b {
                    return Err(format!("range {a}-{b} runs backwards"));
                }
            }
            None => {
                number(range)?;
            }
        }
    }
    Ok(())
}

/// An IANA time zone name (`UTC`, `Europe/Berlin`), as in the tz database.
pub fn check_timezone(name: &str) -> Result<(), LifecycleError> {
    match chrono_tz::Tz::from_str(name) {
        Ok(_) => Ok(()),
        Err(_) => Err(LifecycleError::TimeZone {
            value: name.to_string(),
            suggestion: crate::suggest::did_you_mean(
                name,
                chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()),
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_registry_lives_in_the_rule_scope_or_below_with_its_package_type() {
        let reg = |path: &str, pt: &str| LinkTarget {
            reference: crate::api::refs::RegistryRef::parse(path).unwrap(),
            registry_type: "VIRTUAL".into(),
            package_type: pt.into(),
        };
        let org = Scope::parse("a/o").unwrap();
        for ok in ["a/o/r", "a/o/p/r"] {
            assert_eq!(
                check_rule_registry(&org, None, &reg(ok, "NPM")),
                Ok(()),
                "{ok}"
            );
        }
        for out in ["a/r", "a/o2/r", "a/o2/p/r"] {
            let e = check_rule_registry(&org, None, &reg(out, "NPM")).unwrap_err();
            assert!(
                matches!(e, LifecycleError::RegistryOutOfScope { .. }),
                "{out}"
            );
            assert!(
                e.to_string().contains("not in a/o or a scope below it"),
                "{e}"
            );
        }
        assert_eq!(
            check_rule_registry(&org, Some("NPM"), &reg("a/o/r", "NPM")),
            Ok(())
        );
        let e = check_rule_registry(&org, Some("DOCKER"), &reg("a/o/r", "NPM")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "apply_to.registries: \"r\" is a NPM registry, but this rule is for package_type DOCKER"
        );
    }

    #[test]
    fn criteria_value_and_unit_per_type() {
        use CriterionType::*;
        assert!(check_criterion(KeepLastN, Some(10), None).is_ok());
        assert_eq!(
            check_criterion(KeepLastN, Some(10), Some(Unit::Days)),
            Err(LifecycleError::UnitForbidden(Unit::Days))
        );
        assert!(check_criterion(AgeBased, Some(30), Some(Unit::Days)).is_ok());
        assert_eq!(
            check_criterion(UnusedFor, Some(3), None),
            Err(LifecycleError::UnitRequired(UnusedFor))
        );
        assert_eq!(
            check_criterion(AgeBased, None, Some(Unit::Years)),
            Err(LifecycleError::ValueRequired(AgeBased))
        );
        assert_eq!(
            check_criterion(KeepLastN, Some(0), None),
            Err(LifecycleError::ValueTooSmall(KeepLastN, 0))
        );
        assert_eq!(
            check_criteria_types(&[AgeBased, AgeBased]),
            Err(LifecycleError::DuplicateCriterion(AgeBased))
        );
    }

    #[test]
    fn apply_to_modes() {
        let regs = vec!["docker-main".to_string()];
        assert!(check_apply_to(ApplyMode::Explicit, &regs).is_ok());
        assert!(check_apply_to(ApplyMode::AllInScope, &[]).is_ok());
        assert_eq!(
            check_apply_to(ApplyMode::Explicit, &[]),
            Err(LifecycleError::RegistriesRequired)
        );
        assert_eq!(
            check_apply_to(ApplyMode::AllInScope, &regs),
            Err(LifecycleError::RegistriesForbidden)
        );
    }

    #[test]
    fn cron_expressions() {
        for ok in [
            "0 2 * * *",
            "*/15 * * * *",
            "0 0 1,15 * MON-FRI",
            "30 4 * jan,jul 0",
            "0 0 * * 7",
            "5-10/2 0-23 1-31 1-12 0-6",
        ] {
            assert!(check_cron(ok).is_ok(), "{ok}");
        }
        for (bad, says) in [
            ("0 2 * *", "five fields"),
            ("60 * * * *", "minute"),
            ("* 24 * * *", "hour"),
            ("* * 0 * *", "day of month"),
            ("* * * 13 *", "month"),
            ("* * * * 8", "day of week"),
            ("*/0 * * * *", "step"),
            ("5-1 * * * *", "backwards"),
            ("0 0 * * * *", "five fields"),
            ("@daily", "five fields"),
        ] {
            let e = check_cron(bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn time_zones() {
        for ok in ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"] {
            assert!(check_timezone(ok).is_ok(), "{ok}");
        }
        let e = check_timezone("Europe/Berln").unwrap_err();
        assert!(e.to_string().contains("Europe/Berlin"), "{e}");
        assert!(check_timezone("Mars/Olympus").is_err());
        assert!(check_timezone("").is_err());
    }

    #[test]
    fn filter_lists_follow_the_package_type() {
        use FilterList::*;
        assert!(check_filter_lists(Some(PackageType::Docker), &[PackageName, TagName]).is_ok());
        let e = check_filter_lists(Some(PackageType::Docker), &[VersionName]).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("version_name_patterns"), "{text}");
        assert!(text.contains("DOCKER"), "{text}");
        assert!(check_filter_lists(Some(PackageType::Maven), &[GroupId]).is_ok());
        assert!(check_filter_lists(Some(PackageType::Huggingface), &[Model, Dataset]).is_ok());
        assert!(check_filter_lists(None, &[PackageName, VersionName]).is_ok());
        assert!(check_filter_lists(Some(PackageType::Npm), &[TagName]).is_err());
    }

    #[test]
    fn protect_rules_take_no_criteria_or_schedule() {
        assert!(check_action_parts(Action::Protect, false, false).is_ok());
        assert!(check_action_parts(Action::Protect, true, false).is_err());
        assert!(check_action_parts(Action::Protect, false, true).is_err());
        assert_eq!(
            check_action_parts(Action::Delete, false, true),
            Err(LifecycleError::CriteriaRequired)
        );
    }
}
