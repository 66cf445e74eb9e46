//! Planning: the checks again with known values, the scope defaults and `id` in the plan,
//! replacement on a move, and the checks that need the API (identifier free, proxies
//! linkable), only for what the plan changes.

use std::collections::HashMap;

use super::HarResource;
use super::kind::{Identity, RegistryKind};
use crate::api::model::TYPE_UPSTREAM;
use crate::api::refs::RegistryRef;
use crate::framework::{AttributePath, Diagnostic, Field, ModifyPlanRequest, ModifyPlanResponse};
use crate::provider::advice;
use crate::provider::context::{HarContext, client_error};
use crate::provider::diag::{api_error, error_at, warning_at};
use crate::provider::keep::known_strings;
use crate::provider::online::{self, Found};
use crate::provider::scope::{Defaults, ref_of};

/// `project_id` needs an org: the resource's own `org_id` or the provider's.
fn project_needs_org<M: Identity>(model: &M, defaults: &Defaults) -> Option<Diagnostic> {
    (!model.project_id().is_null() && model.org_id().is_null() && defaults.org_id.is_none()).then(
        || {
            error_at(
                AttributePath::root(M::NAMES.project_id),
                "project_id needs org_id",
                "A Harness project lives in an org: set org_id on this resource (or org_id / \
                 HARNESS_ORG_ID on the provider) together with project_id.",
            )
        },
    )
}

fn ref_of_model(model: &impl Identity, account: &str) -> Option<RegistryRef> {
    ref_of(
        account,
        model.identifier().as_deref(),
        model.org_id().as_deref(),
        model.project_id().as_deref(),
    )
}

impl<K: RegistryKind> HarResource<K> {
    pub(super) async fn plan(&self, req: &ModifyPlanRequest<'_>, resp: &mut ModifyPlanResponse) {
        let exists = !req.prior.is_null();
        // Values unknown at validate time are known now (or during apply's re-plan): the
        // errors again (warnings were shown at validate time).
        let errors: Vec<Diagnostic> = Self::check_config(&self.schema, req.config)
            .into_vec()
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
        let ctx = match self.data.get() {
            Ok(ctx) => ctx,
            Err(e) => {
                resp.diagnostics.push(client_error(&e));
                None
            }
        };
        let failed = !errors.is_empty();
        errors.into_iter().for_each(|d| resp.diagnostics.push(d));
        if failed {
            return;
        }
        let diags = &mut resp.diagnostics;
        let Some(config) = self.read_model("configuration", req.config, diags) else {
            return;
        };
        let Some(mut planned) = self.read_model("plan", &resp.planned, diags) else {
            return;
        };
        let prior = if exists {
            let Some(p) = self.read_model("prior state", req.prior, diags) else {
                return;
            };
            Some(p)
        } else {
            None
        };
        if let Some(ctx) = &ctx {
            let defaults = &ctx.defaults;
            if let Some(d) = project_needs_org(&config, defaults) {
                resp.diagnostics.push(d);
                return;
            }
            let (org, project) =
                defaults.plan_scope(config.org_id().as_deref(), config.project_id().as_deref());
            let mut placed = planned.clone();
            placed.place(Field::Null, org, project);
            let id = ref_of_model(&placed, &defaults.account_id)
                .map_or(Field::Unknown, |r| Field::Known(r.to_string()));
            let (org, project) = (placed.org_id().clone(), placed.project_id().clone());
            planned.place(id, org, project);
            match self.write_model(&planned, &mut resp.diagnostics) {
                Some(v) => resp.planned = v,
                None => return,
            }
        }
        if let Some(prior) = &prior {
            let names = K::Model::NAMES;
            for (name, before, after) in [
                (names.org_id, prior.org_id(), planned.org_id()),
                (names.project_id, prior.project_id(), planned.project_id()),
            ] {
                let p = AttributePath::root(name);
                if before != after && !resp.requires_replace.contains(&p) {
                    resp.requires_replace.push(p);
                }
            }
            // A forced replacement is planned in two calls: this one, then the create half
            // with a null prior state; see `in_state`.
            if let Field::Known(r) = prior.id() {
                self.in_state().insert(r.clone());
                // Terraform shows only this call's warnings, not the create half's.
                if !resp.requires_replace.is_empty() && prior.identifier() == planned.identifier() {
                    let (summary, detail) = advice::replacing_in_place(K::TYPE_NAME, r);
                    resp.diagnostics.push(warning_at(
                        AttributePath::root(K::Model::NAMES.identifier),
                        summary,
                        detail,
                    ));
                }
            }
        }
        let Some(ctx) = ctx else { return };
        let online = self
            .online_checks(&ctx, &config, &planned, prior.as_ref())
            .await;
        online.into_iter().for_each(|d| resp.diagnostics.push(d));
    }

