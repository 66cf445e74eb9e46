//! What the HAR resources report: a finding with a severity, a summary, a detail and, when
//! it is about one attribute, its path, so Terraform points at the line in the user's config.
//! It stays independent of the framework's diagnostic type and is converted at the boundary.

use crate::api;
use crate::protocol::value::AttributePath;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub summary: String,
    pub detail: String,
    pub path: Option<AttributePath>,
}

impl Finding {
    pub fn error(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Error,
            summary: summary.into(),
            detail: detail.into(),
            path: None,
        }
    }

    pub fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(summary, detail)
        }
    }

    pub fn at(mut self, path: AttributePath) -> Self {
        self.path = Some(path);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// An API failure while doing `doing` ("creating registry docker-main"): the summary says
    /// what failed, the detail carries the server's own message.
    pub fn api(doing: &str, err: &api::Error) -> Self {
        Finding::error(format!("Error {doing}"), format!("{doing}: {err}"))
    }
}

/// True if any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}
