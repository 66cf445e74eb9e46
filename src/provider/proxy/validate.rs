//! `har_upstream_proxy` config checks beyond the attribute validators and schema rules:
//! source for the package type, url for the source, and complete credentials.

use super::auth;
use super::model::ProxyModel;
use crate::framework::model::DecodeError;
use crate::framework::{AttributePath, Diagnostic, Field, Value};
use crate::provider::diag::{error_at, warning_at};
use crate::provider::resource::kind::report_unreadable;
use crate::rules::{
    Source, check_cache_ttl, check_firewall_mode, check_source_for, check_url_for_source,
    is_ecr_url,
};

pub(crate) fn validate(
    config: &ProxyModel,
    raw: &Value,
    errors: Vec<DecodeError>,
    out: &mut Vec<Diagnostic>,
) {
    let a = ProxyModel::ATTR;
    // A source that is no source at all gets the package type's list, like a wrong one.
    let (bad_source, others): (Vec<_>, Vec<_>) = errors
        .into_iter()
        .partition(|e| e.path == AttributePath::root(a.source));
    report_unreadable(others, out);
    let source = match (&config.source, bad_source.into_iter().next()) {
        (_, Some(e)) => {
            let raw_source = raw
                .get(a.source)
                .and_then(Value::as_str)
                .unwrap_or_default();
            out.push(source_error(config, raw_source).unwrap_or_else(|| {
                error_at(AttributePath::root(a.source), "Invalid source", e.message)
            }));
            None
        }
        (Field::Known(s), None) => match source_error(config, s.as_str()) {
            Some(d) => {
                out.push(d);
                None
            }
            None => Some(*s),
        },
        _ => None,
    };
    check_url(config, source, out);
    auth::check(config, out);
    check_saas_fields(config, out);
    crate::provider::metadata::validate(ProxyModel::ATTR.metadata, &config.metadata, out);
}

/// `firewall_mode` for the package type; the cache TTLs' range and package type.
fn check_saas_fields(config: &ProxyModel, out: &mut Vec<Diagnostic>) {
    let a = ProxyModel::ATTR;
    let Some(pt) = config.package_type.known() else {
        return;
    };
    if let Field::Known(mode) = &config.firewall_mode
        && let Err(e) = check_firewall_mode(pt, mode.as_str())
    {
        out.push(error_at(
            AttributePath::root(a.firewall_mode),
            format!("Invalid {}", a.firewall_mode),
            format!("{}: {e}", a.firewall_mode),
        ));
    }
    for (name, ttl) in [
        (a.metadata_cache_ttl, &config.metadata_cache_ttl),
        (a.negative_cache_ttl, &config.negative_cache_ttl),
    ] {
        if let Field::Known(v) = ttl
            && let Err(e) = check_cache_ttl(pt, *v)
        {
            out.push(error_at(
                AttributePath::root(name),
                format!("Invalid {name}"),
                format!("{name}: {e}"),
            ));
        }
    }
}

/// The source against the package type's list, when the package type is known.
fn source_error(config: &ProxyModel, source: &str) -> Option<Diagnostic> {
    let pt = config.package_type.known()?;
    let e = check_source_for(pt, source).err()?;
    Some(error_at(
        AttributePath::root(ProxyModel::ATTR.source),
        "Invalid source",
        format!("{e} (for package_type {pt}: sources allowed per package type are fixed by HAR)"),
    ))
}

