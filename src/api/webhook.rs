//! Registry webhooks: the wire models (the registry API documents' `WebhookRequest`,
//! `Webhook`, `ExtraHeader`, `ListWebhooks`) and the client calls. har-local reads and answers
//! with the same types.
//!
//! Paths: `/registry/{registry ref}/+/webhooks[/{identifier}]` (the SaaS form, which the client
//! sends); the open-source server's `/registry/{%2F-encoded ref}/webhooks[/...]` is the same
//! resource. Answers are enveloped (`{"status":"SUCCESS","data":...}`) like registries.

use reqwest::Method;
use url::Url;

use crate::api::client::{
    Client, Deleted, as_not_found, decode, is_absent, scope_segments, to_json,
};
use crate::api::error::Error;
use crate::api::model::webhook::{ListWebhooks, Webhook, WebhookRequest};
use crate::api::refs::RegistryRef;

/// Page size `list_all_webhooks` asks for, and the most pages it follows.
const LIST_PAGE_SIZE: u32 = 100;
const LIST_MAX_PAGES: u32 = 1_000;

impl Client {
    /// `/registry/<scope>/<registry>/+/webhooks[/<identifier>]`.
    fn webhook_url(&self, reg: &RegistryRef, identifier: Option<&str>) -> Url {
        let mut segments = vec!["registry"];
        segments.extend(scope_segments(&reg.scope));
        segments.push(&reg.identifier);
        segments.push("+");
        segments.push("webhooks");
        segments.extend(identifier);
        self.url(&segments)
    }

    /// `POST .../webhooks`. When an attempt's answer was lost and a retry is told the
    /// identifier exists, the webhook is read back and adopted if it has the URL and name
    /// that were sent.
    pub async fn create_webhook(
        &self,
        reg: &RegistryRef,
        req: &WebhookRequest,
    ) -> Result<Webhook, Error> {
        let json = to_json(req)?;
        let url = self.webhook_url(reg, None);
        let (result, trace) = self.call(Method::POST, url.clone(), Some(json)).await;
        match result {
            Ok(reply) => decode(reply),
            Err(err) if trace.outcome_unknown && says_exists(&err) => {
                match self.ignoring_stop().get_webhook(reg, &req.identifier).await {
                    Ok(Some(w)) if w.url == req.url && w.name == req.name => Ok(w),
                    _ => Err(err),
                }
            }
            Err(err) => Err(as_not_found(err, &url)),
        }
    }

    /// `GET .../webhooks/{identifier}`; `None` when the webhook (or its registry) is not
    /// there.
    pub async fn get_webhook(
        &self,
        reg: &RegistryRef,
        identifier: &str,
    ) -> Result<Option<Webhook>, Error> {
        let (result, _) = self
            .call(Method::GET, self.webhook_url(reg, Some(identifier)), None)
            .await;
        match result {
            Ok(reply) => decode(reply).map(Some),
            Err(err) if is_absent(&err) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// `PUT .../webhooks/{identifier}` (the whole webhook).
    pub async fn update_webhook(
        &self,
        reg: &RegistryRef,
        identifier: &str,
        req: &WebhookRequest,
    ) -> Result<Webhook, Error> {
        let json = to_json(req)?;
        let url = self.webhook_url(reg, Some(identifier));
        let (result, _) = self.call(Method::PUT, url.clone(), Some(json)).await;
        match result {
            Ok(reply) => decode(reply),
            Err(err) => Err(as_not_found(err, &url)),
        }
    }

    /// `DELETE .../webhooks/{identifier}`; one that is not there (or whose registry is gone)
    /// counts as deleted.
    pub async fn delete_webhook(
        &self,
        reg: &RegistryRef,
        identifier: &str,
    ) -> Result<Deleted, Error> {
        let (result, _) = self
            .call(
                Method::DELETE,
                self.webhook_url(reg, Some(identifier)),
                None,
            )
            .await;
        match result {
            Ok(_) => Ok(Deleted::Now),
            Err(err) if is_absent(&err) => Ok(Deleted::AlreadyGone),
            Err(err) => Err(err),
        }
    }

    /// One page of `GET .../webhooks` (0-based `page`).
    pub async fn list_webhooks(
        &self,
        reg: &RegistryRef,
        page: u32,
        size: u32,
    ) -> Result<ListWebhooks, Error> {
        let mut url = self.webhook_url(reg, None);
        url.query_pairs_mut()
            .append_pair("page", &page.to_string())
            .append_pair("size", &size.to_string())
            .append_pair("sort_field", "identifier")
            .append_pair("sort_order", "ASC");
        let (result, _) = self.call(Method::GET, url.clone(), None).await;
        match result {
            Ok(reply) => decode(reply),
            Err(err) => Err(as_not_found(err, &url)),
        }
    }

    /// Every webhook of a registry, by identifier.
    pub async fn list_all_webhooks(&self, reg: &RegistryRef) -> Result<Vec<Webhook>, Error> {
        let mut out = Vec::new();
        for page in 0..LIST_MAX_PAGES {
            let list = self.list_webhooks(reg, page, LIST_PAGE_SIZE).await?;
            let n = list.webhooks.len();
            out.extend(list.webhooks);
            let last = n == 0
                || if list.page_count > 0 {
                    i64::from(page) + 1 >= list.page_count
                } else {
                    n < LIST_PAGE_SIZE as usize
                };
            if last {
                break;
            }
        }
        Ok(out)
    }
}

/// The open-source server's answer to a taken identifier: "failed to store webhook, Webhook
/// with identifier X already exists".
fn says_exists(err: &Error) -> bool {
    matches!(err, Error::Rejected { status: 400 | 409, message }
        if message.to_ascii_lowercase().contains("already exists"))
}

#[cfg(test)]
mod tests {
    use crate::api::model::webhook::*;

    #[test]
    fn reads_the_documented_example() {
        let body = r#"{"identifier":"identifier","internal":true,"modifiedAt":"2","description":null,
            "extraHeaders":[{"value":"v","key":"k"},{"key":"T","value":"*******","masked":true}],
            "triggers":["ARTIFACT_CREATION"],"latestExecutionResult":"SUCCESS","version":1,
            "enabled":true,"url":"https://x","createdAt":"1","secretSpacePath":"acct",
            "createdBy":0,"insecure":true,"name":"name","secretSpaceId":6,"secretIdentifier":"s"}"#;
        let w: Webhook = serde_json::from_str(body).unwrap();
        assert_eq!(w.description, "");
        assert!(w.extra_headers[1].masked);
        assert!(!w.extra_headers[0].masked);
        assert_eq!(w.latest_execution_result.as_deref(), Some("SUCCESS"));
    }

    #[test]
    fn request_always_sends_triggers_and_headers() {
        let req = WebhookRequest {
            identifier: "a".into(),
            name: "a".into(),
            url: "https://x".into(),
            ..Default::default()
        };
        let json = serde_json::to_value(&req).unwrap();
        assert_eq!(json["triggers"], serde_json::json!([]));
        assert_eq!(json["extraHeaders"], serde_json::json!([]));
        assert_eq!(json["enabled"], false);
        assert!(json.get("description").is_none());
    }
}
