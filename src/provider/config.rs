//! The `provider "har" {}` block: schema, validation and resolution (config first, then
//! the environment, then defaults).

use std::fmt;

use crate::framework::model::{decode, model};
use crate::framework::validators::string_rule;
use crate::framework::{Attribute, AttributePath, Diagnostics, Field, Schema, Value};
use crate::rules::{self, SpaceLevel, check_space_segment};

pub(crate) const DEFAULT_ENDPOINT: &str = "https://app.harness.io/gateway";

model! {
    /// The provider block as Terraform sends it.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct ProviderModel / ProviderAttrs {
        pub(crate) endpoint: Field<String>,
        pub(crate) account_id: Field<String>,
        pub(crate) api_key: Field<String>,
        pub(crate) org_id: Field<String>,
        pub(crate) project_id: Field<String>,
    }
}

const A: ProviderAttrs = ProviderModel::ATTR;

/// (attribute, environment variable)
pub(crate) const ENDPOINT: (&str, &str) = (A.endpoint, "HARNESS_ENDPOINT");
pub(crate) const ACCOUNT_ID: (&str, &str) = (A.account_id, "HARNESS_ACCOUNT_ID");
pub(crate) const API_KEY: (&str, &str) = (A.api_key, "HARNESS_PLATFORM_API_KEY");
pub(crate) const ORG_ID: (&str, &str) = (A.org_id, "HARNESS_ORG_ID");
pub(crate) const PROJECT_ID: (&str, &str) = (A.project_id, "HARNESS_PROJECT_ID");

pub(crate) fn schema() -> Schema {
    Schema::new()
        .description("Manages Harness Artifact Registry registries and upstream proxies.")
        .attribute(
            Attribute::string(ENDPOINT.0)
                .optional()
                .description(
                    "Base URL of the Harness API gateway; the registry API is under \
                     `{endpoint}/har/api/v1`. Defaults to the HARNESS_ENDPOINT environment \
                     variable, then https://app.harness.io/gateway.",
                )
                .validate(endpoint_rule()),
        )
        .attribute(Attribute::string(ACCOUNT_ID.0).optional().description(
            "Harness account identifier. Defaults to the HARNESS_ACCOUNT_ID environment variable.",
        ))
        .attribute(
            Attribute::string(API_KEY.0)
                .optional()
                .sensitive()
                .description(
                    "Harness API key (sent as `x-api-key`). Defaults to the \
                     HARNESS_PLATFORM_API_KEY environment variable.",
                ),
        )
        .attribute(Attribute::string(ORG_ID.0).optional().description(
            "Default organization for resources that do not set `org_id`. Defaults to the \
             HARNESS_ORG_ID environment variable.",
        ))
        .attribute(Attribute::string(PROJECT_ID.0).optional().description(
            "Default project for resources that do not set `project_id` (requires an \
             organization). Defaults to the HARNESS_PROJECT_ID environment variable.",
        ))
}

/// `endpoint` must be an absolute http(s) URL with a host.
fn endpoint_shape(s: &str) -> Result<(), String> {
    match rules::http_url_problem(s) {
        Some(p) => Err(format!(
            "{} must be an absolute http:// or https:// URL, but {s:?}: {p}.",
            ENDPOINT.0
        )),
        None => Ok(()),
    }
}

fn endpoint_rule() -> crate::framework::validators::StringRule {
    string_rule(
        "Invalid URL",
        "must be an absolute http(s) URL",
        endpoint_shape,
    )
}

/// The resolved provider configuration that resources use.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct ProviderConfig {
    /// Without a trailing `/`.
    pub(crate) endpoint: String,
    pub(crate) account_id: String,
    pub(crate) api_key: String,
    pub(crate) org_id: Option<String>,
    pub(crate) project_id: Option<String>,
}

impl fmt::Debug for ProviderConfig {
    // The API key never appears in logs or panics.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("endpoint", &self.endpoint)
            .field("account_id", &self.account_id)
            .field("api_key", &"<redacted>")
            .field("org_id", &self.org_id)
            .field("project_id", &self.project_id)
            .finish()
    }
}

enum Setting {
    Unknown,
    Set(String, Source),
    Unset,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Config,
    Env,
}

