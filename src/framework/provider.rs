//! The provider itself: its own schema and configuration, and the resource and data
//! source types it offers.

use std::sync::{Arc, RwLock};

use async_trait::async_trait;

use super::resource::{DataSource, Resource};
use super::schema::Schema;
use crate::protocol::diagnostics::Diagnostics;
use crate::protocol::value::Value;

pub struct ConfigureRequest<'a> {
    pub terraform_version: &'a str,
    /// May contain unknown values (provider config that depends on other resources).
    pub config: &'a Value,
}

#[async_trait]
pub trait Provider: Send + Sync + 'static {
    fn schema(&self) -> Schema;
    /// Cross-attribute checks of the provider block, after the attribute validators.
    async fn validate_config(&self, _config: &Value, _diags: &mut Diagnostics) {}
    async fn configure(&self, req: &ConfigureRequest<'_>, diags: &mut Diagnostics);
    fn resources(&self) -> Vec<Arc<dyn Resource>>;
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>>;
    /// Terraform's StopProvider (sent on Ctrl-C), called while other calls may still run:
    /// end long waits early. The calls in flight must still answer.
    fn stop(&self) {}
}

/// What ConfigureProvider produced, shared with the resources. It is replaced on every
/// ConfigureProvider call: in debug/reattach mode one process serves many Terraform runs.
pub struct ProviderData<T>(Arc<RwLock<Option<Arc<T>>>>);

impl<T> Clone for ProviderData<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T> Default for ProviderData<T> {
    fn default() -> Self {
        Self(Arc::new(RwLock::new(None)))
    }
}

impl<T> ProviderData<T> {
    pub(crate) fn set(&self, value: Option<T>) {
        let mut guard = match self.0.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = value.map(Arc::new);
    }

    pub(crate) fn get(&self) -> Option<Arc<T>> {
        match self.0.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The configured value, or an error diagnostic saying the provider is not configured
    /// (e.g. its configuration depends on values known only after apply).
    pub(crate) fn require(&self, diags: &mut Diagnostics) -> Option<Arc<T>> {
        let v = self.get();
        if v.is_none() {
            diags.error(
                "Provider not configured",
                "The provider configuration is not known yet (it may depend on values known \
                 only after apply), so this operation cannot reach the API.",
            );
        }
        v
    }
}
