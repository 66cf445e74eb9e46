//! The one place that says what this provider manages, in the official provider's terms:
//! the resource types it imports into and, for each field of `harness_platform_har_registry`
//! and `harness_platform_har_lifecycle_rule`, the attribute that takes it over. A field not in [`FIELDS`] (or marked [`Fate::NotManaged`])
//! that holds a value is reported as not carried over. When this provider learns a field,
//! its line here changes from `NotManaged` to `Carried` (tests/acceptance/migrate.rs checks every
//! `Carried` attribute against the provider's schema, and that no `NotManaged` name has
//! appeared in it).

use serde_json::{Map, Value};

/// The official provider's resource that is migrated.
pub const OFFICIAL_REGISTRY: &str = "harness_platform_har_registry";
/// The official lifecycle rule; it becomes a `har_lifecycle_rule`.
pub const OFFICIAL_LIFECYCLE_RULE: &str = "harness_platform_har_lifecycle_rule";
/// Every type of the official provider's artifact registry family starts so.
pub const OFFICIAL_PREFIX: &str = "harness_platform_har_";

/// This provider's resource types.
pub const REGISTRY: &str = "har_registry";
pub const UPSTREAM_PROXY: &str = "har_upstream_proxy";
pub const LIFECYCLE_RULE: &str = "har_lifecycle_rule";

/// Which of this provider's resources an official object becomes: a registry whose
/// `config[0].type` is UPSTREAM is an upstream proxy, any other (VIRTUAL, or no config) a
/// registry; a lifecycle rule stays a lifecycle rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Registry,
    UpstreamProxy,
    LifecycleRule,
}

impl Kind {
    pub fn resource_type(self) -> &'static str {
        match self {
            Kind::Registry => REGISTRY,
            Kind::UpstreamProxy => UPSTREAM_PROXY,
            Kind::LifecycleRule => LIFECYCLE_RULE,
        }
    }

    /// The official resource's fields, and the nested blocks walked into.
    fn table(self) -> (&'static [Field], &'static [&'static str]) {
        match self {
            Kind::Registry | Kind::UpstreamProxy => (FIELDS, BLOCKS),
            Kind::LifecycleRule => (LIFECYCLE_FIELDS, LIFECYCLE_BLOCKS),
        }
    }
}

/// What becomes of one official field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Taken over by this attribute (a `.` path into a nested attribute) of the kind's resource;
    /// `None` for a kind whose resource has no such attribute.
    Carried {
        registry: Option<&'static str>,
        upstream_proxy: Option<&'static str>,
        lifecycle_rule: Option<&'static str>,
    },
    /// Becomes part of the import ID (and so `org_id`/`project_id`) or the resource type.
    Structure,
    /// Computed by the server; the import reads it again.
    Computed,
    /// Not managed by this provider yet; `default` is the value that means "nothing set".
    NotManaged { default: Option<&'static str> },
}

/// One official field, by its path in the state (`config.` for `config[0]`, `config.auth.`
/// for `config[0].auth[0]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub official: &'static str,
    pub fate: Fate,
}

const fn both(attr: &'static str) -> Fate {
    Fate::Carried {
        registry: Some(attr),
        upstream_proxy: Some(attr),
        lifecycle_rule: None,
    }
}

const fn registry_only(attr: &'static str) -> Fate {
    Fate::Carried {
        registry: Some(attr),
        upstream_proxy: None,
        lifecycle_rule: None,
    }
}

const fn proxy_only(attr: &'static str) -> Fate {
    Fate::Carried {
        registry: None,
        upstream_proxy: Some(attr),
        lifecycle_rule: None,
    }
}

const fn rule(attr: &'static str) -> Fate {
    Fate::Carried {
        registry: None,
        upstream_proxy: None,
        lifecycle_rule: Some(attr),
    }
}

impl Fate {
    /// The attribute of `kind`'s resource that takes the field over, if carried.
    pub fn carried_to(self, kind: Kind) -> Option<&'static str> {
        match self {
            Fate::Carried {
                registry,
                upstream_proxy,
                lifecycle_rule,
            } => match kind {
                Kind::Registry => registry,
                Kind::UpstreamProxy => upstream_proxy,
                Kind::LifecycleRule => lifecycle_rule,
            },
            _ => None,
        }
    }
}

const fn field(official: &'static str, fate: Fate) -> Field {
    Field { official, fate }
}

