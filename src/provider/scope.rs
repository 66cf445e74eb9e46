//! Where a resource lives: the provider's account and default scope, and the scope a
//! resource's own `org_id` / `project_id` make of them.

use crate::api::refs::{RegistryRef, Scope};
use crate::framework::Field;

/// The provider's account and default scope (provider block / env).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Defaults {
    pub(crate) account_id: String,
    pub(crate) org_id: Option<String>,
    pub(crate) project_id: Option<String>,
}

impl Defaults {
    /// The scope a resource lives in: its own `org_id`/`project_id` when set, else the
    /// provider's. A resource that sets its own org does not inherit the provider's project
    /// (so `org_id` alone means the org level).
    pub(crate) fn effective(
        &self,
        org: Option<&str>,
        project: Option<&str>,
    ) -> (Option<String>, Option<String>) {
        let project = project.map(str::to_string).or_else(|| {
            if org.is_none() {
                self.project_id.clone()
            } else {
                None
            }
        });
        let org = org.map(str::to_string).or_else(|| self.org_id.clone());
        (org, project)
    }

    pub(crate) fn scope(&self, org: Option<String>, project: Option<String>) -> Scope {
        Scope {
            account: self.account_id.clone(),
            org,
            project,
        }
    }

    /// The values for `org_id`/`project_id` in a plan: the configured ones, else the
    /// provider's default scope, so the plan shows where the object will really live.
    pub(crate) fn plan_scope(
        &self,
        org: Field<&str>,
        project: Field<&str>,
    ) -> (Field<String>, Field<String>) {
        let planned_org = match org {
            Field::Unknown => Field::Unknown,
            Field::Known(o) => Field::Known(o.to_string()),
            Field::Null => Field::from_option(self.org_id.clone()),
        };
        let planned_project = match (project, org) {
            (Field::Known(p), _) => Field::Known(p.to_string()),
            (Field::Unknown, _) | (Field::Null, Field::Unknown) => Field::Unknown,
            (Field::Null, org) => Field::from_option(self.effective(org.known(), None).1),
        };
        (planned_org, planned_project)
    }
}

/// The ref of an object whose identifier and scope are known.
pub(crate) fn ref_of(
    account: &str,
    identifier: Field<&str>,
    org: Field<&str>,
    project: Field<&str>,
) -> Option<RegistryRef> {
    let known = |f: Field<&str>| match f {
        Field::Unknown => None,
        f => Some(f.known().map(str::to_string)),
    };
    Some(RegistryRef::new(
        Scope {
            account: account.to_string(),
            org: known(org)?,
            project: known(project)?,
        },
        identifier.known()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Defaults {
        Defaults {
            account_id: "a".into(),
            org_id: Some("o".into()),
            project_id: Some("p".into()),
        }
    }

    #[test]
    fn effective_scope() {
        let d = defaults();
        assert_eq!(
            d.effective(None, None),
            (Some("o".into()), Some("p".into()))
        );
        assert_eq!(d.effective(Some("x"), None), (Some("x".into()), None));
        assert_eq!(d.effective(Some("o"), None), (Some("o".into()), None));
        assert_eq!(
            d.effective(Some("o"), Some("q")),
            (Some("o".into()), Some("q".into()))
        );
    }

    #[test]
    fn scope_in_the_plan() {
        let d = defaults();
        let known = |s: &str| Field::Known(s.to_string());
        assert_eq!(
            d.plan_scope(Field::Null, Field::Null),
            (known("o"), known("p"))
        );
        assert_eq!(
            d.plan_scope(Field::Known("x"), Field::Null),
            (known("x"), Field::Null)
        );
        assert_eq!(
            d.plan_scope(Field::Unknown, Field::Null),
            (Field::Unknown, Field::Unknown)
        );
    }
}
