//! The behaviour `har_registry` and `har_upstream_proxy` share: planning (scope defaults,
//! `id`, replacement, plan-time checks), CRUD that keeps state honest, the link check after
//! every write, and import. The two differ only in their schema and their wire mapping,
//! which [`Kind`] selects.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, Weak};

use async_trait::async_trait;

use crate::api::model::{Registry, RegistryConfig, RegistryRequest};
use crate::api::refs::{RegistryRef, Scope};
use crate::api::{Client, Config as ApiConfig};
use crate::framework::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Diagnostic, Diagnostics,
    ImportRequest, ImportResponse, ModifyPlanRequest, ModifyPlanResponse, ProviderData,
    ReadRequest, ReadResponse, Resource, Schema, UpdateRequest, UpdateResponse, ValidateRequest,
};
use crate::protocol::value::{AttributePath, PathStep, Value};
use crate::provider::advice;
use crate::provider::config::ProviderConfig;
use crate::provider::diag::{Finding, Severity};
use crate::provider::model::{self, Defaults, Known, string, strings};
use crate::provider::{StopHandle, locked, online, validate};

/// What the resources work with once the provider is configured: one pooled API client and
/// the provider's account and default scope.
pub struct HarContext {
    pub client: Client,
    pub defaults: Defaults,
    /// Upstream proxies as planned in this Terraform run, by identifier. Terraform plans a
    /// proxy before the registries that refer to it, so a registry's link check sees the
    /// proxy as it will be (created, replaced with another package type or scope), not only
    /// as the server has it now.
    pub planned_proxies: Mutex<HashMap<String, online::Found>>,
}

impl HarContext {
    fn planned_proxies(&self) -> std::sync::MutexGuard<'_, HashMap<String, online::Found>> {
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
pub struct Shared {
    config: ProviderData<ProviderConfig>,
    stop: StopHandle,
}

impl Shared {
    pub fn new(config: ProviderData<ProviderConfig>, stop: StopHandle) -> Self {
        Shared { config, stop }
    }

    fn context(
        config: &Arc<ProviderConfig>,
        stop: &StopHandle,
    ) -> Result<Arc<HarContext>, crate::api::Error> {
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

    /// The context, or `None` while the provider is not configured (e.g. at validate time).
    pub fn get(&self) -> Option<Arc<HarContext>> {
        Self::context(&self.config.get()?, &self.stop).ok()
    }

    /// The context, or an error diagnostic saying why there is none.
    pub fn require(&self, diags: &mut Diagnostics) -> Option<Arc<HarContext>> {
        let config = self.config.require(diags)?;
        match Self::context(&config, &self.stop) {
            Ok(c) => Some(c),
            Err(e) => {
                diags.error("Cannot build the HAR API client", e.to_string());
                None
            }
        }
    }
}

/// Which of the two resources (and data sources) a piece of shared code is working for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Registry,
    Proxy,
}

impl Kind {
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Registry => "har_registry",
            Kind::Proxy => "har_upstream_proxy",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            Kind::Registry => "registry",
            Kind::Proxy => "upstream proxy",
        }
    }

    pub fn schema(self) -> Schema {
        match self {
            Kind::Registry => crate::provider::registry::schema(),
            Kind::Proxy => crate::provider::upstream_proxy::schema(),
        }
    }

    fn validate(self, config: &Value) -> Vec<Finding> {
        match self {
            Kind::Registry => validate::validate_registry(config),
            Kind::Proxy => validate::validate_proxy(config),
        }
    }

    /// The state value from the server's answer; an error if the server's object is of the
    /// other type (an UPSTREAM read as `har_registry`, or the reverse).
    pub fn state(
        self,
        reg: &Registry,
        scope: &Scope,
        prior: Option<&Value>,
    ) -> Result<Value, String> {
        match self {
            Kind::Registry => model::registry_state(reg, scope, prior),
            Kind::Proxy => model::proxy_state(reg, scope, prior),
        }
    }

    fn request(
        self,
        planned: &Value,
        scope: &Scope,
        current: Option<&Registry>,
    ) -> RegistryRequest {
        match self {
            Kind::Registry => model::registry_request(planned, scope, current),
            Kind::Proxy => model::proxy_request(planned, scope, current),
        }
    }
}

