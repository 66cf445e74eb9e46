//! Serde models of the HAR registry API's JSON, as the official OpenAPI documents name
//! them (`registry-openapi.yaml`, SaaS `saas-sdk-swagger.yaml`). The provider's client sends
//! and reads them; har-local reads and answers with the very same types, so the two can
//! never disagree on a field name.
//!
//! Tolerance rules (docs/design/har-api.md §2.2, §6): unknown fields are ignored; `null` and a missing
//! list are the same as `[]`; the SDK's stray keys inside `config` and `auth` are accepted.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

// Webhooks and lifecycle rules, one file each.
pub mod lifecycle;
pub mod webhook;

/// `{"status":"SUCCESS","data":...}`: every success body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub status: String,
    #[serde(default = "Option::default", skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
}

impl<T> Envelope<T> {
    pub fn success(data: T) -> Self {
        Envelope {
            status: "SUCCESS".into(),
            data: Some(data),
        }
    }
}

impl Envelope<()> {
    /// The body of a successful DELETE: `{"status":"SUCCESS"}`.
    pub fn empty() -> Self {
        Envelope {
            status: "SUCCESS".into(),
            data: None,
        }
    }
}

/// `{"code":"<http status>","message":"..."}`: every error body. `code` is the HTTP status
/// as a string (OSS `utils.go GetErrorResponse`); there is no `status` field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

/// `config.type` and the list filter `type`.
pub const TYPE_VIRTUAL: &str = "VIRTUAL";
pub const TYPE_UPSTREAM: &str = "UPSTREAM";

/// Body of `POST /registry` and `PUT /registry/{ref}/+` (PUT replaces the whole registry).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryRequest {
    #[serde(default)]
    pub identifier: String,
    #[serde(default)]
    pub package_type: String,
    /// Scope path `account[/org[/project]]`; used on create, ignored on PUT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_ref: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub labels: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub allowed_pattern: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub blocked_pattern: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleanup_policy: Option<Vec<CleanupPolicy>>,
    /// Always sent (the official provider's `omitempty` can never turn it off again).
    #[serde(default)]
    pub is_public: bool,
    /// SaaS only: `[{"name":"AQUA_TRIVY"|"GRYPE"}]`. `None` leaves the key out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanners: Option<Vec<Scanner>>,
    /// SaaS only, in the official Go client's request model (its answer model has no such
    /// field): references to policy sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_refs: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<RegistryConfig>,
}

/// `scanners[]`: a security scanner run on every artifact the registry takes in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Scanner {
    #[serde(default)]
    pub name: String,
}

/// `config`: a flat object discriminated by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
// A few hundred bytes per request body; boxing would only make every match noisier.
#[allow(clippy::large_enum_variant)]
pub enum RegistryConfig {
    #[serde(rename = "VIRTUAL")]
    Virtual(VirtualConfig),
    #[serde(rename = "UPSTREAM")]
    Upstream(UpstreamConfig),
}