/// The official schema (`internal/service/har/registry/schema.go` of
/// harness/terraform-provider-harness), field by field.
pub const FIELDS: &[Field] = &[
    field("identifier", both("identifier")),
    field("package_type", both("package_type")),
    field("description", both("description")),
    field("allowed_pattern", registry_only("allowed_pattern")),
    field("blocked_pattern", registry_only("blocked_pattern")),
    field("parent_ref", Fate::Structure),
    field("space_ref", Fate::Structure),
    field("org_id", Fate::Structure),
    field("project_id", Fate::Structure),
    field("id", Fate::Computed),
    field("url", Fate::Computed),
    field("created_at", Fate::Computed),
    field("is_public", both("is_public")),
    field("metadata", both("metadata")),
    field("config.type", Fate::Structure),
    field("config.upstream_proxies", registry_only("upstream_proxies")),
    field("config.source", proxy_only("source")),
    field("config.url", proxy_only("url")),
    field("config.auth_type", proxy_only("auth_type")),
    field("config.auth.auth_type", proxy_only("auth_type")),
    field(
        "config.auth.user_name",
        proxy_only("user_password.user_name"),
    ),
    field(
        "config.auth.secret_identifier",
        proxy_only("user_password.secret_identifier"),
    ),
    field(
        "config.auth.secret_space_path",
        proxy_only("user_password.secret_space_path"),
    ),
    field(
        "config.auth.access_key",
        proxy_only("access_key_secret_key.access_key"),
    ),
    field(
        "config.auth.access_key_identifier",
        proxy_only("access_key_secret_key.access_key_secret_identifier"),
    ),
    field(
        "config.auth.access_key_secret_path",
        proxy_only("access_key_secret_key.access_key_secret_space_path"),
    ),
    field(
        "config.auth.secret_key_identifier",
        proxy_only("access_key_secret_key.secret_key_identifier"),
    ),
    field(
        "config.auth.secret_key_secret_path",
        proxy_only("access_key_secret_key.secret_key_space_path"),
    ),
    field("config.firewall_mode", proxy_only("firewall_mode")),
    field("config.remote_url_suffix", proxy_only("remote_url_suffix")),
    field(
        "config.metadata_cache_ttl",
        proxy_only("metadata_cache_ttl"),
    ),
    field(
        "config.negative_cache_ttl",
        proxy_only("negative_cache_ttl"),
    ),
    field("config.debian_config", registry_only("debian_config")),
];

/// The official lifecycle rule (`internal/service/har/lifecycle/schema.go` of
/// harness/terraform-provider-harness), field by field. Its state `id` is the bare rule id;
/// `account_id`, `org_id`, `project_id` and `rule_id` make the import ID.
pub const LIFECYCLE_FIELDS: &[Field] = &[
    field("account_id", Fate::Structure),
    field("org_id", Fate::Structure),
    field("project_id", Fate::Structure),
    field("rule_id", Fate::Structure),
    field("id", Fate::Computed),
    field("name", rule("name")),
    field("description", rule("description")),
    field("action", rule("action")),
    field("package_type", rule("package_type")),
    // Optional there, but its create/update request never sends it: the server's value is
    // what the import reads (read-only here).
    field("enabled", Fate::Computed),
    field("apply_to.mode", rule("apply_to.mode")),
    field("apply_to.registries", rule("apply_to.registries")),
    field("criteria.match", rule("criteria.match")),
    field("criteria.rules.type", rule("criteria.rules.type")),
    field("criteria.rules.value", rule("criteria.rules.value")),
    field("criteria.rules.unit", rule("criteria.rules.unit")),
    field("schedule.expression", rule("schedule.expression")),
    field("schedule.timezone", rule("schedule.timezone")),
    // The filter's package type is the rule's here (`package_type`); the import reads the
    // lists back from the server.
    field("filter_config.package_type", Fate::Structure),
    field(
        "filter_config.package_name_allowed_pattern",
        rule("filter_config.package_name_patterns"),
    ),
    field(
        "filter_config.version_name_allowed_pattern",
        rule("filter_config.version_name_patterns"),
    ),
    field(
        "filter_config.tag_name_allowed_pattern",
        rule("filter_config.tag_name_patterns"),
    ),
    field(
        "filter_config.group_id_allowed_pattern",
        rule("filter_config.group_id_patterns"),
    ),
    field(
        "filter_config.model_allowed_pattern",
        rule("filter_config.model_patterns"),
    ),
    field(
        "filter_config.dataset_allowed_pattern",
        rule("filter_config.dataset_patterns"),
    ),
    field("created_at", Fate::Computed),
    field("updated_at", Fate::Computed),
    field("last_run_at", Fate::Computed),
    field("next_run_at", Fate::Computed),
];

