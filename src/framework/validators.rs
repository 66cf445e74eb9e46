//! Attribute validators: small values attached to an attribute in the schema. The
//! framework runs them at ValidateResourceConfig / ValidateDataResourceConfig /
//! ValidateProviderConfig time on known, non-null values only (an unknown value is
//! validated again once it is known, during apply's re-plan).

use crate::protocol::diagnostics::Diagnostics;
use crate::protocol::value::{AttributePath, Value};

pub trait Validator: Send + Sync {
    /// One line for documentation ("must be one of ...").
    fn description(&self) -> String;
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics);
}

/// Any closure `Fn(&Value, &AttributePath, &mut Diagnostics)` is a validator.
pub struct FnValidator<F> {
    description: String,
    f: F,
}

pub fn from_fn<F>(description: impl Into<String>, f: F) -> FnValidator<F>
where
    F: Fn(&Value, &AttributePath, &mut Diagnostics) + Send + Sync,
{
    FnValidator {
        description: description.into(),
        f,
    }
}

impl<F> Validator for FnValidator<F>
where
    F: Fn(&Value, &AttributePath, &mut Diagnostics) + Send + Sync,
{
    fn description(&self) -> String {
        self.description.clone()
    }
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        (self.f)(value, path, diags)
    }
}

/// The string must be one of `allowed` (exact match). A case-insensitive match or a close
/// spelling gets a "did you mean" hint.
pub struct OneOf {
    allowed: Vec<String>,
}

pub fn one_of<I, S>(allowed: I) -> OneOf
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    OneOf {
        allowed: allowed.into_iter().map(Into::into).collect(),
    }
}

/// The closest allowed value to `got`: a case-insensitive match first, then the best
/// Jaro-Winkler match above a threshold.
pub fn did_you_mean<'a>(got: &str, allowed: &'a [String]) -> Option<&'a str> {
    if let Some(a) = allowed.iter().find(|a| a.eq_ignore_ascii_case(got)) {
        return Some(a);
    }
    let lower = got.to_ascii_lowercase();
    allowed
        .iter()
        .map(|a| (a, strsim::jaro_winkler(&lower, &a.to_ascii_lowercase())))
        .filter(|(_, score)| *score >= 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(a, _)| a.as_str())
}

impl Validator for OneOf {
    fn description(&self) -> String {
        format!("must be one of: {}", self.allowed.join(", "))
    }
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(s) = value.as_str() else { return };
        if self.allowed.iter().any(|a| a == s) {
            return;
        }
        let mut detail = format!(
            "{path} is {s:?}; it must be one of: {}.",
            self.allowed
                .iter()
                .map(|a| format!("{a:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if let Some(hint) = did_you_mean(s, &self.allowed) {
            detail.push_str(&format!(" Did you mean {hint:?}?"));
        }
        diags.error_at(path.clone(), "Invalid attribute value", detail);
    }
}

/// String length bounds, in characters.
pub struct LengthBetween {
    min: usize,
    max: usize,
}

pub fn length_between(min: usize, max: usize) -> LengthBetween {
    LengthBetween { min, max }
}

impl Validator for LengthBetween {
    fn description(&self) -> String {
        format!(
            "must be between {} and {} characters long",
            self.min, self.max
        )
    }
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(s) = value.as_str() else { return };
        let n = s.chars().count();
        if n < self.min || n > self.max {
            diags.error_at(
                path.clone(),
                "Invalid attribute value length",
                format!("{path} {}; it is {n} characters long.", self.description()),
            );
        }
    }
}

/// The string must not be empty.
pub fn not_empty() -> LengthBetween {
    length_between(1, usize::MAX)
}

/// Every character must satisfy `pred`; `what` describes the allowed set for the message.
pub struct CharsMatch {
    what: String,
    pred: fn(char) -> bool,
}

pub fn chars_match(what: impl Into<String>, pred: fn(char) -> bool) -> CharsMatch {
    CharsMatch {
        what: what.into(),
        pred,
    }
}

impl Validator for CharsMatch {
    fn description(&self) -> String {
        format!("may contain only {}", self.what)
    }
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(s) = value.as_str() else { return };
        if let Some(bad) = s.chars().find(|c| !(self.pred)(*c)) {
            diags.error_at(
                path.clone(),
                "Invalid character",
                format!("{path} {}; {bad:?} is not allowed.", self.description()),
            );
        }
    }
}

/// An absolute http or https URL with a host.
pub struct HttpUrl;

pub fn http_url() -> HttpUrl {
    HttpUrl
}

impl Validator for HttpUrl {
    fn description(&self) -> String {
        "must be an absolute http(s) URL".into()
    }
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(s) = value.as_str() else { return };
        let problem = match url::Url::parse(s) {
            Err(e) => Some(format!("it is not a URL ({e})")),
            Ok(u) if u.scheme() != "http" && u.scheme() != "https" => {
                Some(format!("its scheme is {:?}", u.scheme()))
            }
            Ok(u) if u.host_str().is_none_or(str::is_empty) => Some("it has no host".into()),
            Ok(_) => None,
        };
        if let Some(p) = problem {
            diags.error_at(
                path.clone(),
                "Invalid URL",
                format!("{path} must be an absolute http:// or https:// URL, but {s:?}: {p}."),
            );
        }
    }
}

/// No element may appear twice in a list.
pub struct UniqueElements;

pub fn unique_elements() -> UniqueElements {
    UniqueElements
}

impl Validator for UniqueElements {
    fn description(&self) -> String {
        "elements must be unique".into()
    }
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(items) = value.as_elements() else {
            return;
        };
        for (i, v) in items.iter().enumerate() {
            if !v.is_wholly_known() || v.is_null() {
                continue;
            }
            if items[..i].iter().any(|w| w == v) {
                let shown = v.as_str().map(|s| format!("{s:?}")).unwrap_or_default();
                diags.error_at(
                    path.clone().index(i as i64),
                    "Duplicate element",
                    format!("{path} lists {shown} more than once; each element must be unique."),
                );
            }
        }
    }
}