/// `url`: well-formed, required or forbidden by the source, and an ECR host for AwsEcr.
fn check_url(config: &ProxyModel, source: Option<Source>, out: &mut Vec<Diagnostic>) {
    let at = || AttributePath::root(ProxyModel::ATTR.url);
    let url = config.url.as_deref();
    let mut url_ok = true;
    if let Field::Known(u) = url
        && let Err(e) = crate::rules::check_url(u)
    {
        url_ok = false;
        out.push(error_at(at(), "Invalid url", e.to_string()));
    }
    let Some(src) = source else { return };
    if !url.is_unknown()
        && let Err(msg) = check_url_for_source(src, url.known())
    {
        out.push(error_at(at(), "Invalid url for this source", msg));
        url_ok = false;
    }
    if src == Source::AwsEcr
        && url_ok
        && let Field::Known(u) = url
        && !is_ecr_url(u)
    {
        out.push(warning_at(
            at(),
            "url does not look like AWS ECR",
            format!(
                "source = \"AwsEcr\" expects an ECR registry host \
                 (https://<account>.dkr.ecr.<region>.amazonaws.com, https://public.ecr.aws/...) \
                 or the ECR console URL \
                 (https://<region>.console.aws.amazon.com/ecr/repositories/<public-or-private>/<id>/<name>?region=<region>); \
                 got {u:?}"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::framework::{Diagnostic, Value};
    use crate::provider::proxy::ProxyResource;
    use crate::provider::resource::check_config;

    fn proxy(extra: Vec<(&str, Value)>) -> Vec<Diagnostic> {
        let mut config = Value::null_object(&super::super::schema::schema().value_type());
        if let Value::Object(m) = &mut config {
            for (k, v) in [
                ("identifier", Value::string("dockerhub")),
                ("package_type", Value::string("DOCKER")),
                ("source", Value::string("Dockerhub")),
                ("auth_type", Value::string("Anonymous")),
            ]
            .into_iter()
            .chain(extra)
            {
                m.insert(k.to_string(), v);
            }
        }
        check_config::<ProxyResource>(&config)
    }

    fn obj(attrs: Vec<(&str, Value)>) -> Value {
        Value::object(attrs)
    }

    fn ak(keys: Vec<(&str, Value)>) -> Value {
        let mut all = vec![
            ("access_key", Value::Null),
            ("access_key_secret_identifier", Value::Null),
            ("access_key_secret_space_path", Value::Null),
            ("secret_key_identifier", Value::Null),
            ("secret_key_space_path", Value::Null),
        ];
        for (k, v) in keys {
            all.retain(|(n, _)| *n != k);
            all.push((k, v));
        }
        obj(all)
    }

    fn up(user: &str) -> Value {
        obj(vec![
            ("user_name", Value::string(user)),
            ("secret_identifier", Value::string("s")),
            ("secret_space_path", Value::Null),
        ])
    }

    fn paths(d: &[Diagnostic]) -> Vec<String> {
        d.iter()
            .map(|d| {
                d.attribute
                    .as_ref()
                    .map(|p| p.to_string())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn source_matrix_and_did_you_mean() {
        let d = proxy(vec![("source", Value::string("DockerHub"))]);
        assert_eq!(paths(&d), ["source"]);
        assert!(
            d[0].detail.contains("did you mean \"Dockerhub\""),
            "{}",
            d[0].detail
        );
        let d = proxy(vec![
            ("package_type", Value::string("HELM")),
            ("source", Value::string("Dockerhub")),
        ]);
        assert_eq!(paths(&d), ["source"]);
        assert!(d[0].detail.contains("allowed: Custom"), "{}", d[0].detail);
        assert!(
            d[0].detail.contains("for package_type HELM"),
            "{}",
            d[0].detail
        );
        let d = proxy(vec![
            ("package_type", Value::string("DOKER")),
            ("source", Value::string("Quay")),
        ]);
        assert_eq!(paths(&d), ["package_type", "source"]);
    }

    #[test]
    fn url_rules() {
        let d = proxy(vec![("source", Value::string("Custom"))]);
        assert_eq!(paths(&d), ["url"]);
        let d = proxy(vec![("url", Value::string("https://registry-1.docker.io"))]);
        assert_eq!(paths(&d), ["url"]);
        for bad in ["registry.example.com", "https://a b", "ftp://x"] {
            let d = proxy(vec![
                ("source", Value::string("Custom")),
                ("url", Value::string(bad)),
            ]);
            assert_eq!(paths(&d), ["url"], "{bad}");
            assert!(d[0].is_error());
        }
        // AwsEcr on another host: a warning only.
        let d = proxy(vec![
            ("source", Value::string("AwsEcr")),
            ("url", Value::string("https://quay.io")),
            ("auth_type", Value::string("AccessKeySecretKey")),
            (
                "access_key_secret_key",
                ak(vec![
                    ("access_key", Value::string("AKIA")),
                    ("secret_key_identifier", Value::string("sk")),
                ]),
            ),
        ]);
        assert_eq!(paths(&d), ["url"]);
        assert!(!d[0].is_error());
        let d = proxy(vec![("source", Value::Unknown), ("url", Value::Unknown)]);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn auth_objects() {
        let d = proxy(vec![("auth_type", Value::string("UserPassword"))]);
        assert_eq!(paths(&d), ["user_password"]);
        assert_eq!(d[0].summary, "Missing user_password");
        let d = proxy(vec![("user_password", up("u"))]);
        assert_eq!(paths(&d), ["user_password"]);
        assert_eq!(
            d[0].summary,
            "user_password not allowed with auth_type = \"Anonymous\""
        );
        let d = proxy(vec![
            ("auth_type", Value::string("UserPassword")),
            ("user_password", up("u")),
        ]);
        assert!(d.is_empty(), "{d:?}");
        let d = proxy(vec![
            ("auth_type", Value::string("UserPassword")),
            ("user_password", up("")),
        ]);
        assert_eq!(paths(&d), ["user_password.user_name"]);
        assert!(
            d[0].detail
                .starts_with("user_password.user_name: UserPassword needs userName"),
            "{}",
            d[0].detail
        );
        let d = proxy(vec![("auth_type", Value::string("anonymous"))]);
        assert_eq!(paths(&d), ["auth_type"]);
        assert!(
            d[0].detail.contains("did you mean \"Anonymous\""),
            "{}",
            d[0].detail
        );
    }

    #[test]
    fn access_key_given_once() {
        let ecr = |keys: Vec<(&str, Value)>| {
            proxy(vec![
                ("source", Value::string("AwsEcr")),
                (
                    "url",
                    Value::string("https://123456789012.dkr.ecr.us-east-1.amazonaws.com"),
                ),
                ("auth_type", Value::string("AccessKeySecretKey")),
                ("access_key_secret_key", ak(keys)),
            ])
        };
        let d = ecr(vec![
            ("access_key", Value::string("AKIA")),
            ("access_key_secret_identifier", Value::string("ak")),
            ("secret_key_identifier", Value::string("sk")),
        ]);
        assert_eq!(
            paths(&d),
            ["access_key_secret_key.access_key_secret_identifier"]
        );
        let d = ecr(vec![("secret_key_identifier", Value::string("sk"))]);
        assert_eq!(paths(&d), ["access_key_secret_key.access_key"]);
        let d = ecr(vec![
            ("access_key_secret_identifier", Value::string("ak")),
            ("secret_key_identifier", Value::string("sk")),
        ]);
        assert!(d.is_empty(), "{d:?}");
        let d = ecr(vec![
            ("access_key", Value::string("AKIA")),
            ("access_key_secret_space_path", Value::string("acct")),
            ("secret_key_identifier", Value::string("sk")),
        ]);
        assert_eq!(
            paths(&d),
            ["access_key_secret_key.access_key_secret_space_path"]
        );
    }
}
