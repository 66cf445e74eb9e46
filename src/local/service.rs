//! The API behaviours between the routes and the store: the rules (`crate::rules`) applied to
//! every request, and the wire shapes of every answer (docs/design/har-api.md §2.3, §2.4, §3).

use std::sync::Arc;

use axum::http::StatusCode;

use super::error::ApiError;
use super::store::{self, Extras, MetadataWrite, NewRegistry, Store, StoredRegistry};
use crate::api::model::{
    CleanupPolicy, DebianConfig, ListRegistry, Registry, RegistryConfig, RegistryMetadata,
    RegistryRequest, UpstreamAuth, UpstreamConfig, VirtualConfig,
};
use crate::api::model::{MetadataEntry, MetadataItem};
use crate::api::refs::{RegistryRef, Scope};
use crate::rules::{self, AuthRefs, AuthType, NameError, NameLevel, PackageType, RegistryType};

/// Default page size of the list endpoint (OSS `utils.go GetPageLimit`).
pub(crate) const DEFAULT_PAGE_SIZE: i64 = 10;
pub(crate) const MAX_PAGE_SIZE: i64 = 1000;

pub(crate) struct Service {
    store: Arc<Store>,
    account: String,
    /// Base of virtual registries' pull URLs: `<base>/<lower(account)>/<identifier>`.
    pkg_base: String,
}

/// Query of `GET /spaces/{scope}/+/registries`, as received (validated by [`Service::list`]).
#[derive(Debug, Default, Clone)]
pub(crate) struct ListParams {
    pub(crate) package_types: Vec<String>,
    pub(crate) registry_type: Option<String>,
    pub(crate) page: Option<String>,
    pub(crate) size: Option<String>,
    pub(crate) search_term: Option<String>,
    pub(crate) scope: Option<String>,
    pub(crate) sort_field: Option<String>,
    pub(crate) sort_order: Option<String>,
}

fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

impl Service {
    pub(crate) fn new(store: Arc<Store>, account: String, pkg_base: String) -> Self {
        Service {
            store,
            account,
            pkg_base: pkg_base.trim_end_matches('/').to_string(),
        }
    }

    pub(crate) fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// A scope under the served account. Scopes exist on first use; another account is refused.
    pub(crate) fn scope(&self, path: &str) -> Result<Scope, ApiError> {
        let scope = Scope::parse(path).map_err(|e| ApiError::bad_request(e.to_string()))?;
        self.check_account(&scope)?;
        Ok(scope)
    }

