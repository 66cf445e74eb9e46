//! After a write: the server must hold exactly the upstream list that was sent. A proxy it
//! dropped (another package type, a scope it cannot see, not there at all) fails the apply
//! loudly, naming each one, while the real object still goes to state.

use crate::api::model::{Registry, RegistryConfig, RegistryRequest};
use crate::api::refs::Scope;
use crate::framework::{AttributePath, Diagnostic};
use crate::provider::diag::error_at;
use crate::provider::directory::Directory;
use crate::provider::online;
use crate::provider::registry::{RegistryModel, linked};

/// The upstream list a registry holds (none for an upstream proxy).
pub(super) fn upstreams(reg: &Registry) -> Vec<String> {
    match &reg.config {
        RegistryConfig::Virtual(v) => linked(&v.upstream_proxies),
        RegistryConfig::Upstream(_) => vec![],
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

pub(super) async fn check_links(
    directory: &Directory,
    doing: &str,
    scope: &Scope,
    sent: &RegistryRequest,
    got: &Registry,
) -> Option<Diagnostic> {
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
        let why = online::explain_drops(directory, scope, &sent.package_type, &dropped).await;
        format!(
            "{doing}: the server accepted the request but silently dropped {} of the upstream \
             proxies sent:\n{why}\n\nThe registry now holds {got_list:?} (sent {sent_list:?}); \
             that is what Terraform records in state, so the next plan shows the difference. \
             Fix the proxy (or remove it from upstream_proxies) and apply again.",
            if dropped.len() == 1 { "one" } else { "some" }
        )
    };
    Some(error_at(
        AttributePath::root(RegistryModel::ATTR.upstream_proxies),
        "Upstream proxies dropped by the server",
        detail,
    ))
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
}