pub fn to_diagnostic(f: Finding) -> Diagnostic {
    // Terraform points at a configuration line only through top-level attributes (and
    // list indexes), not inside a nested attribute's object, so name such paths in the text.
    let nested = f.path.as_ref().is_some_and(|p| {
        p.steps
            .iter()
            .filter(|s| matches!(s, PathStep::Attribute(_)))
            .count()
            > 1
    });
    let detail = match &f.path {
        Some(p) if nested && !f.detail.starts_with(&p.to_string()) => format!("{p}: {}", f.detail),
        _ => f.detail,
    };
    let d = match f.severity {
        Severity::Error => Diagnostic::error(f.summary, detail),
        Severity::Warning => Diagnostic::warning(f.summary, detail),
    };
    match f.path {
        Some(p) => d.at(p),
        None => d,
    }
}

pub fn push_all(diags: &mut Diagnostics, findings: Vec<Finding>) {
    for f in findings {
        diags.push(to_diagnostic(f));
    }
}

/// A HAR resource: `har_registry` or `har_upstream_proxy`.
pub struct HarResource {
    kind: Kind,
    data: Shared,
    /// Refs of objects this process has seen in Terraform's state (read or planned with a
    /// prior state). Terraform plans the create half of a replacement with a null prior
    /// state, and a tainted object's replacement *only* that way; such a create must not
    /// report the very object it replaces as "identifier already taken".
    in_state: Mutex<HashSet<String>>,
}

impl HarResource {
    pub fn new(kind: Kind, data: Shared) -> Arc<Self> {
        Arc::new(HarResource {
            kind,
            data,
            in_state: Mutex::new(HashSet::new()),
        })
    }

    fn in_state(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        locked(&self.in_state)
    }

    fn what(&self, value: &Value) -> String {
        let name = string(value, "identifier").value().unwrap_or("?");
        format!("{} {name}", self.kind.noun())
    }
}

/// The ref of an object in state: its `id`, or else identifier + scope.
fn state_ref(state: &Value, account: &str) -> Option<RegistryRef> {
    string(state, "id")
        .value()
        .and_then(|id| RegistryRef::parse(id).ok())
        .or_else(|| model::ref_of(state, account))
}

/// The scope of a planned value (org/project known at apply time).
fn planned_scope(planned: &Value, account: &str) -> Scope {
    Scope {
        account: account.to_string(),
        org: model::opt_string(planned, "org_id"),
        project: model::opt_string(planned, "project_id"),
    }
}

/// The value for org_id/project_id in the plan: the configured one, else the provider's
/// default scope, so the plan shows where the object will really live.
fn plan_scope(config: &Value, defaults: &Defaults) -> (Value, Value) {
    let cfg_org = string(config, "org_id");
    let cfg_project = string(config, "project_id");
    let org = match cfg_org {
        Known::Unknown => Value::Unknown,
        Known::Value(o) => model::str_value(o),
        Known::Null => model::opt_str_value(defaults.org_id.clone()),
    };
    let project = match (cfg_project, cfg_org) {
        (Known::Value(p), _) => model::str_value(p),
        (Known::Unknown, _) | (Known::Null, Known::Unknown) => Value::Unknown,
        (Known::Null, org) => {
            let (_, p) = defaults.effective(org.value(), None);
            model::opt_str_value(p)
        }
    };
    (org, project)
}

fn set(planned: &mut Value, name: &str, v: Value) {
    if let Value::Object(m) = planned {
        m.insert(name.to_string(), v);
    }
}

/// The upstream proxies the server dropped from what was sent, and whether it also changed
/// the order of the rest.
fn compare_links(sent: &[String], got: &[String]) -> (Vec<String>, bool) {
    let dropped: Vec<String> = sent.iter().filter(|s| !got.contains(s)).cloned().collect();
    let kept: Vec<&String> = sent.iter().filter(|s| got.contains(s)).collect();
    let reordered = kept.len() != got.len() || kept.iter().zip(got).any(|(a, b)| *a != b);
    (dropped, reordered)
}

fn upstreams(reg: &Registry) -> Vec<String> {
    match &reg.config {
        RegistryConfig::Virtual(v) => model::linked(&v.upstream_proxies),
        RegistryConfig::Upstream(_) => vec![],
    }
}