fn setting(value: &Field<String>, env: &str, get: &dyn Fn(&str) -> Option<String>) -> Setting {
    match value {
        Field::Unknown => Setting::Unknown,
        Field::Known(v) if !v.is_empty() => Setting::Set(v.clone(), Source::Config),
        _ => match get(env).filter(|s| !s.trim().is_empty()) {
            Some(s) => Setting::Set(s.trim().to_string(), Source::Env),
            None => Setting::Unset,
        },
    }
}

/// The provider block as a model; an error if it does not fit (a provider bug).
fn read(config: &Value, diags: &mut Diagnostics) -> Option<ProviderModel> {
    match decode(config) {
        Ok(m) => Some(m),
        Err(e) => {
            diags.error("Provider bug: value does not fit the model", e.to_string());
            None
        }
    }
}

/// Checks that can run at validate time: `project_id` needs an organization.
pub(crate) fn validate(
    config: &Value,
    get: &dyn Fn(&str) -> Option<String>,
    diags: &mut Diagnostics,
) {
    let Some(config) = read(config, diags) else {
        return;
    };
    let project = setting(&config.project_id, PROJECT_ID.1, get);
    let org = setting(&config.org_id, ORG_ID.1, get);
    if let (Setting::Set(_, src), Setting::Unset) = (&project, &org) {
        let detail = match src {
            Source::Config => "`project_id` is set but `org_id` is not (neither in the provider \
                               block nor in HARNESS_ORG_ID): a Harness project lives in an \
                               organization."
                .to_string(),
            Source::Env => "HARNESS_PROJECT_ID is set but no organization is (`org_id` or \
                            HARNESS_ORG_ID): a Harness project lives in an organization."
                .to_string(),
        };
        diags.error_at(
            AttributePath::root(PROJECT_ID.0),
            "Project without organization",
            detail,
        );
    }
    // The defaults go into every resource's space ref: a bad one is caught here, once.
    for ((attr, env), setting, level) in [
        (ORG_ID, &org, SpaceLevel::Org),
        (PROJECT_ID, &project, SpaceLevel::Project),
    ] {
        if let Setting::Set(v, src) = setting
            && let Err(e) = check_space_segment(level, v)
        {
            let from = match src {
                Source::Config => attr.to_string(),
                Source::Env => format!("{env} (the default for {attr})"),
            };
            diags.error_at(
                AttributePath::root(attr),
                format!("Invalid {attr}"),
                format!("{from}: {e}"),
            );
        }
    }
}

