//! Read, update, delete and import.

use super::HarResource;
use super::kind::{Identity, RegistryKind};
use super::links::check_links;
use crate::api::model::Registry;
use crate::api::refs::RegistryRef;
use crate::framework::{
    DeleteRequest, DeleteResponse, Field, ImportRequest, ImportResponse, ReadRequest, ReadResponse,
    UpdateRequest, UpdateResponse,
};
use crate::provider::advice;
use crate::provider::diag::api_error;

/// The ref of an object in state: its `id`, or else identifier + scope.
fn state_ref(state: &impl Identity, account: &str) -> Option<RegistryRef> {
    state
        .id()
        .as_deref()
        .known()
        .and_then(|id| RegistryRef::parse(id).ok())
        .or_else(|| {
            crate::provider::scope::ref_of(
                account,
                state.identifier().as_deref(),
                state.org_id().as_deref(),
                state.project_id().as_deref(),
            )
        })
}

/// What a GET answered, judged against what was asked and what the state says.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    /// The object asked for.
    Asked,
    /// An answer about another object (another identifier): an error, and the state is
    /// not rewritten from it.
    Other(String),
    /// The same name with another package type or registry type. HAR changes neither, so
    /// the object was deleted and created again outside Terraform: gone, with a warning.
    Replaced(String),
}

fn answer_check<K: RegistryKind>(asked: &RegistryRef, prior: &K::Model, got: &Registry) -> Answer {
    if got.identifier != asked.identifier {
        return Answer::Other(format!(
            "The server was asked for {asked} and answered with {:?}. The state was left as it \
             was; try again, and check the endpoint if it persists.",
            got.identifier
        ));
    }
    // Only what the state knows: an import's first read has no package type yet.
    let Field::Known(was) = prior.package_type() else {
        return Answer::Asked;
    };
    let now_type = got.config.type_name();
    if got.package_type != was.as_str() || now_type != K::CONFIG_TYPE.as_str() {
        return Answer::Replaced(format!(
            "{asked} was a {was} {} in state, but the server now holds a {} {now_type} under \
             that name. HAR changes neither on an existing object, so it was deleted and \
             created again outside Terraform: it is treated as gone, and the plan creates this \
             {} again (which fails while the other one holds the name; import or remove it \
             first).",
            K::CONFIG_TYPE.as_str(),
            got.package_type,
            K::NOUN
        ));
    }
    Answer::Asked
}

impl<K: RegistryKind> HarResource<K> {
    pub(super) async fn read_object(&self, req: &ReadRequest<'_>, resp: &mut ReadResponse) {
        let Some(ctx) = self.data.require(&mut resp.diagnostics) else {
            return;
        };
        let Some(prior) = self.read_model("state", req.state, &mut resp.diagnostics) else {
            return;
        };
        let Some(r) = state_ref(&prior, &ctx.defaults.account_id) else {
            resp.diagnostics.error(
                format!("Cannot read {}", K::NOUN),
                "The state has neither a valid id nor an identifier.",
            );
            return;
        };
        match ctx.client.get_registry(&r).await {
            // Deleted outside Terraform: drop it from state, so the plan re-creates it.
            Ok(None) => resp.state = None,
            Ok(Some(reg)) => match answer_check::<K>(&r, &prior, &reg) {
                Answer::Other(msg) => {
                    // The state stays as it was; nothing is learnt from this answer.
                    resp.state = Some(req.state.clone());
                    resp.diagnostics
                        .error(format!("Unexpected answer reading {} {r}", K::NOUN), msg);
                }
                Answer::Replaced(msg) => {
                    resp.state = None;
                    resp.diagnostics.warning(
                        format!("{} {r} was replaced outside Terraform", K::NOUN),
                        msg,
                    );
                }
                Answer::Asked => self.read_answer(&ctx.client, &r, &prior, &reg, resp).await,
            },
            Err(e) => resp
                .diagnostics
                .push(api_error(&format!("reading {} {r}", K::NOUN), &e)),
        }
    }

