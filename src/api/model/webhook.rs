//! Wire models of registry webhooks (the registry API documents' `WebhookRequest`, `Webhook`,
//! `ExtraHeader`, `ListWebhooks`): the client sends and reads them, har-local answers with them.

use serde::{Deserialize, Deserializer, Serialize};

/// `extraHeaders[]`. `masked` asks the server not to show `value` again: it answers a
/// placeholder in its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraHeader {
    pub key: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub value: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub masked: bool,
}

/// Body of create and of PUT (PUT replaces the whole webhook).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookRequest {
    #[serde(default)]
    pub identifier: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub insecure: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_space_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_space_id: Option<i64>,
    /// `ARTIFACT_CREATION`, `ARTIFACT_DELETION`; always sent, so `[]` clears them.
    #[serde(default, deserialize_with = "null_as_default")]
    pub triggers: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub extra_headers: Vec<ExtraHeader>,
}

/// `data` of create, get and update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    pub identifier: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub description: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub url: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub enabled: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub insecure: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub internal: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_space_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_space_id: Option<i64>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub triggers: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub extra_headers: Vec<ExtraHeader>,
    /// `SUCCESS`, `RETRIABLE_ERROR` or `FATAL_ERROR`; absent before the first delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_execution_result: Option<String>,
    /// Epoch milliseconds, as a string.
    #[serde(default, deserialize_with = "null_as_default")]
    pub created_at: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub modified_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// `data` of the list. `pageIndex` is 0-based, as for registries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListWebhooks {
    #[serde(default)]
    pub item_count: i64,
    #[serde(default)]
    pub page_count: i64,
    #[serde(default)]
    pub page_index: i64,
    #[serde(default)]
    pub page_size: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub webhooks: Vec<Webhook>,
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
