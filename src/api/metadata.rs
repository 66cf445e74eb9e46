//! Registry metadata through the v3 API: wire models and the client's three calls
//! (`docs/design/fields.md`, "Metadata").
//!
//! * `GET  {endpoint}/har/api/v3/registries/{uuid}/metadata?account_identifier=..` →
//!   `{"data":[{"id","key","value","type"}]}`
//! * `PUT  ...` with `{"metadata":[{"key","value"}]}` replaces the entries, same answer.
//! * `POST ...` with the same body adds or changes entries, same answer.
//!
//! The registry is addressed by its uuid, not its ref. Answers are not wrapped in the v1
//! `{"status","data"}` envelope. `type` is `MANUAL` (a user's) or `AUTO` (the system's). The
//! wire models live with the others in `model.rs` (har-local answers with them too).

use reqwest::Method;
use url::Url;

use super::Client;
use super::error::{Error, excerpt};
use super::model::{MetadataEntry, MetadataItem, MetadataList, MetadataRequest};

impl Client {
    /// The registry's entries, `MANUAL` and `AUTO` alike.
    pub async fn get_metadata(&self, registry_uuid: &str) -> Result<Vec<MetadataEntry>, Error> {
        let (status, body) = self
            .send(Method::GET, self.metadata_url(registry_uuid), None)
            .await?;
        decode(status, &body)
    }

    /// Replaces the registry's entries with `items`. The API does not say what a PUT does to
    /// `AUTO` entries it omits, so callers send the `AUTO` entries they read back unchanged.
    pub async fn put_metadata(
        &self,
        registry_uuid: &str,
        items: Vec<MetadataItem>,
    ) -> Result<Vec<MetadataEntry>, Error> {
        let body = serde_json::to_vec(&MetadataRequest { metadata: items })
            .map_err(|e| Error::Invalid(format!("could not encode the body: {e}")))?;
        let (status, body) = self
            .send(Method::PUT, self.metadata_url(registry_uuid), Some(body))
            .await?;
        decode(status, &body)
    }

    /// `{endpoint}/har/api/v3/registries/{uuid}/metadata?account_identifier=<account>`: the
    /// v1 base with its last segment `v1` replaced by `v3`.
    fn metadata_url(&self, registry_uuid: &str) -> Url {
        let mut url = self.base_url().clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().pop();
            path.extend(["v3", "registries", registry_uuid, "metadata"]);
        }
        url.query_pairs_mut()
            .append_pair("account_identifier", self.account_id());
        url
    }
}

fn decode(status: u16, body: &[u8]) -> Result<Vec<MetadataEntry>, Error> {
    serde_json::from_slice::<MetadataList>(body)
        .map(|l| l.data)
        .map_err(|e| Error::Decode {
            status,
            reason: e.to_string(),
            excerpt: excerpt(body),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::MetadataList;

    #[test]
    fn reads_entries_and_defaults_the_type() {
        let l: MetadataList = serde_json::from_str(
            r#"{"data":[{"id":"1","key":"team","value":"a","type":"AUTO"},{"key":"k","value":"v"}]}"#,
        )
        .unwrap();
        assert!(l.data[0].is_auto());
        assert_eq!(l.data[1].entry_type, "MANUAL");
        let empty: MetadataList = serde_json::from_str(r#"{"data":null}"#).unwrap();
        assert!(empty.data.is_empty());
        let body = serde_json::to_value(MetadataRequest {
            metadata: vec![MetadataItem {
                key: "k".into(),
                value: "v".into(),
                entry_type: None,
            }],
        })
        .unwrap();
        assert_eq!(
            body,
            serde_json::json!({"metadata":[{"key":"k","value":"v"}]})
        );
    }
}
