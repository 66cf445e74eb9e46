//! Where an official registry lives, from its state: `parent_ref` (what the official provider
//! reads and deletes with), else `space_ref`, each `acct`, `acct/org` or `acct/org/project`;
//! else `org_id`/`project_id` of newer versions, whose account is the provider's and so is
//! not in the state: it comes from `--account` then.

use serde_json::{Map, Value};

/// `account[/org[/project]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub account: String,
    pub org: Option<String>,
    pub project: Option<String>,
}

impl Scope {
    /// The registry ref, which is also this provider's import ID.
    pub fn registry_ref(&self, identifier: &str) -> String {
        let mut parts = vec![self.account.as_str()];
        parts.extend(self.org.as_deref());
        parts.extend(self.project.as_deref());
        parts.push(identifier);
        parts.join("/")
    }
}

fn text<'a>(values: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    values
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The scope of one instance; `account` is `--account`, if given. A ref in another account
/// than `--account` is refused: its import would fail.
pub fn scope_of(values: &Map<String, Value>, account: Option<&str>) -> Result<Scope, String> {
    for key in ["parent_ref", "space_ref"] {
        if let Some(r) = text(values, key) {
            let scope = parse_ref(r).map_err(|e| format!("{key} = {r:?}: {e}"))?;
            if let Some(a) = account.filter(|a| *a != scope.account) {
                return Err(format!(
                    "{key} = {r:?} is in account {:?}, not in --account {a:?}",
                    scope.account
                ));
            }
            return Ok(scope);
        }
    }
    let Some(account) = account else {
        return Err(
            "the state has no parent_ref or space_ref, so the account is not in it: pass \
             --account ACCOUNT (or set HARNESS_ACCOUNT_ID), the account_id of the official \
             provider's configuration"
                .into(),
        );
    };
    in_account(values, account)
}

/// The scope of an official lifecycle rule: its own `account_id` (the official resource
/// requires it), else `--account`, then `org_id`/`project_id`.
pub fn rule_scope_of(values: &Map<String, Value>, account: Option<&str>) -> Result<Scope, String> {
    let own = text(values, "account_id");
    if let (Some(own), Some(a)) = (own, account)
        && own != a
    {
        return Err(format!(
            "account_id = {own:?} is not --account {a:?}: its import would fail"
        ));
    }
    let Some(account) = own.or(account) else {
        return Err(
            "the state has no account_id: pass --account ACCOUNT (or set HARNESS_ACCOUNT_ID)"
                .into(),
        );
    };
    if account.contains('/') {
        return Err(format!("account_id = {account:?} must not contain `/`"));
    }
    in_account(values, account)
}

/// `org_id`/`project_id` of `values`, in `account`.
fn in_account(values: &Map<String, Value>, account: &str) -> Result<Scope, String> {
    let org = text(values, "org_id");
    let project = text(values, "project_id");
    if project.is_some() && org.is_none() {
        return Err("project_id is set but org_id is not: a project lives in an org".into());
    }
    for (name, v) in [("org_id", org), ("project_id", project)] {
        if let Some(v) = v.filter(|v| v.contains('/')) {
            return Err(format!("{name} = {v:?} must not contain `/`"));
        }
    }
    Ok(Scope {
        account: account.to_string(),
        org: org.map(String::from),
        project: project.map(String::from),
    })
}

fn parse_ref(r: &str) -> Result<Scope, String> {
    let parts: Vec<&str> = r.split('/').collect();
    if parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.contains(char::is_whitespace))
    {
        return Err("expected `account`, `account/org` or `account/org/project`".into());
    }
    Ok(Scope {
        account: parts[0].to_string(),
        org: parts.get(1).map(|s| s.to_string()),
        project: parts.get(2).map(|s| s.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn parent_ref_first_then_space_ref() {
        let v = values(json!({"parent_ref": "acct/o/p", "space_ref": "acct"}));
        assert_eq!(scope_of(&v, None).unwrap().registry_ref("r"), "acct/o/p/r");
        let v = values(json!({"parent_ref": "", "space_ref": "acct/o"}));
        assert_eq!(scope_of(&v, None).unwrap().registry_ref("r"), "acct/o/r");
        let v = values(json!({"parent_ref": "acct", "org_id": "ignored"}));
        assert_eq!(
            scope_of(&v, Some("acct")).unwrap().registry_ref("r"),
            "acct/r"
        );
    }

    #[test]
    fn org_and_project_ids_need_the_account() {
        let v = values(json!({"org_id": "o", "project_id": "p", "parent_ref": null}));
        let e = scope_of(&v, None).unwrap_err();
        assert!(e.contains("--account"), "{e}");
        assert_eq!(
            scope_of(&v, Some("a")).unwrap().registry_ref("r"),
            "a/o/p/r"
        );
        let v = values(json!({}));
        assert_eq!(scope_of(&v, Some("a")).unwrap().registry_ref("r"), "a/r");
        let v = values(json!({"project_id": "p"}));
        assert!(scope_of(&v, Some("a")).unwrap_err().contains("org_id"));
    }

    #[test]
    fn bad_refs_and_other_accounts_are_refused() {
        for bad in ["a//b", "a/b/c/d", "a b", "/a"] {
            let v = values(json!({ "parent_ref": bad }));
            let e = scope_of(&v, None).unwrap_err();
            assert!(e.starts_with("parent_ref = "), "{bad}: {e}");
        }
        let v = values(json!({"parent_ref": "other/o"}));
        let e = scope_of(&v, Some("acct")).unwrap_err();
        assert!(e.contains("not in --account \"acct\""), "{e}");
    }

    #[test]
    fn a_rule_takes_its_own_account_id_then_the_option() {
        let v = values(json!({"account_id": "acct", "org_id": "o", "project_id": "p"}));
        assert_eq!(
            rule_scope_of(&v, None).unwrap().registry_ref("r1"),
            "acct/o/p/r1"
        );
        let v = values(json!({"account_id": "", "org_id": "o", "project_id": ""}));
        assert_eq!(
            rule_scope_of(&v, Some("a")).unwrap().registry_ref("r1"),
            "a/o/r1"
        );
        assert!(rule_scope_of(&v, None).unwrap_err().contains("--account"));
        let v = values(json!({"account_id": "acct"}));
        let e = rule_scope_of(&v, Some("other")).unwrap_err();
        assert!(e.contains("not --account \"other\""), "{e}");
    }
}
