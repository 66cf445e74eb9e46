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
        if let Some(hint) = crate::suggest::did_you_mean(s, self.allowed.iter().map(String::as_str))
        {
            detail.push_str(&format!(" Did you mean {hint:?}?"));
        }
        diags.error_at(path.clone(), "Invalid attribute value", detail);
    }
}

/// A string checked by a rule function: `Err(message)` becomes an error at the attribute,
/// with `summary` as its summary and the message as its detail. The rules themselves live
/// with whoever owns them; this only connects one to an attribute.
pub struct StringRule {
    summary: String,
    description: String,
    check: Box<RuleFn>,
}

type RuleFn = dyn Fn(&str) -> Result<(), String> + Send + Sync;

pub fn string_rule(
    summary: impl Into<String>,
    description: impl Into<String>,
    check: impl Fn(&str) -> Result<(), String> + Send + Sync + 'static,
) -> StringRule {
    StringRule {
        summary: summary.into(),
        description: description.into(),
        check: Box::new(check),
    }
}

impl Validator for StringRule {
    fn description(&self) -> String {
        self.description.clone()
    }
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(s) = value.as_str() else { return };
        if let Err(detail) = (self.check)(s) {
            diags.error_at(path.clone(), self.summary.clone(), detail);
        }
    }
}

/// No element of a list may be null.
pub struct NoNullElements;

pub fn no_null_elements() -> NoNullElements {
    NoNullElements
}

impl Validator for NoNullElements {
    fn description(&self) -> String {
        "elements must not be null".into()
    }
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(items) = value.as_elements() else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            if item.is_null() {
                diags.error_at(
                    path.clone().index(i as i64),
                    format!("Invalid {path}"),
                    format!("{path}[{i}] is null; every element must be a string"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_and_null_elements() {
        let rule = string_rule("Invalid x", "must be short", |s| {
            if s.len() < 3 {
                Ok(())
            } else {
                Err(format!("{s:?} is long"))
            }
        });
        let p = AttributePath::root("x");
        let mut d = Diagnostics::new();
        rule.validate(&Value::string("ab"), &p, &mut d);
        assert!(d.is_empty());
        rule.validate(&Value::string("abcd"), &p, &mut d);
        let first = d.iter().next().expect("an error");
        assert_eq!(first.summary, "Invalid x");
        assert_eq!(first.detail, "\"abcd\" is long");

        let mut d = Diagnostics::new();
        no_null_elements().validate(
            &Value::List(vec![Value::string("a"), Value::Null]),
            &AttributePath::root("labels"),
            &mut d,
        );
        let first = d.iter().next().expect("an error");
        assert_eq!(
            first.attribute,
            Some(AttributePath::root("labels").index(1))
        );
        assert_eq!(
            first.detail,
            "labels[1] is null; every element must be a string"
        );
    }
}
