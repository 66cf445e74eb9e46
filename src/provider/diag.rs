//! How the HAR resources report: diagnostics about one attribute, and API failures.

use crate::api;
use crate::framework::{AttributePath, Diagnostic, PathStep};

/// Terraform points at a configuration line only through top-level attributes (and list
/// indexes), not inside a nested attribute's object, so such a path is also named in the text.
fn located(d: Diagnostic, path: AttributePath) -> Diagnostic {
    let nested = path
        .steps
        .iter()
        .filter(|s| matches!(s, PathStep::Attribute(_)))
        .count()
        > 1;
    let d = if nested && !d.detail.starts_with(&path.to_string()) {
        let detail = format!("{path}: {}", d.detail);
        Diagnostic { detail, ..d }
    } else {
        d
    };
    d.at(path)
}

pub(crate) fn error_at(
    path: AttributePath,
    summary: impl Into<String>,
    detail: impl Into<String>,
) -> Diagnostic {
    located(Diagnostic::error(summary, detail), path)
}

pub(crate) fn warning_at(
    path: AttributePath,
    summary: impl Into<String>,
    detail: impl Into<String>,
) -> Diagnostic {
    located(Diagnostic::warning(summary, detail), path)
}

/// An API failure while doing `doing` ("creating registry docker-main"): the summary says
/// what failed, the detail carries the server's own message.
pub(crate) fn api_error(doing: &str, err: &api::Error) -> Diagnostic {
    Diagnostic::error(format!("Error {doing}"), format!("{doing}: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_paths_are_named_in_the_text() {
        let p = AttributePath::root("user_password").attr("user_name");
        let d = error_at(p.clone(), "Incomplete", "needs a name");
        assert_eq!(d.detail, "user_password.user_name: needs a name");
        assert_eq!(d.attribute, Some(p));
        let d = error_at(AttributePath::root("url").index(0), "Bad", "no");
        assert_eq!(d.detail, "no");
    }
}