/// Fields this provider does not manage but sends back as the server has them when it updates
/// an object (PUT replaces the whole registry): `metadata` lives in another API, the others are
/// carried over from the GET before the PUT. An update may reset every other unmanaged field.
pub const KEPT_ON_UPDATE: &[&str] = &["allowed_pattern", "blocked_pattern"];

/// The nested blocks walked into; their own fields are listed above.
const BLOCKS: &[&str] = &["config", "config.auth"];
/// `criteria.rules` is a list of any length; the others hold at most one.
const LIFECYCLE_BLOCKS: &[&str] = &[
    "apply_to",
    "criteria",
    "criteria.rules",
    "schedule",
    "filter_config",
];

fn fate(kind: Kind, path: &str) -> Option<Fate> {
    kind.table()
        .0
        .iter()
        .find(|f| f.official == path)
        .map(|f| f.fate)
}

/// One official field with a value that this provider's resource does not take over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    /// `config[0].firewall_mode`, as the state spells it.
    pub field: String,
    /// The value, short: a scalar as JSON, a collection as its size.
    pub value: String,
    /// An update by this provider sends it back unchanged ([`KEPT_ON_UPDATE`]).
    pub kept_on_update: bool,
}

/// Every field of `values` (an official object's state) with a value that `kind`'s resource
/// does not manage.
pub fn left_behind(values: &Map<String, Value>, kind: Kind) -> Vec<Left> {
    let mut out = Vec::new();
    walk(values, "", "", kind, &mut out);
    out
}

fn walk(values: &Map<String, Value>, path: &str, shown: &str, kind: Kind, out: &mut Vec<Left>) {
    for (key, value) in values {
        let full = format!("{path}{key}");
        let show = format!("{shown}{key}");
        if kind.table().1.contains(&full.as_str()) {
            // A list block: `config[0]`, `config[0].auth[0]`, `criteria[0].rules[1]`.
            for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                if let Some(obj) = item.as_object() {
                    walk(
                        obj,
                        &format!("{full}."),
                        &format!("{show}[{i}]."),
                        kind,
                        out,
                    );
                }
            }
            continue;
        }
        let carried = match fate(kind, &full) {
            Some(f @ Fate::Carried { .. }) => f.carried_to(kind).is_some(),
            Some(Fate::Structure | Fate::Computed) => true,
            Some(Fate::NotManaged { default }) => default.is_some_and(|d| value == d),
            None => false,
        };
        if !carried && !is_empty(value) {
            out.push(Left {
                field: show,
                value: short(value),
                kept_on_update: kind != Kind::LifecycleRule
                    && KEPT_ON_UPDATE.contains(&full.as_str()),
            });
        }
    }
}