impl HarResource {
    /// A create whose retries ran out (or were cut short by a stop) after an attempt that
    /// may have reached the server:
    /// read the registry back, so the object is either returned (Terraform records it, and
    /// nothing is left that the next plan would call "taken") or the diagnostic says what
    /// state it is in. `Err` is the sentence to add to the diagnostic.
    async fn after_failed_create(
        &self,
        client: &Client,
        scope: &Scope,
        sent: &RegistryRequest,
        err: &crate::api::Error,
    ) -> Result<Registry, String> {
        // Retries ran out or were cut short by a stop; either way an attempt may have acted.
        let ended = matches!(
            err,
            crate::api::Error::BudgetSpent { .. } | crate::api::Error::Stopped { .. }
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
                self.kind.noun()
            )),
            Ok(None) => Err(format!(
                "\n\nRead back: {r} does not exist, so nothing was created; apply again."
            )),
            Err(read) => Err(format!(
                "\n\nIt could not be read back either ({read}), so it may or may not exist. If \
                 the next plan says the identifier is taken, adopt it with: terraform import \
                 {}.<name> {r}",
                self.kind.type_name()
            )),
        }
    }

    /// After a write: the server must hold exactly the upstream list that was sent. A proxy
    /// it dropped (another package type, a scope it cannot see, not there at all) fails the
    /// apply loudly, naming each one, while the real object still goes to state.
    async fn check_links(
        &self,
        client: &Client,
        doing: &str,
        scope: &Scope,
        sent: &RegistryRequest,
        got: &Registry,
    ) -> Option<Finding> {
        let sent_list = match &sent.config {
            Some(RegistryConfig::Virtual(v)) => v.upstream_proxies.clone(),
            _ => return None,
        };
        let got_list = upstreams(got);
        let (dropped, reordered) = compare_links(&sent_list, &got_list);
        if dropped.is_empty() && !reordered {
            return None;
        }
        let detail = if dropped.is_empty() {
            format!(
                "{doing}: the server changed the order of the upstream proxies: sent {sent_list:?}, \
                 it holds {got_list:?}."
            )
        } else {
            let why = online::explain_drops(client, scope, &sent.package_type, &dropped).await;
            format!(
                "{doing}: the server accepted the request but silently dropped {} of the upstream \
                 proxies sent:\n{why}\n\nThe registry now holds {got_list:?} (sent {sent_list:?}); \
                 that is what Terraform records in state, so the next plan shows the difference. \
                 Fix the proxy (or remove it from upstream_proxies) and apply again.",
                if dropped.len() == 1 { "one" } else { "some" }
            )
        };
        Some(
            Finding::error("Upstream proxies dropped by the server", detail)
                .at(AttributePath::root("upstream_proxies")),
        )
    }
}

#[async_trait]
impl Resource for HarResource {
    fn type_name(&self) -> &str {
        self.kind.type_name()
    }

    fn schema(&self) -> Schema {
        self.kind.schema()
    }

    async fn validate_config(&self, req: &ValidateRequest<'_>, diags: &mut Diagnostics) {
        push_all(diags, self.kind.validate(req.config));
    }