    async fn read_answer(
        &self,
        client: &crate::api::Client,
        r: &RegistryRef,
        prior: &K::Model,
        reg: &Registry,
        resp: &mut ReadResponse,
    ) {
        match K::state(reg, &r.scope, Some(prior)) {
            Ok(mut s) => {
                self.in_state().insert(r.to_string());
                // The v3 metadata only where this state manages it (set, even to `{}`), and
                // on an import's first read (whose state knows no package type yet), so the
                // refresh of a registry without `metadata` is one GET.
                if !prior.metadata().is_null() || !prior.package_type().is_known() {
                    let doing = format!("reading {} {r}", K::NOUN);
                    self.metadata_into(client, &mut s, None, &doing, &mut resp.diagnostics)
                        .await;
                }
                resp.state = self.write_model(&s, &mut resp.diagnostics);
            }
            Err(msg) => resp
                .diagnostics
                .error(format!("{r} is not {}", K::a_noun()), msg),
        }
    }

    pub(super) async fn update_object(&self, req: &UpdateRequest<'_>, resp: &mut UpdateResponse) {
        let Some(ctx) = self.data.require(&mut resp.diagnostics) else {
            return;
        };
        let diags = &mut resp.diagnostics;
        let (Some(planned), Some(prior)) = (
            self.read_model("plan", req.planned, diags),
            self.read_model("prior state", req.prior, diags),
        ) else {
            return;
        };
        let doing = format!("updating {}", Self::what(&planned));
        let Some(r) = state_ref(&prior, &ctx.defaults.account_id) else {
            resp.diagnostics
                .error(format!("Error {doing}"), "The state has no valid id.");
            return;
        };
        // Only `metadata` changes: the registry already is as planned (the refresh just read
        // it), so neither its GET nor its PUT, only the v3 calls.
        let mut rest = planned.clone();
        rest.set_metadata(prior.metadata().clone());
        if rest == prior {
            let mut state = planned.clone();
            self.metadata_into(
                &ctx.client,
                &mut state,
                Some(planned.metadata()),
                &doing,
                &mut resp.diagnostics,
            )
            .await;
            resp.state = self.write_model(&state, &mut resp.diagnostics);
            return;
        }
        // PUT replaces the whole registry: start from what the server holds now, so that
        // nothing this provider does not manage is cleared.
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
                resp.diagnostics.push(api_error(&doing, &e));
                return;
            }
        };
        if let Err(msg) = K::state(&current, &r.scope, None) {
            resp.diagnostics.error(format!("Error {doing}"), msg);
            return;
        }
        let body = K::request(&planned, &r.scope, Some(&current));
        let reg = match ctx.client.update_registry(&r, &body).await {
            Ok(reg) => reg,
            Err(e) => {
                resp.diagnostics.push(api_error(&doing, &e));
                return;
            }
        };
        match K::state(&reg, &r.scope, Some(&planned)) {
            Ok(mut state) => {
                // The v3 calls only when `metadata` changes; otherwise the state keeps what
                // the refresh read.
                if planned.metadata() != prior.metadata() {
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
        if let Some(d) = check_links(&ctx.directory, &doing, &r.scope, &body, &reg).await {
            resp.diagnostics.push(d);
        }
    }

    pub(super) async fn delete_object(&self, req: &DeleteRequest<'_>, resp: &mut DeleteResponse) {
        let Some(ctx) = self.data.require(&mut resp.diagnostics) else {
            return;
        };
        let Some(prior) = self.read_model("prior state", req.prior, &mut resp.diagnostics) else {
            return;
        };
        let Some(r) = state_ref(&prior, &ctx.defaults.account_id) else {
            return;
        };
        // Already gone counts as deleted (the client maps 404 and "not found" 400s).
        let Err(e) = ctx.client.delete_registry(&r).await else {
            ctx.directory.deleted(&r);
            return;
        };
        let doing = format!("deleting {} {r}", K::NOUN);
        if matches!(e, crate::api::Error::InUse { .. }) {
            let registries = advice::registries_listing(e.message().unwrap_or_default());
            let (summary, detail) = advice::delete_refused(
                K::NOUN,
                &r.identifier,
                &registries,
                &format!("{doing}: {e}"),
            );
            resp.diagnostics.error(summary, detail);
        } else {
            resp.diagnostics.push(api_error(&doing, &e));
        }
    }

    pub(super) async fn import_object(&self, req: &ImportRequest<'_>, resp: &mut ImportResponse) {
        let r = match RegistryRef::parse(req.id.trim()) {
            Ok(r) => r,
            Err(e) => {
                resp.diagnostics.error(
                    "Invalid import ID",
                    format!(
                        "{e}. The import ID of {} is its registry ref, e.g. acct/docker-main, \
                         acct/org/docker-main or acct/org/project/docker-main.",
                        K::TYPE_NAME
                    ),
                );
                return;
            }
        };
        let ctx = match self.data.get() {
            Ok(ctx) => ctx,
            Err(e) => {
                resp.diagnostics
                    .push(crate::provider::context::client_error(&e));
                return;
            }
        };
        if let Some(ctx) = ctx
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
        // Only the place; Read fills in the rest.
        let mut model = K::Model::default();
        model.place(
            Field::Known(r.to_string()),
            Field::from_option(r.scope.org.clone()),
            Field::from_option(r.scope.project.clone()),
        );
        model.set_identifier(r.identifier.clone());
        resp.state = self.write_model(&model, &mut resp.diagnostics);
    }
}

impl<K: RegistryKind> HarResource<K> {
    /// Fills `model.metadata` from the v3 API: with `planned`, makes the MANUAL entries that
    /// first (carrying the AUTO ones); without, only reads. A server without the v3 API (404)
    /// is fine as long as no metadata is wanted.
    pub(super) async fn metadata_into(
        &self,
        client: &crate::api::Client,
        model: &mut K::Model,
        planned: Option<&crate::provider::metadata::Metadata>,
        doing: &str,
        diags: &mut crate::framework::Diagnostics,
    ) {
        use crate::provider::metadata;
        let Some(uuid) = model.uuid().clone().known().filter(|u| !u.is_empty()) else {
            return;
        };
        let prior = model.metadata().clone();
        let result = match planned {
            Some(p) => metadata::sync(client, &uuid, p).await,
            None => client.get_metadata(&uuid).await,
        };
        match result {
            Ok(entries) => model.set_metadata(metadata::state(Some(&prior), &entries)),
            Err(crate::api::Error::NotFound { .. })
                if metadata::state(Some(&prior), &[]) == prior =>
            {
                tracing::debug!(%uuid, "no v3 metadata API; no metadata wanted");
            }
            Err(e) => diags.push(api_error(&format!("{doing} (its metadata)"), &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::registry::{RegistryModel, RegistryResource};
    use crate::rules::PackageType;

    fn reg(identifier: &str, pt: &str, ty: &str) -> Registry {
        serde_json::from_value(serde_json::json!({
            "identifier": identifier, "packageType": pt, "config": {"type": ty}
        }))
        .unwrap()
    }

    #[test]
    fn a_read_must_answer_what_was_asked() {
        let asked = RegistryRef::parse("acct/org/docker").unwrap();
        let prior = RegistryModel {
            package_type: Field::Known(PackageType::Docker),
            ..RegistryModel::default()
        };
        let check = |got: &Registry| answer_check::<RegistryResource>(&asked, &prior, got);
        assert_eq!(check(&reg("docker", "DOCKER", "VIRTUAL")), Answer::Asked);
        assert!(matches!(
            check(&reg("other", "DOCKER", "VIRTUAL")),
            Answer::Other(_)
        ));
        assert!(matches!(
            check(&reg("docker", "HELM", "VIRTUAL")),
            Answer::Replaced(_)
        ));
        assert!(matches!(
            check(&reg("docker", "DOCKER", "UPSTREAM")),
            Answer::Replaced(_)
        ));
        // An import's first read knows no package type: the type check decides later.
        let import = RegistryModel::default();
        assert_eq!(
            answer_check::<RegistryResource>(&asked, &import, &reg("docker", "DOCKER", "UPSTREAM")),
            Answer::Asked
        );
    }
}