/// Unset, or the zero value the official provider writes for unset (SDKv2 state has no null
/// for most types).
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.iter().all(is_empty),
        Value::Object(o) => o.values().all(is_empty),
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::Array(a) => format!("({} items)", a.len()),
        Value::Object(o) => format!("({} entries)", o.len()),
        Value::String(s) if s.chars().count() > 60 => {
            format!("{:?}", s.chars().take(57).collect::<String>() + "...")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn left(v: Value, kind: Kind) -> Vec<(String, String)> {
        left_behind(v.as_object().unwrap(), kind)
            .into_iter()
            .map(|l| (l.field, l.value))
            .collect()
    }

    #[test]
    fn says_which_fields_an_update_keeps() {
        let v = json!({"allowed_pattern": ["a"], "config": [{"upstream_proxies": ["p"]}]});
        let got: Vec<_> = left_behind(v.as_object().unwrap(), Kind::UpstreamProxy)
            .into_iter()
            .map(|l| (l.field, l.kept_on_update))
            .collect();
        assert_eq!(
            got,
            [
                ("allowed_pattern".to_string(), true),
                ("config[0].upstream_proxies".to_string(), false)
            ]
        );
    }

    #[test]
    fn carried_fields_and_defaults_leave_nothing() {
        let v = json!({
            "identifier": "r", "package_type": "DOCKER", "description": "d",
            "parent_ref": "acct", "space_ref": "acct", "id": "r", "url": "u", "created_at": "t",
            "allowed_pattern": ["a"], "blocked_pattern": [], "is_public": false, "metadata": {},
            "config": [{"type": "VIRTUAL", "upstream_proxies": ["p"], "source": "",
                        "url": "", "auth": [], "auth_type": "", "firewall_mode": "",
                        "remote_url_suffix": "", "metadata_cache_ttl": 0,
                        "negative_cache_ttl": 0}]
        });
        assert_eq!(left(v, Kind::Registry), vec![]);
        let v = json!({
            "identifier": "p", "package_type": "DOCKER", "parent_ref": "acct",
            "config": [{"type": "UPSTREAM", "source": "Custom", "url": "https://x",
                        "auth_type": "UserPassword", "firewall_mode": "ALLOW",
                        "auth": [{"auth_type": "UserPassword", "user_name": "u",
                                  "secret_identifier": "s", "secret_space_path": "acct",
                                  "access_key": "", "access_key_identifier": "",
                                  "access_key_secret_path": "", "secret_key_identifier": "",
                                  "secret_key_secret_path": ""}]}]
        });
        assert_eq!(left(v, Kind::UpstreamProxy), vec![]);
    }

    #[test]
    fn reports_what_is_not_managed_with_its_path() {
        let v = json!({
            "identifier": "p", "is_public": true, "metadata": {"team": "a", "env": "b"},
            "allowed_pattern": ["x*"], "some_future_field": "v",
            "config": [{"type": "UPSTREAM", "firewall_mode": "ENABLED",
                        "remote_url_suffix": "simple", "metadata_cache_ttl": 300,
                        "negative_cache_ttl": 0}]
        });
        let mut got = left(v, Kind::UpstreamProxy);
        got.sort();
        let want = [
            ("allowed_pattern", "(1 items)"),
            ("some_future_field", "\"v\""),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_lifecycle_rule_with_every_carried_field_leaves_nothing() {
        let v = json!({
            "id": "r1", "rule_id": "r1", "account_id": "acct", "org_id": "o", "project_id": "",
            "name": "n", "description": "d", "action": "DELETE", "package_type": "DOCKER",
            "enabled": true,
            "apply_to": [{"mode": "EXPLICIT", "registries": ["a", "b"]}],
            "criteria": [{"match": "ALL", "rules": [
                {"type": "KEEP_LAST_N", "value": 3, "unit": ""},
                {"type": "AGE_BASED", "value": 30, "unit": "DAYS"}]}],
            "schedule": [{"expression": "0 2 * * *", "timezone": "UTC"}],
            "filter_config": [{"package_type": "DOCKER",
                               "package_name_allowed_pattern": ["app-*"],
                               "tag_name_allowed_pattern": ["*-SNAPSHOT"]}],
            "created_at": 1, "updated_at": 2, "last_run_at": 0, "next_run_at": 3
        });
        assert_eq!(left(v, Kind::LifecycleRule), vec![]);
    }

    #[test]
    fn a_lifecycle_rule_field_not_known_is_reported_with_its_path() {
        let v = json!({
            "name": "n", "criteria": [{"match": "ANY", "rules": [
                {"type": "KEEP_LAST_N", "value": 3}, {"type": "X", "extra": "e"}]}],
            "identifier": "not a rule field"
        });
        let mut got = left(v, Kind::LifecycleRule);
        got.sort();
        assert_eq!(
            got,
            [
                (
                    "criteria[0].rules[1].extra".to_string(),
                    "\"e\"".to_string()
                ),
                ("identifier".to_string(), "\"not a rule field\"".to_string()),
            ]
        );
    }

    #[test]
    fn every_field_path_is_unique_and_every_carried_one_names_an_attribute() {
        for (table, kinds) in [
            (FIELDS, &[Kind::Registry, Kind::UpstreamProxy][..]),
            (LIFECYCLE_FIELDS, &[Kind::LifecycleRule][..]),
        ] {
            for (i, f) in table.iter().enumerate() {
                assert!(
                    table[i + 1..].iter().all(|g| g.official != f.official),
                    "{} twice",
                    f.official
                );
                if matches!(f.fate, Fate::Carried { .. }) {
                    assert!(
                        kinds.iter().any(|k| f.fate.carried_to(*k).is_some()),
                        "{}",
                        f.official
                    );
                }
            }
        }
    }
}