    async fn modify_plan(&self, req: &ModifyPlanRequest<'_>, resp: &mut ModifyPlanResponse) {
        let config = req.config;
        let prior = req.prior;
        let exists = !prior.is_null();
        // Values unknown at validate time are known now (or during apply's re-plan).
        let mut findings = validate::errors_only(self.kind.validate(config));
        let ctx = self.data.get();
        if let Some(ctx) = &ctx {
            let defaults = &ctx.defaults;
            findings.extend(validate::check_project_needs_org(config, defaults));
            let (org, project) = plan_scope(config, defaults);
            set(&mut resp.planned, "org_id", org);
            set(&mut resp.planned, "project_id", project);
            let id = model::ref_of(&resp.planned, &defaults.account_id)
                .map_or(Value::Unknown, |r| model::str_value(r.to_string()));
            set(&mut resp.planned, "id", id);
        }
        if exists {
            for name in ["org_id", "project_id"] {
                let p = AttributePath::root(name);
                if resp.planned.get(name) != prior.get(name) && !resp.requires_replace.contains(&p)
                {
                    resp.requires_replace.push(p);
                }
            }
            // A forced replacement is planned in two calls: this one, then the create half
            // with a null prior state; see `in_state`.
            if let Some(r) = string(prior, "id").value() {
                self.in_state().insert(r.to_string());
                // Terraform shows only this call's warnings, not the create half's.
                if !resp.requires_replace.is_empty()
                    && string(prior, "identifier") == string(&resp.planned, "identifier")
                {
                    let (summary, detail) = advice::replacing_in_place(self.kind.type_name(), r);
                    findings.push(
                        Finding::warning(summary, detail).at(AttributePath::root("identifier")),
                    );
                }
            }
        }
        let stop = crate::provider::diag::has_errors(&findings);
        push_all(&mut resp.diagnostics, findings);
        let Some(ctx) = ctx else { return };
        if stop {
            return;
        }

        // Online checks: only what this plan changes, only when the values are known.
        let Some(planned_ref) = model::ref_of(&resp.planned, &ctx.defaults.account_id) else {
            return;
        };
        // Only a proxy that will differ from what the server has (new, or another package
        // type or place) needs remembering: for the others the server's answer is the same,
        // and a no-change plan of N proxies keeps no map of N entries.
        let as_is = exists
            && model::ref_of(prior, &ctx.defaults.account_id).as_ref() == Some(&planned_ref)
            && string(prior, "package_type") == string(&resp.planned, "package_type");
        if self.kind == Kind::Proxy
            && !as_is
            && let Known::Value(pt) = string(&resp.planned, "package_type")
        {
            ctx.planned_proxies().insert(
                planned_ref.identifier.clone(),
                online::Found {
                    reference: planned_ref.clone(),
                    registry_type: crate::api::model::TYPE_UPSTREAM.to_string(),
                    package_type: pt.to_string(),
                },
            );
        }
        // The identifier check (creates only) and the link check (proxies newly listed) run
        // concurrently: one round trip of latency for the plan.
        let taken = async {
            if exists {
                return Vec::new();
            }
            match online::check_identifier_free(
                &ctx.client,
                self.kind.type_name(),
                &planned_ref.identifier,
                &planned_ref.scope,
            )
            .await
            {
                Ok(Some((found, finding)))
                    if !self.in_state().contains(&found.reference.to_string()) =>
                {
                    vec![finding]
                }
                Ok(_) => Vec::new(),
                Err(e) => vec![
                    Finding::api(
                        &format!("checking whether {} is free", planned_ref.identifier),
                        &e,
                    )
                    .at(AttributePath::root("identifier")),
                ],
            }
        };
        let links = async {
            let (Kind::Registry, Known::Value(items), Known::Value(pt)) = (
                self.kind,
                strings(config, "upstream_proxies"),
                string(config, "package_type"),
            ) else {
                return Vec::new();
            };
            let before = if exists {
                model::known_strings(prior, "upstream_proxies").unwrap_or_default()
            } else {
                vec![]
            };
            let new: Vec<(usize, String)> = items
                .iter()
                .enumerate()
                .filter_map(|(i, k)| k.value().map(|n| (i, n.to_string())))
                .filter(|(_, n)| !before.contains(n))
                .collect();
            if new.is_empty() {
                return Vec::new();
            }
            // Only the names this registry lists: cloning the whole map for every registry
            // made planning N registries O(N²).
            let planned: HashMap<String, online::Found> = {
                let all = ctx.planned_proxies();
                new.iter()
                    .filter_map(|(_, n)| all.get(n).map(|f| (n.clone(), f.clone())))
                    .collect()
            };
            online::check_proxies(&ctx.client, &planned_ref.scope, pt, &new, &planned).await
        };
        let (mut online, links) = futures_util::future::join(taken, links).await;
        online.extend(links);
        push_all(&mut resp.diagnostics, online);
    }