impl RegistryConfig {
    /// `VIRTUAL` or `UPSTREAM`.
    pub fn type_name(&self) -> &'static str {
        match self {
            RegistryConfig::Virtual(_) => TYPE_VIRTUAL,
            RegistryConfig::Upstream(_) => TYPE_UPSTREAM,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualConfig {
    /// Identifiers of upstream registries, in resolution order. The real service answers
    /// `[]` when there are none.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub upstream_proxies: Vec<String>,
    /// SaaS, DEBIAN only: which architectures to index from upstreams and which extra index
    /// compressions to write. The server fills defaults (`amd64`, `i386`, `arm64`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debian_config: Option<DebianConfig>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DebianConfig {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub remote_indexed_architectures: Vec<String>,
    /// `.xz` is the only value the API names.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub optional_index_compression_formats: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpstreamConfig {
    /// `Anonymous`, `UserPassword` or `AccessKeySecretKey`; required by the server, optional
    /// here so that its absence can get a clear 400 instead of a decode error.
    #[serde(default)]
    pub auth_type: Option<String>,
    /// `null` for Anonymous (the real service marshals an empty union as null).
    #[serde(default)]
    pub auth: Option<UpstreamAuth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_url_suffix: Option<String>,
    /// SaaS `firewallMode`: `ALLOW`, `ENABLED` or `QUARANTINE` (`rules::FirewallMode`; the
    /// open-source server's `upstreamProxyConfigFirewallMode` is a different field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firewall_mode: Option<String>,
    /// SaaS, seconds, MAVEN only (`rules::check_cache_ttl`).
    #[serde(
        rename = "metadataCacheTTL",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata_cache_ttl: Option<i64>,
    #[serde(
        rename = "negativeCacheTTL",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub negative_cache_ttl: Option<i64>,
}

/// `config.auth`: the fields of `UserPassword` and `AccessKeySecretKey` side by side, since
/// the union is told apart by the sibling `authType`, not by a tag of its own. Only secret
/// *references* travel here; `accessKey` is an AWS access key id, not a secret.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpstreamAuth {
    // UserPassword
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_space_path: Option<String>,
    // AccessKeySecretKey
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_secret_identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_secret_space_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key_identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key_space_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CleanupPolicy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_days: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub version_prefix: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub package_prefix: Vec<String>,
}

/// `data` of create, get and update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Registry {
    pub identifier: String,
    #[serde(default)]
    pub uuid: String,
    pub package_type: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub description: String,
    /// VIRTUAL: the pull URL; UPSTREAM: the remote URL (`""` for public default sources).
    #[serde(default, deserialize_with = "null_as_default")]
    pub url: String,
    /// The real service answers `null` for an empty list; both read as empty.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        serialize_with = "empty_as_null"
    )]
    pub allowed_pattern: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        serialize_with = "empty_as_null"
    )]
    pub blocked_pattern: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        serialize_with = "empty_as_null"
    )]
    pub labels: Vec<String>,
    /// Present (possibly null) for VIRTUAL, absent for UPSTREAM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleanup_policy: Option<Vec<CleanupPolicy>>,
    pub config: RegistryConfig,
    /// Epoch milliseconds, as a string.
    #[serde(default, deserialize_with = "null_as_default")]
    pub created_at: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub modified_at: String,
    #[serde(default)]
    pub is_public: bool,
    /// SaaS: `null` or absent when there are none.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub scanners: Vec<Scanner>,
    /// har-local answers with what it stored; the SaaS answer model has no such field, and a
    /// client reading an answer without it keeps what it sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_refs: Option<Vec<String>>,
}

/// `data` of `GET /spaces/{scope}/+/registries`. `page` is 0-based.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListRegistry {
    #[serde(default)]
    pub item_count: i64,
    #[serde(default)]
    pub page_count: i64,
    #[serde(default)]
    pub page_index: i64,
    #[serde(default)]
    pub page_size: i64,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub registries: Vec<RegistryMetadata>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryMetadata {
    pub identifier: String,
    #[serde(default)]
    pub uuid: String,
    /// `VIRTUAL` or `UPSTREAM`.
    #[serde(rename = "type")]
    pub registry_type: String,
    pub package_type: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub description: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub url: String,
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        serialize_with = "empty_as_null"
    )]
    pub labels: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub last_modified: String,
    /// `<scope path>/<identifier>`: the registry ref.
    #[serde(default, deserialize_with = "null_as_default")]
    pub path: String,
    #[serde(default)]
    pub is_public: bool,
}

// ---- v3 registry metadata (`api/metadata.rs` has the calls) ----

/// One entry as the API answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetadataEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub key: String,
    #[serde(default)]
    pub value: String,
    /// `MANUAL` or `AUTO`; an entry without one counts as `MANUAL`.
    #[serde(rename = "type", default = "manual")]
    pub entry_type: String,
}

fn manual() -> String {
    "MANUAL".into()
}

impl MetadataEntry {
    pub fn is_auto(&self) -> bool {
        self.entry_type.eq_ignore_ascii_case("AUTO")
    }
}

/// `{"data":[...]}`: the answer of every metadata call.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MetadataList {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub data: Vec<MetadataEntry>,
}

/// One entry of a PUT or POST body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetadataItem {
    pub key: String,
    pub value: String,
    /// Not sent by the provider. har-local accepts `"AUTO"` here on POST so that tests can
    /// stand in for the system setting an entry; the real API's body has key and value only.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub entry_type: Option<String>,
}

