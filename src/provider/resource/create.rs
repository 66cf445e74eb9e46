//! Create, and the read-back after a create whose outcome is unknown.

use super::HarResource;
use super::kind::RegistryKind;
use super::links::{check_links, upstreams};
use crate::api::model::{Registry, RegistryConfig, RegistryRequest};
use crate::api::refs::{RegistryRef, Scope};
use crate::api::{self, Client};
use crate::framework::{CreateRequest, CreateResponse};
use crate::provider::diag::api_error;
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
                .after_failed_create(&ctx.client, &scope, &body, &e)
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
        // The OSS server ignores upstreamProxies on create for GENERIC but applies them on
        // PUT: re-send once before judging the list.
        if let Some(RegistryConfig::Virtual(v)) = &body.config
            && upstreams(&reg) != v.upstream_proxies
        {
            let r = RegistryRef::new(scope.clone(), reg.identifier.clone());
            let mut again = body.clone();
            again.cleanup_policy = reg.cleanup_policy.clone();
            again.is_public = reg.is_public;
            match ctx.client.update_registry(&r, &again).await {
                Ok(updated) => reg = updated,
                Err(e) => resp.diagnostics.push(api_error(
                    &format!("{doing} (setting its upstream proxies)"),
                    &e,
                )),
            }
        }
        match K::state(&reg, &scope, Some(&planned)) {
            Ok(state) => resp.state = self.write_model(&state, &mut resp.diagnostics),
            Err(msg) => {
                resp.diagnostics.error(format!("Error {doing}"), msg);
                return;
            }
        }
        if let Some(d) = check_links(&ctx.client, &doing, &scope, &body, &reg).await {
            resp.diagnostics.push(d);
        }
    }

    /// A create whose retries ran out (or were cut short by a stop) after an attempt that
    /// may have reached the server: read the registry back, so the object is either
    /// returned (Terraform records it, and nothing is left that the next plan would call
    /// "taken") or the diagnostic says what state it is in. `Err` is the sentence to add to
    /// the diagnostic.
    async fn after_failed_create(
        &self,
        client: &Client,
        scope: &Scope,
        sent: &RegistryRequest,
        err: &api::Error,
    ) -> Result<Registry, String> {
        // Retries ran out or were cut short by a stop; either way an attempt may have acted.
        let ended = matches!(
            err,
            api::Error::BudgetSpent { .. } | api::Error::Stopped { .. }
        );
        if !(ended && err.outcome_unknown()) {
            return Err(String::new());
        }
        let r = RegistryRef::new(scope.clone(), sent.identifier.clone());
        let wanted_type = sent.config.as_ref().map(|c| c.type_name());
        // Not cut short by a stop: this read decides whether what was created is recorded.
        match client.ignoring_stop().get_registry(&r).await {
            Ok(Some(reg))
                if reg.package_type.eq_ignore_ascii_case(&sent.package_type)
                    && Some(reg.config.type_name()) == wanted_type =>
            {
                tracing::info!(registry = %r, "create: retries ran out, but an attempt created it; adopting it");
                Ok(reg)
            }
            Ok(Some(_)) => Err(format!(
                "\n\nRead back: {r} exists but is not the {} that was sent; it was not recorded \
                 in state.",
                K::NOUN
            )),
            Ok(None) => Err(format!(
                "\n\nRead back: {r} does not exist, so nothing was created; apply again."
            )),
            Err(read) => Err(format!(
                "\n\nIt could not be read back either ({read}), so it may or may not exist. If \
                 the next plan says the identifier is taken, adopt it with: terraform import \
                 {}.<name> {r}",
                K::TYPE_NAME
            )),
        }
    }
}