    async fn create(&self, req: &CreateRequest<'_>, resp: &mut CreateResponse) {
        let Some(ctx) = self.data.require(&mut resp.diagnostics) else {
            return;
        };
        let planned = req.planned;
        let scope = planned_scope(planned, &ctx.defaults.account_id);
        let doing = format!("creating {}", self.what(planned));
        let body = self.kind.request(planned, &scope, None);
        let created = match ctx.client.create_registry(&body).await {
            Ok(r) => r,
            Err(e) => match self
                .after_failed_create(&ctx.client, &scope, &body, &e)
                .await
            {
                Ok(reg) => reg,
                Err(state_note) => {
                    let mut f = Finding::api(&doing, &e);
                    f.detail.push_str(&state_note);
                    resp.diagnostics.push(to_diagnostic(f));
                    return;
                }
            },
        };
        let mut reg = created;
        // The OSS server ignores upstreamProxies on create for GENERIC (har-api.md §3.5) but
        // applies them on PUT: re-send once before judging the list.
        if let Some(RegistryConfig::Virtual(v)) = &body.config
            && upstreams(&reg) != v.upstream_proxies
        {
            let r = RegistryRef::new(scope.clone(), reg.identifier.clone());
            let mut again = body.clone();
            again.cleanup_policy = reg.cleanup_policy.clone();
            again.is_public = reg.is_public;
            match ctx.client.update_registry(&r, &again).await {
                Ok(updated) => reg = updated,
                Err(e) => resp.diagnostics.push(to_diagnostic(Finding::api(
                    &format!("{doing} (setting its upstream proxies)"),
                    &e,
                ))),
            }
        }
        match self.kind.state(&reg, &scope, Some(planned)) {
            Ok(state) => resp.state = Some(state),
            Err(msg) => {
                resp.diagnostics.error(format!("Error {doing}"), msg);
                return;
            }
        }
        if let Some(f) = self
            .check_links(&ctx.client, &doing, &scope, &body, &reg)
            .await
        {
            resp.diagnostics.push(to_diagnostic(f));
        }
    }

    async fn read(&self, req: &ReadRequest<'_>, resp: &mut ReadResponse) {
        let Some(ctx) = self.data.require(&mut resp.diagnostics) else {
            return;
        };
        let Some(r) = state_ref(req.state, &ctx.defaults.account_id) else {
            resp.diagnostics.error(
                format!("Cannot read {}", self.kind.noun()),
                "The state has neither a valid id nor an identifier.",
            );
            return;
        };
        match ctx.client.get_registry(&r).await {
            // Deleted outside Terraform: drop it from state, so the plan re-creates it.
            Ok(None) => resp.state = None,
            Ok(Some(reg)) => match self.kind.state(&reg, &r.scope, Some(req.state)) {
                Ok(s) => {
                    self.in_state().insert(r.to_string());
                    resp.state = Some(s)
                }
                Err(msg) => resp.diagnostics.error(
                    format!(
                        "{r} is not a{} {}",
                        if self.kind == Kind::Proxy { "n" } else { "" },
                        self.kind.noun()
                    ),
                    msg,
                ),
            },
            Err(e) => resp.diagnostics.push(to_diagnostic(Finding::api(
                &format!("reading {} {r}", self.kind.noun()),
                &e,
            ))),
        }
    }

    async fn update(&self, req: &UpdateRequest<'_>, resp: &mut UpdateResponse) {
        let Some(ctx) = self.data.require(&mut resp.diagnostics) else {
            return;
        };
        let planned = req.planned;
        let doing = format!("updating {}", self.what(planned));
        let Some(r) = state_ref(req.prior, &ctx.defaults.account_id) else {
            resp.diagnostics
                .error(format!("Error {doing}"), "The state has no valid id.");
            return;
        };
        // PUT replaces the whole registry: start from what the server holds now, so that
        // nothing this provider does not manage is cleared (har-api.md §3.4).
        let current = match ctx.client.get_registry(&r).await {
            Ok(Some(c)) => c,
            Ok(None) => {
                resp.diagnostics.error(
                    format!("Error {doing}"),
                    format!("{r} no longer exists: it was deleted outside Terraform. Run terraform apply again to re-create it."),
                );
                return;
            }
            Err(e) => {
                resp.diagnostics
                    .push(to_diagnostic(Finding::api(&doing, &e)));
                return;
            }
        };
        if let Err(msg) = self.kind.state(&current, &r.scope, None) {
            resp.diagnostics.error(format!("Error {doing}"), msg);
            return;
        }
        let body = self.kind.request(planned, &r.scope, Some(&current));
        let reg = match ctx.client.update_registry(&r, &body).await {
            Ok(reg) => reg,
            Err(e) => {
                resp.diagnostics
                    .push(to_diagnostic(Finding::api(&doing, &e)));
                return;
            }
        };
        match self.kind.state(&reg, &r.scope, Some(planned)) {
            Ok(state) => resp.state = Some(state),
            Err(msg) => {
                resp.diagnostics.error(format!("Error {doing}"), msg);
                return;
            }
        }
        if let Some(f) = self
            .check_links(&ctx.client, &doing, &r.scope, &body, &reg)
            .await
        {
            resp.diagnostics.push(to_diagnostic(f));
        }
    }

