//! The HAR provider: the provider block (`config.rs`) and the resource and data source
//! types it offers (added next to this file by the resources work).

mod advice;
mod attrs;
mod config;
mod context;
mod data_sources;
mod diag;
mod directory;
mod keep;
mod lifecycle_data;
mod lifecycle_rule;
mod metadata;
mod online;
mod proxy;
mod registry;
mod resource;
mod scope;
mod webhook;
mod webhook_data;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;

use crate::api::StopSignal;
use crate::framework::{
    ConfigureRequest, DataSource, Diagnostics, Provider, ProviderData, Resource, Schema, Value,
};
use config::ProviderConfig;
use context::Shared;
use proxy::ProxyResource;
use registry::RegistryResource;
use resource::HarResource;

/// The provider's registry address, used by `--debug` and the tests.
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/tfhar/har";

#[derive(Clone, Default)]
pub struct HarProvider {
    config: ProviderData<ProviderConfig>,
    stop: StopHandle,
}

/// The stop signal of the current configuration: ConfigureProvider starts a fresh one (in
/// debug/reattach mode one process serves run after run), StopProvider raises it, and the
/// API client built for that configuration watches it.
#[derive(Clone, Default)]
pub(crate) struct StopHandle(Arc<Mutex<StopSignal>>);

impl StopHandle {
    fn renew(&self) {
        *locked(&self.0) = StopSignal::new();
    }

    fn raise(&self) {
        locked(&self.0).raise();
    }

    pub(crate) fn current(&self) -> StopSignal {
        locked(&self.0).clone()
    }
}

/// The provider's shared state under its lock. A panic in another call (which Terraform
/// reports on its own) leaves data that is still whole, so a poisoned lock is used anyway.
fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl HarProvider {
    pub fn new() -> Self {
        Self::default()
    }

    /// The shared handle resources read the resolved configuration from.
    pub(crate) fn config_handle(&self) -> ProviderData<ProviderConfig> {
        self.config.clone()
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[async_trait]
impl Provider for HarProvider {
    fn schema(&self) -> Schema {
        config::schema()
    }

    async fn validate_config(&self, config: &Value, diags: &mut Diagnostics) {
        config::validate(config, &env, diags);
    }

    async fn configure(&self, req: &ConfigureRequest<'_>, diags: &mut Diagnostics) {
        let resolved = config::resolve(req.config, &env, diags);
        if let Some(c) = &resolved {
            tracing::debug!(endpoint = %c.endpoint, account = %c.account_id, "provider configured");
        }
        self.stop.renew();
        self.config.set(resolved);
    }

    fn stop(&self) {
        self.stop.raise();
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        let shared = Shared::new(self.config_handle(), self.stop.clone());
        vec![
            HarResource::<RegistryResource>::new(shared.clone()),
            HarResource::<ProxyResource>::new(shared.clone()),
            webhook::new(shared.clone()),
            lifecycle_rule::new(shared),
        ]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        let shared = Shared::new(self.config_handle(), self.stop.clone());
        vec![
            data_sources::lookup::<RegistryResource>(shared.clone()),
            data_sources::lookup::<ProxyResource>(shared.clone()),
            data_sources::registries(shared.clone()),
            webhook_data::webhook(shared.clone()),
            webhook_data::webhooks(shared.clone()),
            lifecycle_data::rule(shared.clone()),
            lifecycle_data::rules(shared),
        ]
    }
}
