//! Resource-level validators, like terraform-plugin-framework's `ConfigValidators`: rules
//! that tie attributes together ("required when", "allowed only when", "exactly one of").
//! They are values attached to a schema, so the framework runs them at validate time and
//! the generated documentation lists them under the schema.

use crate::protocol::diagnostics::Diagnostics;
use crate::protocol::value::{AttributePath, Value};

pub trait ConfigValidator: Send + Sync {
    /// One sentence for the documentation (markdown).
    fn description(&self) -> String;
    /// Check `config` (unknown values possible: a rule that needs one must wait for it).
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
}

fn at<'a>(config: &'a Value, path: &AttributePath) -> &'a Value {
    static NULL: Value = Value::Null;
    config.at_path(path).unwrap_or(&NULL)
}

/// `target` must be set when `when` equals `equals`.
pub struct RequiredWhen {
    target: AttributePath,
    when: AttributePath,
    equals: String,
    example: Option<String>,
}

pub fn required_when(target: AttributePath, when: AttributePath, equals: &str) -> RequiredWhen {
    RequiredWhen {
        target,
        when,
        equals: equals.to_string(),
        example: None,
    }
}

impl RequiredWhen {
    /// What the error shows the user should write (e.g. `x = { a = "..." }`).
    pub fn example(mut self, text: impl Into<String>) -> Self {
        self.example = Some(text.into());
        self
    }
}

impl ConfigValidator for RequiredWhen {
    fn description(&self) -> String {
        format!(
            "`{}` is required when `{}` is `\"{}\"`.",
            self.target, self.when, self.equals
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        if at(config, &self.when).as_str() == Some(self.equals.as_str())
            && at(config, &self.target).is_null()
        {
            let wanted = self
                .example
                .clone()
                .unwrap_or_else(|| self.target.to_string());
            diags.error_at(
                self.target.clone(),
                format!("Missing {}", self.target),
                format!("{} = \"{}\" needs {wanted}", self.when, self.equals),
            );
        }
    }
}

/// `target` may be set only when `when` equals `equals`.
pub struct AllowedOnlyWhen {
    target: AttributePath,
    when: AttributePath,
    equals: String,
}

pub fn allowed_only_when(
    target: AttributePath,
    when: AttributePath,
    equals: &str,
) -> AllowedOnlyWhen {
    AllowedOnlyWhen {
        target,
        when,
        equals: equals.to_string(),
    }
}

impl ConfigValidator for AllowedOnlyWhen {
    fn description(&self) -> String {
        format!(
            "`{}` is allowed only when `{}` is `\"{}\"`.",
            self.target, self.when, self.equals
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let (target, when) = (&self.target, &self.when);
        let Some(actual) = at(config, when).as_str() else {
            return;
        };
        let given = at(config, target);
        if actual != self.equals && !given.is_null() && !given.is_unknown() {
            diags.error_at(
                target.clone(),
                format!("{target} not allowed with {when} = \"{actual}\""),
                format!(
                    "{target} is only for {when} = \"{}\"; remove it or change {when}",
                    self.equals
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(kind: &str, creds: Value) -> Value {
        Value::object([("kind", Value::string(kind)), ("creds", creds)])
    }

    #[test]
    fn required_and_allowed_only_when() {
        let req = required_when(
            AttributePath::root("creds"),
            AttributePath::root("kind"),
            "Basic",
        );
        let only = allowed_only_when(
            AttributePath::root("creds"),
            AttributePath::root("kind"),
            "Basic",
        );
        let mut d = Diagnostics::new();
        req.validate(&cfg("Basic", Value::Null), &mut d);
        only.validate(&cfg("None", Value::string("x")), &mut d);
        let got: Vec<String> = d.iter().map(|x| x.summary.clone()).collect();
        assert_eq!(
            got,
            ["Missing creds", "creds not allowed with kind = \"None\""]
        );
        let mut d = Diagnostics::new();
        req.validate(&cfg("Basic", Value::string("x")), &mut d);
        only.validate(&cfg("Basic", Value::string("x")), &mut d);
        only.validate(&cfg("None", Value::Unknown), &mut d);
        assert!(d.is_empty());
        assert!(req.description().contains("`creds` is required"));
    }
}
