//! Wire models of lifecycle rules (the v3 API, `docs/api/lifecycle-rules.md`): the client
//! sends and reads them, har-local answers with them.

use serde::{Deserialize, Deserializer, Serialize};

/// `applyTo`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ApplyTo {
    /// `ALL_IN_SCOPE` or `EXPLICIT`.
    #[serde(default)]
    pub mode: String,
    /// Registry identifiers; only for `EXPLICIT`.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub registries: Vec<String>,
}

/// `criteria`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Criteria {
    /// `ALL` or `ANY`.
    #[serde(rename = "match", default)]
    pub match_: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub rules: Vec<CriterionRule>,
}

/// `criteria.rules[]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CriterionRule {
    /// `KEEP_LAST_N`, `AGE_BASED` or `UNUSED_FOR`.
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub config: CriterionConfig,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CriterionConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// `DAYS`, `MONTHS` or `YEARS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// `schedule`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Schedule {
    /// Five-field cron.
    #[serde(default)]
    pub expression: String,
    /// IANA time zone name.
    #[serde(default)]
    pub timezone: String,
}

/// `filterConfig`: glob lists; which ones apply depends on the package type
/// (`rules::lifecycle::filter_lists_for`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterConfig {
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub package_name_allowed_pattern: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub version_name_allowed_pattern: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tag_name_allowed_pattern: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub group_id_allowed_pattern: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub model_allowed_pattern: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub dataset_allowed_pattern: Vec<String>,
}

impl FilterConfig {
    pub fn is_empty(&self) -> bool {
        *self == FilterConfig::default()
    }
}

/// Body of create and of PUT (PUT replaces the whole rule).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleRuleRequest {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `DELETE` or `PROTECT`.
    #[serde(default)]
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_type: Option<String>,
    #[serde(default)]
    pub apply_to: ApplyTo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criteria: Option<Criteria>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_config: Option<FilterConfig>,
}

/// `createdBy`, `updatedBy`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Principal {
    #[serde(default, deserialize_with = "null_as_default")]
    pub email: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
}

/// A rule as the API answers it: the request's fields and what the server keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleRule {
    /// Server-assigned; the rule's only key.
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub description: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_type: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub apply_to: ApplyTo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criteria: Option<Criteria>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_config: Option<FilterConfig>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub enabled: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub has_local_assignment: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_identifier: Option<String>,
    /// Epoch milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_run_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_run_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Principal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<Principal>,
}

/// Answer of the list. `page` is 0-based.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListLifecycleRules {
    #[serde(default)]
    pub has_more: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub items: Vec<LifecycleRule>,
    #[serde(default)]
    pub page: i64,
    #[serde(default)]
    pub size: i64,
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