/// `{"metadata":[...]}`: the body of PUT and POST.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MetadataRequest {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub metadata: Vec<MetadataItem>,
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn empty_as_null<S: Serializer>(v: &[String], s: S) -> Result<S::Ok, S::Error> {
    if v.is_empty() {
        s.serialize_none()
    } else {
        v.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sdk_virtual_create_with_stray_keys() {
        let body = r#"{"identifier":"docker-virtual","packageType":"DOCKER","parentRef":"acct/org/proj",
            "config":{"type":"VIRTUAL","upstreamProxies":["dockerhub-proxy"],"authType":null,"url":""}}"#;
        let req: RegistryRequest = serde_json::from_str(body).unwrap();
        assert_eq!(
            req.config,
            Some(RegistryConfig::Virtual(VirtualConfig {
                upstream_proxies: vec!["dockerhub-proxy".into()],
                debian_config: None,
            }))
        );
    }

    #[test]
    fn reads_anonymous_upstream_with_null_lists_and_auth() {
        let body = r#"{"identifier":"dockerhub-proxy","uuid":"9b1","packageType":"DOCKER",
            "description":"","url":"","allowedPattern":null,"blockedPattern":null,"labels":null,
            "createdAt":"1724251211000","modifiedAt":"1724251211000","isPublic":false,
            "config":{"type":"UPSTREAM","authType":"Anonymous","auth":null,"source":"Dockerhub","url":""}}"#;
        let reg: Registry = serde_json::from_str(body).unwrap();
        assert!(reg.labels.is_empty());
        match reg.config {
            RegistryConfig::Upstream(u) => {
                assert_eq!(u.auth_type.as_deref(), Some("Anonymous"));
                assert_eq!(u.auth, None);
            }
            other => panic!("expected upstream, got {other:?}"),
        }
    }

    #[test]
    fn reads_and_writes_the_saas_fields() {
        let body = r#"{"identifier":"m","packageType":"MAVEN","isPublic":true,
            "scanners":[{"name":"GRYPE"}],"policyRefs":["acct.p1"],
            "config":{"type":"UPSTREAM","authType":"Anonymous","source":"MavenCentral",
              "firewallMode":"QUARANTINE","metadataCacheTTL":3600,"negativeCacheTTL":0}}"#;
        let req: RegistryRequest = serde_json::from_str(body).unwrap();
        assert_eq!(req.scanners.as_ref().unwrap()[0].name, "GRYPE");
        let Some(RegistryConfig::Upstream(u)) = &req.config else {
            panic!("upstream expected")
        };
        assert_eq!(u.firewall_mode.as_deref(), Some("QUARANTINE"));
        assert_eq!(
            (u.metadata_cache_ttl, u.negative_cache_ttl),
            (Some(3600), Some(0))
        );
        let back = serde_json::to_value(&req).unwrap();
        assert_eq!(back["config"]["metadataCacheTTL"], 3600);
        assert_eq!(back["isPublic"], true);
        let deb: VirtualConfig = serde_json::from_str(
            r#"{"upstreamProxies":null,"debianConfig":{"remoteIndexedArchitectures":["amd64"],"optionalIndexCompressionFormats":null}}"#,
        )
        .unwrap();
        assert_eq!(
            deb.debian_config.unwrap().remote_indexed_architectures,
            vec!["amd64".to_string()]
        );
        // isPublic is sent even when false: false must be able to turn it off again.
        let off = serde_json::to_value(RegistryRequest::default()).unwrap();
        assert_eq!(off["isPublic"], false);
    }

    #[test]
    fn writes_empty_lists_as_null_like_the_real_service() {
        let reg = Registry {
            identifier: "a".into(),
            uuid: "u".into(),
            package_type: "DOCKER".into(),
            description: String::new(),
            url: String::new(),
            allowed_pattern: vec![],
            blocked_pattern: vec![],
            labels: vec![],
            cleanup_policy: None,
            config: RegistryConfig::Virtual(VirtualConfig::default()),
            created_at: "1".into(),
            modified_at: "1".into(),
            is_public: false,
            scanners: vec![],
            policy_refs: None,
        };
        let json = serde_json::to_value(&reg).unwrap();
        assert_eq!(json["labels"], serde_json::Value::Null);
        assert_eq!(json["config"]["type"], "VIRTUAL");
        assert_eq!(json["config"]["upstreamProxies"], serde_json::json!([]));
    }
}
