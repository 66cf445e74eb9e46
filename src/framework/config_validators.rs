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

/// Exactly one of `paths` must be set (once all of them are known).
pub struct ExactlyOneOf {
    paths: Vec<AttributePath>,
}

pub fn exactly_one_of(paths: impl IntoIterator<Item = AttributePath>) -> ExactlyOneOf {
    ExactlyOneOf {
        paths: paths.into_iter().collect(),
    }
}

impl ExactlyOneOf {
    fn names(&self) -> String {
        self.paths
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl ConfigValidator for ExactlyOneOf {
    fn description(&self) -> String {
        format!("Exactly one of {} must be set.", self.names())
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let values: Vec<&Value> = self.paths.iter().map(|p| at(config, p)).collect();
        if values.iter().any(|v| v.is_unknown()) {
            return;
        }
        let set: Vec<&AttributePath> = self
            .paths
            .iter()
            .zip(&values)
            .filter(|(_, v)| !v.is_null())
            .map(|(p, _)| p)
            .collect();
        match set.as_slice() {
            [_] => {}
            [] => diags.error_at(
                self.paths[0].clone(),
                "Missing attribute",
                format!("Exactly one of {} must be set; none is.", self.names()),
            ),
            [_, second, ..] => diags.error_at(
                (*second).clone(),
                "Conflicting attributes",
                format!(
                    "Exactly one of {} must be set; more than one is.",
                    self.names()
                ),
            ),
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

    #[test]
    fn exactly_one() {
        let v = exactly_one_of([AttributePath::root("a"), AttributePath::root("b")]);
        let check = |a: Value, b: Value| {
            let mut d = Diagnostics::new();
            v.validate(&Value::object([("a", a), ("b", b)]), &mut d);
            d.len()
        };
        assert_eq!(check(Value::string("x"), Value::Null), 0);
        assert_eq!(check(Value::Null, Value::Null), 1);
        assert_eq!(check(Value::string("x"), Value::string("y")), 1);
        assert_eq!(check(Value::Unknown, Value::string("y")), 0);
    }
}