    async fn delete(&self, req: &DeleteRequest<'_>, resp: &mut DeleteResponse) {
        let Some(ctx) = self.data.require(&mut resp.diagnostics) else {
            return;
        };
        let Some(r) = state_ref(req.prior, &ctx.defaults.account_id) else {
            return;
        };
        // Already gone counts as deleted (the client maps 404 and "not found" 400s).
        if let Err(e) = ctx.client.delete_registry(&r).await {
            let doing = format!("deleting {} {r}", self.kind.noun());
            let still_used = e
                .message()
                .is_some_and(|m| m.contains("is being used") || m.contains("used inside"));
            if still_used {
                let registries = advice::registries_listing(e.message().unwrap_or_default());
                let (summary, detail) = advice::delete_refused(
                    self.kind.noun(),
                    &r.identifier,
                    &registries,
                    &format!("{doing}: {e}"),
                );
                resp.diagnostics.error(summary, detail);
            } else {
                resp.diagnostics
                    .push(to_diagnostic(Finding::api(&doing, &e)));
            }
        }
    }

    async fn import(&self, req: &ImportRequest<'_>, resp: &mut ImportResponse) {
        let r = match RegistryRef::parse(req.id.trim()) {
            Ok(r) => r,
            Err(e) => {
                resp.diagnostics.error(
                    "Invalid import ID",
                    format!(
                        "{e}. The import ID of {} is its registry ref, e.g. acct/docker-main, \
                         acct/org/docker-main or acct/org/project/docker-main.",
                        self.kind.type_name()
                    ),
                );
                return;
            }
        };
        if let Some(ctx) = self.data.get()
            && ctx.defaults.account_id != r.scope.account
        {
            resp.diagnostics.error(
                "Import ID in another account",
                format!(
                    "{r} is in account {:?}, but the provider is configured for account {:?}.",
                    r.scope.account, ctx.defaults.account_id
                ),
            );
            return;
        }
        let mut v = Value::null_object(&self.kind.schema().value_type());
        set(&mut v, "id", model::str_value(r.to_string()));
        set(&mut v, "identifier", model::str_value(r.identifier.clone()));
        set(&mut v, "org_id", model::opt_str_value(r.scope.org.clone()));
        set(
            &mut v,
            "project_id",
            model::opt_str_value(r.scope.project.clone()),
        );
        resp.state = Some(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_comparison() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            compare_links(&s(&["a", "b"]), &s(&["a", "b"])),
            (vec![], false)
        );
        assert_eq!(
            compare_links(&s(&["a", "b", "c"]), &s(&["a", "c"])),
            (s(&["b"]), false)
        );
        assert_eq!(
            compare_links(&s(&["a", "b"]), &s(&["b", "a"])),
            (vec![], true)
        );
    }

    #[test]
    fn scope_in_the_plan() {
        let d = Defaults {
            account_id: "a".into(),
            org_id: Some("o".into()),
            project_id: Some("p".into()),
        };
        let cfg = model::object_value(vec![("org_id", Value::Null), ("project_id", Value::Null)]);
        assert_eq!(
            plan_scope(&cfg, &d),
            (model::str_value("o"), model::str_value("p"))
        );
        let cfg = model::object_value(vec![
            ("org_id", model::str_value("x")),
            ("project_id", Value::Null),
        ]);
        assert_eq!(plan_scope(&cfg, &d), (model::str_value("x"), Value::Null));
        let cfg = model::object_value(vec![
            ("org_id", Value::Unknown),
            ("project_id", Value::Null),
        ]);
        assert_eq!(plan_scope(&cfg, &d), (Value::Unknown, Value::Unknown));
    }
}