/// Resolve the configuration. `Ok(None)` when a value is unknown (it depends on something
/// not yet applied): the provider stays unconfigured and resources say so if they need it.
pub(crate) fn resolve(
    config: &Value,
    get: &dyn Fn(&str) -> Option<String>,
    diags: &mut Diagnostics,
) -> Option<ProviderConfig> {
    let model = read(config, diags)?;
    let settings = [
        (&model.endpoint, ENDPOINT.1),
        (&model.account_id, ACCOUNT_ID.1),
        (&model.api_key, API_KEY.1),
        (&model.org_id, ORG_ID.1),
        (&model.project_id, PROJECT_ID.1),
    ]
    .map(|(value, env)| setting(value, env, get));
    if settings.iter().any(|s| matches!(s, Setting::Unknown)) {
        return None;
    }
    let [endpoint, account_id, api_key, org_id, project_id] = settings;
    let value = |s: Setting| match s {
        Setting::Set(v, _) => Some(v),
        _ => None,
    };

    if let Setting::Set(ep, src) = &endpoint
        && let Err(detail) = endpoint_shape(ep)
    {
        let detail = if *src == Source::Env {
            format!("{detail} (The value comes from {}.)", ENDPOINT.1)
        } else {
            detail
        };
        diags.error_at(AttributePath::root(ENDPOINT.0), "Invalid URL", detail);
    }
    for ((attr, env), s) in [(ACCOUNT_ID, &account_id), (API_KEY, &api_key)] {
        if matches!(s, Setting::Unset) {
            diags.error_at(
                AttributePath::root(attr),
                format!("Missing {attr}"),
                format!(
                    "The provider needs `{attr}`: set it in the provider block or in the {env} \
                     environment variable."
                ),
            );
        }
    }
    validate(config, get, diags);
    if diags.has_errors() {
        return None;
    }
    Some(ProviderConfig {
        endpoint: value(endpoint)
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string())
            .trim_end_matches('/')
            .to_string(),
        account_id: value(account_id).unwrap_or_default(),
        api_key: value(api_key).unwrap_or_default(),
        org_id: value(org_id),
        project_id: value(project_id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(pairs: &[(&str, Value)]) -> Value {
        let mut v = Value::null_object(&schema().value_type());
        if let Value::Object(m) = &mut v {
            for (k, val) in pairs {
                m.insert(k.to_string(), val.clone());
            }
        }
        v
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn env_fills_missing_values_and_default_endpoint_applies() {
        let env = |k: &str| match k {
            "HARNESS_ACCOUNT_ID" => Some("acc".to_string()),
            "HARNESS_PLATFORM_API_KEY" => Some("secret".to_string()),
            _ => None,
        };
        let mut d = Diagnostics::new();
        let c = resolve(&cfg(&[]), &env, &mut d).expect("resolved");
        assert!(!d.has_errors());
        assert_eq!(c.endpoint, DEFAULT_ENDPOINT);
        assert_eq!(c.account_id, "acc");
        assert!(!format!("{c:?}").contains("secret"));
    }

    #[test]
    fn missing_account_and_key_name_attribute_and_env_var() {
        let mut d = Diagnostics::new();
        assert!(resolve(&cfg(&[]), &no_env, &mut d).is_none());
        let all: Vec<_> = d
            .iter()
            .map(|x| (x.attribute.clone(), x.detail.clone()))
            .collect();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].0, Some(AttributePath::root("account_id")));
        assert!(all[0].1.contains("HARNESS_ACCOUNT_ID"));
        assert_eq!(all[1].0, Some(AttributePath::root("api_key")));
        assert!(all[1].1.contains("HARNESS_PLATFORM_API_KEY"));
    }

    #[test]
    fn unknown_values_leave_the_provider_unconfigured_without_error() {
        let mut d = Diagnostics::new();
        let c = resolve(&cfg(&[("account_id", Value::Unknown)]), &no_env, &mut d);
        assert!(c.is_none());
        assert!(d.is_empty());
    }

    #[test]
    fn bad_endpoint_from_env_names_endpoint_and_env_var() {
        let env = |k: &str| match k {
            "HARNESS_ENDPOINT" => Some("ftp://x".to_string()),
            _ => None,
        };
        let mut d = Diagnostics::new();
        let c = resolve(
            &cfg(&[
                ("account_id", Value::string("a")),
                ("api_key", Value::string("k")),
            ]),
            &env,
            &mut d,
        );
        assert!(c.is_none());
        let first = d.iter().next().expect("a diagnostic");
        assert_eq!(first.attribute, Some(AttributePath::root("endpoint")));
        assert!(first.detail.contains("HARNESS_ENDPOINT"));
    }

    #[test]
    fn project_without_org_is_an_error_at_project_id() {
        let mut d = Diagnostics::new();
        validate(&cfg(&[("project_id", Value::string("p"))]), &no_env, &mut d);
        assert!(d.has_errors());
        assert_eq!(
            d.iter().next().and_then(|x| x.attribute.clone()),
            Some(AttributePath::root("project_id"))
        );
    }

    #[test]
    fn scope_defaults_must_be_harness_identifiers() {
        let mut d = Diagnostics::new();
        validate(
            &cfg(&[("org_id", Value::string("my-org"))]),
            &no_env,
            &mut d,
        );
        let e = d.iter().next().expect("an error for a hyphenated org");
        assert_eq!(e.attribute, Some(AttributePath::root("org_id")));
        assert!(
            e.detail.contains("org_id: invalid org identifier"),
            "{}",
            e.detail
        );

        let env = |k: &str| (k == "HARNESS_ORG_ID").then(|| "9org".to_string());
        let mut d = Diagnostics::new();
        validate(&cfg(&[]), &env, &mut d);
        let e = d
            .iter()
            .next()
            .expect("an error for an org from the environment");
        assert!(
            e.detail
                .starts_with("HARNESS_ORG_ID (the default for org_id)"),
            "{}",
            e.detail
        );

        let mut d = Diagnostics::new();
        let ok = [
            ("org_id", Value::string("team_1")),
            ("project_id", Value::string("web$")),
        ];
        validate(&cfg(&ok), &no_env, &mut d);
        assert!(!d.has_errors());
    }
}
