//! Checks that need the API, run at plan time (PlanResourceChange, provider configured,
//! values known) so that a mistake fails the plan instead of half-way through an apply:
//! an identifier that is already taken somewhere in the account, and upstream proxies that
//! exist but cannot be linked. They also explain, after an apply, why the server dropped a
//! proxy from a registry's list.
//!
//! Names are looked up in the account directory (`directory.rs`: a search by name for the
//! first few, then one shared listing of the account), concurrently, and only for what the
//! plan changes (a create, or proxies newly added to a list), so a no-change plan of 1000
//! resources makes no call at all. The explanation after an apply searches afresh: it is
//! about what the server just did, which a listing taken earlier cannot tell.

use std::collections::HashMap;

use futures_util::future::join_all;

use crate::api;
use crate::api::model::TYPE_UPSTREAM;
use crate::api::refs::Scope;
use crate::framework::{AttributePath, Diagnostic};
use crate::provider::diag::{api_error, error_at};
use crate::provider::directory::Directory;
pub(crate) use crate::provider::directory::Found;
use crate::rules::{LinkLevel, check_link};

/// The resource type that manages this kind of registry.
fn resource_type(found: &Found) -> &'static str {
    if found.registry_type == TYPE_UPSTREAM {
        "har_upstream_proxy"
    } else {
        "har_registry"
    }
}

/// Why a registry of `package_type` in `scope` cannot list `found`; `None` if it can.
fn link_problem(found: &Found, package_type: &str, scope: &Scope) -> Option<String> {
    check_link(found, package_type, scope, LinkLevel::Product)
        .err()
        .map(|e| e.to_string())
}

/// Plan-time: an identifier to be created must not be taken anywhere in the account.
/// `kind` is `har_registry` or `har_upstream_proxy`, `scope` the planned scope.
pub(crate) async fn check_identifier_free(
    directory: &Directory,
    kind: &str,
    identifier: &str,
    scope: &Scope,
    at: AttributePath,
) -> Result<Option<(Found, Diagnostic)>, api::Error> {
    let Some(found) = directory.find(identifier).await? else {
        return Ok(None);
    };
    let what = if found.registry_type == TYPE_UPSTREAM {
        "an upstream proxy"
    } else {
        "a registry"
    };
    let adopt = if resource_type(&found) == kind {
        let mut s = format!(
            "To manage the existing one with this resource, import it:\n\n  terraform import {kind}.<name> {r}\n\n\
             or with an import block:\n\n  import {{\n    to = {kind}.<name>\n    id = \"{r}\"\n  }}\n\n\
             where <name> is this resource's name (shown above with \"with {kind}.…\").",
            r = found.reference
        );
        if found.reference.scope != *scope {
            s.push_str(&format!(
                " It lives in {}, not in {scope}: set org_id/project_id to match.",
                found.reference.scope
            ));
        }
        s.push_str(&crate::provider::advice::replacement_keeping_identifier(
            kind,
        ));
        s
    } else {
        let other = resource_type(&found);
        format!(
            "It is managed with the {other} resource, not {kind}; choose another identifier, or \
             import it as {other} with `terraform import {other}.<name> {}`.",
            found.reference
        )
    };
    let diagnostic = error_at(
        at,
        "Identifier already taken",
        format!(
            "{what} named {identifier:?} already exists at {} (package type {}). Registry names \
             are unique across the whole Harness account, whatever the scope, so creating \
             another one would fail. {adopt}",
            found.reference, found.package_type
        ),
    );
    Ok(Some((found, diagnostic)))
}

/// Plan-time: each named proxy that exists must be an UPSTREAM of the registry's package
/// type in a scope the registry can see. A proxy that does not exist yet is fine: it may be
/// created by the same apply. `names` pairs each list index with its name; `planned` holds
/// the proxies planned in this run; `at` is the list attribute.
pub(crate) async fn check_proxies(
    directory: &Directory,
    scope: &Scope,
    package_type: &str,
    names: &[(usize, String)],
    planned: &HashMap<String, Found>,
    at: &AttributePath,
) -> Vec<Diagnostic> {
    // A proxy planned in this run is judged as it will be; the others as the server has them.
    let lookups = join_all(names.iter().map(|(_, n)| async move {
        match planned.get(n) {
            Some(f) => Ok(Some(f.clone())),
            None => directory.find(n).await,
        }
    }))
    .await;
    let mut out = Vec::new();
    for ((i, name), found) in names.iter().zip(lookups) {
        let at = at.clone().index(*i as i64);
        match found {
            Ok(Some(f)) => {
                if let Some(problem) = link_problem(&f, package_type, scope) {
                    out.push(error_at(
                        at,
                        "Upstream proxy cannot be linked",
                        format!(
                            "upstream_proxies[{i}]: {problem}. The server would silently drop it \
                             from the list."
                        ),
                    ));
                }
            }
            Ok(None) => {}
            Err(e) => out.push(api_error(&format!("checking upstream proxy {name}"), &e).at(at)),
        }
    }
    out
}

/// After an apply: the likely reason the server dropped each of `dropped` from a registry
/// of `package_type` in `scope`, one line each.
pub(crate) async fn explain_drops(
    directory: &Directory,
    scope: &Scope,
    package_type: &str,
    dropped: &[String],
) -> String {
    let lookups = join_all(dropped.iter().map(|n| directory.search(n))).await;
    dropped
        .iter()
        .zip(lookups)
        .map(|(name, found)| {
            let why = match found {
                Ok(Some(f)) => link_problem(&f, package_type, scope).unwrap_or_else(|| {
                    format!(
                        "it exists at {} and looks linkable now; it may have been created, moved \
                         or changed while this apply ran",
                        f.reference
                    )
                }),
                Ok(None) => format!(
                    "no registry or proxy named {name:?} exists anywhere in account {}",
                    scope.account
                ),
                Err(e) => format!("could not look it up: {e}"),
            };
            format!("  - {name}: {why}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}
