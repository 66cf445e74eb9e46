//! Attribute paths: where in a value something is, for error messages and diagnostics.

use std::fmt;

/// One step of Terraform's `AttributePath`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathStep {
    /// An object attribute (or nested block) name.
    Attribute(String),
    /// A map key.
    ElementKeyString(String),
    /// A list, set or tuple position.
    ElementKeyInt(i64),
}

/// Terraform's AttributePath: the steps from the root object to a value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AttributePath {
    pub(crate) steps: Vec<PathStep>,
}

impl AttributePath {
    /// The empty path: the root value itself.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A path to a top-level attribute.
    pub(crate) fn root(attr: &str) -> Self {
        Self::new().attr(attr)
    }

    pub(crate) fn attr(mut self, name: impl Into<String>) -> Self {
        self.steps.push(PathStep::Attribute(name.into()));
        self
    }

    pub(crate) fn key(mut self, key: impl Into<String>) -> Self {
        self.steps.push(PathStep::ElementKeyString(key.into()));
        self
    }

    pub(crate) fn index(mut self, index: i64) -> Self {
        self.steps.push(PathStep::ElementKeyInt(index));
        self
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The path for messages: the Display form, or `(root)` for the empty path.
    pub(crate) fn describe(&self) -> String {
        if self.is_empty() {
            "(root)".to_owned()
        } else {
            self.to_string()
        }
    }
}

/// `access_key_secret_key.access_key`, `upstream_proxies[2]`, `labels["env"]`.
/// The empty path displays as the empty string.
impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                PathStep::Attribute(name) if i == 0 => f.write_str(name)?,
                PathStep::Attribute(name) => write!(f, ".{name}")?,
                PathStep::ElementKeyString(key) => write!(f, "[{key:?}]")?,
                PathStep::ElementKeyInt(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A path under construction while walking a value: a chain of borrowed steps on the
/// stack, so decoding allocates nothing for paths unless it fails.
#[derive(Clone, Copy)]
pub(crate) struct Trail<'a> {
    parent: Option<&'a Trail<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy)]
enum Step<'a> {
    Root,
    Attr(&'a str),
    Key(&'a str),
    Index(usize),
}

impl<'a> Trail<'a> {
    pub(crate) const ROOT: Trail<'static> = Trail {
        parent: None,
        step: Step::Root,
    };

    pub(crate) fn attr(&'a self, name: &'a str) -> Trail<'a> {
        Trail {
            parent: Some(self),
            step: Step::Attr(name),
        }
    }

    pub(crate) fn key(&'a self, key: &'a str) -> Trail<'a> {
        Trail {
            parent: Some(self),
            step: Step::Key(key),
        }
    }

    pub(crate) fn index(&'a self, index: usize) -> Trail<'a> {
        Trail {
            parent: Some(self),
            step: Step::Index(index),
        }
    }

    pub(crate) fn to_path(self) -> AttributePath {
        let mut steps = Vec::new();
        let mut at = Some(&self);
        while let Some(trail) = at {
            match trail.step {
                Step::Root => {}
                Step::Attr(name) => steps.push(PathStep::Attribute(name.to_owned())),
                Step::Key(key) => steps.push(PathStep::ElementKeyString(key.to_owned())),
                Step::Index(i) => steps.push(PathStep::ElementKeyInt(
                    i64::try_from(i).unwrap_or(i64::MAX),
                )),
            }
            at = trail.parent;
        }
        steps.reverse();
        AttributePath { steps }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_joins_attributes_with_dots_and_keys_in_brackets() {
        let p = AttributePath::root("access_key_secret_key").attr("access_key");
        assert_eq!(p.to_string(), "access_key_secret_key.access_key");
        let p = AttributePath::root("upstream_proxies").index(2);
        assert_eq!(p.to_string(), "upstream_proxies[2]");
        let p = AttributePath::root("labels").key("env").attr("x");
        assert_eq!(p.to_string(), "labels[\"env\"].x");
        assert_eq!(AttributePath::new().describe(), "(root)");
    }

    #[test]
    fn trail_builds_the_same_path() {
        let root = Trail::ROOT;
        let a = root.attr("config");
        let b = a.index(3);
        let c = b.key("k");
        assert_eq!(c.to_path(), AttributePath::root("config").index(3).key("k"));
        assert!(Trail::ROOT.to_path().is_empty());
    }
}
