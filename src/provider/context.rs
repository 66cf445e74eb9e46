//! What the resources work with once the provider is configured: one pooled API client, the
//! provider's account and default scope, and what this Terraform run has planned.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use crate::api::{self, Client, Config as ApiConfig};
use crate::framework::{Diagnostics, ProviderData};
use crate::provider::config::ProviderConfig;
use crate::provider::directory::{Directory, Found};
use crate::provider::scope::Defaults;
use crate::provider::{StopHandle, locked};

pub(crate) struct HarContext {
    pub(crate) client: Client,
    pub(crate) defaults: Defaults,
    /// Which registries the account holds, for the plan-time checks (`directory.rs`): one
    /// per configuration, so a fresh snapshot for every Terraform run.
    pub(crate) directory: Directory,
    /// Upstream proxies as planned in this Terraform run, by identifier. Terraform plans a
    /// proxy before the registries that refer to it, so a registry's link check sees the
    /// proxy as it will be (created, replaced with another package type or scope), not only
    /// as the server has it now.
    planned_proxies: Mutex<HashMap<String, Found>>,
}

impl HarContext {
    pub(crate) fn planned_proxies(&self) -> MutexGuard<'_, HashMap<String, Found>> {
        locked(&self.planned_proxies)
    }
}

/// Built once per ConfigureProvider call (one provider process may serve many Terraform
/// runs in debug/reattach mode, each configuring it anew) and shared by every resource and
/// data source of the process, so they all use the same connection pool.
type ContextCache = Vec<(Weak<ProviderConfig>, Arc<HarContext>)>;
static CONTEXTS: Mutex<ContextCache> = Mutex::new(Vec::new());

/// The resources' handle on the provider configuration.
#[derive(Clone)]
pub(crate) struct Shared {
    config: ProviderData<ProviderConfig>,
    stop: StopHandle,
}

impl Shared {
    pub(crate) fn new(config: ProviderData<ProviderConfig>, stop: StopHandle) -> Self {
        Shared { config, stop }
    }

    fn context(
        config: &Arc<ProviderConfig>,
        stop: &StopHandle,
    ) -> Result<Arc<HarContext>, api::Error> {
        let mut cache = locked(&CONTEXTS);
        cache.retain(|(w, _)| w.strong_count() > 0);
        if let Some((_, ctx)) = cache
            .iter()
            .find(|(w, _)| w.upgrade().is_some_and(|c| Arc::ptr_eq(&c, config)))
        {
            return Ok(Arc::clone(ctx));
        }
        // HAR_CLIENT_* tune timeouts and retries (CI, fault tests); see api::client.
        let mut api_config = ApiConfig::new(
            config.endpoint.clone(),
            config.api_key.clone(),
            config.account_id.clone(),
        )
        .with_overrides(|k| std::env::var(k).ok())?;
        api_config.stop = stop.current();
        let client = Client::new(api_config)?;
        let ctx = Arc::new(HarContext {
            directory: Directory::new(client.clone(), &config.account_id),
            client,
            defaults: Defaults {
                account_id: config.account_id.clone(),
                org_id: config.org_id.clone(),
                project_id: config.project_id.clone(),
            },
            planned_proxies: Mutex::new(HashMap::new()),
        });
        cache.push((Arc::downgrade(config), Arc::clone(&ctx)));
        Ok(ctx)
    }

    /// The context; `Ok(None)` while the provider is not configured (e.g. at validate
    /// time, or when its configuration is known only after apply).
    pub(crate) fn get(&self) -> Result<Option<Arc<HarContext>>, api::Error> {
        match self.config.get() {
            Some(config) => Self::context(&config, &self.stop).map(Some),
            None => Ok(None),
        }
    }

    /// The context, or an error diagnostic saying why there is none.
    pub(crate) fn require(&self, diags: &mut Diagnostics) -> Option<Arc<HarContext>> {
        let config = self.config.require(diags)?;
        match Self::context(&config, &self.stop) {
            Ok(c) => Some(c),
            Err(e) => {
                diags.push(client_error(&e));
                None
            }
        }
    }
}

/// The client could not be built from the provider configuration.
pub(crate) fn client_error(e: &api::Error) -> crate::framework::Diagnostic {
    crate::framework::Diagnostic::error("Cannot build the HAR API client", e.to_string())
}