    /// Online checks: only what this plan changes, only when the values are known. The
    /// identifier check (creates only) and the link check (proxies newly listed) run
    /// concurrently: one round trip of latency for the plan.
    async fn online_checks(
        &self,
        ctx: &HarContext,
        config: &K::Model,
        planned: &K::Model,
        prior: Option<&K::Model>,
    ) -> Vec<Diagnostic> {
        let Some(planned_ref) = ref_of_model(planned, &ctx.defaults.account_id) else {
            return Vec::new();
        };
        Self::remember_planned_proxy(ctx, &planned_ref, planned, prior);
        let taken = async {
            match prior {
                Some(_) => Vec::new(),
                None => self.identifier_check(ctx, &planned_ref).await,
            }
        };
        let links = Self::link_check(ctx, &planned_ref, config, prior);
        let (mut online, links) = futures_util::future::join(taken, links).await;
        online.extend(links);
        online
    }

    /// A proxy as this run plans it, for the link checks of the registries planned after
    /// it. Only a proxy that will differ from what the server has (new, or another package
    /// type or place) needs remembering: for the others the server's answer is the same,
    /// and a no-change plan of N proxies keeps no map of N entries.
    fn remember_planned_proxy(
        ctx: &HarContext,
        planned_ref: &RegistryRef,
        planned: &K::Model,
        prior: Option<&K::Model>,
    ) {
        let as_is = prior.is_some_and(|p| {
            ref_of_model(p, &ctx.defaults.account_id).as_ref() == Some(planned_ref)
                && p.package_type() == planned.package_type()
        });
        if K::CONFIG_TYPE == crate::rules::RegistryType::Upstream
            && !as_is
            && let Field::Known(pt) = planned.package_type()
        {
            ctx.planned_proxies().insert(
                planned_ref.identifier.clone(),
                Found {
                    reference: planned_ref.clone(),
                    registry_type: TYPE_UPSTREAM.to_string(),
                    package_type: pt.as_str().to_string(),
                },
            );
        }
    }

    /// A create's identifier must be free in the whole account (except for the object
    /// this very replacement destroys).
    async fn identifier_check(
        &self,
        ctx: &HarContext,
        planned_ref: &RegistryRef,
    ) -> Vec<Diagnostic> {
        let at = AttributePath::root(K::Model::NAMES.identifier);
        match online::check_identifier_free(
            &ctx.directory,
            K::TYPE_NAME,
            &planned_ref.identifier,
            &planned_ref.scope,
            at.clone(),
        )
        .await
        {
            Ok(Some((found, d))) if !self.in_state().contains(&found.reference.to_string()) => {
                vec![d]
            }
            Ok(_) => Vec::new(),
            Err(e) => vec![
                api_error(
                    &format!("checking whether {} is free", planned_ref.identifier),
                    &e,
                )
                .at(at),
            ],
        }
    }

    /// The proxies newly listed in a registry's upstream list must be linkable.
    async fn link_check(
        ctx: &HarContext,
        planned_ref: &RegistryRef,
        config: &K::Model,
        prior: Option<&K::Model>,
    ) -> Vec<Diagnostic> {
        let (Some(Field::Known(items)), Field::Known(pt)) =
            (K::upstream_proxies(config), config.package_type())
        else {
            return Vec::new();
        };
        let before = prior
            .and_then(K::upstream_proxies)
            .and_then(known_strings)
            .unwrap_or_default();
        let new: Vec<(usize, String)> = items
            .iter()
            .enumerate()
            .filter_map(|(i, k)| k.clone().known().map(|n| (i, n)))
            .filter(|(_, n)| !before.contains(n))
            .collect();
        if new.is_empty() {
            return Vec::new();
        }
        // Only the names this registry lists: cloning the whole map for every registry
        // made planning N registries O(N²).
        let planned: HashMap<String, Found> = {
            let all = ctx.planned_proxies();
            new.iter()
                .filter_map(|(_, n)| all.get(n).map(|f| (n.clone(), f.clone())))
                .collect()
        };
        online::check_proxies(
            &ctx.directory,
            &planned_ref.scope,
            pt.as_str(),
            &new,
            &planned,
            &AttributePath::root(crate::provider::registry::RegistryModel::ATTR.upstream_proxies),
        )
        .await
    }
}