    /// The served account, and Harness identifiers for org and project.
    fn check_account(&self, scope: &Scope) -> Result<(), ApiError> {
        rules::check_space(scope.org.as_deref(), scope.project.as_deref())
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        if scope.account != self.account {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                format!(
                    "account '{}' is not served here: this har-local serves account '{}'",
                    scope.account, self.account
                ),
            ));
        }
        Ok(())
    }

    pub(crate) fn registry_ref(&self, raw: &str) -> Result<RegistryRef, ApiError> {
        let r = RegistryRef::parse(raw).map_err(|e| ApiError::bad_request(e.to_string()))?;
        self.check_account(&r.scope)?;
        Ok(r)
    }

    pub(crate) async fn create(
        &self,
        req: RegistryRequest,
        space_ref: Option<&str>,
    ) -> Result<Registry, ApiError> {
        // OSS create reads `parentRef`; the SDK also sends `?space_ref=` (docs/design/har-api.md §2.1, §6).
        let parent = req
            .parent_ref
            .as_deref()
            .filter(|p| !p.is_empty())
            .or(space_ref.filter(|p| !p.is_empty()))
            .ok_or_else(|| ApiError::bad_request("parent reference is required"))?;
        let scope = self.scope(parent)?;
        let new = validate(&scope, req, false, &self.account)?;
        let stored = self.store.write(move |c| store::create(c, new)).await?;
        Ok(self.to_wire(stored))
    }

    pub(crate) async fn get(&self, reference: RegistryRef) -> Result<Registry, ApiError> {
        let stored = self.store.read(move |c| store::get(c, &reference)).await?;
        Ok(self.to_wire(stored))
    }

    pub(crate) async fn update(
        &self,
        reference: RegistryRef,
        req: RegistryRequest,
    ) -> Result<Registry, ApiError> {
        // PUT ignores `parentRef`: the registry is located by the URL (docs/design/har-api.md §3.3).
        let new = validate(&reference.scope, req, true, &self.account)?;
        let stored = self
            .store
            .write(move |c| store::update(c, &reference, new))
            .await?;
        Ok(self.to_wire(stored))
    }

    pub(crate) async fn delete(&self, reference: RegistryRef) -> Result<(), ApiError> {
        self.store
            .write(move |c| store::delete(c, &reference))
            .await?;
        Ok(())
    }

    pub(crate) async fn list(&self, scope: Scope, p: ListParams) -> Result<ListRegistry, ApiError> {
        let mut package_types = Vec::new();
        for t in &p.package_types {
            let parsed = PackageType::parse(t)
                .map_err(|e| ApiError::bad_request(format!("invalid package type: {e}")))?;
            package_types.push(parsed.as_str());
        }
        let rtype = opt(&p.registry_type)
            .map(|t| {
                RegistryType::parse(t)
                    .map_err(|e| ApiError::bad_request(format!("invalid repository type: {e}")))
            })
            .transpose()?;
        let number = |v: &Option<String>, name: &str, default: i64, min: i64| match opt(v) {
            None => Ok(default),
            Some(s) => s.parse::<i64>().ok().filter(|n| *n >= min).ok_or_else(|| {
                ApiError::bad_request(format!("invalid {name}: {s:?}; a whole number >= {min}"))
            }),
        };
        let page = number(&p.page, "page", 0, 0)?;
        let size = number(&p.size, "size", DEFAULT_PAGE_SIZE, 1)?.min(MAX_PAGE_SIZE);
        let mode = opt(&p.scope).unwrap_or("none");
        if !matches!(mode, "none" | "ancestors" | "descendants") {
            return Err(ApiError::bad_request(format!(
                "invalid scope: {mode:?}; allowed: none, ancestors, descendants"
            )));
        }
        let search = opt(&p.search_term).map(str::to_string);
        let descending = opt(&p.sort_order).is_some_and(|o| o.eq_ignore_ascii_case("DESC"));
        let sort_field = opt(&p.sort_field).unwrap_or("createdAt").to_string();

        let account = scope.account.clone();
        let all = self
            .store
            .read(move |c| store::list_account(c, &account, search.as_deref()))
            .await?;
        let scope_path = scope.to_string();
        let prefix = format!("{scope_path}/");
        let mut items: Vec<StoredRegistry> = all
            .into_iter()
            .filter(|r| match mode {
                "ancestors" => r.scope.is_visible_from(&scope),
                "descendants" => r.scope == scope || r.scope.to_string().starts_with(&prefix),
                _ => r.scope == scope,
            })
            .filter(|r| {
                package_types.is_empty() || package_types.contains(&r.package_type.as_str())
            })
            .filter(|r| rtype.is_none_or(|t| t == r.registry_type))
            .collect();
        // Sorted by `sort_field` (else createdAt, like OSS `utils.go`), ties by identifier.
        items.sort_by(|a, b| {
            let o = match sort_field.as_str() {
                "identifier" => a.identifier.cmp(&b.identifier),
                "lastModified" => a.modified_at.cmp(&b.modified_at),
                "type" => a.registry_type.cmp(&b.registry_type),
                _ => a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)),
            }
            .then_with(|| a.identifier.cmp(&b.identifier));
            if descending { o.reverse() } else { o }
        });
        let total = items.len() as i64;
        let start = usize::try_from(page.saturating_mul(size)).unwrap_or(usize::MAX);
        let registries = items
            .into_iter()
            .skip(start)
            .take(size as usize)
            .map(|r| self.to_metadata(r))
            .collect();
        Ok(ListRegistry {
            item_count: total,
            page_count: (total + size - 1) / size,
            page_index: page,
            page_size: size,
            registries,
        })
    }

    /// `GET /registries/{uuid}/metadata` (v3): every entry, MANUAL and AUTO.
    pub async fn get_metadata(&self, uuid: String) -> Result<Vec<MetadataEntry>, ApiError> {
        let account = self.account.clone();
        Ok(self
            .store
            .read(move |c| store::get_metadata(c, &account, &uuid))
            .await?)
    }

    /// `PUT` (replace) or `POST` (upsert) of `/registries/{uuid}/metadata` (v3), after the
    /// key/value rules and the 49-entry limit.
    pub async fn write_metadata(
        &self,
        uuid: String,
        items: Vec<MetadataItem>,
        mode: MetadataWrite,
    ) -> Result<Vec<MetadataEntry>, ApiError> {
        rules::check_metadata(items.iter().map(|i| (i.key.as_str(), i.value.as_str())))
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        let account = self.account.clone();
        Ok(self
            .store
            .write(move |c| store::write_metadata(c, &account, &uuid, items, mode))
            .await?)
    }

    /// A v3 call's `account_identifier`, when given, must be the served account.
    pub fn check_account_id(&self, account: Option<&str>) -> Result<(), ApiError> {
        match account.filter(|a| !a.is_empty()) {
            Some(a) if a != self.account => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                format!(
                    "account '{a}' is not served here: this har-local serves account '{}'",
                    self.account
                ),
            )),
            _ => Ok(()),
        }
    }

    fn pull_url(&self, r: &StoredRegistry) -> String {
        format!(
            "{}/{}/{}",
            self.pkg_base,
            r.scope.account.to_lowercase(),
            r.identifier
        )
    }

    fn to_metadata(&self, r: StoredRegistry) -> RegistryMetadata {
        RegistryMetadata {
            url: self.pull_url(&r),
            path: format!("{}/{}", r.scope, r.identifier),
            registry_type: r.registry_type.as_str().to_string(),
            last_modified: r.modified_at.to_string(),
            identifier: r.identifier,
            uuid: r.uuid,
            package_type: r.package_type,
            description: r.description,
            labels: r.labels,
            is_public: r.is_public,
        }
    }

    /// The wire `Registry` (docs/design/har-api.md §2.3): a virtual registry's `url` is its pull URL, an
    /// upstream's is the remote URL; timestamps are millisecond strings.
    pub(crate) fn to_wire(&self, r: StoredRegistry) -> Registry {
        let (url, config, cleanup_policy) = match r.registry_type {
            RegistryType::Virtual => (
                self.pull_url(&r),
                RegistryConfig::Virtual(VirtualConfig {
                    upstream_proxies: r.upstream_proxies.clone(),
                    debian_config: r.extras.debian_config.clone(),
                }),
                (!r.cleanup_policy.is_empty()).then(|| r.cleanup_policy.clone()),
            ),
            RegistryType::Upstream => {
                let cfg = r.upstream.clone().unwrap_or_default();
                (
                    cfg.url.clone().unwrap_or_default(),
                    RegistryConfig::Upstream(cfg),
                    None,
                )
            }
        };
        Registry {
            identifier: r.identifier,
            uuid: r.uuid,
            package_type: r.package_type,
            description: r.description,
            url,
            allowed_pattern: r.allowed_pattern,
            blocked_pattern: r.blocked_pattern,
            labels: r.labels,
            cleanup_policy,
            config,
            created_at: r.created_at.to_string(),
            modified_at: r.modified_at.to_string(),
            is_public: r.is_public,
            scanners: r.extras.scanners,
            policy_refs: r.extras.policy_refs,
        }
    }
}

