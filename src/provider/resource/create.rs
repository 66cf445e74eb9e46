//! Create, and the read-back after a create whose outcome is unknown.

use super::HarResource;
use super::kind::RegistryKind;
use super::links::{check_links, upstreams};
use crate::api::model::{Registry, RegistryConfig, RegistryRequest};
use crate::api::refs::{RegistryRef, Scope};
use crate::api::{self, Client};
use crate::framework::{CreateRequest, CreateResponse};
use crate::provider::diag::api_error;
use crate::provider::directory::Found;
use crate::provider::metadata;
use crate::provider::resource::kind::Identity;

impl<K: RegistryKind> HarResource<K> {
    pub(super) async fn create_object(&self, req: &CreateRequest<'_>, resp: &mut CreateResponse) {
        let Some(ctx) = self.data.require(&mut resp.diagnostics) else {
            return;
        };
        let Some(planned) = self.read_model("plan", req.planned, &mut resp.diagnostics) else {
            return;
        };
        let scope = ctx.defaults.scope(
            planned.org_id().clone().known(),
            planned.project_id().clone().known(),
        );
        let doing = format!("creating {}", Self::what(&planned));
        let body = K::request(&planned, &scope, None);
        let mut reg = match ctx.client.create_registry(&body).await {
            Ok(r) => r,
            Err(e) => match self
                .after_failed_create(&ctx.client, &scope, &planned, &e)
                .await
            {
                Ok(reg) => reg,
                Err(state_note) => {
                    let mut d = api_error(&doing, &e);
                    d.detail.push_str(&state_note);
                    resp.diagnostics.push(d);
                    return;
                }
            },
        };
        // Later checks of this process (a registry linking this proxy, a lifecycle rule
        // naming this registry) see it even if the directory's listing was taken before.
        ctx.directory.created(Found {
            reference: RegistryRef::new(scope.clone(), reg.identifier.clone()),
            registry_type: reg.config.type_name().to_string(),
            package_type: reg.package_type.clone(),
        });
        // What a create may not store, a PUT does: the OSS server ignores upstreamProxies on
        // create for GENERIC and never stores cleanup policies on create, and older backends
        // drop the firewall mode (the official provider's follow-up PUT, AH-3528). Re-send
        // once before judging the answer.
        if needs_follow_up(&body, &reg) {
            let r = RegistryRef::new(scope.clone(), reg.identifier.clone());
            match ctx.client.update_registry(&r, &body).await {
                Ok(updated) => reg = updated,
                Err(e) => resp.diagnostics.push(api_error(
                    &format!("{doing} (setting its upstream proxies)"),
                    &e,
                )),
            }
        }
        match K::state(&reg, &scope, Some(&planned)) {
            Ok(mut state) => {
                // A new registry has no MANUAL entries: the v3 calls only when some are wanted.
                if metadata::has_entries(planned.metadata()) {
                    self.metadata_into(
                        &ctx.client,
                        &mut state,
                        Some(planned.metadata()),
                        &doing,
                        &mut resp.diagnostics,
                    )
                    .await;
                }
                resp.state = self.write_model(&state, &mut resp.diagnostics)
            }
            Err(msg) => {
                resp.diagnostics.error(format!("Error {doing}"), msg);
                return;
            }
        }
        if let Some(d) = check_links(&ctx.directory, &doing, &scope, &body, &reg).await {
            resp.diagnostics.push(d);
        }
    }

    /// A create whose outcome is unknown (retries ran out or were cut short by a stop after
    /// an attempt that may have acted, or "already exists" after an attempt whose answer was
    /// lost): read the registry back. It is adopted only if it is what this create sent
    /// ([`RegistryKind::differences`]); otherwise someone else took the name meanwhile, and
    /// it stays out of state (so no later destroy touches it). `Err` is the sentence to add
    /// to the diagnostic.
    async fn after_failed_create(
        &self,
        client: &Client,
        scope: &Scope,
        planned: &K::Model,
        err: &api::Error,
    ) -> Result<Registry, String> {
        let ended = matches!(
            err,
            api::Error::BudgetSpent { .. } | api::Error::Stopped { .. }
        );
        let taken_after_lost = matches!(err, api::Error::ExistsAfterLostAnswer { .. });
        if !((ended && err.outcome_unknown()) || taken_after_lost) {
            return Err(String::new());
        }
        let r = RegistryRef::new(
            scope.clone(),
            planned.identifier().clone().known().unwrap_or_default(),
        );
        // Not cut short by a stop: this read decides whether what was created is recorded.
        let found = match client.ignoring_stop().get_registry(&r).await {
            Ok(Some(reg)) => reg,
            Ok(None) => {
                return Err(format!(
                    "\n\nRead back: {r} does not exist, so nothing was created; apply again."
                ));
            }
            Err(read) => {
                return Err(format!(
                    "\n\nIt could not be read back either ({read}), so it may or may not exist. \
                     If the next plan says the identifier is taken, check that it is this \
                     configuration's before adopting it with: terraform import {}.<name> {r}",
                    K::TYPE_NAME
                ));
            }
        };
        let differences = match K::state(&found, scope, Some(planned)) {
            Ok(model) => K::differences(planned, &model),
            Err(_) => vec!["config.type"],
        };
        if differences.is_empty() {
            tracing::info!(registry = %r, "create: an attempt's answer was lost, but it created what was sent; adopting it");
            return Ok(found);
        }
        tracing::warn!(registry = %r, ?differences, "create: the name was taken by someone else meanwhile");
        Err(format!(
            "\n\nRead back: {r} exists, but it is not the {noun} this apply sent (it differs in: \
             {}), so the name was taken by someone else meanwhile. It was not recorded in state, \
             and nothing this configuration does will change or delete it. To manage that {noun} \
             with this configuration instead, import it: terraform import {}.<name> {r}",
            differences.join(", "),
            K::TYPE_NAME,
            noun = K::NOUN,
        ))
    }
}

/// Whether the create's answer lacks something the body asked for that a PUT would store.
fn needs_follow_up(body: &RegistryRequest, reg: &Registry) -> bool {
    match (&body.config, &reg.config) {
        (Some(RegistryConfig::Virtual(v)), _) => {
            // The API stores cleanup policies on PUT only.
            let policies = body.cleanup_policy.as_deref().unwrap_or_default();
            upstreams(reg) != v.upstream_proxies
                || (!policies.is_empty()
                    && reg.cleanup_policy.as_deref().unwrap_or_default() != policies)
        }
        (Some(RegistryConfig::Upstream(sent)), RegistryConfig::Upstream(got)) => {
            sent.firewall_mode.is_some() && sent.firewall_mode != got.firewall_mode
        }
        _ => false,
    }
}
