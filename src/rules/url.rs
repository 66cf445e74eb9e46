//! Upstream URL shape: absolute http(s) with a host, no spaces; a trailing `/` is not a change
//! (the real service trims it, OSS `utils.go CleanURLPath`); and the AWS ECR host forms.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum UrlError {
    #[error("url must not contain spaces, got {0:?}")]
    Spaces(String),
    #[error(
        "url must be an absolute http:// or https:// URL with a host, e.g. https://registry.example.com, got {0:?}"
    )]
    NotHttp(String),
}

/// Checks an upstream URL: `http` or `https`, a host, no whitespace anywhere.
pub(crate) fn check_url(raw: &str) -> Result<(), UrlError> {
    if raw.chars().any(char::is_whitespace) {
        return Err(UrlError::Spaces(raw.to_string()));
    }
    match url::Url::parse(raw) {
        Ok(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some_and(|h| !h.is_empty()) =>
        {
            Ok(())
        }
        _ => Err(UrlError::NotHttp(raw.to_string())),
    }
}

/// What keeps `raw` from being an absolute http(s) URL with a host (the provider's
/// `endpoint` and the API client's base), or `None` if it is one.
pub(crate) fn http_url_problem(raw: &str) -> Option<String> {
    match url::Url::parse(raw) {
        Err(e) => Some(format!("it is not a URL ({e})")),
        Ok(u) if u.scheme() != "http" && u.scheme() != "https" => {
            Some(format!("its scheme is {:?}", u.scheme()))
        }
        Ok(u) if u.host_str().is_none_or(str::is_empty) => Some("it has no host".into()),
        Ok(_) => None,
    }
}

/// The form the real service stores: surrounding whitespace and trailing `/` removed. Two URLs
/// with the same normal form are the same URL (plan-time "not a change").
pub(crate) fn normalize_url(raw: &str) -> String {
    raw.trim().trim_end_matches('/').to_string()
}

/// True for the AWS ECR URL forms the product documents (docs/design/product.md "har_upstream_proxy"):
/// a private registry host `https://<account>.dkr.ecr.<region>.amazonaws.com[...]`, the public
/// gallery `https://public.ecr.aws/...`, or the console form
/// `https://<region>.console.aws.amazon.com/ecr/repositories/<public-or-private>/<id>/<name>?region=<region>`.
/// The provider turns `false` into a plan-time warning for source `AwsEcr`.
pub(crate) fn is_ecr_url(raw: &str) -> bool {
    let Ok(u) = url::Url::parse(raw.trim()) else {
        return false;
    };
    if u.scheme() != "https" {
        return false;
    }
    let Some(host) = u.host_str() else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    if host == "public.ecr.aws" {
        return true;
    }
    // <12-digit account>.dkr.ecr.<region>.amazonaws.com (also .com.cn for China regions)
    let labels: Vec<&str> = host.split('.').collect();
    let private = labels.len() >= 6
        && labels[0].len() == 12
        && labels[0].bytes().all(|b| b.is_ascii_digit())
        && labels[1] == "dkr"
        && labels[2] == "ecr"
        && !labels[3].is_empty()
        && labels[4] == "amazonaws"
        && (labels[5..] == ["com"] || labels[5..] == ["com", "cn"]);
    if private {
        return true;
    }
    // <region>.console.aws.amazon.com/ecr/repositories/{public|private}/<id>/<name>
    let console = labels.len() == 5 && labels[1..] == ["console", "aws", "amazon", "com"];
    let segs: Vec<&str> = u.path_segments().map(|s| s.collect()).unwrap_or_default();
    console
        && segs.len() >= 5
        && segs[0] == "ecr"
        && segs[1] == "repositories"
        && matches!(segs[2], "public" | "private")
        && !segs[3].is_empty()
        && !segs[4].is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_shapes() {
        assert_eq!(check_url("https://registry.example.com/v2/"), Ok(()));
        assert_eq!(check_url("http://127.0.0.1:5000"), Ok(()));
        assert!(matches!(check_url("ftp://x"), Err(UrlError::NotHttp(_))));
        assert!(matches!(
            check_url("registry.example.com"),
            Err(UrlError::NotHttp(_))
        ));
        assert!(matches!(check_url("https://a b"), Err(UrlError::Spaces(_))));
        assert!(matches!(check_url("https://"), Err(UrlError::NotHttp(_))));
        assert_eq!(normalize_url(" https://x.io/a// "), "https://x.io/a");
    }

    #[test]
    fn ecr_forms() {
        assert!(is_ecr_url(
            "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"
        ));
        assert!(is_ecr_url(
            "https://123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/"
        ));
        assert!(is_ecr_url("https://public.ecr.aws/nginx"));
        assert!(is_ecr_url(
            "https://us-east-1.console.aws.amazon.com/ecr/repositories/private/123456789012/app?region=us-east-1"
        ));
        assert!(!is_ecr_url("https://registry-1.docker.io"));
        assert!(!is_ecr_url("https://12345.dkr.ecr.us-east-1.amazonaws.com"));
        assert!(!is_ecr_url("http://public.ecr.aws/x"));
    }
}