/// Applies the rules the real service applies to a create (`on_put = false`) or a PUT body.
fn validate(
    scope: &Scope,
    req: RegistryRequest,
    on_put: bool,
    account: &str,
) -> Result<NewRegistry, ApiError> {
    rules::check_identifier(&req.identifier, NameLevel::Api)
        .map_err(|e| ApiError::bad_request(format!("{}: {e}", NameError::API_MESSAGE)))?;
    let package_type =
        PackageType::parse(&req.package_type).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let config = req.config.ok_or_else(|| {
        ApiError::bad_request(
            "config is required: {\"type\":\"VIRTUAL\"} or {\"type\":\"UPSTREAM\", ...}",
        )
    })?;
    let (registry_type, upstream, upstream_proxies, debian_config) = match config {
        RegistryConfig::Virtual(v) => (
            RegistryType::Virtual,
            None,
            v.upstream_proxies,
            validate_debian(package_type, v.debian_config)?,
        ),
        RegistryConfig::Upstream(u) => (
            RegistryType::Upstream,
            Some(validate_upstream(package_type, u, account)?),
            Vec::new(),
            None,
        ),
    };
    let scanners = req.scanners.unwrap_or_default();
    for s in &scanners {
        rules::ScannerName::parse(&s.name).map_err(|e| ApiError::bad_request(e.to_string()))?;
    }
    // The real service stores cleanup policies on PUT only (docs/design/har-api.md §3.4).
    let cleanup_policy = match (on_put, registry_type, req.cleanup_policy) {
        (true, RegistryType::Virtual, Some(p)) => validate_cleanup(p)?,
        _ => Vec::new(),
    };
    Ok(NewRegistry {
        scope: scope.clone(),
        identifier: req.identifier,
        registry_type,
        package_type: package_type.as_str().to_string(),
        description: req.description.unwrap_or_default(),
        labels: req.labels,
        allowed_pattern: req.allowed_pattern,
        blocked_pattern: req.blocked_pattern,
        is_public: req.is_public,
        cleanup_policy,
        upstream,
        upstream_proxies,
        extras: Extras {
            scanners,
            policy_refs: req.policy_refs.filter(|p| !p.is_empty()),
            debian_config,
        },
    })
}

