//! Scope paths and registry refs: `account[/org[/project]]` and `<scope>/<identifier>`.
//! The ref is what the API puts in its URLs, what the provider uses as a resource `id`,
//! and what `terraform import` takes.

use std::fmt;

/// A Harness scope ("space"): an account, an org in it, or a project in that org.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope {
    pub account: String,
    pub org: Option<String>,
    pub project: Option<String>,
}

/// A registry addressed in the exact scope it lives in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RegistryRef {
    pub scope: Scope,
    pub identifier: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    #[error("a scope is `account`, `account/org` or `account/org/project`, got {0:?}")]
    BadScope(String),
    #[error(
        "a registry ref is `account/identifier`, `account/org/identifier` or \
         `account/org/project/identifier`, got {0:?}"
    )]
    BadRef(String),
    #[error("a project needs an org")]
    ProjectWithoutOrg,
}

impl Scope {
    pub fn account(account: impl Into<String>) -> Self {
        Scope {
            account: account.into(),
            org: None,
            project: None,
        }
    }

    /// Builds a scope from its parts; a project without an org is an error.
    pub fn new(
        account: impl Into<String>,
        org: Option<String>,
        project: Option<String>,
    ) -> Result<Self, RefError> {
        if project.is_some() && org.is_none() {
            return Err(RefError::ProjectWithoutOrg);
        }
        Ok(Scope {
            account: account.into(),
            org,
            project,
        })
    }

    /// Parses `account[/org[/project]]`; empty segments are refused.
    pub fn parse(path: &str) -> Result<Self, RefError> {
        let parts: Vec<&str> = path.split('/').collect();
        if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(RefError::BadScope(path.to_string()));
        }
        let s = |i: usize| parts.get(i).map(|p| p.to_string());
        Ok(Scope {
            account: parts[0].to_string(),
            org: s(1),
            project: s(2),
        })
    }

    /// This scope and every ancestor, nearest first: `a/o/p`, `a/o`, `a`.
    pub fn self_and_ancestors(&self) -> Vec<Scope> {
        let mut out = vec![self.clone()];
        if self.project.is_some() {
            out.push(Scope {
                project: None,
                ..self.clone()
            });
        }
        if self.org.is_some() {
            out.push(Scope::account(self.account.clone()));
        }
        out
    }

    /// True if `self` is `other` or one of its ancestors (so a registry in `other` can see
    /// what lives in `self`).
    pub fn is_visible_from(&self, other: &Scope) -> bool {
        other.self_and_ancestors().contains(self)
    }

    /// 1 for an account, 2 for an org, 3 for a project.
    pub fn depth(&self) -> usize {
        1 + usize::from(self.org.is_some()) + usize::from(self.project.is_some())
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.account)?;
        if let Some(org) = &self.org {
            write!(f, "/{org}")?;
        }
        if let Some(project) = &self.project {
            write!(f, "/{project}")?;
        }
        Ok(())
    }
}

impl RegistryRef {
    pub fn new(scope: Scope, identifier: impl Into<String>) -> Self {
        RegistryRef {
            scope,
            identifier: identifier.into(),
        }
    }

    /// Parses `<scope>/<identifier>`: the last segment is the identifier.
    pub fn parse(s: &str) -> Result<Self, RefError> {
        let bad = || RefError::BadRef(s.to_string());
        let (scope, identifier) = s.rsplit_once('/').ok_or_else(bad)?;
        if identifier.is_empty() {
            return Err(bad());
        }
        let scope = Scope::parse(scope).map_err(|_| bad())?;
        Ok(RegistryRef {
            scope,
            identifier: identifier.to_string(),
        })
    }
}

impl fmt::Display for RegistryRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.scope, self.identifier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_round_trip_at_every_depth() {
        for s in ["acct/reg", "acct/org/reg", "acct/org/proj/reg"] {
            assert_eq!(RegistryRef::parse(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn bad_refs_are_refused() {
        for s in ["", "reg", "acct//reg", "acct/reg/", "a/b/c/d/reg", "/reg"] {
            assert!(RegistryRef::parse(s).is_err(), "{s:?} parsed");
        }
    }

    #[test]
    fn ancestors_see_down_not_up() {
        let proj = Scope::parse("a/o/p").unwrap();
        let org = Scope::parse("a/o").unwrap();
        let other = Scope::parse("a/x").unwrap();
        assert!(org.is_visible_from(&proj));
        assert!(Scope::account("a").is_visible_from(&proj));
        assert!(!proj.is_visible_from(&org));
        assert!(!other.is_visible_from(&proj));
    }

    #[test]
    fn project_needs_org() {
        assert_eq!(
            Scope::new("a", None, Some("p".into())),
            Err(RefError::ProjectWithoutOrg)
        );
    }
}
