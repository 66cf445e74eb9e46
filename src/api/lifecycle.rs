//! Lifecycle rules: the wire models and client calls of the v3 lifecycle API
//! (`docs/api/lifecycle-rules.md`). Unlike v1, v3 puts the scope in query parameters
//! (`account_identifier`, `org_identifier`, `project_identifier`) and answers bare objects,
//! without the `{"status","data"}` envelope. har-local reads and answers with the same types.

use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use crate::api::client::{Client, Deleted, Reply, as_not_found, is_absent, to_json};
use crate::api::error::{Error, excerpt};
use crate::api::model::lifecycle::{LifecycleRule, LifecycleRuleRequest, ListLifecycleRules};
use crate::api::refs::Scope;

const LIST_PAGE_SIZE: u32 = 100;
const LIST_MAX_PAGES: u32 = 1_000;

/// A bare (not enveloped) JSON answer.
fn decode_bare<T: DeserializeOwned>(reply: Reply) -> Result<T, Error> {
    serde_json::from_slice(&reply.body).map_err(|e| Error::Decode {
        status: reply.status,
        reason: reply.secrets.redact(&e.to_string()),
        excerpt: excerpt(
            reply
                .secrets
                .redact(&String::from_utf8_lossy(&reply.body))
                .as_bytes(),
        ),
    })
}

impl Client {
    /// `{endpoint}/har/api/v3/<segments>?<scope>`; `account_only` for delete, which the
    /// official client addresses by account alone.
    fn v3_url(&self, segments: &[&str], scope: &Scope, account_only: bool) -> Url {
        let mut url = self.base_url().clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop().push("v3").extend(segments);
        }
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("account_identifier", &scope.account);
            if !account_only {
                if let Some(org) = &scope.org {
                    q.append_pair("org_identifier", org);
                }
                if let Some(project) = &scope.project {
                    q.append_pair("project_identifier", project);
                }
            }
        }
        url
    }

    /// `POST /lifecycle/rules?<scope>`. Not retried into a duplicate: rules have no
    /// client-chosen key, so a create whose answer was lost may leave a second rule; the
    /// error then says the outcome is unknown.
    pub async fn create_lifecycle_rule(
        &self,
        scope: &Scope,
        req: &LifecycleRuleRequest,
    ) -> Result<LifecycleRule, Error> {
        let json = to_json(req)?;
        let url = self.v3_url(&["lifecycle", "rules"], scope, false);
        let (result, _) = self.call(Method::POST, url, Some(json)).await;
        decode_bare(result?)
    }

    /// `GET /lifecycle/rules/{id}?<scope>`; `None` when it is not there.
    pub async fn get_lifecycle_rule(
        &self,
        scope: &Scope,
        id: &str,
    ) -> Result<Option<LifecycleRule>, Error> {
        let url = self.v3_url(&["lifecycle", "rules", id], scope, false);
        let (result, _) = self.call(Method::GET, url, None).await;
        match result {
            Ok(reply) => decode_bare(reply).map(Some),
            Err(err) if is_absent(&err) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// `PUT /lifecycle/rules/{id}?<scope>` (the whole rule).
    pub async fn update_lifecycle_rule(
        &self,
        scope: &Scope,
        id: &str,
        req: &LifecycleRuleRequest,
    ) -> Result<LifecycleRule, Error> {
        let json = to_json(req)?;
        let url = self.v3_url(&["lifecycle", "rules", id], scope, false);
        let (result, _) = self.call(Method::PUT, url.clone(), Some(json)).await;
        match result {
            Ok(reply) => decode_bare(reply),
            Err(err) => Err(as_not_found(err, &url)),
        }
    }

    /// `DELETE /lifecycle/rules/{id}?account_identifier=..`; one that is not there counts as
    /// deleted.
    pub async fn delete_lifecycle_rule(&self, scope: &Scope, id: &str) -> Result<Deleted, Error> {
        let url = self.v3_url(&["lifecycle", "rules", id], scope, true);
        let (result, _) = self.call(Method::DELETE, url, None).await;
        match result {
            Ok(_) => Ok(Deleted::Now),
            Err(err) if is_absent(&err) => Ok(Deleted::AlreadyGone),
            Err(err) => Err(err),
        }
    }

    /// One page of `GET /lifecycle/rules?<scope>&page=&size=`.
    pub async fn list_lifecycle_rules(
        &self,
        scope: &Scope,
        page: u32,
        size: u32,
    ) -> Result<ListLifecycleRules, Error> {
        let mut url = self.v3_url(&["lifecycle", "rules"], scope, false);
        url.query_pairs_mut()
            .append_pair("page", &page.to_string())
            .append_pair("size", &size.to_string());
        let (result, _) = self.call(Method::GET, url, None).await;
        decode_bare(result?)
    }

    /// Every rule of exactly `scope`.
    pub async fn list_all_lifecycle_rules(
        &self,
        scope: &Scope,
    ) -> Result<Vec<LifecycleRule>, Error> {
        let mut out = Vec::new();
        for page in 0..LIST_MAX_PAGES {
            let list = self
                .list_lifecycle_rules(scope, page, LIST_PAGE_SIZE)
                .await?;
            let n = list.items.len();
            out.extend(list.items);
            if !list.has_more || n == 0 {
                break;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::api::model::lifecycle::*;

    #[test]
    fn request_shape() {
        let req = LifecycleRuleRequest {
            name: "nightly".into(),
            action: "DELETE".into(),
            apply_to: ApplyTo {
                mode: "ALL_IN_SCOPE".into(),
                registries: vec![],
            },
            criteria: Some(Criteria {
                match_: "ALL".into(),
                rules: vec![CriterionRule {
                    kind: "KEEP_LAST_N".into(),
                    config: CriterionConfig {
                        value: Some(10),
                        unit: None,
                    },
                }],
            }),
            schedule: Some(Schedule {
                expression: "0 2 * * *".into(),
                timezone: "UTC".into(),
            }),
            ..Default::default()
        };
        let json = serde_json::to_value(&req).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"name":"nightly","action":"DELETE","applyTo":{"mode":"ALL_IN_SCOPE"},
                "criteria":{"match":"ALL","rules":[{"type":"KEEP_LAST_N","config":{"value":10}}]},
                "schedule":{"expression":"0 2 * * *","timezone":"UTC"}})
        );
    }

    #[test]
    fn reads_an_answer_with_nulls() {
        let body = r#"{"id":"r1","name":"n","action":"PROTECT","applyTo":{"mode":"EXPLICIT","registries":["a"]},
            "filterConfig":{"packageNameAllowedPattern":["x*"],"tagNameAllowedPattern":null},
            "enabled":true,"createdAt":1,"updatedAt":2,"lastRunAt":null,"orgIdentifier":"org",
            "createdBy":{"email":"a@b","name":"A"}}"#;
        let r: LifecycleRule = serde_json::from_str(body).unwrap();
        assert_eq!(r.apply_to.registries, vec!["a"]);
        let f = r.filter_config.unwrap();
        assert_eq!(f.package_name_allowed_pattern, vec!["x*"]);
        assert!(f.tag_name_allowed_pattern.is_empty());
        assert_eq!(r.last_run_at, None);
    }
}