/// `config.debianConfig`: DEBIAN only; a DEBIAN registry without one gets the server's
/// defaults (architectures `amd64`, `i386`, `arm64`; no extra compression).
fn validate_debian(
    package_type: PackageType,
    given: Option<DebianConfig>,
) -> Result<Option<DebianConfig>, ApiError> {
    if package_type != PackageType::Debian {
        return match given {
            Some(_) => Err(ApiError::bad_request(
                rules::check_debian_config_allowed(package_type, RegistryType::Virtual)
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
            )),
            None => Ok(None),
        };
    }
    let config = given.unwrap_or_else(|| DebianConfig {
        remote_indexed_architectures: rules::DEFAULT_DEBIAN_ARCHITECTURES
            .iter()
            .map(|a| a.to_string())
            .collect(),
        optional_index_compression_formats: Vec::new(),
    });
    for f in &config.optional_index_compression_formats {
        rules::IndexCompression::parse(f).map_err(|e| ApiError::bad_request(e.to_string()))?;
    }
    Ok(Some(config))
}

fn validate_cleanup(policies: Vec<CleanupPolicy>) -> Result<Vec<CleanupPolicy>, ApiError> {
    for p in &policies {
        rules::check_cleanup_entry(&rules::CleanupEntry {
            name: p.name.as_deref(),
            expire_days: p.expire_days,
            package_prefix: &p.package_prefix,
            version_prefix: &p.version_prefix,
        })
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    }
    Ok(policies)
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

fn validate_upstream(
    package_type: PackageType,
    u: UpstreamConfig,
    account: &str,
) -> Result<UpstreamConfig, ApiError> {
    let auth_names = AuthType::NAMES.join(" ");
    let auth_type = nonempty(&u.auth_type)
        .ok_or_else(|| {
            ApiError::bad_request(format!("Upstream auth type must be one of: [{auth_names}]"))
        })
        .and_then(|t| {
            AuthType::parse(t).map_err(|e| {
                ApiError::bad_request(format!(
                    "Upstream auth type must be one of: [{auth_names}]: {e}"
                ))
            })
        })?;
    // An omitted source skips the source and URL checks, as in OSS `CreateUpstreamProxyEntity`.
    let mut url = nonempty(&u.url)
        .map(rules::normalize_url)
        .unwrap_or_default();
    if let Some(s) = nonempty(&u.source) {
        let source = rules::check_source_for(package_type, s)
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        url = rules::stored_url_for_source(source, url).map_err(ApiError::bad_request)?;
    }
    let a = u.auth.unwrap_or_default();
    let refs = AuthRefs {
        user_name: a.user_name.as_deref(),
        secret_identifier: a.secret_identifier.as_deref(),
        access_key: a.access_key.as_deref(),
        access_key_secret_identifier: a.access_key_secret_identifier.as_deref(),
        secret_key_identifier: a.secret_key_identifier.as_deref(),
    };
    rules::check_auth(auth_type, &refs, false).map_err(|e| ApiError::bad_request(e.to_string()))?;
    for path in [
        &a.secret_space_path,
        &a.access_key_secret_space_path,
        &a.secret_key_space_path,
    ]
    .into_iter()
    .filter_map(nonempty)
    {
        let ok = Scope::parse(path).is_ok_and(|s| {
            s.account == account
                && rules::check_space(s.org.as_deref(), s.project.as_deref()).is_ok()
        });
        if !ok {
            return Err(ApiError::bad_request(format!(
                "secret space path not found: {path} (a scope of account '{account}')"
            )));
        }
    }
    let s = |v: Option<String>| Some(v.unwrap_or_default());
    // Response shapes of OSS `BuildUpstreamProxyResponse`: every key of the union present.
    let auth = match auth_type {
        AuthType::Anonymous => None,
        AuthType::UserPassword => Some(UpstreamAuth {
            user_name: s(a.user_name),
            secret_identifier: s(a.secret_identifier),
            secret_space_path: s(a.secret_space_path),
            ..Default::default()
        }),
        AuthType::AccessKeySecretKey => Some(UpstreamAuth {
            access_key: s(a.access_key),
            access_key_secret_identifier: s(a.access_key_secret_identifier),
            access_key_secret_space_path: s(a.access_key_secret_space_path),
            secret_key_identifier: s(a.secret_key_identifier),
            secret_key_space_path: s(a.secret_key_space_path),
            ..Default::default()
        }),
    };
    let firewall_mode = nonempty(&u.firewall_mode)
        .map(|m| {
            rules::check_firewall_mode(package_type, m)
                .map_err(|e| ApiError::bad_request(e.to_string()))
        })
        .transpose()?;
    for ttl in [u.metadata_cache_ttl, u.negative_cache_ttl]
        .into_iter()
        .flatten()
    {
        rules::check_cache_ttl(package_type, ttl)
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
    }
    Ok(UpstreamConfig {
        auth_type: Some(auth_type.as_str().to_string()),
        auth,
        source: nonempty(&u.source).map(str::to_string),
        url: Some(url),
        remote_url_suffix: nonempty(&u.remote_url_suffix).map(str::to_string),
        firewall_mode: firewall_mode.map(|m| m.as_str().to_string()),
        metadata_cache_ttl: u.metadata_cache_ttl,
        negative_cache_ttl: u.negative_cache_ttl,
    })
}
